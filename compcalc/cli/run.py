"""compcalc run: the monthly payout run."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import click

from compcalc.cli.ledger import closed_in_ledger, db_option, ledger_errors, record_in_ledger
from compcalc.cli.options import (
    book_inputs, book_kwargs, check_book, handle_input_errors, out_option, quiet_option, through_option,
)
from compcalc.periods import period

# compcalc.statements.CHOICES, written out so that start-up does not import the statements package
# (openpyxl, jinja2); tests/test_cli_startup.py checks the two agree.
STATEMENT_CHOICES = ("none", "through", "all")


@click.command("run")
@book_inputs
@through_option
@out_option
@db_option
@click.option("--statements", type=click.Choice(STATEMENT_CHOICES), default="through", show_default=True,
              help="Rep statements (xlsx + html) to write: none, the --through month's, or all months'.")
@click.option("--pipeline", type=click.Path(),
              help="pipeline.csv: open deals (deal columns + stage, probability); writes forecast.csv and "
                   "\"if these close\" on the statements.")
@click.option("--pdf", is_flag=True,
              help="Also render the statements and the register to PDF (needs headless Chromium).")
@quiet_option
@handle_input_errors
@ledger_errors  # e.g. --through in a closed month
def command(through, out, db, statements, pipeline, pdf, quiet, **kwargs):
    """Compute every rep's lines, payouts and carry through a month; write lines, register, statements.

    Covers every month from the start of the earliest plan year holding an assignment to --through. On bad input, lists every
    problem and exits 2 without writing anything; the output folder appears whole or not at all.
    Statements: statements/<rep>_<YYYY-MM>.xlsx and .html; payout_register_<YYYY-MM>.xlsx and .html.
    """
    from compcalc.pipeline import run as run_book
    from compcalc.inputs import load_book
    from compcalc.money import display

    if db is not None:
        _check_db(db)  # before any work: --db '' or a bad URL costs nothing
    if db and _inside(db, out):
        raise click.UsageError(f"the ledger --db {db} is inside --out {out}, which a run replaces whole: "
                               "keep the ledger outside the output folder")
    chromium = _chromium() if pdf else None  # before any work, so a missing browser costs nothing
    inputs = book_kwargs(kwargs)
    if pipeline:  # both files' problems at once
        from compcalc import forecast as forecasting

        book, open_deals = forecasting.check_with_book(pipeline, lambda: load_book(**inputs))
    else:
        book, open_deals = load_book(**inputs), None
    check_book(book, through)
    closed = None if db is None else closed_in_ledger(db)  # closed months stay as paid
    result = run_book(book, through, closed=closed, schedule=statements != "none")
    forecast = forecasting.forecast(book, through, open_deals) if pipeline else None
    outputs = _Outputs(out, statements, chromium, quiet, forecast)
    if db is not None:  # closed months as paid, changes to them as prior-period adjustments
        result = record_in_ledger(result, db, quiet, write=outputs)  # files written before the commit
    else:
        outputs(result)
    if not quiet:
        reg = result.register
        month = reg[reg["month"] == through]
        click.echo(f"{len(result.lines):,} lines for {reg['rep_id'].nunique():,} reps, "
                   f"{period(result.first_month)} to {period(through)}; "
                   f"payouts {period(through)}: {display(int(month['payout'].sum()))} {book.currency} "
                   f"to {int((month['payout'] > 0).sum())} reps")
        if len(result.unassigned):
            click.echo(f"{len(result.unassigned)} events with no assignment: see unassigned.csv")
        click.echo(f"written to {out}")
    count, cents = result.before_start
    if count:  # a warning even with --quiet: money outside the run must not go unnoticed
        click.echo(f"warning: {count:,} line{'s' if count != 1 else ''} ({display(cents)} {book.currency}) fall before the run's first month "
                   f"{period(result.first_month)} (the start of the earliest plan year holding a roster "
                   "assignment) and are not in this run", err=True)


class _WriteFailed(click.ClickException):
    exit_code = 2


class _Outputs:
    """Writes the run's output folder (whole or not at all); ``undo`` takes it back when the ledger
    could not commit the run after it was written."""

    def __init__(self, out, statements, chromium, quiet, forecast=None):
        self.out, self.statements, self.chromium, self.quiet = out, statements, chromium, quiet
        self.forecast = forecast  # the --pipeline forecast, or None

    def __call__(self, result) -> None:
        import jinja2

        from compcalc.outputs import atomic_dir, in_background, write_run_files

        try:
            with atomic_dir(self.out) as tmp, in_background(write_run_files, result, tmp):
                forecasts = None
                if self.forecast is not None:
                    from compcalc import forecast as forecasting

                    forecasting.write_csv(self.forecast, tmp / "forecast.csv")
                    forecasts = forecasting.by_rep(self.forecast)
                _write_documents(result, tmp, self.statements, self.chromium, self.quiet, forecasts)
        except jinja2.TemplateError as e:  # a statement template edited into something broken
            reason = " ".join(str(e).split())
            raise _WriteFailed(f"a statement template is broken ({type(e).__name__}: {reason}); nothing was written")

    def undo(self) -> None:
        shutil.rmtree(self.out, ignore_errors=True)


def _check_db(db: str) -> None:
    from compcalc.ledger.store import LedgerError, database_url, default_timeout

    try:
        database_url(db)
        default_timeout()
    except LedgerError as e:
        click.echo(f"error: {e}", err=True)
        raise SystemExit(2)


def _inside(db: str, out: str) -> bool:
    """Is ``db`` a SQLite file inside the folder ``out``? (A bad --db is reported by the ledger.)"""
    from compcalc.ledger.store import LedgerError, database_url

    try:
        url = database_url(db)
    except LedgerError:
        return False
    return url.get_backend_name() == "sqlite" and Path(out).resolve() in Path(url.database).parents


def _chromium() -> str:
    from compcalc.statements.pdf import ChromiumNotFound, find_chromium

    try:
        return find_chromium()
    except ChromiumNotFound as e:
        click.echo(str(e), err=True)
        raise SystemExit(2)


def _progress(quiet: bool, length: int, label: str):
    if quiet or not length:
        return _Silent()
    return click.progressbar(length=length, label=label, file=sys.stderr)


class _Silent:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def update(self, n):
        pass


def _site_files(through: int, pdf: bool, forecast: bool) -> list[str]:
    """The run's files the site links to, relative to the output folder: those the run writes, named
    before they are all there (the CSVs are being written beside the site, the PDFs after it)."""
    p = period(through)
    names = [f"payout_register_{p}.xlsx", f"payout_register_{p}.html", "lines.csv", "register.csv", "unassigned.csv"]
    return names + (["forecast.csv"] if forecast else []) + ([f"payout_register_{p}.pdf"] if pdf else [])


def _write_documents(result, folder, which: str, chromium: str | None, quiet: bool, forecasts=None) -> None:
    """Statements, the payout register and the run site, inside the run's temporary folder."""
    from compcalc import statements as docs
    from compcalc.statements.pdf import BrowserError

    book, keys = docs.prepare(result, which)
    book.forecasts = forecasts or {}
    html = docs.write_register(book, folder)[1:]
    with _progress(quiet, len(keys), "Writing statements") as bar:
        pages = docs.write_statements(book, keys, folder / docs.STATEMENTS_DIR, bar.update)
    html += pages
    docs.write_site(book, folder, dict(zip(keys, pages)),
                    _site_files(result.through_month, chromium is not None, forecasts is not None), forecasts)
    if chromium:
        with _progress(quiet, len(html), "Rendering PDFs") as bar:
            try:
                docs.write_pdfs(html, bar.update, executable=chromium)
            except BrowserError as e:
                raise click.ClickException(f"PDF rendering failed, nothing was written: {e}")
