"""Helpers for the statement tests: run the CLI on a golden case, read CSVs, read workbooks and HTML back."""
from __future__ import annotations

import csv
import re
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

from click.testing import CliRunner
from openpyxl.utils import column_index_from_string, range_boundaries

from compcalc.cli import main
from conftest import GOLDEN, case_files

LAND = GOLDEN / "land_and_expand"  # tcv vesting, clawback, forfeits, closer expansion, quota tiers
ICM = GOLDEN / "icm_essentials"  # draws, splits, adjustments, FX, quarterly vesting, SPIF, override
THROUGH = {LAND: "2028-01", ICM: "2027-06"}


def input_args(case: Path) -> list[str]:
    args = []
    for key, value in case_files(case).items():
        for v in value if isinstance(value, list) else [value]:
            args += ["--" + key.replace("_", "-"), str(v)]
    return args


def run_cli(case: Path, out: Path, *extra: str):
    args = ["run", "--through", THROUGH[case], "--out", str(out), *input_args(case), *extra]
    return CliRunner().invoke(main, args)


def case_of(out: Path) -> Path:
    """The golden case of an output folder made by the ``out`` fixtures (named after the case)."""
    return next(c for c in (LAND, ICM) if out.parent.name.startswith(c.name))


def statement_keys(case: Path, register: list[dict]) -> set[tuple[str, str]]:
    """(rep, period) of every statement a --statements all run writes: each register row, and each month
    of the run in which the rep holds an assignment (a statement saying nothing was earned)."""
    first = min(r["period"] for r in register)
    keys = {(r["rep_id"], r["period"]) for r in register}
    y, m = map(int, first.split("-"))
    months = []
    while f"{y:04d}-{m:02d}" <= THROUGH[case]:
        months.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    for a in read_csv(case / "roster.csv"):
        keys |= {(a["rep_id"], p) for p in months if a["start_date"][:7] <= p and (not a["end_date"] or p <= a["end_date"][:7])}
    return keys


def read_csv(path: Path) -> list[dict]:
    with path.open(newline="") as f:
        return list(csv.DictReader(f))


def cents(value) -> int | None:
    """Exact cents of a number read back from a workbook (None for an empty cell)."""
    if value is None:
        return None
    return int((Decimal(str(value)) * 100).to_integral_value())


def csv_cents(text: str) -> int | None:
    return None if text == "" else int(Decimal(text) * 100)


def cells_of(ref: str) -> list[tuple[int, int]]:
    """(row, column) of every cell in ``G2:G9`` or ``G5``."""
    min_col, min_row, max_col, max_row = range_boundaries(ref)
    return [(r, c) for r in range(min_row, max_row + 1) for c in range(min_col, max_col + 1)]


_SUM = re.compile(r"^=SUM\(([^)]*)\)$")
_SUMIF = re.compile(r'^=SUMIF\(\$?([A-Z]+)\$?(\d+):\$?([A-Z]+)\$?(\d+),"([^"]*)",([A-Z]+\d+:[A-Z]+\d+)\)$')
_REF = re.compile(r"^=(?:'?([^'!]+)'?!)?([A-Z]+\d+)$")


def evaluate(wb, ws, value) -> int:
    """Cents of a cell value: a number, or one of the formulas the writers use (SUM over ranges and
    cells, SUMIF on a text column, a reference to another sheet's cell)."""
    if not isinstance(value, str) or not value.startswith("="):
        return cents(value) or 0
    m = _SUM.match(value)
    if m:
        return sum(evaluate(wb, ws, ws.cell(r, c).value) for part in m.group(1).split(",") for r, c in cells_of(part))
    m = _SUMIF.match(value)
    if m:
        crit_col = column_index_from_string(m.group(1))
        target = cells_of(m.group(6))
        total = 0
        for (r, c) in target:
            if ws.cell(r, crit_col).value == m.group(5):
                total += evaluate(wb, ws, ws.cell(r, c).value)
        return total
    m = _REF.match(value)
    if m:
        sheet = wb[m.group(1)] if m.group(1) else ws
        return evaluate(wb, sheet, sheet[m.group(2)].value)
    raise AssertionError(f"unexpected formula {value!r}")


def formula_cells(value: str) -> list[tuple[int, int]]:
    """The cells a SUM formula adds up."""
    m = _SUM.match(value)
    assert m, value
    return [cell for part in m.group(1).split(",") for cell in cells_of(part)]


class Page(HTMLParser):
    """What the HTML tests look at: text by element id, and each component's line amounts and subtotal."""

    def __init__(self, text: str):
        super().__init__()
        self.by_id: dict[str, str] = {}
        self.components: dict[str, dict] = {}
        self.tags: list[tuple[str, dict]] = []
        self._stack: list[tuple[str, dict, list]] = []
        self._component: str | None = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "tbody" and "data-component" in attrs:
            self._component = attrs["data-component"]
            self.components[self._component] = {"amounts": [], "subtotal": None}
        if tag in ("meta", "link", "img", "br", "input"):
            return
        self._stack.append((tag, attrs, []))

    def handle_endtag(self, tag):
        if not self._stack:
            return
        name, attrs, parts = self._stack.pop()
        text = "".join(parts).strip()
        if self._stack:
            self._stack[-1][2].append(text)
        if "id" in attrs:
            self.by_id[attrs["id"]] = text
        classes = attrs.get("class", "").split()
        if self._component and name == "td" and "amount" in classes:
            self.components[self._component]["amounts"].append(text)
        if self._component and name == "td" and "subtotal" in classes:
            self.components[self._component]["subtotal"] = text
        if name == "tbody":
            self._component = None

    def handle_data(self, data):
        if self._stack:
            self._stack[-1][2].append(data)


def page_cents(text: str) -> int:
    """Cents of a displayed amount such as ``-1,234.56``."""
    assert re.fullmatch(r"-?\d{1,3}(,\d{3})*\.\d{2}", text), text
    return int(Decimal(text.replace(",", "")) * 100)


class Table(HTMLParser):
    """The rows of every ``<table class="... NAME ...">`` in a page: per row, its attributes and the text of
    each cell keyed by the cell's classes (and by position under ``cells``)."""

    def __init__(self, text: str, name: str):
        super().__init__()
        self.name, self.rows, self._depth, self._row, self._cell = name, [], 0, None, None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and self.name in (attrs.get("class") or "").split():
            self._depth = 1
            self.rows.append([])
        elif tag == "table" and self._depth:
            self._depth += 1
        elif self._depth and tag == "tr":
            self._row = {"attrs": attrs, "cells": [], "by_class": {}}
        elif self._depth and self._row is not None and tag in ("td", "th"):
            self._cell = (attrs, [])

    def handle_endtag(self, tag):
        if not self._depth:
            return
        if tag in ("td", "th") and self._cell is not None:
            attrs, parts = self._cell
            text = "".join(parts).strip()
            self._row["cells"].append(text)
            for c in (attrs.get("class") or "").split():
                self._row["by_class"][c] = text
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows[-1].append(self._row)
            self._row = None
        elif tag == "table":
            self._depth -= 1

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[1].append(data)
