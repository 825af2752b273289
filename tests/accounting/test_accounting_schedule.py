"""The ASC 340-40 schedule (SPEC §7) on tiny books, every number derived by hand in the docstring.

acv_commission pays round(rate × ARR) in the close month, so a deal of ARR 10 × C gives one line of C.
"""
from __future__ import annotations

from accounting_book import account_book, amortising, journal, months, plan, schedule, totals

ROSTER = """
    rep_id,name,plan_id,start_date,end_date
    ae1,Dana Reyes,nb,2027-01-01,
"""
ACV = "- {id: land, type: acv_commission, rate: 0.10}"


def one_deal(tmp_path, arr: str, *, through: str, extra_deals: str = "", **settings):
    return account_book(tmp_path, through=through, roster=ROSTER, plans=plan("nb", ACV, **settings), deals=f"""
        deal_id,account_id,type,close_date,arr,owner_id
        D1,A1,new,2027-01-15,{arr},ae1
        {extra_deals}
    """)


def test_5400_over_24_months_is_225_a_month(tmp_path):
    """10% of 54,000 = 5,400.00 in 2027-01; 5,400 / 24 = 225.00 exactly, 2027-01 … 2028-12. The
    balance falls to 0.00 in the 24th month and the deal has no row after it."""
    acc = one_deal(tmp_path, "54000", through="2029-06", benefit_months=24)
    assert schedule(acc, "D1") == amortising("2027-01", 24, "225.00", "225.00", "5400.00")
    assert schedule(acc, "D1")[-1] == ("2028-12", "0.00", "225.00", "0.00", "0.00", "0.00")


def test_22680_over_48_months_is_472_50_a_month(tmp_path):
    """10% of 226,800 = 22,680.00; 22,680 / 48 = 472.50 exactly, 2027-01 … 2030-12."""
    acc = one_deal(tmp_path, "226800", through="2031-03", benefit_months=48)
    assert schedule(acc, "D1") == amortising("2027-01", 48, "472.50", "472.50", "22680.00")


def test_1000_over_36_months_is_35_times_27_78_and_a_last_27_70(tmp_path):
    """1,000 / 36 = 27.777… → 27.78 for 35 months (972.30), the last month the remainder 27.70."""
    acc = one_deal(tmp_path, "10000", through="2030-01", benefit_months=36)
    rows = schedule(acc, "D1")
    assert rows == amortising("2027-01", 36, "27.78", "27.70", "1000.00")
    assert rows[0] == ("2027-01", "1000.00", "27.78", "0.00", "0.00", "972.22")
    assert rows[-2:] == [("2029-11", "0.00", "27.78", "0.00", "0.00", "27.70"),
                         ("2029-12", "0.00", "27.70", "0.00", "0.00", "0.00")]


def test_the_default_benefit_period_is_36_months(tmp_path):
    acc = one_deal(tmp_path, "10000", through="2027-02")
    assert schedule(acc, "D1") == amortising("2027-01", 2, "27.78", "27.78", "1000.00")


def test_a_12_month_benefit_under_the_expedient_is_expensed_at_once(tmp_path):
    """benefit_months 12 ≤ 12 with the practical expedient (default on): 1,000.00 expensed in 2027-01,
    nothing capitalised, no balance, no row after; the journal books Dr expense / Cr payable."""
    acc = one_deal(tmp_path, "10000", through="2027-06", benefit_months=12)
    assert schedule(acc, "D1") == [("2027-01", "0.00", "0.00", "0.00", "1000.00", "0.00")]
    assert journal(acc, "2027-01") == [
        ("2027-01", "expensed_immediately", "Commission expense", "1000.00", ""),
        ("2027-01", "expensed_immediately", "Commissions payable", "", "1000.00"),
        ("2027-01", "closing_balance", "Deferred commission asset, current", "0.00", ""),
        ("2027-01", "closing_balance", "Deferred commission asset, non-current", "0.00", ""),
    ]


def test_without_the_expedient_12_months_are_capitalised(tmp_path):
    """practical_expedient: false → 1,000 / 12 = 83.333… → 83.33 × 11 (916.63) and a last 83.37."""
    acc = one_deal(tmp_path, "10000", through="2028-06", benefit_months=12, expedient=False)
    assert schedule(acc, "D1") == amortising("2027-01", 12, "83.33", "83.37", "1000.00")


def test_13_months_are_capitalised_even_with_the_expedient(tmp_path):
    """The expedient covers a benefit period of 12 months or less only: 1,000 / 13 = 76.923… → 76.92
    × 12 (923.04) and a last 76.96."""
    acc = one_deal(tmp_path, "10000", through="2028-06", benefit_months=13, expedient=True)
    assert schedule(acc, "D1") == amortising("2027-01", 13, "76.92", "76.96", "1000.00")


def test_a_churn_in_month_7_impairs_the_rest(tmp_path):
    """1,000 over 36 from 2027-01; A1 churns 2027-07-10, the 7th month. 2027-01 … 2027-06 amortise
    6 × 27.78 = 166.68 (balance 833.32); 2027-07 amortises 27.78 more, then the rest, 1,000 − 7 × 27.78
    = 805.54, is impaired; the balance is 0.00 and the deal has no row after."""
    acc = one_deal(tmp_path, "10000", through="2027-12", extra_deals="D2,A1,churn,2027-07-10,10000,ae1")
    assert schedule(acc, "D1") == amortising("2027-01", 6, "27.78", "27.78", "1000.00") + [
        ("2027-07", "0.00", "27.78", "805.54", "0.00", "0.00")]
    assert journal(acc, "2027-07") == [
        ("2027-07", "amortisation", "Commission expense", "27.78", ""),
        ("2027-07", "amortisation", "Deferred commission asset", "", "27.78"),
        ("2027-07", "impairment", "Commission expense", "805.54", ""),
        ("2027-07", "impairment", "Deferred commission asset", "", "805.54"),
        ("2027-07", "closing_balance", "Deferred commission asset, current", "0.00", ""),
        ("2027-07", "closing_balance", "Deferred commission asset, non-current", "0.00", ""),
    ]


def test_a_churn_in_the_assets_own_month_impairs_after_its_first_amortisation(tmp_path):
    """Land 2027-01-05, churn 2027-01-25: 27.78 amortised in 2027-01, then 972.22 impaired."""
    acc = account_book(tmp_path, through="2027-06", roster=ROSTER, plans=plan("nb", ACV), deals="""
        deal_id,account_id,type,close_date,arr,owner_id
        D1,A1,new,2027-01-05,10000,ae1
        D2,A1,churn,2027-01-25,10000,ae1
    """)
    assert schedule(acc, "D1") == [("2027-01", "1000.00", "27.78", "972.22", "0.00", "0.00")]


def test_only_the_first_churn_at_or_after_the_assets_period_counts(tmp_path):
    """A1 churns in 2027-03 and comes back: the expansion D3 (2027-05, 10% of 3,600 = 360.00 → 10.00 a
    month) is not impaired by the earlier churn. D4 churns it again in 2028-02: as of 2027-12 that has
    not happened (balance 280.00 = 360 − 8 × 10); run through 2028-03 it impairs 360 − 10 × 10 = 260.00."""
    plans = plan("nb", "- {id: land, type: acv_commission, rate: 0.10, deal_types: [new, expansion]}")
    deals = """
        deal_id,account_id,type,close_date,arr,owner_id
        D1,A1,new,2027-01-15,10000,ae1
        D2,A1,churn,2027-03-10,10000,ae1
        D3,A1,expansion,2027-05-20,3600,ae1
        D4,A1,churn,2028-02-01,3600,ae1
    """
    acc = account_book(tmp_path / "dec", through="2027-12", roster=ROSTER, plans=plans, deals=deals)
    assert schedule(acc, "D3") == amortising("2027-05", 8, "10.00", "10.00", "360.00")
    assert schedule(acc, "D1")[-1] == ("2027-03", "0.00", "27.78", "916.66", "0.00", "0.00")
    later = account_book(tmp_path / "mar", through="2028-03", roster=ROSTER, plans=plans, deals=deals)
    assert schedule(later, "D3")[-2:] == [("2028-01", "0.00", "10.00", "0.00", "0.00", "270.00"),
                                          ("2028-02", "0.00", "10.00", "260.00", "0.00", "0.00")]


def test_rounding_follows_the_plan(tmp_path):
    """1% of 1,010 = 10.10 over 4 months (expedient off): 10.10 / 4 = 2.525. half_up → 2.53 × 3 and a
    last 2.51; half_even → 2.52 × 3 and a last 2.54."""
    comp = "- {id: land, type: acv_commission, rate: 0.01}"
    up = account_book(tmp_path / "up", through="2027-06", roster=ROSTER, deals="""
        deal_id,account_id,type,close_date,arr,owner_id
        D1,A1,new,2027-01-15,1010,ae1
    """, plans=plan("nb", comp, benefit_months=4, expedient=False))
    assert schedule(up, "D1") == amortising("2027-01", 4, "2.53", "2.51", "10.10")
    even = account_book(tmp_path / "even", through="2027-06", roster=ROSTER, deals="""
        deal_id,account_id,type,close_date,arr,owner_id
        D1,A1,new,2027-01-15,1010,ae1
    """, plans=plan("nb", comp, benefit_months=4, expedient=False, rounding="half_even"))
    assert schedule(even, "D1") == amortising("2027-01", 4, "2.52", "2.54", "10.10")


def test_a_clawback_is_a_negative_asset_and_the_deal_nets_to_nothing(tmp_path):
    """3,600.00 in 2027-01 (100.00 a month); A1 churns 2027-03, within 3 months: −3,600.00 is clawed
    back in 2027-03, a negative asset. In March the positive asset amortises 100.00 and is impaired
    3,300.00; the negative one amortises −100.00 and is impaired −3,500.00. The deal's March row:
    capitalised −3,600.00, amortisation 0.00, impairment −200.00, balance 0.00. Over its life the
    deal costs 100 + 100 + 0 − 200 = 0.00, what the rep kept."""
    acc = account_book(tmp_path, through="2027-06", roster=ROSTER, deals="""
        deal_id,account_id,type,close_date,arr,owner_id
        D1,A1,new,2027-01-15,36000,ae1
        D2,A1,churn,2027-03-10,36000,ae1
    """, plans=plan("nb", "- {id: land, type: acv_commission, rate: 0.10, clawback: {recover_paid_within_months: 3}}"))
    assert schedule(acc, "D1") == [
        ("2027-01", "3600.00", "100.00", "0.00", "0.00", "3500.00"),
        ("2027-02", "0.00", "100.00", "0.00", "0.00", "3400.00"),
        ("2027-03", "-3600.00", "0.00", "-200.00", "0.00", "0.00"),
    ]
    # A net negative movement swaps the sides of its entry.
    assert journal(acc, "2027-03")[:4] == [
        ("2027-03", "capitalised", "Commissions payable", "3600.00", ""),
        ("2027-03", "capitalised", "Deferred commission asset", "", "3600.00"),
        ("2027-03", "impairment", "Deferred commission asset", "200.00", ""),
        ("2027-03", "impairment", "Commission expense", "", "200.00"),
    ]


QUOTA_PLAN = plan("am", """
    - id: net_expansion
      type: quota_attainment
      quota: 120000
      target_incentive: 12000
      net_of_churn: false
""")


def test_quota_lines_have_no_deal_and_are_their_own_assets(tmp_path):
    """am1: quota 120,000, target incentive 12,000 → base rate 0.1. +10,000 expansion in 2027-01 earns
    1,000.00; a 4,000 contraction in 2027-03 lowers it to 600 → a −400.00 line. Each line is its own
    asset (rep, period, component; no deal): 1,000 / 36 → 27.78; −400 / 36 = −11.111… → −11.11. A2's
    churn in 2027-04 impairs neither: a quota line cannot be tied to an account."""
    acc = account_book(tmp_path, through="2027-04", plans=QUOTA_PLAN, roster="""
        rep_id,name,plan_id,start_date,end_date
        am1,Omar Haddad,am,2027-01-01,
    """, deals="""
        deal_id,account_id,type,close_date,arr,owner_id
        D1,A1,expansion,2027-01-15,10000,am1
        D2,A1,contraction,2027-03-15,4000,am1
        D3,A2,churn,2027-04-15,5000,am1
    """)
    assert schedule(acc, "", asset_period="2027-01") == [
        ("2027-01", "1000.00", "27.78", "0.00", "0.00", "972.22"),
        ("2027-02", "0.00", "27.78", "0.00", "0.00", "944.44"),
        ("2027-03", "0.00", "27.78", "0.00", "0.00", "916.66"),
        ("2027-04", "0.00", "27.78", "0.00", "0.00", "888.88"),
    ]
    assert schedule(acc, "", asset_period="2027-03") == [
        ("2027-03", "-400.00", "-11.11", "0.00", "0.00", "-388.89"),
        ("2027-04", "0.00", "-11.11", "0.00", "0.00", "-377.78"),
    ]
    assert set(acc.groups["rep_id"]) == {"am1"}
    assert acc.groups["impairment"].tolist() == [0, 0]


def test_draws_adjustments_and_bonuses_stay_out_and_the_run_ties(tmp_path):
    """nb: acv 10% of 12,000 = 1,200.00 (capitalised); a TCV commission with capitalize: false, 5% of
    12,000 = 600.00 upfront (not). cs: activation bonus 750.00 in 2027-03 (not capitalised by default),
    a CSAT bonus 200.00 in 2027-02 with capitalize: true (a line without a deal: 200 / 24 = 8.333… →
    8.33), a 300.00 draw in 2027-01 and 2027-02 (top-ups, not commissions). ae1's manual adjustment
    250.00 in 2027-02 is not a contract cost.
    Jan: commissions 1,800 = capitalised 1,200 + not contract costs 600; draws 300.
    Feb: commissions 450 = capitalised 200 + not contract costs 250; draws 300.
    Mar: commissions 750 = not contract costs 750."""
    acc = account_book(tmp_path, through="2027-03", plans=[
        plan("nb", """
            - {id: land, type: acv_commission, rate: 0.10}
            - {id: land_tcv, type: tcv_commission, rate: 0.05, vesting: {upfront_pct: 1}, capitalize: false}
        """),
        plan("cs", """
            - {id: activation, type: activation_bonus, milestone: activated, amount: 750}
            - {id: csat, type: metric_bonus, metric: csat, target: 4, amount: 200, capitalize: true}
        """, benefit_months=24, role="csm"),
    ], roster="""
        rep_id,name,plan_id,start_date,end_date,draw,draw_months
        ae1,Dana Reyes,nb,2027-01-01,,,
        cs1,Kim Sato,cs,2027-01-01,,300,2
    """, deals="""
        deal_id,account_id,type,close_date,arr,owner_id
        D1,A1,new,2027-01-15,12000,ae1
    """, milestones="""
        account_id,milestone,achieved_date,csm_id
        A1,activated,2027-03-01,cs1
    """, metrics="""
        rep_id,period,metric,value
        cs1,2027-02,csat,4.5
    """, adjustments="""
        rep_id,period,amount,reason
        ae1,2027-02,250,commission correction
    """)
    assert sorted(zip(acc.groups["plan_id"], acc.groups["component_id"], acc.groups["rep_id"])) == [
        ("cs", "csat", "cs1"), ("nb", "land", "ae1")]
    assert schedule(acc, "", component_id="csat") == [
        ("2027-02", "200.00", "8.33", "0.00", "0.00", "191.67"),
        ("2027-03", "0.00", "8.33", "0.00", "0.00", "183.34")]
    tie = [(t["month"], t["commissions"], t["capitalised"], t["expensed_immediately"], t["not_contract_costs"],
            t["draws"]) for t in (totals(acc, p) for p in months("2027-01", 3))]
    assert tie == [("2027-01", "1800.00", "1200.00", "0.00", "600.00", "300.00"),
                   ("2027-02", "450.00", "200.00", "0.00", "250.00", "300.00"),
                   ("2027-03", "750.00", "0.00", "0.00", "750.00", "0.00")]


def test_a_split_deal_has_an_asset_group_per_rep(tmp_path):
    """D1 split 50/50: each rep earns 10% × 12,000 × 0.5 = 600.00, amortised 16.67 a month each."""
    acc = account_book(tmp_path, through="2027-02", plans=plan("nb", ACV), roster="""
        rep_id,name,plan_id,start_date,end_date
        ae1,Dana Reyes,nb,2027-01-01,
        ae2,Eli Park,nb,2027-01-01,
    """, deals="""
        deal_id,account_id,type,close_date,arr,owner_id
        D1,A1,new,2027-01-15,12000,ae1
    """, splits="""
        deal_id,rep_id,share
        D1,ae1,0.5
        D1,ae2,0.5
    """)
    for rep in ("ae1", "ae2"):
        assert schedule(acc, "D1", rep_id=rep) == amortising("2027-01", 2, "16.67", "16.67", "600.00")


def test_the_current_portion_is_the_amortisation_due_in_the_next_12_months(tmp_path):
    """1,000 over 36 months from 2027-01 (27.78 × 35, last 27.70, in 2029-12).
    2027-01: balance 972.22; current 12 × 27.78 = 333.36; non-current 638.86.
    2028-11: balance 1,000 − 23 × 27.78 = 361.06; the next 12 months (2028-12 … 2029-11) are all 27.78 →
    current 333.36, non-current 27.70 (the last month, 13 months away).
    2028-12: balance 333.28, all of it due by 2029-12 → current 333.28, non-current 0.00."""
    acc = one_deal(tmp_path, "10000", through="2028-12")
    got = [(t["month"], t["closing"], t["current"], t["non_current"])
           for t in (totals(acc, p) for p in ("2027-01", "2028-11", "2028-12"))]
    assert got == [("2027-01", "972.22", "333.36", "638.86"), ("2028-11", "361.06", "333.36", "27.70"),
                   ("2028-12", "333.28", "333.28", "0.00")]
    assert journal(acc, "2028-11")[-2:] == [
        ("2028-11", "closing_balance", "Deferred commission asset, current", "333.36", ""),
        ("2028-11", "closing_balance", "Deferred commission asset, non-current", "27.70", "")]


def test_a_deal_clawed_back_in_its_own_month_still_has_its_row(tmp_path):
    """Land 2027-01-05 (3,600.00), churn 2027-01-25, clawed back −3,600.00 the same month: the assets
    amortise 100.00 and −100.00 and are impaired 3,500.00 and −3,500.00. The row nets to zeros but is
    there, so the deal can be traced from lines.csv to accounting.csv."""
    acc = account_book(tmp_path, through="2027-03", roster=ROSTER, deals="""
        deal_id,account_id,type,close_date,arr,owner_id
        D1,A1,new,2027-01-05,36000,ae1
        D2,A1,churn,2027-01-25,36000,ae1
    """, plans=plan("nb", "- {id: land, type: acv_commission, rate: 0.10, clawback: {recover_paid_within_months: 3}}"))
    assert schedule(acc, "D1") == [("2027-01", "0.00", "0.00", "0.00", "0.00", "0.00")]
    assert sorted((a.amount, a.monthly, a.impairment) for a in acc.assets.itertuples()) == [
        (-360000, -10000, -350000), (360000, 10000, 350000)]


def test_a_book_with_nothing_to_capitalise_has_empty_books(tmp_path):
    """Only a CSM activation bonus (not a contract cost): no asset, no row; each month's closing
    balance is 0.00 and the run's 750.00 is all 'not contract costs'. Files and workbook still write."""
    from compcalc.accounting.files import write_journal, write_schedule
    from compcalc.accounting.workbook import write_workbook

    acc = account_book(tmp_path, through="2027-04", plans=plan("cs", """
        - {id: activation, type: activation_bonus, milestone: activated, amount: 750}
    """, role="csm"), roster="""
        rep_id,name,plan_id,start_date,end_date
        cs1,Kim Sato,cs,2027-01-01,
    """, deals="""
        deal_id,account_id,type,close_date,arr,owner_id
        D1,A1,new,2027-01-15,12000,cs1
    """, milestones="""
        account_id,milestone,achieved_date,csm_id
        A1,activated,2027-03-01,cs1
    """)
    assert (len(acc.assets), len(acc.groups), len(acc.rows)) == (0, 0, 0)
    assert totals(acc, "2027-03")["not_contract_costs"] == "750.00"
    assert journal(acc, "2027-04") == [
        ("2027-04", "closing_balance", "Deferred commission asset, current", "0.00", ""),
        ("2027-04", "closing_balance", "Deferred commission asset, non-current", "0.00", "")]
    write_schedule(acc, tmp_path / "accounting.csv")
    write_journal(acc, tmp_path / "journal.csv")
    write_workbook(acc, tmp_path / "accounting.xlsx")
    assert (tmp_path / "accounting.csv").read_text() == (
        "period,plan_id,component_id,deal_id,capitalised,amortisation,impairment,expensed_immediately,balance,"
        "rep_id,account_id,asset_period\n")


def test_a_component_amortised_over_its_own_24_months_beside_the_plans_36(tmp_path):
    """SPEC §8.11. Plan benefit_months 36; the spif component sets its own 24, the acv uses the plan's.
    D1 (A1, 2027-01-15, 54,000): acv 10% = 5,400.00 over 36 = 150.00 a month; spif 540.00 over 24 =
    22.50 a month. A1 churns 2027-10-05 (month 10): after October's amortisation the acv has
    5,400 − 10 × 150 = 3,900.00 left and the spif 540 − 10 × 22.50 = 315.00, both impaired then.
    D2 (A2, 2027-02-01, 10,000): acv 1,000.00 over 36 (27.78 × 35, last 27.70); spif 540.00 over 24.
    A third component with benefit_months 12 under the expedient is expensed at once (its own period is
    what the expedient tests), though the plan's is 36. Everything ties per deal and in total."""
    comps = """
        - {id: land, type: acv_commission, rate: 0.10}
        - {id: spif, type: spif, amount: 540, from: 2027-01-01, to: 2027-12-31, benefit_months: 24}
        - {id: quick, type: spif, amount: 100, from: 2027-01-01, to: 2027-12-31, benefit_months: 12}
    """
    acc = account_book(tmp_path, through="2030-06", roster=ROSTER, plans=plan("nb", comps, benefit_months=36), deals="""
        deal_id,account_id,type,close_date,arr,owner_id
        D1,A1,new,2027-01-15,54000,ae1
        C1,A1,churn,2027-10-05,54000,ae1
        D2,A2,new,2027-02-01,10000,ae1
    """)
    land = schedule(acc, "D1", component_id="land")
    assert land[:9] == amortising("2027-01", 36, "150.00", "150.00", "5400.00")[:9]
    assert land[9:] == [("2027-10", "0.00", "150.00", "3900.00", "0.00", "0.00")]
    spif = schedule(acc, "D1", component_id="spif")
    assert spif[:9] == amortising("2027-01", 24, "22.50", "22.50", "540.00")[:9]
    assert spif[9:] == [("2027-10", "0.00", "22.50", "315.00", "0.00", "0.00")]
    assert schedule(acc, "D2", component_id="land") == amortising("2027-02", 36, "27.78", "27.70", "1000.00")
    assert schedule(acc, "D2", component_id="spif") == amortising("2027-02", 24, "22.50", "22.50", "540.00")
    assert schedule(acc, "D2", component_id="quick") == [("2027-02", "0.00", "0.00", "0.00", "100.00", "0.00")]
    policy = acc.policy.set_index("component_id")
    assert policy.loc["spif", "benefit_months"] == 24 and policy.loc["land", "benefit_months"] == 36
    assert bool(policy.loc["quick", "expensed_immediately"]) and not bool(policy.loc["spif", "expensed_immediately"])
    g = acc.groups
    for deal, group in g.groupby("deal_id"):
        assert group["capitalised"].sum() == group["amortisation"].sum() + group["impairment"].sum() + \
            group["balance"].sum()
    t = acc.totals
    assert (t["opening"] + t["capitalised"] - t["amortisation"] - t["impairment"] == t["closing"]).all()
    assert int(t["closing"].iloc[-1]) == int(g["balance"].sum()) == 0
