"""Parameter sweeps on the golden land-and-expand book through 2027-12, hand-computed.

- land_tcv.vesting.months=24: D1's 5,400 vests as 24 × 225 from 2027-02 (11 paid by December, 13 =
  2,925.00 deferred). D2's 1,800.04 as round(1,800.04 / 24) = 75.00 a month: March and April paid, so
  the April churn claws back 600.01 + 75 + 75 = 750.01. ae1: 1,800 + 600.01 + 11 × 225 + 2 × 75 −
  750.01 + 1,200 closer = 5,475.00 (April's −450.01 is recovered in May).
- net_expansion.quota=450000: am1's quota 337,500 and TI 90,000 for 9 months, base rate 4/15;
  A = 487,999.50 (tier 2, up to 506,250): 90,000 + 4/15 × 1.5 × 150,499.50 = 150,199.80.
  +10,000 expansion earns 4/15 × 1.5 × 10,000 = 4,000.00.
"""
from __future__ import annotations

from decimal import Decimal

import pytest

from compcalc.periods import parse_period
from compcalc.problems import InputError
from compcalc.whatif import prepare, what_if
from compcalc.whatif import report as R
from compcalc.whatif.sweep import split_values
from conftest import GOLDEN, case_files

CASE = GOLDEN / "land_and_expand"


def _prepare(*settings, candidates=()):
    kw = case_files(CASE)
    plans = kw.pop("plans")[0]
    return prepare(plans, list(candidates), settings, **kw)


@pytest.fixture(scope="module")
def swept():
    book, sets, sweeps = _prepare("land_tcv.vesting.months=12,24", "net_expansion.quota=450000,600000")
    return what_if(book, sets, parse_period("2027-12"), sweeps)


def test_the_grid_is_every_combination(swept):
    assert [s.key for s in swept.sweeps] == ["land_tcv.vesting.months", "net_expansion.quota"]
    assert [r.setting for r in swept.grid] == [
        "land_tcv.vesting.months=12, net_expansion.quota=450000",
        "land_tcv.vesting.months=12, net_expansion.quota=600000",
        "land_tcv.vesting.months=24, net_expansion.quota=450000",
        "land_tcv.vesting.months=24, net_expansion.quota=600000",
    ]


def test_each_point_is_hand_computed(swept):
    got = [(r.measures.paid, r.measures.deferred, r.measures.by_role["new_business_ae"],
            r.measures.by_role["expansion"], r.incentive("expansion", "expansion").earned) for r in swept.grid]
    assert got == [
        (15_889_980, 45_000, 795_000, 15_019_980, 400_000),
        (11_009_985, 45_000, 795_000, 10_139_985, 300_000),  # as written
        (15_642_480, 292_500, 547_500, 15_019_980, 400_000),
        (10_762_485, 292_500, 547_500, 10_139_985, 300_000),
    ]
    assert swept.grid[1].measures.paid == swept.baseline.measures.paid


def test_the_swept_plans_are_revalidated_copies(swept):
    plan = swept.grid[2].plan_set.plans["nb_ae_2027"]
    assert plan.component("land_tcv").vesting.months == 24
    assert plan.component("land_tcv").vesting.upfront_pct == Decimal("0.25")  # the rest untouched
    assert plan.source.endswith("nb_ae_2027.yaml")
    assert swept.baseline.plan_set.plans["nb_ae_2027"].component("land_tcv").vesting.months == 12
    assert swept.grid[0].plan_set.plans["exp_ae_2027"].component("net_expansion").quota == Decimal("450000")


def test_sweep_table(swept):
    columns = R.sweep_columns(swept)
    rows = R.sweep_rows(swept)
    assert columns[:4] == ["Plan set", "land_tcv.vesting.months", "net_expansion.quota", "Total cost"]
    assert [R.text(v) for v in rows[2][:4]] == ["plans", "24", "450000", "156,424.80"]


def test_a_set_without_the_component_is_not_swept():
    legacy = GOLDEN.parent / "whatif" / "plans" / "legacy_like"
    book, sets, sweeps = _prepare("land_tcv.rate=0.08,0.12", candidates=[legacy])
    report = what_if(book, sets, parse_period("2027-12"), sweeps)
    assert [(r.label, r.setting) for r in report.grid] == [("plans", "land_tcv.rate=0.08"), ("plans", "land_tcv.rate=0.12")]


@pytest.mark.parametrize("setting, message", [
    ("nope.rate=0.1", "--set nope.rate: no plan in the baseline or candidate sets has this component "
                      "(a key is COMPONENT_ID.field, e.g. land_tcv.vesting.months)"),
    ("land_tcv.vesting.months=abc", "--set land_tcv.vesting.months: must be a whole number (got 'abc')"),
    ("land_tcv.vesting.months=12,130", "--set land_tcv.vesting.months: must be ≤ 120 (value 130)"),
    ("land_tcv.vesting.monthz=12", "--set land_tcv.vesting.monthz: unknown key (value 12)"),
    ("land_tcv.rate=1.5", "--set land_tcv.rate: must be ≤ 1 (value 1.5)"),
    ("land_tcv.vesting.months", "--set: 'land_tcv.vesting.months' is not COMPONENT_ID.field=value[,value…]"),
    ("land_tcv.vesting.months=12,,18", "--set land_tcv.vesting.months: an empty value (two commas in a row?)"),
    ("land_tcv.vestin.months=3", "--set land_tcv.vestin.months: vestin does not exist in component 'land_tcv' "
                                 "(tcv_commission)"),
    ("land_tcv.rate.x=1", "--set land_tcv.rate.x: rate is a single value in component 'land_tcv' "
                          "(tcv_commission), with no fields inside it"),
    ("net_expansion.tiers.0.up_to=2", "--set net_expansion.tiers.0.up_to: tiers: up_to must increase from one "
                                      "tier to the next (value 2)"),
])
def test_bad_settings_name_the_key(setting, message):
    with pytest.raises(InputError) as e:
        _prepare(setting)
    assert [str(p) for p in e.value.problems] == [message]


def test_every_bad_setting_is_reported_at_once():
    with pytest.raises(InputError) as e:
        _prepare("land_tcv.rate=2", "nope.x=1")
    assert len(e.value.problems) == 2


def test_values_are_split_outside_brackets_and_read_as_yaml():
    assert split_values("12, 18,24") == ["12", "18", "24"]
    assert split_values("[new,expansion],[new]") == ["[new,expansion]", "[new]"]
    _, _, sweeps = _prepare("land_tcv.deal_types=[new,expansion],[new]", "land_tcv.rate=0.10")
    assert sweeps[0].values == (["new", "expansion"], ["new"])
    assert sweeps[1].values == (Decimal("0.10"),)  # exact, never a binary float
