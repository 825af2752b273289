"""accounting.xlsx for the controller: the roll-forward with live formulas, the journal, the schedule by
deal and the policy.

Money cells hold exact decimals (cents / 100) with two decimals shown. The roll-forward computes the
closing balance in Excel (opening + capitalised − amortisation − impairment) and sets it beside
compcalc's own total of the schedule, so a difference other than 0.00 shows at once.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Callable

import numpy as np
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill

from compcalc.xlsx_numbers import MONEY_FORMAT, Formula, print_setup, styled  # exact number text, inert text cells
from compcalc.accounting.files import CLOSING, journal_frame
from compcalc.accounting.schedule import NO_MONTH, Accounting
from compcalc.periods import period, periods

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
#: Beyond this many asset groups the "By deal" sheet shows totals by plan, component and rep instead: a
#: workbook is for review, openpyxl writes some 40,000 cells a second, and accounting.csv has every deal.
DEAL_ROWS_LIMIT = 25_000

POLICY = [
    "Costs of obtaining a contract (ASC 340-40-25-1): commission lines of components with capitalize: true "
    "(by default every commission, SPIF, override and quota component; not activation or metric bonuses, "
    "which pay for work after the sale). Draws and manual adjustments are not contract costs and are "
    "expensed as incurred.",
    "Each capitalised line, negative ones (clawbacks, quota reversals) included, is an asset in its period, "
    "amortised straight-line over the plan's benefit period (accounting.benefit_months, default 36 months, "
    "which covers expected renewals rather than the first contract term), or the component's own "
    "benefit_months where it sets one, from that period: "
    "round(amount / N) a month, the last month the remainder.",
    "Practical expedient (ASC 340-40-25-4): when practical_expedient is on and the benefit period is 12 months "
    "or less, the line is expensed when incurred (expensed_immediately) instead.",
    "Impairment (ASC 340-40-35-3): when the account churns, in the first churn month at or after the asset's "
    "period, whatever is left after that month's amortisation is expensed. A line without a deal (quota "
    "attainment) is its own asset, keyed by rep, period and component, and is amortised to the end.",
    "Current portion: the amortisation scheduled for the next 12 months; the rest is non-current.",
]


def _money(cents) -> Decimal:
    return Decimal(int(cents)).scaleb(-2)


class _Sheet:
    """A write-only sheet with styled cells."""

    def __init__(self, wb: Workbook, title: str, widths: list[float]):
        self.ws = wb.create_sheet(title)
        for i, w in enumerate(widths):
            self.ws.column_dimensions[chr(ord("A") + i)].width = w
        self.row = 0

    def cell(self, value, money=False, font=None, fill=None):
        return styled(WriteOnlyCell(self.ws, value=value), MONEY_FORMAT if money else None, font, fill)

    def append(self, values: list, money_cols=(), font=None, fill=None) -> int:
        self.row += 1
        styled = font is not None or fill is not None
        self.ws.append([self.cell(v, money=i in money_cols, font=font, fill=fill) if styled or i in money_cols
                        else v for i, v in enumerate(values)])
        return self.row

    def title(self, text: str, *notes: str) -> None:
        if self.row == 0:  # a write-only sheet takes its view and print setup before its first row
            header = len(notes) + 3  # title, notes, a blank row, then the header
            print_setup(self.ws, f"{header}:{header}", freeze=f"A{header + 1}")
        self.append([text], font=TITLE)
        for note in notes:
            self.append([note])
        self.append([])

    def header(self, labels: list[str]) -> int:
        return self.append(labels, font=BOLD, fill=HEADER_FILL)


def write_workbook(acc: Accounting, path: Path, progress: Callable[[int], None] | None = None) -> None:
    """Write accounting.xlsx; ``progress(n)`` after every n rows of the by-deal sheet."""
    wb = Workbook(write_only=True)
    last_row = _rollforward(wb, acc)
    _journal(wb, acc)
    _by_deal(wb, acc, last_row, progress)
    _policy(wb, acc)
    wb.save(path)


def _rollforward(wb: Workbook, acc: Accounting) -> int:
    s = _Sheet(wb, "Roll-forward", [10] + [17] * 14)
    s.title(f"Deferred commissions (ASC 340-40): roll-forward {period(acc.first_month)} to "
            f"{period(acc.through_month)}, {acc.currency}",
            "Closing = opening + capitalised − amortisation − impairment (live formulas). 'Per schedule' is the "
            "total of accounting.csv; 'Difference' and 'Tie to the run' must be 0.00.",
            "The run's commissions (draws aside) = capitalised + expensed immediately + not contract costs "
            "(bonuses of components that do not capitalise, manual adjustments).")
    s.header(["Period", "Opening balance", "Capitalised", "Amortisation", "Impairment", "Closing balance",
              "Per schedule", "Difference", "Current (≤ 12 months)", "Non-current", "Expensed immediately",
              "Commissions in the run", "Not contract costs", "Tie to the run", "Draw top-ups"])
    t = acc.totals
    first = s.row + 1
    money = range(1, 15)
    for i in range(len(t)):
        r = s.row + 1
        v = {c: _money(t[c].iat[i]) for c in t.columns if c != "month"}
        opening = v["opening"] if i == 0 else Formula(f"=F{r - 1}")  # nothing is carried in before the run
        s.append([period(t["month"].iat[i]), opening, v["capitalised"], v["amortisation"], v["impairment"],
                  Formula(f"=B{r}+C{r}-D{r}-E{r}"), v["closing"], Formula(f"=F{r}-G{r}"), v["current"], Formula(f"=F{r}-I{r}"),
                  v["expensed_immediately"], v["commissions"], v["not_contract_costs"], Formula(f"=L{r}-C{r}-K{r}-M{r}"),
                  v["draws"]], money_cols=money)
    last = s.row
    if len(t):
        s.append(["Total", Formula(f"=B{first}")] + [Formula(f"=SUM({c}{first}:{c}{last})") for c in "CDE"]
                 + [Formula(f"=F{last}"), Formula(f"=G{last}"), Formula(f"=F{s.row + 1}-G{s.row + 1}"), Formula(f"=I{last}"), Formula(f"=J{last}")]
                 + [Formula(f"=SUM({c}{first}:{c}{last})") for c in "KLMNO"], money_cols=money, font=BOLD)
    return last


def _journal(wb: Workbook, acc: Accounting) -> None:
    s = _Sheet(wb, "Journal", [10, 22, 62, 40, 17, 17])
    s.title(f"Journal entries, {acc.currency}",
            "Per period: each entry's debit and credit (a negative movement swaps the sides), then the closing "
            "balance of the deferred commission asset split into current and non-current.")
    s.header(["Period", "Entry", "Description", "Account", "Debit", "Credit"])
    j = journal_frame(acc)
    first = s.row + 1
    months = periods(j["month"].to_numpy(np.int64))
    for i in range(len(j)):
        debit, credit = int(j["debit"].iat[i]), int(j["credit"].iat[i])
        closing = j["entry"].iat[i] == CLOSING
        s.append([months[i], j["entry"].iat[i], j["description"].iat[i], j["account"].iat[i],
                  _money(debit) if debit or (closing and not credit) else None,
                  _money(credit) if credit else None], money_cols=(4, 5))
    last = s.row
    if len(j):
        entries = f'"<>{CLOSING}"'
        s.append(["Entries", "", "Debits − credits of the entries (must be 0.00)", "",
                  Formula(f"=SUMIF(B{first}:B{last},{entries},E{first}:E{last})-SUMIF(B{first}:B{last},{entries},F{first}:F{last})")],
                 money_cols=(4,), font=BOLD)


def _by_deal(wb: Workbook, acc: Accounting, rollforward_last: int, progress) -> None:
    g = acc.groups
    summary = len(g) > DEAL_ROWS_LIMIT
    s = _Sheet(wb, "By deal", [16, 18, 14, 12, 14, 12, 12, 17, 17, 17, 17, 17, 12])
    if summary:
        s.title(f"Schedule through {period(acc.through_month)}: totals by plan, component and rep, {acc.currency}",
                f"{len(g):,} asset groups are more than this workbook lists ({DEAL_ROWS_LIMIT:,}); the schedule by "
                "deal, month by month, is accounting.csv.")
        cols = ["plan_id", "component_id", "rep_id"]
        sums = g.groupby(cols, sort=True)[["capitalised", "expensed_immediately", "amortisation", "impairment"]].sum()
        counts = g.groupby(cols, sort=True).size()
        s.header(["Plan", "Component", "Rep", "Asset groups", "", "", "", "Capitalised", "Expensed immediately",
                  "Amortisation", "Impairment", "Balance", ""])
        table = [(k, int(counts.loc[k]), row) for k, row in zip(sums.index, sums.itertuples(index=False))]
    else:
        s.title(f"Schedule by deal through {period(acc.through_month)}, {acc.currency}",
                "One row per deal, rep and component (a line without a deal is its own asset: rep, component and "
                "asset period). Balance = capitalised − amortisation − impairment.")
        s.header(["Plan", "Component", "Deal", "Rep", "Account", "Asset period", "First period", "Capitalised",
                  "Expensed immediately", "Amortisation", "Impairment", "Balance", "Impaired in"])
        table = None
    # Totals first, so they are in view; the rows follow.
    first = s.row + 3
    n = len(table) if summary else len(g)
    last = first + n - 1
    total_row = s.row + 1
    s.append(["Total", "", "", "", "", "", ""] + [Formula(f"=SUM({c}{first}:{c}{max(last, first)})") for c in "HIJKL"],
             money_cols=range(7, 12), font=BOLD)
    s.append(["Per roll-forward", "", "", "", "", "", "", "", "", "", "", Formula(f"='Roll-forward'!F{rollforward_last}"),
              Formula(f"=L{total_row}-L{s.row + 1}")], money_cols=(11, 12), font=BOLD)
    money = range(7, 12)
    if summary:
        for k, count, row in table:
            r = s.row + 1
            s.append([*k, count, "", "", ""] + [_money(row.capitalised), _money(row.expensed_immediately),
                                       _money(row.amortisation), _money(row.impairment), Formula(f"=H{r}-J{r}-K{r}")],
                     money_cols=money)
        if progress:
            progress(len(g))
        return
    asset = g["asset_month"].to_numpy(np.int64)
    asset_text = np.where(asset != NO_MONTH, periods(np.where(asset != NO_MONTH, asset, 0)), "")
    first_text = periods(g["first_month"].to_numpy(np.int64))
    imp = g["impairment_month"].to_numpy(np.int64)
    imp_text = np.where(imp != NO_MONTH, periods(np.where(imp != NO_MONTH, imp, 0)), "")
    cols = [g[c].to_numpy(object) for c in ("plan_id", "component_id", "deal_id", "rep_id", "account_id")]
    cents = [g[c].to_numpy(np.int64) for c in ("capitalised", "expensed_immediately", "amortisation", "impairment")]
    step = 10_000
    for i in range(len(g)):
        r = s.row + 1
        s.append([c[i] for c in cols] + [asset_text[i], first_text[i]] + [_money(c[i]) for c in cents]
                 + [Formula(f"=H{r}-J{r}-K{r}"), imp_text[i]], money_cols=money)
        if progress and (i + 1) % step == 0:
            progress(step)
    if progress and len(g) % step:
        progress(len(g) % step)


def _policy(wb: Workbook, acc: Accounting) -> None:
    s = _Sheet(wb, "Policy", [18, 20, 20, 12, 16, 20, 50, 10])
    s.title("Accounting policy (ASC 340-40) as applied by compcalc", *POLICY)
    s.header(["Plan", "Component", "Type", "Capitalise", "Benefit months", "Practical expedient", "Treatment",
              "Rounding"])
    for row in acc.policy.itertuples(index=False):
        if not row.capitalised:
            treatment = "not a cost of obtaining a contract: expensed when incurred"
        elif row.expensed_immediately:
            treatment = "expensed when incurred (practical expedient, benefit ≤ 12 months)"
        else:
            treatment = f"capitalised, amortised straight-line over {row.benefit_months} months"
        s.append([row.plan_id, row.component_id, row.type, "yes" if row.capitalised else "no", row.benefit_months,
                  "yes" if row.practical_expedient else "no", treatment, row.rounding])
