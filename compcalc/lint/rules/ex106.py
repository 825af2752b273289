"""EX106 expansion.vesting_period_off"""
from __future__ import annotations

from compcalc.lint.base import WARNING, PlanRule
from compcalc.lint.rules._tcv import vests


class VestingPeriodOff(PlanRule):
    """TCV vesting runs for fewer than 12 or more than 24 months.

    Fires on a ``tcv_commission`` that vests (see EX105 for one that does not) over
    ``vesting.months`` outside 12–24.

    **Why this kills expansion**

    Vesting exists to keep the closer's money tied to the account's first year, when it has to activate
    and start expanding. Under 12 months the money is paid out before the first renewal tells anyone
    whether the land was real, so oversized lands still pay. Over 24 months the reward is so far away
    that reps discount it to nothing, it becomes a retention handcuff rather than an incentive, and
    attrition quietly turns commission into forfeits.

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
        vesting: {upfront_pct: 0.25, months: 3}
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
      - id: closer_expansion
        type: closer_expansion
        rate: 0.10
    ```
    """

    code = "EX106"
    name = "expansion.vesting_period_off"
    severity = WARNING

    def check_plan(self, plan, config):
        for c in plan.components_of("tcv_commission"):
            months = c.vesting.months
            if vests(c) and not 12 <= months <= 24:
                side = "short of" if months < 12 else "beyond"
                yield self.finding(
                    f"tcv_commission {c.id!r} vests over {months} months, {side} the 12–24 month range",
                    "set vesting.months between 12 and 24",
                    plan=plan, component=c, path=("vesting", "months"))
