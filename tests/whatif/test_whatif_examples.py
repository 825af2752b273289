"""The bundled example: plans/land_and_expand (the roster's plans) against plans/legacy, through 2026-12.

Expansion incentive, December 2026 (events on 2026-12-01):
- land_and_expand: the typical expansion AE is xa02 (median of the five paid), whose roster quota is
  400,000 against a target incentive of 120,000: base rate 0.30, already at 120.32% of quota so in
  tier 2 (×1.5) → 0.45 × 10,000 = 4,500.00 for +10,000 of expansion; 0.45 × 1,000 = 450.00 for a 10%
  uplift; nothing for a flat renewal.
- legacy: legacy_am pays nothing on expansion (0.00), 5% of the full renewed ARR on a flat renewal
  (500.00) and on an uplift renewal 5% × 11,000 (550.00): signing a flat renewal pays, growing the
  account does not — the plan that kills expansion.
"""
from __future__ import annotations

import pytest

from compcalc.pipeline import run
from compcalc.inputs import load_book
from compcalc.periods import parse_period
from compcalc.whatif import book_for, prepare, what_if
from conftest import ROOT

COMPANY = ROOT / "examples" / "company"


@pytest.fixture(scope="module")
def example():
    book, sets, _ = prepare(ROOT / "plans" / "land_and_expand", [ROOT / "plans" / "legacy"],
                            roster=COMPANY / "roster.csv", deals=COMPANY / "deals.csv",
                            milestones=COMPANY / "milestones.csv", metrics=COMPANY / "metrics.csv")
    return what_if(book, sets, parse_period("2026-12"))


def test_example_roster_maps_onto_legacy_by_role(example):
    assert example.sets[1].plan_set.mapping == {"csm": "legacy_csm", "exp_ae": "legacy_am", "nb_ae": "legacy_nb_ae",
                                                "sales_manager": "legacy_sales_manager"}


def test_example_expansion_incentive(example):
    def extra(result, event):
        return result.incentive("expansion", event).earned
    base, legacy = example.sets
    assert next(t for t in base.typical if t.role == "expansion").rep_id == "xa02"
    assert [extra(base, e) for e in ("expansion", "flat_renewal", "uplift_renewal")] == [450_000, 0, 45_000]
    assert [extra(legacy, e) for e in ("expansion", "flat_renewal", "uplift_renewal")] == [0, 50_000, 55_000]


def test_example_totals_equal_plain_runs(example):
    """Each set's totals are those of a plain run of it (the legacy set on the roster mapped by role)."""
    book = load_book([ROOT / "plans" / "land_and_expand"], COMPANY / "roster.csv", COMPANY / "deals.csv",
                     COMPANY / "milestones.csv", COMPANY / "metrics.csv")
    for result in example.sets:
        plain = run(book_for(book, result.plan_set), parse_period("2026-12"))
        lines = plain.lines
        m = result.measures
        assert m.paid == int(plain.register["payout"].sum())
        assert m.earned == int(lines.loc[lines["kind"] != "draw", "amount"].sum())  # nb_ae's plan draw is no earning
        assert m.clawbacks == -int(lines.loc[lines["kind"] == "clawback", "amount"].sum())
    assert example.sets[1].measures.deferred == 0  # legacy pays everything at close
