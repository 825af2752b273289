"""renewal_commission: the legacy flat renewal commission paid to whoever signs the renewal."""
from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from compcalc import ledger_lines as L
from compcalc.components import per_deal_cap
from compcalc.components.base import Component, Money, Rate, register
from compcalc.components.dated import Dated, ratios_on
from compcalc.money import product, round_div


@register
class RenewalCommission(Component):
    """Commission on each renewal the rep signs: on the full renewed ARR, or on the flat portion only.

    ``basis: full`` pays round(rate × arr) — renewal flat-paid to the signer, which EX104 flags;
    ``basis: flat_portion`` pays round(rate × min(arr, prior_arr)), leaving uplift to expansion pay.
    Paid in the close month. ``rate`` may be dated (the close date's); ``max_per_deal`` caps one rep's
    commission on a renewal (× share).
    """

    type: Literal["renewal_commission"] = "renewal_commission"
    rate: Dated[Rate]
    basis: Literal["full", "flat_portion"] = "flat_portion"
    max_per_deal: Money | None = None

    kinds = (L.COMMISSION,)
    basis_name = "renewal ARR"
    example = """\
- id: renewals
  type: renewal_commission
  rate: 0.03
  basis: flat_portion
"""

    def pays_on(self, deal_type: str) -> bool:
        return deal_type == "renewal"

    def compute(self, plan, ctx) -> pd.DataFrame:
        c = ctx.credits_on(plan.plan_id, ("renewal",))
        if c.empty:
            return L.empty_lines()
        arr = c["arr"].to_numpy(np.int64)
        base = arr if self.basis == "full" else np.minimum(arr, c["prior_arr"].to_numpy(np.int64))
        sn, sd = c["share_num"].to_numpy(), c["share_den"].to_numpy()
        rn, rd, rate_text = ratios_on(self.rate, c["date"].to_numpy())
        basis = round_div(product(base, sn), sd, plan.rounding)
        uncapped = round_div(product(rn, base, sn), product(rd, sd), plan.rounding)
        amount, limit, cut = per_deal_cap.cap(uncapped, self.max_per_deal, sn, sd, plan.rounding)
        note = per_deal_cap.join(f"renewal commission on the {self.basis.replace('_', ' ')}",
                                 per_deal_cap.notes(cut, uncapped, limit, self.max_per_deal), ctx.overlay_notes(c))
        return L.make_lines(rep_id=c["rep_id"].to_numpy(object), month=c["month"].to_numpy(np.int64),
                            plan_id=plan.plan_id, component_id=self.id, deal_id=c["deal_id"].to_numpy(object),
                            account_id=c["account_id"].to_numpy(object), kind=L.COMMISSION, basis=basis,
                            rate=rate_text, amount=amount, note=note,
                            facts=per_deal_cap.facts(cut, uncapped, limit))
