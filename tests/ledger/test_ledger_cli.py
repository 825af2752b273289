"""compcalc run --db, close, reopen, history and diff: exact output, exit codes, nothing half-written."""
from __future__ import annotations

import csv
import datetime as dt

import pytest
from click.testing import CliRunner

from compcalc.cli import main
from compcalc.ledger import Ledger, store
from ledger_book import cli_args, ledger_url, write_book  # noqa: F401  (ledger_url is a fixture)

# ae1: D1 lands 12,000 in January (300 upfront, 12 × 75); D2 lands 24,000 in March (600 upfront,
# 12 × 150). Later D2 turns out to be 36,000 (900 upfront, 12 × 225).
DEALS = """\
D1,A1,new,2027-01-15,12000,ae1,12,,
D2,A2,new,2027-03-10,24000,ae1,12,,
"""
CHANGED = DEALS.replace("24000", "36000")


@pytest.fixture(autouse=True)
def fixed_clock_and_user(monkeypatch):
    monkeypatch.setattr(store, "now", lambda: dt.datetime(2027, 6, 2, 9, 30, tzinfo=dt.timezone.utc))
    monkeypatch.setattr(store, "current_user", lambda: "fin")


def invoke(*args, env=None):
    return CliRunner(env=env).invoke(main, [str(a) for a in args])


def read(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def test_run_close_rerun_history_and_diff(tmp_path, ledger_url):
    write_book(tmp_path, DEALS)
    out = tmp_path / "out"
    done = invoke(*cli_args(tmp_path, "2027-05", out), "--db", ledger_url)
    assert done.exit_code == 0, done.output
    name = Ledger(ledger_url, create=False).name
    assert done.stdout.splitlines()[0] == f"ledger {name}: recorded as run 1"

    done = invoke("close", "2027-03", "--db", ledger_url)
    assert (done.exit_code, done.output) == (0, f"closed 2027-01 to 2027-03 in the ledger {name}: paid as recorded "
                                                "by run 1 (through 2027-05, recorded 2027-06-02 09:30 UTC by fin)\n")
    done = invoke("close", "2027-02", "--db", ledger_url)
    assert done.output == f"2027-02 is already closed (the ledger {name} is closed through 2027-03); nothing changed\n"

    write_book(tmp_path, CHANGED)
    done = invoke(*cli_args(tmp_path, "2027-05", out), "--db", ledger_url, "--quiet")
    assert (done.exit_code, done.output) == (0, "")
    adjustments = [r for r in read(out / "lines.csv") if r["kind"] == "prior_period_adjustment"]
    assert [(r["rep_id"], r["period"], r["component_id"], r["deal_id"], r["amount"], r["note"]) for r in adjustments] == [
        ("ae1", "2027-04", "land_tcv", "D2", "300.00", "prior-period adjustment for 2027-03: recomputed 900.00, recorded 600.00")]
    assert [(r["period"], r["payout"]) for r in read(out / "register.csv") if r["rep_id"] == "ae1"] == [
        ("2027-01", "300.00"), ("2027-02", "75.00"), ("2027-03", "675.00"), ("2027-04", "600.00"), ("2027-05", "300.00")]

    done = invoke(*cli_args(tmp_path, "2027-05", out), "--db", ledger_url)
    assert done.stdout.splitlines()[0:2] == [
        f"ledger {name}: unchanged, run 2",
        "1 prior-period adjustment in 2027-04 for closed 2027-03: net 300.00"]

    done = invoke("history", "ae1", "--db", ledger_url)
    assert done.exit_code == 0, done.output
    assert done.output.splitlines() == [
        f"ae1 in the ledger {name} (closed through 2027-03)",
        "",
        "period   status     net  carry in  draw  payout  carry out  run",
        "2027-01  paid    300.00      0.00  0.00  300.00       0.00    1",
        "2027-02  paid     75.00      0.00  0.00   75.00       0.00    1",
        "2027-03  paid    675.00      0.00  0.00  675.00       0.00    1",
        "2027-04  open    600.00      0.00  0.00  600.00       0.00    2",
        "2027-05  open    300.00      0.00  0.00  300.00       0.00    2",
        "",
        "prior-period adjustments",
        "period   corrects  plan   component  deal  amount  status  run",
        "2027-04  2027-03   nb_ae  land_tcv   D2    300.00  open      2",
        "",
        f"run 1: through 2027-05, recorded 2027-06-02 09:30 UTC by fin, inputs {Ledger(ledger_url).run(1).inputs_sha256[:12]}",
        f"run 2: through 2027-05, recorded 2027-06-02 09:30 UTC by fin, inputs {Ledger(ledger_url).run(2).inputs_sha256[:12]}",
        "2027-06-02 09:30 UTC fin: closed through 2027-03 as run 1",
    ]

    with Ledger(ledger_url) as ledger:
        deals_a, deals_b = (dict((n, s) for _, n, _, s in ledger.inputs(r))["deals"] for r in (1, 2))
    done = invoke("diff", "1", "2", "--db", ledger_url)
    assert done.output.splitlines() == [
        "run 1: through 2027-05, recorded 2027-06-02 09:30 UTC by fin",
        "run 2: through 2027-05, recorded 2027-06-02 09:30 UTC by fin",
        f"input deals changed: {deals_a[:12]} → {deals_b[:12]}",
        "",
        "rep    plan   component     run 1     run 2  change",
        "ae1    nb_ae  land_tcv   1,500.00  1,950.00  450.00",
        "total" + " " * 20 + "1,500.00  1,950.00  450.00",
    ]
    done = invoke("diff", "1", "2", "--by-period", "--db", ledger_url)
    assert done.output.splitlines()[4:] == [
        "rep    plan   component  period    run 1   run 2  change",
        "ae1    nb_ae  land_tcv   2027-04  225.00  600.00  375.00",
        "ae1    nb_ae  land_tcv   2027-05  225.00  300.00   75.00",
        "total" + " " * 29 + "450.00  900.00  450.00",
    ]
    assert invoke("diff", "2", "2", "--db", ledger_url).output.splitlines()[2:] == [
        "inputs: identical", "", "no differences in lines between run 2 and run 2"]

    done = invoke("reopen", "2027-03", "--db", ledger_url, "--reason", "D2 signed at 36,000")
    assert done.output == (f"reopened 2027-03 in the ledger {name} (closed through 2027-02 now); "
                           "reason recorded: D2 signed at 36,000\n")
    assert invoke("history", "ae1", "--db", ledger_url).output.splitlines()[-1] == \
        "2027-06-02 09:30 UTC fin: reopened from 2027-03: D2 signed at 36,000"


def test_ledger_problems_exit_2_and_write_nothing(tmp_path, ledger_url):
    write_book(tmp_path, DEALS)
    missing = tmp_path / "nowhere.db"
    done = invoke("history", "ae1", "--db", missing)
    assert (done.exit_code, done.output) == (2, f"error: no ledger at {missing}: record a run first "
                                                f"(compcalc run … --db {missing})\n")
    assert not missing.exists()

    assert invoke(*cli_args(tmp_path, "2027-03", tmp_path / "out"), "--db", ledger_url, "-q").exit_code == 0
    name = Ledger(ledger_url).name
    done = invoke("close", "2027-04", "--db", ledger_url)
    assert (done.exit_code, done.output) == (2, "error: cannot close 2027-04: the latest run (1) goes through "
                                                "2027-03; record a run through 2027-04 first\n")
    assert invoke("close", "2027-03", "--db", ledger_url).exit_code == 0
    done = invoke(*cli_args(tmp_path, "2027-03", tmp_path / "again"), "--db", ledger_url, "-q")
    assert (done.exit_code, done.output) == (2, f"error: 2027-03 is closed (the ledger {name} is closed through "
                                                "2027-03): run through 2027-04 or later, so that prior-period "
                                                "adjustments have an open month to go in\n")
    assert not (tmp_path / "again").exists()

    done = invoke("reopen", "2027-03", "--db", ledger_url)
    assert done.exit_code == 2 and "Missing option '--reason'" in done.output
    done = invoke("reopen", "2027-03", "--db", ledger_url, "--reason", " ")
    assert done.exit_code == 2 and "Invalid value for '--reason': must say why the month is reopened" in done.output
    done = invoke("close", "March", "--db", ledger_url)
    assert done.exit_code == 2 and "'March' is not a period (YYYY-MM)" in done.output
    done = invoke("history", "zz9", "--db", ledger_url)
    assert (done.exit_code, done.output) == (2, f"error: rep 'zz9' has no paid or open months in the ledger {name}\n")
    done = invoke("diff", "1", "7", "--db", ledger_url)
    assert (done.exit_code, done.output) == (2, f"error: no run 7 in the ledger {name} (runs are 1 to 1)\n")
    assert [e.action for e in Ledger(ledger_url).events()] == ["close"]


def test_where_run_records(tmp_path, monkeypatch):
    write_book(tmp_path / "book", DEALS)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("COMPCALC_DB", raising=False)
    args = cli_args(tmp_path / "book", "2027-03", tmp_path / "out")

    assert invoke(*args, "-q").exit_code == 0
    assert not (tmp_path / "compcalc.db").exists()  # no --db, no COMPCALC_DB: no ledger at all

    assert invoke(*args, "--db", "-q").exit_code == 0  # --db alone: ./compcalc.db
    assert [r.run_id for r in Ledger(str(tmp_path / "compcalc.db"), create=False).runs()] == [1]

    elsewhere = tmp_path / "finance.db"
    assert invoke(*args, "-q", env={"COMPCALC_DB": str(elsewhere)}).exit_code == 0
    assert [r.run_id for r in Ledger(str(elsewhere), create=False).runs()] == [1]
    done = invoke("history", "ae1", env={"COMPCALC_DB": str(elsewhere)})
    assert done.output.splitlines()[0] == f"ae1 in the ledger {elsewhere} (no month closed)"
    done = invoke("history", "ae1")
    assert done.output.splitlines()[0] == f"ae1 in the ledger {tmp_path / 'compcalc.db'} (no month closed)"


def test_a_ledger_inside_the_output_folder_is_refused_before_any_work(tmp_path):
    write_book(tmp_path, DEALS)
    out = tmp_path / "out"
    out.mkdir()
    done = invoke(*cli_args(tmp_path, "2027-05", out), "--db", out / "ledger.db")
    assert done.exit_code == 2
    assert f"the ledger --db {out / 'ledger.db'} is inside --out {out}, which a run replaces whole" in done.output
    assert list(out.iterdir()) == []
