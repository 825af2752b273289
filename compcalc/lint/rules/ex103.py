"""EX103 expansion.no_expansion_quota"""
from __future__ import annotations

from compcalc.lint.base import ERROR, EXPANSION_ROLES, PlanRule


class NoExpansionQuota(PlanRule):
    """An expansion AE or account manager plan has no quota on net new expansion ARR.

    Fires on an ``expansion_ae`` or ``account_manager`` plan without a ``quota_attainment`` component
    whose measure is ``net_new_expansion_arr`` or ``net_new_arr`` (SPEC §8.1: ``new_arr`` and ``new_tcv`` do not
    count expansion).

    **Why this kills expansion**

    Naming someone the expansion owner without giving them an expansion number leaves expansion in
    nobody's number: it becomes the thing done when there is time left over from renewals and support
    escalations. Without a quota there is no attainment to manage, no accelerator to chase and no
    forecast to hold anyone to, and the net measure (expansion minus contraction and churn) is what keeps
    the owner honest about the base they already have.

    **Anti-pattern**

    ```yaml
    plan_id: am_2027
    name: Account Manager 2027
    role: account_manager
    year_start: 2027-01-01
    components:
      - id: renewals
        type: renewal_commission
        rate: 0.03
        basis: flat_portion
    ```

    **Best practice**

    Give the expansion owner a full quota on net new expansion ARR, with accelerators:

    ```yaml
    plan_id: am_2027
    name: Account Manager 2027
    role: account_manager
    year_start: 2027-01-01
    components:
      - id: net_expansion
        type: quota_attainment
        measure: net_new_expansion_arr
        quota: 600000
        target_incentive: 120000
        renewal_uplift_as_expansion: true
        tiers:
          - {up_to: 1.0, multiplier: 1.0}
          - {up_to: 1.5, multiplier: 1.5}
          - {up_to: null, multiplier: 2.0}
    ```
    """

    code = "EX103"
    name = "expansion.no_expansion_quota"
    severity = ERROR

    def check_plan(self, plan, config):
        if plan.role not in EXPANSION_ROLES:
            return
        # SPEC §8.1: a full-cycle net_new_arr quota puts expansion in the number too; new_arr/new_tcv do not.
        if any(c.measure in ("net_new_expansion_arr", "net_new_arr") for c in plan.components_of("quota_attainment")):
            return
        yield self.finding(
            f"{plan.role} plan has no quota on net new expansion ARR: expansion is in nobody's number",
            "add a quota_attainment with measure: net_new_expansion_arr, a full quota and accelerator tiers",
            plan=plan, path=("role",))
