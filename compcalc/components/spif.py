"""spif: a fixed bonus per qualifying deal closed in a date window."""
from __future__ import annotations

import datetime as dt
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import Field, model_validator

from compcalc import ledger_lines as L
from compcalc.components.base import Component, Money, register
from compcalc.components.dated import Dated, positions
from compcalc.components.per_deal_cap import join
from compcalc.components.tcv_commission import DealType
from compcalc.money import product, round_div, to_cents


@register
class Spif(Component):
    """Pays ``amount`` (× split share) per qualifying deal closed between ``from`` and ``to`` inclusive.

    A deal qualifies when its type is in ``deal_types`` (default new), its ARR is at least ``min_arr`` and
    its term at least ``min_term_months``. Paid in the close month — how finance pushes a quarter's
    priority, such as multi-year lands. ``amount`` may be dated (the close date's).
    """

    type: Literal["spif"] = "spif"
    amount: Dated[Money]
    from_: dt.date = Field(alias="from")
    to: dt.date
    deal_types: tuple[DealType, ...] = ("new",)
    min_arr: Money | None = None
    min_term_months: int | None = Field(None, ge=0, le=1200)

    kinds = (L.BONUS,)
    example = """\
- id: multi_year_spif
  type: spif
  amount: 500
  from: 2027-01-01
  to: 2027-06-30
  min_arr: 20000
  min_term_months: 24
"""

    @model_validator(mode="after")
    def _window(self):
        if self.to < self.from_:
            raise ValueError("to: the window ends before it starts")
        return self

    def pays_on(self, deal_type: str) -> bool:
        return deal_type in self.deal_types

    def compute(self, plan, ctx) -> pd.DataFrame:
        c = ctx.credits_on(plan.plan_id, self.deal_types)
        if c.empty:
            return L.empty_lines()
        date = c["date"]
        keep = (date >= pd.Timestamp(self.from_)) & (date <= pd.Timestamp(self.to))
        if self.min_arr is not None:
            keep &= c["arr"] >= to_cents(self.min_arr)
        if self.min_term_months is not None:
            keep &= c["term"] >= self.min_term_months
        c = c[keep]
        if c.empty:
            return L.empty_lines()
        idx, values = positions(self.amount, c["date"].to_numpy())
        cents = np.array([to_cents(v) for v in values], dtype=np.int64)[idx]
        amount = round_div(product(cents, c["share_num"].to_numpy()), c["share_den"].to_numpy(), plan.rounding)
        return L.make_lines(rep_id=c["rep_id"].to_numpy(object), month=c["month"].to_numpy(np.int64),
                            plan_id=plan.plan_id, component_id=self.id, deal_id=c["deal_id"].to_numpy(object),
                            account_id=c["account_id"].to_numpy(object), kind=L.BONUS, amount=amount,
                            note=join(f"SPIF {self.from_}–{self.to}", ctx.overlay_notes(c)))
