"""EX108 expansion.expansion_ote_below_new_business"""
from __future__ import annotations

from compcalc.lint.base import EXPANSION_ROLES, WARNING, PlanRule, money
from compcalc.money import to_cents


class ExpansionOteBelowNewBusiness(PlanRule):
    """An expansion AE or account manager OTE is below the new-business AE OTE.

    Compares the plans linted together: fires on each ``expansion_ae`` or ``account_manager`` plan whose
    ``ote`` is below the highest ``ote`` of a ``new_business_ae`` plan. Plans without ``ote`` are skipped.

    **Why this kills expansion**

    In land-and-expand most of an account's lifetime revenue arrives after the land. When the people who
    grow accounts earn less at target than the people who land them, the best sellers move to new
    business, expansion roles are staffed as a junior stepping stone, and the org signals that the
    smaller half of revenue is the one that matters. Pay at target tells reps where the career is.

    **Anti-pattern**

    ```yaml
    plan_id: nb_ae_2027
    name: New Business AE 2027
    role: new_business_ae
    year_start: 2027-01-01
    ote: 240000
    components:
      - id: land_tcv
        type: tcv_commission
        rate: 0.08
        max_term_months: 24
        vesting: {upfront_pct: 0.25, months: 12}
      - id: closer_expansion
        type: closer_expansion
        rate: 0.10
    ---
    plan_id: exp_ae_2027
    name: Expansion AE 2027
    role: expansion_ae
    year_start: 2027-01-01
    ote: 160000
    components:
      - id: net_expansion
        type: quota_attainment
        quota: 600000
        target_incentive: 80000
    ```

    **Best practice**

    ```yaml
    plan_id: nb_ae_2027
    name: New Business AE 2027
    role: new_business_ae
    year_start: 2027-01-01
    ote: 240000
    components:
      - id: land_tcv
        type: tcv_commission
        rate: 0.08
        max_term_months: 24
        vesting: {upfront_pct: 0.25, months: 12}
      - id: closer_expansion
        type: closer_expansion
        rate: 0.10
    ---
    plan_id: exp_ae_2027
    name: Expansion AE 2027
    role: expansion_ae
    year_start: 2027-01-01
    ote: 240000
    components:
      - id: net_expansion
        type: quota_attainment
        quota: 900000
        target_incentive: 120000
    ```
    """

    code = "EX108"
    name = "expansion.expansion_ote_below_new_business"
    severity = WARNING

    def check(self, plans, book, config):
        new_business = [p for p in plans.values() if p.role == "new_business_ae" and p.ote is not None]
        if not new_business:
            return
        top = max(new_business, key=lambda p: (p.ote, p.plan_id))
        for plan in plans.values():
            if plan.role in EXPANSION_ROLES and plan.ote is not None and plan.ote < top.ote:
                yield self.finding(
                    f"{plan.role} OTE {money(to_cents(plan.ote))} is below the new-business AE OTE "
                    f"{money(to_cents(top.ote))} ({top.plan_id})",
                    f"raise the OTE to at least {money(to_cents(top.ote))} so growing accounts pays as well "
                    "as landing them",
                    plan=plan, path=("ote",))
