"""Closed months stay as paid; what changed in them comes back as prior-period adjustments.

Each test states its deals, derives the numbers by hand (SPEC §3 tcv_commission and quota_attainment,
§4 payouts and carry) and runs on SQLite and, when COMPCALC_TEST_PG is reachable, PostgreSQL.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from compcalc.pipeline import run
from compcalc.inputs import load_book
from compcalc.ledger import Ledger, LedgerError
from shipped import lines_table, register_table
from compcalc.periods import parse_period
from ledger_book import compute, ledger_url, lines, record, register  # noqa: F401  (ledger_url is a fixture)

# ae1: D1 lands 12,000 in January → 1,200: 300 upfront, 12 × 75 from February.
#      D2 lands 24,000 in March → 2,400: 600 upfront in March, 12 × 150 from April.
# am1: quota 1,200,000, target incentive 120,000 → base rate 0.10.
#      D3 expands 60,000 in March → 6,000; D4 30,000 in April → 9,000 earned, line 3,000.
DEALS = """\
D1,A1,new,2027-01-15,12000,ae1,12,,
D2,A2,new,2027-03-10,{d2},ae1,12,,
D3,A1,expansion,2027-03-20,{d3},am1,12,,
D4,A2,expansion,2027-04-12,30000,am1,12,,
"""


def deals(d2="24000", d3="60000"):
    return DEALS.format(d2=d2, d3=d3)


def total_net(result, rep_id):
    return int(result.register.loc[result.register["rep_id"] == rep_id, "net"].sum())


def test_march_closed_then_a_march_deal_changes_arr(tmp_path, ledger_url):
    with Ledger(ledger_url) as ledger:
        first = record(ledger, compute(tmp_path, deals(), "2027-05"))
        assert (first.run_id, first.unchanged) == (1, False)
        march_before = lines(first.result, period="2027-03")
        assert ledger.close_period(parse_period("2027-03"))[0] == [parse_period(m) for m in
                                                                   ("2027-01", "2027-02", "2027-03")]

        # D2 becomes 36,000 → 3,600: 900 upfront, 12 × 225. D3 becomes 90,000 → 9,000 by March;
        # April's quota line is 12,000 − 9,000 = 3,000 as before.
        second = record(ledger, compute(tmp_path, deals(d2="36000", d3="90000"), "2027-05"))
        assert (second.run_id, second.unchanged) == (2, False)
        result = second.result

    assert lines(result, period="2027-03") == march_before
    assert lines(result, period="2027-04") == [
        ("ae1", "2027-04", "nb_ae", "land_tcv", "D1", "installment", "75.00", ""),
        ("ae1", "2027-04", "nb_ae", "land_tcv", "D2", "installment", "225.00", ""),
        ("ae1", "2027-04", "nb_ae", "land_tcv", "D2", "prior_period_adjustment", "300.00",
         "prior-period adjustment for 2027-03: recomputed 900.00, recorded 600.00"),
        ("am1", "2027-04", "exp_ae", "net_expansion", "", "prior_period_adjustment", "3000.00",
         "prior-period adjustment for 2027-03: recomputed 9,000.00, recorded 6,000.00"),
        ("am1", "2027-04", "exp_ae", "net_expansion", "", "quota", "3000.00",
         "attainment 10.00% of quota 1200000.00 (tier 1); earned to date 12000.00"),
    ]
    assert register(result, "ae1") == [
        ("ae1", "2027-01", "300.00", "0.00", "0.00", "300.00", "0.00"),
        ("ae1", "2027-02", "75.00", "0.00", "0.00", "75.00", "0.00"),
        ("ae1", "2027-03", "675.00", "0.00", "0.00", "675.00", "0.00"),
        ("ae1", "2027-04", "600.00", "0.00", "0.00", "600.00", "0.00"),
        ("ae1", "2027-05", "300.00", "0.00", "0.00", "300.00", "0.00"),
    ]
    assert register(result, "am1") == [
        ("am1", "2027-03", "6000.00", "0.00", "0.00", "6000.00", "0.00"),
        ("am1", "2027-04", "6000.00", "0.00", "0.00", "6000.00", "0.00"),
    ]
    # Nothing is lost or paid twice: over the run, the totals equal what the new inputs imply.
    fresh = compute(tmp_path / "fresh", deals(d2="36000", d3="90000"), "2027-05")
    assert total_net(result, "ae1") == total_net(fresh, "ae1") == 195000
    assert total_net(result, "am1") == total_net(fresh, "am1") == 1200000


def test_an_adjusted_month_once_closed_counts_its_adjustments(tmp_path, ledger_url):
    with Ledger(ledger_url) as ledger:
        record(ledger, compute(tmp_path, deals(), "2027-05"))
        ledger.close_period(parse_period("2027-03"))
        record(ledger, compute(tmp_path, deals(d2="36000"), "2027-05"))
        months, run = ledger.close_period(parse_period("2027-04"))
        assert (months, run.run_id) == ([parse_period("2027-04")], 2)

        # D2 becomes 30,000 → 3,000: 750 upfront, 12 × 187.50. March was recorded at 600 and
        # adjusted by +300 in April: −150 more. April's installment was 225: −37.50. Both in May.
        result = record(ledger, compute(tmp_path, deals(d2="30000"), "2027-05")).result

    assert lines(result, "ae1", "2027-05") == [
        ("ae1", "2027-05", "nb_ae", "land_tcv", "D1", "installment", "75.00", ""),
        ("ae1", "2027-05", "nb_ae", "land_tcv", "D2", "installment", "187.50", ""),
        ("ae1", "2027-05", "nb_ae", "land_tcv", "D2", "prior_period_adjustment", "-150.00",
         "prior-period adjustment for 2027-03: recomputed 750.00, recorded 900.00"),
        ("ae1", "2027-05", "nb_ae", "land_tcv", "D2", "prior_period_adjustment", "-37.50",
         "prior-period adjustment for 2027-04: recomputed 187.50, recorded 225.00"),
    ]
    assert lines(result, "ae1", "2027-04")[2] == (
        "ae1", "2027-04", "nb_ae", "land_tcv", "D2", "prior_period_adjustment", "300.00",
        "prior-period adjustment for 2027-03: recomputed 900.00, recorded 600.00")
    assert register(result, "ae1")[-1] == ("ae1", "2027-05", "75.00", "0.00", "0.00", "75.00", "0.00")
    fresh = compute(tmp_path / "fresh", deals(d2="30000"), "2027-05")
    assert total_net(result, "ae1") == total_net(fresh, "ae1") == 172500


# ae1: D1 lands 24,000 in February → 2,400: 600 upfront, 12 × 150 from March.
LAND = "D1,A1,new,2027-02-10,24000,ae1,12,,\n"
# Entered late: A1 churned on 2027-03-20, one month after the land (< 3): everything paid on D1 through
# March (600 + 150) is clawed back in March, the installments from April are forfeited.
LATE_CHURN = "D9,A1,churn,2027-03-20,24000,am1,,,\n"


def test_a_late_churn_in_a_closed_month_claws_back_in_the_first_open_month(tmp_path, ledger_url):
    with Ledger(ledger_url) as ledger:
        record(ledger, compute(tmp_path, LAND, "2027-05"))
        ledger.close_period(parse_period("2027-03"))
        result = record(ledger, compute(tmp_path, LAND + LATE_CHURN, "2027-05")).result

    assert lines(result, "ae1", "2027-03") == [("ae1", "2027-03", "nb_ae", "land_tcv", "D1", "installment", "150.00", "")]
    assert lines(result, "ae1", "2027-04")[1] == (
        "ae1", "2027-04", "nb_ae", "land_tcv", "D1", "prior_period_adjustment", "-750.00",
        "prior-period adjustment for 2027-03: recomputed -600.00, recorded 150.00")
    assert [l[5:7] for l in lines(result, "ae1")] == [
        ("upfront", "600.00"), ("installment", "150.00"),
        ("forfeit", "0.00"), ("prior_period_adjustment", "-750.00"), ("forfeit", "0.00")]
    assert register(result, "ae1") == [
        ("ae1", "2027-02", "600.00", "0.00", "0.00", "600.00", "0.00"),
        ("ae1", "2027-03", "150.00", "0.00", "0.00", "150.00", "0.00"),
        ("ae1", "2027-04", "-750.00", "0.00", "0.00", "0.00", "-750.00"),
        ("ae1", "2027-05", "0.00", "-750.00", "0.00", "0.00", "-750.00"),
    ]
    fresh = compute(tmp_path / "fresh", LAND + LATE_CHURN, "2027-05")
    assert total_net(result, "ae1") == total_net(fresh, "ae1") == 0


def test_the_first_open_month_starts_from_the_carry_the_ledger_recorded(tmp_path, ledger_url):
    # April closes with ae1 carrying −750 (above). D5 lands 48,000 in May → 1,200 upfront, then
    # 12 × 300: May nets 1,200, repays the 750 and pays 450; June pays 300.
    new_land = "D5,A5,new,2027-05-05,48000,ae1,12,,\n"
    with Ledger(ledger_url) as ledger:
        record(ledger, compute(tmp_path, LAND, "2027-05"))
        ledger.close_period(parse_period("2027-03"))
        record(ledger, compute(tmp_path, LAND + LATE_CHURN, "2027-05"))
        ledger.close_period(parse_period("2027-04"))
        recording = record(ledger, compute(tmp_path, LAND + LATE_CHURN + new_land, "2027-06"))

    assert len(recording.adjustments) == 0
    assert register(recording.result, "ae1")[2:] == [
        ("ae1", "2027-04", "-750.00", "0.00", "0.00", "0.00", "-750.00"),
        ("ae1", "2027-05", "1200.00", "-750.00", "0.00", "450.00", "0.00"),
        ("ae1", "2027-06", "300.00", "0.00", "0.00", "300.00", "0.00"),
    ]


def test_reopened_months_are_computed_afresh(tmp_path, ledger_url):
    with Ledger(ledger_url) as ledger:
        record(ledger, compute(tmp_path, deals(), "2027-05"))
        ledger.close_period(parse_period("2027-03"))
        assert ledger.reopen_period(parse_period("2027-02"), "D2 was booked at the wrong ARR") == \
            [parse_period("2027-02"), parse_period("2027-03")]
        assert ledger.closed_through() == parse_period("2027-01")
        result = record(ledger, compute(tmp_path, deals(d2="36000"), "2027-05")).result
        events = [(e.action, e.reason) for e in ledger.events()]

    assert lines(result, "ae1", "2027-03")[1] == ("ae1", "2027-03", "nb_ae", "land_tcv", "D2", "upfront", "900.00",
                                                  "commission 3600.00; 25% upfront")
    assert [l for l in lines(result) if l[5] == "prior_period_adjustment"] == []
    assert events == [("close", None), ("reopen", "D2 was booked at the wrong ARR")]


def test_a_run_that_ends_in_a_closed_month_is_refused(tmp_path, ledger_url):
    with Ledger(ledger_url) as ledger:
        record(ledger, compute(tmp_path, deals(), "2027-05"))
        ledger.close_period(parse_period("2027-03"))
        with pytest.raises(LedgerError) as e:
            record(ledger, compute(tmp_path, deals(d2="36000"), "2027-03"))
        assert str(e.value) == (f"2027-03 is closed (the ledger {ledger.name} is closed through 2027-03): run "
                                "through 2027-04 or later, so that prior-period adjustments have an open month to go in")
        assert [r.run_id for r in ledger.runs()] == [1]


def test_close_needs_a_run_through_the_month(tmp_path, ledger_url):
    with Ledger(ledger_url) as ledger:
        with pytest.raises(LedgerError) as e:
            ledger.close_period(parse_period("2027-03"))
        assert str(e.value) == f"nothing to close: no run is recorded in the ledger {ledger.name}"
        record(ledger, compute(tmp_path, deals(), "2027-02"))
        with pytest.raises(LedgerError) as e:
            ledger.close_period(parse_period("2027-03"))
        assert str(e.value) == "cannot close 2027-03: the latest run (1) goes through 2027-02; record a run through 2027-03 first"
        assert ledger.close_period(parse_period("2027-02"))[0] == [parse_period("2027-01"), parse_period("2027-02")]
        assert ledger.close_period(parse_period("2027-01")) == ([], None)
        with pytest.raises(LedgerError) as e:
            ledger.reopen_period(parse_period("2027-03"), "because")
        assert str(e.value) == "2027-03 is not closed (closed through 2027-02)"
        with pytest.raises(LedgerError) as e:
            ledger.reopen_period(parse_period("2027-02"), "  ")
        assert str(e.value) == "reopening a closed month needs a reason (--reason)"


GOLDEN = Path(__file__).resolve().parent.parent / "golden"


def golden_book(case: str):
    folder = GOLDEN / case
    kwargs = {"plans": [folder / "plans"], "roster": folder / "roster.csv", "deals": folder / "deals.csv"}
    for name in ("milestones", "metrics", "splits", "adjustments", "fx_rates"):
        if (folder / f"{name}.csv").exists():
            kwargs[name] = folder / f"{name}.csv"
    through = re.search(r"Run through (\d{4}-\d{2})", (folder / "README.md").read_text()).group(1)
    return run(load_book(**kwargs), parse_period(through))


# ae1 carries −300.01 out of 2027-04 in land_and_expand; ae2's recoverable draw leaves −4,000 after
# 2027-03 and −5,550 after 2027-04 in icm_essentials: the open months must start from those.
@pytest.mark.parametrize("case, close", [("land_and_expand", "2027-04"), ("icm_essentials", "2027-03"),
                                         ("icm_essentials", "2027-04")])
def test_closing_a_golden_case_changes_no_amount(case, close, ledger_url):
    plain = golden_book(case)
    with Ledger(ledger_url) as ledger:
        record(ledger, plain)
        ledger.close_period(parse_period(close))
        again = record(ledger, golden_book(case))
        assert again.unchanged and len(again.adjustments) == 0
        assert lines_table(again.result.lines).equals(lines_table(plain.lines))
        assert register_table(again.result.register).equals(register_table(plain.register))


def test_the_ledger_stores_only_runs_closed_against_what_it_holds_now(tmp_path, ledger_url):
    with Ledger(ledger_url) as ledger:
        with pytest.raises(ValueError) as fresh:
            ledger.record(compute(tmp_path, deals(), "2027-05"))  # the ledger computes nothing itself
        record(ledger, compute(tmp_path, deals(), "2027-05"))
        d2 = compute(tmp_path, deals(d2="36000"), "2027-05")
        seen = run(d2.book, d2.through_month, closed=ledger.closed())  # nothing closed yet
        ledger.close_period(parse_period("2027-03"))  # ... then March closes before it is recorded
        with pytest.raises(LedgerError) as changed:
            ledger.record(seen)
        assert [r.run_id for r in ledger.runs()] == [1]
    assert str(fresh.value) == ("record needs the run as closed against this ledger: "
                                "compcalc.pipeline.run(book, through, closed=ledger.closed())")
    assert str(changed.value) == (f"the ledger {ledger.name} closed or reopened months while this run was being "
                                  "computed: run it again")
