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

from compcalc.crediting import Context
from compcalc.engine import RunResult, component_lines, moves_money, sort_lines
from compcalc.inputs import Book
from compcalc.payouts import compute_register

if TYPE_CHECKING:
    from compcalc.ledger.adjust import ClosedPeriods


def schedule_horizon(plans) -> int:
    """Months past an event that any component's schedule reaches (0: no component schedules later
    lines) — the component answers (``horizon_months``)."""
    return max([0] + [c.horizon_months() for plan in plans.values() for c in plan.components])


def run(book: Book, through_month: int, *, closed: ClosedPeriods | None = None,
        schedule: bool = False) -> RunResult:
    """Every rep's lines and the payout register for all months up to ``through_month``; with
    ``closed``, the closed months as recorded and the open months paid from their carry.

    ``schedule``: also keep, in ``RunResult.scheduled``, the lines the components have already
    scheduled after ``through_month`` (installments still to vest, as known at its end) — what a
    statement's "vesting next" shows. The run is then of the book as of ``through_month`` (later events
    cannot change earlier lines, so the lines up to it are the same).
    """
    until = through_month
    if schedule:
        book = book.as_of(through_month)
        until = through_month + schedule_horizon(book.plans)
    ctx = Context(book, through_month, until)  # credit
    lines = component_lines(ctx)  # compute
    month = lines["month"].to_numpy()
    moves = moves_money(lines)
    early = (month < ctx.first_month) & moves
    before_start = (int(early.sum()), int(lines["amount"].to_numpy()[early].sum()))
    in_run = month >= ctx.first_month
    keep = in_run & (month <= through_month) & moves
    scheduled = sort_lines(lines, np.flatnonzero(in_run & (month > through_month))) if schedule else None
    if closed is not None and closed.months:
        return _run_closed(book, ctx, lines, keep, through_month, closed, before_start, scheduled)
    earned = lines[["rep_id", "month", "amount"]]
    register, draws = compute_register(earned if keep.all() else earned[keep], ctx.assignments, ctx.first_month,
                                       through_month)  # pay
    # order: filter, add the draw top-ups and sort in one pass
    lines = sort_lines(lines, np.flatnonzero(keep), consume=True, extra=draws)
    if closed is not None:  # a ledger with nothing closed yet: the ledger's lines frame all the same
        from compcalc.ledger.adjust import with_original_month

        lines = with_original_month(lines)
    register = register.sort_values(["rep_id", "month"], kind="stable").reset_index(drop=True)
    return RunResult(book=book, context=ctx, lines=lines, register=register, unassigned=ctx.unassigned_frame(),
                     first_month=ctx.first_month, through_month=through_month, before_start=before_start,
                     scheduled=scheduled, closed_months=None if closed is None else {})


def _run_closed(book, ctx, lines, keep, through_month, closed, before_start, scheduled) -> RunResult:
    """The run against a ledger's closed months: close, then pay the open months from the recorded carry."""
    from compcalc.ledger.adjust import close

    implied = sort_lines(lines, np.flatnonzero(keep), consume=True)
    closing = close(implied, ctx.first_month, through_month, closed)  # close
    register, draws = compute_register(closing.earnings(), ctx.assignments, closing.first_open, through_month,
                                       opening_carry=closing.opening_carry)  # pay
    lines, register, first_month = closing.put_back(register, draws, ctx.first_month)  # order
    # the inputs' own lines stay as implied_lines: statements' vesting blocks match a fresh run
    return RunResult(book=book, context=ctx, lines=lines, register=register, unassigned=ctx.unassigned_frame(),
                     first_month=first_month, through_month=through_month, before_start=before_start,
                     scheduled=scheduled, implied_lines=implied, closed_months=dict(closed.months))
