"""acv_commission: the legacy first-year-ACV commission, paid in full in the close month."""
from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from compcalc import ledger_lines as L
from compcalc.components import clawback as claw_rules
from compcalc.components import per_deal_cap
from compcalc.components import term_rates as by_term
from compcalc.components.base import Component, Money, Rate, register
from compcalc.components.clawback import AcvClawback
from compcalc.components.dated import Dated, ratios_on
from compcalc.components.tcv_commission import DealType
from compcalc.components.term_rates import TermRate
from compcalc.money import product, round_div
from compcalc.periods import NEVER


@register
class AcvCommission(Component):
    """Commission on first-year ACV, paid in full when the deal closes.

    Pays round(rate × min(arr, tcv)) in the close month. When the account churns within
    ``clawback.recover_paid_within_months`` of the close, the commission is clawed back in the churn
    month (``mode: pro_rata``: × (W − k) / W). ``rate`` may be dated (the close date's), ``term_rates``
    pick a rate by contract term and ``max_per_deal`` caps one rep's commission on a deal (× share). This
    is the plan most new-business teams are on today, and the one EX101 flags.
    """

    type: Literal["acv_commission"] = "acv_commission"
    rate: Dated[Rate]
    deal_types: tuple[DealType, ...] = ("new",)
    term_rates: tuple[TermRate, ...] = ()
    max_per_deal: Money | None = None
    clawback: AcvClawback = AcvClawback()

    _term_rates = by_term.term_rate_validator("term_rates")

    kinds = (L.COMMISSION, L.CLAWBACK)
    basis_name = "first-year ACV"
    example = """\
- id: land_acv
  type: acv_commission
  rate: 0.10
  clawback: {recover_paid_within_months: 6}
"""

    def pays_on(self, deal_type: str) -> bool:
        return deal_type in self.deal_types

    def compute(self, plan, ctx) -> pd.DataFrame:
        c = ctx.credits_on(plan.plan_id, self.deal_types)
        if c.empty:
            return L.empty_lines()
        mode = plan.rounding
        rn, rd, rate_text = by_term.apply(self.term_rates, c["term"].to_numpy(np.int64),
                                             *ratios_on(self.rate, c["date"].to_numpy()))
        arr = c["arr"].to_numpy(np.int64)
        tnum, tden = c["tcv_num"].to_numpy(np.int64), c["tcv_den"].to_numpy(np.int64)
        # min(arr, tcv) as an exact fraction over tden
        acv_num = np.minimum(product(arr, tden), tnum)
        sn, sd = c["share_num"].to_numpy(), c["share_den"].to_numpy()
        basis = round_div(product(acv_num, sn), product(tden, sd), mode)
        uncapped = round_div(product(rn, acv_num, sn), product(rd, tden, sd), mode)
        amount, limit, cut = per_deal_cap.cap(uncapped, self.max_per_deal, sn, sd, mode)
        note = per_deal_cap.join("", per_deal_cap.notes(cut, uncapped, limit, self.max_per_deal),
                                 ctx.overlay_notes(c))
        rep, deal, account = (c[k].to_numpy(object) for k in ("rep_id", "deal_id", "account_id"))
        close = c["month"].to_numpy(np.int64)
        frames = [L.make_lines(rep_id=rep, month=close, plan_id=plan.plan_id, component_id=self.id,
                               deal_id=deal, account_id=account, kind=L.COMMISSION, basis=basis,
                               rate=rate_text, amount=amount, note=note,
                               facts=per_deal_cap.facts(cut, uncapped, limit))]
        window = self.clawback.recover_paid_within_months
        if window:
            churn = ctx.first_churn(c["account_id"].to_numpy(object), c["date"].to_numpy())
            cm = churn["month"].to_numpy(np.int64)
            claw = (cm < NEVER) & (cm - close < window) & (amount != 0)
            if claw.any():
                i = np.flatnonzero(claw)
                back, rate, how = claw_rules.recovered(amount[i], cm[i] - close[i], window, self.clawback.mode, mode)
                frames.append(L.make_lines(
                    rep_id=rep[i], month=cm[i], plan_id=plan.plan_id, component_id=self.id, deal_id=deal[i],
                    account_id=account[i], kind=L.CLAWBACK, basis=amount[i], rate=rate, amount=-back,
                    note=per_deal_cap.join("clawed back: " + account[i] + " churned "
                                           + churn["date_text"].to_numpy(object)[i]
                                           + f" (within {window} months of close)", how)))
        return L.concat_lines(frames)
