"""acv_commission, closer_expansion and renewal_commission (SPEC §3), each on a tiny inline book."""
from __future__ import annotations

from inline_book import line_rows, lines, plan, run_book

EMPTY = plan("exp", "[]")


def test_acv_pays_min_arr_tcv_and_claws_back_within_the_window(tmp_path):
    """10% of min(arr, tcv) in the close month; recover_paid_within_months 6.

    D1: ARR 20,000 over 24 months (TCV 40,000) → 10% × 20,000 = 2,000.00 in 2027-01; A1 churns 2027-06
        (5 months < 6) → −2,000.00 in 2027-06.
    D2: ARR 20,000 over 6 months (TCV 10,000) → 1,000.00; A2 churns 2027-07 (6 months, not < 6) → kept.
    D3: explicit TCV 5,000.55 below ARR 12,000 → 10% × 5,000.55 = 500.055 → 500.06 (half_up).
    """
    result = run_book(tmp_path, through="2027-12", plans=plan("nb", """
        - {id: land_acv, type: acv_commission, rate: 0.10, clawback: {recover_paid_within_months: 6}}
    """), roster="""
        rep_id,name,plan_id,start_date,end_date
        ae1,Dana Reyes,nb,2027-01-01,
    """, deals="""
        deal_id,account_id,type,close_date,arr,owner_id,term_months,tcv
        D1,A1,new,2027-01-10,20000,ae1,24,
        D2,A2,new,2027-01-10,20000,ae1,6,
        D3,A3,new,2027-01-10,12000,ae1,12,5000.55
        C1,A1,churn,2027-06-30,20000,ae1,,
        C2,A2,churn,2027-07-01,20000,ae1,,
    """)
    assert lines(result, "ae1") == [
        ("commission", "2027-01", "2000.00", "D1"),
        ("commission", "2027-01", "1000.00", "D2"),
        ("commission", "2027-01", "500.06", "D3"),
        ("clawback", "2027-06", "-2000.00", "D1"),
    ]
    assert [r["basis"] for r in line_rows(result, "ae1")][:3] == ["20000.00", "10000.00", "5000.55"]


CLOSER_PLANS = [
    plan("nb", """
        - {id: closer, type: closer_expansion, rate: 0.10}
        - {id: no_uplift, type: closer_expansion, rate: 0.10, include_renewal_uplift: false}
    """),
    plan("nb2", "- {id: closer2, type: closer_expansion, rate: 0.05}"),
    EMPTY,
]


def test_closer_expansion_window_and_tail_boundaries(tmp_path):
    """ae1 lands A1 in 2027-01; am1 signs expansions of 10,000 ARR at k months after the land.

    Defaults: window 12, tail 12 at 30% of the rate.
    k = 11 (2027-12): 10% × 10,000 = 1,000.00; k = 12 (2028-01) and k = 23 (2028-12): tail
    10% × 30% × 10,000 = 300.00; k = 24 (2029-01): nothing.
    Renewal R1 at k = 3 with uplift 60,000 − 50,000 = 10,000 → 1,000.00 (not under include_renewal_uplift
    false); R2, a downsell (40,000 after 50,000), has no uplift → nothing.
    """
    result = run_book(tmp_path, through="2029-12", plans=CLOSER_PLANS, roster="""
        rep_id,name,plan_id,start_date,end_date
        ae1,Dana Reyes,nb,2027-01-01,
        am1,Lee Park,exp,2027-01-01,
    """, deals="""
        deal_id,account_id,type,close_date,arr,owner_id,prior_arr
        L1,A1,new,2027-01-31,20000,ae1,
        K11,A1,expansion,2027-12-01,10000,am1,
        K12,A1,expansion,2028-01-31,10000,am1,
        K23,A1,expansion,2028-12-15,10000,am1,
        K24,A1,expansion,2029-01-01,10000,am1,
        R1,A1,renewal,2027-04-10,60000,am1,50000
        R2,A1,renewal,2027-05-10,40000,am1,50000
    """)
    assert lines(result, "ae1", "closer") == [
        ("closer_expansion", "2027-04", "1000.00", "R1"),
        ("closer_expansion", "2027-12", "1000.00", "K11"),
        ("closer_expansion", "2028-01", "300.00", "K12"),
        ("closer_expansion", "2028-12", "300.00", "K23"),
    ]
    assert lines(result, "ae1", "no_uplift") == [
        ("closer_expansion", "2027-12", "1000.00", "K11"),
        ("closer_expansion", "2028-01", "300.00", "K12"),
        ("closer_expansion", "2028-12", "300.00", "K23"),
    ]
    tail = [r for r in line_rows(result, "ae1") if r["deal_id"] == "K12" and r["component_id"] == "closer"][0]
    assert (tail["basis"], tail["rate"]) == ("10000.00", "0.0300")
    assert lines(result, "am1") == []


def test_closer_must_hold_an_assignment_on_the_plan_and_the_land_must_be_in_the_data(tmp_path):
    """Expansions of 10,000 ARR in 2027-05, all within the window.

    A2: its closer ae2 left on 2027-03-31 → nothing.
    A3: its closer ae3 moved to plan nb2 on 2027-04-01 → nb's closer pays nothing; nb2's closer
        component (5%) pays 500.00 — the closer's plan on the expansion date is the one that pays.
    A9: no land in the file (landed before the data) → no closer credit for anyone.
    """
    result = run_book(tmp_path, through="2027-12", plans=CLOSER_PLANS, roster="""
        rep_id,name,plan_id,start_date,end_date
        ae2,Sam Ito,nb,2027-01-01,2027-03-31
        ae3,Lee Park,nb,2027-01-01,2027-03-31
        ae3,Lee Park,nb2,2027-04-01,
        am1,Kim Osei,exp,2027-01-01,
    """, deals="""
        deal_id,account_id,type,close_date,arr,owner_id
        L2,A2,new,2027-01-15,20000,ae2
        L3,A3,new,2027-01-15,20000,ae3
        E2,A2,expansion,2027-05-10,10000,am1
        E3,A3,expansion,2027-05-10,10000,am1
        E9,A9,expansion,2027-05-10,10000,am1
    """)
    assert lines(result) == [("closer_expansion", "2027-05", "500.00", "E3")]
    assert [(r["rep_id"], r["plan_id"], r["component_id"]) for r in line_rows(result)] == [("ae3", "nb2", "closer2")]
    assert result.unassigned.empty


def test_renewal_commission_full_or_flat_portion(tmp_path):
    """rate 3%, on renewals the rep signs, in the close month.

    R1: 60,000 after 50,000 → full 3% × 60,000 = 1,800.00; flat portion 3% × min(60,000, 50,000) = 1,500.00.
    R2: 40,000 after 50,000 → 1,200.00 either way. E1 (an expansion) is no renewal → nothing.
    """
    result = run_book(tmp_path, through="2027-12", plans=plan("am", """
        - {id: full, type: renewal_commission, rate: 0.03, basis: full}
        - {id: flat, type: renewal_commission, rate: 0.03, basis: flat_portion}
    """), roster="""
        rep_id,name,plan_id,start_date,end_date
        am1,Lee Park,am,2027-01-01,
    """, deals="""
        deal_id,account_id,type,close_date,arr,owner_id,prior_arr
        R1,A1,renewal,2027-03-10,60000,am1,50000
        R2,A2,renewal,2027-04-10,40000,am1,50000
        E1,A3,expansion,2027-04-10,40000,am1,
    """)
    assert lines(result, "am1", "full") == [("commission", "2027-03", "1800.00", "R1"),
                                            ("commission", "2027-04", "1200.00", "R2")]
    assert lines(result, "am1", "flat") == [("commission", "2027-03", "1500.00", "R1"),
                                            ("commission", "2027-04", "1200.00", "R2")]
