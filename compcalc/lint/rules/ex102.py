"""EX102 expansion.csm_paid_on_sentiment"""
from __future__ import annotations

from compcalc.lint.base import ERROR, PlanRule, is_satisfaction_metric


class CsmPaidOnSentiment(PlanRule):
    """A CSM plan pays a satisfaction bonus (CSAT, NPS…) and nothing on activation.

    Fires on a ``csm`` plan with a ``metric_bonus`` whose metric measures sentiment (csat, nps,
    satisfaction, happiness, sentiment, promoter…) and no ``activation_bonus``.

    **Why this kills expansion**

    Expansion follows adoption: an account that has rolled the product out to its teams has a reason to
    buy more seats and modules; an account that merely likes its CSM does not. A CSAT or NPS bonus pays
    for sentiment, which is cheapest to earn by saying yes, avoiding hard adoption conversations and
    keeping sales away from the customer. Survey scores are also easy to game (choosing who gets the
    survey) and lag the behaviour that predicts renewal and expansion.

    **Anti-pattern**

    ```yaml
    plan_id: csm_2027
    name: CSM 2027
    role: csm
    year_start: 2027-01-01
    components:
      - id: csat_bonus
        type: metric_bonus
        metric: csat
        target: 4.5
        amount: 1000
    ```

    **Best practice**

    Pay the CSM for activating newly landed accounts within a deadline:

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
    ```
    """

    code = "EX102"
    name = "expansion.csm_paid_on_sentiment"
    severity = ERROR

    def check_plan(self, plan, config):
        if plan.role != "csm" or plan.components_of("activation_bonus"):
            return
        for c in plan.components_of("metric_bonus"):
            if is_satisfaction_metric(c.metric):
                yield self.finding(
                    f"CSM plan pays a bonus on {c.metric!r} (sentiment) and nothing on activation",
                    "replace the satisfaction bonus with an activation_bonus on an adoption milestone "
                    "(e.g. milestone: activated, within_days: 90)",
                    plan=plan, component=c, path=("metric",))
