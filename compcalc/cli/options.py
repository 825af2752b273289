"""Option groups shared by the commands that read a book (run, why, whatif, accounting)."""
from __future__ import annotations

import functools

import click

from compcalc.periods import parse_period


def _period(ctx, param, value):
    if value is None:
        return None
    month = parse_period(value)
    if month is None:
        raise click.BadParameter(f"{value!r} is not a period (YYYY-MM)")
    return month


def book_inputs(func):
    """--plans, --roster, --deals and the optional input files."""
    options = [
        click.option("--plans", "plans", multiple=True, required=True, type=click.Path(),
                     help="Plan file or folder of plan files (repeatable)."),
        click.option("--roster", required=True, type=click.Path(), help="roster.csv: plan assignments."),
        click.option("--deals", required=True, type=click.Path(), help="deals.csv: the CRM export."),
        click.option("--milestones", type=click.Path(), help="milestones.csv: CS activation events."),
        click.option("--metrics", type=click.Path(), help="metrics.csv: scored measures for metric bonuses."),
        click.option("--splits", type=click.Path(), help="splits.csv: deals credited to several reps by share."),
        click.option("--adjustments", type=click.Path(), help="adjustments.csv: manual adjustments with reasons."),
        click.option("--fx-rates", "fx_rates", type=click.Path(), help="fx_rates.csv: currency rates per month."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def through_option(func):
    return click.option("--through", required=True, callback=_period, metavar="YYYY-MM",
                        help="Last month of the run.")(func)


def quiet_option(func):
    return click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")(func)


def book_kwargs(kwargs: dict) -> dict:
    """The load_book arguments out of a command's keyword arguments."""
    keys = ("plans", "roster", "deals", "milestones", "metrics", "splits", "adjustments", "fx_rates")
    return {k: kwargs.pop(k) for k in keys if k in kwargs}


def handle_input_errors(func):
    """Turn InputError into its report on stderr and exit code 2 (never a traceback)."""
    from compcalc.problems import InputError

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except InputError as e:
            click.echo(e.report(), err=True)
            raise SystemExit(2)
    return wrapper
