"""EX109 expansion.no_closer_expansion"""
from __future__ import annotations

from compcalc.lint.base import WARNING, PlanRule


class NoCloserExpansion(PlanRule):
    """A new-business AE plan pays on TCV but gives the closer nothing of the account's expansion.

    Fires on a ``new_business_ae`` plan with a ``tcv_commission`` and no ``closer_expansion``.

    **Why this kills expansion**

    The first year of an account is when it is cheapest to expand: the closer knows the buyer, the
    champions and the adjacent teams. If the closer is paid only on the land, every dollar of future
    growth is better booked into the land itself (oversizing it) and the hand-off to the expansion team
    is a handover of a relationship the closer no longer has a reason to nurture. A year-one closer
    share, with a tail that transitions the account to the expansion owner, pays the closer to land
    right-sized and help it grow.

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
        window_months: 12
        tail_months: 12
        tail_rate_pct: 0.30
    ```
    """

    code = "EX109"
    name = "expansion.no_closer_expansion"
    severity = WARNING

    def check_plan(self, plan, config):
        if plan.role != "new_business_ae" or plan.components_of("closer_expansion"):
            return
        tcv = plan.components_of("tcv_commission")
        if tcv:
            yield self.finding(
                f"new-business plan pays on TCV ({tcv[0].id!r}) but the closer earns nothing on the "
                "account's expansion",
                "add a closer_expansion (year one at the full rate, then a tail at e.g. 30% of it)",
                plan=plan, component=tcv[0], path=("type",))
