"""compcalc run: the monthly payout run."""
from __future__ import annotations

import click

from compcalc.cli.options import book_inputs, book_kwargs, handle_input_errors, quiet_option, through_option
from compcalc.engine import run as run_book
from compcalc.inputs import load_book
from compcalc.money import display
from compcalc.outputs import atomic_dir, write_run_files
from compcalc.periods import period


@click.command("run")
@book_inputs
@through_option
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Output folder (replaced whole).")
@quiet_option
@handle_input_errors
def command(through, out, quiet, **kwargs):
    """Compute every rep's lines, payouts and carry through a month; write lines, register, statements.

    Covers every month from the earliest plan year start to --through. On bad input, lists every
    problem and exits 2 without writing anything; the output folder appears whole or not at all.
    """
    book = load_book(**book_kwargs(kwargs))
    result = run_book(book, through)
    with atomic_dir(out) as tmp:
        write_run_files(result, tmp)
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
