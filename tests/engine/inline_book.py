"""Tiny books written inline in a test: plans as YAML text, CSVs as text, run through the library.

A test states its whole input next to its hand derivation and reads back exact lines and register
rows as text (amounts "1234.56", periods "2027-03"), the way the golden cases do.
"""
from __future__ import annotations

import textwrap
from pathlib import Path

from compcalc.engine import RunResult
from compcalc.pipeline import run
from compcalc.inputs import load_book
from shipped import lines_table, register_table
from compcalc.periods import parse_period
from conftest import write_book  # noqa: F401  (re-exported for the tests)

def plan(plan_id: str, components: str, *, year_start: str = "2027-01-01", rounding: str = "half_up",
         role: str = "other") -> str:
    """A plan file's YAML: the usual header and ``components`` (YAML list items, any indentation)."""
    body = textwrap.indent(textwrap.dedent(components).strip(), "  ")
    return (f"plan_id: {plan_id}\nname: {plan_id}\nrole: {role}\ncurrency: USD\n"
            f"year_start: {year_start}\nrounding: {rounding}\ncomponents:\n{body}\n")


def run_book(folder: Path, *, through: str, plans, roster: str, deals: str, **optional: str) -> RunResult:
    """Load the inline book and run it through ``through`` (YYYY-MM)."""
    book = load_book(**write_book(folder, plans=plans, roster=roster, deals=deals, **optional))
    return run(book, parse_period(through))


def lines(result: RunResult, rep: str | None = None, component: str | None = None,
          kinds=None) -> list[tuple[str, str, str, str]]:
    """(kind, period, amount, deal_id) of the matching lines, in the engine's order."""
    t = lines_table(result.lines)
    if rep is not None:
        t = t[t["rep_id"] == rep]
    if component is not None:
        t = t[t["component_id"] == component]
    if kinds is not None:
        t = t[t["kind"].isin(list(kinds))]
    return list(zip(t["kind"], t["period"], t["amount"], t["deal_id"]))


def line_rows(result: RunResult, rep: str | None = None) -> list[dict]:
    """Every column of the matching lines as text (basis, rate, installment, note …)."""
    t = lines_table(result.lines)
    if rep is not None:
        t = t[t["rep_id"] == rep]
    return t.to_dict("records")


def register(result: RunResult, rep: str | None = None) -> list[tuple[str, ...]]:
    """(period, net, carry_in, draw, payout, carry_out) of the rep's register rows."""
    t = register_table(result.register)
    if rep is not None:
        t = t[t["rep_id"] == rep]
    return list(zip(t["period"], t["net"], t["carry_in"], t["draw"], t["payout"], t["carry_out"]))


def fact(row: dict, name: str) -> str:
    """One figure of a lines.csv row's ``facts`` (``name=value;…``), as text; "" when absent."""
    pairs = dict(p.split("=", 1) for p in row.get("facts", "").split(";") if p)
    return pairs.get(name, "")
