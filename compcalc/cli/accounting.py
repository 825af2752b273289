"""compcalc accounting: the ASC 340-40 schedule, journal and workbook of a run."""
from __future__ import annotations

import contextlib
import sys

import click

from compcalc.cli.options import (
    book_inputs, book_kwargs, check_book, handle_input_errors, out_option, quiet_option, through_option,
)
from compcalc.cli.ledger import closed_in_ledger, ledger_errors
from compcalc.ledger import ENV_DB
from compcalc.periods import period


@contextlib.contextmanager
def _progress(label: str, length: int, quiet: bool):
    """A progress bar (stderr) whose update takes a row count; nothing when quiet."""
    if quiet:
        yield None
        return
    with click.progressbar(length=length, label=label, file=sys.stderr) as bar:
        yield bar.update


@click.command("accounting")
@book_inputs
@through_option
@out_option
@click.option("--db", "db", default=None, envvar=ENV_DB, metavar="URL",
              help="A payout ledger (SQLite file or postgresql:// URL) whose closed months count as paid, with "
                   "their prior-period adjustments, as `compcalc run --db` records them; only read, never "
                   f"written. Default: ${ENV_DB}, else none.")
@quiet_option
@handle_input_errors
@ledger_errors  # e.g. --through in a closed month
def command(through, out, db, quiet, **kwargs):
    """Capitalised commissions under ASC 340-40: schedule, journal and roll-forward through a month.

    Runs the book like `compcalc run` and writes accounting.csv (per period, plan, component and
    deal: capitalised, amortisation, impairment, expensed immediately, balance), journal.csv (per
    period: the entries and the closing balance split into current and non-current) and
    accounting.xlsx (roll-forward with live formulas, journal, schedule by deal, policy). With --db, the
    ledger's closed months are taken as paid (read only: nothing is recorded). On bad input,
    lists every problem and exits 2 without writing anything; the folder appears whole or not at all.
    """
    from compcalc.accounting import account
    from compcalc.accounting.files import write_journal, write_schedule
    from compcalc.accounting.workbook import DEAL_ROWS_LIMIT, write_workbook
    from compcalc.pipeline import run as run_book
    from compcalc.inputs import load_book
    from compcalc.money import display
    from compcalc.outputs import atomic_dir

    book = load_book(**book_kwargs(kwargs))
    check_book(book, through)
    result = run_book(book, through, closed=None if db is None else closed_in_ledger(db, must_exist=True))
    acc = account(result)
    with atomic_dir(out) as tmp:
        with _progress("accounting.csv", len(acc.rows), quiet) as update:
            write_schedule(acc, tmp / "accounting.csv", progress=update)
        write_journal(acc, tmp / "journal.csv")
        with _progress("accounting.xlsx", len(acc.groups), quiet) as update:
            write_workbook(acc, tmp / "accounting.xlsx", progress=update)
    if quiet:
        return
    t = acc.totals
    if len(t):
        last = t.iloc[-1]
        click.echo(f"{len(acc.assets):,} capitalisable lines in {len(acc.groups):,} asset groups, "
                   f"{period(acc.first_month)} to {period(through)}")
        click.echo(f"{period(through)}: capitalised {display(last['capitalised'])}, amortised "
                   f"{display(last['amortisation'])}, impaired {display(last['impairment'])}, expensed "
                   f"immediately {display(last['expensed_immediately'])}; closing balance "
                   f"{display(last['closing'])} {acc.currency} (current {display(last['current'])}, "
                   f"non-current {display(last['non_current'])})")
    if len(acc.groups) > DEAL_ROWS_LIMIT:
        click.echo(f"accounting.xlsx lists totals by plan, component and rep ({len(acc.groups):,} asset groups); "
                   "the schedule by deal is accounting.csv")
    click.echo(f"written to {out}")
