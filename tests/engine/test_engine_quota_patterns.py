"""quota_attainment plan patterns (SPEC §8.1–§8.4): measures, quota periods, the annual true-up,
kickers and dated quota / target incentive — each on a tiny inline book with its hand derivation.

Unless a test says otherwise: quota 480,000 and target incentive 96,000 a year, so a full quarter has
Q_P = 120,000, TI_P = 24,000 and base rate 0.20; tiers 1.0× up to 100% and 1.5× above; plan year from January.
"""
from __future__ import annotations

import pytest

from compcalc.plans import parse_plan
from inline_book import line_rows, lines, plan, register, run_book

TIERS = "[{up_to: 1.0, multiplier: 1.0}, {up_to: null, multiplier: 1.5}]"
FULL_YEAR = """
    rep_id,name,plan_id,start_date,end_date,quota
    am1,Lee Park,exp,2027-01-01,,
"""


def quarterly(extra: str = "", *, quota="480000", incentive="96000", period="quarter") -> str:
    """The quota plan "exp"; ``extra`` holds more keys of the component, one per line."""
    extra = extra.replace("\n", "\n" + " " * 10)
    return plan("exp", f"""
        - id: nx
          type: quota_attainment
          quota: {quota}
          target_incentive: {incentive}
          period: {period}
          tiers: {TIERS}
          {extra}
    """, role="expansion_ae")


def test_a_quarter_at_120_percent_pays_its_kicker_and_a_contraction_reverses_it(tmp_path):
    """Jan +144,000 → A = 120% of 120,000: 0.20 × 120,000 + 0.30 × 24,000 = 31,200, kicker 5,000.
    Feb −30,000 → A = 114,000 (95%): 22,800 → quota −8,400, and the kicker is lost: −5,000.
    Mar +6,000 → A = 120,000, exactly 100%: 24,000 → +1,200, and the kicker is paid again: +5,000.
    Register: Feb nets −13,400 (carried); Mar nets 6,200 → carry −7,200."""
    result = run_book(tmp_path, through="2027-03", plans=quarterly("kickers: [{at: 1.0, amount: 5000}]"),
                      roster=FULL_YEAR, deals="""
        deal_id,account_id,type,close_date,arr,owner_id
        E1,A1,expansion,2027-01-20,144000,am1
        C1,A1,contraction,2027-02-15,30000,am1
        E2,A2,expansion,2027-03-03,6000,am1
    """)
    assert lines(result) == [
        ("kicker", "2027-01", "5000.00", ""), ("quota", "2027-01", "31200.00", ""),
        ("kicker", "2027-02", "-5000.00", ""), ("quota", "2027-02", "-8400.00", ""),
        ("kicker", "2027-03", "5000.00", ""), ("quota", "2027-03", "1200.00", ""),
    ]
    assert register(result) == [
        ("2027-01", "36200.00", "0.00", "0.00", "36200.00", "0.00"),
        ("2027-02", "-13400.00", "0.00", "0.00", "0.00", "-13400.00"),
        ("2027-03", "6200.00", "-13400.00", "0.00", "0.00", "-7200.00"),
    ]
    kicker = line_rows(result)[0]
    assert kicker["note"] == ("kicker reached: attainment 120.00% of quota 120000.00 in 2027-01 to 2027-03; "
                              "kickers at 100% (5000.00) a full period")
    assert kicker["facts"] == ("quota=120000.00;attainment=1.2000;tier=2;earned_to_date=5000.00;"
                               "period_first=2027-01;period_last=2027-03")


def test_each_quarter_starts_from_zero_and_the_running_total_spans_the_plan_year(tmp_path):
    """Q1: +150,000 → 24,000 + 0.30 × 30,000 = 33,000. Q2 starts again: +60,000 → 12,000 (not the 1.5×
    rate Q1's credits would give a yearly quota). The quota lines are the change of E: 33,000 then 12,000."""
    result = run_book(tmp_path, through="2027-06", plans=quarterly(), roster=FULL_YEAR, deals="""
        deal_id,account_id,type,close_date,arr,owner_id
        E1,A1,expansion,2027-02-10,150000,am1
        E2,A2,expansion,2027-04-10,60000,am1
    """)
    assert lines(result) == [("quota", "2027-02", "33000.00", ""), ("quota", "2027-04", "12000.00", "")]
    rows = line_rows(result)
    assert [r["note"] for r in rows] == [
        "attainment 125.00% of quota 120000.00 (tier 2); earned to date 33000.00",
        "attainment 50.00% of quota 120000.00 (tier 1); earned to date 45000.00",
    ]


def test_the_annual_true_up_pays_what_the_year_earns_beyond_the_quarters(tmp_path):
    """Threshold 0.5 (60,000 a quarter). +50,000 in each of Jan, Apr, Jul: below each quarter's
    threshold → 0. Oct +100,000 → 0.20 × 100,000 = 20,000. E = 20,000.
    Annual: Q 480,000, TI 96,000, threshold 240,000; credits 250,000 → Y = 50,000 → true_up 30,000 in
    December (month 12). Through 2027-11 the year is not over: no true-up yet."""
    deals = """
        deal_id,account_id,type,close_date,arr,owner_id
        E1,A1,expansion,2027-01-10,50000,am1
        E2,A2,expansion,2027-04-10,50000,am1
        E3,A3,expansion,2027-07-10,50000,am1
        E4,A4,expansion,2027-10-10,100000,am1
    """
    book = quarterly("threshold: 0.5\nannual_true_up: true")
    result = run_book(tmp_path / "dec", through="2027-12", plans=book, roster=FULL_YEAR, deals=deals)
    assert lines(result) == [("quota", "2027-10", "20000.00", ""), ("true_up", "2027-12", "30000.00", "")]
    true_up = line_rows(result)[1]
    assert (true_up["basis"], true_up["note"]) == ("50000.00", "annual true-up: credits 250000.00 on the annual "
                                                   "quota 480000.00 earn 50000.00; the quarter periods paid 20000.00")
    early = run_book(tmp_path / "nov", through="2027-11", plans=book, roster=FULL_YEAR, deals=deals)
    assert lines(early) == [("quota", "2027-10", "20000.00", "")]


def test_a_true_up_in_the_month_an_assignment_ends(tmp_path):
    """am2 2027-01-01 … 2027-08-31, threshold 0.5. +55,000 in Feb and in May: below 60,000 → 0.
    Q3 has 2 active months: Q_P 80,000, TI_P 16,000, threshold 40,000; Aug +55,000 → 11,000.
    Annual (8 months): Q 320,000, TI 64,000, threshold 160,000; credits 165,000 → Y = 33,000 →
    true_up 22,000 in August, the assignment's last month."""
    result = run_book(tmp_path, through="2027-12", plans=quarterly("threshold: 0.5\nannual_true_up: true"),
                      roster="""
        rep_id,name,plan_id,start_date,end_date
        am2,Kim Osei,exp,2027-01-01,2027-08-31
    """, deals="""
        deal_id,account_id,type,close_date,arr,owner_id
        E1,A1,expansion,2027-02-10,55000,am2
        E2,A2,expansion,2027-05-10,55000,am2
        E3,A3,expansion,2027-08-10,55000,am2
    """)
    assert lines(result) == [("quota", "2027-08", "11000.00", ""), ("true_up", "2027-08", "22000.00", "")]


def test_monthly_quota_periods_paid_quarterly_with_a_prorated_kicker(tmp_path):
    """period: month → Q_P 40,000, TI_P 8,000 (base 0.20); kicker 3,000 a month at 100%.
    Jan +48,000 → 8,000 + 0.30 × 8,000 = 10,400 and the kicker; Feb +20,000 → 4,000; Mar nothing.
    cadence quarterly: one line each in March: quota 14,400, kicker 3,000."""
    result = run_book(tmp_path, through="2027-03",
                      plans=quarterly("cadence: quarterly\nkickers: [{at: 1.0, amount: 3000}]", period="month"),
                      roster=FULL_YEAR, deals="""
        deal_id,account_id,type,close_date,arr,owner_id
        E1,A1,expansion,2027-01-10,48000,am1
        E2,A2,expansion,2027-02-10,20000,am1
    """)
    assert lines(result) == [("kicker", "2027-03", "3000.00", ""), ("quota", "2027-03", "14400.00", "")]


def test_a_kicker_is_prorated_by_the_active_months_of_its_period(tmp_path):
    """am3 starts 2027-02-15: Q1 has 2 active months → Q_P 80,000, TI_P 16,000, kicker round(5,000 × 2/3)
    = 3,333.33. Mar +80,000 → 16,000 and the kicker."""
    result = run_book(tmp_path, through="2027-03", plans=quarterly("kickers: [{at: 1.0, amount: 5000}]"),
                      roster="""
        rep_id,name,plan_id,start_date,end_date
        am3,Ana Cruz,exp,2027-02-15,
    """, deals="""
        deal_id,account_id,type,close_date,arr,owner_id
        E1,A1,expansion,2027-03-10,80000,am3
    """)
    assert lines(result) == [("kicker", "2027-03", "3333.33", ""), ("quota", "2027-03", "16000.00", "")]


BOOK = """
    deal_id,account_id,type,close_date,arr,owner_id,term_months,tcv,prior_arr
    N1,A1,new,2027-03-01,24000,am1,24,,
    E1,A2,expansion,2027-03-02,10000,am1,12,,
    R1,A3,renewal,2027-03-03,30000,am1,12,,20000
    C1,A4,contraction,2027-03-04,5000,am1,,,
    X1,A5,churn,2027-03-05,4000,am1,,,
"""


@pytest.mark.parametrize("measure, amount", [
    ("net_new_expansion_arr", "1100.00"),  # 10,000 + uplift 10,000 − 5,000 − 4,000 = 11,000
    ("new_arr", "2400.00"),  # the land's 24,000
    ("new_tcv", "4800.00"),  # the land's TCV 24,000 × 24 / 12 = 48,000
    ("net_new_arr", "3500.00"),  # 24,000 + 11,000
])
def test_each_quota_measure_credits_its_events(tmp_path, measure, amount):
    """SPEC §8.1 on one book: quota 120,000, TI 12,000 (base 0.10), one tier."""
    result = run_book(tmp_path, through="2027-03", plans=plan("exp", f"""
        - id: nx
          type: quota_attainment
          measure: {measure}
          quota: 120000
          target_incentive: 12000
    """), roster=FULL_YEAR, deals=BOOK)
    assert lines(result) == [("quota", "2027-03", amount, "")]


def test_new_tcv_credits_a_split_share_of_the_exact_tcv(tmp_path):
    """TCV 10,000 × 18 / 12 = 15,000, am1's split share 1/3 → 5,000 of credit → 500.00 at base 0.10."""
    result = run_book(tmp_path, through="2027-03", plans=plan("exp", """
        - id: nx
          type: quota_attainment
          measure: new_tcv
          quota: 120000
          target_incentive: 12000
    """), roster="""
        rep_id,name,plan_id,start_date,end_date
        am1,Lee Park,exp,2027-01-01,
        am2,Kim Osei,exp,2027-01-01,
    """, deals="""
        deal_id,account_id,type,close_date,arr,owner_id,term_months
        N1,A1,new,2027-03-01,10000,am1,18
    """, splits="""
        deal_id,rep_id,share
        N1,am1,0.3333333333
        N1,am2,0.6666666667
    """)
    # 15,000 × 0.3333333333 = 4,999.9999995 → 499.99999995 → 500.00; 15,000 × 0.6666666667 → 1,000.00
    assert lines(result, "am1") == [("quota", "2027-03", "500.00", "")]
    assert lines(result, "am2") == [("quota", "2027-03", "1000.00", "")]


def test_dated_quota_is_read_on_the_first_day_of_each_quota_period_and_a_roster_quota_overrides_it(tmp_path):
    """quota {2027-01-01: 480,000, 2027-07-01: 600,000}, TI 96,000. am1: Q2's Q_P 120,000 (base 0.20), May
    +120,000 → 24,000; Q3's Q_P 150,000, TI_P 24,000 (base 0.16), Aug +150,000 → 24,000.
    am2 has roster quota 240,000 for every period: Q3's Q_P 60,000, base 0.40; Aug +66,000 →
    24,000 + 0.60 × 6,000 = 27,600."""
    result = run_book(tmp_path, through="2027-09", plans=quarterly(quota="{2027-01-01: 480000, 2027-07-01: 600000}"),
                      roster="""
        rep_id,name,plan_id,start_date,end_date,quota
        am1,Lee Park,exp,2027-01-01,,
        am2,Kim Osei,exp,2027-01-01,,240000
    """, deals="""
        deal_id,account_id,type,close_date,arr,owner_id
        E1,A1,expansion,2027-05-10,120000,am1
        E2,A2,expansion,2027-08-10,150000,am1
        E3,A3,expansion,2027-08-10,66000,am2
    """)
    assert lines(result, "am1") == [("quota", "2027-05", "24000.00", ""), ("quota", "2027-08", "24000.00", "")]
    assert lines(result, "am2") == [("quota", "2027-08", "27600.00", "")]


def test_a_yearly_quota_reads_dated_values_on_the_plan_years_first_day(tmp_path):
    """period: year: TI {2027-01-01: 12,000, 2027-07-01: 24,000} is 12,000 for all of 2027 (the period
    starts 2027-01-01); quota 120,000, base 0.10; Aug +60,000 → 6,000. In 2028 the later value holds:
    base 0.20; Feb 2028 +10,000 → 2,000."""
    result = run_book(tmp_path, through="2028-02", plans=plan("exp", """
        - id: nx
          type: quota_attainment
          quota: 120000
          target_incentive: {2027-01-01: 12000, 2027-07-01: 24000}
    """), roster=FULL_YEAR, deals="""
        deal_id,account_id,type,close_date,arr,owner_id
        E1,A1,expansion,2027-08-10,60000,am1
        E2,A2,expansion,2028-02-10,10000,am1
    """)
    assert lines(result) == [("quota", "2027-08", "6000.00", ""), ("quota", "2028-02", "2000.00", "")]


def plan_messages(text: str) -> list[str]:
    parsed, problems = parse_plan(text, "plans/exp.yaml")
    assert parsed is None
    return [str(p) for p in problems]


def test_bad_pattern_keys_name_the_line_and_path():
    assert plan_messages(quarterly(quota="{2027-01-01: 480000, 2027-07-01: 0}")) == [
        "plans/exp.yaml:10 components[0].quota.2027-07-01: must be > 0"]
    assert plan_messages(quarterly(quota="{2027-13-01: 480000}")) == [
        "plans/exp.yaml:10 components[0].quota.2027-13-01: must be a date YYYY-MM-DD (got '2027-13-01')"]
    assert plan_messages(quarterly("kickers: [{at: 0, amount: 5000}]")) == [
        "plans/exp.yaml:14 components[0].kickers[0].at: must be > 0"]
    assert plan_messages(quarterly("annual_true_up: true", period="year")) == [
        "plans/exp.yaml:8 components[0]: annual_true_up needs period: quarter or month (a yearly quota is already annual)"]


def test_whole_mode_above_a_bounded_last_tier_keeps_the_last_multiplier(tmp_path):
    """tier_mode whole, tiers ×1 to 100% and ×2 to 200%, quota 120,000, TI 12,000 (base 0.10). A =
    240,000.01 is above the last bound: it still falls in the last tier, 0.10 × 2 × 240,000.01 =
    48,000.002 → 48,000.00 (not 0, and no cliff from 48,000.00 at exactly 200%)."""
    result = run_book(tmp_path, through="2027-06", plans=plan("exp", """
        - id: nx
          type: quota_attainment
          quota: 120000
          target_incentive: 12000
          tier_mode: whole
          tiers: [{up_to: 1.0, multiplier: 1}, {up_to: 2.0, multiplier: 2}]
    """), roster=FULL_YEAR, deals="""
        deal_id,account_id,type,close_date,arr,owner_id
        E1,A1,expansion,2027-05-10,240000.01,am1
    """)
    assert lines(result) == [("quota", "2027-05", "48000.00", "")]
