"""Crediting (SPEC §2, ICM essentials): splits, unassigned events, currencies and manual adjustments."""
from __future__ import annotations

import pytest

from compcalc.inputs import load_book
from compcalc.problems import InputError
from inline_book import line_rows, lines, plan, run_book, write_book

NB = plan("nb", """
    - id: land_tcv
      type: tcv_commission
      rate: 0.10
      vesting: {upfront_pct: 0.25, months: 12}
      clawback: {recover_paid_within_months: 3}
    - {id: closer, type: closer_expansion, rate: 0.10}
""")


def test_split_land_that_churns_and_split_closers(tmp_path):
    """L1 (A1, 12,000, 2027-01-15) is split ae1 60% / ae2 40%; A1 churns 2027-03-20 (2 months < 3).

    ae1: 10% × 12,000 × 0.6 = 720 → 180.00 upfront, 12 × 45.00 from Feb; clawback of
         180 + 45 + 45 = −270.00 in March; April on forfeited.
    ae2: 480 → 120.00 upfront, 12 × 30.00; clawback −180.00.
    L2 (A2, 2027-02-01) split the same way; expansion E2 of 10,000 in 2027-05 (owned by am1):
    each split rep is a closer for their share: ae1 10% × 10,000 × 0.6 = 600.00, ae2 400.00.
    """
    result = run_book(tmp_path, through="2028-06", plans=[NB, plan("exp", "[]")], roster="""
        rep_id,name,plan_id,start_date,end_date
        ae1,Dana Reyes,nb,2027-01-01,
        ae2,Sam Ito,nb,2027-01-01,
        am1,Lee Park,exp,2027-01-01,
    """, deals="""
        deal_id,account_id,type,close_date,arr,owner_id
        L1,A1,new,2027-01-15,12000,ae1
        C1,A1,churn,2027-03-20,12000,am1
        L2,A2,new,2027-02-01,0.01,ae1
        E2,A2,expansion,2027-05-10,10000,am1
    """, splits="""
        deal_id,rep_id,share
        L1,ae1,0.6
        L1,ae2,0.4
        L2,ae1,0.6
        L2,ae2,0.4
    """)
    for rep, upfront, each, claw in (("ae1", "180.00", "45.00", "-270.00"), ("ae2", "120.00", "30.00", "-180.00")):
        got = [x for x in lines(result, rep, "land_tcv") if x[3] == "L1"]
        assert got[:4] == [("upfront", "2027-01", upfront, "L1"), ("installment", "2027-02", each, "L1"),
                           ("clawback", "2027-03", claw, "L1"), ("installment", "2027-03", each, "L1")]
        assert {x[:3:2] for x in got[4:]} == {("forfeit", "0.00")} and len(got[4:]) == 10
    assert lines(result, "ae1", "closer") == [("closer_expansion", "2027-05", "600.00", "E2")]
    assert lines(result, "ae2", "closer") == [("closer_expansion", "2027-05", "400.00", "E2")]


def test_split_credits_are_rounded_per_rep_with_the_plans_rounding(tmp_path):
    """E1 (100.01 of expansion ARR) is split 50/50: each rep is credited 50.005.

    Base rate 0.10: earned 5.0005 → 5.00 for both. The attainment written in ``basis`` is a money amount,
    so it is rounded with the plan's rounding too (SPEC §3 "Rounding"): 50.01 half_up (am1),
    50.00 half_even (am2).
    """
    quota = """
        - {id: nx, type: quota_attainment, quota: 120000, target_incentive: 12000}
    """
    result = run_book(tmp_path, through="2027-12", plans=[plan("up", quota), plan("even", quota, rounding="half_even")],
                      roster="""
        rep_id,name,plan_id,start_date,end_date
        am1,Lee Park,up,2027-01-01,
        am2,Kim Osei,even,2027-01-01,
    """, deals="""
        deal_id,account_id,type,close_date,arr,owner_id
        E1,A1,expansion,2027-03-10,100.01,am1
    """, splits="""
        deal_id,rep_id,share
        E1,am1,0.5
        E1,am2,0.5
    """)
    assert lines(result) == [("quota", "2027-03", "5.00", ""), ("quota", "2027-03", "5.00", "")]
    assert [(r["rep_id"], r["basis"]) for r in line_rows(result)] == [("am1", "50.01"), ("am2", "50.00")]


def test_unassigned_events_earn_nothing_and_are_listed(tmp_path):
    """ae3 starts 2027-03-01: its land D3 on 2027-02-10 earns nothing and is listed; D4, split between
    ae1 and ae3 on 2027-02-20, pays ae1 its half (10% × 10,000 × 0.5 = 500 → 125.00 upfront) and lists
    ae3's half. cs1's milestone before its start is listed too. D5, dated after --through, is not this
    run's business yet: ae9 (gone by then) is not listed for it.
    """
    result = run_book(tmp_path, through="2027-02", plans=[NB, plan("csm", """
        - {id: act, type: activation_bonus, milestone: activated, amount: 100}
    """)], roster="""
        rep_id,name,plan_id,start_date,end_date
        ae1,Dana Reyes,nb,2027-01-01,
        ae3,Lee Park,nb,2027-03-01,
        cs1,Kim Osei,csm,2027-03-01,
        ae9,Ann Vale,nb,2027-01-01,2027-02-28
    """, deals="""
        deal_id,account_id,type,close_date,arr,owner_id
        D3,A3,new,2027-02-10,10000,ae3
        D4,A4,new,2027-02-20,10000,ae1
        D5,A5,new,2027-03-20,10000,ae1
    """, splits="""
        deal_id,rep_id,share
        D4,ae1,0.5
        D4,ae3,0.5
        D5,ae1,0.5
        D5,ae9,0.5
    """, milestones="""
        account_id,milestone,achieved_date,csm_id
        A3,activated,2027-02-25,cs1
    """)
    assert lines(result) == [("upfront", "2027-02", "125.00", "D4")]
    u = result.unassigned
    assert list(zip(u["source"], u["event_id"], u["rep_id"], u["date"], u["period"], u["reason"])) == [
        ("deals", "D3", "ae3", "2027-02-10", "2027-02", "new deal dated 2027-02-10: rep ae3 has no assignment on that date"),
        ("deals", "D4", "ae3", "2027-02-20", "2027-02", "new deal dated 2027-02-20: rep ae3 has no assignment on that date"),
        ("milestones", "A3:activated", "cs1", "2027-02-25", "2027-02",
         "milestone dated 2027-02-25: rep cs1 has no assignment on that date"),
    ]


def test_fx_conversion_rounds_each_money_column_at_the_close_months_rate(tmp_path):
    """EUR at 1.105 in 2027-03 and 1.2 in 2027-04; plan currency USD. acv 10% of min(arr, tcv).

    D1 (EUR, March): ARR 1,000.01 × 1.105 = 1,105.01105 → 1,105.01 USD → 110.501 → 110.50.
    D2 (EUR, April): ARR 1,000 × 1.2 = 1,200.00 and explicit TCV 500.05 × 1.2 = 600.06 → 10% × 600.06 = 60.01
                    (60.006 rounded).
    D3 (no currency = the plan's): 1,000 → 100.00.
    """
    result = run_book(tmp_path, through="2027-12", plans=plan("nb", "- {id: acv, type: acv_commission, rate: 0.10}"),
                      roster="""
        rep_id,name,plan_id,start_date,end_date
        ae1,Dana Reyes,nb,2027-01-01,
    """, deals="""
        deal_id,account_id,type,close_date,arr,owner_id,tcv,currency
        D1,A1,new,2027-03-10,1000.01,ae1,,EUR
        D2,A2,new,2027-04-10,1000,ae1,500.05,EUR
        D3,A3,new,2027-04-10,1000,ae1,,
    """, fx_rates="""
        currency,period,rate
        EUR,2027-03,1.105
        EUR,2027-04,1.2
    """)
    assert lines(result, "ae1") == [("commission", "2027-03", "110.50", "D1"), ("commission", "2027-04", "60.01", "D2"),
                                    ("commission", "2027-04", "100.00", "D3")]
    assert [r["basis"] for r in line_rows(result, "ae1")] == ["1105.01", "600.06", "1000.00"]


def test_a_deal_in_a_currency_without_a_rate_is_a_validation_error(tmp_path):
    kwargs = write_book(tmp_path, plans=plan("nb", "[]"), roster="""
        rep_id,name,plan_id,start_date,end_date
        ae1,Dana Reyes,nb,2027-01-01,
    """, deals="""
        deal_id,account_id,type,close_date,arr,owner_id,currency
        D1,A1,new,2027-03-10,1000,ae1,EUR
        D2,A2,new,2027-04-10,1000,ae1,GBP
    """, fx_rates="""
        currency,period,rate
        EUR,2027-03,1.1
    """)
    with pytest.raises(InputError) as e:
        load_book(**kwargs)
    assert [str(p) for p in e.value.problems] == [f"{tmp_path / 'deals.csv'}: row 2, column currency: "
                                                  f"no GBP rate for 2027-04 in {tmp_path / 'fx_rates.csv'}"]


def test_manual_adjustments_are_lines_in_their_period(tmp_path):
    """Adjustments become kind manual_adjustment, component "adjustment", no plan, in their period:
    ae1 +250.00 in 2027-02 and −100.00 in 2027-03 (with a reason as the note)."""
    result = run_book(tmp_path, through="2027-12", plans=plan("nb", "[]"), roster="""
        rep_id,name,plan_id,start_date,end_date
        ae1,Dana Reyes,nb,2027-01-01,
    """, deals="""
        deal_id,account_id,type,close_date,arr,owner_id
    """, adjustments="""
        rep_id,period,amount,reason
        ae1,2027-02,250,Missed SPIF
        ae1,2027-03,-100.00,"Overpaid, March"
    """)
    assert lines(result, "ae1") == [("manual_adjustment", "2027-02", "250.00", ""),
                                    ("manual_adjustment", "2027-03", "-100.00", "")]
    assert [(r["plan_id"], r["component_id"], r["note"]) for r in line_rows(result, "ae1")] == \
        [("", "adjustment", "Missed SPIF"), ("", "adjustment", "Overpaid, March")]
