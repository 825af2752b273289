"""tcv_commission: commission on total contract value, vested over 12–24 months."""
from __future__ import annotations

import math
from decimal import Decimal
from typing import Literal, NamedTuple

import numpy as np
import pandas as pd
from pydantic import Field

from compcalc import ledger_lines as L
from compcalc.components import clawback as claw_rules
from compcalc.components import per_deal_cap
from compcalc.components import term_rates as by_term
from compcalc.components.base import Component, Frozen, Money, Rate, register
from compcalc.components.clawback import Clawback
from compcalc.components.dated import Dated, ratios_on
from compcalc.components.term_rates import TermRate
from compcalc.money import format_cents_array, product, ratio, round_div
from compcalc.periods import NEVER

DealType = Literal["new", "expansion", "renewal", "contraction", "churn"]


@L.fact_type
class CommissionFacts(NamedTuple):
    """An upfront line's deal: the commission's basis (the credited, term-capped TCV) and rate, the
    commission before a per-deal cap and the cap (None when the cap did not bite)."""

    commission_basis: L.Cents
    commission_rate: str
    uncapped: L.Cents | None = None
    cap: L.Cents | None = None


@L.fact_type
class LossFacts(NamedTuple):
    """Why a forfeit or clawback happened: ``cause`` churn (``date`` the churn date) or left (the
    owner's leave month), in month index ``month``; ``window`` the clawback window in months."""

    cause: str
    month: L.Month
    date: str
    window: int = 0


class Vesting(Frozen):
    upfront_pct: Rate = 0
    months: int = Field(12, ge=0, le=120)
    cadence: Literal["monthly", "quarterly"] = "monthly"


@register
class TcvCommission(Component):
    """Commission on total contract value, paid part upfront and the rest vested over months.

    basis = TCV (scaled by min(term, max_term_months) / term when ``max_term_months`` is set);
    commission = round(rate × basis); upfront = round(commission × upfront_pct) in the close month; the
    rest in n installments (monthly: n = months, from close+1; quarterly: n = ceil(months / 3), at
    close+3, close+6, …), each round(rest / n) and the last the remainder. Churn forfeits installments
    after the churn month (``forfeit_unvested_on_churn``) and, within ``recover_paid_within_months`` of
    the close, claws back everything paid so far (``mode: pro_rata``: × (W − k) / W). The owner leaving
    forfeits installments after the end of their last assignment; a promotion does not. ``rate`` may be
    dated (the close date's rate, kept by the installments); ``term_rates`` pick a rate by contract
    term; ``max_per_deal`` caps one credited rep's commission on a deal (× share) before the split.
    """

    type: Literal["tcv_commission"] = "tcv_commission"
    rate: Dated[Rate]
    deal_types: tuple[DealType, ...] = ("new",)
    max_term_months: int | None = Field(None, ge=1, le=1200)
    term_rates: tuple[TermRate, ...] = ()
    max_per_deal: Money | None = None
    vesting: Vesting = Vesting()
    clawback: Clawback = Clawback()

    _term_rates = by_term.term_rate_validator("term_rates")

    kinds = (L.UPFRONT, L.INSTALLMENT, L.FORFEIT, L.CLAWBACK)
    basis_name = "TCV"
    example = """\
- id: land_tcv
  type: tcv_commission
  rate: 0.10
  max_term_months: 24
  vesting: {upfront_pct: 0.25, months: 12, cadence: monthly}
  clawback: {forfeit_unvested_on_churn: true, recover_paid_within_months: 3}
"""

    def pays_on(self, deal_type: str) -> bool:
        return deal_type in self.deal_types

    def explain(self, line, facts) -> list[str] | None:
        """An upfront line in finance's words, from its facts; other kinds: the shared wording."""
        from compcalc.explain_line import percent  # words only; no cycle at import time
        from compcalc.money import display

        if line["kind"] != L.UPFRONT or not isinstance(facts, CommissionFacts) or line["basis"] is None:
            return None
        commission, amount = int(line["basis"]), int(line["amount"])  # basis = the commission
        product = display(commission)
        if facts.cap is not None:
            product = f"{display(facts.uncapped)}, capped at {display(commission)} (max_per_deal {self.max_per_deal} × share)"
        return [f"commission {percent(facts.commission_rate)} × {self.basis_name} {display(facts.commission_basis)}"
                f" = {product}",
                f"{percent(line['rate'])} of it paid upfront in the close month: {display(amount)}"]

    def horizon_months(self) -> int:
        """The last installment's month after the close: quarterly installments fall every third month."""
        v = self.vesting
        return v.months if v.cadence == "monthly" else 3 * math.ceil(v.months / 3)

    def compute(self, plan, ctx) -> pd.DataFrame:
        c = ctx.credits_on(plan.plan_id, self.deal_types)
        if c.empty:
            return L.empty_lines()
        mode = plan.rounding
        term = c["term"].to_numpy(np.int64)
        rn, rd, rate_text = by_term.apply(self.term_rates, term, *ratios_on(self.rate, c["date"].to_numpy()))
        num = [c["share_num"].to_numpy(), c["tcv_num"].to_numpy()]
        den = [c["share_den"].to_numpy(), c["tcv_den"].to_numpy()]
        if self.max_term_months:
            num.append(np.minimum(term, self.max_term_months))
            den.append(term)
        basis = round_div(product(*num), product(*den), mode)
        uncapped = round_div(product(rn, *num), product(rd, *den), mode)
        commission, limit, cut = per_deal_cap.cap(uncapped, self.max_per_deal, c["share_num"].to_numpy(),
                                                  c["share_den"].to_numpy(), mode)
        cap_note = per_deal_cap.notes(cut, uncapped, limit, self.max_per_deal)
        credit_note = ctx.overlay_notes(c)

        months = self.vesting.months
        if months == 0:  # nothing vests: the whole commission is paid in the close month
            upfront, n, step = commission, 0, 1
        else:
            un, ud = ratio(self.vesting.upfront_pct)
            upfront = round_div(product(commission, un), ud, mode)  # int64 × 10 decimals can wrap
            n, step = (months, 1) if self.vesting.cadence == "monthly" else (math.ceil(months / 3), 3)
        rest = commission - upfront

        close = c["month"].to_numpy(np.int64)
        rep = c["rep_id"].to_numpy(object)
        deal = c["deal_id"].to_numpy(object)
        account = c["account_id"].to_numpy(object)
        churn = ctx.first_churn(c["account_id"].to_numpy(object), c["date"].to_numpy())
        churn_month = churn["month"].to_numpy(np.int64)
        leave_month = ctx.leave_months(rep)
        stop = np.minimum(churn_month if self.clawback.forfeit_unvested_on_churn else NEVER, leave_month)
        share_text = "1" if months == 0 else str(self.vesting.upfront_pct)
        # upfront = round(commission × upfront share): basis and rate say so; the deal's own basis, rate
        # and any per-deal cap travel as facts for the explanation.
        limits = [None] * len(c) if limit is None else np.asarray(limit).tolist()
        facts = [CommissionFacts(b, r, u if x > 0 else None, lim if x > 0 else None)
                 for b, r, u, lim, x in zip(basis.tolist(), rate_text.tolist(), uncapped.tolist(), limits, cut.tolist())]
        frames = [L.make_lines(rep_id=rep, month=close, plan_id=plan.plan_id, component_id=self.id,
                               deal_id=deal, account_id=account, kind=L.UPFRONT, basis=commission,
                               rate=share_text, amount=upfront, facts=facts,
                               note=per_deal_cap.join(_upfront_note(commission, share_text, len(c)),
                                                      cap_note, credit_note))]
        inst_note = per_deal_cap.join("", cap_note, credit_note)

        paid_by_churn = np.where(close <= churn_month, upfront, 0)
        if n:
            each = round_div(rest, n, mode)
            last = rest - each * (n - 1)
            idx = np.repeat(np.arange(len(c)), n)
            k = np.tile(np.arange(1, n + 1), len(c))
            due = close[idx] + k * step
            value = np.where(k == n, last[idx], each[idx])
            forfeited = due > stop[idx]
            paid = ~forfeited
            shown = due <= ctx.until  # the run's schedule ends there; don't build later lines
            pi = np.flatnonzero(paid & shown)
            frames.append(L.make_lines(
                rep_id=rep[idx[pi]], month=due[pi], plan_id=plan.plan_id, component_id=self.id,
                deal_id=deal[idx[pi]], account_id=account[idx[pi]], kind=L.INSTALLMENT,
                basis=rest[idx[pi]], amount=value[pi], installment=k[pi], installments=n,
                note=inst_note[idx[pi]] if np.ndim(inst_note) else inst_note))
            paid_inst = np.where(paid & (due <= churn_month[idx]), value, 0)
            forfeited &= shown
            if forfeited.any():
                fi = idx[forfeited]
                by_churn = (churn_month[fi] <= leave_month[fi]) & self.clawback.forfeit_unvested_on_churn
                churn_date = churn["date_text"].to_numpy(object)[fi]
                facts = [LossFacts("churn", int(cm), d) if bc else LossFacts("left", int(lm), "")
                         for bc, cm, lm, d in zip(by_churn.tolist(), churn_month[fi].tolist(),
                                                  leave_month[fi].tolist(), churn_date.tolist())]
                why = np.where(by_churn, "forfeited: " + account[fi] + " churned " + churn_date,
                               "forfeited: rep left in " + ctx.leave_periods(rep[fi]))
                frames.append(L.make_lines(
                    rep_id=rep[fi], month=due[forfeited], plan_id=plan.plan_id, component_id=self.id,
                    deal_id=deal[fi], account_id=account[fi], kind=L.FORFEIT, basis=value[forfeited],
                    amount=np.zeros(int(forfeited.sum()), dtype=np.int64), installment=k[forfeited],
                    installments=n, note=why, facts=facts))
            paid_by_churn = paid_by_churn + paid_inst.reshape(len(c), n).sum(axis=1)

        window = self.clawback.recover_paid_within_months
        claw = (churn_month < NEVER) & (churn_month - close < window) & (paid_by_churn != 0)
        if claw.any():
            ci = np.flatnonzero(claw)
            churn_date = churn["date_text"].to_numpy(object)[ci]
            back, rate, how = claw_rules.recovered(paid_by_churn[ci], churn_month[ci] - close[ci], window,
                                                   self.clawback.mode, mode)
            frames.append(L.make_lines(
                rep_id=rep[ci], month=churn_month[ci], plan_id=plan.plan_id, component_id=self.id,
                deal_id=deal[ci], account_id=account[ci], kind=L.CLAWBACK, basis=paid_by_churn[ci],
                rate=rate, amount=-back,
                facts=[LossFacts("churn", int(m), d, window) for m, d in zip(churn_month[ci].tolist(), churn_date.tolist())],
                note=per_deal_cap.join("clawed back: " + account[ci] + " churned " + churn_date
                                       + f" (within {window} months of close)", how)))
        return L.concat_lines(frames)


def _upfront_note(commission: np.ndarray, share: str, n: int) -> np.ndarray:
    return "commission " + format_cents_array(commission).astype(object) + f"; {(Decimal(share) * 100).normalize():f}% upfront"
