"""The pipeline's close stage is pure: closed months in, the run with them as paid out — no database.

The closed months here are written by hand (what a ledger would hand over), so the figures are the
stage's alone. Book: ledger_book (ae1 10% of TCV, 25% upfront, 12 monthly installments).
"""
from __future__ import annotations

import numpy as np

from compcalc.ledger.adjust import ClosedPeriods, close
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
    closed = close(fresh, closed_through_march(paid, ae1_carry_out=-50000))

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
    assert closed.implied_lines is fresh.lines  # statements' vesting blocks: what the inputs imply


def test_the_pipeline_runs_the_close_stage_when_given_closed_months(tmp_path):
    paid = compute(tmp_path / "paid", deals(), "2027-05")
    fresh = compute(tmp_path / "fresh", deals(d2="36000"), "2027-05")
    by_stage = close(fresh, closed_through_march(paid, ae1_carry_out=0))
    by_pipeline = run(fresh.book, fresh.through_month, closed=closed_through_march(paid, ae1_carry_out=0))
    assert lines(by_pipeline) == lines(by_stage)
    assert register(by_pipeline, "ae1") == register(by_stage, "ae1")
    assert register(by_pipeline, "ae1")[3] == ("ae1", "2027-04", "600.00", "0.00", "0.00", "600.00", "0.00")
