"""quota_attainment: a full quota on net new expansion ARR, with accelerator tiers."""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from math import lcm
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import Field, model_validator

from compcalc import ledger_lines as L
from compcalc.components.base import Component, Factor, Frozen, Money, Rate, register
from compcalc.money import format_cents, round_fraction, to_cents
from compcalc.periods import NEVER, month_index, plan_year_start


def _percent(f: Fraction) -> str:
    """An attainment fraction as a percentage with two decimals (display only)."""
    return f"{(Decimal(f.numerator) * 100 / Decimal(f.denominator)).quantize(Decimal('0.01'))}%"


class Tier(Frozen):
    up_to: Decimal | None = Field(None, gt=0, le=1000, allow_inf_nan=False)
    multiplier: Factor


@register
class QuotaAttainment(Component):
    """Pays a target incentive for reaching quota on net new expansion ARR, with accelerator tiers.

    Credits (events owned by the rep in the plan year): + expansion ARR; + renewal uplift
    (``renewal_uplift_as_expansion``); − renewal downsell; − contraction; − churn (``net_of_churn``).
    Quota Q and target incentive TI are prorated by the assignment's active months in the plan year
    (a / 12; with ``ramp``, Q counts each month by its ramp factor). base rate = TI / Q. With
    A = max(0, cumulative credits), Earned = Σ tiers base rate × multiplier × (part of A in the tier)
    (``tier_mode: whole``: the multiplier of A's tier applies to all of A), zero below ``threshold`` × Q,
    at most ``cap`` × TI, rounded to cents. Each line is the change in Earned since the last line
    (monthly, or at the end of each plan-year quarter), negative when contraction lowers A.
    """

    type: Literal["quota_attainment"] = "quota_attainment"
    measure: Literal["net_new_expansion_arr"] = "net_new_expansion_arr"
    quota: Money = Field(gt=0)
    target_incentive: Money
    tiers: tuple[Tier, ...] = (Tier(up_to=None, multiplier=Decimal(1)),)
    tier_mode: Literal["marginal", "whole"] = "marginal"
    renewal_uplift_as_expansion: bool = True
    net_of_churn: bool = True
    cap: Factor | None = None
    threshold: Factor | None = None
    cadence: Literal["monthly", "quarterly"] = "monthly"
    ramp: tuple[Rate, ...] = ()

    kinds = (L.QUOTA,)
    example = """\
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
"""

    @model_validator(mode="after")
    def _tiers_ascend(self):
        if not self.tiers:
            raise ValueError("tiers: at least one tier is needed")
        bounds = [t.up_to for t in self.tiers]
        if any(b is None for b in bounds[:-1]):
            raise ValueError("tiers: only the last tier may have up_to: null")
        finite = [b for b in bounds if b is not None]
        if any(b2 <= b1 for b1, b2 in zip(finite, finite[1:])):
            raise ValueError("tiers: up_to must increase from one tier to the next")
        return self

    def pays_on(self, deal_type: str) -> bool:
        return deal_type == "expansion" or (deal_type == "renewal" and self.renewal_uplift_as_expansion)

    # -- arithmetic -------------------------------------------------------------------------
    def earned(self, attained: Fraction, quota: Fraction, incentive: Fraction) -> Fraction:
        """Exact earnings (in cents) for attainment ``attained`` against prorated quota and TI."""
        if quota <= 0 or attained <= 0:
            return Fraction(0)
        if self.threshold is not None and attained < Fraction(self.threshold) * quota:
            return Fraction(0)
        base = incentive / quota
        total = Fraction(0)
        lower = Fraction(0)
        for tier in self.tiers:
            upper = None if tier.up_to is None else Fraction(tier.up_to) * quota
            if self.tier_mode == "whole":
                if upper is None or attained <= upper:
                    total = base * Fraction(tier.multiplier) * attained
                    break
            else:
                top = attained if upper is None else min(attained, upper)
                if top > lower:
                    total += base * Fraction(tier.multiplier) * (top - lower)
            if upper is None or attained <= upper:
                break
            lower = upper
        if self.cap is not None:
            total = min(total, Fraction(self.cap) * incentive)
        return total

    def tier_reached(self, attained: Fraction, quota: Fraction) -> int:
        for i, tier in enumerate(self.tiers, 1):
            if tier.up_to is None or attained <= Fraction(tier.up_to) * quota:
                return i
        return len(self.tiers)

    def credits(self, c: pd.DataFrame, denominator: int) -> np.ndarray:
        """Signed credit of each credited event, as integer numerators over ``denominator`` cents."""
        t = c["type"].to_numpy(object)
        arr = c["arr"].to_numpy(np.int64)
        prior = c["prior_arr"].to_numpy(np.int64)
        value = np.zeros(len(c), dtype=np.int64)
        value = np.where(t == "expansion", arr, value)
        renewal = t == "renewal"
        uplift = np.maximum(0, arr - prior) if self.renewal_uplift_as_expansion else 0
        value = np.where(renewal, uplift - np.maximum(0, prior - arr), value)
        value = np.where(t == "contraction", -arr, value)
        if self.net_of_churn:
            value = np.where(t == "churn", -arr, value)
        share_den = c["share_den"].to_numpy(np.int64)
        return value.astype(object) * c["share_num"].to_numpy(np.int64).astype(object) * \
            (denominator // share_den).astype(object)

    def compute(self, plan, ctx) -> pd.DataFrame:
        assignments = ctx.assignments[ctx.assignments["plan_id"] == plan.plan_id]
        if assignments.empty:
            return L.empty_lines()
        c = ctx.credits_on(plan.plan_id, ("expansion", "renewal", "contraction", "churn"))
        denominator = lcm(*[int(d) for d in np.unique(c["share_den"].to_numpy(np.int64))]) if len(c) else 1
        by_month: dict[int, dict[int, int]] = {}
        if len(c):
            frame = pd.DataFrame({"asg": c["asg"].to_numpy(np.int64), "month": c["month"].to_numpy(np.int64),
                                  "credit": self.credits(c, denominator)})
            sums = frame.groupby(["asg", "month"], sort=True)["credit"].sum()
            for (a, m), v in sums.items():
                by_month.setdefault(int(a), {})[int(m)] = int(v)
        year_start = month_index(plan.year_start)
        out = []
        for asg, row in assignments.iterrows():
            out.extend(self._assignment_lines(plan, ctx, int(asg), row, by_month.get(int(asg), {}),
                                              denominator, year_start))
        if not out:
            return L.empty_lines()
        cols = list(zip(*out))
        return L.make_lines(rep_id=np.array(cols[0], dtype=object), month=np.array(cols[1], dtype=np.int64),
                            plan_id=plan.plan_id, component_id=self.id, kind=L.QUOTA,
                            basis=np.array(cols[2], dtype=np.int64), rate=np.array(cols[3], dtype=object),
                            amount=np.array(cols[4], dtype=np.int64), note=np.array(cols[5], dtype=object))

    def _assignment_lines(self, plan, ctx, asg, row, credits, denominator, year_start):
        start, end = int(row["start_month"]), int(row["end_month"])
        quota_cents = to_cents(self.quota) if pd.isna(row["quota"]) else int(row["quota"])
        ti_cents = to_cents(self.target_incentive)
        last = min(end, ctx.through_month)
        py = plan_year_start(start, year_start)
        lines = []
        while py <= last:
            lo, hi = max(start, py), min(end, py + 11)
            active = hi - lo + 1
            if self.ramp:
                factors = sum(Fraction(self.ramp[m - start]) if m - start < len(self.ramp) else 1
                              for m in range(lo, hi + 1))
                quota = Fraction(quota_cents, 12) * factors
            else:
                quota = Fraction(quota_cents * active, 12)
            incentive = Fraction(ti_cents * active, 12)
            marks = sorted(m for m in credits if lo <= m <= min(hi, last))
            if self.cadence == "quarterly":
                emit = [m for m in range(lo, min(hi, last) + 1) if (m - py) % 3 == 2 or m == end]
            else:
                emit = marks
            cumulative, paid, i = 0, 0, 0
            for m in emit:
                while i < len(marks) and marks[i] <= m:
                    cumulative += credits[marks[i]]
                    i += 1
                attained = max(Fraction(0), Fraction(cumulative, denominator))
                earned = round_fraction(self.earned(attained, quota, incentive), plan.rounding)
                if earned != paid:
                    pct = attained / quota if quota else Fraction(0)
                    quota_text = format_cents(round_fraction(quota, plan.rounding))
                    note = (f"attainment {_percent(pct)} of quota {quota_text}"
                            f" (tier {self.tier_reached(attained, quota)}); earned to date {format_cents(earned)}")
                    # A is written as basis: money, so rounded with the plan's rounding like every amount.
                    lines.append((row["rep_id"], m, round_fraction(attained, plan.rounding),
                                  f"{Decimal(pct.numerator) / Decimal(pct.denominator):.4f}", earned - paid, note))
                    paid = earned
            py += 12
        return lines
