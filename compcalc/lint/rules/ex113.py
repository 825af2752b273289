"""EX113 expansion.tcv_quota_rewards_term"""
from __future__ import annotations

from compcalc.lint.base import WARNING, PlanRule


class TcvQuotaRewardsTerm(PlanRule):
    """A quota on new TCV with accelerators pays multi-year lock-in at the accelerated rate.

    Fires on a ``quota_attainment`` with ``measure: new_tcv`` whose tiers have a multiplier above 1
    or that has ``kickers`` (SPEC §8.1: TCV credit is exact and uncapped by term).

    **Why this kills expansion**

    A bookings accelerator on TCV counts a three-year contract three times. The fastest way past quota
    is then to sign the land for as many years as possible at a flat price — exactly the multi-year,
    no-step-up lock-in that leaves no room to expand the account later. ``tcv_commission`` can cap the
    term with ``max_term_months``; a TCV quota cannot, so accelerate on ARR (``new_arr`` or the
    full-cycle ``net_new_arr``) and pay term, if at all, through a capped TCV commission.

    **Anti-pattern**

    ```yaml
    plan_id: nb_bookings_2027
    name: New Business AE, bookings accelerator
    role: new_business_ae
    year_start: 2027-01-01
    components:
      - id: bookings
        type: quota_attainment
        measure: new_tcv
        quota: 1200000
        target_incentive: 100000
        tiers:
          - {up_to: 1.0, multiplier: 1.0}
          - {up_to: null, multiplier: 2.0}
    ```

    **Best practice**

    ```yaml
    plan_id: nb_bookings_2027
    name: New Business AE, ARR accelerator
    role: new_business_ae
    year_start: 2027-01-01
    components:
      - id: bookings
        type: quota_attainment
        measure: new_arr
        quota: 600000
        target_incentive: 100000
        tiers:
          - {up_to: 1.0, multiplier: 1.0}
          - {up_to: null, multiplier: 2.0}
    ```
    """

    code = "EX113"
    name = "expansion.tcv_quota_rewards_term"
    severity = WARNING

    def check_plan(self, plan, config):
        for c in plan.components_of("quota_attainment"):
            if c.measure != "new_tcv":
                continue
            accelerated = any(t.multiplier > 1 for t in c.tiers)
            if accelerated or c.kickers:
                what = "accelerator tiers" if accelerated else "kickers"
                yield self.finding(
                    f"quota_attainment {c.id!r} has {what} on new TCV: a multi-year flat-fee contract "
                    "reaches them fastest (TCV credit has no term cap)",
                    "accelerate on new_arr or net_new_arr, and pay term through a tcv_commission with max_term_months",
                    plan=plan, component=c, path=("measure",))
