"""The payout register of one month: one row per rep (what payroll imports) and the month's lines
by component (what finance audits)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from compcalc.periods import period
from compcalc.schema import REGISTER_MONEY
from compcalc.statements.model import Line, StatementBook


@dataclass(frozen=True)
class RegisterRow:
    rep_id: str
    name: str
    plan_id: str
    plan_name: str
    currency: str
    net: int
    carry_in: int
    draw: int
    payout: int
    carry_out: int

    @classmethod
    def of(cls, statements: StatementBook, rep_id: str, month: int, **extra) -> "RegisterRow":
        """The rep's row of the month: the assignment then in force (plan, name, currency) and the
        register's figures (zeros for a rep with no register row that month)."""
        asg = statements.assignment(rep_id, month)
        plan_id, name = (asg[1], asg[2]) if asg else ("", rep_id)
        plan = statements.plans.get(plan_id)
        net, carry_in, draw, payout, carry_out = statements.register_row(rep_id, month) or (0, 0, 0, 0, 0)
        return cls(rep_id=rep_id, name=name, plan_id=plan_id, plan_name=plan.name if plan is not None else plan_id,
                   currency=plan.currency if plan is not None else statements.book.currency, net=net,
                   carry_in=carry_in, draw=draw, payout=payout, carry_out=carry_out, **extra)


def totals_by_currency(rows, fields=tuple(REGISTER_MONEY), currencies=None) -> list[dict]:
    """Sums of ``fields`` per currency (default: the rows' own, A–Z; amounts in different currencies
    are never added up), and ``paid``: how many rows have a payout."""
    out = []
    for cur in sorted({r.currency for r in rows}) if currencies is None else currencies:
        mine = [r for r in rows if r.currency == cur]
        out.append({"currency": cur, **{k: sum(getattr(r, k) for r in mine) for k in fields},
                    "paid": sum(1 for r in mine if r.payout > 0)})
    return out


class RepLine(NamedTuple):  # one per line of the month: a tuple is the cheapest record to build
    rep_id: str
    name: str
    currency: str
    line: Line


@dataclass(frozen=True)
class ComponentLines:
    """Every line of the month on one component, across reps."""

    plan_id: str
    component_id: str
    title: str
    lines: tuple[RepLine, ...]

    @property
    def total(self) -> int:
        return sum(x.line.amount for x in self.lines)


@dataclass(frozen=True)
class PayoutRegister:
    month: int
    rows: tuple[RegisterRow, ...]
    components: tuple[ComponentLines, ...]

    @property
    def period(self) -> str:
        return period(self.month)

    @property
    def currencies(self) -> list[str]:
        return sorted({r.currency for r in self.rows}) or ["USD"]

    @property
    def totals(self) -> list[dict]:
        """Register totals per currency (amounts in different currencies are never added up)."""
        return totals_by_currency(self.rows, currencies=self.currencies)


def payout_register(statements: StatementBook, month: int) -> PayoutRegister:
    rows, by_component = [], {}
    for rep in statements.paid_reps(month):
        row = RegisterRow.of(statements, rep, month)
        rows.append(row)
        for line in statements.month_lines(rep, month):
            by_component.setdefault((line.plan_id, line.component_id), []).append(
                RepLine(rep, row.name, row.currency, line))
    components = tuple(ComponentLines(plan_id=p, component_id=c, title=statements.title(p, c),
                                      lines=tuple(by_component[(p, c)]))
                       for p, c in sorted(by_component, key=statements.component_key("")))
    return PayoutRegister(month=month, rows=tuple(rows), components=components)
