"""Plan patterns II (SPEC §8.4–§8.10) on tiny books, every amount derived by hand in the docstring."""
from __future__ import annotations

import pytest

from compcalc.inputs import load_book
from compcalc.problems import InputError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inline_book import fact, line_rows, lines, plan, register, run_book, write_book

EXP = plan("exp", "[]")
ROSTER = """
    rep_id,name,plan_id,start_date,end_date,manager_id
    ae1,Dana Reyes,nb,2027-01-01,,mgr
    ae2,Sam Ito,nb,2027-01-01,,mgr
    am1,Lee Park,exp,2027-01-01,,
    mgr,Kim Vo,mgr,2027-01-01,,
"""


def notes(result, rep, component):
    return [(r["kind"], r["period"], r["note"]) for r in line_rows(result, rep) if r["component_id"] == component]


# -- §8.4 effective-dated parameters ---------------------------------------------------------------

DATED = plan("nb", """
    - id: land_tcv
      type: tcv_commission
      rate: {2027-01-01: 0.10, 2027-07-01: 0.12}
      vesting: {upfront_pct: 0.25, months: 3}
    - id: land_acv
      type: acv_commission
      rate: {2027-07-01: 0.02, 2027-01-01: 0.01}
    - id: closer
      type: closer_expansion
      rate: {2027-01-01: 0.10, 2027-07-01: 0.20}
      window_months: 1
      tail_rate_pct: {2027-01-01: 0.30, 2027-07-01: 0.50}
    - id: renewals
      type: renewal_commission
      rate: {2027-01-01: 0.03, 2027-07-01: 0.04}
    - id: spif
      type: spif
      amount: {2027-01-01: 500, 2027-07-01: 750.50}
      from: 2027-01-01
      to: 2027-12-31
""")
MGR = plan("mgr", """
    - id: override
      type: manager_override
      rate: {2027-01-01: 0.01, 2027-07-01: 0.02}
      deal_types: [new]
""")


def test_dated_rates_with_deals_on_both_sides_of_2027_07_01(tmp_path):
    """rate {2027-01-01: 0.10, 2027-07-01: 0.12}; L1 closes 2027-06-30, L2 2027-07-01, each 12,000 ARR.

    land_tcv: L1 10% × 12,000 = 1,200 → 300.00 upfront, 3 × 300.00 in Jul–Sep (installments keep L1's
      close-date rate after July); L2 12% → 1,440 → 360.00 upfront, 3 × 360.00 Aug–Oct.
    land_acv (keys out of order): L1 1% = 120.00, L2 2% = 240.00.
    spif: L1 500.00, L2 750.50. override (mgr): L1 1% = 120.00, L2 2% = 240.00.
    closer (window 1 month, then a 12-month tail): E1 (A1, 2027-08-02, 1,000): k = 2 → tail at the
      expansion date's rate and tail pct: 20% × 50% × 1,000 = 100.00; E0 (A1, 2027-06-30, 1,000), k = 0:
      10% = 100.00 too, but at rate 0.1. E2 (A0, land 2026-12 by ae1, 2027-06-01, 1,000): k = 6, tail at
      10% × 30% = 30.00.
    renewals: R1 2027-06-30 flat 10,000 → 3% = 300.00; R2 2027-07-01 → 4% = 400.00.
    """
    result = run_book(tmp_path, through="2027-12", plans=[DATED, EXP, MGR], roster=ROSTER, deals="""
        deal_id,account_id,type,close_date,arr,owner_id,prior_arr
        L0,A0,new,2026-12-20,0,ae1,
        L1,A1,new,2027-06-30,12000,ae1,
        L2,A2,new,2027-07-01,12000,ae1,
        E0,A1,expansion,2027-06-30,1000,am1,
        E1,A1,expansion,2027-08-02,1000,am1,
        E2,A0,expansion,2027-06-01,1000,am1,
        R1,A3,renewal,2027-06-30,10000,ae1,10000
        R2,A4,renewal,2027-07-01,10000,ae1,10000
    """)
    assert lines(result, "ae1", "land_tcv") == [
        ("upfront", "2027-06", "300.00", "L1"), ("installment", "2027-07", "300.00", "L1"),
        ("upfront", "2027-07", "360.00", "L2"), ("installment", "2027-08", "300.00", "L1"),
        ("installment", "2027-08", "360.00", "L2"), ("installment", "2027-09", "300.00", "L1"),
        ("installment", "2027-09", "360.00", "L2"), ("installment", "2027-10", "360.00", "L2")]
    assert {(r["deal_id"], fact(r, "commission_rate")) for r in line_rows(result, "ae1") if r["kind"] == "upfront"} == \
        {("L1", "0.10"), ("L2", "0.12")}
    assert lines(result, "ae1", "land_acv") == [("commission", "2027-06", "120.00", "L1"),
                                               ("commission", "2027-07", "240.00", "L2")]
    assert lines(result, "ae1", "spif") == [("bonus", "2027-06", "500.00", "L1"), ("bonus", "2027-07", "750.50", "L2")]
    assert set(n for _, _, n in notes(result, "ae1", "spif")) == {"SPIF 2027-01-01–2027-12-31"}
    assert lines(result, "mgr", "override") == [("override", "2027-06", "120.00", "L1"),
                                               ("override", "2027-07", "240.00", "L2")]
    closer = [(r["period"], r["deal_id"], r["rate"], r["amount"]) for r in line_rows(result, "ae1")
              if r["component_id"] == "closer"]
    assert closer == [("2027-06", "E0", "0.10", "100.00"), ("2027-06", "E2", "0.0300", "30.00"),
                      ("2027-08", "E1", "0.1000", "100.00")]
    assert notes(result, "ae1", "closer")[2][2] == "closer in the tail at 0.50 of the rate: month 2 after land L1"
    assert lines(result, "ae1", "renewals") == [("commission", "2027-06", "300.00", "R1"),
                                               ("commission", "2027-07", "400.00", "R2")]


def test_dated_activation_and_metric_amounts(tmp_path):
    """activation amount {2027-01-01: 750, 2027-07-01: 1000}: looked up on the achieved date, not the
    land's (L1 lands 2027-06-01; activated 2027-07-01 → 1,000.00; L2 activated 2027-06-30 → 750.00).
    metric amount {2027-01-01: 100, 2027-07-01: 200}: on the period's last day (2027-06 → 100.00,
    2027-07 → 200.00)."""
    csm = plan("csm", """
        - {id: act, type: activation_bonus, milestone: live, amount: {2027-01-01: 750, 2027-07-01: 1000}}
        - {id: nps, type: metric_bonus, metric: tickets_closed, target: 10, amount: {2027-01-01: 100, 2027-07-01: 200}}
    """)
    result = run_book(tmp_path, through="2027-12", plans=[csm, EXP], roster="""
        rep_id,name,plan_id,start_date
        cs1,Ana Ruiz,csm,2027-01-01
        am1,Lee Park,exp,2027-01-01
    """, deals="""
        deal_id,account_id,type,close_date,arr,owner_id
        L1,A1,new,2027-06-01,1000,am1
        L2,A2,new,2027-06-01,1000,am1
    """, milestones="""
        account_id,milestone,achieved_date,csm_id
        A1,live,2027-07-01,cs1
        A2,live,2027-06-30,cs1
    """, metrics="""
        rep_id,period,metric,value
        cs1,2027-06,tickets_closed,12
        cs1,2027-07,tickets_closed,12
    """)
    assert lines(result, "cs1") == [("bonus", "2027-06", "750.00", "A2"), ("bonus", "2027-06", "100.00", ""),
                                    ("bonus", "2027-07", "1000.00", "A1"), ("bonus", "2027-07", "200.00", "")]


# -- §8.5 per-deal cap -----------------------------------------------------------------------------

CAPPED = plan("nb", """
    - id: land_tcv
      type: tcv_commission
      rate: 0.10
      max_per_deal: 1000
      vesting: {upfront_pct: 0.25, months: 12}
    - {id: closer, type: closer_expansion, rate: 0.10, max_per_deal: 250}
    - {id: renewals, type: renewal_commission, rate: 0.05, max_per_deal: 100.01}
""")


def test_a_capped_split_deal(tmp_path):
    """L1: 30,000 ARR, 12 months, split ae1 0.6 / ae2 0.4. max_per_deal 1,000 per credited rep × share:
    ae1 10% × 30,000 × 0.6 = 1,800 capped at round(1,000 × 0.6) = 600 (1,200 cut) → 150.00 upfront,
    12 × 37.50; ae2 1,200 capped at 400 → 100.00 upfront, 12 × 25.00. L2 (ae1 alone, 5,000): 500 < 1,000,
    not capped → 125.00 + 12 × 31.25.
    closer (cap 250): E1 10,000 on A1 → ae1 10% × 10,000 × 0.6 = 600 → round(250 × 0.6) = 150.00;
    ae2 400 → 100.00. renewals (cap 100.01): R1 5% × 5,000 = 250 → 100.01; split reps would get × share.
    """
    result = run_book(tmp_path, through="2028-01", plans=[CAPPED, EXP, plan("mgr", "[]")], roster=ROSTER, deals="""
        deal_id,account_id,type,close_date,arr,owner_id,prior_arr
        L1,A1,new,2027-01-15,30000,ae1,
        L2,A2,new,2027-01-20,5000,ae1,
        E1,A1,expansion,2027-03-01,10000,am1,
        R1,A3,renewal,2027-03-01,5000,ae1,5000
    """, splits="""
        deal_id,rep_id,share
        L1,ae1,0.6
        L1,ae2,0.4
    """)
    ae1 = [x for x in lines(result, "ae1", "land_tcv") if x[3] == "L1"]
    assert ae1[0] == ("upfront", "2027-01", "150.00", "L1")
    assert {x[2] for x in ae1[1:]} == {"37.50"} and len(ae1) == 13
    ae2 = lines(result, "ae2", "land_tcv")
    assert ae2[0] == ("upfront", "2027-01", "100.00", "L1") and {x[2] for x in ae2[1:]} == {"25.00"}
    l2 = [x for x in lines(result, "ae1", "land_tcv") if x[3] == "L2"]
    assert l2[0] == ("upfront", "2027-01", "125.00", "L2") and {x[2] for x in l2[1:]} == {"31.25"}
    up = {(r["deal_id"], r["rep_id"]): r["note"] for r in line_rows(result) if r["kind"] == "upfront"}
    assert up[("L1", "ae1")] == ("commission 600.00; 25% upfront; capped at 600.00 (max_per_deal 1000 × share): "
                                 "1200.00 cut from 1800.00")
    assert up[("L1", "ae2")] == ("commission 400.00; 25% upfront; capped at 400.00 (max_per_deal 1000 × share): "
                                 "800.00 cut from 1200.00")
    assert up[("L2", "ae1")] == "commission 500.00; 25% upfront"
    inst = [r["note"] for r in line_rows(result, "ae2") if r["kind"] == "installment"]
    assert set(inst) == {"capped at 400.00 (max_per_deal 1000 × share): 800.00 cut from 1200.00"}
    assert lines(result, "ae1", "closer") == [("closer_expansion", "2027-03", "150.00", "E1")]
    assert lines(result, "ae2", "closer") == [("closer_expansion", "2027-03", "100.00", "E1")]
    assert lines(result, "ae1", "renewals") == [("commission", "2027-03", "100.01", "R1")]


def test_a_capped_acv_and_override(tmp_path):
    """acv 10%, max_per_deal 1,000: L1 20,000 → 2,000 → 1,000.00; L2 9,999.99 → 1,000.00 (exactly at
    the cap, not capped: no note). override 1% with max_per_deal 50: L1 200 → 50.00, L2 100.00 → 50.00."""
    nb = plan("nb", "- {id: land_acv, type: acv_commission, rate: 0.10, max_per_deal: 1000}")
    mgr = plan("mgr", "- {id: override, type: manager_override, rate: 0.01, max_per_deal: 50}")
    result = run_book(tmp_path, through="2027-03", plans=[nb, EXP, mgr], roster=ROSTER, deals="""
        deal_id,account_id,type,close_date,arr,owner_id
        L1,A1,new,2027-01-15,20000,ae1
        L2,A2,new,2027-01-20,9999.99,ae1
    """)
    assert lines(result, "ae1") == [("commission", "2027-01", "1000.00", "L1"), ("commission", "2027-01", "1000.00", "L2")]
    assert [r["note"] for r in line_rows(result, "ae1")] == [
        "capped at 1000.00 (max_per_deal 1000 × share): 1000.00 cut from 2000.00", ""]
    assert lines(result, "mgr") == [("override", "2027-01", "50.00", "L1"), ("override", "2027-01", "50.00", "L2")]


# -- §8.6 rates by contract term -------------------------------------------------------------------

def test_term_rates_pick_the_longest_entry_not_above_the_term(tmp_path):
    """acv 10% with term_rates 24 → 11%, 36 → 12%, on 10,000 ARR deals (ACV = min(arr, tcv) = 10,000):
    12 → 1,000.00; 24 → 1,100.00; 30 → 1,100.00; 36 → 1,200.00; 48 → 1,200.00.
    tcv 10%, max_term_months 24, term_rates 36 → 12%: T1 36 months of 10,000 = TCV 30,000, basis
    capped to 24/36 → 20,000, at the 36-month rate (the contract term, not the capped one) = 2,400.00;
    T2 12 months: 10% × 10,000 = 1,000.00."""
    nb = plan("nb", """
        - id: land_acv
          type: acv_commission
          rate: 0.10
          term_rates: [{min_term_months: 36, rate: 0.12}, {min_term_months: 24, rate: 0.11}]
        - id: land_tcv
          type: tcv_commission
          rate: 0.10
          deal_types: [expansion]
          max_term_months: 24
          term_rates: [{min_term_months: 36, rate: 0.12}]
          vesting: {upfront_pct: 1}
    """)
    result = run_book(tmp_path, through="2027-03", plans=[nb, EXP, plan("mgr", "[]")], roster=ROSTER, deals="""
        deal_id,account_id,type,close_date,arr,owner_id,term_months
        D12,A1,new,2027-01-15,10000,ae1,12
        D24,A2,new,2027-01-15,10000,ae1,24
        D30,A3,new,2027-01-15,10000,ae1,30
        D36,A4,new,2027-01-15,10000,ae1,36
        D48,A5,new,2027-01-15,10000,ae1,48
        T1,A1,expansion,2027-02-01,10000,ae1,36
        T2,A2,expansion,2027-02-01,10000,ae1,12
    """)
    # acv lines: rate × basis; the tcv upfront lines' deal rate and basis are their facts
    assert [(r["deal_id"], r["rate"] if r["kind"] == "commission" else fact(r, "commission_rate"), r["amount"])
            for r in line_rows(result, "ae1")] == [
        ("D12", "0.10", "1000.00"), ("D24", "0.11", "1100.00"), ("D30", "0.11", "1100.00"),
        ("D36", "0.12", "1200.00"), ("D48", "0.12", "1200.00"),
        ("T1", "0.12", "2400.00"), ("T2", "0.10", "1000.00")]
    assert [fact(r, "commission_basis") for r in line_rows(result, "ae1")][5:] == ["20000.00", "10000.00"]


# -- §8.7 pro-rata clawback ------------------------------------------------------------------------

def test_a_pro_rata_clawback_on_a_quarterly_vested_deal(tmp_path):
    """L1: 24,001 ARR, 12 months, 2027-01-15. 10% → 2,400.10; 25% upfront = round(600.025) = 600.03;
    the rest 1,800.07 in ceil(12/3) = 4 quarterly installments of round(450.0175) = 450.02 (Apr, Jul,
    Oct) and a last 450.01 (2028-01). A1 churns 2027-08-10: k = 7 < W = 12; Oct and Jan are forfeited.
    Paid through August: 600.03 + 450.02 + 450.02 = 1,500.07; clawback −round(1,500.07 × 5/12) =
    −round(625.0291…) = −625.03 (rate: 5/12 is no finite decimal, so the rate column is empty).
    acv (W = 6, pro rata): L2 12,000 → 1,200.00 in 2027-01; A2 churns 2027-04-02, k = 3:
    −round(1,200 × 3/6) = −600.00 at rate −0.5."""
    nb = plan("nb", """
        - id: land_tcv
          type: tcv_commission
          rate: 0.10
          vesting: {upfront_pct: 0.25, months: 12, cadence: quarterly}
          clawback: {recover_paid_within_months: 12, mode: pro_rata}
        - id: land_acv
          type: acv_commission
          rate: 0.10
          deal_types: [expansion]
          clawback: {recover_paid_within_months: 6, mode: pro_rata}
    """)
    result = run_book(tmp_path, through="2028-02", plans=[nb, EXP, plan("mgr", "[]")], roster=ROSTER, deals="""
        deal_id,account_id,type,close_date,arr,owner_id
        L1,A1,new,2027-01-15,24001,ae1
        C1,A1,churn,2027-08-10,24001,am1
        L2,A2,expansion,2027-01-20,12000,ae1
        C2,A2,churn,2027-04-02,12000,am1
    """)
    assert lines(result, "ae1", "land_tcv") == [
        ("upfront", "2027-01", "600.03", "L1"), ("installment", "2027-04", "450.02", "L1"),
        ("installment", "2027-07", "450.02", "L1"), ("clawback", "2027-08", "-625.03", "L1"),
        ("forfeit", "2027-10", "0.00", "L1"), ("forfeit", "2028-01", "0.00", "L1")]
    claw = [r for r in line_rows(result, "ae1") if r["kind"] == "clawback"]
    assert [(r["deal_id"], r["basis"], r["rate"], r["amount"]) for r in claw] == [
        ("L2", "1200.00", "-0.5", "-600.00"), ("L1", "1500.07", "", "-625.03")]
    assert claw[1]["note"] == ("clawed back: A1 churned 2027-08-10 (within 12 months of close); "
                               "pro rata 5/12 (months left of the 12-month window)")
    assert lines(result, "ae1", "land_acv") == [("commission", "2027-01", "1200.00", "L2"),
                                               ("clawback", "2027-04", "-600.00", "L2")]


# -- §8.8 overlay credit ---------------------------------------------------------------------------

OVERLAY_PLANS = [
    plan("nb", """
        - {id: land_tcv, type: tcv_commission, rate: 0.10, vesting: {upfront_pct: 1}}
        - {id: closer, type: closer_expansion, rate: 0.10}
    """),
    plan("se", """
        - {id: se_tcv, type: tcv_commission, rate: 0.05, vesting: {upfront_pct: 1}}
        - {id: se_closer, type: closer_expansion, rate: 0.05}
    """),
    EXP, plan("mgr", "[]"),
]
OVERLAY_ROSTER = ROSTER + "    se1,Ola Berg,se,2027-01-01,,\n"


def test_an_overlay_on_a_land_that_later_expands(tmp_path):
    """L1 (A1, 20,000, ae1) with se1 as overlay at 0.5: ae1 keeps the whole deal, 10% = 2,000.00;
    se1 is credited 0.5 on top: 5% × 20,000 × 0.5 = 500.00. E1 (A1, 2027-06-10, 10,000, am1): ae1 is the
    closer, 10% = 1,000.00; se1, overlay on the land, is a closer with their share: 5% × 10,000 × 0.5 =
    250.00. L2 is split ae1/ae2 50/50 with se1 overlay at 1: ae1 and ae2 10% × 8,000 × 0.5 = 400.00
    each; se1 5% × 8,000 = 400.00."""
    result = run_book(tmp_path, through="2027-12", plans=OVERLAY_PLANS, roster=OVERLAY_ROSTER, deals="""
        deal_id,account_id,type,close_date,arr,owner_id
        L1,A1,new,2027-01-15,20000,ae1
        E1,A1,expansion,2027-06-10,10000,am1
        L2,A2,new,2027-02-01,8000,ae1
    """, splits="""
        deal_id,rep_id,share,mode
        L1,se1,0.5,overlay
        L2,ae1,0.5,
        L2,ae2,0.5,split
        L2,se1,1,OVERLAY
    """)
    assert lines(result, "ae1") == [("upfront", "2027-01", "2000.00", "L1"), ("upfront", "2027-02", "400.00", "L2"),
                                    ("closer_expansion", "2027-06", "1000.00", "E1")]
    assert lines(result, "ae2") == [("upfront", "2027-02", "400.00", "L2")]
    assert lines(result, "se1") == [("upfront", "2027-01", "500.00", "L1"), ("upfront", "2027-02", "400.00", "L2"),
                                    ("closer_expansion", "2027-06", "250.00", "E1")]
    assert [r["note"] for r in line_rows(result, "se1")] == [
        "commission 500.00; 100% upfront; overlay share 0.5", "commission 400.00; 100% upfront; overlay share 1",
        "closer in the window: month 5 after land L1; overlay share 0.5"]
    assert "overlay" not in " ".join(r["note"] for r in line_rows(result, "ae1"))


def test_overlay_rows_are_validated_with_exact_messages(tmp_path):
    with pytest.raises(InputError) as e:
        load_book(**write_book(tmp_path, plans=OVERLAY_PLANS, roster=OVERLAY_ROSTER, deals="""
            deal_id,account_id,type,close_date,arr,owner_id
            L1,A1,new,2027-01-15,20000,ae1
            L2,A2,new,2027-02-01,8000,ae1
            L3,A3,new,2027-02-01,8000,ae1
        """, splits="""
            deal_id,rep_id,share,mode
            L1,se1,1.5,overlay
            L1,ae2,0,overlay
            L2,ae1,0.5,split
            L2,ae2,0.4,split
            L2,se1,0.5,overlay
            L3,ae1,1,split
            L3,ae1,0.5,overlay
            L3,ae2,0.2,sideways
        """))
    file = str(tmp_path / "splits.csv")
    assert [str(p) for p in e.value.problems] == [
        f"{file}: row 1, column share: an overlay share must be more than 0 and at most 1 (got 1.5)",
        f"{file}: row 2, column share: an overlay share must be more than 0 and at most 1 (got 0)",
        f"{file}: row 3, column share: the split shares of deal 'L2' add up to 0.9, not exactly 1 "
        "(overlay shares do not count)",
        f"{file}: row 7, column mode: rep 'ae1' is both split and overlay on deal 'L3'",
        f"{file}: row 8, column mode: 'sideways' is not one of split, overlay",
    ]


# -- §8.9 scaled metric bonus ----------------------------------------------------------------------

def test_a_scaled_csat_bonus_at_79_9_and_80_percent(tmp_path):
    """csat target 100, amount 1,000.01, scale 0.8 → 50%, 1.0 → 100%, 1.2 → 150%:
    79.9 → r 0.799, below every step: nothing; 80 → 0.8: round(500.005) = 500.01; 99.99 → still 50%;
    100 → 1,000.01; 125 → 150%: round(1,500.015) = 1,500.02.
    at_most (hours to respond, target 4): 5 → r = 4/5 = 0.8 → 500.00; 4 → 1,000.00; 0 → top step,
    1,500.00; 6 → 0.666… → nothing."""
    csm = plan("csm", """
        - id: csat
          type: metric_bonus
          metric: csat
          target: 100
          amount: 1000.01
          scale: [{at: 1.2, pct: 1.5}, {at: 0.8, pct: 0.5}, {at: 1.0, pct: 1.0}]
        - id: speed
          type: metric_bonus
          metric: response_hours
          direction: at_most
          target: 4
          amount: 1000
          scale: [{at: 0.8, pct: 0.5}, {at: 1.0, pct: 1.0}, {at: 1.2, pct: 1.5}]
    """)
    result = run_book(tmp_path, through="2027-12", plans=[csm], roster="""
        rep_id,name,plan_id,start_date
        cs1,Ana Ruiz,csm,2027-01-01
    """, deals="deal_id,account_id,type,close_date,arr,owner_id", metrics="""
        rep_id,period,metric,value
        cs1,2027-01,csat,79.9
        cs1,2027-02,csat,80
        cs1,2027-03,csat,99.99
        cs1,2027-04,csat,100
        cs1,2027-05,csat,125
        cs1,2027-06,response_hours,5
        cs1,2027-07,response_hours,4
        cs1,2027-08,response_hours,0
        cs1,2027-09,response_hours,6
    """)
    assert [(r["period"], r["component_id"], r["rate"], r["amount"]) for r in line_rows(result, "cs1")] == [
        ("2027-02", "csat", "0.5", "500.01"), ("2027-03", "csat", "0.5", "500.01"),
        ("2027-04", "csat", "1.0", "1000.01"), ("2027-05", "csat", "1.5", "1500.02"),
        ("2027-06", "speed", "0.5", "500.00"), ("2027-07", "speed", "1.0", "1000.00"),
        ("2027-08", "speed", "1.5", "1500.00")]
    assert line_rows(result, "cs1")[0]["note"] == \
        "csat 80 vs target 100: value / target reaches step at 0.8, 0.5 of the bonus"


# -- §8.10 draw schedules in the plan --------------------------------------------------------------

def test_a_stepped_plan_draw_recovered_over_two_months(tmp_path):
    """draw {amounts: [3000, 2000]} (recoverable by default). ae1 from 2027-01, nets Feb 1,000, Mar
    3,000, Apr 2,500:
      Jan: p 0, t 3,000, payout 3,000, carry −3,000.
      Feb: p = max(0, 1,000 − 3,000) = 0, t 2,000, payout 2,000, carry −2,000 − 2,000 = −4,000.
      Mar: no draw after the list; p = max(0, −1,000) = 0, carry −1,000.
      Apr: p = 1,500, carry 0 — recovered over March and April.
    ae2: the roster's draw 500 replaces the schedule (its draw_months 1: January only).
    ae3: a roster draw of 0 means no draw. ae4: draw_type non_recoverable on the roster without a draw is
    ignored; the assignment ends 2027-01-31, so the schedule stops after January (carry −3,000)."""
    nb = ("plan_id: nb\nname: nb\nrole: new_business_ae\nyear_start: 2027-01-01\n"
          "draw: {amounts: [3000, 2000]}\ncomponents: []\n")
    result = run_book(tmp_path, through="2027-04", plans=[nb], deals="deal_id,account_id,type,close_date,arr,owner_id",
                      roster="""
        rep_id,name,plan_id,start_date,end_date,draw,draw_months,draw_type
        ae1,Dana Reyes,nb,2027-01-01,,,,
        ae2,Sam Ito,nb,2027-01-01,,500,1,
        ae3,Lee Park,nb,2027-01-01,,0,,
        ae4,Kim Vo,nb,2027-01-01,2027-01-31,,,non_recoverable
    """, adjustments="""
        rep_id,period,amount,reason
        ae1,2027-02,1000,x
        ae1,2027-03,3000,x
        ae1,2027-04,2500,x
    """)
    assert register(result, "ae1") == [
        ("2027-01", "0.00", "0.00", "3000.00", "3000.00", "-3000.00"),
        ("2027-02", "1000.00", "-3000.00", "2000.00", "2000.00", "-4000.00"),
        ("2027-03", "3000.00", "-4000.00", "0.00", "0.00", "-1000.00"),
        ("2027-04", "2500.00", "-1000.00", "0.00", "1500.00", "0.00"),
    ]
    assert [(r["period"], r["basis"], r["amount"]) for r in line_rows(result, "ae1") if r["kind"] == "draw"] == [
        ("2027-01", "3000.00", "3000.00"), ("2027-02", "2000.00", "2000.00")]
    assert register(result, "ae2") == [("2027-01", "0.00", "0.00", "500.00", "500.00", "-500.00"),
                                       ("2027-02", "0.00", "-500.00", "0.00", "0.00", "-500.00"),
                                       ("2027-03", "0.00", "-500.00", "0.00", "0.00", "-500.00"),
                                       ("2027-04", "0.00", "-500.00", "0.00", "0.00", "-500.00")]
    assert register(result, "ae3") == []
    assert register(result, "ae4")[0] == ("2027-01", "0.00", "0.00", "3000.00", "3000.00", "-3000.00")
    assert len(register(result, "ae4")) == 4 and register(result, "ae4")[1][3] == "0.00"


def test_a_zero_entry_is_not_a_draw_month_and_the_schedule_counts_from_the_assignment(tmp_path):
    """amounts [1000, 0, 1000], non_recoverable; ae1 starts 2027-02-15: Feb draws 1,000, March (entry 0)
    is no draw month (no register row: no line, no draw, no carry), April 1,000."""
    nb = ("plan_id: nb\nname: nb\nrole: new_business_ae\nyear_start: 2027-01-01\n"
          "draw: {amounts: [1000, 0, 1000], type: non_recoverable}\ncomponents: []\n")
    result = run_book(tmp_path, through="2027-06", plans=[nb], deals="deal_id,account_id,type,close_date,arr,owner_id",
                      roster="""
        rep_id,name,plan_id,start_date
        ae1,Dana Reyes,nb,2027-02-15
    """)
    assert register(result, "ae1") == [("2027-02", "0.00", "0.00", "1000.00", "1000.00", "0.00"),
                                       ("2027-04", "0.00", "0.00", "1000.00", "1000.00", "0.00")]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(arr=st.integers(1, 10_000_000), upfront=st.sampled_from(["0", "0.25", "0.333", "1"]),
       months=st.integers(0, 24), quarterly=st.booleans(), window=st.integers(1, 24), k=st.integers(0, 30))
def test_a_pro_rata_clawback_never_exceeds_what_was_paid(tmp_path_factory, arr, upfront, months, quarterly,
                                                         window, k):
    """For any deal and churn month: 0 ≤ clawed back ≤ paid through the churn month, equal to
    round(paid × (W − k) / W) when k < W and nothing otherwise; the rep never ends below zero on it."""
    nb = plan("nb", f"""
        - id: t
          type: tcv_commission
          rate: 0.10
          vesting: {{upfront_pct: {upfront}, months: {months}, cadence: {'quarterly' if quarterly else 'monthly'}}}
          clawback: {{recover_paid_within_months: {window}, mode: pro_rata}}
    """)
    churn_month = 1 + k  # the land closes in 2027-01
    year, month = 2027 + (churn_month - 1) // 12, (churn_month - 1) % 12 + 1
    cents = f"{arr // 100}.{arr % 100:02d}"
    result = run_book(tmp_path_factory.mktemp("pr"), through="2030-12", plans=[nb, EXP, plan("mgr", "[]")],
                      roster=ROSTER, deals=f"""
        deal_id,account_id,type,close_date,arr,owner_id
        L1,A1,new,2027-01-15,{cents},ae1
        C1,A1,churn,{year}-{month:02d}-20,{cents},am1
    """)
    rows = line_rows(result, "ae1")
    to_cents = lambda text: int(text.replace(".", ""))
    paid = sum(to_cents(r["amount"]) for r in rows if r["kind"] in ("upfront", "installment")
               and r["period"] <= f"{year}-{month:02d}")
    claws = [-to_cents(r["amount"]) for r in rows if r["kind"] == "clawback"]
    expected = (paid * (window - k) * 2 + window) // (2 * window) if k < window else 0  # half up, paid ≥ 0
    assert claws == ([expected] if expected else [])  # a zero line moves no money, so is not written
    assert 0 <= expected <= paid
