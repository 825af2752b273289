"""compcalc import deals|milestones|roster: a CRM, CS-platform or HRIS export into a canonical input file."""
from __future__ import annotations

import click

from compcalc.cli.options import handle_input_errors, quiet_option


def _since(ctx, param, value):
    import datetime as dt

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)")


def _make(table: str, what: str):
    @click.command(table, help=f"""Convert {what} into {table}.csv (SPEC §2), with a report of every row.

    Exit 0 when written; 2 with every problem (file, row, column, reason) and nothing written.""")
    @click.argument("export", type=click.Path(), metavar="EXPORT.csv")
    @click.option("--mapping", required=True, type=click.Path(), metavar="MAPPING.yaml",
                  help="How the export's columns and values map to compcalc's (see mappings/).")
    @click.option("--roster", type=click.Path(), help="roster.csv: resolves owner names or emails to rep_id.")
    @click.option("--out", required=True, type=click.Path(dir_okay=False), metavar="FILE",
                  help=f"The {table}.csv to write (replaced whole; nothing is written on bad input).")
    @click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
                  help="The report of every row: text, or JSON on stdout.")
    @quiet_option
    @handle_input_errors
    def command(export, mapping, roster, out, fmt, quiet, since=None):
        from pathlib import Path

        import pyarrow as pa

        from compcalc.crm.importer import import_export
        from compcalc.problems import InputError

        # The process's Arrow pool: malloc returns freed pages lazily, where the default pool's
        # decommits cost a 1M-row import more system time than its whole conversion.
        pa.set_memory_pool(pa.system_memory_pool())

        if Path(out).resolve() == Path(export).resolve():
            raise click.UsageError("--out is the export itself: write the converted file elsewhere")
        try:
            report = import_export(table, export, mapping, out, roster=roster, since=since)
        except InputError as e:
            if fmt != "json":
                raise
            click.echo(e.to_json())
            raise SystemExit(2)
        if fmt == "json":
            click.echo(report.to_json())
        elif not quiet:
            click.echo(report.text())

    if table == "deals":
        command = click.option("--since", callback=_since, metavar="YYYY-MM-DD",
                               help="Deals closed before this date are history: read for the accounts' ARR "
                                    "(derived prior_arr), not written.")(command)
    return command


@click.group("import")
def group() -> None:
    """Convert CRM, CS-platform and HRIS exports into compcalc's input files (see mappings/)."""


group.add_command(_make("deals", "a CRM export of opportunities or deals (Salesforce, HubSpot…)"))
group.add_command(_make("milestones", "a CS-platform export of customer milestones"))
group.add_command(_make("roster", "an HRIS export of plan assignments"))

commands = [group]
