"""EX110 expansion.tcv_term_uncapped"""
from __future__ import annotations

from compcalc.lint.base import WARNING, PlanRule


class TcvTermUncapped(PlanRule):
    """A TCV commission has no max_term_months: it rewards multi-year flat-fee lock-in.

    Fires on a ``tcv_commission`` without ``max_term_months``.

    **Why this kills expansion**

    With an uncapped term, a five-year contract pays five times a one-year contract for the same
    customer, so reps trade price and flexibility for term: multi-year flat-fee deals that lock the
    account at its landing size, with no price step-ups and no natural moment to right-size or expand.
    Capping the term that counts (typically 24 months) keeps multi-year deals attractive without making
    lock-in the best-paid outcome.

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
        vesting: {upfront_pct: 0.25, months: 12}
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

    code = "EX110"
    name = "expansion.tcv_term_uncapped"
    severity = WARNING

    def check_plan(self, plan, config):
        for c in plan.components_of("tcv_commission"):
            if c.max_term_months is None:
                yield self.finding(
                    f"tcv_commission {c.id!r} pays on the full term of any contract (no max_term_months)",
                    "set max_term_months (e.g. 24) so multi-year flat-fee lock-in does not pay more than growth",
                    plan=plan, component=c, path=("type",))
