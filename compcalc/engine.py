"""The run: credit the book, compute every component's lines, then payouts and carry.

load (inputs) → credit (crediting) → components → payouts → outputs. ``run`` is the library entry
point the CLI, what-if, the ledger and accounting all call.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from compcalc import ledger_lines as L
from compcalc.crediting import Context
from compcalc.inputs import Book
from compcalc.payouts import compute_register


@dataclass
class RunResult:
    """Everything a run produced. ``lines`` and ``register`` use integer months and cents."""

    book: Book
    context: Context
    lines: pd.DataFrame
    register: pd.DataFrame
    unassigned: pd.DataFrame
    first_month: int
    through_month: int


def adjustment_lines(book: Book) -> pd.DataFrame:
    a = book.adjustments
    if not len(a):
        return L.empty_lines()
    return L.make_lines(rep_id=a["rep_id"].to_numpy(object), month=a["month"].to_numpy(np.int64),
                        component_id="adjustment", kind=L.MANUAL_ADJUSTMENT,
                        amount=a["amount"].to_numpy(dtype=np.int64, na_value=0), note=a["reason"].to_numpy(object))


def component_lines(ctx: Context) -> pd.DataFrame:
    frames = [component.compute(plan, ctx) for plan in ctx.plans.values() for component in plan.components]
    frames.append(adjustment_lines(ctx.book))
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else L.empty_lines()


def money_movements(lines: pd.DataFrame) -> pd.DataFrame:
    """SPEC §5: one row per money movement, so zero amounts (upfront_pct 0, nothing left to vest, a
    zero rate) are dropped; forfeits keep theirs (amount 0, forfeited value in basis), and manual
    adjustments stay as finance entered them."""
    kind = lines["kind"].to_numpy(object)
    forfeited = (kind == L.FORFEIT) & (lines["basis"].to_numpy(dtype=np.int64, na_value=0) != 0)
    keep = (lines["amount"].to_numpy() != 0) | forfeited | (kind == L.MANUAL_ADJUSTMENT)
    return lines if keep.all() else lines[keep]


def sort_lines(lines: pd.DataFrame) -> pd.DataFrame:
    keys = ["rep_id", "month", "plan_id", "component_id", "deal_id", "kind"]
    order = np.lexsort([_codes(lines[c]) for c in reversed(keys)])
    return lines.iloc[order].reset_index(drop=True)


def _codes(col: pd.Series) -> np.ndarray:
    if col.dtype == object or pd.api.types.is_string_dtype(col):
        return pd.factorize(col, sort=True)[0]
    return col.to_numpy()


def run(book: Book, through_month: int) -> RunResult:
    """Compute every rep's lines and the payout register for all months up to ``through_month``."""
    ctx = Context(book, through_month)
    lines = component_lines(ctx)
    in_run = (lines["month"].to_numpy() >= ctx.first_month) & (lines["month"].to_numpy() <= through_month)
    lines = money_movements(lines[in_run])
    register, draws = compute_register(lines, ctx.assignments, ctx.first_month, through_month)
    if len(draws):
        lines = pd.concat([lines, draws], ignore_index=True)
    lines = sort_lines(lines)
    register = register.sort_values(["rep_id", "month"], kind="stable").reset_index(drop=True)
    return RunResult(book=book, context=ctx, lines=lines, register=register, unassigned=ctx.unassigned_frame(),
                     first_month=ctx.first_month, through_month=through_month)
