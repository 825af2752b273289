"""manager_override: a manager's override on the deals credited to the reps who report to them."""
from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from compcalc import ledger_lines as L
from compcalc.components import per_deal_cap
from compcalc.components.base import Component, Money, Rate, register
from compcalc.components.dated import Dated, ratios_on
from compcalc.components.tcv_commission import DealType
from compcalc.money import product, round_div


@register
class ManagerOverride(Component):
    """Pays the manager round(rate × ARR × share) on each qualifying deal credited to a direct report.

    A deal qualifies when its type is in ``deal_types`` (default new and expansion) and the credited
    rep's assignment on the close date names the manager in the roster's ``manager_id``; the manager must
    hold an assignment on this plan on that date. Paid in the close month. ``rate`` may be dated (the
    close date's); ``max_per_deal`` caps the override on one credited deal (× the report's share).
    """

    type: Literal["manager_override"] = "manager_override"
    rate: Dated[Rate]
    deal_types: tuple[DealType, ...] = ("new", "expansion")
    max_per_deal: Money | None = None

    kinds = (L.OVERRIDE,)
    basis_name = "ARR"
    example = """\
- id: team_override
  type: manager_override
  rate: 0.02
"""

    def pays_on(self, deal_type: str) -> bool:
        return deal_type in self.deal_types

    def compute(self, plan, ctx) -> pd.DataFrame:
        c = ctx.credits
        c = c[(c["asg"].to_numpy(np.int64) >= 0) & c["type"].isin(self.deal_types).to_numpy()]
        if c.empty:
            return L.empty_lines()
        manager = ctx.assignments["manager_id"].to_numpy(object)[c["asg"].to_numpy(np.int64)]
        has = manager != ""
        c, manager = c[has], manager[has]
        masg = ctx.assignment_at(manager, c["date"].to_numpy())
        on_plan = ctx.plan_of(masg) == plan.plan_id
        c, manager = c[on_plan], manager[on_plan]
        if c.empty:
            return L.empty_lines()
        rn, rd, rate_text = ratios_on(self.rate, c["date"].to_numpy())
        arr, sn, sd = c["arr"].to_numpy(np.int64), c["share_num"].to_numpy(), c["share_den"].to_numpy()
        basis = round_div(product(arr, sn), sd, plan.rounding)
        uncapped = round_div(product(rn, arr, sn), product(rd, sd), plan.rounding)
        amount, limit, cut = per_deal_cap.cap(uncapped, self.max_per_deal, sn, sd, plan.rounding)
        note = per_deal_cap.join("override on " + c["rep_id"].to_numpy(object) + "'s deal",
                                 per_deal_cap.notes(cut, uncapped, limit, self.max_per_deal), ctx.overlay_notes(c))
        return L.make_lines(rep_id=manager, month=c["month"].to_numpy(np.int64), plan_id=plan.plan_id,
                            component_id=self.id, deal_id=c["deal_id"].to_numpy(object),
                            account_id=c["account_id"].to_numpy(object), kind=L.OVERRIDE, basis=basis,
                            rate=rate_text, amount=amount, note=note,
                            facts=per_deal_cap.facts(cut, uncapped, limit))
