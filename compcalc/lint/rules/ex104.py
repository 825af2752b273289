"""EX104 expansion.renewal_paid_flat"""
from __future__ import annotations

from compcalc.lint.base import ERROR, PlanRule


class RenewalPaidFlat(PlanRule):
    """Renewals are paid flat to the signer, or renewal uplift does not count as expansion.

    Fires on a ``renewal_commission`` with ``basis: full``, and on a ``quota_attainment`` with
    ``renewal_uplift_as_expansion: false``.

    **Why this kills expansion**

    Paying the full renewed ARR to whoever signs the renewal rewards signing, not growing: a flat
    renewal earns as much as one with a 20% uplift, so the easiest path is to renew as-is (or to trade
    price for a quick signature). And when uplift at renewal does not count toward the expansion quota,
    the expansion owner is paid to push growth out of the renewal and into a separate expansion deal —
    or not to bother with it at all.

    **Anti-pattern**

    ```yaml
    plan_id: am_2027
    name: Account Manager 2027
    role: account_manager
    year_start: 2027-01-01
    components:
      - id: renewals
        type: renewal_commission
        rate: 0.05
        basis: full
      - id: net_expansion
        type: quota_attainment
        quota: 600000
        target_incentive: 120000
        renewal_uplift_as_expansion: false
        tiers:
          - {up_to: 1.0, multiplier: 1.0}
          - {up_to: null, multiplier: 1.5}
    ```

    **Best practice**

    Pay the flat portion of a renewal at a small rate and count the uplift as expansion:

    ```yaml
    plan_id: am_2027
    name: Account Manager 2027
    role: account_manager
    year_start: 2027-01-01
    components:
      - id: renewals
        type: renewal_commission
        rate: 0.02
        basis: flat_portion
      - id: net_expansion
        type: quota_attainment
        quota: 600000
        target_incentive: 120000
        renewal_uplift_as_expansion: true
        tiers:
          - {up_to: 1.0, multiplier: 1.0}
          - {up_to: null, multiplier: 1.5}
    ```
    """

    code = "EX104"
    name = "expansion.renewal_paid_flat"
    severity = ERROR

    def check_plan(self, plan, config):
        for c in plan.components:
            if c.type == "renewal_commission" and c.basis == "full":
                yield self.finding(
                    f"renewal_commission {c.id!r} pays the full renewed ARR to whoever signs it: it rewards "
                    "signing, not growing",
                    "set basis: flat_portion (a small rate on the flat part) and pay the uplift as expansion",
                    plan=plan, component=c, path=("basis",))
            elif c.type == "quota_attainment" and not c.renewal_uplift_as_expansion:
                yield self.finding(
                    f"quota_attainment {c.id!r} does not count renewal uplift as expansion",
                    "set renewal_uplift_as_expansion: true",
                    plan=plan, component=c, path=("renewal_uplift_as_expansion",))
