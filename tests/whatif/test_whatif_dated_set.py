"""--set on effective-dated parameters (SPEC §8.4), on the golden land-and-expand book through 2027-12.

Baseline new-business cost 7,950.00: D1 (closed 2027-01-15) at 10% of its 72,000 capped TCV = 7,200:
1,800 upfront + 11 × 450 installments by December, plus the 1,200 closer pay on D3 (D2 churns within
the clawback window, so it nets 0 at any rate).
- ``land_tcv.rate.2027-01-15=0.12``: D1 is paid from that date's rate, 8,640 = 2,160 + 11 × 540, so
  the role costs 9,300.00; the old 0.10 stays in force before the date.
- ``land_tcv.rate.2027-01-16=0.12``: the day after D1's close, so D1 keeps 0.10: 7,950.00.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from compcalc.periods import parse_period
from compcalc.problems import InputError
from compcalc.whatif import prepare, what_if
from compcalc.whatif.sweep import SINCE_ALWAYS
from conftest import GOLDEN, case_files

CASE = GOLDEN / "land_and_expand"


def _prepare(*settings):
    kw = case_files(CASE)
    plans = kw.pop("plans")[0]
    return prepare(plans, [], settings, **kw)


def _nb_cost(*settings):
    book, sets, sweeps = _prepare(*settings)
    report = what_if(book, sets, parse_period("2027-12"), sweeps)
    return report, [r.measures.by_role["new_business_ae"] for r in report.grid]


def test_one_dated_value_on_a_plain_rate():
    report, costs = _nb_cost("land_tcv.rate.2027-01-15=0.12,0.10")
    assert costs == [930_000, 795_000]
    rate = report.grid[0].plan_set.plans["nb_ae_2027"].component("land_tcv").rate
    assert rate == {SINCE_ALWAYS: Decimal("0.10"), dt.date(2027, 1, 15): Decimal("0.12")}
    assert report.baseline.plan_set.plans["nb_ae_2027"].component("land_tcv").rate == Decimal("0.10")


def test_the_day_after_the_close_keeps_the_old_rate():
    _, costs = _nb_cost("land_tcv.rate.2027-01-16=0.12")
    assert costs == [795_000]


def test_a_whole_schedule_and_a_dated_value_on_it():
    report, costs = _nb_cost("land_tcv.rate={2027-01-01: 0.12, 2027-07-01: 0.05}")
    assert costs == [930_000]
    # setting the whole rate back to a plain value, and one date of the schedule it came from
    book, sets, sweeps = _prepare("land_tcv.rate={2027-01-01: 0.12, 2027-07-01: 0.05}")
    from compcalc.whatif.sweep import apply
    plans = apply(sets[0].plans, tuple((s, 0) for s in sweeps))
    again = prepare_on(plans, "land_tcv.rate.2027-07-01=0.06")
    assert again.component("land_tcv").rate == {dt.date(2027, 1, 1): Decimal("0.12"),
                                                dt.date(2027, 7, 1): Decimal("0.06")}


def prepare_on(plans, setting):
    """Apply one --set to plans already in memory (the dated mapping has date keys)."""
    from compcalc.whatif.sweep import Sweep, _apply_one, _scalar
    key, _, text = setting.partition("=")
    cid = "land_tcv"
    path = tuple(key[len(cid) + 1:].split("."))
    value, _ = _scalar(text, key)
    changed, problems = _apply_one(plans["nb_ae_2027"], Sweep(key, cid, path, (text,), (value,)), 0)
    assert problems == []
    return changed


@pytest.mark.parametrize("setting, message", [
    ("land_tcv.rate.2027-07-01=1.5", "--set land_tcv.rate.2027-07-01: must be ≤ 1 (value 1.5)"),
    ("land_tcv.vesting.months.2027-07-01=6", "--set land_tcv.vesting.months.2027-07-01: vesting.months is a single "
                                            "value in component 'land_tcv' (tcv_commission), with no fields inside it"),
])
def test_bad_dated_settings_name_the_key(setting, message):
    with pytest.raises(InputError) as e:
        _prepare(setting)
    assert [str(p) for p in e.value.problems] == [message]
