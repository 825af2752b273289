"""EX111 expansion.quota_decelerates"""
from __future__ import annotations

from decimal import Decimal

from compcalc.lint.base import EXPANSION_ROLES, WARNING, PlanRule


class QuotaDecelerates(PlanRule):
    """An expansion quota caps pay below 2× target incentive or lowers its multipliers above 100%.

    Fires on a ``quota_attainment`` of an ``expansion_ae`` or ``account_manager`` plan whose ``cap`` is
    below 2 (× target incentive), or whose tier multipliers fall above 100% attainment: from the tier
    that contains 100% on, a tier's multiplier is lower than the one before it.

    **Why this kills expansion**

    Expansion is lumpy: one account's platform-wide rollout can be worth a year of quota. A low cap or a
    decelerator above quota tells the expansion owner to stop selling once the number is made — to push
    the big expansion into next year, split it, or let it slip — exactly when the account is ready to
    grow. Accelerators that keep rising past 100% and a cap at 2× or more (or none) keep the best
    expansion quarters the best-paid ones.

    **Anti-pattern**

    ```yaml
    plan_id: exp_ae_2027
    name: Expansion AE 2027
    role: expansion_ae
    year_start: 2027-01-01
    components:
      - id: net_expansion
        type: quota_attainment
        quota: 600000
        target_incentive: 120000
        cap: 1.2
        tiers:
          - {up_to: 1.0, multiplier: 1.0}
          - {up_to: null, multiplier: 0.5}
    ```

    **Best practice**

    ```yaml
    plan_id: exp_ae_2027
    name: Expansion AE 2027
    role: expansion_ae
    year_start: 2027-01-01
    components:
      - id: net_expansion
        type: quota_attainment
        quota: 600000
        target_incentive: 120000
        cap: 3
        tiers:
          - {up_to: 1.0, multiplier: 1.0}
          - {up_to: 1.5, multiplier: 1.5}
          - {up_to: null, multiplier: 2.0}
    ```
    """

    code = "EX111"
    name = "expansion.quota_decelerates"
    severity = WARNING

    def check_plan(self, plan, config):
        if plan.role not in EXPANSION_ROLES:
            return
        for c in plan.components_of("quota_attainment"):
            low_cap = c.cap is not None and c.cap < 2
            falls = falling_multipliers(c.tiers)
            if not (low_cap or falls):
                continue
            reasons, fixes, path = [], [], ("cap",) if low_cap else ("tiers",)
            if low_cap:
                reasons.append(f"caps pay at {c.cap}× target incentive")
                fixes.append("raise cap to at least 2 (or remove it)")
            if falls:
                before, after, at = falls
                reasons.append(f"lowers its multiplier from {before} to {after} above {(at * 100).normalize():f}% attainment")
                fixes.append("make multipliers rise (or stay level) above 100%")
            yield self.finding(
                f"quota_attainment {c.id!r} " + " and ".join(reasons) + ": it pays less for the best "
                "expansion quarters",
                "; ".join(fixes), plan=plan, component=c, path=path)


def falling_multipliers(tiers) -> tuple[Decimal, Decimal, Decimal] | None:
    """(multiplier before, multiplier after, attainment) of the first fall at or above 100%, or None."""
    lower = Decimal(0)
    previous = None
    for tier in tiers:
        covers_quota = tier.up_to is None or tier.up_to >= 1
        if previous is not None and covers_quota and tier.multiplier < previous[0] and previous[1]:
            return previous[0], tier.multiplier, max(lower, Decimal(1))
        previous = (tier.multiplier, covers_quota)
        if tier.up_to is not None:
            lower = tier.up_to
    return None
