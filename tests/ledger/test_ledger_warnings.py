"""The ledger warns before history is lost (issue 14): reopening many months, re-paying reopened
months, closing a month no run covered, listing runs, and diffs of runs over different months."""
from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from compcalc.cli import main
from compcalc.ledger import Ledger, store
from ledger_book import cli_args, record, write_book

DEALS = """\
D1,A1,new,2027-01-15,12000,ae1,12,,
D2,A2,new,2027-03-10,24000,ae1,12,,
"""


@pytest.fixture(autouse=True)
def fixed_clock_and_user(monkeypatch):
    monkeypatch.setattr(store, "now", lambda: dt.datetime(2027, 6, 2, 9, 30, tzinfo=dt.timezone.utc))
    monkeypatch.setattr(store, "current_user", lambda: "fin")


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def ledger(tmp_path):
    """Run 1 through 2027-05 recorded, 2027-01 to 2027-03 closed."""
    write_book(tmp_path, DEALS)
    db = tmp_path / "ledger.db"
    assert invoke(*cli_args(tmp_path, "2027-05", tmp_path / "out"), "--db", db, "-q").exit_code == 0
    assert invoke("close", "2027-03", "--db", db).exit_code == 0
    return db


def test_reopening_several_months_lists_them_and_needs_yes(tmp_path, ledger):
    done = invoke("reopen", "2027-02", "--db", ledger, "--reason", "typo")
    assert (done.exit_code, done.output) == (2, "reopening 2027-02 reopens 2 closed months: 2027-02, 2027-03; "
                                                "run again with --yes to reopen them\n")
    with Ledger(str(ledger)) as led:
        assert led.closed_through() is not None and len(led.closed_periods()) == 3
    done = invoke("reopen", "2027-02", "--db", ledger, "--reason", "D2 ARR", "--yes")
    assert done.exit_code == 0 and done.output.startswith("reopened 2027-02 to 2027-03 in the ledger")
    assert invoke("reopen", "2027-01", "--db", ledger, "--reason", "one month").exit_code == 0  # one: no --yes


def test_a_rerun_that_changes_reopened_paid_months_says_so_and_history_keeps_what_was_paid(tmp_path, ledger):
    assert invoke("reopen", "2027-03", "--db", ledger, "--reason", "D2 signed at 36,000").exit_code == 0
    write_book(tmp_path, DEALS.replace("24000", "36000"))
    done = invoke(*cli_args(tmp_path, "2027-05", tmp_path / "out"), "--db", ledger, "-q")
    # 2027-03 was paid 675.00 (75 + 600 upfront); now 75 + 900
    assert (done.exit_code, done.stderr) == (0, "warning: 2027-03 was paid as run 1 and then reopened; this run "
                                                "changes its payouts from 675.00 to 975.00 (1 rep): what was paid "
                                                "stays in `compcalc history`\n")
    history = invoke("history", "ae1", "--db", ledger).output.splitlines()
    assert history[2:8] == [
        "period   status          net  carry in  draw  payout  carry out  run",
        "2027-01  paid         300.00      0.00  0.00  300.00       0.00    1",
        "2027-02  paid          75.00      0.00  0.00   75.00       0.00    1",
        "2027-03  paid before  675.00      0.00  0.00  675.00       0.00    1",
        "2027-03  open         975.00      0.00  0.00  975.00       0.00    2",
        "2027-04  open         300.00      0.00  0.00  300.00       0.00    2",
    ]


def test_closing_a_month_no_run_covered_is_refused(tmp_path, ledger):
    done = invoke("close", "2026-06", "--db", ledger)
    assert done.exit_code == 0 and "already closed" in done.output  # before 2027-03: closed already
    fresh = tmp_path / "fresh.db"
    assert invoke(*cli_args(tmp_path, "2027-05", tmp_path / "out2"), "--db", fresh, "-q").exit_code == 0
    done = invoke("close", "2026-06", "--db", fresh)
    assert (done.exit_code, done.output) == (2, "error: cannot close 2026-06: no recorded run covers it (the "
                                                "latest, run 1, covers 2027-01 to 2027-05)\n")


def test_runs_lists_runs_and_closed_months(tmp_path, ledger):
    done = invoke("runs", "--db", ledger)
    sha = Ledger(str(ledger)).run(1).inputs_sha256[:12]
    lines = Ledger(str(ledger)).run(1).line_count
    assert (done.exit_code, done.output.splitlines()) == (0, [
        f"the ledger {ledger}: 1 run",
        f"run 1: 2027-01 to 2027-05, recorded 2027-06-02 09:30 UTC by fin, {lines:,} lines, inputs {sha}",
        "closed 2027-01 to 2027-03: paid as run 1",
    ])


def test_diff_separates_months_one_run_covers_from_changed_amounts(tmp_path, ledger):
    assert invoke(*cli_args(tmp_path, "2027-07", tmp_path / "out"), "--db", ledger, "-q").exit_code == 0
    done = invoke("diff", "1", "2", "--db", ledger)
    # run 2 adds 2027-06 and 2027-07 (2 × (75 + 150) installments); the months both cover are unchanged
    assert done.output.splitlines()[2:] == [
        "inputs: identical",
        "",
        "only run 2 covers 2027-06 to 2027-07: lines 450.00, not compared",
        "months both cover: 2027-01 to 2027-05",
        "",
        "no differences in lines between run 1 and run 2",
    ]


def test_a_reason_with_control_characters_is_refused(tmp_path, ledger):
    done = invoke("reopen", "2027-03", "--db", ledger, "--reason", "typo\x1b[2J")
    assert done.exit_code == 2
    assert ("Invalid value for '--reason': holds the control character U+001B (not allowed in text)"
            in done.output)


def test_a_statements_vesting_block_shows_what_a_fresh_run_shows_adjustments_included(tmp_path):
    """Closed through 2027-03, D2 corrected from 24,000 to 36,000: the fresh run pays a 3,600.00
    commission, 900.00 upfront in 2027-03 (600.00 as recorded + the 300.00 adjustment in 2027-04)."""
    from compcalc.periods import parse_period
    from compcalc.statements import StatementBook
    from ledger_book import compute

    db = str(tmp_path / "ledger.db")
    with Ledger(db) as led:
        record(led, compute(tmp_path, DEALS, "2027-05"))
        led.close_period(parse_period("2027-03"))
        recorded = record(led, compute(tmp_path, DEALS.replace("24000", "36000"), "2027-05")).result
    statement = StatementBook(recorded, [parse_period("2027-05")]).statement("ae1", parse_period("2027-05"))
    d2 = next(v for v in statement.vesting if v.deal_id == "D2")
    fresh = StatementBook(compute(tmp_path, DEALS.replace("24000", "36000"), "2027-05"),
                          [parse_period("2027-05")]).statement("ae1", parse_period("2027-05"))
    assert d2 == next(v for v in fresh.vesting if v.deal_id == "D2")
    assert (d2.upfront, d2.commission, d2.paid) == (90000, 360000, 90000 + 2 * 22500)
