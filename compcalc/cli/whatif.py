"""compcalc whatif: run plan sets side by side on the same book, sweep parameters, chart it."""
from __future__ import annotations

import sys

import click

from compcalc.cli.options import book_inputs, check_book, handle_input_errors, out_option, quiet_option, through_option
from compcalc.periods import period

WORKBOOK, HTML = "whatif.xlsx", "whatif.html"


def _book_files(func):
    """The book's CSV options of ``compcalc run`` (--roster, --deals, …) without --plans."""
    def probe():
        pass
    book_inputs(probe)
    params = [p for p in probe.__click_params__ if p.name != "plans"]
    func.__click_params__ = getattr(func, "__click_params__", []) + params
    return func


@click.command("whatif")
@click.option("--baseline", required=True, type=click.Path(),
              help="Plan folder or file the others are compared with (e.g. today's plans).")
@click.option("--candidate", "candidates", multiple=True, type=click.Path(),
              help="Plan folder or file to compare with the baseline (repeatable); mapped onto the roster by role.")
@_book_files
@through_option
@click.option("--set", "settings", multiple=True, metavar="COMPONENT_ID.FIELD=V1,V2",
              help="Sweep a component parameter over values, e.g. land_tcv.vesting.months=12,18,24 "
                   "(repeatable; the grid is every combination).")
@out_option
@quiet_option
@handle_input_errors
def command(baseline, candidates, through, settings, out, quiet, **files):
    """Compare plan sets on the same roster and deals: what each would pay, to whom, and for what.

    The roster may name the plans of any set; every set is mapped onto it by plan_id, else by role.
    Runs the baseline and every candidate on the book as known at the end of --through and reports
    side by side: total cost, cost by role and component, cost per rep, cost of sales as a share of
    new and of net new expansion ARR, effective rate per role, deferred liability, clawbacks, lint
    findings, and the extra a typical rep of each role earns for one more expansion, flat renewal or
    uplift renewal. --set sweeps parameters over a grid. Writes whatif.xlsx (with charts) and
    whatif.html to --out. Bad input, an unmappable role or a bad --set value: every problem listed,
    exit 2, nothing written.
    """
    from compcalc.lint import RULES, load_config
    from compcalc.money import display
    from compcalc.outputs import atomic_dir
    from compcalc.whatif import count_steps, prepare, what_if
    from compcalc.whatif.html import write_html
    from compcalc.whatif.report import differences
    from compcalc.whatif.workbook import write_workbook

    book, sets, sweeps = prepare(baseline, list(candidates), settings, **files)
    check_book(book, through)
    config = load_config(None, codes=RULES)
    if quiet:
        report = what_if(book, sets, through, sweeps, lint_config=config)
    else:
        with click.progressbar(length=count_steps(sets, sweeps), label="Running plan sets", show_pos=True,
                               file=sys.stderr) as bar:
            report = what_if(book, sets, through, sweeps, tick=lambda: bar.update(1), lint_config=config)
    with atomic_dir(out) as tmp:
        write_workbook(report, tmp / WORKBOOK)
        write_html(report, tmp / HTML)
    if quiet:
        return
    cur = report.currency
    for r in report.sets:
        m = r.measures
        click.echo(f"{r.label}: total cost {display(m.paid)} {cur} through {period(through)}, "
                   f"deferred {display(m.deferred)}, clawbacks {display(m.clawbacks)}")
    for other in report.candidates:
        changed = differences(report.baseline, other)
        delta = other.measures.paid - report.baseline.measures.paid
        click.echo(f"{other.label} vs {report.baseline.label}: {'+' if delta >= 0 else ''}{display(delta)} {cur}; "
                   f"{len(changed)} figure{'s' if len(changed) != 1 else ''} differ")
    if report.grid:
        click.echo(f"sweep: {len(report.grid)} runs over {', '.join(s.key for s in report.sweeps)}")
    click.echo(f"written to {out} ({WORKBOOK}, {HTML})")
