"""quota_attainment (SPEC §3 and "Tier mode", "Ramp"): credits, proration, tiers, threshold, cap, true-ups,
cadence, plan years and ramps — each on a tiny inline book.

Unless a test says otherwise the plan is quota 120,000 and target incentive 12,000 a year (base rate
0.10) with tiers up to 100% × 1.0, up to 150% × 1.5, above × 2.0, and the plan year starts in January.
"""
from __future__ import annotations

from inline_book import line_rows, lines, plan, register, run_book

TIERS = "[{up_to: 1.0, multiplier: 1.0}, {up_to: 1.5, multiplier: 1.5}, {up_to: null, multiplier: 2.0}]"


def quota_plan(plan_id: str, extra: str = "", *, year_start: str = "2027-01-01", rounding: str = "half_up") -> str:
    return plan(plan_id, f"""
        - id: nx
          type: quota_attainment
          quota: 120000
          target_incentive: 12000
          tiers: {TIERS}
          {extra}
    """, year_start=year_start, rounding=rounding)


def test_proration_by_active_months_and_the_next_plan_year(tmp_path):
    """am1 starts 2027-04-01 (open): 9 active months in 2027 → Q 90,000, TI 9,000, base rate 0.10.
    May +60,000 → 6,000.00. Aug +40,000 → A 100,000: 0.10 × 90,000 + 0.15 × 10,000 = 10,500 → line 4,500.00.
    2028 is a full year (Q 120,000) and starts again from zero: Feb +10,000 → 1,000.00.
    am2 2027-01-01 … 2027-06-30: 6 active months → Q 60,000, TI 6,000. Mar +70,000:
    6,000 + 0.15 × 10,000 = 7,500.00.
    """
    result = run_book(tmp_path, through="2028-12", plans=quota_plan("exp"), roster="""
        rep_id,name,plan_id,start_date,end_date
        am1,Lee Park,exp,2027-04-01,
        am2,Kim Osei,exp,2027-01-01,2027-06-30
    """, deals="""
        deal_id,account_id,type,close_date,arr,owner_id
        E1,A1,expansion,2027-05-10,60000,am1
        E2,A2,expansion,2027-08-10,40000,am1
        E3,A3,expansion,2028-02-10,10000,am1
        E4,A4,expansion,2027-03-10,70000,am2
    """)
    assert lines(result, "am1") == [("quota", "2027-05", "6000.00", ""), ("quota", "2027-08", "4500.00", ""),
                                    ("quota", "2028-02", "1000.00", "")]
    assert lines(result, "am2") == [("quota", "2027-03", "7500.00", "")]
    aug = line_rows(result, "am1")[1]
    assert (aug["basis"], aug["rate"]) == ("100000.00", "")  # A; the attainment A / Q is in the facts


def test_roster_quota_overrides_the_plan_quota_and_is_prorated_too(tmp_path):
    """Reading of SPEC: the roster quota is the assignment's annual quota, prorated like the plan's.

    am3 (full year, quota 240,000): base rate 12,000 / 240,000 = 0.05; Mar +100,000 → 5,000.00.
    am4 (from 2027-07-01, quota 240,000): Q 120,000, TI 6,000, base 0.05; Aug +130,000 →
    6,000 + 0.075 × 10,000 = 6,750.00.
    """
    result = run_book(tmp_path, through="2027-12", plans=quota_plan("exp"), roster="""
        rep_id,name,plan_id,start_date,end_date,quota
        am3,Lee Park,exp,2027-01-01,,240000
        am4,Kim Osei,exp,2027-07-01,,240000
    """, deals="""
        deal_id,account_id,type,close_date,arr,owner_id
        E1,A1,expansion,2027-03-10,100000,am3
        E2,A2,expansion,2027-08-10,130000,am4
    """)
    assert lines(result) == [("quota", "2027-03", "5000.00", ""), ("quota", "2027-08", "6750.00", "")]


def test_marginal_tiers_crossing_two_bands_and_whole_mode_at_a_boundary(tmp_path):
    """Marginal (am1): A = 200,000 = 166.7% of 120,000:
    0.10 × 120,000 + 0.15 × 60,000 + 0.20 × 20,000 = 12,000 + 9,000 + 4,000 = 25,000.00.
    Whole mode, reading "up_to" as inclusive: A exactly 120,000 (am2) is in tier 1 →
    1.0 × 0.10 × 120,000 = 12,000.00; A = 120,000.01 (am3) is in tier 2 → 1.5 × 0.10 × 120,000.01
    = 18,000.0015 → 18,000.00.
    """
    result = run_book(tmp_path, through="2027-12", plans=[quota_plan("exp"), quota_plan("whole", "tier_mode: whole")],
                      roster="""
        rep_id,name,plan_id,start_date,end_date
        am1,Lee Park,exp,2027-01-01,
        am2,Kim Osei,whole,2027-01-01,
        am3,Sam Ito,whole,2027-01-01,
    """, deals="""
        deal_id,account_id,type,close_date,arr,owner_id
        E1,A1,expansion,2027-03-10,200000,am1
        E2,A2,expansion,2027-03-10,120000,am2
        E3,A3,expansion,2027-03-10,120000.01,am3
    """)
    assert lines(result, "am1") == [("quota", "2027-03", "25000.00", "")]
    assert lines(result, "am2") == [("quota", "2027-03", "12000.00", "")]
    assert lines(result, "am3") == [("quota", "2027-03", "18000.00", "")]


def test_threshold_just_below_and_at_and_the_cap(tmp_path):
    """threshold 0.5 → 60,000 needed. am1 at 59,999.99 earns nothing (no line); am2 at exactly 60,000
    earns 6,000.00. cap 1.5 × TI = 18,000: am3 at 300,000 would earn 12,000 + 9,000 + 0.20 × 120,000
    = 45,000 → capped at 18,000.00.
    """
    result = run_book(tmp_path, through="2027-12", plans=[quota_plan("thr", "threshold: 0.5"),
                                                          quota_plan("cap", "cap: 1.5")], roster="""
        rep_id,name,plan_id,start_date,end_date
        am1,Lee Park,thr,2027-01-01,
        am2,Kim Osei,thr,2027-01-01,
        am3,Sam Ito,cap,2027-01-01,
    """, deals="""
        deal_id,account_id,type,close_date,arr,owner_id
        E1,A1,expansion,2027-03-10,59999.99,am1
        E2,A2,expansion,2027-03-10,60000,am2
        E3,A3,expansion,2027-03-10,300000,am3
    """)
    assert lines(result, "am1") == []
    assert lines(result, "am2") == [("quota", "2027-03", "6000.00", "")]
    assert lines(result, "am3") == [("quota", "2027-03", "18000.00", "")]


def test_contraction_and_churn_true_up_negative_and_the_carry(tmp_path):
    """Mar +150,000 → 12,000 + 0.15 × 30,000 = 16,500.00.
    May contraction −40,000 → A 110,000 → 11,000: line −5,500.00.
    Jun churn −20,000 → A 90,000 → 9,000: line −2,000.00 (net_of_churn, the default).
    With net_of_churn false (am2, same deals on its own accounts) June has no line.
    am1's register: May and June net negative → nothing paid, carried forward (no later earnings here).
    """
    result = run_book(tmp_path, through="2027-07", plans=[quota_plan("exp"), quota_plan("gross", "net_of_churn: false")],
                      roster="""
        rep_id,name,plan_id,start_date,end_date
        am1,Lee Park,exp,2027-01-01,
        am2,Kim Osei,gross,2027-01-01,
    """, deals="""
        deal_id,account_id,type,close_date,arr,owner_id
        E1,A1,expansion,2027-03-10,150000,am1
        K1,A1,contraction,2027-05-10,40000,am1
        C1,A1,churn,2027-06-10,20000,am1
        E2,A2,expansion,2027-03-10,150000,am2
        K2,A2,contraction,2027-05-10,40000,am2
        C2,A2,churn,2027-06-10,20000,am2
    """)
    assert lines(result, "am1") == [("quota", "2027-03", "16500.00", ""), ("quota", "2027-05", "-5500.00", ""),
                                    ("quota", "2027-06", "-2000.00", "")]
    assert lines(result, "am2") == [("quota", "2027-03", "16500.00", ""), ("quota", "2027-05", "-5500.00", "")]
    assert register(result, "am1") == [
        ("2027-03", "16500.00", "0.00", "0.00", "16500.00", "0.00"),
        ("2027-05", "-5500.00", "0.00", "0.00", "0.00", "-5500.00"),
        ("2027-06", "-2000.00", "-5500.00", "0.00", "0.00", "-7500.00"),
        ("2027-07", "0.00", "-7500.00", "0.00", "0.00", "-7500.00"),
    ]


def test_renewals_uplift_and_downsell_and_attainment_floored_at_zero(tmp_path):
    """am1 (uplift counts): Feb contraction −20,000 → A = max(0, −20,000) = 0, no line;
    Mar renewal 70,000 after 50,000 → +20,000 → cumulative 0 → still nothing;
    Apr expansion +50,000 → A 50,000 → 5,000.00; May renewal 40,000 after 50,000 → downsell −10,000 →
    A 40,000 → −1,000.00.
    am2 (renewal_uplift_as_expansion false): the same deals on its own accounts give A = −20,000,
    −20,000, 30,000, 20,000 → Apr 3,000.00, May −1,000.00.
    """
    result = run_book(tmp_path, through="2027-12", plans=[quota_plan("exp"),
                                                          quota_plan("flat", "renewal_uplift_as_expansion: false")],
                      roster="""
        rep_id,name,plan_id,start_date,end_date
        am1,Lee Park,exp,2027-01-01,
        am2,Kim Osei,flat,2027-01-01,
    """, deals="""
        deal_id,account_id,type,close_date,arr,owner_id,prior_arr
        K1,A1,contraction,2027-02-10,20000,am1,
        R1,A1,renewal,2027-03-10,70000,am1,50000
        E1,A1,expansion,2027-04-10,50000,am1,
        R2,A1,renewal,2027-05-10,40000,am1,50000
        K2,A2,contraction,2027-02-10,20000,am2,
        R3,A2,renewal,2027-03-10,70000,am2,50000
        E2,A2,expansion,2027-04-10,50000,am2,
        R4,A2,renewal,2027-05-10,40000,am2,50000
    """)
    assert lines(result, "am1") == [("quota", "2027-04", "5000.00", ""), ("quota", "2027-05", "-1000.00", "")]
    assert lines(result, "am2") == [("quota", "2027-04", "3000.00", ""), ("quota", "2027-05", "-1000.00", "")]


def test_quarterly_cadence_and_the_assignments_last_month(tmp_path):
    """Quarterly: lines only in months 3, 6, 9, 12 of the plan year, each the change since the last.

    am1 (full year): Jan +10,000, Feb +20,000 → Mar 3,000.00; May +30,000 → Jun 3,000.00; Sep no change,
    no line; Nov +10,000 → Dec 1,000.00.
    am2 leaves 2027-08-15 (8 months: Q 80,000, TI 8,000, base 0.10): Jan +10,000 → Mar 1,000.00;
    Jul +10,000 → paid in its last month, Aug: 1,000.00.
    """
    result = run_book(tmp_path, through="2027-12", plans=quota_plan("exp", "cadence: quarterly"), roster="""
        rep_id,name,plan_id,start_date,end_date
        am1,Lee Park,exp,2027-01-01,
        am2,Kim Osei,exp,2027-01-01,2027-08-15
    """, deals="""
        deal_id,account_id,type,close_date,arr,owner_id
        E1,A1,expansion,2027-01-10,10000,am1
        E2,A1,expansion,2027-02-10,20000,am1
        E3,A1,expansion,2027-05-10,30000,am1
        E4,A1,expansion,2027-11-10,10000,am1
        E5,A2,expansion,2027-01-10,10000,am2
        E6,A2,expansion,2027-07-10,10000,am2
    """)
    assert lines(result, "am1") == [("quota", "2027-03", "3000.00", ""), ("quota", "2027-06", "3000.00", ""),
                                    ("quota", "2027-12", "1000.00", "")]
    assert lines(result, "am2") == [("quota", "2027-03", "1000.00", ""), ("quota", "2027-08", "1000.00", "")]


def test_plan_year_starting_in_february(tmp_path):
    """year_start 2027-02-01: January 2027 belongs to the plan year February 2026 – January 2027.

    (A second plan starting 2027-01-01 makes the run begin in January.) am1 starts 2027-01-01, so it
    has 1 active month in that plan year: Q 10,000, TI 1,000. Jan +15,000 → 1,000 + 0.15 × 5,000
    = 1,750.00 (monthly) — and the quarterly component pays it in January too, month 12 of that year.
    February starts a new plan year (Q 120,000): Feb +15,000 → 1,500.00; quarterly: paid in April
    (month 3 of the year).
    """
    feb = plan("exp_feb", f"""
        - {{id: nx, type: quota_attainment, quota: 120000, target_incentive: 12000, tiers: {TIERS}}}
        - {{id: nxq, type: quota_attainment, quota: 120000, target_incentive: 12000, tiers: {TIERS},
            cadence: quarterly}}
    """, year_start="2027-02-01")
    result = run_book(tmp_path, through="2027-12", plans=[feb, plan("other", "[]")], roster="""
        rep_id,name,plan_id,start_date,end_date
        am1,Lee Park,exp_feb,2027-01-01,
    """, deals="""
        deal_id,account_id,type,close_date,arr,owner_id
        E1,A1,expansion,2027-01-20,15000,am1
        E2,A1,expansion,2027-02-20,15000,am1
    """)
    assert lines(result, "am1", "nx") == [("quota", "2027-01", "1750.00", ""), ("quota", "2027-02", "1500.00", "")]
    assert lines(result, "am1", "nxq") == [("quota", "2027-01", "1750.00", ""), ("quota", "2027-04", "1500.00", "")]


def test_cumulation_restarts_at_a_new_assignment(tmp_path):
    """am1 is on exp 2027-01-01 … 2027-06-30 (6 months: Q 60,000, TI 6,000), then promoted on
    2027-07-01 to a new assignment with quota 240,000 (6 months: Q 120,000, TI 6,000, base 0.05).
    Mar +50,000 → 5,000.00. Aug +50,000 counts from zero on the new assignment → 2,500.00
    (not the 100,000 it would be cumulated with March).
    """
    result = run_book(tmp_path, through="2027-12", plans=quota_plan("exp"), roster="""
        rep_id,name,plan_id,start_date,end_date,quota
        am1,Lee Park,exp,2027-01-01,2027-06-30,
        am1,Lee Park,exp,2027-07-01,,240000
    """, deals="""
        deal_id,account_id,type,close_date,arr,owner_id
        E1,A1,expansion,2027-03-10,50000,am1
        E2,A1,expansion,2027-08-10,50000,am1
    """)
    assert lines(result, "am1") == [("quota", "2027-03", "5000.00", ""), ("quota", "2027-08", "2500.00", "")]


def test_ramp_counts_early_months_partly_toward_the_quota(tmp_path):
    """ramp [0.25, 0.5, 0.75]; am1 starts 2027-04-01: 9 active months, TI 9,000;
    Q = 120,000 / 12 × (0.25 + 0.5 + 0.75 + 6 × 1) = 10,000 × 7.5 = 75,000; base 9,000 / 75,000 = 0.12.
    Jun +75,000 → 9,000.00; Jul +10,000 → tier 2: 0.12 × 1.5 × 10,000 = 1,800.00.
    2028: months 9–20 of the assignment, past the ramp → Q 120,000; Jan +10,000 → 1,000.00.
    """
    result = run_book(tmp_path, through="2028-12", plans=quota_plan("exp", "ramp: [0.25, 0.5, 0.75]"), roster="""
        rep_id,name,plan_id,start_date,end_date
        am1,Lee Park,exp,2027-04-01,
    """, deals="""
        deal_id,account_id,type,close_date,arr,owner_id
        E1,A1,expansion,2027-06-10,75000,am1
        E2,A1,expansion,2027-07-10,10000,am1
        E3,A1,expansion,2028-01-10,10000,am1
    """)
    assert lines(result, "am1") == [("quota", "2027-06", "9000.00", ""), ("quota", "2027-07", "1800.00", ""),
                                    ("quota", "2028-01", "1000.00", "")]


def test_half_even_on_earned(tmp_path):
    """Base rate 0.10, A = 1,000.05: earned 100.005 → half_up 100.01, half_even 100.00."""
    result = run_book(tmp_path, through="2027-12", plans=[quota_plan("up"), quota_plan("even", rounding="half_even")],
                      roster="""
        rep_id,name,plan_id,start_date,end_date
        am1,Lee Park,up,2027-01-01,
        am2,Kim Osei,even,2027-01-01,
    """, deals="""
        deal_id,account_id,type,close_date,arr,owner_id
        E1,A1,expansion,2027-03-10,1000.05,am1
        E2,A2,expansion,2027-03-10,1000.05,am2
    """)
    assert lines(result, "am1") == [("quota", "2027-03", "100.01", "")]
    assert lines(result, "am2") == [("quota", "2027-03", "100.00", "")]
