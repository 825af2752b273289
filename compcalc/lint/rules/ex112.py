"""EX112 expansion.sentiment_bonus_beside_activation"""
from __future__ import annotations

from compcalc.lint.base import WARNING, PlanRule, is_satisfaction_metric


class SentimentBonusBesideActivation(PlanRule):
    """A CSM plan pays a satisfaction bonus (CSAT, NPS…) beside its activation bonus.

    Fires on a ``csm`` plan with an ``activation_bonus`` and a ``metric_bonus`` whose metric measures
    sentiment (csat, nps, satisfaction, happiness, sentiment, promoter…). Without the activation bonus
    it is EX102.

    **Why this kills expansion**

    Every dollar of CSM variable pay spent on sentiment is a dollar not spent on adoption, and the two
    pull apart exactly when it matters: pushing a reluctant team to roll out the product, or bringing an
    expansion AE into the account, can cost a survey point. A satisfaction bonus dilutes the activation
    incentive and gives the CSM a paid reason to protect the account from growth conversations.

    **Anti-pattern**

    ```yaml
    plan_id: csm_2027
    name: CSM 2027
    role: csm
    year_start: 2027-01-01
    components:
      - id: activation
        type: activation_bonus
        milestone: activated
        within_days: 90
        amount: 750
      - id: nps_bonus
        type: metric_bonus
        metric: nps
        target: 40
        amount: 500
    ```

    **Best practice**

    Put the whole variable on adoption, e.g. a second, deeper milestone instead of the survey:

    ```yaml
    plan_id: csm_2027
    name: CSM 2027
    role: csm
    year_start: 2027-01-01
    components:
      - id: activation
        type: activation_bonus
        milestone: activated
        within_days: 90
        amount: 750
      - id: rollout
        type: activation_bonus
        milestone: rolled_out
        within_days: 180
        amount: 500
    ```
    """

    code = "EX112"
    name = "expansion.sentiment_bonus_beside_activation"
    severity = WARNING

    def check_plan(self, plan, config):
        if plan.role != "csm" or not plan.components_of("activation_bonus"):
            return
        for c in plan.components_of("metric_bonus"):
            if is_satisfaction_metric(c.metric):
                yield self.finding(
                    f"CSM plan pays a bonus on {c.metric!r} (sentiment) beside its activation bonus",
                    "move this money to the activation bonus or to a deeper adoption milestone",
                    plan=plan, component=c, path=("metric",))
