"""EX121 expansion.closer_expansion_capped_per_deal"""
from __future__ import annotations

from compcalc.lint.base import WARNING, PlanRule


class CloserExpansionCappedPerDeal(PlanRule):
    """A closer_expansion has a max_per_deal: the biggest expansions pay the closer least per dollar.

    Fires on a ``closer_expansion`` with ``max_per_deal`` (SPEC §8.5).

    **Why this kills expansion**

    Closer pay exists so the AE lands accounts with room to grow and hands them over warmly. A per-deal
    cap pays the same for a 50,000 expansion as for a 500,000 one, so past the cap the closer has no
    stake in the account's largest growth — exactly the expansions the land should set up. Cap the land
    commission if one huge land must not dominate the year, and leave expansion pay proportional.

    **Anti-pattern**

    ```yaml
    plan_id: nb_ae_2027
    name: New Business AE 2027
    role: new_business_ae
    year_start: 2027-01-01
    components:
      - id: land_tcv
        type: tcv_commission
        rate: {2027-01-01: 0.08, 2027-07-01: 0.09}
        max_term_months: 24
        vesting: {upfront_pct: 0.25, months: 12}
      - id: closer_expansion
        type: closer_expansion
        rate: 0.10
        max_per_deal: 2000
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
        rate: {2027-01-01: 0.08, 2027-07-01: 0.09}
        max_term_months: 24
        max_per_deal: 20000
        vesting: {upfront_pct: 0.25, months: 12}
      - id: closer_expansion
        type: closer_expansion
        rate: 0.10
    ```
    """

    code = "EX121"
    name = "expansion.closer_expansion_capped_per_deal"
    severity = WARNING

    def check_plan(self, plan, config):
        for c in plan.components_of("closer_expansion"):
            if c.max_per_deal is not None:
                yield self.finding(
                    f"closer_expansion {c.id!r} stops paying the closer past {c.max_per_deal} per expansion "
                    "(max_per_deal)",
                    "remove max_per_deal from the closer pay (cap the land commission instead, if needed)",
                    plan=plan, component=c, path=("max_per_deal",))
