"""tcv_commission: commission on total contract value, vested over 12–24 months."""
from __future__ import annotations

import math
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import Field

from compcalc import ledger_lines as L
from compcalc.components.base import DEAL_TYPES, Component, Frozen, Rate, register
from compcalc.money import format_cents_array, product, ratio, round_div
from compcalc.periods import NEVER

DealType = Literal["new", "expansion", "renewal", "contraction", "churn"]


class Vesting(Frozen):
    upfront_pct: Rate = 0
    months: int = Field(12, ge=0, le=120)
    cadence: Literal["monthly", "quarterly"] = "monthly"


class Clawback(Frozen):
    forfeit_unvested_on_churn: bool = True
    recover_paid_within_months: int = Field(0, ge=0, le=1200)


@register
class TcvCommission(Component):
    """Commission on total contract value, paid part upfront and the rest vested over months.

    basis = TCV (scaled by min(term, max_term_months) / term when ``max_term_months`` is set);
    commission = round(rate × basis); upfront = round(commission × upfront_pct) in the close month; the
    rest in n installments (monthly: n = months, from close+1; quarterly: n = ceil(months / 3), at
    close+3, close+6, …), each round(rest / n) and the last the remainder. Churn forfeits installments
    after the churn month (``forfeit_unvested_on_churn``) and, within ``recover_paid_within_months`` of
    the close, claws back everything paid so far. The owner leaving forfeits installments after the end
    of their last assignment; a promotion does not.
    """

    type: Literal["tcv_commission"] = "tcv_commission"
    rate: Rate
    deal_types: tuple[DealType, ...] = ("new",)
    max_term_months: int | None = Field(None, ge=1, le=1200)
    vesting: Vesting = Vesting()
    clawback: Clawback = Clawback()

    kinds = (L.UPFRONT, L.INSTALLMENT, L.FORFEIT, L.CLAWBACK)
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

    def compute(self, plan, ctx) -> pd.DataFrame:
        c = ctx.credits_on(plan.plan_id, self.deal_types)
        if c.empty:
            return L.empty_lines()
        mode = plan.rounding
        rn, rd = ratio(self.rate)
        term = c["term"].to_numpy(np.int64)
        num = [c["share_num"].to_numpy(), c["tcv_num"].to_numpy()]
        den = [c["share_den"].to_numpy(), c["tcv_den"].to_numpy()]
        if self.max_term_months:
            num.append(np.minimum(term, self.max_term_months))
            den.append(term)
        basis = round_div(product(*num), product(*den), mode)
        commission = round_div(product(rn, *num), product(rd, *den), mode)

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
        rate_text = str(self.rate)
        frames = [L.make_lines(rep_id=rep, month=close, plan_id=plan.plan_id, component_id=self.id,
                               deal_id=deal, account_id=account, kind=L.UPFRONT, basis=basis,
                               rate=rate_text, amount=upfront,
                               note=_upfront_note(commission, self.vesting.upfront_pct, len(c)))]

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
            shown = due <= ctx.through_month  # the run writes nothing later; don't build those lines
            pi = np.flatnonzero(paid & shown)
            frames.append(L.make_lines(
                rep_id=rep[idx[pi]], month=due[pi], plan_id=plan.plan_id, component_id=self.id,
                deal_id=deal[idx[pi]], account_id=account[idx[pi]], kind=L.INSTALLMENT,
                basis=rest[idx[pi]], amount=value[pi], installment=k[pi], installments=n))
            paid_inst = np.where(paid & (due <= churn_month[idx]), value, 0)
            forfeited &= shown
            if forfeited.any():
                fi = idx[forfeited]
                by_churn = (churn_month[fi] <= leave_month[fi]) & self.clawback.forfeit_unvested_on_churn
                why = np.where(by_churn, "forfeited: " + account[fi] + " churned " + churn["date_text"].to_numpy(object)[fi],
                               "forfeited: rep left in " + ctx.leave_periods(rep[fi]))
                frames.append(L.make_lines(
                    rep_id=rep[fi], month=due[forfeited], plan_id=plan.plan_id, component_id=self.id,
                    deal_id=deal[fi], account_id=account[fi], kind=L.FORFEIT, basis=value[forfeited],
                    amount=np.zeros(int(forfeited.sum()), dtype=np.int64), installment=k[forfeited],
                    installments=n, note=why))
            paid_by_churn = paid_by_churn + paid_inst.reshape(len(c), n).sum(axis=1)

        window = self.clawback.recover_paid_within_months
        claw = (churn_month < NEVER) & (churn_month - close < window) & (paid_by_churn != 0)
        if claw.any():
            ci = np.flatnonzero(claw)
            frames.append(L.make_lines(
                rep_id=rep[ci], month=churn_month[ci], plan_id=plan.plan_id, component_id=self.id,
                deal_id=deal[ci], account_id=account[ci], kind=L.CLAWBACK, basis=paid_by_churn[ci],
                rate="-1", amount=-paid_by_churn[ci],
                note="clawed back: " + account[ci] + " churned " + churn["date_text"].to_numpy(object)[ci]
                     + f" (within {window} months of close)"))
        return L.concat_lines(frames)


def _upfront_note(commission: np.ndarray, pct, n: int) -> np.ndarray:
    return "commission " + format_cents_array(commission).astype(object) + f"; {pct * 100:g}% upfront"
