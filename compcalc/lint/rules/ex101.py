"""EX101 expansion.first_year_acv_only"""
from __future__ import annotations

from compcalc.lint.base import ERROR, PlanRule


class FirstYearAcvOnly(PlanRule):
    """A new-business AE plan pays on first-year ACV only.

    Fires on a ``new_business_ae`` plan that has an ``acv_commission`` and neither a
    ``tcv_commission`` nor a ``closer_expansion``. A ``spif`` on new deals that is the plan's only
    new-business pay is first-year pay too (a bonus per land, nothing after it), so it fires the same way.

    **Why this kills expansion**

    When 100% of the pay is a percentage of first-year ACV, the closer is paid to make the land as big
    as possible and to be gone before it is used. Oversized lands leave no headroom to expand, stuff the
    first year with shelfware that churns or contracts at renewal, and teach customers that every
    conversation with sales is a negotiation. Nothing in the plan pays for multi-year value or for the
    account growing after the land, so the closer has no reason to land right-sized and hand over a
    healthy account.

    **Anti-pattern**

    ```yaml
    plan_id: nb_ae_2027
    name: New Business AE 2027
    role: new_business_ae
    year_start: 2027-01-01
    components:
      - id: land_acv
        type: acv_commission
        rate: 0.10
    ```

    **Best practice**

    Pay on TCV, vested over 12–24 months and capped at a sensible term, and let the closer keep the
    account's year-one expansion:

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
        window_months: 12
        tail_months: 12
        tail_rate_pct: 0.30
    ```
    """

    code = "EX101"
    name = "expansion.first_year_acv_only"
    severity = ERROR

    def check_plan(self, plan, config):
        if plan.role != "new_business_ae":
            return
        acv = plan.components_of("acv_commission")
        if not acv:  # a SPIF on lands that is all the plan pays for new business is first-year pay too
            acv = [c for c in plan.components_of("spif") if c.pays_on("new")]
        if acv and not plan.components_of("tcv_commission", "closer_expansion"):
            yield self.finding(
                f"new-business plan pays on first-year ACV only ({acv[0].id!r}): nothing pays for multi-year "
                "value or for the account growing after the land",
                f"replace the {acv[0].type} with a tcv_commission vested over 12–24 months and add a "
                "closer_expansion so the closer keeps the account's year-one expansion",
                plan=plan, component=acv[0], path=("type",))
