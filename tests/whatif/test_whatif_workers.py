"""A sweep's analyses run in worker processes that share the loaded book: same report as one process."""
from __future__ import annotations

import pytest

from compcalc.periods import parse_period
from compcalc.problems import InputError, Problem
from compcalc.whatif import prepare, what_if
from compcalc.whatif import study
from conftest import GOLDEN, case_files

CASE = GOLDEN / "land_and_expand"


def _figures(report):
    return [(r.label, r.setting, r.measures.paid, r.measures.deferred, r.measures.clawbacks,
             [(i.rep.rep_id, i.event, i.earned, i.paid) for i in r.incentives]) for r in report.sets + report.grid]


def test_workers_give_the_report_of_one_process():
    kw = case_files(CASE)
    book, sets, sweeps = prepare(kw.pop("plans")[0], [], ["land_tcv.vesting.months=12,24"], **kw)
    ticks = []
    alone = what_if(book, sets, parse_period("2027-12"), sweeps, workers=1)
    pooled = what_if(book, sets, parse_period("2027-12"), sweeps, tick=lambda: ticks.append(1), workers=2)
    assert _figures(pooled) == _figures(alone)
    assert [r.setting for r in pooled.grid] == ["land_tcv.vesting.months=12", "land_tcv.vesting.months=24"]
    assert len(ticks) == study.count_steps(sets, sweeps) == 12
    assert study._SHARED is None  # the pool's jobs are not kept after the sweep


def test_a_problem_in_a_worker_reaches_the_caller_with_its_problems(monkeypatch):
    kw = case_files(CASE)
    book, sets, sweeps = prepare(kw.pop("plans")[0], [], ["land_tcv.vesting.months=12,24"], **kw)
    problem = Problem("nb_ae.yaml", "months must be at most 120", line=3, path="components[0].vesting.months")
    real = study.analyse

    def analyse(book, plan_set, through, point=(), *args, **kwargs):
        if point:
            raise InputError([problem])
        return real(book, plan_set, through, point, *args, **kwargs)

    monkeypatch.setattr(study, "analyse", analyse)  # before the fork: the workers inherit it
    with pytest.raises(InputError) as raised:
        what_if(book, sets, parse_period("2027-12"), sweeps, workers=2)
    assert raised.value.problems == [problem]
