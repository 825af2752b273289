"""The pipeline's close stage is pure: closed months in, the run with them as paid out — no database.

The closed months here are written by hand (what a ledger would hand over), so the figures are the
stage's alone. Book: ledger_book (ae1 10% of TCV, 25% upfront, 12 monthly installments).
"""
from __future__ import annotations

import dataclasses

import numpy as np

from compcalc.ledger.adjust import ClosedPeriods
from compcalc.pipeline import run
from ledger_book import compute, lines, register
from test_ledger_periods import deals

MARCH = 2027 * 12 + 2


def closed_through_march(result, ae1_carry_out: int) -> ClosedPeriods:
    """January to March as ``result`` paid them, except that ae1 left March owing ``ae1_carry_out``."""
    month = result.lines["month"].to_numpy()
    reg = result.register[result.register["month"].to_numpy() <= MARCH].copy()
    last = (reg["rep_id"] == "ae1").to_numpy() & (reg["month"].to_numpy() == MARCH)
    reg.loc[last, "carry_out"] = np.int64(ae1_carry_out)
    return ClosedPeriods("by hand", {m: 1 for m in range(MARCH - 2, MARCH + 1)},
                         result.lines[month <= MARCH].reset_index(drop=True), reg.reset_index(drop=True))


def test_a_change_to_a_closed_month_is_adjusted_in_the_first_open_month_and_paid_from_the_recorded_carry(tmp_path):
    paid = compute(tmp_path / "paid", deals(), "2027-05")
    # D2 grows from 24,000 to 36,000: its March upfront is 900 where 600 was paid → +300 in April.
    fresh = compute(tmp_path / "fresh", deals(d2="36000"), "2027-05")
    closed = run(fresh.book, fresh.through_month, closed=closed_through_march(paid, ae1_carry_out=-50000))

    assert lines(closed, "ae1", "2027-03") == lines(paid, "ae1", "2027-03")  # March stays as paid
    assert lines(closed, "ae1", "2027-04") == [
        ("ae1", "2027-04", "nb_ae", "land_tcv", "D1", "installment", "75.00", ""),
        ("ae1", "2027-04", "nb_ae", "land_tcv", "D2", "installment", "225.00", ""),
        ("ae1", "2027-04", "nb_ae", "land_tcv", "D2", "prior_period_adjustment", "300.00",
         "prior-period adjustment for 2027-03: recomputed 900.00, recorded 600.00"),
    ]
    # April nets 75 + 225 + 300 = 600 against the 500 ae1 carried out of March: 100 paid, nothing owed.
    # May nets 75 + 225 = 300, paid in full.
    assert register(closed, "ae1")[2:] == [
        ("ae1", "2027-03", "675.00", "0.00", "0.00", "675.00", "-500.00"),
        ("ae1", "2027-04", "600.00", "-500.00", "0.00", "100.00", "0.00"),
        ("ae1", "2027-05", "300.00", "0.00", "0.00", "300.00", "0.00"),
    ]
    assert closed.closed_months == {MARCH - 2: 1, MARCH - 1: 1, MARCH: 1}
    # statements' vesting blocks: what the inputs imply, the fresh run's lines (draw top-ups aside)
    implied, own = closed.implied_lines, fresh.lines[fresh.lines["kind"] != "draw"].reset_index(drop=True)
    assert lines(dataclasses.replace(fresh, lines=implied)) == lines(dataclasses.replace(fresh, lines=own))


def test_the_pipeline_pays_once_from_the_closed_months(tmp_path, monkeypatch):
    """With closed months the pay stage runs once, for the open months only, from the recorded carry."""
    import compcalc.pipeline as pipeline

    paid = compute(tmp_path / "paid", deals(), "2027-05")
    fresh = compute(tmp_path / "fresh", deals(d2="36000"), "2027-05")
    calls = []
    real = pipeline.compute_register

    def spy(lines, assignments, first_month, through_month, opening_carry=None):
        calls.append((first_month, through_month, opening_carry))
        return real(lines, assignments, first_month, through_month, opening_carry=opening_carry)

    monkeypatch.setattr(pipeline, "compute_register", spy)
    closed = run(fresh.book, fresh.through_month, closed=closed_through_march(paid, ae1_carry_out=0))
    assert calls == [(MARCH + 1, MARCH + 2, {"ae1": 0, "am1": 0})]
    assert register(closed, "ae1")[3] == ("ae1", "2027-04", "600.00", "0.00", "0.00", "600.00", "0.00")


def test_a_ledger_with_no_closed_month_gives_the_fresh_run_with_the_ledger_columns(tmp_path):
    fresh = compute(tmp_path / "fresh", deals(), "2027-05")
    closed = run(fresh.book, fresh.through_month, closed=ClosedPeriods.none("new.db"))
    assert closed.closed_months == {} and closed.lines["original_month"].isna().all()
    assert lines(closed) == lines(fresh) and register(closed, "ae1") == register(fresh, "ae1")
