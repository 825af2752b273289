"""EX107 expansion.vesting_survives_churn"""
from __future__ import annotations

from compcalc.lint.base import WARNING, PlanRule
from compcalc.lint.rules._tcv import vests


class VestingSurvivesChurn(PlanRule):
    """TCV vesting keeps paying after the account churns.

    Fires on a ``tcv_commission`` that vests and has ``clawback.forfeit_unvested_on_churn: false``.

    **Why this kills expansion**

    Vesting only ties the closer to the account's health if the unvested part stops when the account
    leaves. Without forfeiture, installments keep flowing for customers who have already churned: the
    closer is paid the same for a land that was oversold and lost as for one that activated and grew, so
    the vesting schedule is just a deferred payment, not an incentive to land accounts that stay and
    expand.

    **Anti-pattern**

    ```yaml
    plan_id: nb_ae_2027
    name: New Business AE 2027
    role: new_business_ae
    year_start: 2027-01-01
    components:
      - id: land_tcv
        type: tcv_commission
        rate: 0.08
        max_term_months: 24
        vesting: {upfront_pct: 0.25, months: 12}
        clawback: {forfeit_unvested_on_churn: false}
      - id: closer_expansion
        type: closer_expansion
        rate: 0.10
    ```

    **Best practice**

    ```yaml
    plan_id: nb_ae_2027
    name: New Business AE 2027
    role: new_business_ae
    year_start: 2027-01-01
    components:
      - id: land_tcv
        type: tcv_commission
        rate: 0.08
        max_term_months: 24
        vesting: {upfront_pct: 0.25, months: 12}
        clawback: {forfeit_unvested_on_churn: true, recover_paid_within_months: 3}
      - id: closer_expansion
        type: closer_expansion
        rate: 0.10
    ```
    """

    code = "EX107"
    name = "expansion.vesting_survives_churn"
    severity = WARNING

    def check_plan(self, plan, config):
        for c in plan.components_of("tcv_commission"):
            if vests(c) and not c.clawback.forfeit_unvested_on_churn:
                yield self.finding(
                    f"tcv_commission {c.id!r} keeps paying unvested installments after the account churns",
                    "set clawback.forfeit_unvested_on_churn: true",
                    plan=plan, component=c, path=("clawback", "forfeit_unvested_on_churn"))
