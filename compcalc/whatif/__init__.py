"""What-if plan modelling: run several plan sets on the same book and compare what they pay.

>>> from compcalc.whatif import prepare, what_if
>>> book, sets, sweeps = prepare("plans/land_and_expand", ["plans/legacy"], roster=..., deals=...)
>>> report = what_if(book, sets, through, sweeps)

The roster names the plans of one of the sets; every set is mapped onto it by plan_id or by role
(:mod:`compcalc.whatif.mapping`). Every set runs on the book as known at the end of --through
(:mod:`compcalc.whatif.measures`), its expansion incentive is measured by re-running with one more
event (:mod:`compcalc.whatif.incentive`), and ``--set`` sweeps re-run it over a grid of parameter
values (:mod:`compcalc.whatif.sweep`). :mod:`~compcalc.whatif.report` turns the result into tables for
the workbook and the HTML page.
"""
from __future__ import annotations

from compcalc.inputs import load_book
from compcalc.plans import load_plans
from compcalc.problems import Collector, InputError
from compcalc.whatif.mapping import PlanSet, book_for, plan_sets, reference_plans
from compcalc.whatif.study import SetResult, WhatIf, analyse, count_steps, what_if
from compcalc.whatif.sweep import Sweep, parse_sweeps

__all__ = ["prepare", "what_if", "count_steps", "analyse", "PlanSet", "SetResult", "WhatIf", "Sweep",
           "book_for", "plan_sets", "parse_sweeps"]


def prepare(baseline, candidates, settings=(), **files):
    """Load the book with the baseline plans and each candidate set, map them, parse the sweeps.

    ``baseline`` is a plan file or folder (or a list of them); ``candidates`` a list of those;
    ``files`` the other :func:`compcalc.inputs.load_book` arguments. Returns (book, plan sets, sweeps);
    raises InputError with every problem found (plans, inputs, mapping, --set).
    """
    problems = _Problems()
    loaded = [(_source(source), load_plans(_paths(source), problems)) for source in [baseline, *candidates]]
    try:
        # The roster may name any set's plans; each set is mapped onto it by role afterwards.
        book = load_book(plans=reference_plans(loaded[0][1], [p for _, p in loaded[1:]]), **files)
    except InputError as e:
        problems.extend(e.problems)
    if problems.problems:
        raise InputError(problems.problems)
    sets = plan_sets(book, loaded)
    return book, sets, parse_sweeps(settings, sets) if settings else []


class _Problems(Collector):
    """A collector that is never falsy: load_plans swaps an empty (falsy) collector for its own and
    its problems would be lost."""

    def __bool__(self) -> bool:
        return True


def _paths(source) -> list:
    return list(source) if isinstance(source, (list, tuple)) else [source]


def _source(source) -> str:
    return ", ".join(str(s) for s in source) if isinstance(source, (list, tuple)) else str(source)
