"""A rep's statement for one month, gathered from a run: what the writers (xlsx, html, pdf) and
``compcalc why`` show.

:class:`StatementBook` indexes a :class:`~compcalc.engine.RunResult` once; ``statement(rep, month)``
then gathers one rep's month: the month's lines grouped by component, each with its explanation;
year-to-date earnings per component (plan year of the rep's plan); quota, credits, attainment and tier
for quota plans; the vesting schedule of every TCV deal still vesting, including installments due
after the run's last month; and the register row (net, carry in, draw, payout, carry out).
Amounts are integer cents, as in the run.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

import numpy as np
import pandas as pd

from compcalc import ledger_lines as L
from compcalc.components.quota_attainment import ratio_text, share_text, tier_bands
from compcalc.explain_line import carry_in_text, carry_out_text, explain, headline, loss_text, payout_text
from compcalc.money import round_fraction
from compcalc.periods import NEVER, first_day, month_index, period, plan_year_start
from compcalc.statements.year import (HORIZON, CarrySource, ComingMonth, HistoryMonth, QuotaCredits, QuotaDeal, TargetPay,
                                      carry_source, coming, history, target_pay)

VESTING_KINDS = (L.UPFRONT, L.INSTALLMENT, L.FORFEIT, L.CLAWBACK)
# Status of a vesting row as of the statement month.
PAID, DEFERRED, FORFEITED, CLAWED_BACK = "paid", "deferred", "forfeited", "clawed back"
ADJUSTMENT = "adjustment"
# The line columns a statement's Line shows (its rep, month and facts are read separately).
_LINE_COLUMNS = tuple(c for c in L.COLUMNS if c not in ("rep_id", "month", "facts"))


class Line(NamedTuple):
    """One ledger line of the statement month, with how it came about (a tuple: the payout register
    builds one per line of the month, 230,000 at a million deals)."""

    plan_id: str
    component_id: str
    deal_id: str
    account_id: str
    kind: str
    basis: int | None
    rate: str
    amount: int
    installment: int | None
    installments: int | None
    note: str
    explanation: tuple[str, ...]

    @property
    def title(self) -> str:
        """The line's short title: ``D1 · A1 · installment 4 of 12`` (worded when asked: the register
        shows thousands of lines and none of their titles)."""
        return headline({"kind": self.kind, "installment": self.installment, "installments": self.installments,
                         "deal_id": self.deal_id, "account_id": self.account_id})

    @property
    def why(self) -> str:
        return "; ".join(self.explanation)

    @property
    def rate_value(self) -> Decimal | None:
        try:
            return Decimal(self.rate) if self.rate else None
        except ArithmeticError:
            return None

    @property
    def needs_reason(self) -> bool:
        """Clawbacks and forfeits carry their reason next to the amount (a cell comment in Excel)."""
        return self.kind in (L.CLAWBACK, L.FORFEIT)


assert Line._fields[:len(_LINE_COLUMNS)] == _LINE_COLUMNS  # Line(*columns, ...) below


@dataclass(frozen=True)
class Section:
    """The month's lines of one component."""

    plan_id: str
    component_id: str
    title: str
    type: str
    lines: tuple[Line, ...]

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines)


@dataclass(frozen=True)
class YearToDate:
    plan_id: str
    component_id: str
    title: str
    month: int  # this month's earnings on the component
    year_to_date: int


@dataclass(frozen=True)
class TierBand:
    tier: int
    lower: int
    upper: int | None
    multiplier: str
    range: str
    reached: bool


@dataclass(frozen=True)
class KickerStatus:
    """One kicker of the current quota period: its level, credits needed and prorated amount."""

    level: str  # share of quota, e.g. "100%"
    credits_needed: int  # cents: level × the period's quota
    amount: int  # cents, prorated by the period's active months
    reached: bool


@dataclass(frozen=True)
class QuotaStatus:
    """Where a quota component stands at its last line of the plan year (nothing yet: credits 0)."""

    plan_id: str
    component_id: str
    title: str
    as_of: int | None  # month of the last quota line in the plan year
    quota: int  # the prorated quota behind the last line, or the annual quota before any line
    quota_is_annual: bool
    credits: int
    attainment: str  # exact fraction of quota, e.g. "1.0844"
    tier: int
    multiplier: str
    earned_to_date: int
    bands: tuple[TierBand, ...]
    deals: tuple[QuotaDeal, ...] = ()  # the credited events of the quota period through the statement month
    period_label: str = "plan year"  # the quota period the card is about (SPEC §8.2), e.g. "2027-04 to 2027-06"
    kickers: tuple["KickerStatus", ...] = ()  # this period's kickers (SPEC §8.3), reached or still to reach
    kickers_paid: int = 0  # kicker lines of the plan year through the statement month
    true_up: int = 0  # the annual true-up paid in the plan year through the statement month

    @property
    def next_kicker(self) -> "KickerStatus | None":
        return next((k for k in self.kickers if not k.reached), None)

    @property
    def deal_credits(self) -> int:
        return sum(d.credit for d in self.deals)


@dataclass(frozen=True)
class VestingRun:
    """Consecutive installments of a deal with the same status, amount and reason."""

    first: int  # installment numbers, first and last of the run
    last: int
    of: int
    first_month: int  # when the first and the last fall due
    last_month: int
    each: int  # amount of each (for a forfeit: what each would have paid)
    status: str
    note: str

    @property
    def count(self) -> int:
        return self.last - self.first + 1

    @property
    def total(self) -> int:
        return self.each * self.count

    @property
    def what(self) -> str:
        if self.count == 1:
            return f"installment {self.first} of {self.of}"
        return f"installments {self.first}–{self.last} of {self.of}"

    @property
    def span(self) -> str:
        """When the installments fall due: ``2027-05`` or ``2027-05 to 2028-01, monthly``."""
        if self.count == 1:
            return period(self.first_month)
        step = (self.last_month - self.first_month) // (self.count - 1)
        every = "monthly" if step == 1 else f"every {step} months"
        return f"{period(self.first_month)} to {period(self.last_month)}, {every}"


@dataclass(frozen=True)
class Clawback:
    month: int
    amount: int  # negative: taken back from what was paid
    note: str


@dataclass(frozen=True)
class VestingDeal:
    """A TCV deal's commission and where each part of it stands as of the statement month.

    commission = upfront + installments paid + deferred + forfeited; clawed back is recovered from
    what was paid (a negative amount).
    """

    plan_id: str
    component_id: str
    deal_id: str
    account_id: str
    close_month: int
    basis: int | None
    rate: str
    upfront: int | None  # None when the run has no upfront line (nothing paid upfront)
    runs: tuple[VestingRun, ...]
    clawbacks: tuple[Clawback, ...]

    def _sum(self, status: str) -> int:
        return sum(r.total for r in self.runs if r.status == status)

    @property
    def paid(self) -> int:
        return (self.upfront or 0) + self._sum(PAID)

    @property
    def deferred(self) -> int:
        return self._sum(DEFERRED)

    @property
    def forfeited(self) -> int:
        return self._sum(FORFEITED)

    @property
    def clawed_back(self) -> int:
        return sum(c.amount for c in self.clawbacks)

    @property
    def commission(self) -> int:
        return self.paid + self.deferred + self.forfeited

    @property
    def reasons(self) -> tuple[str, ...]:
        notes = [c.note for c in self.clawbacks] + [r.note for r in self.runs if r.status == FORFEITED]
        return tuple(dict.fromkeys(n for n in notes if n))

    @property
    def next_due(self) -> int | None:
        due = [r.first_month for r in self.runs if r.status == DEFERRED]
        return min(due) if due else None

    def schedule(self) -> list[dict]:
        """The deal's payments in order, runs of equal installments merged, each saying when and why:
        {what, amount, each (amount is per installment), status, when, note}."""
        out = []
        if self.upfront is not None:
            out.append((self.close_month, 0, {"what": "upfront", "amount": self.upfront, "each": False, "status": PAID,
                                              "when": f"paid {period(self.close_month)}", "note": ""}))
        verbs = {PAID: ("paid", "paid"), DEFERRED: ("due", "due"), FORFEITED: ("was due", "were due")}
        for r in self.runs:
            verb = verbs[r.status][r.count > 1]
            out.append((r.first_month, 1, {"what": r.what, "amount": r.each, "each": r.count > 1, "status": r.status,
                                           "when": f"{verb} {r.span}", "note": r.note}))
        for c in self.clawbacks:
            out.append((c.month, 2, {"what": "clawback", "amount": c.amount, "each": False, "status": CLAWED_BACK,
                                     "when": f"in {period(c.month)}", "note": c.note}))
        return [entry for *_, entry in sorted(out, key=lambda t: (t[0], t[1]))]

    def detail(self) -> list[dict]:
        """Rows for the Excel vesting sheet: what is paid in one row, then deferred and forfeited runs
        (each saying when its installments fall due), and clawbacks.
        {what, due, each, count, amount (the row's total), status, note}."""
        out = []
        paid_runs = [r for r in self.runs if r.status == PAID]
        if self.upfront is not None or paid_runs:
            parts = ["upfront"] if self.upfront is not None else []
            months = [self.close_month] if self.upfront is not None else []
            if paid_runs:
                first, last = paid_runs[0], paid_runs[-1]
                parts.append(f"installment {first.first} of {first.of}" if first.first == last.last
                             else f"installments {first.first}–{last.last} of {first.of}")
                months += [first.first_month, last.last_month]
            span = period(months[0]) if months[0] == months[-1] else f"{period(months[0])} to {period(months[-1])}"
            out.append({"what": " + ".join(parts), "due": span, "each": None, "count": None, "amount": self.paid,
                        "status": PAID, "note": ""})
        for r in self.runs:
            if r.status != PAID:
                out.append({"what": r.what, "due": r.span, "each": r.each, "count": r.count, "amount": r.total,
                            "status": r.status, "note": r.note})
        for c in self.clawbacks:
            out.append({"what": "clawback", "due": period(c.month), "each": None, "count": None, "amount": c.amount,
                        "status": CLAWED_BACK, "note": c.note})
        return out


@dataclass(frozen=True)
class Statement:
    """One rep's statement for one month."""

    rep_id: str
    name: str
    plan_id: str
    plan_name: str
    currency: str
    month: int
    year_start: int  # first month of the rep's plan year
    sections: tuple[Section, ...]
    draw_line: Line | None
    year_to_date: tuple[YearToDate, ...]
    earned_year_to_date: int
    paid_year_to_date: int
    quotas: tuple[QuotaStatus, ...]
    vesting: tuple[VestingDeal, ...]
    net: int
    carry_in: int
    draw: int
    payout: int
    carry_out: int
    has_activity: bool = True
    history: tuple[HistoryMonth, ...] = ()  # the plan year's months through this one
    carry_from: CarrySource | None = None  # where a negative carry in came from
    coming: tuple[ComingMonth, ...] = ()  # vesting due and draws in the next months
    target: TargetPay | None = None
    forecast: tuple = ()  # "if these close": compcalc.forecast.DealForecast rows of the rep

    @property
    def forecast_weighted(self) -> int:
        return sum(f.weighted for f in self.forecast)

    @property
    def plans_in_year(self) -> tuple[str, ...]:
        """The plans behind this plan year's lines and months (more than one: a plan change)."""
        seen = [h.plan_id for h in self.history if h.plan_id] + [y.plan_id for y in self.year_to_date if y.plan_id]
        return tuple(dict.fromkeys(seen))

    @property
    def period(self) -> str:
        return period(self.month)

    @property
    def plan_year(self) -> str:
        return f"{period(self.year_start)} to {period(self.year_start + 11)}"

    @property
    def lines(self) -> tuple[Line, ...]:
        return tuple(line for s in self.sections for line in s.lines)

    @property
    def carry_in_text(self) -> str:
        return carry_in_text(self.carry_in, self.month) if self.carry_in else "no carry from last month"

    @property
    def carry_out_text(self) -> str:
        return carry_out_text(self.carry_out, self.month) if self.carry_out else "nothing carried forward"

    @property
    def payout_text(self) -> str:
        return payout_text(self.net, self.carry_in, self.draw, self.payout)

    @property
    def deferred(self) -> int:
        return sum(d.deferred for d in self.vesting)


def _plain(values) -> list:
    """A column as Python values, ``None`` where missing."""
    if isinstance(values.dtype, pd.api.extensions.ExtensionDtype) and values.dtype.kind in "iu":
        return [None if m else int(v) for v, m in zip(values.to_numpy(np.int64, na_value=0), values.isna().to_numpy())]
    if values.dtype.kind in "iu":
        return [int(v) for v in values.to_numpy()]
    return values.tolist()


def _records(frame: pd.DataFrame, columns) -> list[dict]:
    cols = {c: _plain(frame[c]) for c in columns}
    return [dict(zip(cols, row)) for row in zip(*cols.values())]


def _of_components(lines: pd.DataFrame, keys) -> np.ndarray:
    """Mask of the lines of the (plan_id, component_id) ``keys``."""
    pc = _text(lines["plan_id"]) + "\x1f" + _text(lines["component_id"])
    return np.isin(pc, np.array([f"{p}\x1f{c}" for p, c in keys], dtype=object))


def _text(col) -> np.ndarray:
    return np.asarray(col.to_numpy(dtype=object, na_value=""), dtype=object)


_LATER = object()  # a lazily built attribute not built yet


class StatementBook:
    """A run indexed for statements: ``statement(rep_id, month)`` for the run's months.

    Built for scale: lines become Python records only for the month being gathered (one month is kept
    at a time), year-to-date sums and the vesting schedule stay vectorised until a month is asked for.
    """

    def __init__(self, result, months=None):
        self.result = result
        self.book = result.book
        self.plans = result.book.plans
        self.through = result.through_month
        self.months = sorted(set(months or []) | {self.through})
        lines = result.lines
        self._all_lines = lines
        self._line_month = lines["month"].to_numpy(np.int64)
        reg = result.register
        self._register = {(r, int(m)): (int(n), int(ci), int(d), int(p), int(co)) for r, m, n, ci, d, p, co in zip(
            reg["rep_id"], reg["month"], reg["net"], reg["carry_in"], reg["draw"], reg["payout"], reg["carry_out"])}
        self._assignments: dict[str, list[tuple]] = {}
        self._spans: dict[str, list[tuple]] = {}  # rep -> [(start, end, assignment index)]
        self._components: dict[tuple[str, str], object] = {}
        a = result.context.assignments
        for rep, start, end, plan_id, name, quota, i in sorted(
                zip(a["rep_id"], a["start_month"], a["end_month"], a["plan_id"], a["name"], _plain(a["quota"]),
                    range(len(a))), key=lambda t: (t[0], t[1])):
            self._assignments.setdefault(rep, []).append((int(start), plan_id, name, quota))
            self._spans.setdefault(rep, []).append((int(start), int(end), i))
        self._active: dict[int, list[str]] = {}
        self._quota_credits = QuotaCredits(result.context, self.plans)
        self.forecasts: dict[str, tuple] = {}  # rep -> forecast rows, set by the caller (compcalc.forecast)
        self._year_window = _LATER  # (sums, quota lines), built for the first statement: the register needs none
        self._vesting_arrays = _LATER  # likewise
        self._month: int | None = None  # the month whose lines are held as records
        self._vesting_month: dict[str, tuple] | None = None  # of self._month, on first use
        self._draw_plan: dict | None = None  # rep -> {month: (draw, recoverable)}, on first use

    # -- the rep's plan ----------------------------------------------------------------------------
    def assignment(self, rep_id: str, month: int) -> tuple | None:
        """(start month, plan_id, name, quota) of the rep's assignment in force at ``month``."""
        rows = self._assignments.get(rep_id)
        if not rows:
            return None
        current = [r for r in rows if r[0] <= month]
        return current[-1] if current else rows[0]

    def plans_of(self, rep_id: str) -> list[str]:
        """The plans of every assignment of the rep, in date order."""
        return list(dict.fromkeys(plan_id for _, plan_id, _, _ in self._assignments.get(rep_id, [])))

    def component(self, plan_id: str, component_id: str):
        key = (plan_id, component_id)
        if key not in self._components:  # asked once per line: a plan's list is searched once per id
            plan = self.plans.get(plan_id)
            self._components[key] = plan.component(component_id) if plan is not None else None
        return self._components[key]

    def title(self, plan_id: str, component_id: str) -> str:
        if not plan_id and component_id in (ADJUSTMENT, L.DRAW):
            return "Manual adjustments" if component_id == ADJUSTMENT else "Draw top-ups"
        comp = self.component(plan_id, component_id)
        return (comp.label or comp.id) if comp is not None else component_id

    def reps(self, month: int) -> list[str]:
        """Reps with a statement for ``month``: a register row (any line, a draw or a carry), or an
        assignment in force that month (a statement that says nothing was earned)."""
        active = self._active.get(month)
        if active is None:
            held = {rep for rep, spans in self._spans.items() if any(s <= month <= e for s, e, *_ in spans)}
            active = self._active[month] = sorted(held | set(self.paid_reps(month)))
        return active

    def paid_reps(self, month: int) -> list[str]:
        """Reps with a register row for ``month`` (the payout register's rows)."""
        return sorted(rep for rep, m in self._register if m == month)

    def span(self, rep_id: str, month: int) -> tuple | None:
        """(start, end, assignment index) of the assignment in force at ``month``."""
        return next((s for s in self._spans.get(rep_id, ()) if s[0] <= month <= s[1]), None)

    def register_row(self, rep_id: str, month: int) -> tuple[int, int, int, int, int] | None:
        """(net, carry_in, draw, payout, carry_out) of the rep's month, or None without a register row."""
        return self._register.get((rep_id, month))

    def month_lines(self, rep_id: str, month: int) -> list[Line]:
        """The rep's lines of the month (draw top-ups included), explained."""
        self._load_month(month)
        return self._month_lines.get(rep_id, [])

    def _load_month(self, month: int) -> None:
        if self._month == month:
            return
        frame = self._all_lines[self._line_month == month]
        by_rep: dict[str, list[Line]] = {}
        keys = ("rep_id",) + _LINE_COLUMNS + ("facts",)
        component = self.component
        for row in zip(*(_plain(frame[c]) for c in keys)):  # row[1:-1] are a Line's first fields, in order
            rec = dict(zip(keys, row))
            line = Line(*row[1:-1], tuple(explain(rec, component(row[1], row[2]))))
            by_rep.setdefault(row[0], []).append(line)
        self._month, self._month_lines = month, by_rep
        self._vesting_month = None

    # -- statements --------------------------------------------------------------------------------
    def statements(self, month: int) -> list[Statement]:
        return [self.statement(rep, month) for rep in self.reps(month)]

    def statement(self, rep_id: str, month: int) -> Statement:
        asg = self.assignment(rep_id, month)
        plan_id, name, quota_override = (asg[1], asg[2], asg[3]) if asg else ("", rep_id, None)
        plan = self.plans.get(plan_id)
        year_start = plan_year_start(month, month_index(plan.year_start)) if plan is not None else month - 11
        month_lines = self.month_lines(rep_id, month)
        draw_lines = [x for x in month_lines if x.kind == L.DRAW]
        sections = self._sections([x for x in month_lines if x.kind != L.DRAW], plan_id)
        ytd = self._year_to_date(rep_id, month, year_start, sections, plan_id)
        reg = self._register.get((rep_id, month))
        net, carry_in, draw, payout, carry_out = reg if reg else (0, 0, 0, 0, 0)
        paid_ytd = sum(self._register.get((rep_id, m), (0, 0, 0, 0, 0))[3] for m in range(year_start, month + 1))
        first = max(year_start, self.result.first_month)
        earned_ytd = sum(y.year_to_date for y in ytd)
        vesting = self._vesting_of(month).get(rep_id, ())
        return Statement(
            rep_id=rep_id, name=name, plan_id=plan_id, plan_name=plan.name if plan is not None else plan_id,
            currency=plan.currency if plan is not None else self.book.currency, month=month, year_start=year_start,
            sections=sections, draw_line=draw_lines[0] if draw_lines else None, year_to_date=ytd,
            earned_year_to_date=earned_ytd, paid_year_to_date=paid_ytd,
            quotas=self._quotas(rep_id, month, year_start, plan, quota_override),
            vesting=vesting,
            net=net, carry_in=carry_in, draw=draw, payout=payout, carry_out=carry_out, has_activity=reg is not None,
            history=history(self._register, rep_id, first, month, lambda m: self._plan_at(rep_id, m)),
            carry_from=carry_source(self._register, rep_id, month, self.result.first_month,
                                    lambda m: self._draws(rep_id).get(m, (0, True))[1]),
            coming=coming(vesting, month, self._draws_after(rep_id, month)),
            target=target_pay(plan, earned_ytd, month - year_start + 1),
            forecast=self.forecasts.get(rep_id, ()))

    def _plan_at(self, rep_id: str, month: int) -> str:
        span = self.span(rep_id, month)
        if span is None:
            return ""
        return next(p for s, p, _, _ in self._assignments[rep_id] if s == span[0])

    def _draws(self, rep_id: str) -> dict[int, tuple[int, bool]]:
        """The rep's draw months as payouts schedules them (SPEC §3 Draws, §8.10): {month: (draw, recoverable)}."""
        if self._draw_plan is None:
            from compcalc.payouts import draw_schedule

            self._draw_plan = draw_schedule(self.result.context.assignments, self.result.first_month,
                                            max(self.months) + HORIZON)
        return self._draw_plan.get(rep_id, {})

    def _draws_after(self, rep_id: str, month: int) -> dict[int, int]:
        """The guaranteed draw of each coming month."""
        return {m: amount for m, (amount, _) in self._draws(rep_id).items() if month < m <= month + HORIZON}

    def component_key(self, plan_id: str):
        """Sort key for components: the rep's plan in its YAML order, then other plans, adjustments last."""
        def key(pc):
            p, c = pc
            if not p:
                return (2, "", 0, c)
            plan = self.plans.get(p)
            pos = next((i for i, comp in enumerate(plan.components) if comp.id == c), 99) if plan else 99
            return (0 if p == plan_id else 1, p, pos, c)
        return key

    def _sections(self, lines: list[Line], plan_id: str) -> tuple[Section, ...]:
        groups: dict[tuple, list[Line]] = {}
        for line in lines:
            groups.setdefault((line.plan_id, line.component_id), []).append(line)
        out = []
        for p, c in sorted(groups, key=self.component_key(plan_id)):
            comp = self.component(p, c)
            out.append(Section(plan_id=p, component_id=c, title=self.title(p, c),
                               type=comp.type if comp is not None else ("manual_adjustment" if c == ADJUSTMENT else c),
                               lines=tuple(groups[(p, c)])))
        return tuple(out)

    # -- year to date and quota ------------------------------------------------------------------------
    @property
    def _sums(self) -> dict[tuple, list[tuple]]:
        return self._windowed()[0]

    @property
    def _quota_lines(self) -> dict[tuple, list[dict]]:
        return self._windowed()[1]

    def _windowed(self):
        if self._year_window is _LATER:
            self._year_window = self._window(self._all_lines, self.months[0] - 11, self.months[-1])
        return self._year_window

    def _window(self, lines: pd.DataFrame, lo: int, hi: int):
        """Per rep and month, the earnings of each component (draws apart), and the quota lines."""
        m = self._line_month
        kind = lines["kind"].to_numpy(object)
        inside = (m >= lo) & (m <= hi)
        earned = lines[inside & (kind != L.DRAW)]
        sums: dict[tuple, list[tuple]] = {}
        if len(earned):
            grouped = earned.groupby(["rep_id", "month", "plan_id", "component_id"], sort=False)["amount"].sum()
            for (rep, month, plan_id, comp), amount in grouped.items():
                sums.setdefault((rep, int(month)), []).append((plan_id, comp, int(amount)))
        quota: dict[tuple, list[dict]] = {}
        quota_kinds = np.isin(kind, [L.QUOTA, L.KICKER, L.TRUE_UP])
        for rec in _records(lines[inside & quota_kinds], ("rep_id", "month") + _LINE_COLUMNS + ("facts",)):
            quota.setdefault((rec["rep_id"], rec["plan_id"], rec["component_id"]), []).append(rec)
        return sums, quota

    def _year_to_date(self, rep_id, month, year_start, sections, plan_id) -> tuple[YearToDate, ...]:
        totals: dict[tuple, int] = {}
        for m in range(year_start, month + 1):
            for p, c, amount in self._sums.get((rep_id, m), ()):
                totals[(p, c)] = totals.get((p, c), 0) + amount
        this_month = {(s.plan_id, s.component_id): s.total for s in sections}
        return tuple(YearToDate(plan_id=p, component_id=c, title=self.title(p, c), month=this_month.get((p, c), 0),
                                year_to_date=totals[(p, c)])
                     for p, c in sorted(totals, key=self.component_key(plan_id)))

    def _quotas(self, rep_id, month, year_start, plan, quota_override) -> tuple[QuotaStatus, ...]:
        if plan is None:
            return ()
        out = []
        span = self.span(rep_id, month)
        for comp in plan.components_of("quota_attainment"):
            lines = [r for r in self._quota_lines.get((rep_id, plan.plan_id, comp.id), ())
                     if year_start <= r["month"] <= month]
            hits = [r for r in lines if r["kind"] == L.QUOTA]
            last = max(hits, key=lambda r: r["month"]) if hits else None
            facts = last["facts"] if last is not None else None
            # the quota period the statement month is in, as the component prorates it
            current = None
            if span is not None:
                current = next((p for p in comp.periods(year_start, span[0], span[1], quota_override, plan.rounding)
                                if p.first <= month <= p.last), None)
            if current is not None:
                quota, annual = round_fraction(current.quota, plan.rounding), False
                label = "plan year" if comp.period == "year" else (
                    period(current.first) if current.first == current.last
                    else f"{period(current.first)} to {period(current.last)}")
            else:
                quota = comp.quota_on(first_day(year_start), quota_override)
                annual, label = True, "plan year"
            in_period = facts is not None and (current is None or facts.period_first == current.first)
            first = max(year_start, span[0], current.first if current is not None else year_start) if span else month
            deals = self._quota_credits.deals(plan.plan_id, comp, span[2], first, month) if span is not None else ()
            if in_period:
                credits, attainment, tier, as_of = last["basis"] or 0, facts.attainment, facts.tier, last["month"]
            elif current is not None and deals:  # credits that wrote no line yet (e.g. below the threshold)
                credits = max(0, sum(d.credit for d in deals))
                attainment = ratio_text(Fraction(credits), current.quota)
                tier, as_of = comp.tier_reached(Fraction(credits), current.quota), None
            else:
                credits, attainment, tier, as_of = 0, "0", 1, None
            earned = facts.earned_to_date if facts is not None else 0
            bands = tuple(TierBand(reached=b["tier"] == tier, **b) for b in tier_bands(comp, quota))
            kickers = ()
            if current is not None and current.quota > 0:
                needed = [round_fraction(level, plan.rounding) for level, _ in current.kickers]
                kickers = tuple(KickerStatus(level=share_text(k.at), credits_needed=n, amount=amount, reached=credits >= n)
                                for k, n, (_, amount) in zip(comp.kickers, needed, current.kickers))
            out.append(QuotaStatus(plan_id=plan.plan_id, component_id=comp.id, title=self.title(plan.plan_id, comp.id),
                                   as_of=as_of, quota=quota, quota_is_annual=annual, credits=credits,
                                   attainment=attainment, tier=tier,
                                   multiplier=bands[min(tier, len(bands)) - 1].multiplier if bands else "",
                                   earned_to_date=earned, bands=bands, deals=deals, period_label=label,
                                   kickers=kickers,
                                   kickers_paid=sum(int(r["amount"]) for r in lines if r["kind"] == L.KICKER),
                                   true_up=sum(int(r["amount"]) for r in lines if r["kind"] == L.TRUE_UP)))
        return tuple(out)

    # -- vesting -------------------------------------------------------------------------------------
    def _vesting_schedule(self, lines: pd.DataFrame, first_month: int) -> dict | None:
        """The vesting lines of every TCV deal still vesting at ``first_month``, as arrays sorted by deal:
        the run's lines through --through, and after it the installments still to come."""
        keys = {(p.plan_id, c.id) for p in self.plans.values() for c in p.components if c.type == "tcv_commission"}
        if not keys:
            return None
        tcv = _of_components(lines, keys)
        actual = lines[tcv & np.isin(lines["kind"].to_numpy(object), VESTING_KINDS)]
        future = self._scheduled(keys)  # the components' schedule after the run's last month
        frame = pd.concat([actual, future], ignore_index=True) if len(future) else actual
        if not len(frame):
            return None
        deal_key = ["rep_id", "plan_id", "component_id", "deal_id"]
        code = frame.groupby(deal_key, sort=True).ngroup().to_numpy(np.int64)
        month = frame["month"].to_numpy(np.int64)
        ncodes = int(code.max()) + 1
        last = np.full(ncodes, -1, dtype=np.int64)
        np.maximum.at(last, code, month)
        keep = last[code] >= first_month  # deals paid out before the first statement month are done
        frame, code, month = frame[keep], code[keep], month[keep]
        kind = frame["kind"].to_numpy(object)
        kind_code = np.select([kind == L.UPFRONT, kind == L.INSTALLMENT, kind == L.FORFEIT], [0, 1, 2], 3)
        inst = frame["installment"].to_numpy(np.int64, na_value=0)
        order = np.lexsort((inst, np.where(kind_code == 3, 2, np.minimum(kind_code, 1)), month, code))
        frame = frame.iloc[order]
        code, month, kind_code, inst = code[order], month[order], kind_code[order], inst[order]
        # the reason shown beside a forfeit or clawback, worded from its facts
        note = np.array([loss_text("forfeited" if kc == 2 else "clawed back", {"account_id": a}, f) if kc >= 2 else ""
                         for f, kc, a in zip(frame["facts"].to_numpy(object), kind_code.tolist(),
                                             _text(frame["account_id"]))], dtype=object)
        # A forfeit caused by a churn after a statement month was still expected in that month.
        churn_month = np.array([f.month if kc == 2 and f is not None and f.cause == "churn" else -1
                                for f, kc in zip(frame["facts"].to_numpy(object), kind_code.tolist())], dtype=np.int64)
        uniq, first = np.unique(code, return_index=True)
        vests = np.zeros(ncodes, dtype=bool)
        vests[code[(kind_code == 1) | (kind_code == 2)]] = True
        deals = frame.iloc[first]
        facts = self._deal_facts(actual)
        close = self.result.context.deals.set_index("deal_id")["month"]
        deal_close = close.reindex(deals["deal_id"].to_numpy(object)).fillna(-1).astype(np.int64).to_numpy()
        info = {}
        close_of = np.full(ncodes, NEVER, dtype=np.int64)  # codes left out above are never alive
        close_of[uniq] = deal_close
        for c, rep, p, comp, d, account, dc in zip(uniq.tolist(), _text(deals["rep_id"]), _text(deals["plan_id"]),
                                                     _text(deals["component_id"]), _text(deals["deal_id"]),
                                                     _text(deals["account_id"]), deal_close.tolist()):
            basis, rate = facts.get((rep, p, comp, d), (None, ""))
            info[c] = (rep, p, comp, d, account, dc, basis, rate)
        return {"code": code, "month": month, "kind": kind_code, "inst": inst, "churn": churn_month,
                "insts": frame["installments"].to_numpy(np.int64, na_value=0),
                "amount": frame["amount"].to_numpy(np.int64),
                "basis": frame["basis"].to_numpy(np.int64, na_value=0), "note": note,
                "close": close_of, "last": last, "vests": vests, "info": info}

    def _deal_facts(self, actual: pd.DataFrame) -> dict:
        """(basis, rate) of each deal from its upfront line's facts: the TCV basis and the commission rate."""
        up = actual[actual["kind"].to_numpy() == L.UPFRONT]
        keys = zip(_text(up["rep_id"]), _text(up["plan_id"]), _text(up["component_id"]), _text(up["deal_id"]))
        facts = [(f.commission_basis, f.commission_rate) if f is not None else (None, "")
                 for f in up["facts"].to_numpy(object)]
        return dict(zip(keys, facts))

    def _scheduled(self, keys) -> pd.DataFrame:
        """The lines the TCV components already scheduled after the run's last month (installments
        still to vest, as known at its end): the run's own ``scheduled`` lines."""
        scheduled = self.result.scheduled
        if scheduled is None:
            raise ValueError("statements need the run's schedule: compcalc.pipeline.run(book, through, schedule=True)")
        return scheduled[_of_components(scheduled, keys)]

    def _vesting_of(self, month: int) -> dict[str, tuple[VestingDeal, ...]]:
        """_vesting_for the month whose lines are loaded, computed once."""
        self._load_month(month)
        if self._vesting_month is None:
            self._vesting_month = self._vesting_for(month)
        return self._vesting_month

    def _vesting_for(self, month: int) -> dict[str, tuple[VestingDeal, ...]]:
        """Every rep's vesting deals as known at the end of ``month`` (status of each payment, runs of
        equal installments), computed over all deals at once."""
        if self._vesting_arrays is _LATER:
            # a deal's vesting as the inputs imply it: with closed months, what was paid plus the adjustments
            implied = getattr(self.result, "implied_lines", None)
            self._vesting_arrays = self._vesting_schedule(self._all_lines if implied is None else implied,
                                                          self.months[0])
        a = self._vesting_arrays
        if a is None:
            return {}
        code, m, k, info = a["code"], a["month"], a["kind"], a["info"]
        alive = (a["close"] <= month) & (a["last"] >= month) & a["vests"]
        sel = alive[code]
        # status: 0 paid, 1 deferred, 2 forfeited, 3 clawed back, -1 not known yet
        status = np.select([k == 0, k == 1, k == 2],
                           [0, np.where(m <= month, 0, 1), np.where(a["churn"] > month, 1, 2)],
                           np.where(m <= month, 3, -1))
        sel &= status >= 0
        idx = np.flatnonzero(sel)
        c, st, kk, mm = code[idx], status[idx], k[idx], m[idx]
        value = np.where(kk == 2, a["basis"][idx], a["amount"][idx])
        note = np.where((st == 2) | (st == 3), a["note"][idx], "")
        inst, insts = a["inst"][idx], a["insts"][idx]
        # Runs: consecutive installments of a deal with the same status, amount and reason.
        is_inst = (kk == 1) | (kk == 2)
        ii = np.flatnonzero(is_inst)
        if len(ii):
            ic, ist, iv, inote, inum = c[ii], st[ii], value[ii], note[ii], inst[ii]
            start = np.ones(len(ii), dtype=bool)
            start[1:] = ((ic[1:] != ic[:-1]) | (ist[1:] != ist[:-1]) | (iv[1:] != iv[:-1])
                         | (inote[1:] != inote[:-1]) | (inum[1:] != inum[:-1] + 1))
            starts = np.flatnonzero(start)
            ends = np.append(starts[1:], len(ii)) - 1
        else:
            starts = ends = np.array([], dtype=np.int64)
        runs: dict[int, list[VestingRun]] = {}
        names = {0: PAID, 1: DEFERRED, 2: FORFEITED}
        for s_, e_ in zip(starts.tolist(), ends.tolist()):
            i, j = ii[s_], ii[e_]
            runs.setdefault(int(c[i]), []).append(VestingRun(
                first=int(inst[i]), last=int(inst[j]), of=int(insts[i]), first_month=int(mm[i]),
                last_month=int(mm[j]), each=int(value[i]), status=names[int(st[i])], note=note[i]))
        upfront, claws = {}, {}
        for i in np.flatnonzero(kk == 0).tolist():
            upfront[int(c[i])] = int(value[i])
        for i in np.flatnonzero(kk == 3).tolist():
            claws.setdefault(int(c[i]), []).append(Clawback(month=int(mm[i]), amount=int(value[i]), note=note[i]))
        out: dict[str, list[VestingDeal]] = {}
        for deal_code in np.unique(c).tolist():
            rep, p, comp, d, account, close_month, basis, rate = info[deal_code]
            out.setdefault(rep, []).append(VestingDeal(
                plan_id=p, component_id=comp, deal_id=d, account_id=account, close_month=close_month, basis=basis,
                rate=rate, upfront=upfront.get(deal_code), runs=tuple(runs.get(deal_code, ())),
                clawbacks=tuple(claws.get(deal_code, ()))))
        return {rep: tuple(sorted(v, key=lambda x: (x.close_month, x.deal_id, x.plan_id, x.component_id)))
                for rep, v in out.items()}
