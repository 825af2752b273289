"""Payouts, carry and draws (SPEC §4, ICM essentials "Draws"), with property tests on the register.

Nets come from manual adjustments, so each month's net is whatever the test says.
"""
from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compcalc.periods import period
from inline_book import line_rows, lines, plan, register, run_book

PLANS = plan("nb", "[]")
NO_DEALS = "deal_id,account_id,type,close_date,arr,owner_id"


def test_recoverable_and_non_recoverable_draws(tmp_path):
    """Draw 1,000 a month.

    ae1, recoverable, draw_months 3 (Jan–Mar):
      Jan net 0:      p = 0,     t = 1,000, payout 1,000, carry 0 − 1,000 = −1,000
      Feb net 400:    p = max(0, −600) = 0, t = 1,000, payout 1,000, carry −600 − 1,000 = −1,600
      Mar net 3,000:  p = 1,400, t = 0, payout 1,400, carry 0
      Apr no lines, no draw, no carry → no row.
    ae2, non_recoverable, draw_months empty = every month of its assignment (Jan–Apr):
      Jan net 0: t 1,000, carry 0; Feb net 400: t 600, payout 1,000; Mar net 1,500: payout 1,500, t 0;
      Apr net −200: p 0, t 1,000, payout 1,000, carry −200 (the draw is not recovered, the net is);
      May: no draw, carry-only row: carry −200 in and out.
    """
    result = run_book(tmp_path, through="2027-05", plans=PLANS, deals=NO_DEALS, roster="""
        rep_id,name,plan_id,start_date,end_date,draw,draw_months,draw_type
        ae1,Dana Reyes,nb,2027-01-01,,1000,3,recoverable
        ae2,Sam Ito,nb,2027-01-01,2027-04-30,1000,,non_recoverable
    """, adjustments="""
        rep_id,period,amount,reason
        ae1,2027-02,400,x
        ae1,2027-03,3000,x
        ae2,2027-02,400,x
        ae2,2027-03,1500,x
        ae2,2027-04,-200,x
    """)
    assert register(result, "ae1") == [
        ("2027-01", "0.00", "0.00", "1000.00", "1000.00", "-1000.00"),
        ("2027-02", "400.00", "-1000.00", "1000.00", "1000.00", "-1600.00"),
        ("2027-03", "3000.00", "-1600.00", "0.00", "1400.00", "0.00"),
    ]
    assert register(result, "ae2") == [
        ("2027-01", "0.00", "0.00", "1000.00", "1000.00", "0.00"),
        ("2027-02", "400.00", "0.00", "600.00", "1000.00", "0.00"),
        ("2027-03", "1500.00", "0.00", "0.00", "1500.00", "0.00"),
        ("2027-04", "-200.00", "0.00", "1000.00", "1000.00", "-200.00"),
        ("2027-05", "0.00", "-200.00", "0.00", "0.00", "-200.00"),
    ]
    assert lines(result, "ae2", "draw") == [("draw", "2027-01", "1000.00", ""), ("draw", "2027-02", "600.00", ""),
                                           ("draw", "2027-04", "1000.00", "")]
    assert {(r["plan_id"], r["basis"]) for r in line_rows(result, "ae2") if r["kind"] == "draw"} == {("", "1000.00")}


def test_draws_follow_the_assignment_start_and_end(tmp_path):
    """ae1's assignment runs 2027-02-15 … 2027-03-10 with a draw of 500 and draw_months 6: the months
    count from the assignment's start and stop at its end → draws in Feb and Mar only (carry −1,000
    afterwards, one carry-only row per month to the run's end)."""
    result = run_book(tmp_path, through="2027-05", plans=PLANS, deals=NO_DEALS, roster="""
        rep_id,name,plan_id,start_date,end_date,draw,draw_months
        ae1,Dana Reyes,nb,2027-02-15,2027-03-10,500,6
    """)
    assert register(result, "ae1") == [
        ("2027-02", "0.00", "0.00", "500.00", "500.00", "-500.00"),
        ("2027-03", "0.00", "-500.00", "500.00", "500.00", "-1000.00"),
        ("2027-04", "0.00", "-1000.00", "0.00", "0.00", "-1000.00"),
        ("2027-05", "0.00", "-1000.00", "0.00", "0.00", "-1000.00"),
    ]


def test_negative_net_is_carried_and_recovered(tmp_path):
    """Jan +100, Feb −300, Mar 0 (no line), Apr +50, May +500:
    Jan pays 100; Feb pays 0, carry −300; Mar carry-only row; Apr 50 − 300 → pays 0, carry −250;
    May 500 − 250 → pays 250, carry 0; Jun: nothing at all → no row."""
    result = run_book(tmp_path, through="2027-06", plans=PLANS, deals=NO_DEALS, roster="""
        rep_id,name,plan_id,start_date,end_date
        ae1,Dana Reyes,nb,2027-01-01,
    """, adjustments="""
        rep_id,period,amount,reason
        ae1,2027-01,100,x
        ae1,2027-02,-300,x
        ae1,2027-04,50,x
        ae1,2027-05,500,x
    """)
    assert register(result, "ae1") == [
        ("2027-01", "100.00", "0.00", "0.00", "100.00", "0.00"),
        ("2027-02", "-300.00", "0.00", "0.00", "0.00", "-300.00"),
        ("2027-03", "0.00", "-300.00", "0.00", "0.00", "-300.00"),
        ("2027-04", "50.00", "-300.00", "0.00", "0.00", "-250.00"),
        ("2027-05", "500.00", "-250.00", "0.00", "250.00", "0.00"),
    ]


# -- properties ----------------------------------------------------------------------------------

MONTHS = 8  # 2027-01 … 2027-08
FIRST = 2027 * 12


def _cents(text: str) -> int:
    return int(Decimal(text) * 100)


def _money(cents: int) -> str:
    return f"{'-' if cents < 0 else ''}{abs(cents) // 100}.{abs(cents) % 100:02d}"


draw_strategy = st.one_of(
    st.none(),
    st.tuples(st.integers(1, 300_000), st.one_of(st.none(), st.integers(0, MONTHS)),
              st.sampled_from(["recoverable", "non_recoverable"])),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(nets=st.lists(st.lists(st.integers(-500_000, 500_000), max_size=2), min_size=MONTHS, max_size=MONTHS),
       draw=draw_strategy, start=st.integers(0, MONTHS - 1), tcv=st.integers(0, 3_000_000))
def test_register_identities(nets, draw, start, tcv):
    """For any nets and draw:
    - payouts are never negative; carry is never positive;
    - each month's carry_in is the previous row's carry_out (0 after a month without a row);
    - a month's lines (other than the draw) add up to its net; the draw column is its draw line;
    - Σ payouts + final carry = Σ net + Σ non-recoverable top-ups (a recoverable top-up is paid and
      carried as −t, so it cancels; a non-recoverable one is paid on top of earnings for good).
    Without draws this is Σ payouts + final carry = Σ net.
    """
    rows = ["rep_id,period,amount,reason"]
    for i, amounts in enumerate(nets):
        rows += [f"ae1,{period(FIRST + i)},{_money(a)},x" for a in amounts]
    roster = "rep_id,name,plan_id,start_date,end_date,draw,draw_months,draw_type\n"
    start_date = f"{period(FIRST + start)}-01"
    if draw is None:
        roster += f"ae1,Dana Reyes,nb,{start_date},,,,\n"
    else:
        amount, months, kind = draw
        roster += f"ae1,Dana Reyes,nb,{start_date},,{_money(amount)},{'' if months is None else months},{kind}\n"
    # a vesting deal adds lines that are not adjustments (and a clawback of them when A1 churns)
    nb = plan("nb", """
        - {id: t, type: tcv_commission, rate: 0.1, vesting: {upfront_pct: 0.5, months: 4},
           clawback: {recover_paid_within_months: 6}}
    """)
    deals = (f"{NO_DEALS}\nD1,A1,new,{start_date},{_money(tcv)},ae1\n"
             f"C1,A1,churn,{period(FIRST + MONTHS - 2)}-15,1,ae1")
    with tempfile.TemporaryDirectory() as tmp:
        result = run_book(Path(tmp), through=period(FIRST + MONTHS - 1), plans=nb, roster=roster, deals=deals,
                          adjustments="\n".join(rows))
    reg = register(result, "ae1")
    all_lines = line_rows(result, "ae1")
    by_period: dict[str, int] = {}
    draws: dict[str, int] = {}
    for r in all_lines:
        target = draws if r["kind"] == "draw" else by_period
        target[r["period"]] = target.get(r["period"], 0) + _cents(r["amount"])
    carry = 0
    previous = None
    non_recoverable = 0
    for p, net, carry_in, drawn, payout, carry_out in reg:
        net, carry_in, drawn, payout, carry_out = map(_cents, (net, carry_in, drawn, payout, carry_out))
        assert payout >= 0 and carry_out <= 0 and drawn >= 0
        month = int(p[:4]) * 12 + int(p[5:]) - 1
        assert previous is None or month == previous + 1 or carry == 0  # a carry always has its row
        assert carry_in == (carry if previous == month - 1 else 0)
        assert net == by_period.get(p, 0)
        assert drawn == draws.get(p, 0)
        if draw is not None and draw[2] == "non_recoverable":
            non_recoverable += drawn
        carry, previous = carry_out, month
    assert set(by_period) <= {r[0] for r in reg}
    assert previous == FIRST + MONTHS - 1 or carry == 0
    assert sum(_cents(r[4]) for r in reg) + carry == sum(by_period.values()) + non_recoverable
