"""Tiny books for the accounting tests: plans as YAML text, CSVs as text, run and accounted for.

A test states its whole input beside its hand derivation and reads back accounting.csv and
journal.csv rows as text (amounts "1234.56", periods "2027-03").
"""
from __future__ import annotations

import tempfile
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd

from compcalc.accounting import Accounting, account
from compcalc.accounting.files import SCHEDULE_COLUMNS, _asset_periods, journal_table, write_schedule
from compcalc.accounting.schedule import MONEY
from compcalc.pipeline import run
from compcalc.inputs import load_book
from compcalc.money import format_cents, format_cents_array
from compcalc.periods import parse_period, period, periods
from conftest import write_book  # noqa: F401  (re-exported for the tests)

def plan(plan_id: str, components: str, *, benefit_months: int | None = None, expedient: bool | None = None,
         rounding: str = "half_up", role: str = "other", year_start: str = "2027-01-01") -> str:
    """A plan file's YAML with optional ``accounting:`` settings and ``components`` (YAML list items)."""
    body = textwrap.indent(textwrap.dedent(components).strip(), "  ")
    settings = {}
    if benefit_months is not None:
        settings["benefit_months"] = str(benefit_months)
    if expedient is not None:
        settings["practical_expedient"] = "true" if expedient else "false"
    accounting = ("accounting: {" + ", ".join(f"{k}: {v}" for k, v in settings.items()) + "}\n") if settings else ""
    return (f"plan_id: {plan_id}\nname: {plan_id}\nrole: {role}\ncurrency: USD\nyear_start: {year_start}\n"
            f"rounding: {rounding}\n{accounting}components:\n{body}\n")


def account_book(folder: Path, *, through: str, plans, roster: str, deals: str, **optional: str) -> Accounting:
    """Load the inline book, run it through ``through`` (YYYY-MM) and account for it."""
    book = load_book(**write_book(folder, plans=plans, roster=roster, deals=deals, **optional))
    return account(run(book, parse_period(through)))


def schedule(acc: Accounting, deal_id: str | None = None, **match: str) -> list[tuple[str, ...]]:
    """(period, capitalised, amortisation, impairment, expensed_immediately, balance) of the matching
    accounting.csv rows, in file order."""
    with tempfile.TemporaryDirectory() as tmp:
        write_schedule(acc, Path(tmp) / "accounting.csv")
        t = pd.read_csv(Path(tmp) / "accounting.csv", dtype=str, keep_default_na=False)
    if deal_id is not None:
        t = t[t["deal_id"] == deal_id]
    for col, value in match.items():
        t = t[t[col] == value]
    return list(zip(t["period"], t["capitalised"], t["amortisation"], t["impairment"], t["expensed_immediately"],
                    t["balance"]))


def journal(acc: Accounting, period_text: str | None = None) -> list[tuple[str, ...]]:
    """(period, entry, account, debit, credit) of journal.csv rows."""
    t = journal_table(acc)
    if period_text is not None:
        t = t[t["period"] == period_text]
    return list(zip(t["period"], t["entry"], t["account"], t["debit"], t["credit"]))


def totals(acc: Accounting, period_text: str) -> dict[str, str]:
    """The roll-forward row of a period, money as text."""
    row = acc.totals[acc.totals["month"] == parse_period(period_text)].iloc[0]
    return {k: (period(v) if k == "month" else format_cents(v)) for k, v in row.items()}


def months(first: str, count: int) -> list[str]:
    """Periods ``first`` and the ``count − 1`` months after it."""
    m = parse_period(first)
    return [period(m + i) for i in range(count)]


def cents(text: str) -> int:
    """"1234.56" → 123456 (two decimals, as the files write them)."""
    return int(text.replace(".", ""))


def amortising(first: str, count: int, monthly: str, last: str, amount: str) -> list[tuple[str, ...]]:
    """The expected rows of one asset amortised to the end: ``count`` months of ``monthly``, the last
    ``last``; the balance falls by each amortisation (computed in cents from the stated numbers)."""
    balance = cents(amount)
    out = []
    for i, p in enumerate(months(first, count)):
        step = cents(last) if i == count - 1 else cents(monthly)
        balance -= step
        out.append((p, amount if i == 0 else "0.00", format_cents(step), "0.00", "0.00", format_cents(balance)))
    return out


def schedule_table(acc: Accounting) -> pd.DataFrame:
    """accounting.csv as text columns, built the plain way: the oracle :func:`write_schedule`'s fast
    writer must agree with."""
    g, r = acc.groups, acc.rows
    at = r["group"].to_numpy(np.int64)
    out = {"period": periods(r["month"].to_numpy(np.int64))}
    for col in ("plan_id", "component_id", "deal_id"):
        out[col] = g[col].to_numpy(object)[at]
    for col in MONEY:
        out[col] = format_cents_array(r[col].to_numpy(np.int64)).astype(object)
    out["rep_id"] = g["rep_id"].to_numpy(object)[at]
    out["account_id"] = g["account_id"].to_numpy(object)[at]
    out["asset_period"] = _asset_periods(g["asset_month"].to_numpy(np.int64))[at]
    return pd.DataFrame(out, columns=SCHEDULE_COLUMNS)
