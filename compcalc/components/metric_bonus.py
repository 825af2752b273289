"""metric_bonus: a fixed bonus when a scored measure (e.g. CSAT) meets its target in a period."""
from __future__ import annotations

from decimal import Decimal
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import Field

from compcalc import ledger_lines as L
from compcalc.components.base import Component, Money, register
from compcalc.money import to_cents


@register
class MetricBonus(Component):
    """Pays ``amount`` for each metrics row of the rep whose value meets the target.

    ``direction: at_least`` (default) needs value ≥ target, ``at_most`` value ≤ target. Paid in the row's
    period; the row belongs to the assignment on the last day of that period. Paid on a satisfaction
    score (CSAT, NPS) it rewards sentiment rather than adoption — see EX102 and EX112.
    """

    type: Literal["metric_bonus"] = "metric_bonus"
    metric: str = Field(min_length=1)
    target: Decimal = Field(allow_inf_nan=False)
    amount: Money
    direction: Literal["at_least", "at_most"] = "at_least"

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
        values = m["value"].to_numpy(object)
        target = self.target
        meets = np.array([v >= target if self.direction == "at_least" else v <= target for v in values], dtype=bool)
        m = m[meets & (ctx.plan_of(m["asg"].to_numpy(np.int64)) == plan.plan_id)]
        if m.empty:
            return L.empty_lines()
        sign = "≥" if self.direction == "at_least" else "≤"
        note = f"{self.metric} " + m["value"].astype(str).to_numpy(object) + f" {sign} target {target}"
        return L.make_lines(rep_id=m["rep_id"].to_numpy(object), month=m["month"].to_numpy(np.int64),
                            plan_id=plan.plan_id, component_id=self.id, kind=L.BONUS,
                            amount=np.full(len(m), to_cents(self.amount), dtype=np.int64), note=note)
