"""Review of SPEC §2–§5 against the engine: interactions a hidden case could combine.

Each test states its book inline and derives the expected numbers by hand from SPEC.
"""
from __future__ import annotations

from inline_book import line_rows, lines, plan, register, run_book

ROSTER_HDR = "rep_id,name,plan_id,start_date,end_date"


def test_fx_conversion_uses_the_plans_half_even_rounding(tmp_path):
    """SPEC §3 Rounding ("every money amount ... rounded to cents with the plan's rounding") and
    Currencies ("converted at the rate of its close month, and rounded to cents").

    Plan half_even, acv rate 1.0. D1: 10,000.03 EUR × 1.5 = 15,000.045 → half_even 15,000.04
    (half_up would give 15,000.05); commission 1.0 × 15,000.04 = 15,000.04.
    D2: 10,000.01 EUR × 1.5 = 15,000.015 → half_even 15,000.02 (odd cent 1 rounds up to even 2).
    """
    acv = "- {id: acv, type: acv_commission, rate: 1}"
    result = run_book(tmp_path, through="2027-04", plans=plan("nb", acv, rounding="half_even"), roster=f"""
        {ROSTER_HDR}
        ae1,Dana Reyes,nb,2027-01-01,
    """, deals="""
        deal_id,account_id,type,close_date,arr,owner_id,currency
        D1,A1,new,2027-03-10,10000.03,ae1,EUR
        D2,A2,new,2027-03-11,10000.01,ae1,EUR
    """, fx_rates="""
        currency,period,rate
        EUR,2027-03,1.5
    """)
    assert lines(result, "ae1") == [("commission", "2027-03", "15000.04", "D1"),
                                    ("commission", "2027-03", "15000.02", "D2")]


def test_with_plans_in_two_currencies_a_deal_converts_into_its_owners_plan_currency(tmp_path):
    """SPEC §3 Currencies: a deal's currency defaults to the plan's; rates are units of plan currency
    per unit. The plan is the owner's on the close date: ae_us (USD) and ae_uk (GBP), acv 10%.
    ae_us: D1 10,000 USD → 1,000.00; D5 10,000 GBP × 1.25 = 12,500 USD → 1,250.00.
    ae_uk: D2 10,000 GBP and D3 (no currency: the plan's) → 1,000.00 each; D4 10,000 USD × 0.8 =
    8,000 GBP → 800.00. The same on every run (the book currency's tie is broken A–Z, not by hash)."""
    acv = "- {id: acv, type: acv_commission, rate: 0.1}"
    uk = plan("nb_uk", acv).replace("currency: USD", "currency: GBP")
    result = run_book(tmp_path, through="2027-01", plans=[plan("nb_us", acv), uk], roster=f"""
        {ROSTER_HDR}
        ae_us,A,nb_us,2027-01-01,
        ae_uk,B,nb_uk,2027-01-01,
    """, deals="""
        deal_id,account_id,type,close_date,arr,owner_id,currency
        D1,A1,new,2027-01-10,10000,ae_us,USD
        D2,A2,new,2027-01-10,10000,ae_uk,GBP
        D3,A3,new,2027-01-10,10000,ae_uk,
        D4,A4,new,2027-01-10,10000,ae_uk,USD
        D5,A5,new,2027-01-10,10000,ae_us,gbp
    """, fx_rates="""
        currency,period,rate
        USD,2027-01,0.8
        GBP,2027-01,1.25
    """)
    assert lines(result, "ae_us") == [("commission", "2027-01", "1000.00", "D1"),
                                      ("commission", "2027-01", "1250.00", "D5")]
    assert lines(result, "ae_uk") == [("commission", "2027-01", "1000.00", "D2"),
                                      ("commission", "2027-01", "1000.00", "D3"),
                                      ("commission", "2027-01", "800.00", "D4")]
    assert result.book.currency == "GBP"  # one plan each: the tie goes to the first A–Z


def test_with_mixed_rounding_modes_conversion_uses_the_owners_plan_rounding(tmp_path):
    """1,000.15 EUR × 1.5 = 1,500.225: ae_a's plan is half_even → 1,500.22; ae_b's half_up → 1,500.23."""
    acv = "- {id: acv, type: acv_commission, rate: 1}"
    result = run_book(tmp_path, through="2027-01",
                      plans=[plan("nb_a", acv, rounding="half_even"), plan("nb_b", acv)], roster=f"""
        {ROSTER_HDR}
        ae_a,A,nb_a,2027-01-01,
        ae_b,B,nb_b,2027-01-01,
    """, deals="""
        deal_id,account_id,type,close_date,arr,owner_id,currency
        D1,A1,new,2027-01-10,1000.15,ae_a,EUR
        D2,A2,new,2027-01-10,1000.15,ae_b,EUR
    """, fx_rates="""
        currency,period,rate
        EUR,2027-01,1.5
    """)
    assert lines(result, "ae_a") == [("commission", "2027-01", "1500.22", "D1")]
    assert lines(result, "ae_b") == [("commission", "2027-01", "1500.23", "D2")]


QUOTA_Q = """
- id: nx
  type: quota_attainment
  measure: net_new_expansion_arr
  quota: 120000
  target_incentive: 12000
  cadence: quarterly
"""


def test_quarterly_quota_april_plan_year_assignment_ending_mid_quarter(tmp_path):
    """Plan year starts April (quarters end Jun, Sep, Dec, Mar).

    asg1 2027-04-01 → 2027-05-15: a = 2 (Apr, May): Q = 20,000, TI = 2,000, base 0.1.
      Credits: Apr +5,000, May +3,000 (May 10). No quarter end inside; the assignment's last month (May)
      emits: A = 8,000 → 800.00 in 2027-05.
    asg2 2027-05-16 → open, roster quota 240,000: a = 11 (May–Mar): Q = 220,000, TI = 11,000, base 0.05.
      May 20 +10,000; Jul +4,000; Aug churn −2,000 (net_of_churn).
      Jun (quarter end): A = 10,000 → 500.00. Sep: A = 12,000 → 600 → +100.00.
      Plan year 2028-04: restart; full year Q = 240,000, TI = 12,000, base 0.05. 2028-04 +20,000 →
      2028-06: 1,000.00.
    """
    result = run_book(tmp_path, through="2028-06", plans=plan("exp", QUOTA_Q, year_start="2027-04-01"), roster="""
        rep_id,name,plan_id,start_date,end_date,quota
        am1,Lee Park,exp,2027-04-01,2027-05-15,
        am1,Lee Park,exp,2027-05-16,,240000
    """, deals="""
        deal_id,account_id,type,close_date,arr,owner_id
        E1,A1,expansion,2027-04-10,5000,am1
        E2,A1,expansion,2027-05-10,3000,am1
        E3,A2,expansion,2027-05-20,10000,am1
        E4,A2,expansion,2027-07-20,4000,am1
        C1,A3,churn,2027-08-20,2000,am1
        E5,A2,expansion,2028-04-20,20000,am1
    """)
    assert [x[1:3] for x in lines(result, "am1")] == [("2027-05", "800.00"), ("2027-06", "500.00"),
                                                      ("2027-09", "100.00"), ("2028-06", "1000.00")]


def test_ramp_across_a_plan_year_boundary(tmp_path):
    """ramp [0.25, 0.5, 0.75], quota 120,000, TI 12,000, assignment from 2027-11-01.

    PY 2027: Nov 0.25 + Dec 0.5 → Q = 10,000 × 0.75 = 7,500; TI = 12,000 × 2/12 = 2,000.
      Dec +7,500 → A = Q → 2,000.00.
    PY 2028 (restart): Jan 0.75 + 11 × 1 = 11.75 → Q = 117,500; TI = 12,000; Jan +11,750 → 1,200.00.
    """
    comp = """
    - id: nx
      type: quota_attainment
      quota: 120000
      target_incentive: 12000
      ramp: [0.25, 0.5, 0.75]
    """
    result = run_book(tmp_path, through="2028-02", plans=plan("exp", comp), roster=f"""
        {ROSTER_HDR}
        am1,Lee Park,exp,2027-11-01,
    """, deals="""
        deal_id,account_id,type,close_date,arr,owner_id
        E1,A1,expansion,2027-12-10,7500,am1
        E2,A1,expansion,2028-01-10,11750,am1
    """)
    assert [x[1:3] for x in lines(result, "am1")] == [("2027-12", "2000.00"), ("2028-01", "1200.00")]


TCV = """
- id: land_tcv
  type: tcv_commission
  rate: 0.10
  vesting: {upfront_pct: 0.25, months: 12}
  clawback: {recover_paid_within_months: 6}
"""


def test_leaver_then_churn_within_the_clawback_window(tmp_path):
    """Land L1 12,000 on 2027-01-10: commission 1,200, upfront 300.00, 12 × 75.00 from Feb.

    ae1's last assignment ends 2027-03-31 (e = Mar): Feb and Mar installments paid, Apr+ forfeited.
    Churn 2027-05-05: c − close = 4 < 6 → claw back all paid in months ≤ c: 300 + 75 + 75 = −450.00 in May.
    Register: Jan 300, Feb 75, Mar 75, May net −450 (carry −450), Jun carry-only row −450.
    """
    result = run_book(tmp_path, through="2027-06", plans=plan("nb", TCV), roster=f"""
        {ROSTER_HDR}
        ae1,Dana Reyes,nb,2027-01-01,2027-03-31
    """, deals="""
        deal_id,account_id,type,close_date,arr,owner_id
        L1,A1,new,2027-01-10,12000,ae1
        C1,A1,churn,2027-05-05,12000,ae1
    """)
    paid = [x for x in lines(result, "ae1") if x[0] != "forfeit"]
    assert paid == [("upfront", "2027-01", "300.00", "L1"), ("installment", "2027-02", "75.00", "L1"),
                    ("installment", "2027-03", "75.00", "L1"), ("clawback", "2027-05", "-450.00", "L1")]
    assert register(result, "ae1") == [
        ("2027-01", "300.00", "0.00", "0.00", "300.00", "0.00"),
        ("2027-02", "75.00", "0.00", "0.00", "75.00", "0.00"),
        ("2027-03", "75.00", "0.00", "0.00", "75.00", "0.00"),
        ("2027-04", "0.00", "0.00", "0.00", "0.00", "0.00"),
        ("2027-05", "-450.00", "0.00", "0.00", "0.00", "-450.00"),
        ("2027-06", "0.00", "-450.00", "0.00", "0.00", "-450.00"),
    ]


def test_promotion_keeps_vesting_on_the_original_plan_until_churn(tmp_path):
    """ae1 on nb until 2027-03-31, then on exp (open). No clawback window here (recover 0).

    L1 12,000 on 2027-01-10: 300.00 upfront, 75.00 Feb–Jun under plan nb/land_tcv (the promotion does not
    forfeit); churn 2027-06-15 (c = Jun): Jul–Dec forfeited, nothing clawed back.
    """
    tcv = TCV.replace("recover_paid_within_months: 6", "recover_paid_within_months: 0")
    result = run_book(tmp_path, through="2027-12", plans=[plan("nb", tcv), plan("exp", "[]")], roster=f"""
        {ROSTER_HDR}
        ae1,Dana Reyes,nb,2027-01-01,2027-03-31
        ae1,Dana Reyes,exp,2027-04-01,
    """, deals="""
        deal_id,account_id,type,close_date,arr,owner_id
        L1,A1,new,2027-01-10,12000,ae1
        C1,A1,churn,2027-06-15,12000,ae1
    """)
    rows = [(r["plan_id"], r["component_id"], r["kind"], r["period"], r["amount"]) for r in line_rows(result, "ae1")]
    paid = [r for r in rows if r[2] != "forfeit"]
    assert paid == [("nb", "land_tcv", "upfront", "2027-01", "300.00")] + [
        ("nb", "land_tcv", "installment", f"2027-{m:02d}", "75.00") for m in range(2, 7)]
    assert [r[3] for r in rows if r[2] == "forfeit"] == [f"2027-{m:02d}" for m in range(7, 13)]


def test_draw_carry_through_months_without_lines_and_adjustment_without_assignment(tmp_path):
    """ae1: recoverable draw 1,000 for 2 months from 2027-01. No lines in Jan–Mar.

    Jan: p 0, t 1,000, carry −1,000. Feb: p 0, t 1,000, carry −2,000. Mar: carry-only row −2,000.
    Apr: adjustment +2,500 → payout 500, carry 0.
    ae2 has an assignment only in 2026; an adjustment of 100 in 2027-02 still pays (adjustments need no
    assignment).
    """
    result = run_book(tmp_path, through="2027-04", plans=plan("nb", "[]"), roster="""
        rep_id,name,plan_id,start_date,end_date,draw,draw_months,draw_type
        ae1,Dana Reyes,nb,2027-01-01,,1000,2,recoverable
        ae2,Sam Ito,nb,2026-01-01,2026-12-31,,,
    """, deals="deal_id,account_id,type,close_date,arr,owner_id", adjustments="""
        rep_id,period,amount,reason
        ae1,2027-04,2500,x
        ae2,2027-02,100,x
    """)
    assert register(result, "ae1") == [
        ("2027-01", "0.00", "0.00", "1000.00", "1000.00", "-1000.00"),
        ("2027-02", "0.00", "-1000.00", "1000.00", "1000.00", "-2000.00"),
        ("2027-03", "0.00", "-2000.00", "0.00", "0.00", "-2000.00"),
        ("2027-04", "2500.00", "-2000.00", "0.00", "500.00", "0.00"),
    ]
    assert register(result, "ae2") == [("2027-02", "100.00", "0.00", "0.00", "100.00", "0.00")]


def test_manager_override_follows_the_managers_assignment_on_the_close_date(tmp_path):
    """mgr on plan m2 (2%) until 2027-03-31, then m3 (3%). ae1 names mgr throughout.

    D1 10,000 on 2027-03-31 (mgr's end date) → m2: 200.00 in March.
    D2 10,000 on 2027-04-01 (mgr's new start) → m3: 300.00 in April.
    """
    result = run_book(tmp_path, through="2027-04",
                      plans=[plan("nb", "[]"), plan("m2", "- {id: ovr, type: manager_override, rate: 0.02}"),
                             plan("m3", "- {id: ovr, type: manager_override, rate: 0.03}")], roster="""
        rep_id,name,plan_id,start_date,end_date,manager_id
        mgr,Ann Boss,m2,2027-01-01,2027-03-31,
        mgr,Ann Boss,m3,2027-04-01,,
        ae1,Dana Reyes,nb,2027-01-01,,mgr
    """, deals="""
        deal_id,account_id,type,close_date,arr,owner_id
        D1,A1,new,2027-03-31,10000,ae1
        D2,A2,new,2027-04-01,10000,ae1
    """)
    rows = [(r["plan_id"], r["period"], r["amount"], r["deal_id"]) for r in line_rows(result, "mgr")]
    assert rows == [("m2", "2027-03", "200.00", "D1"), ("m3", "2027-04", "300.00", "D2")]


def test_activation_within_days_boundary_and_metric_on_the_periods_last_day(tmp_path):
    """Land A1 on 2027-01-31, within_days 30 → deadline 2027-03-02 inclusive: milestone on 03-02 pays
    500.00 in March. Land A2 on 2027-01-31, milestone 2027-03-03 (31 days): nothing.
    Metric 2027-03 belongs to the assignment on 2027-03-31: cs1's csm plan ends 2027-03-30, so its
    March CSAT row earns nothing; cs2 starts 2027-03-31, so its March row pays 200.00.
    """
    csm = """
    - {id: act, type: activation_bonus, milestone: activated, within_days: 30, amount: 500}
    - {id: csat, type: metric_bonus, metric: csat, target: 4.5, amount: 200}
    """
    result = run_book(tmp_path, through="2027-04", plans=[plan("nb", "[]"), plan("csm", csm)], roster=f"""
        {ROSTER_HDR}
        ae1,Dana Reyes,nb,2027-01-01,
        cs1,Kim Lo,csm,2027-01-01,2027-03-30
        cs2,Ora Vy,csm,2027-03-31,
    """, deals="""
        deal_id,account_id,type,close_date,arr,owner_id
        L1,A1,new,2027-01-31,10000,ae1
        L2,A2,new,2027-01-31,10000,ae1
    """, milestones="""
        account_id,milestone,achieved_date,csm_id
        A1,activated,2027-03-02,cs1
        A2,activated,2027-03-03,cs1
    """, metrics="""
        rep_id,period,metric,value
        cs1,2027-03,csat,4.8
        cs2,2027-03,csat,4.5
    """)
    assert lines(result, "cs1") == [("bonus", "2027-03", "500.00", "A1")]
    assert [x[1:3] for x in lines(result, "cs2")] == [("2027-03", "200.00")]


def test_split_land_closer_window_tail_uplift_half_even(tmp_path):
    """Land L1 on 2027-01-15 split ae1 0.5 / ae2 0.5; plan half_even, closer rate 0.10 (tail 0.30).

    E1 2027-03 arr 100.10: 0.1 × 100.10 × 0.5 = 5.005 → 5.00 each (half_even).
    R1 renewal 2027-06 arr 13,000 prior 12,000: uplift 1,000 → 50.00 each.
    E2 2028-01 (k = 12, tail) arr 1,000.10: 0.03 × 1,000.10 × 0.5 = 15.0015 → 15.00 each.
    E3 2029-01 (k = 24, past tail): nothing. Churn in 2027-09 doesn't stop closer pay (no such rule).
    """
    comp = "- {id: closer, type: closer_expansion, rate: 0.10}"
    result = run_book(tmp_path, through="2029-02", plans=[plan("nb", comp, rounding="half_even"), plan("exp", "[]")],
                      roster=f"""
        {ROSTER_HDR}
        ae1,Dana Reyes,nb,2027-01-01,
        ae2,Sam Ito,nb,2027-01-01,
        am1,Lee Park,exp,2027-01-01,
    """, deals="""
        deal_id,account_id,type,close_date,arr,owner_id,prior_arr
        L1,A1,new,2027-01-15,12000,ae1,
        E1,A1,expansion,2027-03-10,100.10,am1,
        R1,A1,renewal,2027-06-10,13000,am1,12000
        E2,A1,expansion,2028-01-10,1000.10,am1,
        E3,A1,expansion,2029-01-10,500,am1,
    """, splits="""
        deal_id,rep_id,share
        L1,ae1,0.5
        L1,ae2,0.5
    """)
    for rep in ("ae1", "ae2"):
        assert lines(result, rep) == [("closer_expansion", "2027-03", "5.00", "E1"),
                                      ("closer_expansion", "2027-06", "50.00", "R1"),
                                      ("closer_expansion", "2028-01", "15.00", "E2")]


def test_quota_renewal_uplift_downsell_contraction_threshold_cap_whole(tmp_path):
    """Q 100,000, TI 10,000 (base 0.1), tiers 1.0×1 / 1.5×1.5 / ∞×2, whole mode, threshold 0.5, cap 1.6.

    Feb: renewal 60,000 prior 20,000 → uplift +40,000; A = 40,000 < 50,000 → 0, no line.
    Mar: expansion +80,000 → A = 120,000 → tier 2 whole: 0.1 × 1.5 × 120,000 = 18,000, cap 16,000 → 16,000.00.
    Apr: renewal 10,000 prior 50,000 → downsell −40,000; contraction −5,000 → A = 75,000 → tier 1:
         7,500 → −8,500.00.
    """
    comp = """
    - id: nx
      type: quota_attainment
      quota: 100000
      target_incentive: 10000
      tier_mode: whole
      threshold: 0.5
      cap: 1.6
      tiers:
        - {up_to: 1.0, multiplier: 1.0}
        - {up_to: 1.5, multiplier: 1.5}
        - {up_to: null, multiplier: 2.0}
    """
    result = run_book(tmp_path, through="2027-06", plans=plan("exp", comp), roster=f"""
        {ROSTER_HDR}
        am1,Lee Park,exp,2027-01-01,
    """, deals="""
        deal_id,account_id,type,close_date,arr,owner_id,prior_arr
        R1,A1,renewal,2027-02-10,60000,am1,20000
        E1,A2,expansion,2027-03-10,80000,am1,
        R2,A3,renewal,2027-04-10,10000,am1,50000
        X1,A4,contraction,2027-04-12,5000,am1,
    """)
    assert [x[1:3] for x in lines(result, "am1")] == [("2027-03", "16000.00"), ("2027-04", "-8500.00")]
