"""EX105 expansion.tcv_without_vesting"""
from __future__ import annotations

from compcalc.lint.base import WARNING, PlanRule
from compcalc.lint.rules._tcv import vests


class TcvWithoutVesting(PlanRule):
    """A TCV commission is paid in full at signing (no vesting).

    Fires on a ``tcv_commission`` with ``vesting.upfront_pct: 1`` or ``vesting.months: 0``.

    **Why this kills expansion**

    Paying the whole contract value at signing turns a multi-year commitment into a one-off bonus: the
    closer is paid for years of revenue before the customer has used the product for a month, and keeps
    it whether the account adopts, expands or churns. Vesting over 12–24 months keeps the closer's money
    tied to the account staying live — exactly the window in which it must activate and start to expand.

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
        vesting: {upfront_pct: 1}
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
        vesting: {upfront_pct: 0.25, months: 12, cadence: monthly}
      - id: closer_expansion
        type: closer_expansion
        rate: 0.10
    ```
    """

    code = "EX105"
    name = "expansion.tcv_without_vesting"
    severity = WARNING

    def check_plan(self, plan, config):
        for c in plan.components_of("tcv_commission"):
            if not vests(c):
                why = "upfront_pct: 1" if c.vesting.upfront_pct >= 1 else "months: 0"
                yield self.finding(
                    f"tcv_commission {c.id!r} pays the whole TCV at signing (vesting {why})",
                    "vest it: e.g. vesting: {upfront_pct: 0.25, months: 12} so the closer's pay follows the "
                    "account staying live",
                    plan=plan, component=c, path=("vesting",))
