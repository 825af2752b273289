"""The plan-year view of a statement: month-by-month history, where the carry in came from, what is
coming (vesting and draws), pay against target, and the deals behind each quota's credits.

Every figure is read from the run's register and lines (integer cents), so it ties to register.csv and
lines.csv to the cent.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from compcalc.money import round_fraction, to_cents
from compcalc.periods import period

HORIZON = 6  # months of "coming up" shown after the statement month


@dataclass(frozen=True)
class HistoryMonth:
    """One month of the plan year as the register has it (zeros for a month without a row)."""

    month: int
    plan_id: str  # the plan of the assignment in force that month ("" when none)
    net: int
    carry_in: int
    draw: int
    payout: int
    carry_out: int

    @property
    def period(self) -> str:
        return period(self.month)


@dataclass(frozen=True)
class CarrySource:
    """Where a negative carry in came from: the months since the carry was last zero.

    carry_in = net − paid_from_earnings − draws_to_repay, over ``months`` (SPEC §4 with draws: a
    recoverable top-up is repaid from later earnings; a non-recoverable one is not)."""

    months: tuple[HistoryMonth, ...]
    net: int
    paid_from_earnings: int
    draws_to_repay: int
    draws_kept: int

    @property
    def span(self) -> str:
        first, last = self.months[0].month, self.months[-1].month
        return period(first) if first == last else f"{period(first)} to {period(last)}"


@dataclass(frozen=True)
class ComingMonth:
    month: int
    vesting: int  # deferred installments due that month (if the account and the rep stay)
    draw: int  # the guaranteed monthly draw in force that month (0: none)

    @property
    def period(self) -> str:
        return period(self.month)


@dataclass(frozen=True)
class TargetPay:
    """Earned this plan year against the plan's annual target incentive and OTE."""

    target_incentive: int  # annual, cents
    target_source: str  # how the target was found
    ote: int | None
    base_salary: int | None
    earned: int
    months_elapsed: int  # months of the plan year through the statement month (1-12)

    @property
    def share(self) -> Fraction | None:
        return Fraction(self.earned, self.target_incentive) if self.target_incentive else None

    @property
    def pace(self) -> Fraction:
        """The share of the year gone: where earnings would be if earned evenly."""
        return Fraction(self.months_elapsed, 12)

    @property
    def base_to_date(self) -> int | None:
        """Base salary for the months gone, rounded half up (shown for the OTE comparison only)."""
        return None if self.base_salary is None else round_fraction(Fraction(self.base_salary * self.months_elapsed, 12))


@dataclass(frozen=True)
class QuotaDeal:
    """One credited event behind a quota's credits."""

    deal_id: str
    account_id: str
    type: str
    month: int
    arr: int
    credit: int  # signed, cents, the rep's share, rounded with the plan's rounding
    share: str  # "" for a whole deal, else the split share

    @property
    def period(self) -> str:
        return period(self.month)


def history(register: dict, rep_id: str, first: int, last: int, plan_of) -> tuple[HistoryMonth, ...]:
    out = []
    for m in range(first, last + 1):
        net, ci, draw, payout, co = register.get((rep_id, m), (0, 0, 0, 0, 0))
        out.append(HistoryMonth(month=m, plan_id=plan_of(m), net=net, carry_in=ci, draw=draw, payout=payout,
                                carry_out=co))
    return tuple(out)


def carry_source(register: dict, rep_id: str, month: int, first_month: int, recoverable) -> CarrySource | None:
    """The months whose carry reaches ``month`` (back to the last month that started at zero)."""
    row = register.get((rep_id, month))
    if row is None or row[1] >= 0:
        return None
    months, m = [], month - 1
    while m >= first_month:
        net, ci, draw, payout, co = register.get((rep_id, m), (0, 0, 0, 0, 0))
        months.append(HistoryMonth(month=m, plan_id="", net=net, carry_in=ci, draw=draw, payout=payout, carry_out=co))
        if ci == 0:
            break
        m -= 1
    months.reverse()
    net = sum(x.net for x in months)
    paid = sum(x.payout - x.draw for x in months)
    repay = sum(x.draw for x in months if recoverable(x.month))
    kept = sum(x.draw for x in months) - repay
    return CarrySource(months=tuple(months), net=net, paid_from_earnings=paid, draws_to_repay=repay, draws_kept=kept)


def coming(vesting, month: int, draws: dict[int, int]) -> tuple[ComingMonth, ...]:
    """The next HORIZON months: deferred vesting due and the draw in force (months with neither left out)."""
    due: dict[int, int] = {}
    for deal in vesting:
        for run in deal.runs:
            if run.status != "deferred":
                continue
            step = (run.last_month - run.first_month) // (run.count - 1) if run.count > 1 else 0
            for i in range(run.count):
                m = run.first_month + i * step
                due[m] = due.get(m, 0) + run.each
    out = []
    for m in range(month + 1, month + HORIZON + 1):
        if due.get(m) or draws.get(m):
            out.append(ComingMonth(month=m, vesting=due.get(m, 0), draw=draws.get(m, 0)))
    return tuple(out)


def target_pay(plan, earned: int, months_elapsed: int) -> TargetPay | None:
    """The plan's annual target incentive: OTE − base salary when the plan gives both, else the sum of
    its quota components' target incentives; None when the plan says neither."""
    if plan is None:
        return None
    ote = to_cents(plan.ote) if plan.ote is not None else None
    base = to_cents(plan.base_salary) if plan.base_salary is not None else None
    if ote is not None and base is not None and ote > base:
        target, source = ote - base, "OTE − base salary"
    else:
        quotas = plan.components_of("quota_attainment")
        if not quotas:
            return None
        target, source = sum(to_cents(c.target_incentive) for c in quotas), "quota target incentive"
    return TargetPay(target_incentive=target, target_source=source, ote=ote, base_salary=base, earned=earned,
                     months_elapsed=months_elapsed)


class QuotaCredits:
    """The credited events of each quota component, indexed once by assignment (built on first use)."""

    def __init__(self, ctx, plans):
        self.ctx, self.plans = ctx, plans
        self._by_comp: dict[tuple[str, str], dict[int, list[QuotaDeal]]] = {}

    def deals(self, plan_id: str, comp, asg: int, first: int, last: int) -> tuple[QuotaDeal, ...]:
        index = self._by_comp.get((plan_id, comp.id))
        if index is None:
            index = self._by_comp[(plan_id, comp.id)] = self._index(plan_id, comp)
        return tuple(d for d in index.get(asg, ()) if first <= d.month <= last and d.credit)

    def _index(self, plan_id: str, comp) -> dict[int, list[QuotaDeal]]:
        c = self.ctx.credits_on(plan_id, comp.credited_types)
        if not len(c):
            return {}
        den = comp.credit_denominator(c)
        credit = comp.credits(c, den)  # the component knows which events count and with what sign
        rounding = self.plans[plan_id].rounding
        out: dict[int, list[QuotaDeal]] = {}
        share_num, share_den = c["share_num"].to_numpy(np.int64), c["share_den"].to_numpy(np.int64)
        for a, deal, account, kind, m, arr, v, sn, sd in zip(
                c["asg"].to_numpy(np.int64).tolist(), c["deal_id"].tolist(), c["account_id"].tolist(),
                c["type"].tolist(), c["month"].to_numpy(np.int64).tolist(), c["arr"].to_numpy(np.int64).tolist(),
                list(credit), share_num.tolist(), share_den.tolist()):
            out.setdefault(a, []).append(QuotaDeal(
                deal_id=deal, account_id=account, type=kind, month=m, arr=arr,
                credit=round_fraction(Fraction(int(v), den), rounding), share="" if sd == 1 else f"{sn}/{sd}"))
        for v in out.values():
            v.sort(key=lambda d: (d.month, d.deal_id))
        return out
