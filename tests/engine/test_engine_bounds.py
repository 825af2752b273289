"""Money that cannot silently go wrong (README "Bounds"): every product is exact or refused.

Each test is a book at or past a bound; amounts are derived by hand in the comments.
"""
from __future__ import annotations

import pytest

from compcalc.problems import InputError

from inline_book import lines, plan, run_book

ROSTER = """
    rep_id,name,plan_id,start_date,end_date
    ae1,Dana Reyes,nb,2027-01-01,
"""


def problems_of(tmp_path, **book) -> list[str]:
    with pytest.raises(InputError) as e:
        run_book(tmp_path, through="2027-03", **book)
    return [str(p) for p in e.value.problems]


def test_upfront_with_ten_decimal_places_on_a_large_deal_is_exact_not_wrapped(tmp_path):
    """commission = 0.5 × 100,000,000.00 = 50,000,000.00 = 5e9 cents; 5e9 × 3,333,333,333 is past int64.
    upfront = round(5e9 × 0.3333333333) = round(1,666,666,666.5) = 1,666,666,667 cents;
    rest 3,333,333,333 cents / 12 = 277,777,777.75 → 277,777,778 each, the last 277,777,775."""
    nb = plan("nb", """
        - id: land
          type: tcv_commission
          rate: 0.5
          vesting: {upfront_pct: 0.3333333333, months: 12}
    """)
    deals = """
        deal_id,account_id,type,close_date,arr,owner_id
        D1,A1,new,2027-01-15,100000000,ae1
    """
    result = run_book(tmp_path, through="2028-01", plans=nb, roster=ROSTER, deals=deals)
    got = lines(result, "ae1")
    assert got[0] == ("upfront", "2027-01", "16666666.67", "D1")
    assert got[1] == ("installment", "2027-02", "2777777.78", "D1")
    assert got[-1] == ("installment", "2028-01", "2777777.75", "D1")
    assert len(got) == 13


def test_contract_terms_and_draw_months_past_100_years_are_refused(tmp_path):
    nb = plan("nb", "- {id: land, type: tcv_commission, rate: 0.1}")
    roster = """
        rep_id,name,plan_id,start_date,end_date,draw,draw_months
        ae1,Dana Reyes,nb,2027-01-01,,100,1201
    """
    deals = """
        deal_id,account_id,type,close_date,arr,owner_id,term_months
        D1,A1,new,2027-01-15,1000,ae1,100000000000
        D2,A2,new,2027-01-15,1000,ae1,1200
    """
    assert problems_of(tmp_path, plans=nb, roster=roster, deals=deals) == [
        f"{tmp_path}/deals.csv: row 1, column term_months: must be at most 1200 (got 100000000000)",
        f"{tmp_path}/roster.csv: row 1, column draw_months: must be at most 1200 (got 1201)",
    ]


def test_a_converted_amount_past_the_money_bound_is_refused_at_its_row(tmp_path):
    nb = plan("nb", "- {id: land, type: tcv_commission, rate: 0.1}")
    deals = """
        deal_id,account_id,type,close_date,arr,owner_id,currency
        D1,A1,new,2027-01-15,999999999999.99,ae1,JPY
        D2,A2,new,2027-01-15,1000,ae1,JPY
    """
    fx = """
        currency,period,rate
        JPY,2027-01,1000000
    """
    assert problems_of(tmp_path, plans=nb, roster=ROSTER, deals=deals, fx_rates=fx) == [
        f"{tmp_path}/deals.csv: row 1, column arr: arr converted at the JPY rate 1000000 is more than "
        "999,999,999,999.99"]


def test_a_component_amount_past_int64_is_refused_naming_plan_and_component(tmp_path):
    """TI / Q × A = 999,999,999,999.99 / 0.01 × 1,000,000 ARR: about 1e26 cents, past int64."""
    nb = plan("nb", """
        - id: nrr
          type: quota_attainment
          quota: 0.01
          target_incentive: 999999999999.99
    """)
    deals = """
        deal_id,account_id,type,close_date,arr,owner_id
        D1,A1,expansion,2027-01-15,1000000,ae1
    """
    assert problems_of(tmp_path, plans=nb, roster=ROSTER, deals=deals) == [
        f"{tmp_path}/plans/plan0.yaml:8 components[0]: component 'nrr' computes an amount of more than "
        "10,000,000,000,000.00, beyond what compcalc pays exactly (README: Bounds)"]


def test_lines_that_add_up_past_the_run_bound_are_refused_before_any_sum_wraps(tmp_path):
    """11 SPIFs of 999,999,999,999.99 move 10,999,999,999,999.89: more than 10 trillion in all."""
    nb = plan("nb", "- {id: kick, type: spif, amount: 999999999999.99, from: 2027-01-01, to: 2027-12-31}")
    deals = "deal_id,account_id,type,close_date,arr,owner_id\n" + "".join(
        f"D{i},A{i},new,2027-01-15,1000,ae1\n" for i in range(11))
    assert problems_of(tmp_path, plans=nb, roster=ROSTER, deals=deals) == [
        f"{tmp_path}/deals.csv: the lines of this run move more than 10,000,000,000,000.00 in all, beyond "
        "what compcalc pays exactly (README: Bounds); the largest is 999,999,999,999.99 on deal 'D0'"]
