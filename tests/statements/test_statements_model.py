"""The statement data model: vesting schedule beyond the run, as known at each month; quota status;
year to date by plan year; per-line explanations; safe names."""
from __future__ import annotations

from compcalc.pipeline import run
from compcalc.explain_line import explain, percent
from compcalc.inputs import load_book
from compcalc.periods import parse_period
from compcalc.statements.model import DEFERRED, FORFEITED, PAID, StatementBook
from compcalc.statements.names import file_stems, safe_file_stem, sheet_names
from conftest import case_files
from statement_files import ICM, LAND


def book_through(case, through: str, months=None):
    result = run(load_book(**case_files(case)), parse_period(through), schedule=True)
    return StatementBook(result, [parse_period(m) for m in months] if months else None)


def test_installments_after_the_run_are_deferred_and_churn_forfeits_the_rest():
    sb = book_through(LAND, "2027-04")
    st = sb.statement("ae1", parse_period("2027-04"))
    d1, d2 = st.vesting
    assert (d1.deal_id, d1.commission, d1.paid, d1.deferred, d1.forfeited, d1.clawed_back) == \
        ("D1", 720000, 315000, 405000, 0, 0)
    assert d1.basis == 7200000 and d1.rate == "0.10" and d1.next_due == parse_period("2027-05")
    assert [r.last_month for r in d1.runs if r.status == DEFERRED] == [parse_period("2028-01")]  # after the run
    assert (d2.deal_id, d2.commission, d2.paid, d2.deferred, d2.forfeited, d2.clawed_back) == \
        ("D2", 240005, 90001, 0, 150004, -90001)
    assert d2.reasons == ("clawed back: A2 churned 2027-04-05 (within 3 months of close)",
                          "forfeited: A2 churned 2027-04-05")
    assert st.deferred == 405000


def test_a_past_statement_shows_what_was_known_then():
    # Run through 2028-01, statement for 2027-03: A2 had not churned yet, so D2 was still vesting.
    sb = book_through(LAND, "2028-01", ["2027-03"])
    st = sb.statement("ae1", parse_period("2027-03"))
    d2 = st.vesting[1]
    assert (d2.paid, d2.deferred, d2.forfeited, d2.clawed_back) == (75001, 165004, 0, 0)
    # 2 is an installment of the run and 3–12 forfeits after it, all still due as of March; 12 is the remainder.
    assert [(r.what, r.status, r.note) for r in d2.runs] == [("installment 1 of 12", PAID, ""),
                                                              ("installments 2–11 of 12", DEFERRED, ""),
                                                              ("installment 12 of 12", DEFERRED, "")]
    assert d2.clawbacks == ()


def test_deals_after_the_run_are_not_known():
    # Through 2027-02 the churn of A2 (2027-04-05) is in the file but not yet known.
    sb = book_through(LAND, "2027-02")
    d2 = sb.statement("ae1", parse_period("2027-02")).vesting[1]
    assert (d2.paid, d2.deferred, d2.forfeited) == (60001, 180004, 0)


def test_vesting_schedule_in_runs():
    sb = book_through(LAND, "2027-04")
    d2 = sb.statement("ae1", parse_period("2027-04")).vesting[1]
    assert [(e["what"], e["amount"], e["status"], e["when"]) for e in d2.schedule()] == [
        ("upfront", 60001, PAID, "paid 2027-02"),
        ("installments 1–2 of 12", 15000, PAID, "paid 2027-03 to 2027-04, monthly"),
        ("clawback", -90001, "clawed back", "in 2027-04"),
        ("installments 3–11 of 12", 15000, FORFEITED, "were due 2027-05 to 2028-01, monthly"),
        ("installment 12 of 12", 15004, FORFEITED, "was due 2028-02"),
    ]


def test_quarterly_vesting_and_draws():
    sb = book_through(ICM, "2027-06", ["2027-04", "2027-06"])
    st = sb.statement("ae1", parse_period("2027-06"))
    d1 = next(v for v in st.vesting if v.deal_id == "D1")
    assert [(e["what"], e["when"]) for e in d1.schedule()] == [
        ("upfront", "paid 2027-01"), ("installment 1 of 4", "paid 2027-04"),
        ("installments 2–4 of 4", "due 2027-07 to 2028-01, every 3 months")]
    draw = sb.statement("ae2", parse_period("2027-04"))
    assert (draw.net, draw.carry_in, draw.draw, draw.payout, draw.carry_out) == \
        (245000, -400000, 400000, 400000, -555000)
    assert draw.draw_line.explanation == ("draw top-up to the guaranteed minimum",
                                          "guaranteed 4,000.00, earnings payable 0.00, top-up 4,000.00")
    assert draw.payout_text == "payout = max(0, net 2,450.00 + carry in -4,000.00) + draw top-up 4,000.00 = 4,000.00"
    assert draw.carry_in_text == "carry -4,000.00 from 2027-03"
    assert draw.carry_out_text == "carry -5,550.00 into 2027-05"


def test_quota_status_from_the_last_quota_line():
    sb = book_through(LAND, "2027-12", ["2027-05", "2027-09"])
    q = sb.statement("am1", parse_period("2027-09")).quotas[0]
    assert (q.quota, q.quota_is_annual, q.credits, q.attainment, q.tier, q.multiplier, q.earned_to_date, q.as_of) == \
        (45000000, False, 48799950, "1.0844", 2, "1.5", 10139985, parse_period("2027-07"))
    assert [(b.tier, b.lower, b.upper, b.multiplier, b.reached) for b in q.bands] == [
        (1, 0, 45000000, "1", False), (2, 45000000, 67500000, "1.5", True), (3, 67500000, None, "2", False)]
    # before any line: the quota the rep is measured against, prorated (am1 starts 2027-04: 9/12 of 600,000)
    before = sb.statement("am1", parse_period("2027-05")).quotas[0]
    assert (before.quota, before.quota_is_annual, before.credits, before.tier, before.as_of, before.period_label) == \
        (45000000, False, 0, 1, None, "plan year")


def test_year_to_date_restarts_with_the_plan_year():
    sb = book_through(LAND, "2028-01", ["2027-12", "2028-01"])
    dec = sb.statement("ae1", parse_period("2027-12"))
    jan = sb.statement("ae1", parse_period("2028-01"))
    assert dec.plan_year == "2027-01 to 2027-12" and jan.plan_year == "2028-01 to 2028-12"
    # land_tcv 2027: 1,800 + 1,050.01 + 600 − 300.01 + 8 × 450
    assert [(y.component_id, y.year_to_date) for y in dec.year_to_date] == [("land_tcv", 675000),
                                                                            ("closer_expansion", 120000)]
    assert [(y.component_id, y.month, y.year_to_date) for y in jan.year_to_date] == \
        [("land_tcv", 45000, 45000), ("closer_expansion", 36000, 36000)]
    assert jan.earned_year_to_date == 81000 and jan.paid_year_to_date == 81000


from compcalc.components.quota_attainment import QuotaFacts  # noqa: E402
from compcalc.components.tcv_commission import CommissionFacts, LossFacts  # noqa: E402


def line(**kw):
    base = {"kind": "", "deal_id": "D1", "account_id": "A1", "basis": None, "rate": "", "amount": 0,
            "installment": None, "installments": None, "note": ""}
    return {**base, **kw}


def test_explanations_in_finance_words():
    sb = book_through(LAND, "2027-07", ["2027-07"])
    tcv = sb.component("nb_ae_2027", "land_tcv")
    quota = sb.component("exp_ae_2027", "net_expansion")
    assert explain(line(kind="installment", basis=540000, amount=45000, installment=4, installments=12), tcv) == \
        ["installment 4 of 12 of D1's 5,400.00"]
    # Figures come from the columns and facts; the notes below are nonsense on purpose (never parsed).
    assert explain(line(kind="upfront", basis=720000, rate="0.25", amount=180000, note="commission 1.00; 99% upfront",
                        facts=CommissionFacts(7200000, "0.10")), tcv) == \
        ["commission 10% × TCV 72,000.00 = 7,200.00", "25% of it paid upfront in the close month: 1,800.00"]
    assert explain(line(kind="forfeit", account_id="A2", basis=15000, installment=5, installments=12,
                        note="forfeited: A9 churned 1999-01-01", facts=LossFacts("churn", 24326, "2027-04-05")), tcv) == \
        ["forfeited: A2 churned 2027-04-05", "installment 5 of 12 of D1: 150.00 is not paid"]
    assert explain(line(kind="quota", basis=48799950, amount=10139985, note="attainment 1% of quota 1.00 (tier 9)",
                        facts=QuotaFacts(45000000, "1.0844", 2, 10139985, 24324, 24335)), quota) == [
        "credits to date 487,999.50 (net new expansion ARR)",
        "attainment 108.44% of quota 450,000.00",
        "tier 2: credits 450,000.00 to 675,000.00 (100% to 150% of quota) at × 1.5",
        "earned to date 101,399.85 − earned before 0.00 = 101,399.85"]
    assert explain(line(kind="manual_adjustment", amount=-10000, note="SPIF paid twice in April")) == \
        ["manual adjustment: SPIF paid twice in April"]
    assert explain(line(kind="bonus", amount=75000, note="activated 45 days after land D1 (within 90)")) == \
        ["fixed amount 750.00", "activated 45 days after land D1 (within 90)"]
    assert percent("0.030") == "3%" and percent("1.0844") == "108.44%" and percent("-1") == "-100%"


def test_safe_names():
    assert safe_file_stem("ae1") == "ae1"
    assert safe_file_stem("ae/1:x").startswith("ae_1_x-") and len(safe_file_stem("ae/1:x")) == len("ae_1_x-") + 6
    assert safe_file_stem("CON").startswith("_CON-")
    stems = file_stems(["AE1", "ae1", "bob"])
    assert stems["bob"] == "bob" and stems["AE1"].lower() != stems["ae1"].lower()
    names = sheet_names(["Register", "plan/a [x]: comp*?", "register", "History", "x" * 40, "x" * 40])
    assert names == ["Register", "plan_a _x__ comp__", "register (2)", "History_", "x" * 31, "x" * 27 + " (2)"]
    assert all(len(n) <= 31 for n in names)


def test_a_quarterly_quota_card_shows_its_period_kickers_and_true_up():
    """plan_patterns (README there): am1 on a quarterly quota with a 3,000 kicker at 100% and a true-up.
    In August (Q3) A = 130,000 of Q_P 120,000: the kicker is reached; kickers paid this plan year
    3,000 − 3,000 + 3,000 = 3,000. In December (Q4) A = 55,000: the kicker is still to reach at 120,000 of
    credits, and the true-up of 6,000 was paid."""
    from conftest import GOLDEN

    sb = book_through(GOLDEN / "plan_patterns", "2027-12", ["2027-08", "2027-12"])
    aug = sb.statement("am1", parse_period("2027-08")).quotas[0]
    assert (aug.period_label, aug.quota, aug.credits, aug.attainment, aug.earned_to_date) == \
        ("2027-07 to 2027-09", 12000000, 13000000, "1.0833", 4800000)
    assert [(k.level, k.credits_needed, k.amount, k.reached) for k in aug.kickers] == [("100%", 12000000, 300000, True)]
    assert (aug.kickers_paid, aug.next_kicker, aug.true_up) == (300000, None, 0)
    dec = sb.statement("am1", parse_period("2027-12")).quotas[0]
    assert (dec.period_label, dec.credits, dec.kickers_paid, dec.true_up) == ("2027-10 to 2027-12", 5500000, 300000, 600000)
    assert dec.next_kicker.credits_needed == 12000000 and not dec.next_kicker.reached
    assert [d.deal_id for d in dec.deals] == ["D7"]  # the quarter's credits, not the year's
