"""Run every plan set (and every sweep grid point) on one book and collect what finance compares."""
from __future__ import annotations

import multiprocessing as mp
import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field

from compcalc.pipeline import run
from compcalc.inputs import Book
from compcalc.lint import Finding, LintConfig, lint
from compcalc.workers import init_worker, stop
from compcalc.whatif.incentive import EVENTS, Incentive, TypicalRep, measure_incentives
from compcalc.whatif.mapping import PlanSet, book_for
from compcalc.whatif.measures import Measures, horizon, measure
from compcalc.whatif.sweep import Point, Sweep, apply, describe, grid, sweeps_set


@dataclass
class SetResult:
    """One plan set (as written, or at one sweep grid point) measured on the book."""

    plan_set: PlanSet
    measures: Measures
    typical: list[TypicalRep]
    incentives: list[Incentive]
    findings: list[Finding] = field(default_factory=list)
    point: Point = ()

    @property
    def label(self) -> str:
        return self.plan_set.label

    @property
    def setting(self) -> str:
        return describe(self.point)

    def incentive(self, role: str, event: str) -> Incentive | None:
        return next((i for i in self.incentives if i.rep.role == role and i.event == event), None)


@dataclass
class WhatIf:
    """The whole comparison: the baseline, the candidates, and the sweep grid."""

    through: int
    currency: str
    sets: list[SetResult]
    sweeps: list[Sweep] = field(default_factory=list)
    grid: list[SetResult] = field(default_factory=list)

    @property
    def baseline(self) -> SetResult:
        return self.sets[0]

    @property
    def candidates(self) -> list[SetResult]:
        return self.sets[1:]


def swept_sets(sets: list[PlanSet], sweeps: list[Sweep]) -> list[PlanSet]:
    return [s for s in sets if sweeps and sweeps_set(s.plans, sweeps)]


#: Progress steps per analysed set: the base run, then each incentive event.
STEPS_PER_SET = 1 + len(EVENTS)


def count_steps(sets: list[PlanSet], sweeps: list[Sweep] = ()) -> int:
    """Progress steps :func:`what_if` will report (each one or more engine runs)."""
    points = len(grid(list(sweeps))) if sweeps else 0
    return STEPS_PER_SET * (len(sets) + points * len(swept_sets(sets, list(sweeps))))


def analyse(book: Book, plan_set: PlanSet, through: int, point: Point = (), tick=lambda: None,
            lint_config: LintConfig | None = None) -> SetResult:
    """Run one set on the as-of book, measure it (expansion incentive included) and lint it."""
    if point:
        plan_set = PlanSet(plan_set.label, plan_set.source, apply(plan_set.plans, point), plan_set.mapping)
    set_book = book_for(book, plan_set)
    run_through = through + horizon(plan_set.plans)
    base = run(set_book, run_through)
    tick()
    incentives = measure_incentives(set_book, base, plan_set, through, run_through, tick)
    typical = list({i.rep.role: i.rep for i in incentives}.values())
    findings = lint(plan_set.plans, set_book.deals, set_book.roster, lint_config).findings
    return SetResult(plan_set, measure(base, plan_set, through), typical, incentives, findings, point)


def what_if(book: Book, sets: list[PlanSet], through: int, sweeps: list[Sweep] = (), tick=lambda: None,
            lint_config: LintConfig | None = None, workers: int | None = None) -> WhatIf:
    """Every set as written, then every grid point on each set that has a swept component.

    ``lint_config`` chooses the lint rules run on each set (default: all of them). The analyses run in
    ``workers`` processes (default: every core), which share the loaded, validated book.
    """
    known = book.as_of(through)
    sweeps = list(sweeps)
    jobs = [(s, ()) for s in sets] + [(s, point) for s in swept_sets(sets, sweeps) for point in grid(sweeps)]
    done = _analyse_all(known, jobs, through, tick, lint_config, workers)
    return WhatIf(through, book.currency, done[:len(sets)], sweeps, done[len(sets):])


# The jobs of the pool's run: forked workers inherit them (the book is not pickled, not reloaded).
_SHARED: tuple | None = None


def _analyse_job(i: int) -> SetResult:
    book, jobs, through, lint_config = _SHARED
    plan_set, point = jobs[i]
    return analyse(book, plan_set, through, point, lint_config=lint_config)


def _analyse_all(book: Book, jobs: list, through: int, tick, lint_config, workers: int | None) -> list[SetResult]:
    global _SHARED
    workers = min(workers or os.cpu_count() or 1, len(jobs))
    # Each analysis is several engine runs: worth a process. Forked, so the workers share the book.
    if workers < 2 or "fork" not in mp.get_all_start_methods():
        return [analyse(book, s, through, point, tick, lint_config) for s, point in jobs]
    _SHARED = (book, jobs, through, lint_config)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("fork"), initializer=init_worker,
                               initargs=(os.getpid(),))
    try:
        futures = {pool.submit(_analyse_job, i): i for i in range(len(jobs))}
        out: list[SetResult | None] = [None] * len(jobs)
        for future in as_completed(futures):
            out[futures[future]] = future.result()
            for _ in range(STEPS_PER_SET):
                tick()
    except BaseException:
        stop(pool)  # Ctrl-C, a signal or an error: the workers go with the run
        raise
    finally:
        _SHARED = None
    pool.shutdown()
    return out
