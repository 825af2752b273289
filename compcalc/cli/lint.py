"""compcalc lint: flag plan (and book) patterns that kill expansion."""
from __future__ import annotations

import click

from compcalc.cli.options import handle_input_errors
from compcalc.problems import InputError


@click.command("lint")
@click.argument("paths", nargs=-1, required=True, type=click.Path(), metavar="PLAN_OR_DIR...")
@click.option("--roster", type=click.Path(), help="roster.csv (with --deals): enables BK203.")
@click.option("--deals", type=click.Path(), help="deals.csv: enables the book rules (BK2xx) and book metrics.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: one finding a line with its fix; json: a list of findings.")
@click.option("--select", multiple=True, metavar="CODES",
              help="Run only these rule codes or prefixes (comma-separated, repeatable; replaces the "
                   "pyproject select).")
@click.option("--ignore", multiple=True, metavar="CODES",
              help="Skip these rule codes or prefixes (comma-separated, repeatable; adds to the pyproject "
                   "ignore).")
@click.option("--quiet", "-q", is_flag=True, help="Print only the findings (no summary, no book metrics).")
@handle_input_errors
def command(paths, roster, deals, fmt, select, ignore, quiet):
    """Lint plans for comp patterns that kill expansion (EX1xx) and, with --deals, the book (BK2xx).

    Exit 0 when no finding is an error, 1 when any is, 2 on bad input (every problem listed; with
    --format json, as a JSON list of {file, message, line, path, row, column}).
    Rules are configured in [tool.compcalc.lint] of pyproject.toml (select, ignore, min_land_arr) and
    per plan with lint: {ignore: [...]}; see `compcalc rules` and `compcalc explain CODE`.
    """
    if roster and not deals:
        raise click.UsageError("--roster needs --deals (the roster is only read for the book rules)")
    from compcalc.lint import lint_paths, output

    try:
        report = lint_paths(paths, deals=deals, roster=roster, select=select, ignore=ignore)
    except InputError as e:
        if fmt != "json":
            raise  # the text report on stderr, exit 2
        # as `validate --format json`: the problems as a JSON list, so a tool never parses prose
        click.echo(e.to_json())
        raise SystemExit(2)
    text = output.to_json(report) if fmt == "json" else output.text(report, quiet=quiet)
    if text:
        click.echo(text)
    raise SystemExit(report.exit_code)
