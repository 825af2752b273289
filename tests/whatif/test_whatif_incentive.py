"""Expansion incentive: the extra a typical rep earns from one more event, measured by re-running.

Golden land-and-expand book (tests/golden/land_and_expand/README.md), events on 2027-12-01:
- am1 (exp_ae_2027): 9 active months → quota 450,000, TI 90,000, base rate 0.20; attainment
  487,999.50 is in tier 2 (100–150%, multiplier 1.5). +10,000 expansion → 497,999.50, still tier 2:
  0.20 × 1.5 × 10,000 = 3,000.00. A flat renewal adds no credit: 0. A 10% uplift (10,000 → 11,000)
  credits 1,000: 300.00.
- ae1 (nb_ae_2027): the events go on A1, ae1's land of 2027-01 (A2 churned); k = 11 < 12 months, so
  closer pay at 10%: 1,000.00 for the expansion, 100.00 for the uplift, 0 for the flat renewal.
- cs1: nothing pays CSMs on these events: 0.
In 2028-01 am1 starts a new plan year (full quota 600,000, base rate 0.20; D5's uplift 12,000 is all
the credit): +10,000 stays in tier 1 → 2,000.00; ae1's closer pay is in the tail (k = 12): 300.00.

legacy_like: old_am pays 5% of the full renewed ARR and nothing on expansion: 0 for the expansion,
500.00 for a flat renewal of 10,000, 550.00 for 10,000 → 11,000. old_nb pays on new deals only: 0.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from compcalc.pipeline import run
from compcalc.periods import parse_period
from compcalc.whatif import prepare, what_if
from compcalc.whatif.incentive import EVENTS, rep_totals, with_event
from compcalc.whatif.mapping import book_for
from compcalc.whatif.measures import horizon
from conftest import GOLDEN, case_files

HERE = Path(__file__).parent
LEGACY_LIKE = HERE / "plans" / "legacy_like"


def _report(case: str, through: str, candidates=()):
    kw = case_files(GOLDEN / case)
    plans = kw.pop("plans")[0]
    book, sets, _ = prepare(plans, list(candidates), **kw)
    return book, what_if(book, sets, parse_period(through))


def table(result) -> dict:
    return {(i.rep.role, i.event): (i.earned, i.paid) for i in result.incentives}


@pytest.fixture(scope="module")
def december():
    return _report("land_and_expand", "2027-12", [LEGACY_LIKE])[1]


def test_land_and_expand_expansion_role_earns_the_quota_rate(december):
    got = table(december.baseline)
    assert got[("expansion", "expansion")] == (300_000, 300_000)  # 0.20 × 1.5 × 10,000
    assert got[("expansion", "flat_renewal")] == (0, 0)
    assert got[("expansion", "uplift_renewal")] == (30_000, 30_000)  # 0.20 × 1.5 × 1,000
    assert got[("new_business_ae", "expansion")] == (100_000, 100_000)  # closer, 10% in the window
    assert got[("new_business_ae", "flat_renewal")] == (0, 0)
    assert got[("new_business_ae", "uplift_renewal")] == (10_000, 10_000)
    assert {got[("csm", e)] for e in EVENTS} == {(0, 0)}


def test_legacy_expansion_role_earns_nothing_for_expansion(december):
    got = table(december.sets[1])
    assert got[("expansion", "expansion")] == (0, 0)
    assert got[("expansion", "flat_renewal")] == (50_000, 50_000)  # 5% of 10,000, for no growth
    assert got[("expansion", "uplift_renewal")] == (55_000, 55_000)  # 5% of 11,000
    assert {got[("new_business_ae", e)] for e in EVENTS} == {(0, 0)}
    # ae1 still carries April's clawback (−2,400.05): nothing extra would be paid anyway.


def test_typical_reps_and_their_accounts(december):
    reps = {t.role: (t.rep_id, t.paid, t.reps, t.account_id, t.synthetic_account) for t in december.baseline.typical}
    assert reps == {"new_business_ae": ("ae1", 795_000, 1, "A1", False),
                    "expansion": ("am1", 10_139_985, 1, "A3", False),
                    "csm": ("cs1", 75_000, 1, "WHATIF-ACCOUNT", True)}


def test_the_event_falls_in_the_plan_year_of_through():
    _, report = _report("land_and_expand", "2028-01")
    got = table(report.baseline)
    assert got[("expansion", "expansion")] == (200_000, 200_000)  # new plan year: tier 1, 0.20 × 10,000
    assert got[("new_business_ae", "expansion")] == (30_000, 30_000)  # tail: 10% × 30% × 10,000


def test_median_rep_is_the_lower_middle_of_the_role_by_total_paid():
    """icm_essentials through 2027-06: nb reps ae1 (paid 20,200.00) and ae2 (9,850.00) → ae2."""
    _, report = _report("icm_essentials", "2027-06")
    typical = {t.role: (t.rep_id, t.paid, t.reps) for t in report.baseline.typical}
    assert typical["new_business_ae"] == ("ae2", 985_000, 2)


def test_shared_runs_give_what_one_run_per_event_gives():
    """Events of all roles share a run unless a rep is paid on another's event (mg1's override on
    ae2's and am1's): each figure equals a run with that single event added."""
    for case, through in (("icm_essentials", "2027-06"), ("land_and_expand", "2027-12")):
        book, report = _report(case, through)
        month = parse_period(through)
        result = report.baseline
        known = book_for(book.as_of(month), result.plan_set)
        run_through = month + horizon(result.plan_set.plans)
        base = run(known, run_through)
        assert len(result.incentives) == 3 * len(result.typical)
        for i in result.incentives:
            before = rep_totals(base, i.rep.rep_id, month)
            after = rep_totals(run(with_event(known, i.rep, i.event, month)[0], run_through), i.rep.rep_id, month)
            assert (after[0] - before[0], after[1] - before[1]) == (i.earned, i.paid), (case, i)


def test_manager_override_makes_the_shared_run_fall_back():
    """In icm_essentials mg1 manages ae2 and am1: a shared expansion run pays mg1 2% of their two
    10,000 expansions (400.00), which is not mg1's own incentive (0)."""
    book, report = _report("icm_essentials", "2027-06")
    month = parse_period("2027-06")
    result = report.baseline
    known = book_for(book.as_of(month), result.plan_set)
    together = known
    for rep in result.typical:
        together = with_event(together, rep, "expansion", month)[0]
    shared = run(together, month + horizon(result.plan_set.plans))
    mg1 = shared.lines[(shared.lines["rep_id"] == "mg1") & shared.lines["deal_id"].str.startswith("WHATIF-")]
    assert int(mg1["amount"].sum()) == 40_000
    assert table(result)[("other", "expansion")] == (0, 0)
