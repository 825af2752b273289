"""The run, stage by stage — the one way every command computes a book.

    load (compcalc.inputs) → credit (compcalc.crediting.Context) → compute (compcalc.engine:
    each component's lines) → close (compcalc.ledger.adjust.close: a ledger's closed months as
    recorded, prior-period adjustments) → pay (compcalc.payouts.compute_register, from the opening
    carry) → order (compcalc.engine.sort_lines) → report (compcalc.outputs, compcalc.statements, …)

``run(book, through)`` is a fresh run; ``run(book, through, closed=ledger.closed())`` is the run a
ledger records (``compcalc run --db``) or reports on (``compcalc accounting --db``). Reading the closed
months is the caller's; this module touches no database.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from compcalc import ledger_lines as L
from compcalc.crediting import Context
from compcalc.engine import RunResult, component_lines, moves_money, sort_lines
from compcalc.inputs import Book
from compcalc.payouts import compute_register

if TYPE_CHECKING:
    from compcalc.ledger.adjust import ClosedPeriods


def run(book: Book, through_month: int, *, closed: ClosedPeriods | None = None) -> RunResult:
    """Every rep's lines and the payout register for all months up to ``through_month``; with
    ``closed``, the closed months as recorded and the open months paid from their carry."""
    ctx = Context(book, through_month)  # credit
    lines = component_lines(ctx)  # compute
    month = lines["month"].to_numpy()
    moves = moves_money(lines)
    early = (month < ctx.first_month) & moves
    before_start = (int(early.sum()), int(lines["amount"].to_numpy()[early].sum()))
    keep = (month >= ctx.first_month) & (month <= through_month) & moves
    earned = lines[["rep_id", "month", "amount"]]
    register, draws = compute_register(earned if keep.all() else earned[keep], ctx.assignments, ctx.first_month,
                                       through_month)  # pay
    if len(draws):
        lines = L.concat_lines([lines, draws])
        keep = np.concatenate([keep, np.ones(len(draws), dtype=bool)])
    lines = sort_lines(lines, np.flatnonzero(keep), consume=True)  # order: filter and sort in one pass
    register = register.sort_values(["rep_id", "month"], kind="stable").reset_index(drop=True)
    result = RunResult(book=book, context=ctx, lines=lines, register=register, unassigned=ctx.unassigned_frame(),
                       first_month=ctx.first_month, through_month=through_month, before_start=before_start)
    if closed is None:
        return result
    from compcalc.ledger.adjust import close

    # the fresh run's lines stay as implied_lines: statements' vesting blocks match a fresh run
    return close(result, closed)  # close, then pay the open months from the recorded carry
