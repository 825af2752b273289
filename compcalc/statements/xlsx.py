"""Excel statements and the payout register, with openpyxl.

Amounts are written as exact decimals (cents / 100, never floats) with a money format; rates and
attainment as percentages. Every total is a live formula over the cells it adds up, so finance can
audit the workbook: subtotals are ``SUM`` over a component's lines, net earnings is ``SUM`` of the
subtotals, vesting totals are ``SUMIF`` by status. Header rows are frozen, columns sized to their
contents, clawbacks and forfeits carry their reason as a cell comment, and every sheet prints
landscape, fitted to the page width.
"""
from __future__ import annotations

import functools
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter

from compcalc.xlsx_numbers import (MONEY_FORMAT, Formula, add_comment, bulk_rows,  # exact numbers, inert text
                                   cell_xml, number_cells_xml, print_setup, save, style_id, styled, text_cell_xml,
                                   text_cells_xml)
from compcalc.explain_line import KIND_NAMES
from compcalc.money import display, format_cents
from compcalc.periods import period
from compcalc.statements.names import sheet_names

MONEY = MONEY_FORMAT
PERCENT = "0.00%"
FACTOR = "0.00##"
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
HEADER_FILL = PatternFill("solid", fgColor="E7EEFC")
WRAP = Alignment(wrap_text=True, vertical="top")
MIN_WIDTH, MAX_WIDTH, WHY_WIDTH = 8, 48, 70


def amount(cents: int | None) -> Decimal | None:
    """Exact decimal units of an amount in cents (written as its exact text: see compcalc.xlsx_numbers)."""
    return None if cents is None else Decimal(int(cents)).scaleb(-2)


@functools.lru_cache(maxsize=4096)  # a run has a handful of rates over thousands of lines
def rate_value(rate: str) -> Decimal | None:
    try:
        return Decimal(rate) if rate else None
    except ArithmeticError:
        return None


class Sheet:
    """Row-by-row writing that remembers column widths."""

    def __init__(self, ws, wrap_columns=(), fixed=None):
        self.ws, self.row = ws, 0
        self.widths: dict[int, int] = {}
        self.wrap = set(wrap_columns)
        self.fixed = fixed or {}
        self._styles: dict[tuple, object] = {}  # (format, font, fill, wrap) -> the cell style they make

    def add(self, values, formats=None, font=None, measure=True, fill=None) -> int:
        """Append a row; ``formats`` maps column (1-based) to a number format. Returns the row number."""
        self.row += 1
        formats = formats or {}
        for col, value in enumerate(values, 1):
            if value is None or value == "":
                continue
            cell = self.ws.cell(row=self.row, column=col, value=value)
            fmt = formats.get(col)
            key = (fmt, id(font), id(fill), col in self.wrap)
            style = self._styles.get(key)
            if style is not None:  # setting font, fill and format looks each up by value: done once per style
                cell._style = StyleArray(style)
            elif key != (None, id(None), id(None), False):
                styled(cell, fmt, font, fill, WRAP if col in self.wrap else None)
                self._styles[key] = StyleArray(cell._style)
            if measure:
                self._measure(col, value, fmt)
        return self.row

    def add_rows(self, rows, formats=None) -> int:
        """Append many plain rows (no font or fill): the cells ``add`` would make, kept as sheet XML and
        written at save (see compcalc.xlsx_numbers.bulk_rows), ~30× faster. Returns the last row number."""
        formats = formats or {}
        out, columns = bulk_rows(self.ws), {}
        money: dict[int, list[Decimal]] = {}  # a money column's width is its widest display text
        widths = self.widths
        for values in rows:
            self.row += 1
            row = str(self.row)
            cells = []
            for col, value in enumerate(values, 1):
                if value is None:
                    continue
                kind = value.__class__
                if kind is str and not value:
                    continue
                spec = columns.get(col)
                if spec is None:
                    style = style_id(self.ws, formats.get(col), alignment=WRAP if col in self.wrap else None)
                    spec = columns[col] = (get_column_letter(col), style, formats.get(col) == MONEY)
                ref, style, is_money = spec
                if kind is str:  # the common case, inlined: plain text
                    cells.append(text_cell_xml(ref + row, value, style))
                    n = 14 if value.startswith("=") else len(value)  # as _measure sizes it
                else:
                    cells.append(cell_xml(ref + row, value, style))
                    if kind is Decimal and is_money:
                        low_high = money.get(col)
                        if low_high is None:
                            money[col] = [value, value]
                        elif value < low_high[0]:
                            low_high[0] = value
                        elif value > low_high[1]:
                            low_high[1] = value
                        continue
                    n = 9 if kind is Decimal else 14 if str(value).startswith("=") else len(str(value))
                if n > widths.get(col, 0):
                    widths[col] = n
            if cells:
                out[self.row] = f'<row r="{row}">{"".join(cells)}</row>'
        for col, values in money.items():
            for value in values:
                self._measure(col, value, MONEY)
        return self.row

    def add_columns(self, columns, formats=None, cents=()) -> int:
        """``add_rows`` given column by column (equal lengths): the same sheet XML, styles and widths,
        built a column at a time, which is several times faster for the payout register's big line
        sheets. The columns numbered in ``cents`` hold integer cents (or None), written as add_rows
        writes their ``amount(cents)``. Returns the last row number."""
        formats = formats or {}
        n = len(columns[0]) if columns else 0
        rows = [str(r) for r in range(self.row + 1, self.row + n + 1)]
        present = [[v for v in values if v is not None and (v.__class__ is not str or v)] for values in columns]
        firsts = [next((i for i, v in enumerate(values) if not _skipped(v)), None) for values in columns]
        styles = {}  # registered as add_rows meets them, row by row: the workbook's style ids are the same
        for first, col in sorted((first, col) for col, first in enumerate(firsts, 1) if first is not None):
            styles[col] = style_id(self.ws, formats.get(col), alignment=WRAP if col in self.wrap else None)
        cells = [self._cents_xml(col, values, present[col - 1], rows, formats.get(col), styles.get(col, 0))
                 if col in cents else
                 self._column_xml(col, values, present[col - 1], rows, formats.get(col), styles.get(col, 0))
                 for col, values in enumerate(columns, 1)]
        out = bulk_rows(self.ws)
        for row, xml in zip(rows, map("".join, zip(*cells))):
            if xml:
                out[int(row)] = f'<row r="{row}">{xml}</row>'
        self.row += n
        return self.row

    def _column_xml(self, col: int, values, present, rows: list[str], fmt, style: int) -> list[str]:
        """Each row's ``<c>`` of one column ("" where add_rows writes none); widens the column."""
        if not present:
            return [""] * len(values)
        letter = get_column_letter(col)
        if all(v.__class__ is str for v in present):  # plain text
            # widest text (a formula-like one counts 14, as add_rows measures it): \x00 cannot be in a
            # cell (text_cells_xml refuses it), so it marks where each value starts
            cells = text_cells_xml(letter, rows, values, style)
            formulas = ("\x00" + "\x00".join(present)).count("\x00=")
            self._widen(col, max(map(len, present)) if not formulas else
                        max(14 if v.startswith("=") else len(v) for v in present))
            return cells
        money = [v for v in present if v.__class__ is Decimal] if fmt == MONEY else []
        for v in (min(money), max(money)) if money else ():  # a money column is as wide as its widest amount
            self._measure(col, v, MONEY)
        others = [v for v in present if not (money and v.__class__ is Decimal)]
        if others:
            self._widen(col, max(len(v) if v.__class__ is str and not v.startswith("=") else 9
                                 if v.__class__ is Decimal else 14 if str(v).startswith("=") else len(str(v))
                                 for v in others))
        if len(money) == len(present):
            return number_cells_xml(letter, rows, [f"{v:f}" if v.__class__ is Decimal else None for v in values],
                                    style)
        return ["" if _skipped(v) else cell_xml(letter + r, v, style) for r, v in zip(rows, values)]

    def _cents_xml(self, col: int, values, present, rows: list[str], fmt, style: int) -> list[str]:
        """A column of integer cents as ``_column_xml`` writes their ``amount(cents)``."""
        if not present:
            return [""] * len(values)
        if fmt == MONEY:
            for v in (min(present), max(present)):
                self._measure(col, amount(v), MONEY)
        else:
            self._widen(col, 9)
        return number_cells_xml(get_column_letter(col), rows,
                                [None if v is None else format_cents(v) for v in values], style)

    def _widen(self, col: int, n: int) -> None:
        if n > self.widths.get(col, 0):
            self.widths[col] = n

    def header(self, titles) -> int:
        return self.add(titles, font=BOLD, fill=HEADER_FILL)

    def skip(self, n: int = 1) -> None:
        self.row += n

    def comment(self, row: int, col: int, text: str) -> None:
        add_comment(self.ws, row, col, text)

    def _measure(self, col: int, value, fmt) -> None:
        if isinstance(value, str) and value.startswith("="):
            n = 14
        elif isinstance(value, Decimal) and fmt == MONEY:
            n = len(display(int(value * 100)))
        elif isinstance(value, Decimal):
            n = 9
        else:
            n = len(str(value))
        if n > self.widths.get(col, 0):
            self.widths[col] = n

    def finish(self, freeze: str | None = "A2", title_rows: str | None = "1:1", header: str = "") -> None:
        for col, n in self.widths.items():
            cap = WHY_WIDTH if col in self.wrap else MAX_WIDTH
            width = self.fixed.get(col, max(MIN_WIDTH, min(cap, n + 2)))
            self.ws.column_dimensions[get_column_letter(col)].width = width
        print_setup(self.ws, title_rows, header, freeze)


def _skipped(value) -> bool:
    """A value add_rows writes no cell for: None or empty plain text (an empty Formula is a cell)."""
    return value is None or (value.__class__ is str and not value)


def _line_name(line) -> str:
    text = KIND_NAMES.get(line.kind, line.kind)
    if line.installment is not None:
        text += f" {line.installment} of {line.installments}"
    return text


# -- the statement ----------------------------------------------------------------------------------

LINE_HEADERS = ["Component", "Deal", "Account", "Line", "Basis", "Rate", "Amount", "How it came about"]
LINE_AMOUNT_COL = 7
VESTING_HEADERS = ["Deal", "Payment", "Due", "Each", "Count", "Amount", "Status", "Why"]
VESTING_AMOUNT_COL, VESTING_STATUS_COL = 6, 7


def statement_workbook(st) -> Workbook:
    """The statement as a workbook: Statement (summary), Lines (the month's lines), Vesting."""
    wb = Workbook()
    summary = wb.active
    summary.title = "Statement"
    lines_ws = wb.create_sheet("Lines")
    net_cell = _lines_sheet(Sheet(lines_ws, wrap_columns=(8,)), st)
    if st.vesting:
        _vesting_sheet(Sheet(wb.create_sheet("Vesting"), wrap_columns=(8,)), st)
    _summary_sheet(Sheet(summary, fixed={1: 26}), st, net_cell)
    wb.properties.title = f"Commission statement {st.rep_id} {st.period}"
    wb.properties.creator = "compcalc"
    return wb


def _title(st) -> str:
    return f"{st.name} ({st.rep_id}) · {st.plan_name} · {st.period} · {st.currency}"


def _lines_sheet(sh: Sheet, st) -> str:
    sh.header(LINE_HEADERS[:6] + [f"Amount ({st.currency})", LINE_HEADERS[7]])
    money = {5: MONEY, 7: MONEY}
    fmt = {5: MONEY, 6: PERCENT, 7: MONEY}
    subtotals = []
    for sec in st.sections:
        first = sh.row + 1
        for line in sec.lines:
            r = sh.add([sec.title, line.deal_id, line.account_id, _line_name(line), amount(line.basis),
                        rate_value(line.rate), amount(line.amount), line.why], fmt)
            if line.needs_reason:
                sh.comment(r, LINE_AMOUNT_COL, line.why)
        col = get_column_letter(LINE_AMOUNT_COL)
        subtotals.append(sh.add([f"Total {sec.title}", None, None, None, None, None,
                                 Formula(f"=SUM({col}{first}:{col}{sh.row})")], money, font=BOLD))
    col = get_column_letter(LINE_AMOUNT_COL)
    net = Formula(f"=SUM({','.join(f'{col}{r}' for r in subtotals)})") if subtotals else Decimal(0)
    net_row = sh.add(["Net earnings", None, None, None, None, None, net], money, font=BOLD)
    sh.finish(header=_title(st))
    return f"Lines!{col}{net_row}"


def _vesting_sheet(sh: Sheet, st) -> None:
    """Per deal: what is paid (one row), each deferred installment with its due month, forfeited
    installments and clawbacks with their reason; totals by status as SUMIF over the rows."""
    sh.header(VESTING_HEADERS[:5] + [f"Amount ({st.currency})"] + VESTING_HEADERS[6:])
    fmt = {4: MONEY, VESTING_AMOUNT_COL: MONEY}
    first = sh.row + 1
    for deal in st.vesting:
        for r in deal.detail():
            row = sh.add([deal.deal_id, r["what"], r["due"], amount(r["each"]), r["count"], amount(r["amount"]),
                          r["status"], r["note"]], fmt)
            if r["note"]:
                sh.comment(row, VESTING_AMOUNT_COL, r["note"])
    last = sh.row
    sh.skip()
    a, s = get_column_letter(VESTING_AMOUNT_COL), get_column_letter(VESTING_STATUS_COL)
    rows = {}
    for label, status in (("Paid to date", "paid"), ("Deferred", "deferred"), ("Forfeited", "forfeited"),
                          ("Clawed back", "clawed back")):
        rows[status] = sh.add([None, label, None, None, None,
                               Formula(f'=SUMIF({s}{first}:{s}{last},"{status}",{a}{first}:{a}{last})')],
                              fmt, font=BOLD, measure=False)
    sh.add([None, "Commission", "paid + deferred + forfeited", None, None,
            Formula(f"=SUM({a}{rows['paid']},{a}{rows['deferred']},{a}{rows['forfeited']})")], fmt, font=BOLD, measure=False)
    sh.finish(header=_title(st))


HISTORY_HEADERS = ["Month", "Plan", "Earned", "Carry in", "Draw top-up", "Paid", "Carry out"]
CHART_COLUMN = "K"  # right of the widest table on the sheet (vesting, 9 columns)


def _history(sh: Sheet, st) -> None:
    """The plan year month by month (as register.csv has it), a native chart of it, and where the carry
    in came from. On the Statement sheet: every extra sheet costs each of thousands of workbooks time."""
    sh.skip()
    sh.add([f"Month by month ({st.plan_year})"], font=BOLD, measure=False)
    head = sh.header(HISTORY_HEADERS[:2] + [f"{h} ({st.currency})" for h in HISTORY_HEADERS[2:]])
    fmt = {c: MONEY for c in range(3, 8)}
    for h in st.history:  # carry and draw left empty when zero: most months have none, and cells cost time
        sh.add([h.period, h.plan_id or "—", amount(h.net), amount(h.carry_in or None), amount(h.draw or None),
                amount(h.payout), amount(h.carry_out or None)], fmt)
    first, last = head + 1, sh.row
    sh.add(["Plan year to date", None, f"=SUM(C{first}:C{last})", None, f"=SUM(E{first}:E{last})",
            f"=SUM(F{first}:F{last})"], fmt, font=BOLD)
    chart = BarChart()
    chart.title, chart.y_axis.title = "Month by month", st.currency
    for col in (3, 6, 7):
        chart.add_data(Reference(sh.ws, min_col=col, min_row=head, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(sh.ws, min_col=1, min_row=first, max_row=last))
    chart.height, chart.width = 7.5, 16
    sh.ws.add_chart(chart, f"{CHART_COLUMN}{head}")
    if st.carry_from is not None:
        c = st.carry_from
        sh.skip()
        sh.add([f"Carry in {display(st.carry_in)}: built up over {c.span}"], font=BOLD, measure=False)
        sh.add(["Net earnings", amount(c.net)], {2: MONEY}, measure=False)
        sh.add(["Paid out of earnings", amount(-c.paid_from_earnings)], {2: MONEY}, measure=False)
        if c.draws_to_repay:
            sh.add(["Draw top-ups to repay", amount(-c.draws_to_repay)], {2: MONEY}, measure=False)
        sh.add(["Carry in", f"=SUM(B{sh.row - (2 if c.draws_to_repay else 1)}:B{sh.row})"], {2: MONEY}, font=BOLD,
               measure=False)


QUOTA_DEAL_HEADERS = ["Deal", "Account", "Type", "Closed", "ARR", "Share", "Credit"]


def _quota_deals(sh: Sheet, q, quota_row: int) -> None:
    """The deals behind a quota's credits, and a native chart of credits against quota and tier bounds."""
    sh.header(QUOTA_DEAL_HEADERS)
    first = sh.row + 1
    for d in q.deals:
        sh.add([d.deal_id, d.account_id, d.type, d.period, amount(d.arr), d.share or "all", amount(d.credit)],
               {5: MONEY, 7: MONEY})
    last = sh.row
    sh.add(["Credits of these deals", None, None, None, None, None,
            f"=SUM(G{first}:G{last})" if q.deals else Decimal(0)], {7: MONEY}, font=BOLD)
    chart = BarChart()  # quota (column A) and credits (column B) of the quota row
    chart.type, chart.title, chart.legend = "bar", f"{q.title}: credits against quota", None
    chart.add_data(Reference(sh.ws, min_col=1, max_col=2, min_row=quota_row), from_rows=True)
    chart.set_categories(Reference(sh.ws, min_col=1, max_col=2, min_row=quota_row - 1))
    chart.height, chart.width = 5, 16
    sh.ws.add_chart(chart, f"{CHART_COLUMN}{quota_row - 1}")


def _summary_sheet(sh: Sheet, st, net_cell: str) -> None:
    ws = sh.ws
    sh.add(["Commission statement"], font=TITLE, measure=False)
    for label, value in (("Rep", f"{st.name} ({st.rep_id})"), ("Plan", f"{st.plan_name} ({st.plan_id})"),
                         ("Period", st.period), ("Plan year", st.plan_year), ("Currency", st.currency)):
        sh.add([label, value], font=None, measure=False)
        ws.cell(row=sh.row, column=1).font = BOLD
    header_rows = sh.row
    sh.skip()
    sh.add(["Payout"], font=BOLD, measure=False)
    fmt = {2: MONEY}
    sh.add(["Net earnings", Formula(f"={net_cell}"), "the month's lines (sheet Lines)"], fmt, measure=False)
    sh.add(["Carry in", amount(st.carry_in), st.carry_in_text], fmt, measure=False)
    sh.add(["Draw top-up", amount(st.draw), st.draw_line.why if st.draw_line else "no draw this month"], fmt,
           measure=False)
    sh.add(["Payout", amount(st.payout), st.payout_text], fmt, font=BOLD, measure=False)
    sh.add(["Carry out", amount(st.carry_out), st.carry_out_text], fmt, measure=False)

    sh.skip()
    sh.add([f"Year to date ({st.plan_year})"], font=BOLD, measure=False)
    sh.header(["Component", "This month", "Year to date"])
    fmt = {2: MONEY, 3: MONEY}
    first = sh.row + 1
    for y in st.year_to_date:
        sh.add([y.title, amount(y.month), amount(y.year_to_date)], fmt)
    last = sh.row
    total = [Formula(f"=SUM(B{first}:B{last})"), Formula(f"=SUM(C{first}:C{last})")] if st.year_to_date else [Decimal(0), Decimal(0)]
    sh.add(["Earned"] + total, fmt, font=BOLD)
    sh.add(["Paid out", None, amount(st.paid_year_to_date)], fmt)

    if st.target is not None:
        t = st.target
        sh.skip()
        sh.add([f"Earned against target ({st.plan_year})"], font=BOLD, measure=False)
        sh.add(["Earned this plan year", amount(t.earned), f"{t.months_elapsed} of 12 months gone"], {2: MONEY},
               measure=False)
        sh.add(["Target incentive (annual)", amount(t.target_incentive), t.target_source], {2: MONEY}, measure=False)
        row = sh.row
        sh.add(["Share of target", f"=B{row - 1}/B{row}", f"an even year would be at {float(t.pace):.1%}"],
               {2: PERCENT}, measure=False)
        if t.ote is not None:
            sh.add(["OTE (annual)", amount(t.ote)], {2: MONEY}, measure=False)
        if t.base_to_date is not None:
            sh.add(["Base + earned so far", amount(t.base_to_date + t.earned),
                    f"base for {t.months_elapsed} months {display(t.base_to_date)}"], {2: MONEY}, measure=False)

    if st.history:
        _history(sh, st)

    for q in st.quotas:
        sh.skip()
        sh.add([f"Quota · {q.title}"], font=BOLD, measure=False)
        sh.header(["Quota" + (" (annual)" if q.quota_is_annual else f" (prorated, {q.period_label})"), "Credits to date",
                   "Attainment", "Tier reached", "Multiplier", "Earned to date", "As of"])
        quota_row = sh.add([amount(q.quota), amount(q.credits), rate_value(q.attainment), q.tier, rate_value(q.multiplier),
                amount(q.earned_to_date), period(q.as_of) if q.as_of is not None else "no credits yet"],
               {1: MONEY, 2: MONEY, 3: PERCENT, 5: FACTOR, 6: MONEY})
        sh.header(["Tier", "Share of quota", "Credits from", "to", "Multiplier", "Reached"])
        for b in q.bands:
            sh.add([b.tier, b.range, amount(b.lower), amount(b.upper) if b.upper is not None else "no limit",
                    rate_value(b.multiplier), "reached" if b.reached else ""], {3: MONEY, 4: MONEY, 5: FACTOR})
        if q.kickers or q.kickers_paid or q.true_up:
            sh.header(["Kicker at", "Credits needed", "Amount", "This period"])
            for k in q.kickers:
                sh.add([k.level, amount(k.credits_needed), amount(k.amount), "reached" if k.reached else "not yet"],
                       {2: MONEY, 3: MONEY})
            sh.add(["Kickers paid this plan year", amount(q.kickers_paid)], {2: MONEY})
            if q.true_up:
                sh.add(["Annual true-up", amount(q.true_up)], {2: MONEY})
        _quota_deals(sh, q, quota_row)

    if st.vesting:
        sh.skip()
        sh.add(["Vesting (details on sheet Vesting)"], font=BOLD, measure=False)
        sh.header(["Deal", "Account", "Closed", "Commission", "Paid to date", "Deferred", "Forfeited", "Clawed back",
                   "Next due"])
        fmt = {c: MONEY for c in range(4, 9)}
        first = sh.row + 1
        for v in st.vesting:
            sh.add([v.deal_id, v.account_id, period(v.close_month), amount(v.commission), amount(v.paid),
                    amount(v.deferred), amount(v.forfeited), amount(v.clawed_back),
                    period(v.next_due) if v.next_due is not None else ""], fmt)
        last = sh.row
        sh.add(["Total", None, None] + [Formula(f"=SUM({get_column_letter(c)}{first}:{get_column_letter(c)}{last})")
                                        for c in range(4, 9)], fmt, font=BOLD)
    if st.coming:
        sh.skip()
        sh.add(["Coming up (deferred vesting if the account and you stay; guaranteed draw)"], font=BOLD, measure=False)
        sh.header(["Month", "Vesting due", "Guaranteed draw"])
        for c in st.coming:
            sh.add([c.period, amount(c.vesting), amount(c.draw)], {2: MONEY, 3: MONEY})
    if st.forecast:
        sh.skip()
        sh.add(["If these close (a re-run with each open deal added on its expected close date)"], font=BOLD,
               measure=False)
        sh.header(["Deal", "Account", "Stage", "Expected close", "ARR", "Probability", "Extra payout", "Weighted",
                   "Counted through"])
        first = sh.row + 1
        for f in st.forecast:
            sh.add([f.deal_id, f.account_id, f.stage, f.close_date, amount(f.arr), rate_value(f.probability),
                    amount(f.extra), amount(f.weighted), period(f.through)], {5: MONEY, 6: PERCENT, 7: MONEY, 8: MONEY})
        sh.add(["Probability-weighted total", None, None, None, None, None, None, f"=SUM(H{first}:H{sh.row})"],
               {8: MONEY}, font=BOLD)
    sh.finish(freeze=f"A{header_rows + 1}", title_rows=None, header=_title(st))


def write_statement_xlsx(st, path) -> None:
    save(statement_workbook(st), path)


# -- the payout register ------------------------------------------------------------------------------

REGISTER_HEADERS = ["Rep", "Name", "Plan", "Currency", "Net", "Carry in", "Draw", "Payout", "Carry out"]
REGISTER_MONEY = (5, 6, 7, 8, 9)
COMPONENT_HEADERS = ["Rep", "Name", "Deal", "Account", "Line", "Basis", "Rate", "Amount", "How it came about"]
COMPONENT_AMOUNT_COL = 8


def register_workbook(reg) -> Workbook:
    """Sheet Register (one row per rep, totals) and one sheet per component with the month's lines."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Register"
    sh = Sheet(ws)
    sh.header(REGISTER_HEADERS)
    fmt = {c: MONEY for c in REGISTER_MONEY}
    sh.add_rows(([r.rep_id, r.name, r.plan_id, r.currency, amount(r.net), amount(r.carry_in), amount(r.draw),
                  amount(r.payout), amount(r.carry_out)] for r in reg.rows), fmt)
    first, last = 2, sh.row
    currencies = reg.currencies
    for cur in currencies:
        if len(currencies) == 1:
            sums = [Formula(f"=SUM({get_column_letter(c)}{first}:{get_column_letter(c)}{last})") for c in REGISTER_MONEY]
        else:  # never add up different currencies
            sums = [Formula(f'=SUMIF($D${first}:$D${last},"{cur}",{get_column_letter(c)}{first}:{get_column_letter(c)}{last})')
                    for c in REGISTER_MONEY]
        if last < first:
            sums = [Decimal(0)] * len(REGISTER_MONEY)
        sh.add([f"Total {cur}", None, None, cur] + sums, fmt, font=BOLD)
    if last >= first:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(REGISTER_HEADERS))}{last}"
    sh.finish(header=f"Payout register {reg.period}")

    names = sheet_names(["Register"] + [f"{c.plan_id} {c.component_id}".strip() for c in reg.components])[1:]
    for comp, name in zip(reg.components, names):
        sh = Sheet(wb.create_sheet(name), wrap_columns=(9,))
        sh.header(COMPONENT_HEADERS)
        fmt = {6: MONEY, 7: PERCENT, 8: MONEY}
        lines = [x.line for x in comp.lines]
        why = [line.why for line in lines]
        first = sh.row + 1
        sh.add_columns([[x.rep_id for x in comp.lines], [x.name for x in comp.lines], [x.deal_id for x in lines],
                        [x.account_id for x in lines], [_line_name(x) for x in lines], [x.basis for x in lines],
                        [rate_value(x.rate) for x in lines], [x.amount for x in lines], why], fmt, cents=(6, 8))
        for i, line in enumerate(lines):  # a clawback or forfeit carries its reason as a comment on its amount
            if line.needs_reason:
                sh.comment(first + i, COMPONENT_AMOUNT_COL, why[i])
        col = get_column_letter(COMPONENT_AMOUNT_COL)
        sh.add([f"Total {comp.title}", None, None, None, None, None, None, Formula(f"=SUM({col}2:{col}{sh.row})")], fmt,
               font=BOLD)
        sh.finish(header=f"Payout register {reg.period} · {comp.title} ({comp.plan_id or 'no plan'})")
    wb.properties.title = f"Payout register {reg.period}"
    wb.properties.creator = "compcalc"
    return wb


def write_register_xlsx(reg, path) -> None:
    save(register_workbook(reg), path)
