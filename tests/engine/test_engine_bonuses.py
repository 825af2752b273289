"""activation_bonus, metric_bonus, spif and manager_override (SPEC §3 and ICM essentials)."""
from __future__ import annotations

from inline_book import line_rows, lines, plan, run_book

NB = plan("nb", "[]")


def test_activation_bonus_within_days_amount_or_pct_and_first_achievement_only(tmp_path):
    """Lands close 2027-01-01 (A1, A2) and 2027-01-10 (A3); within_days 90.

    A1 activated 2027-04-01 = land + 90 days → pays, in April: 750.00 (amount) and
       2% × 30,000.55 = 600.011 → 600.01 (pct_of_land_arr).
    A2 activated 2027-04-02 = land + 91 days → nothing.
    A3 first activated 2027-02-01 by cs2, again 2027-02-15 by cs1 → only the first counts: cs2.
    A9 has no land in the file → nothing. A1's "onboarded" milestone is another milestone → nothing.
    """
    result = run_book(tmp_path, through="2027-12", plans=[NB, plan("csm", """
        - {id: act, type: activation_bonus, milestone: activated, within_days: 90, amount: 750}
        - {id: act_pct, type: activation_bonus, milestone: activated, pct_of_land_arr: 0.02}
    """)], roster="""
        rep_id,name,plan_id,start_date,end_date
        ae1,Dana Reyes,nb,2027-01-01,
        cs1,Kim Osei,csm,2027-01-01,
        cs2,Ana Silva,csm,2027-01-01,
    """, deals="""
        deal_id,account_id,type,close_date,arr,owner_id
        L1,A1,new,2027-01-01,30000.55,ae1
        L2,A2,new,2027-01-01,30000,ae1
        L3,A3,new,2027-01-10,10000,ae1
    """, milestones="""
        account_id,milestone,achieved_date,csm_id
        A1,activated,2027-04-01,cs1
        A2,activated,2027-04-02,cs1
        A3,activated,2027-02-15,cs1
        A3,activated,2027-02-01,cs2
        A9,activated,2027-02-01,cs1
        A1,onboarded,2027-01-05,cs1
    """)
    assert lines(result, "cs1") == [("bonus", "2027-04", "750.00", "A1"), ("bonus", "2027-04", "600.01", "A1")]
    assert lines(result, "cs2") == [("bonus", "2027-02", "750.00", "A3"), ("bonus", "2027-02", "200.00", "A3")]
    pct = [r for r in line_rows(result, "cs1") if r["component_id"] == "act_pct"][0]
    assert (pct["basis"], pct["rate"]) == ("30000.55", "0.02")


def test_metric_bonus_direction_and_the_assignment_on_the_periods_last_day(tmp_path):
    """csat ≥ 4.5 pays 1,000; churn_rate ≤ 0.05 pays 500, in the row's period.

    cs1: 2027-03 csat 4.5 (= target, at_least) → 1,000.00; 2027-04 csat 4.49 → nothing;
         2027-03 churn_rate 0.05 (= target, at_most) → 500.00; 2027-04 churn_rate 0.06 → nothing.
    cs2 moves to plan "other" on 2027-05-16: its 2027-05 row belongs to the assignment on 2027-05-31 → nothing.
    cs3 starts 2027-06-30: its 2027-06 row (last day 2027-06-30) counts → 1,000.00.
    cs4 left 2027-06-29: its 2027-06 row has no assignment → unassigned.csv.
    Metric names match case-insensitively ("CSAT").
    """
    result = run_book(tmp_path, through="2027-12", plans=[plan("other", "[]"), plan("csm", """
        - {id: csat, type: metric_bonus, metric: csat, target: 4.5, amount: 1000}
        - {id: churn, type: metric_bonus, metric: churn_rate, target: 0.05, amount: 500, direction: at_most}
    """)], roster="""
        rep_id,name,plan_id,start_date,end_date
        cs1,Kim Osei,csm,2027-01-01,
        cs2,Ana Silva,csm,2027-01-01,2027-05-15
        cs2,Ana Silva,other,2027-05-16,
        cs3,Sam Ito,csm,2027-06-30,
        cs4,Lee Park,csm,2027-01-01,2027-06-29
    """, deals="""
        deal_id,account_id,type,close_date,arr,owner_id
    """, metrics="""
        rep_id,period,metric,value
        cs1,2027-03,csat,4.5
        cs1,2027-04,csat,4.49
        cs1,2027-03,churn_rate,0.05
        cs1,2027-04,churn_rate,0.06
        cs2,2027-05,csat,5
        cs3,2027-06,CSAT,4.8
        cs4,2027-06,csat,4.8
    """)
    assert lines(result, "cs1") == [("bonus", "2027-03", "500.00", ""), ("bonus", "2027-03", "1000.00", "")]
    assert lines(result, "cs2") == []
    assert lines(result, "cs3") == [("bonus", "2027-06", "1000.00", "")]
    assert lines(result, "cs4") == []
    u = result.unassigned
    assert list(zip(u["source"], u["event_id"], u["rep_id"], u["period"], u["reason"])) == [
        ("metrics", "csat:2027-06", "cs4", "2027-06", "metric dated 2027-06-30: rep cs4 has no assignment on that date"),
    ]


def test_spif_window_filters_and_split_share(tmp_path):
    """500 per new deal closed 2027-01-01 … 2027-03-31 with ARR ≥ 20,000 and term ≥ 24.

    D1 (on the first day, 20,000, 24 months) and D2 (on the last day) → 500.00 each; D3 the day after,
    D4 (19,999.99), D5 (23 months) and D6 (an expansion) → nothing. D7 is split 30/70 between ae1 and
    ae2 → 150.00 and 350.00; the deal qualifies on its whole ARR (reading: the filters describe the deal,
    the share only scales the amount), so 25,000 × 0.3 = 7,500 < 20,000 does not disqualify it.
    """
    result = run_book(tmp_path, through="2027-12", plans=plan("nb", """
        - {id: spif, type: spif, amount: 500, from: 2027-01-01, to: 2027-03-31, min_arr: 20000, min_term_months: 24}
    """), roster="""
        rep_id,name,plan_id,start_date,end_date
        ae1,Dana Reyes,nb,2027-01-01,
        ae2,Sam Ito,nb,2027-01-01,
    """, deals="""
        deal_id,account_id,type,close_date,arr,owner_id,term_months
        D1,A1,new,2027-01-01,20000,ae1,24
        D2,A2,new,2027-03-31,25000,ae1,36
        D3,A3,new,2027-04-01,25000,ae1,36
        D4,A4,new,2027-02-01,19999.99,ae1,36
        D5,A5,new,2027-02-01,25000,ae1,23
        D6,A1,expansion,2027-02-01,25000,ae1,36
        D7,A7,new,2027-02-01,25000,ae1,36
    """, splits="""
        deal_id,rep_id,share
        D7,ae1,0.3
        D7,ae2,0.7
    """)
    assert lines(result, "ae1") == [("bonus", "2027-01", "500.00", "D1"), ("bonus", "2027-02", "150.00", "D7"),
                                    ("bonus", "2027-03", "500.00", "D2")]
    assert lines(result, "ae2") == [("bonus", "2027-02", "350.00", "D7")]


def test_manager_override_follows_the_reps_assignment_and_split_shares(tmp_path):
    """2% of ARR on new and expansion deals credited to a rep whose assignment names the manager.

    D1 new 30,000 by ae1 → mg1 600.00; D2 expansion 10,000 → 200.00; D3 renewal → nothing.
    D4 new 40,000 split ae1 50% / ae2 25% / am1 25%: mg1 gets 2% × 40,000 × 0.5 = 400.00 and
    × 0.25 = 200.00 (ae2); am1 names no manager → nothing.
    From 2027-07-01 ae1 reports to mg2: D5 (new 10,000, August) → mg2 200.00.
    D6 (new 10,000 by ae2, 2027-09) — mg1 left 2027-08-31, so holds no assignment → nothing.
    """
    result = run_book(tmp_path, through="2027-12", plans=[NB, plan("mgr", "- {id: ovr, type: manager_override, rate: 0.02}")],
                      roster="""
        rep_id,name,plan_id,start_date,end_date,manager_id
        ae1,Dana Reyes,nb,2027-01-01,2027-06-30,mg1
        ae1,Dana Reyes,nb,2027-07-01,,mg2
        ae2,Sam Ito,nb,2027-01-01,,mg1
        am1,Lee Park,nb,2027-01-01,,
        mg1,Ana Silva,mgr,2027-01-01,2027-08-31,
        mg2,Kim Osei,mgr,2027-01-01,,
    """, deals="""
        deal_id,account_id,type,close_date,arr,owner_id,prior_arr
        D1,A1,new,2027-01-10,30000,ae1,
        D2,A1,expansion,2027-02-10,10000,ae1,
        D3,A1,renewal,2027-03-10,50000,ae1,40000
        D4,A4,new,2027-04-10,40000,ae1,
        D5,A5,new,2027-08-10,10000,ae1,
        D6,A6,new,2027-09-10,10000,ae2,
    """, splits="""
        deal_id,rep_id,share
        D4,ae1,0.5
        D4,ae2,0.25
        D4,am1,0.25
    """)
    assert sorted(lines(result, "mg1")) == [("override", "2027-01", "600.00", "D1"),
                                            ("override", "2027-02", "200.00", "D2"),
                                            ("override", "2027-04", "200.00", "D4"), ("override", "2027-04", "400.00", "D4")]
    assert lines(result, "mg2") == [("override", "2027-08", "200.00", "D5")]
    assert sorted(r["basis"] for r in line_rows(result, "mg1") if r["deal_id"] == "D4") == ["10000.00", "20000.00"]
