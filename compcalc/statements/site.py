"""The run site: ``index.html`` in a run's output folder, the page finance hands out.

One self-contained page (inline CSS, SVG and a few lines of script; no network) that works opened from
the file system: totals and charts of the run, the register of the run's last month with a search by
rep, and relative links to every statement, the payout register workbook and the CSV files.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from compcalc.periods import period
from compcalc.schema import REGISTER_MONEY
from compcalc.statements.html import environment
from compcalc.statements.register import RegisterRow, totals_by_currency

INDEX = "index.html"


@dataclass(frozen=True)
class MonthTotal:
    month: int
    net: int
    draw: int
    payout: int
    carry_out: int
    reps: int


@dataclass(frozen=True)
class SiteRow(RegisterRow):
    """A register row with the rep's statement links and forecast."""

    statement: str  # relative link to the --through month's statement ("" when none was written)
    months: tuple[tuple[str, str], ...]  # (period, link) of every statement of the rep, in month order
    forecast: int  # probability-weighted "if these close", cents


def month_totals(result) -> list[MonthTotal]:
    """Register totals per month of the run, in the book currency's sense (summed over reps)."""
    reg = result.register
    if not len(reg):
        return []
    g = reg.groupby("month", sort=True)
    sums = g[["net", "draw", "payout", "carry_out"]].sum()
    paid = (reg["payout"] > 0).groupby(reg["month"]).sum()
    out = []
    for m in range(result.first_month, result.through_month + 1):  # every month, those without rows as zero
        if m in sums.index:
            r = sums.loc[m]
            out.append(MonthTotal(month=m, net=int(r["net"]), draw=int(r["draw"]), payout=int(r["payout"]),
                                  carry_out=int(r["carry_out"]), reps=int(paid.get(m, 0))))
        else:
            out.append(MonthTotal(month=m, net=0, draw=0, payout=0, carry_out=0, reps=0))
    return out


def site_rows(book, statement_paths: dict, folder: Path, forecasts: dict | None = None) -> list[SiteRow]:
    """The through month's register, one row per rep with a statement or a register row."""
    month = book.through
    by_rep: dict[str, list[tuple[int, Path]]] = {}
    for (rep, m), path in statement_paths.items():
        by_rep.setdefault(rep, []).append((m, path))
    rows = []
    for rep in book.reps(month):
        links = sorted(by_rep.get(rep, []))
        months = tuple((period(m), _link(p, folder)) for m, p in links)
        this = next((link for p_, link in months if p_ == period(month)), "")
        rows.append(SiteRow.of(book, rep, month, statement=this, months=months,
                               forecast=sum(f.weighted for f in (forecasts or {}).get(rep, ()))))
    return rows


def _link(path: Path, folder: Path) -> str:
    return Path(os.path.relpath(path, folder)).as_posix()


def write_site(book, folder, statement_paths: dict, files: list[str], forecasts: dict | None = None) -> Path:
    """Write ``index.html`` into ``folder``; ``statement_paths`` maps (rep, month) to a statement's .html,
    ``files`` names the run's other files to link (relative to ``folder``; the run writes some of them
    beside or after the site, so they are linked as given)."""
    folder = Path(folder)
    rows = site_rows(book, statement_paths, folder, forecasts)
    totals = totals_by_currency(rows, (*REGISTER_MONEY, "forecast"))
    one_currency = len({p.currency for p in book.plans.values()}) <= 1
    months = month_totals(book.result) if one_currency else []  # never add up different currencies
    by_plan: dict[str, int] = {}
    for r in rows:
        by_plan[r.plan_id or "—"] = by_plan.get(r.plan_id or "—", 0) + r.payout
    html = environment().get_template("index.html").render(
        through=book.through, first=book.result.first_month, rows=rows, totals=totals,
        months=months, by_plan=sorted(by_plan.items()), files=list(files),
        statements=len(statement_paths), has_forecast=bool(forecasts))
    path = folder / INDEX
    path.write_text(html, encoding="utf-8")
    return path
