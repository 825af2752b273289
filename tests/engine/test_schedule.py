"""``pipeline.run(..., schedule=True)``: the components' schedule after --through comes from the same
run (``Context.until``), not from a second one, and asking for it changes no line up to --through."""
from __future__ import annotations

import pandas as pd
import pytest

from compcalc.inputs import load_book
from compcalc.periods import parse_period
from compcalc.pipeline import run, schedule_horizon
from conftest import GOLDEN, case_files

# (case, through): the golden months, and months with later deals, milestones and churns in the book
MONTHS = [("land_and_expand", "2028-01"), ("icm_essentials", "2027-06"), ("plan_patterns", "2027-12"),
          ("land_and_expand", "2027-03"), ("icm_essentials", "2027-02"), ("plan_patterns", "2027-05")]


@pytest.mark.parametrize("case, through", MONTHS)
def test_asking_for_the_schedule_changes_no_line_or_payout(case, through):
    book = load_book(**case_files(GOLDEN / case))
    month = parse_period(through)
    plain, scheduled = run(book, month), run(book, month, schedule=True)
    assert plain.scheduled is None
    pd.testing.assert_frame_equal(scheduled.lines, plain.lines)
    pd.testing.assert_frame_equal(scheduled.register, plain.register)
    assert (scheduled.scheduled["month"] > month).all()


@pytest.mark.parametrize("case, through", MONTHS)
def test_the_schedule_is_what_a_longer_run_on_the_book_as_then_known_writes_after_through(case, through):
    book = load_book(**case_files(GOLDEN / case))
    month = parse_period(through)
    until = month + schedule_horizon(book.plans)
    longer = run(book.as_of(month), until).lines
    later = longer[(longer["month"] > month) & longer["kind"].isin(["installment", "forfeit"])]
    got = run(book, month, schedule=True).scheduled
    key = ["rep_id", "month", "plan_id", "component_id", "deal_id", "kind", "amount", "installment"]
    pd.testing.assert_frame_equal(got.loc[got["kind"].isin(["installment", "forfeit"]), key].reset_index(drop=True),
                                  later[key].reset_index(drop=True))


def test_land_and_expand_schedules_d1_s_last_installments_after_the_run():
    """land_and_expand D1 (golden README): 5,400 vests as 12 × 450 from 2027-02 to 2028-01; through
    2027-10, installments 10 to 12 (2027-11 … 2028-01) are still scheduled."""
    book = load_book(**case_files(GOLDEN / "land_and_expand"))
    got = run(book, parse_period("2027-10"), schedule=True).scheduled
    d1 = got[(got["deal_id"] == "D1") & (got["kind"] == "installment")]
    assert d1["installment"].tolist() == [10, 11, 12] and d1["amount"].tolist() == [45000] * 3
    assert d1["month"].tolist() == [parse_period(m) for m in ("2027-11", "2027-12", "2028-01")]
    assert schedule_horizon(book.plans) == 12  # the plans' longest vesting
