"""tcv_commission (SPEC §3): basis, vesting, installments, churn, clawback, leavers and promotions.

Every test is a tiny book; the comment above each assertion derives the numbers by hand.
"""
from __future__ import annotations

import math
import tempfile
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inline_book import line_rows, lines, plan, register, run_book

ROSTER = """
    rep_id,name,plan_id,start_date,end_date
    ae1,Dana Reyes,nb,2027-01-01,
"""


def monthly(first: str, count: int) -> list[str]:
    """Periods ``first`` and the ``count − 1`` months after it."""
    y, m = map(int, first.split("-"))
    out = []
    for i in range(count):
        yy, mm = divmod(y * 12 + m - 1 + i, 12)
        out.append(f"{yy:04d}-{mm + 1:02d}")
    return out


def test_basis_is_tcv_scaled_by_max_term_given_or_default(tmp_path):
    """basis = tcv × min(term, max_term_months) / term; commission = round(rate × basis).

    D1: 36,000 ARR × 36 / 12 = 108,000 TCV; capped 108,000 × 24/36 = 72,000 → 7,200.00.
    D2: explicit TCV 100,000 over 36 months; capped 100,000 × 24/36 = 66,666.666… → 6,666.67
        (basis shown 66,666.67); uncapped 10,000.00.
    D3: explicit TCV 15,000 over 12 months (< cap) → 1,500.00 either way.
    upfront_pct 1 pays it all in the close month.
    """
    result = run_book(tmp_path, through="2027-12", roster=ROSTER, plans=plan("nb", """
        - {id: capped, type: tcv_commission, rate: 0.10, max_term_months: 24, vesting: {upfront_pct: 1}}
        - {id: uncapped, type: tcv_commission, rate: 0.10, vesting: {upfront_pct: 1}}
    """), deals="""
        deal_id,account_id,type,close_date,arr,owner_id,term_months,tcv
        D1,A1,new,2027-01-15,36000,ae1,36,
        D2,A2,new,2027-01-20,30000,ae1,36,100000
        D3,A3,new,2027-01-25,10000,ae1,12,15000
    """)
    assert lines(result, "ae1", "capped") == [
        ("upfront", "2027-01", "7200.00", "D1"),
        ("upfront", "2027-01", "6666.67", "D2"),
        ("upfront", "2027-01", "1500.00", "D3"),
    ]
    assert lines(result, "ae1", "uncapped") == [
        ("upfront", "2027-01", "10800.00", "D1"),
        ("upfront", "2027-01", "10000.00", "D2"),
        ("upfront", "2027-01", "1500.00", "D3"),
    ]
    # the upfront line: basis the commission and rate the upfront share (basis × rate = amount);
    # the deal's own basis and rate are its facts
    capped = [r for r in line_rows(result, "ae1") if r["component_id"] == "capped"]
    assert [(r["basis"], r["rate"]) for r in capped] == [("7200.00", "1"), ("6666.67", "1"), ("1500.00", "1")]
    assert [r["facts"] for r in capped] == ["commission_basis=72000.00;commission_rate=0.10",
                                            "commission_basis=66666.67;commission_rate=0.10",
                                            "commission_basis=15000.00;commission_rate=0.10"]


def test_default_tcv_is_exact_not_rounded(tmp_path):
    """Default TCV = arr × term / 12, not rounded: 1,000.01 × 7 / 12 = 583.339166….

    25% of it is 145.834791… → 145.83. Had TCV been rounded to 583.34 first, 25% would be
    145.835 → 145.84. The basis column shows the TCV rounded for display: 583.34.
    """
    result = run_book(tmp_path, through="2027-12", roster=ROSTER, plans=plan("nb", """
        - {id: land_tcv, type: tcv_commission, rate: 0.25, vesting: {upfront_pct: 1}}
    """), deals="""
        deal_id,account_id,type,close_date,arr,owner_id,term_months
        D1,A1,new,2027-03-02,1000.01,ae1,7
    """)
    assert lines(result, "ae1") == [("upfront", "2027-03", "145.83", "D1")]
    assert line_rows(result, "ae1")[0]["facts"] == "commission_basis=583.34;commission_rate=0.25"


def test_quarterly_vesting_counts_ceil_months_over_three_installments(tmp_path):
    """Commission 10% × 12,000 = 1,200, no upfront, closed 2027-01.

    quarterly 18 months → 6 installments of 200.00 in close+3, +6, … +18 (2027-04 … 2028-07);
    quarterly 12 months → 4 × 300.00 (2027-04, -07, -10, 2028-01);
    quarterly 13 months → ceil(13/3) = 5 × 240.00 (2027-04 … 2028-04).
    upfront_pct 0 pays nothing upfront, so there is no upfront line (a zero is no money movement).
    """
    result = run_book(tmp_path, through="2028-12", roster=ROSTER, plans=plan("nb", """
        - {id: q18, type: tcv_commission, rate: 0.10, vesting: {months: 18, cadence: quarterly}}
        - {id: q12, type: tcv_commission, rate: 0.10, vesting: {months: 12, cadence: quarterly}}
        - {id: q13, type: tcv_commission, rate: 0.10, vesting: {months: 13, cadence: quarterly}}
    """), deals="""
        deal_id,account_id,type,close_date,arr,owner_id
        D1,A1,new,2027-01-31,12000,ae1
    """)
    assert lines(result, "ae1", "q18") == [("installment", p, "200.00", "D1") for p in
                                           ["2027-04", "2027-07", "2027-10", "2028-01", "2028-04", "2028-07"]]
    assert lines(result, "ae1", "q12") == [("installment", p, "300.00", "D1") for p in
                                           ["2027-04", "2027-07", "2027-10", "2028-01"]]
    assert lines(result, "ae1", "q13") == [("installment", p, "240.00", "D1") for p in
                                           ["2027-04", "2027-07", "2027-10", "2028-01", "2028-04"]]
    numbering = [(r["installment"], r["installments"]) for r in line_rows(result, "ae1") if r["component_id"] == "q18"]
    assert numbering == [(str(k), "6") for k in range(1, 7)]


def test_installments_round_each_and_the_last_takes_the_remainder(tmp_path):
    """Commission 10% × 1,000 = 100.00 over 7 monthly installments from 2027-02.

    Each is round(100 / 7) = round(14.2857…) = 14.29; six of them make 85.74, so the last is 14.26.
    """
    result = run_book(tmp_path, through="2027-12", roster=ROSTER, plans=plan("nb", """
        - {id: land_tcv, type: tcv_commission, rate: 0.10, vesting: {months: 7}}
    """), deals="""
        deal_id,account_id,type,close_date,arr,owner_id
        D1,A1,new,2027-01-10,1000,ae1
    """)
    assert lines(result, "ae1") == [("installment", p, "14.29", "D1") for p in monthly("2027-02", 6)] + \
        [("installment", "2027-08", "14.26", "D1")]


def test_upfront_all_or_no_vesting_months_pays_everything_in_the_close_month(tmp_path):
    """10% × 12,000 = 1,200.

    upfront_pct 1 (months 12): 1,200 upfront in 2027-05, nothing left to vest, so no installment lines.
    months 0 (upfront_pct 0.25): nothing vests, so SPEC's "rest in n = months installments" is empty;
    the whole 1,200 is paid as the upfront line in the close month (reading: n = 0 leaves no rest).
    """
    result = run_book(tmp_path, through="2028-12", roster=ROSTER, plans=plan("nb", """
        - {id: all_upfront, type: tcv_commission, rate: 0.10, vesting: {upfront_pct: 1, months: 12}}
        - {id: no_months, type: tcv_commission, rate: 0.10, vesting: {upfront_pct: 0.25, months: 0}}
    """), deals="""
        deal_id,account_id,type,close_date,arr,owner_id
        D1,A1,new,2027-05-10,12000,ae1
    """)
    assert lines(result, "ae1", "all_upfront") == [("upfront", "2027-05", "1200.00", "D1")]
    assert lines(result, "ae1", "no_months") == [("upfront", "2027-05", "1200.00", "D1")]


def test_churn_forfeits_later_installments_unless_switched_off(tmp_path):
    """10% × 12,000 = 1,200, no upfront, 12 × 100.00 from 2027-02; A1 churns 2027-04-10 (c = 2027-04).

    forfeit_unvested_on_churn (default): Feb–Apr paid; May 2027 – Jan 2028 forfeited (amount 0,
    basis 100.00). false: all twelve paid. No clawback (window 0).
    """
    result = run_book(tmp_path, through="2028-12", roster=ROSTER, plans=plan("nb", """
        - {id: forfeit, type: tcv_commission, rate: 0.10}
        - {id: keep, type: tcv_commission, rate: 0.10, clawback: {forfeit_unvested_on_churn: false}}
    """), deals="""
        deal_id,account_id,type,close_date,arr,owner_id
        D1,A1,new,2027-01-15,12000,ae1
        D2,A1,churn,2027-04-10,12000,ae1
    """)
    assert lines(result, "ae1", "forfeit") == [("installment", p, "100.00", "D1") for p in monthly("2027-02", 3)] + \
        [("forfeit", p, "0.00", "D1") for p in monthly("2027-05", 9)]
    assert lines(result, "ae1", "keep") == [("installment", p, "100.00", "D1") for p in monthly("2027-02", 12)]
    forfeits = [r for r in line_rows(result, "ae1") if r["kind"] == "forfeit"]
    assert {(r["basis"], r["note"]) for r in forfeits} == {("100.00", "forfeited: A1 churned 2027-04-10")}
    assert [r["installment"] for r in forfeits] == [str(k) for k in range(4, 13)]


def test_clawback_window_boundary(tmp_path):
    """recover_paid_within_months 3; 10% × 12,000 = 1,200: 300.00 upfront, 12 × 75.00 from 2027-02.

    A1 churns 2027-03: c − close = 2 = window − 1 < 3 → everything paid through March
    (300 + 75 + 75 = 450.00) is clawed back in 2027-03; April on forfeited.
    A2 churns 2027-04: c − close = 3 = window → no clawback; May on forfeited.
    """
    result = run_book(tmp_path, through="2028-12", roster=ROSTER, plans=plan("nb", """
        - id: land_tcv
          type: tcv_commission
          rate: 0.10
          vesting: {upfront_pct: 0.25, months: 12}
          clawback: {recover_paid_within_months: 3}
    """), deals="""
        deal_id,account_id,type,close_date,arr,owner_id
        D1,A1,new,2027-01-15,12000,ae1
        D2,A2,new,2027-01-20,12000,ae1
        C1,A1,churn,2027-03-31,12000,ae1
        C2,A2,churn,2027-04-01,12000,ae1
    """)
    got = lines(result, "ae1")
    assert [x for x in got if x[3] == "D1"] == [
        ("upfront", "2027-01", "300.00", "D1"),
        ("installment", "2027-02", "75.00", "D1"),
        ("clawback", "2027-03", "-450.00", "D1"),
        ("installment", "2027-03", "75.00", "D1"),
    ] + [("forfeit", p, "0.00", "D1") for p in monthly("2027-04", 10)]
    assert [x for x in got if x[3] == "D2"] == [("upfront", "2027-01", "300.00", "D2")] + \
        [("installment", p, "75.00", "D2") for p in monthly("2027-02", 3)] + \
        [("forfeit", p, "0.00", "D2") for p in monthly("2027-05", 9)]
    claw = [r for r in line_rows(result, "ae1") if r["kind"] == "clawback"]
    assert [(r["basis"], r["note"]) for r in claw] == \
        [("450.00", "clawed back: A1 churned 2027-03-31 (within 3 months of close)")]


def test_clawback_applies_even_when_unvested_installments_are_kept(tmp_path):
    """The two clawback settings are independent (reading of SPEC: the clawback sentence has no condition
    on forfeit_unvested_on_churn). 1,200: 300 upfront + 75/month; A1 churns 2027-02 (1 month < 2):
    300 + 75 = 375.00 clawed back in 2027-02; installments keep being paid (nothing forfeited).
    """
    result = run_book(tmp_path, through="2028-12", roster=ROSTER, plans=plan("nb", """
        - id: land_tcv
          type: tcv_commission
          rate: 0.10
          vesting: {upfront_pct: 0.25, months: 12}
          clawback: {forfeit_unvested_on_churn: false, recover_paid_within_months: 2}
    """), deals="""
        deal_id,account_id,type,close_date,arr,owner_id
        D1,A1,new,2027-01-15,12000,ae1
        C1,A1,churn,2027-02-20,12000,ae1
    """)
    got = lines(result, "ae1")
    assert ("clawback", "2027-02", "-375.00", "D1") in got
    assert [x for x in got if x[0] == "installment"] == [("installment", p, "75.00", "D1") for p in monthly("2027-02", 12)]
    assert not [x for x in got if x[0] == "forfeit"]


LEAVER_PLANS = [
    plan("nb", "- {id: land_tcv, type: tcv_commission, rate: 0.10}"),
    plan("nb_senior", "- {id: senior_tcv, type: tcv_commission, rate: 0.20}"),
]


def test_leaver_forfeits_after_the_end_of_the_last_assignment_promotion_does_not(tmp_path):
    """Each rep closes a 12,000 land on 2027-01-15 on plan nb: 10% → 12 × 100.00 from 2027-02.

    ae1 leaves 2027-05-20 (e = 2027-05): Feb–May paid, Jun 2027 – Jan 2028 forfeited.
    ae2 is promoted to nb_senior on 2027-06-01 (open): all 12 paid, still plan nb / land_tcv.
    ae3 is promoted 2027-04-01 and leaves 2027-08-31: the end of the LAST assignment counts, so
    Feb–Aug paid (under nb), Sep 2027 – Jan 2028 forfeited.
    """
    result = run_book(tmp_path, through="2028-12", plans=LEAVER_PLANS, roster="""
        rep_id,name,plan_id,start_date,end_date
        ae1,Dana Reyes,nb,2027-01-01,2027-05-20
        ae2,Sam Ito,nb,2027-01-01,2027-05-31
        ae2,Sam Ito,nb_senior,2027-06-01,
        ae3,Lee Park,nb,2027-01-01,2027-03-31
        ae3,Lee Park,nb_senior,2027-04-01,2027-08-31
    """, deals="""
        deal_id,account_id,type,close_date,arr,owner_id
        D1,A1,new,2027-01-15,12000,ae1
        D2,A2,new,2027-01-15,12000,ae2
        D3,A3,new,2027-01-15,12000,ae3
    """)
    assert lines(result, "ae1") == [("installment", p, "100.00", "D1") for p in monthly("2027-02", 4)] + \
        [("forfeit", p, "0.00", "D1") for p in monthly("2027-06", 8)]
    assert lines(result, "ae2") == [("installment", p, "100.00", "D2") for p in monthly("2027-02", 12)]
    assert lines(result, "ae3") == [("installment", p, "100.00", "D3") for p in monthly("2027-02", 7)] + \
        [("forfeit", p, "0.00", "D3") for p in monthly("2027-09", 5)]
    rows = line_rows(result)
    assert {(r["rep_id"], r["plan_id"], r["component_id"]) for r in rows} == \
        {("ae1", "nb", "land_tcv"), ("ae2", "nb", "land_tcv"), ("ae3", "nb", "land_tcv")}
    assert {r["note"] for r in rows if r["rep_id"] == "ae1" and r["kind"] == "forfeit"} == \
        {"forfeited: rep left in 2027-05"}


def test_half_even_and_half_up_on_exact_half_cents(tmp_path):
    """Commission 10% × 10.00 = 1.00; upfront 12.5% of it = 0.125; the rest vests over 7 months.

    half_up:   upfront 0.13; rest 0.87 / 7 = 0.124… → 0.12 × 6 = 0.72, last 0.15.
    half_even: upfront 0.12; rest 0.88 / 7 = 0.1257… → 0.13 × 6 = 0.78, last 0.10.
    A second deal: 10% × 1.25 = 0.125 → 0.13 half_up, 0.12 half_even (all upfront).
    """
    comps = """
        - {id: land_tcv, type: tcv_commission, rate: 0.10, deal_types: [new], vesting: {upfront_pct: 0.125, months: 7}}
        - {id: flat, type: tcv_commission, rate: 0.10, deal_types: [expansion], vesting: {upfront_pct: 1}}
    """
    result = run_book(tmp_path, through="2027-12", roster="""
        rep_id,name,plan_id,start_date,end_date
        up,Half Up,p_up,2027-01-01,
        even,Half Even,p_even,2027-01-01,
    """, plans=[plan("p_up", comps, rounding="half_up"), plan("p_even", comps, rounding="half_even")], deals="""
        deal_id,account_id,type,close_date,arr,owner_id
        U1,A1,new,2027-01-10,10,up
        E1,A2,new,2027-01-10,10,even
        U2,A1,expansion,2027-01-11,1.25,up
        E2,A2,expansion,2027-01-11,1.25,even
    """)
    assert lines(result, "up", "land_tcv") == [("upfront", "2027-01", "0.13", "U1")] + \
        [("installment", p, "0.12", "U1") for p in monthly("2027-02", 6)] + [("installment", "2027-08", "0.15", "U1")]
    assert lines(result, "even", "land_tcv") == [("upfront", "2027-01", "0.12", "E1")] + \
        [("installment", p, "0.13", "E1") for p in monthly("2027-02", 6)] + [("installment", "2027-08", "0.10", "E1")]
    assert lines(result, "up", "flat") == [("upfront", "2027-01", "0.13", "U2")]
    assert lines(result, "even", "flat") == [("upfront", "2027-01", "0.12", "E2")]


# -- property: the pieces add up to the commission -----------------------------------------------

def _round(value: Fraction, mode: str) -> int:
    q, r = divmod(abs(value.numerator), value.denominator)
    if 2 * r > value.denominator or (2 * r == value.denominator and (mode == "half_up" or q % 2)):
        q += 1
    return q if value >= 0 else -q


deal_strategy = st.tuples(st.integers(1, 5_000_000_00), st.integers(1, 60), st.booleans())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rate=st.decimals(0, 1, places=4), upfront=st.decimals(0, 1, places=3), months=st.integers(0, 40),
       cadence=st.sampled_from(["monthly", "quarterly"]), rounding=st.sampled_from(["half_up", "half_even"]),
       max_term=st.one_of(st.none(), st.integers(1, 48)), deals=st.lists(deal_strategy, min_size=1, max_size=6))
def test_upfront_plus_installments_is_the_commission(rate, upfront, months, cadence, rounding, max_term, deals):
    """For any rate, TCV, upfront, months, cadence and rounding: upfront + installments = commission
    = round(rate × basis), every installment but the last is round(rest / n), installments fall in
    close + k × step, numbered k of n = months (monthly) or ceil(months / 3) (quarterly); an
    installment worth 0 is no money movement and has no line."""
    cap = "" if max_term is None else f", max_term_months: {max_term}"
    text = plan("nb", f"""
        - {{id: t, type: tcv_commission, rate: {rate}{cap},
            vesting: {{upfront_pct: {upfront}, months: {months}, cadence: {cadence}}}}}
    """, rounding=rounding)
    rows = ["deal_id,account_id,type,close_date,arr,owner_id,term_months,tcv"]
    for i, (cents, term, explicit) in enumerate(deals):
        money = f"{cents // 100}.{cents % 100:02d}"
        rows.append(f"D{i},A{i},new,2027-0{1 + i % 6}-15,{money},ae1,{term},{money if explicit else ''}")
    with tempfile.TemporaryDirectory() as tmp:
        result = run_book(Path(tmp), through="2031-12", roster=ROSTER, plans=text, deals="\n".join(rows))
    got = line_rows(result, "ae1")
    n, step = (months, 1) if cadence == "monthly" else (math.ceil(months / 3), 3)
    for i, (cents, term, explicit) in enumerate(deals):
        tcv = Fraction(cents) if explicit else Fraction(cents * term, 12)
        if max_term is not None:
            tcv *= Fraction(min(term, max_term), term)
        commission = _round(Fraction(rate) * tcv, rounding)
        mine = [r for r in got if r["deal_id"] == f"D{i}"]
        cents_of = [int(Decimal(r["amount"]) * 100) for r in mine]
        assert sum(cents_of) == commission
        up = [r for r in mine if r["kind"] == "upfront"]
        inst = [r for r in mine if r["kind"] == "installment"]
        assert len(up) + len(inst) == len(mine)
        upfront_cents = sum(int(Decimal(r["amount"]) * 100) for r in up)
        assert upfront_cents == (commission if n == 0 else _round(Fraction(upfront) * commission, rounding))
        if n == 0:
            assert not inst
            continue
        rest = commission - upfront_cents
        each = _round(Fraction(rest, n), rounding)
        schedule = [(k, each) for k in range(1, n)] + [(n, rest - each * (n - 1))]
        close = 2027 * 12 + i % 6
        want = [(k, close + k * step, value) for k, value in schedule if value != 0]
        got_inst = []
        for r in inst:
            y, m = map(int, r["period"].split("-"))
            got_inst.append((int(r["installment"]), y * 12 + m - 1, int(Decimal(r["amount"]) * 100)))
        assert got_inst == want
        assert {r["installments"] for r in inst} <= {str(n)}


def test_register_of_a_vesting_rep(tmp_path):
    """The register follows the lines: 1,200 on 12 × 100 from 2027-02 → net 100.00 each month."""
    result = run_book(tmp_path, through="2027-04", roster=ROSTER, plans=plan("nb", """
        - {id: land_tcv, type: tcv_commission, rate: 0.10}
    """), deals="""
        deal_id,account_id,type,close_date,arr,owner_id
        D1,A1,new,2027-01-15,12000,ae1
    """)
    assert register(result, "ae1") == [(p, "100.00", "0.00", "0.00", "100.00", "0.00") for p in monthly("2027-02", 3)]
