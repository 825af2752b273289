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

import dataclasses
import math
import re
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

from compcalc import ledger_lines as L
from compcalc.crediting import Context
from compcalc.explain_line import (carry_in_text, carry_out_text, explain, headline, payout_text, quota_note,
                                   tier_bands)
from compcalc.money import to_cents
from compcalc.periods import last_day, month_index, period, plan_year_start

VESTING_KINDS = (L.UPFRONT, L.INSTALLMENT, L.FORFEIT, L.CLAWBACK)
# Status of a vesting row as of the statement month.
PAID, DEFERRED, FORFEITED, CLAWED_BACK = "paid", "deferred", "forfeited", "clawed back"
ADJUSTMENT = "adjustment"
_ROW_ORDER = {L.UPFRONT: 0, L.CLAWBACK: 2}  # within a month: upfront, installments, then a clawback
_CHURNED = re.compile(r"churned (\d{4})-(\d{2})-\d{2}")
_LINE_COLUMNS = ("plan_id", "component_id", "deal_id", "account_id", "kind", "basis", "rate", "amount",
                 "installment", "installments", "note")


@dataclass(frozen=True)
class Line:
    """One ledger line of the statement month, with how it came about."""

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
    title: str
    explanation: tuple[str, ...]

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


@dataclass(frozen=True)
class VestingRow:
    """One payment of a vested deal: upfront, an installment, or a clawback."""

    kind: str
    number: int | None
    of: int | None
    month: int
    amount: int  # for a forfeited installment: the value that is not paid
    status: str
    note: str

    @property
    def title(self) -> str:
        if self.kind in (L.INSTALLMENT, L.FORFEIT):
            return f"installment {self.number} of {self.of}"
        return {L.UPFRONT: "upfront", L.CLAWBACK: "clawback"}.get(self.kind, self.kind)


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
    commission: int
    paid: int
    deferred: int
    forfeited: int
    clawed_back: int
    rows: tuple[VestingRow, ...]

    @property
    def reasons(self) -> tuple[str, ...]:
        seen = dict.fromkeys(r.note for r in self.rows if r.status in (FORFEITED, CLAWED_BACK) and r.note)
        return tuple(seen)

    @property
    def next_due(self) -> int | None:
        due = [r.month for r in self.rows if r.status == DEFERRED]
        return min(due) if due else None

    def schedule(self) -> list[dict]:
        """The deal's payments in order, consecutive equal installments merged, each with when and why:
        {what, amount, each (amount is per installment), status, when, note}."""
        out: list[dict] = []
        runs = iter(self.runs())
        pending = next(runs, None)
        for r in self.rows:
            if r.kind in (L.INSTALLMENT, L.FORFEIT):
                if pending is not None and pending["from_number"] == r.number:
                    out.append(_run_entry(pending))
                    pending = next(runs, None)
                continue
            out.append({"what": r.title, "amount": r.amount, "each": False, "status": r.status,
                        "when": f"{'paid' if r.status == PAID else 'in'} {period(r.month)}", "note": r.note})
        return out

    def detail(self) -> list[dict]:
        """Rows for the Excel vesting sheet: what is paid in one row, then deferred and forfeited
        installments in runs of equal amounts (each run says when its installments fall due), and
        clawbacks. {what, due, each, count, amount (the row's total), status, note}."""
        paid = [r for r in self.rows if r.status == PAID]
        out = []
        if paid:
            parts = ["upfront"] if any(r.kind == L.UPFRONT for r in paid) else []
            inst = [r for r in paid if r.kind == L.INSTALLMENT]
            if inst:
                first, last = inst[0].number, inst[-1].number
                parts.append(f"installment {first} of {inst[0].of}" if first == last
                             else f"installments {first}–{last} of {inst[0].of}")
            span = period(paid[0].month) if paid[0].month == paid[-1].month else \
                f"{period(paid[0].month)} to {period(paid[-1].month)}"
            out.append({"what": " + ".join(parts), "due": span, "each": None, "count": None,
                        "amount": sum(r.amount for r in paid), "status": PAID, "note": ""})
        for run in self.runs():
            if run["status"] == PAID:
                continue
            entry = _run_entry(run)
            out.append({"what": entry["what"], "due": entry["span"], "each": run["amount"], "count": run["count"],
                        "amount": run["amount"] * run["count"], "status": run["status"], "note": run["note"]})
        for r in self.rows:
            if r.status == CLAWED_BACK:
                out.append({"what": r.title, "due": period(r.month), "each": None, "count": None, "amount": r.amount,
                            "status": CLAWED_BACK, "note": r.note})
        return out

    def runs(self) -> list[dict]:
        """Consecutive installments with the same status and amount, for a compact schedule."""
        out: list[dict] = []
        for r in self.rows:
            if r.kind not in (L.INSTALLMENT, L.FORFEIT):
                continue
            last = out[-1] if out else None
            if (last and last["status"] == r.status and last["amount"] == r.amount and last["note"] == r.note
                    and last["to_number"] + 1 == r.number):
                last["to_number"], last["to_month"] = r.number, r.month
                last["count"] += 1
            else:
                out.append({"status": r.status, "amount": r.amount, "note": r.note, "from_number": r.number,
                            "to_number": r.number, "of": r.of, "from_month": r.month, "to_month": r.month,
                            "count": 1})
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


class StatementBook:
    """A run indexed for statements: ``statement(rep_id, month)`` for any month of the run."""

    def __init__(self, result, months=None):
        self.result = result
        self.book = result.book
        self.plans = result.book.plans
        self.through = result.through_month
        months = sorted(set(months)) if months is not None else [self.through]
        lo = min(months) - 12 if months else result.first_month
        lines = result.lines
        lm = lines["month"].to_numpy(np.int64)
        lines = lines[(lm >= lo) & (lm <= max(months, default=self.through))]
        self._lines = _records(lines, ("rep_id", "month") + _LINE_COLUMNS)
        self._by_rep_month: dict[tuple, list[int]] = {}
        for i, rec in enumerate(self._lines):
            self._by_rep_month.setdefault((rec["rep_id"], rec["month"]), []).append(i)
        reg = result.register
        self._register = {(r, int(m)): (int(n), int(ci), int(d), int(p), int(co)) for r, m, n, ci, d, p, co in zip(
            reg["rep_id"], reg["month"], reg["net"], reg["carry_in"], reg["draw"], reg["payout"], reg["carry_out"])}
        self._assignments: dict[str, list[tuple]] = {}
        a = result.context.assignments
        for rep, start, plan_id, name, quota in sorted(zip(a["rep_id"], a["start_month"], a["plan_id"], a["name"],
                                                          _plain(a["quota"])), key=lambda t: (t[0], t[1])):
            self._assignments.setdefault(rep, []).append((int(start), plan_id, name, quota))
        self._schedule, self._schedule_by_rep = self._vesting_schedule(result.lines, min(months, default=self.through))
        self._explained: dict[int, tuple[str, tuple[str, ...]]] = {}

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
        plan = self.plans.get(plan_id)
        return plan.component(component_id) if plan is not None else None

    def title(self, plan_id: str, component_id: str) -> str:
        if not plan_id and component_id in (ADJUSTMENT, L.DRAW):
            return "Manual adjustments" if component_id == ADJUSTMENT else "Draw top-ups"
        comp = self.component(plan_id, component_id)
        return (comp.label or comp.id) if comp is not None else component_id

    def reps(self, month: int) -> list[str]:
        """Reps with a statement for ``month``: a register row (any line, a draw or a carry)."""
        return sorted(rep for rep, m in self._register if m == month)

    def month_lines(self, rep_id: str, month: int) -> list[Line]:
        """The rep's lines of the month (draw top-ups included), explained."""
        return [self._line(i) for i in self._by_rep_month.get((rep_id, month), [])]

    def register_row(self, rep_id: str, month: int) -> tuple[int, int, int, int, int] | None:
        """(net, carry_in, draw, payout, carry_out) of the rep's month, or None without a register row."""
        return self._register.get((rep_id, month))

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
        return Statement(
            rep_id=rep_id, name=name, plan_id=plan_id, plan_name=plan.name if plan is not None else plan_id,
            currency=plan.currency if plan is not None else self.book.currency, month=month, year_start=year_start,
            sections=sections, draw_line=draw_lines[0] if draw_lines else None, year_to_date=ytd,
            earned_year_to_date=sum(y.year_to_date for y in ytd), paid_year_to_date=paid_ytd,
            quotas=self._quotas(rep_id, month, year_start, plan, quota_override),
            vesting=self._vesting(rep_id, month),
            net=net, carry_in=carry_in, draw=draw, payout=payout, carry_out=carry_out, has_activity=reg is not None)

    def _line(self, i: int) -> Line:
        rec = self._lines[i]
        if i not in self._explained:
            comp = self.component(rec["plan_id"], rec["component_id"])
            self._explained[i] = (headline(rec), tuple(explain(rec, comp)))
        title, why = self._explained[i]
        return Line(**{k: rec[k] for k in _LINE_COLUMNS}, title=title, explanation=why)

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

    def _year_to_date(self, rep_id, month, year_start, sections, plan_id) -> tuple[YearToDate, ...]:
        totals: dict[tuple, int] = {}
        for m in range(year_start, month + 1):
            for i in self._by_rep_month.get((rep_id, m), []):
                rec = self._lines[i]
                if rec["kind"] != L.DRAW:
                    key = (rec["plan_id"], rec["component_id"])
                    totals[key] = totals.get(key, 0) + rec["amount"]
        this_month = {(s.plan_id, s.component_id): s.total for s in sections}
        return tuple(YearToDate(plan_id=p, component_id=c, title=self.title(p, c), month=this_month.get((p, c), 0),
                                year_to_date=totals[(p, c)])
                     for p, c in sorted(totals, key=self.component_key(plan_id)))

    def _quotas(self, rep_id, month, year_start, plan, quota_override) -> tuple[QuotaStatus, ...]:
        if plan is None:
            return ()
        out = []
        for comp in plan.components_of("quota_attainment"):
            last = None
            for m in range(month, year_start - 1, -1):
                hits = [self._lines[i] for i in self._by_rep_month.get((rep_id, m), [])
                        if self._lines[i]["kind"] == L.QUOTA and self._lines[i]["plan_id"] == plan.plan_id
                        and self._lines[i]["component_id"] == comp.id]
                if hits:
                    last = hits[-1]
                    break
            facts = quota_note(last["note"]) if last is not None else None
            if facts is not None:
                quota, annual, credits = facts["quota"], False, last["basis"] or 0
                attainment, tier, earned, as_of = last["rate"], facts["tier"], facts["earned_to_date"], last["month"]
            else:
                quota = int(quota_override) if quota_override is not None else to_cents(comp.quota)
                annual, credits, attainment, tier, earned, as_of = True, 0, "0", 1, 0, None
            bands = tuple(TierBand(reached=b["tier"] == tier, **b) for b in tier_bands(comp, quota))
            out.append(QuotaStatus(plan_id=plan.plan_id, component_id=comp.id, title=self.title(plan.plan_id, comp.id),
                                   as_of=as_of, quota=quota, quota_is_annual=annual, credits=credits,
                                   attainment=attainment, tier=tier,
                                   multiplier=bands[min(tier, len(bands)) - 1].multiplier if bands else "",
                                   earned_to_date=earned, bands=bands))
        return tuple(out)

    # -- vesting -------------------------------------------------------------------------------------
    def _vesting_schedule(self, lines_all: pd.DataFrame, first_month: int):
        """The TCV-commission lines of every deal still vesting at ``first_month``: the run's (through
        --through) and, after it, the installments still to come; plus each deal's close month, basis
        and rate (from its upfront line, which the run leaves out when it is zero)."""
        keys = {(p.plan_id, c.id) for p in self.plans.values() for c in p.components if c.type == "tcv_commission"}
        self._deal_facts: dict[tuple, tuple] = {}
        if not keys:
            return [], {}
        tcv = pd.Series([f"{p}\x1f{c}" for p, c in keys])
        pc = lines_all["plan_id"].astype(str) + "\x1f" + lines_all["component_id"].astype(str)
        actual = lines_all[pc.isin(tcv).to_numpy() & lines_all["kind"].isin(VESTING_KINDS).to_numpy()]
        projected = self._projected_vesting(keys)
        future = projected[projected["month"].to_numpy() > self.through]
        frame = pd.concat([actual, future], ignore_index=True) if len(future) else actual
        deal_key = ["rep_id", "plan_id", "component_id", "deal_id"]
        # Deals whose last payment came before the first statement month are done: leave them out.
        last = frame.groupby(deal_key, sort=False)["month"].transform("max")
        frame = frame[last.to_numpy() >= first_month]
        upfront = projected[projected["kind"].to_numpy() == L.UPFRONT]
        upfront = upfront.merge(frame[deal_key].drop_duplicates(), on=deal_key, how="inner")
        for rec in _records(upfront, deal_key + ["month", "basis", "rate"]):
            self._deal_facts[tuple(rec[k] for k in deal_key)] = (rec["month"], rec["basis"], rec["rate"])
        records = _records(frame, ("rep_id", "month") + _LINE_COLUMNS)
        by_rep: dict[str, list[int]] = {}
        for i, rec in enumerate(records):
            by_rep.setdefault(rec["rep_id"], []).append(i)
        return records, by_rep

    def _projected_vesting(self, keys) -> pd.DataFrame:
        """Every line the TCV components produce for the deals known at the end of the run's last month,
        over a horizon long enough for their last installment."""
        book = self.book
        deals = book.deals
        if len(deals) and deals["close_date"].max() > pd.Timestamp(last_day(self.through)):
            # Deals after the run's last month are not known yet as of it.
            book = dataclasses.replace(book, deals=deals[deals["close_date"] <= pd.Timestamp(last_day(self.through))])
        horizon = max(_vesting_span(self.plans[p].component(c)) for p, c in keys)
        ctx = Context(book, self.through + horizon)
        frames = [self.plans[p].component(c).compute(self.plans[p], ctx) for p, c in sorted(keys)]
        frames = [f for f in frames if len(f)]
        return pd.concat(frames, ignore_index=True) if frames else L.empty_lines()

    def _vesting(self, rep_id: str, month: int) -> tuple[VestingDeal, ...]:
        deals: dict[tuple, list[dict]] = {}
        for i in self._schedule_by_rep.get(rep_id, []):
            rec = self._schedule[i]
            deals.setdefault((rec["plan_id"], rec["component_id"], rec["deal_id"]), []).append(rec)
        out = []
        for (p, c, d), recs in deals.items():
            close, basis, rate = self._deal_facts.get((rep_id, p, c, d), (min(r["month"] for r in recs), None, ""))
            vests = any(r["kind"] in (L.INSTALLMENT, L.FORFEIT) for r in recs)
            if close > month or not vests or max(r["month"] for r in recs) < month:
                continue
            rows = []
            for r in sorted(recs, key=lambda r: (r["month"], _ROW_ORDER.get(r["kind"], 1), r["installment"] or 0)):
                status = _status(r, month)
                if status is None:
                    continue
                amount = r["basis"] if r["kind"] == L.FORFEIT else r["amount"]
                rows.append(VestingRow(kind=r["kind"], number=r["installment"], of=r["installments"],
                                       month=r["month"], amount=amount, status=status,
                                       note=r["note"] if status in (FORFEITED, CLAWED_BACK) else ""))
            by = {s: sum(x.amount for x in rows if x.status == s and x.kind != L.CLAWBACK)
                  for s in (PAID, DEFERRED, FORFEITED)}
            out.append(VestingDeal(
                plan_id=p, component_id=c, deal_id=d, account_id=recs[0]["account_id"], close_month=close,
                basis=basis, rate=rate,
                commission=by[PAID] + by[DEFERRED] + by[FORFEITED], paid=by[PAID], deferred=by[DEFERRED],
                forfeited=by[FORFEITED], clawed_back=sum(x.amount for x in rows if x.status == CLAWED_BACK),
                rows=tuple(rows)))
        out.sort(key=lambda v: (v.close_month, v.deal_id, v.plan_id, v.component_id))
        return tuple(out)


def _vesting_span(component) -> int:
    """Months from a deal's close to its last installment, and one more."""
    v = component.vesting
    return (v.months if v.cadence == "monthly" else 3 * math.ceil(v.months / 3)) + 1


def _run_entry(run: dict) -> dict:
    n, first, last = run["count"], period(run["from_month"]), period(run["to_month"])
    if n == 1:
        what = f"installment {run['from_number']} of {run['of']}"
        when = first
    else:
        what = f"installments {run['from_number']}–{run['to_number']} of {run['of']}"
        step = (run["to_month"] - run["from_month"]) // (n - 1)
        every = "monthly" if step == 1 else f"every {step} months"
        when = f"{first} to {last}, {every}"
    verb = {PAID: "paid", DEFERRED: "due", FORFEITED: "were due" if n > 1 else "was due"}[run["status"]]
    return {"what": what, "amount": run["amount"], "each": n > 1, "status": run["status"],
            "when": f"{verb} {when}", "span": when, "note": run["note"]}


def _status(rec: dict, month: int) -> str | None:
    """A vesting row's status as known at the end of ``month`` (None: not known yet)."""
    kind, due = rec["kind"], rec["month"]
    if kind == L.UPFRONT:
        return PAID
    if kind == L.INSTALLMENT:
        return PAID if due <= month else DEFERRED
    if kind == L.CLAWBACK:
        return CLAWED_BACK if due <= month else None
    # A forfeit caused by a churn after the statement month was still expected then.
    m = _CHURNED.search(rec["note"] or "")
    if m and (int(m.group(1)) * 12 + int(m.group(2)) - 1) > month:
        return DEFERRED
    return FORFEITED

