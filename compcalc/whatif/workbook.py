"""The what-if workbook: a summary sheet, one sheet per comparison, the sweep, with native Excel charts.

Money cells hold exact decimals (cents / 100) formatted with two decimals; shares are fractions formatted
as percentages. Charts (openpyxl.chart) read the tables written beside them.
"""
from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from compcalc.statements.names import sheet_names
from compcalc.xlsx_numbers import MONEY_FORMAT, print_setup  # and exact number text in the file
from compcalc.periods import period
from compcalc.whatif import report as R
from compcalc.whatif.study import WhatIf

SHARE_FORMAT = "0.00%"
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
SECTION_FONT = Font(bold=True, color="1F3A5F")


def write_workbook(report: WhatIf, path: Path) -> None:
    build_workbook(report).save(path)


def build_workbook(report: WhatIf) -> Workbook:
    names = iter(sheet_names(["Summary"] + [f"vs {other.label}" for other in report.candidates]
                             + (["Sweep"] if report.grid else []) + ["Lint"]))
    wb = Workbook()
    ws = wb.active
    ws.title = next(names)
    _summary_sheet(ws, report)
    for other in report.candidates:
        _comparison_sheet(wb.create_sheet(next(names)), report, other)
    if report.grid:
        _sweep_sheet(wb.create_sheet(next(names)), report)
    ws = wb.create_sheet(next(names))
    ws["A1"] = "Lint findings of each plan set (compcalc lint, with the book's deals and the mapped roster)"
    ws["A1"].font = Font(bold=True, size=14)
    _table(ws, 3, R.LINT_COLUMNS, R.lint_rows(report.sets + report.grid))
    _widths(ws, first=22, rest=14)
    ws.column_dimensions["F"].width = 90
    ws.column_dimensions["G"].width = 60
    for sheet in wb.worksheets:  # the header row (4; 3 on Lint) and the label column stay in view and print
        header = 3 if sheet is ws else 4
        print_setup(sheet, f"{header}:{header}", freeze=f"B{header + 1}")
    return wb


def _number(text):
    """A swept value as the number it is (the sweep keeps the text the user typed, e.g. 0.10)."""
    if isinstance(text, str) and re.fullmatch(r"-?\d+(\.\d+)?", text):
        return Decimal(text)
    return text


def _put(ws, row: int, col: int, value, bold: bool = False):
    cell = ws.cell(row=row, column=col)
    if isinstance(value, R.Money):
        cell.value = value.decimal
        cell.number_format = MONEY_FORMAT
    elif isinstance(value, R.Share):
        cell.value = value.decimal
        cell.number_format = SHARE_FORMAT
    elif value is None:
        cell.value = None
    else:
        cell.value = value
    if bold:
        cell.font = BOLD
    return cell


def _header(ws, row: int, labels: list[str], col: int = 1) -> None:
    for i, label in enumerate(labels):
        cell = _put(ws, row, col + i, label, bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _rows(ws, start: int, rows: list[R.Row], headers: list[str]) -> int:
    """Rows grouped under section headings; returns the next free row."""
    r = start
    section = None
    _header(ws, r, ["Measure"] + headers)
    r += 1
    for row in rows:
        if row.section != section:
            section = row.section
            ws.cell(row=r, column=1, value=section).font = SECTION_FONT
            r += 1
        _put(ws, r, 1, "  " + row.label)
        for i, v in enumerate(row.values):
            _put(ws, r, 2 + i, v)
        r += 1
    return r + 1


def _table(ws, start: int, headers: list[str], rows: list[list], col: int = 1) -> int:
    _header(ws, start, headers, col)
    for i, row in enumerate(rows, 1):
        for j, v in enumerate(row):
            _put(ws, start + i, col + j, v)
    return start + len(rows) + 2


def _widths(ws, first: int = 48, rest: int = 18) -> None:
    ws.column_dimensions["A"].width = first
    for c in range(2, ws.max_column + 1):
        ws.column_dimensions[get_column_letter(c)].width = rest


def _chart_table(ws, chart: R.Chart, row: int, col: int) -> tuple[int, int]:
    """Write a chart's data (categories down, one column per series); returns (last row, last col)."""
    _header(ws, row, [chart.title] + [s.name for s in chart.series], col)
    for i, cat in enumerate(chart.categories, 1):
        _put(ws, row + i, col, cat)
        for j, s in enumerate(chart.series, 1):
            _put(ws, row + i, col + j, s.values[i - 1])
    return row + len(chart.categories), col + len(chart.series)


def _add_chart(ws, chart: R.Chart, row: int, col: int, anchor: str | None = None) -> int:
    """Write the chart's data at (row, col) and a native chart reading it, anchored at ``anchor``
    (default: below the data). Returns the row after the data."""
    last_row, last_col = _chart_table(ws, chart, row, col)
    c = LineChart() if chart.kind == "line" else BarChart()
    if chart.kind == "bar":
        c.type = "col"
        c.grouping = "clustered"
    c.title = chart.title
    c.y_axis.title = chart.y_title
    c.height, c.width = 8, 16
    data = Reference(ws, min_col=col + 1, max_col=last_col, min_row=row, max_row=last_row)
    cats = Reference(ws, min_col=col, min_row=row + 1, max_row=last_row)
    c.add_data(data, titles_from_data=True)
    c.set_categories(cats)
    ws.add_chart(c, anchor or f"{get_column_letter(col)}{last_row + 2}")
    return last_row + 2


def _summary_sheet(ws, report: WhatIf) -> None:
    ws["A1"] = R.title(report)
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = (f"Every set runs on the same roster and deals, as known at the end of {period(report.through)}. "
                f"Money in {report.currency}.")
    labels = [r.label for r in report.sets]
    r = _rows(ws, 4, R.mapping_rows(report.sets) + R.summary_rows(report.sets) + R.typical_rows(report.sets),
              labels)
    r = _rows(ws, r, R.component_rows(report.sets), labels)
    _widths(ws)
    # Each chart's data sits to the right of the tables, the chart beside its data.
    col = len(labels) + 3
    row = 4
    for chart in (R.cost_by_role_chart(report.sets, report.currency),
                  R.payout_distribution_chart(report.sets, report.currency),
                  R.incentive_chart(report.sets, report.currency)):
        anchor = f"{get_column_letter(col + len(chart.series) + 2)}{row}"
        row = max(_add_chart(ws, chart, row, col, anchor), row + 17)


def _comparison_sheet(ws, report: WhatIf, other) -> None:
    base = report.baseline
    ws["A1"] = f"{other.label} compared with {base.label}, through {period(report.through)}"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = "Difference = candidate − baseline (shares: percentage points)."
    headers = [base.label, other.label, "Difference"]
    r = _rows(ws, 4, R.comparison_rows(base, other), headers)
    ws.cell(row=r, column=1, value=f"Paid per rep through {period(report.through)}").font = SECTION_FONT
    r = _table(ws, r + 1, ["rep_id", "name", "role", base.label, other.label, "Difference"],
               R.per_rep_rows(base, other))
    _widths(ws)
    col = 6
    chart = R.cost_by_role_chart([base, other], report.currency)
    _add_chart(ws, chart, 4, col, f"{get_column_letter(col + 4)}4")


def _sweep_sheet(ws, report: WhatIf) -> None:
    ws["A1"] = f"Sweep over {', '.join(s.key for s in report.sweeps)}, through {period(report.through)}"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = "Each row runs the set with these values on every component that has the swept id."
    headers = R.sweep_columns(report)
    swept = range(1, 1 + len(report.sweeps))
    rows = [[_number(v) if j in swept else v for j, v in enumerate(row)] for row in R.sweep_rows(report)]
    end = _table(ws, 4, headers, rows)
    _widths(ws, first=22, rest=16)
    row = end + 1
    for chart in R.sweep_charts(report):
        after = _add_chart(ws, chart, row, 1, f"{get_column_letter(len(chart.series) + 3)}{row}")
        row = max(after, row + 18)
