"""compcalc validate: check plans and inputs, print ok or every problem."""
from __future__ import annotations

import json

import click

from compcalc.cli.options import input_option, plans_option
from compcalc.problems import InputError
from compcalc.schema import INPUTS


def input_files(func):
    """Every input file, none required: without --roster and --deals only the plans are checked."""
    for f in reversed(INPUTS):
        func = input_option(f, required=False, help=f.file)(func)
    return func



@click.command("validate")
@plans_option
@input_files
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def command(plans, roster, deals, fmt, **optional):
    """Validate plans (and, with --roster and --deals, every input file): print ok or every problem.

    Exit 0 when everything is valid, 2 when anything is not.
    """
    from compcalc.inputs import load_book
    from compcalc.plans import load_plans

    try:
        if roster or deals:
            if not (roster and deals):
                raise click.UsageError("--roster and --deals go together")
            book = load_book(plans, roster, deals, **optional)
            summary = f"{len(book.plans)} plans, {len(book.roster)} assignments, {len(book.deals)} deals"
        else:
            summary = f"{len(load_plans(plans))} plans"
    except InputError as e:
        e = _with_hints(e, [roster, deals, *optional.values()])
        if fmt == "json":
            click.echo(e.to_json())
        else:
            click.echo(e.report(), err=True)
        raise SystemExit(2)
    click.echo(json.dumps([]) if fmt == "json" else f"ok: {summary}")


def _with_hints(error: InputError, paths) -> InputError:
    """The problems plus a likely cause for each input that looks like a raw CRM or Excel export."""
    from compcalc.crm.hints import hints_for

    failed = {p.file for p in error.problems}
    extra = [h for path in dict.fromkeys(str(p) for p in paths if p) if path in failed for h in hints_for(path)]
    return InputError(error.problems + extra) if extra else error
