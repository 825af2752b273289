"""metric_bonus: a fixed bonus when a scored measure (e.g. CSAT) meets its target in a period."""
from __future__ import annotations

from decimal import Decimal
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import Field, field_validator, model_validator

from compcalc import ledger_lines as L
from compcalc.components.base import Component, Factor, Frozen, Money, register
from compcalc.components.dated import Dated, positions
from compcalc.money import product, ratio, round_div, to_cents


class Step(Frozen):
    """A step of ``scale``: achievement r ≥ ``at`` pays ``pct`` of the amount."""

    at: Factor
    pct: Factor


@register
class MetricBonus(Component):
    """Pays ``amount`` for each metrics row of the rep whose value meets the target.

    ``direction: at_least`` (default) needs value ≥ target, ``at_most`` value ≤ target. Paid in the row's
    period; the row belongs to the assignment on the last day of that period. Paid on a satisfaction
    score (CSAT, NPS) it rewards sentiment rather than adoption — see EX102 and EX112. ``amount`` may be
    dated (the period's last day). With ``scale`` (SPEC §8.9) the bonus follows a curve: r = value /
    target (``at_most``: target / value, a value of 0 reaching the top step) pays round(amount × pct) of
    the step with the largest ``at`` ≤ r, nothing below every step.
    """

    type: Literal["metric_bonus"] = "metric_bonus"
    metric: str = Field(min_length=1)
    target: Decimal = Field(allow_inf_nan=False)
    amount: Dated[Money]
    direction: Literal["at_least", "at_most"] = "at_least"
    scale: tuple[Step, ...] = ()

    @field_validator("scale")
    @classmethod
    def _steps(cls, steps):
        ats = [s.at for s in steps]
        if len(set(ats)) != len(ats):
            raise ValueError("two steps have the same 'at' (each achievement level pays one pct)")
        return tuple(sorted(steps, key=lambda s: s.at))

    @model_validator(mode="after")
    def _target(self):
        if self.scale and self.target <= 0:
            raise ValueError("target: must be more than 0 with a scale (achievement is value / target)")
        return self

    capitalize_default = False
    kinds = (L.BONUS,)
    needs_input = "metrics"  # pays nothing without --metrics
    example = """\
- id: csat_bonus
  type: metric_bonus
  metric: csat
  target: 4.5
  amount: 1000
"""

    def compute(self, plan, ctx) -> pd.DataFrame:
        m = ctx.metrics
        if m.empty:
            return L.empty_lines()
        m = m[m["metric_key"].to_numpy(object) == self.metric.strip().lower()]
        if m.empty:
            return L.empty_lines()
        m = m[ctx.plan_of(m["asg"].to_numpy(np.int64)) == plan.plan_id]
        if m.empty:
            return L.empty_lines()
        values = m["value"].to_numpy(object)
        target = self.target
        last_day = (pd.PeriodIndex(m["period"], freq="M").to_timestamp(how="end").normalize()).to_numpy()
        idx, amounts = positions(self.amount, last_day)
        full = np.array([to_cents(v) for v in amounts], dtype=np.int64)[idx]
        if self.scale:
            return self._scaled(plan, m, values, full)
        meets = np.array([v >= target if self.direction == "at_least" else v <= target for v in values], dtype=bool)
        m, full = m[meets], full[meets]
        if m.empty:
            return L.empty_lines()
        sign = "≥" if self.direction == "at_least" else "≤"
        note = f"{self.metric} " + m["value"].astype(str).to_numpy(object) + f" {sign} target {target}"
        return L.make_lines(rep_id=m["rep_id"].to_numpy(object), month=m["month"].to_numpy(np.int64),
                            plan_id=plan.plan_id, component_id=self.id, kind=L.BONUS, amount=full, note=note)

    def _scaled(self, plan, m, values, full):
        """SPEC §8.9: the step of achievement r, compared exactly (r is a ratio of decimals)."""
        target = self.target
        step = np.full(len(values), -1, dtype=np.int64)
        for i, v in enumerate(values):
            for j, s in enumerate(self.scale):
                if self.direction == "at_least":
                    reached = v >= s.at * target  # r = v / target ≥ at
                else:
                    reached = v == 0 or target >= s.at * v  # r = target / v ≥ at (v > 0)
                if reached:
                    step[i] = j
        keep = step >= 0
        if self.direction == "at_most":
            keep &= np.array([v >= 0 for v in values], dtype=bool)  # a negative score has no ratio to speak of
        m, step, full, values = m[keep], step[keep], full[keep], values[keep]
        if m.empty:
            return L.empty_lines()
        pcts = [ratio(s.pct) for s in self.scale]
        pn = np.array([pcts[j][0] for j in step], dtype=np.int64)
        pd_ = np.array([pcts[j][1] for j in step], dtype=np.int64)
        amount = round_div(product(full, pn), pd_, plan.rounding)
        ats = [str(s.at) for s in self.scale]
        texts = [str(s.pct) for s in self.scale]
        rate = np.array([texts[j] for j in step], dtype=object)
        how = "value / target" if self.direction == "at_least" else "target / value"
        note = np.array([f"{self.metric} {v} vs target {target}: {how} reaches step at {ats[j]}, "
                         f"{texts[j]} of the bonus" for v, j in zip(values, step)], dtype=object)
        return L.make_lines(rep_id=m["rep_id"].to_numpy(object), month=m["month"].to_numpy(np.int64),
                            plan_id=plan.plan_id, component_id=self.id, kind=L.BONUS, basis=full, rate=rate,
                            amount=amount, note=note)
