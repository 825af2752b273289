"""activation_bonus: pays the CSM when a newly landed account reaches an adoption milestone."""
from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from pydantic import Field, model_validator

from compcalc import ledger_lines as L
from compcalc.components.base import Component, Money, Rate, register
from compcalc.components.dated import Dated, positions
from compcalc.money import product, ratio, round_div, to_cents


@register
class ActivationBonus(Component):
    """Pays a CSM for activating a new account within a number of days of its land.

    For each account whose land closed on date d and whose ``milestone`` was first achieved on a date
    ≤ d + ``within_days``: pays ``amount`` (or round(``pct_of_land_arr`` × land ARR)) to the milestone's
    CSM in the month achieved. Pays for adoption — the thing that makes expansion possible. ``amount``
    may be dated (the achieved date's).
    """

    type: Literal["activation_bonus"] = "activation_bonus"
    milestone: str = Field(min_length=1)
    within_days: int = Field(90, ge=0, le=36500)
    amount: Dated[Money] | None = None
    pct_of_land_arr: Rate | None = None

    capitalize_default = False
    kinds = (L.BONUS,)
    basis_name = "land ARR"
    needs_input = "milestones"  # pays nothing without --milestones
    example = """\
- id: activation
  type: activation_bonus
  milestone: activated
  within_days: 90
  amount: 750
"""

    @model_validator(mode="after")
    def _one_basis(self):
        if (self.amount is None) == (self.pct_of_land_arr is None):
            raise ValueError("give either amount or pct_of_land_arr (exactly one)")
        return self

    def compute(self, plan, ctx) -> pd.DataFrame:
        ms = ctx.milestones
        if ms.empty:
            return L.empty_lines()
        ms = ms[ms["milestone"].to_numpy(object) == self.milestone]
        lands = ctx.lands[["account_id", "land_date", "land_arr", "land_deal_id"]]
        m = ms.merge(lands, on="account_id", how="inner")
        if m.empty:
            return L.empty_lines()
        deadline = m["land_date"] + pd.to_timedelta(self.within_days, unit="D")
        m = m[m["date"] <= deadline]
        asg = ctx.assignment_at(m["csm_id"].to_numpy(object), m["date"].to_numpy())
        m = m[ctx.plan_of(asg) == plan.plan_id]
        if m.empty:
            return L.empty_lines()
        if self.amount is not None:
            idx, values = positions(self.amount, m["date"].to_numpy())
            amount = np.array([to_cents(v) for v in values], dtype=np.int64)[idx]
            basis, rate = None, ""
        else:
            pn, pd_ = ratio(self.pct_of_land_arr)
            basis = m["land_arr"].to_numpy(np.int64)
            amount = round_div(product(basis, pn), pd_, plan.rounding)
            rate = str(self.pct_of_land_arr)
        days = (m["date"] - m["land_date"]).dt.days.to_numpy()
        note = (f"{self.milestone} " + days.astype(str).astype(object) + f" days after land "
                + m["land_deal_id"].to_numpy(object) + f" (within {self.within_days})")
        account = m["account_id"].to_numpy(object)
        return L.make_lines(rep_id=m["csm_id"].to_numpy(object), month=m["month"].to_numpy(np.int64),
                            plan_id=plan.plan_id, component_id=self.id, deal_id=account, account_id=account,
                            kind=L.BONUS, basis=basis, rate=rate, amount=amount, note=note)
