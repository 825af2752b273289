"""Book metrics on small books computed by hand: exact cents and exact ratios."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from compcalc.book_metrics import book_metrics, percent
from lint_scenario import deals_frame

D = dt.date

# Window 2027-01..2027-12 (last deal 2027-12-31); A1-A3 landed before it (180,000.00 starting ARR).
BOOK = deals_frame([
    {"deal_id": "L1", "account_id": "A1", "type": "new", "close_date": "2026-03-01", "arr": 100000},
    {"deal_id": "L2", "account_id": "A2", "type": "new", "close_date": "2026-06-15", "arr": 50000},
    {"deal_id": "L3", "account_id": "A3", "type": "new", "close_date": "2026-09-30", "arr": 30000},
    {"deal_id": "L4", "account_id": "A4", "type": "new", "close_date": "2027-01-01", "arr": 20000},
    {"deal_id": "E1", "account_id": "A1", "type": "expansion", "close_date": "2027-02-10", "arr": 25000},
    {"deal_id": "R1", "account_id": "A1", "type": "renewal", "close_date": "2027-03-01", "arr": 130000,
     "prior_arr": 125000},
    {"deal_id": "R2", "account_id": "A2", "type": "renewal", "close_date": "2027-06-15", "arr": 45000,
     "prior_arr": 50000},
    {"deal_id": "X3", "account_id": "A3", "type": "churn", "close_date": "2027-10-01", "arr": 30000},
    {"deal_id": "C2", "account_id": "A2", "type": "contraction", "close_date": "2027-11-20", "arr": "2000.01"},
    {"deal_id": "E4", "account_id": "A4", "type": "expansion", "close_date": "2027-12-05", "arr": 10000},
    {"deal_id": "L5", "account_id": "A5", "type": "new", "close_date": "2027-12-31", "arr": 7000},
])


def test_window_metrics_by_hand():
    w = book_metrics(BOOK).window
    assert (w.start, w.end) == (D(2027, 1, 1), D(2027, 12, 31))
    assert w.accounts == 3                       # A1, A2, A3; A4 landed on the window's first day: inside it
    assert w.starting_arr == 18_000_000
    assert (w.expansion, w.uplift) == (2_500_000, 500_000)              # A1 only: A4's expansion is not cohort
    assert (w.contraction, w.downsell, w.churn) == (200_001, 500_000, 3_000_000)
    assert w.ending_arr == 17_299_999
    assert w.nrr == Fraction(17_299_999, 18_000_000)                   # 96.11%
    assert w.grr == Fraction(14_299_999, 18_000_000)                   # 79.44%
    # all accounts: (25,000 + 10,000 + 5,000 uplift) / (20,000 + 7,000 new + 40,000)
    assert (w.new_arr, w.expansion_arr) == (2_700_000, 4_000_000)
    assert w.expansion_share == Fraction(40, 67)
    assert (percent(w.nrr), percent(w.grr), percent(w.expansion_share)) == \
        (Decimal("96.1"), Decimal("79.4"), Decimal("59.7"))


def test_quarter_metrics_by_hand():
    q = book_metrics(BOOK).quarters
    assert [x.label for x in q] == ["2027Q1", "2027Q2", "2027Q3", "2027Q4"]
    assert [x.starting_arr for x in q] == [18_000_000, 23_000_000, 22_500_000, 22_500_000]
    assert [x.nrr for x in q] == [Fraction(7, 6), Fraction(45, 46), Fraction(1),
                                  Fraction(20_299_999, 22_500_000)]
    assert [x.grr for x in q] == [Fraction(1), Fraction(45, 46), Fraction(1), Fraction(19_299_999, 22_500_000)]
    assert [x.expansion_share for x in q] == [Fraction(3, 5), None, None, Fraction(10, 17)]
    assert q[3].accounts == 4                    # A4 is in the base by Q4, so its expansion counts there


def test_quarters_cut_to_a_window_that_is_not_quarter_aligned():
    deals = deals_frame([
        {"deal_id": "L1", "account_id": "A1", "type": "new", "close_date": "2026-05-31", "arr": 1000},
        {"deal_id": "C9", "account_id": "A9", "type": "contraction", "close_date": "2026-01-10", "arr": 500},
        {"deal_id": "E1", "account_id": "A1", "type": "expansion", "close_date": "2026-06-01", "arr": 100},
        {"deal_id": "E2", "account_id": "A1", "type": "expansion", "close_date": "2027-05-02", "arr": 50},
    ])
    m = book_metrics(deals)
    assert (m.window.start, m.window.end) == (D(2026, 6, 1), D(2027, 5, 31))
    assert [(q.label, q.start, q.end) for q in m.quarters] == [
        ("2026Q2", D(2026, 6, 1), D(2026, 6, 30)), ("2026Q3", D(2026, 7, 1), D(2026, 9, 30)),
        ("2026Q4", D(2026, 10, 1), D(2026, 12, 31)), ("2027Q1", D(2027, 1, 1), D(2027, 3, 31)),
        ("2027Q2", D(2027, 4, 1), D(2027, 5, 31))]
    # A9 has negative ARR (a contraction whose land predates the data): not in the starting base
    assert (m.window.accounts, m.window.starting_arr) == (1, 100_000)
    assert m.window.nrr == Fraction(115, 100)
    assert sum(q.expansion for q in m.quarters) == m.window.expansion == 15_000
    assert m.window.expansion_share == Fraction(1)


def test_no_deals_no_metrics_and_no_starting_arr_is_undefined():
    assert book_metrics(BOOK.iloc[:0]) is None
    only_lands = book_metrics(BOOK[BOOK["deal_id"].isin(["L5"])])
    assert only_lands.window.starting_arr == 0
    assert only_lands.window.nrr is None and only_lands.window.grr is None
    assert only_lands.window.expansion_share == Fraction(0)


def test_money_is_exact_integers():
    w = book_metrics(BOOK).window
    for name in ("starting_arr", "expansion", "uplift", "contraction", "downsell", "churn", "new_arr",
                 "expansion_arr"):
        assert type(getattr(w, name)) is int
    assert w.as_dict()["nrr_pct"] == "96.1"
