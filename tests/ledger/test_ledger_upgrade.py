"""A ledger written by the release before line facts (schema 0001) upgrades in place: its closed months
are paid as recorded, statements still render, and new runs store their lines' facts."""
from __future__ import annotations

import csv
import shutil
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from compcalc.cli import main

OLD = Path(__file__).parent / "ledger_0_1"


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_an_old_ledger_upgrades_in_place_with_its_closed_months_unchanged(tmp_path):
    db = tmp_path / "ledger.sqlite"
    shutil.copy(OLD / "ledger.sqlite", db)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT version_num FROM ledger_schema_version").fetchall() == [("0001",)]
        closed = conn.execute("SELECT rep_id, period, net, payout, carry_out FROM run_register "
                              "WHERE run_id = 1 ORDER BY rep_id, period").fetchall()
    assert closed == [("ae1", 202701, 120000, 120000, 0), ("ae1", 202702, 60000, 60000, 0),
                      ("am1", 202702, 3000000, 3000000, 0)]

    out = tmp_path / "out"
    r = invoke("run", "--plans", OLD / "plans", "--roster", OLD / "roster.csv", "--deals", OLD / "deals.csv",
               "--through", "2027-03", "--out", out, "--db", db, "--quiet")
    assert r.exit_code == 0, r.output
    with (out / "register.csv").open(newline="") as f:
        register = [(x["rep_id"], x["period"], x["net"], x["payout"], x["carry_out"]) for x in csv.DictReader(f)]
    assert register[:3] == [("ae1", "2027-01", "1200.00", "1200.00", "0.00"), ("ae1", "2027-02", "600.00", "600.00", "0.00"),
                            ("ae1", "2027-03", "0.00", "0.00", "0.00")]
    assert ("am1", "2027-02", "30000.00", "30000.00", "0.00") in register
    html = (out / "statements" / "ae1_2027-03.html").read_text(encoding="utf-8")
    assert "D1" in html and "4,800.00" in html  # D1's commission, from the old run's upfront line or the new one

    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT version_num FROM ledger_schema_version").fetchall() == [("0002",)]
        assert conn.execute("SELECT count(*) FROM run_lines WHERE run_id < 3 AND facts IS NOT NULL").fetchone() == (0,)
        # closed months are paid as recorded (no facts then); the open month's lines carry theirs
        closed_facts = conn.execute("SELECT count(*) FROM run_lines WHERE run_id = 3 AND period <= 202702 "
                                    "AND facts IS NOT NULL").fetchone()
        claw = conn.execute("SELECT amount, facts FROM run_lines WHERE run_id = 3 AND kind = 'clawback'").fetchall()
    assert closed_facts == (0,)
    assert claw == [(-37500, '{"type":"LossFacts","cause":"churn","month":24326,"date":"2027-03-05","window":3}')]
    history = invoke("history", "ae1", "--db", db)
    assert "2027-01  paid    1,200.00" in history.output and "2027-02  paid      600.00" in history.output
