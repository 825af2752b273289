"""closer_expansion: the rep who landed an account keeps its year-one expansion, then a tail."""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import Field

from compcalc import ledger_lines as L
from compcalc.components import per_deal_cap
from compcalc.components.base import Component, Money, Rate, register
from compcalc.components.dated import Dated, positions
from compcalc.money import product, round_div


@register
class CloserExpansion(Component):
    """Pays the account's original closer on its expansion: full rate in the window, then a tail.

    For each expansion ARR event on an account whose ``new`` deal is in the data — expansion ``arr``,
    and renewal uplift ``max(0, arr − prior_arr)`` when ``include_renewal_uplift`` — the closer (the land's
    owner, or each split rep for their share) is paid in the event's close month, provided the closer
    holds an assignment on this plan on that date. With k = event month − land month: k < window pays
    round(rate × ARR); window ≤ k < window + tail pays round(rate × tail_rate_pct × ARR); later nothing.
    ``rate`` and ``tail_rate_pct`` may be dated (the event's date); ``max_per_deal`` caps one closer's
    pay on one event (× share).
    """

    type: Literal["closer_expansion"] = "closer_expansion"
    rate: Dated[Rate]
    window_months: int = Field(12, ge=0, le=1200)
    tail_months: int = Field(12, ge=0, le=1200)
    tail_rate_pct: Dated[Rate] = Decimal("0.30")
    include_renewal_uplift: bool = True
    max_per_deal: Money | None = None

    kinds = (L.CLOSER_EXPANSION,)
    basis_name = "expansion ARR"
    example = """\
- id: closer_expansion
  type: closer_expansion
  rate: 0.10
  window_months: 12
  tail_months: 12
  tail_rate_pct: 0.30
"""

    def pays_on(self, deal_type: str) -> bool:
        return deal_type == "expansion" or (deal_type == "renewal" and self.include_renewal_uplift)

    def compute(self, plan, ctx) -> pd.DataFrame:
        deals = ctx.deals
        is_exp = deals["type"].to_numpy(object) == "expansion"
        uplift = np.maximum(0, deals["arr"].to_numpy(np.int64) - deals["prior_arr"].to_numpy(np.int64))
        is_up = (deals["type"].to_numpy(object) == "renewal") & (uplift > 0) & self.include_renewal_uplift
        events = deals.loc[is_exp | is_up, ["deal_id", "account_id", "date", "month", "type"]].copy()
        events["event_arr"] = np.where(is_exp, deals["arr"].to_numpy(np.int64), uplift)[is_exp | is_up]
        closers = ctx.land_closers
        a = ctx.assignments
        held = a["rep_id"].to_numpy(object)[a["plan_id"].to_numpy(object) == plan.plan_id]
        closers = closers[closers["rep_id"].isin(held).to_numpy()]  # only the plan's reps: fewer to merge
        if events.empty or closers.empty:
            return L.empty_lines()
        e = events.merge(closers, on="account_id", how="inner")
        if e.empty:
            return L.empty_lines()
        asg = ctx.assignment_at(e["rep_id"].to_numpy(object), e["date"].to_numpy())
        e = e[ctx.plan_of(asg) == plan.plan_id]
        k = e["month"].to_numpy(np.int64) - e["land_month"].to_numpy(np.int64)
        w, t = self.window_months, self.tail_months
        in_window, in_tail = k < w, (k >= w) & (k < w + t)
        keep = in_window | in_tail
        e, in_window = e[keep], in_window[keep]
        if e.empty:
            return L.empty_lines()
        # The rate in force on the event's date, full in the window and × tail_rate_pct in the tail.
        dates = e["date"].to_numpy()
        ri, rates = positions(self.rate, dates)
        ti, tails = positions(self.tail_rate_pct, dates)
        combo = ri * len(tails) + ti
        table = {}
        for code in np.unique(combo).tolist():
            r, t = rates[code // len(tails)], tails[code % len(tails)]
            fr, ft = Fraction(r), Fraction(r) * Fraction(t)
            table[code] = (fr.numerator, fr.denominator, str(r), ft.numerator, ft.denominator, str(r * t), str(t))
        cols = list(zip(*(table[x] for x in combo.tolist()))) if len(combo) else [()] * 7
        big = any(abs(v) > 2**31 for row in table.values() for v in (row[0], row[1], row[3], row[4]))
        kind = object if big else np.int64
        rn, rd, rtext, tn, td, ttext, pct = (np.array(col, dtype=kind if i in (0, 1, 3, 4) else object)
                                             for i, col in enumerate(cols))
        num_rate = np.where(in_window, rn, tn)
        den_rate = np.where(in_window, rd, td)
        arr, sn, sd = (e[k].to_numpy() for k in ("event_arr", "share_num", "share_den"))
        basis = round_div(product(arr, sn), sd, plan.rounding)
        uncapped = round_div(product(num_rate, arr, sn), product(den_rate, sd), plan.rounding)
        amount, limit, cut = per_deal_cap.cap(uncapped, self.max_per_deal, sn, sd, plan.rounding)
        rate_text = np.where(in_window, rtext, ttext)
        note = np.where(in_window, "closer in the window",
                        "closer in the tail at " + pct + " of the rate").astype(object)
        note = (note + ": month " + k[keep].astype(str).astype(object) + " after land "
                + e["land_deal_id"].to_numpy(object))
        note = per_deal_cap.join(note, per_deal_cap.notes(cut, uncapped, limit, self.max_per_deal),
                                 ctx.overlay_notes(e))
        return L.make_lines(rep_id=e["rep_id"].to_numpy(object), month=e["month"].to_numpy(np.int64),
                            plan_id=plan.plan_id, component_id=self.id, deal_id=e["deal_id"].to_numpy(object),
                            account_id=e["account_id"].to_numpy(object), kind=L.CLOSER_EXPANSION,
                            basis=basis, rate=rate_text.astype(object), amount=amount, note=note,
                            facts=per_deal_cap.facts(cut, uncapped, limit))
