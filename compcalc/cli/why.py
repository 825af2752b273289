"""compcalc why: how every amount of one rep's month came about."""
from __future__ import annotations

import click

from compcalc.cli.options import book_inputs, book_kwargs, check_book, handle_input_errors
from compcalc.periods import parse_period, period


def _month(ctx, param, value):
    month = parse_period(value)
    if month is None:
        raise click.BadParameter(f"{value!r} is not a period (YYYY-MM)")
    return month


@click.command("why")
@click.argument("rep_id", metavar="REP")
@click.argument("month", metavar="YYYY-MM", callback=_month)
@book_inputs(greedy_plans=False)
@click.option("--component", "component_id", metavar="ID", help="Only this component's lines.")
@click.option("--pipeline", type=click.Path(),
              help="pipeline.csv: open deals; adds what each would pay REP if it closed (\"if these close\").")
@handle_input_errors
def command(rep_id, month, component_id, pipeline, **kwargs):
    """Explain, as a tree, how every amount of REP's month came about.

    Runs the book through YYYY-MM (same inputs as `compcalc run`) and prints each line with its event,
    basis, rate, tier band and multiplier, installment ("installment 4 of 12 of D1's 7,200.00"),
    forfeit or clawback reason, then net, carry, draw and payout. Exits 2 when REP is not in the
    roster or --component names no component of REP's plans.
    """
    from compcalc.pipeline import run as run_book
    from compcalc.inputs import load_book
    from compcalc.statements.model import StatementBook
    from compcalc.statements.why import month_tree, render

    inputs = book_kwargs(kwargs)
    if pipeline:
        from compcalc import forecast as forecasting

        book, open_deals = forecasting.check_with_book(pipeline, lambda: load_book(**inputs))
    else:
        book = load_book(**inputs)
    check_book(book, month)
    result = run_book(book, month, schedule=True)
    statements = StatementBook(result, [month])
    if statements.assignment(rep_id, month) is None:
        raise click.UsageError(f"rep {rep_id!r} is not in the roster ({book.sources.get('roster', 'roster')})")
    if component_id is not None:
        known = _components_of(statements, rep_id)
        if component_id not in known:
            listed = ", ".join(sorted(known)) or "none"
            raise click.UsageError(f"--component {component_id!r} is not a component of {rep_id}'s plans "
                                   f"(components: {listed})")
    st = statements.statement(rep_id, month)
    if not st.has_activity:
        click.echo(f"{rep_id} {st.name}: nothing in {period(month)} (no lines, no draw, no carry)")
    elif component_id is not None and not any(s.component_id == component_id for s in st.sections):
        click.echo(f"{rep_id} {st.name}: no {component_id} lines in {period(month)}")
    else:
        click.echo(render(month_tree(st, component_id)))
    if pipeline:
        rows = [f for f in forecasting.forecast(book, month, open_deals) if f.rep_id == rep_id]
        click.echo("\n".join(forecasting.describe(rows)) if rows else
                   f"if these close: no open deal in {pipeline} changes {rep_id}'s payouts")


def _components_of(statements, rep_id: str) -> set[str]:
    plans = [statements.plans[p] for p in statements.plans_of(rep_id) if p in statements.plans]
    return {c.id for plan in plans for c in plan.components} | {"adjustment"}
