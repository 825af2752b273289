"""compcalc close, reopen, history, diff, runs — and the --db option of compcalc run: the payout ledger."""
from __future__ import annotations

import functools
import os
import sys

import click

from compcalc.ledger import DEFAULT_DB, ENV_DB
from compcalc.periods import parse_period, period

_DB_HELP = "The payout ledger: a SQLite file that a run recorded, or a postgresql:// URL."


def display(cents) -> str:
    from compcalc.money import display as show  # numpy: loaded by the commands, not at start-up
    return show(cents)


def _month(ctx, param, value):
    month = parse_period(value)
    if month is None:
        raise click.BadParameter(f"{value!r} is not a period (YYYY-MM)")
    return month


def db_option(func):
    """--db for `compcalc run`: off unless given or set in $COMPCALC_DB; ``--db`` alone is ./compcalc.db."""
    return click.option(
        "--db", "db", is_flag=False, flag_value=DEFAULT_DB, default=None, envvar=ENV_DB, metavar="URL",
        help=(f"Record the run in the payout ledger at URL (a SQLite file, created on first use, or a "
              f"postgresql:// URL); closed months stay as paid and changes to them become prior-period "
              f"adjustments. --db alone means ./{DEFAULT_DB}. Default: ${ENV_DB}, else no ledger."))(func)


def _ledger_db(func):
    return click.option("--db", "db", default=lambda: os.environ.get(ENV_DB) or DEFAULT_DB, metavar="URL",
                        show_default=f"${ENV_DB}, else ./{DEFAULT_DB}", help=_DB_HELP)(func)


def ledger_errors(func):
    """LedgerError → its message on stderr and exit 2 (never a traceback)."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from compcalc.ledger import LedgerError
        try:
            return func(*args, **kwargs)
        except LedgerError as e:
            click.echo(f"error: {e}", err=True)
            raise SystemExit(2)
    return wrapper


def _open(db: str, create: bool = False):
    from compcalc.ledger import Ledger
    return Ledger(db, create=create)


def closed_in_ledger(db: str, *, must_exist: bool = False):
    """The closed months of the ledger at ``db`` (``Ledger.closed``), for ``pipeline.run(..., closed=)``.
    A SQLite ledger not created yet has none (``compcalc run --db`` creates it when it records);
    with ``must_exist`` (``compcalc accounting --db``) that is an error. A ledger problem exits 2."""
    from pathlib import Path

    from compcalc.ledger import LedgerError
    from compcalc.ledger.adjust import ClosedPeriods
    from compcalc.ledger.store import database_url

    try:
        url = database_url(db)
        if not must_exist and url.get_backend_name() == "sqlite" and not Path(url.database).exists():
            return ClosedPeriods.none(url.database)
        with _open(db, create=not must_exist) as ledger:  # a new PostgreSQL ledger gets its tables now
            return ledger.closed()
    except LedgerError as e:
        click.echo(f"error: {e}", err=True)
        raise SystemExit(2)


def record_in_ledger(result, db: str, quiet: bool, write=None):
    """Record a run closed against the ledger at ``db`` (``pipeline.run(book, through,
    closed=closed_in_ledger(db))``) for `compcalc run --db`; the ledger only stores it, and the
    recorded result is returned. ``write(recorded)`` writes the output files inside the ledger's
    transaction, so the run is recorded only when they are complete, and they stay only when it is
    recorded: a failure in either leaves neither. A ledger problem exits 2."""
    from compcalc.ledger import LedgerError

    written = []

    def then(recorded):
        write(recorded)
        written.append(True)

    try:
        with _open(db, create=True) as ledger:
            if quiet:
                recording = ledger.record(result, then=then if write else None)
            else:
                with click.progressbar(length=len(result.lines) + len(result.register),
                                       label="Recording in the ledger", file=sys.stderr) as bar:
                    recording = ledger.record(result, progress=bar.update, then=then if write else None)
            name = ledger.name
    except LedgerError as e:
        if written:  # the files are in place but the commit failed: take them back
            write.undo()
        click.echo(f"error: {e}", err=True)
        raise SystemExit(2)
    _warn_repaid(db, recording)
    if not quiet:
        adj = recording.adjustments
        if recording.unchanged:
            click.echo(f"ledger {name}: unchanged, run {recording.run_id}")
        else:
            click.echo(f"ledger {name}: recorded as run {recording.run_id}")
        if len(adj):
            months = sorted({period(m) for m in adj["original_month"].dropna().astype(int)})
            click.echo(f"{len(adj)} prior-period adjustment{'s' if len(adj) != 1 else ''} in {period(int(adj['month'].iloc[0]))} "
                       f"for closed {', '.join(months)}: net {display(int(adj['amount'].sum()))}")
    return recording.result


def _warn_repaid(db: str, recording) -> None:
    """A warning (even with --quiet) when this run changes months that were once paid, then reopened."""
    from compcalc.ledger.reports import repaid_changes

    if recording.unchanged:
        return
    with _open(db) as ledger:
        changes = repaid_changes(ledger, recording.run_id)
    for month, run_id, before, now, reps in changes:
        click.echo(f"warning: {period(month)} was paid as run {run_id} and then reopened; this run changes its "
                   f"payouts from {display(before)} to {display(now)} ({reps} rep{'s' if reps != 1 else ''}): "
                   "what was paid stays in `compcalc history`", err=True)


# -- close, reopen ---------------------------------------------------------------------------------

@click.command("close")
@click.argument("month", metavar="YYYY-MM", callback=_month)
@_ledger_db
@ledger_errors
def close(month, db):
    """Close a month and every month before it: their lines and payouts become history.

    The months are paid as the latest recorded run has them. Later runs read them from the ledger
    unchanged and put any difference the inputs now imply into the first open month, as
    prior_period_adjustment lines. Closing a month that is already closed changes nothing.
    """
    with _open(db) as ledger:
        months, run = ledger.close_period(month)
        if not months:
            click.echo(f"{period(month)} is already closed (the ledger {ledger.name} is closed through "
                       f"{period(ledger.closed_through())}); nothing changed")
            return
        span = period(months[0]) if len(months) == 1 else f"{period(months[0])} to {period(months[-1])}"
        click.echo(f"closed {span} in the ledger {ledger.name}: paid as recorded by run {run.run_id} "
                   f"(through {period(run.through_month)}, recorded {_when(run.recorded_at)} by {run.recorded_by})")


@click.command("reopen")
@click.argument("month", metavar="YYYY-MM", callback=_month)
@click.option("--reason", required=True, help="Why the month is reopened (kept in the ledger's audit trail).")
@click.option("--yes", is_flag=True, help="Reopen even when that reopens several months (they are listed).")
@_ledger_db
@ledger_errors
def reopen(month, reason, db, yes):
    """Reopen a closed month and every month after it, saying why.

    The next run recomputes the reopened months from its inputs instead of reading them from the
    ledger. The reopening, its reason, who and when are kept in the ledger.
    """
    if not reason.strip():
        raise click.BadParameter("must say why the month is reopened", param_hint="'--reason'")
    from compcalc.inert_text import control_problem

    if control_problem(reason):  # kept in the ledger and printed by history: no terminal escapes
        raise click.BadParameter(control_problem(reason), param_hint="'--reason'")
    with _open(db) as ledger:
        affected = ledger.closed_from(month)
        if len(affected) > 1 and not yes:  # a typo in the year would reopen years of paid history
            click.echo(f"reopening {period(month)} reopens {len(affected)} closed months: "
                       f"{', '.join(period(m) for m in affected)}; run again with --yes to reopen them", err=True)
            raise SystemExit(2)
        months = ledger.reopen_period(month, reason)
        span = period(months[0]) if len(months) == 1 else f"{period(months[0])} to {period(months[-1])}"
        now = ledger.closed_through()
        state = f"closed through {period(now)}" if now is not None else "no month is closed"
        click.echo(f"reopened {span} in the ledger {ledger.name} ({state} now); reason recorded: {reason.strip()}")


# -- history, diff ---------------------------------------------------------------------------------

@click.command("history")
@click.argument("rep_id", metavar="REP")
@_ledger_db
@ledger_errors
def history(rep_id, db):
    """Show a rep's paid months, open months and prior-period adjustments, and the run behind each.

    Paid months are the closed ones, as the ledger recorded them; open months come from the latest
    run. The runs named are listed with who recorded them, when, and through which month.
    """
    from compcalc.ledger.reports import history as rep_history

    with _open(db) as ledger:
        h = rep_history(ledger, rep_id)
        name = ledger.name
    state = f"closed through {period(h.closed_through)}" if h.closed_through is not None else "no month closed"
    click.echo(f"{rep_id} in the ledger {name} ({state})")
    click.echo("")
    rows = [[period(r.month), r.status, display(r.net), display(r.carry_in), display(r.draw), display(r.payout),
             display(r.carry_out), str(r.run_id)] for r in h.months.itertuples()]
    click.echo(_table(["period", "status", "net", "carry in", "draw", "payout", "carry out", "run"], rows,
                      right={2, 3, 4, 5, 6, 7}))
    click.echo("")
    if len(h.adjustments):
        click.echo("prior-period adjustments")
        rows = [[period(a.month), period(a.original_month), a.plan_id, a.component_id, a.deal_id, display(a.amount),
                 a.status, str(a.run_id)] for a in h.adjustments.itertuples()]
        click.echo(_table(["period", "corrects", "plan", "component", "deal", "amount", "status", "run"], rows,
                          right={5, 7}))
    else:
        click.echo("no prior-period adjustments")
    click.echo("")
    for run in h.runs.values():
        click.echo(f"run {run.run_id}: through {period(run.through_month)}, recorded {_when(run.recorded_at)} "
                   f"by {run.recorded_by}, inputs {run.inputs_sha256[:12]}")
    for e in h.events:
        what = f"closed through {period(e.month)} as run {e.run_id}" if e.action == "close" else \
            f"reopened from {period(e.month)}: {e.reason}"
        click.echo(f"{_when(e.recorded_at)} {e.recorded_by}: {what}")


@click.command("diff")
@click.argument("run_a", type=int)
@click.argument("run_b", type=int)
@click.option("--by-period", is_flag=True, help="Split each rep's and component's change by period.")
@_ledger_db
@ledger_errors
def diff(run_a, run_b, by_period, db):
    """Show what changed between two recorded runs, per rep and component, and which inputs differ.

    Amounts are each run's lines summed over its months (draws included); only differences are listed.
    """
    from compcalc.ledger.reports import compare_runs

    with _open(db) as ledger:
        c = compare_runs(ledger, run_a, run_b, by_period)
    for run in (c.run_a, c.run_b):
        click.echo(f"run {run.run_id}: through {period(run.through_month)}, recorded {_when(run.recorded_at)} "
                   f"by {run.recorded_by}")
    if c.inputs:
        for role, name, sha_a, sha_b in c.inputs:
            what = "plan" if role == "plan" else "input"
            click.echo(f"{what} {name} changed: {(sha_a or 'absent')[:12]} → {(sha_b or 'absent')[:12]}")
    else:
        click.echo("inputs: identical")
    click.echo("")
    for run, months, total in ((run_a, c.only_a, c.only_a_total), (run_b, c.only_b, c.only_b_total)):
        if months:  # not changes: the other run never computed them
            click.echo(f"only run {run} covers {_span(months)}: lines {display(total)}, not compared")
    if c.only_a or c.only_b:
        click.echo(f"months both cover: {_span(c.common) if c.common else 'none'}")
        click.echo("")
    if not len(c.changes):
        click.echo(f"no differences in lines between run {run_a} and run {run_b}")
        return
    head = ["rep", "plan", "component"] + (["period"] if by_period else []) + [f"run {run_a}", f"run {run_b}", "change"]
    rows = []
    for r in c.changes.to_dict("records"):
        row = [r["rep_id"], r["plan_id"] or "-", r["component_id"]] + ([period(r["month"])] if by_period else [])
        rows.append(row + [display(r["amount_a"]), display(r["amount_b"]), display(r["change"])])
    n = len(head)
    rows.append(["total"] + [""] * (n - 4) + [display(int(c.changes["amount_a"].sum())),
                                            display(int(c.changes["amount_b"].sum())),
                                            display(int(c.changes["change"].sum()))])
    click.echo(_table(head, rows, right={n - 3, n - 2, n - 1}))


def _span(months: list[int]) -> str:
    return period(months[0]) if len(months) == 1 else f"{period(months[0])} to {period(months[-1])}"


@click.command("runs")
@_ledger_db
@ledger_errors
def runs(db):
    """List the recorded runs (months covered, who, when, lines) and the closed months."""
    with _open(db) as ledger:
        all_runs = ledger.runs()
        closed = ledger.closed_periods()
        name = ledger.name
    click.echo(f"the ledger {name}: {len(all_runs)} run{'s' if len(all_runs) != 1 else ''}")
    for r in all_runs:
        click.echo(f"run {r.run_id}: {period(r.first_month)} to {period(r.through_month)}, recorded "
                   f"{_when(r.recorded_at)} by {r.recorded_by}, {r.line_count:,} lines, inputs {r.inputs_sha256[:12]}")
    if not closed:
        click.echo("no month is closed")
        return
    by_run: dict[int, list[int]] = {}
    for m, run_id in closed.items():
        by_run.setdefault(run_id, []).append(m)
    for run_id, months in by_run.items():
        click.echo(f"closed {_span(months)}: paid as run {run_id}")


def _when(at) -> str:
    return at.strftime("%Y-%m-%d %H:%M UTC")


def _table(head: list[str], rows: list[list[str]], right: set[int]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows)]
    out = []
    for row in [head] + rows:
        cells = [str(x).rjust(w) if i in right else str(x).ljust(w) for i, (x, w) in enumerate(zip(row, widths))]
        out.append("  ".join(cells).rstrip())
    return "\n".join(out)


commands = [close, reopen, history, diff, runs]
