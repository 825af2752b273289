"""`compcalc accounting --db` sees the ledger's closed months as paid, and only reads the ledger.

ae1 (ledger_book): D2 lands 24,000 in March → 600.00 upfront, recorded and closed; D2 then becomes
36,000 → 900.00 upfront. Fresh, the schedule capitalises 900.00 in March; against the ledger, March
keeps the 600.00 paid and April capitalises the 225.00 installment + the 300.00 prior-period
adjustment = 525.00. Amortisation over 36 months: March 600 / 36 = 16.67; April (600 + 300 + 225) / 36
= 31.25; April's balance 583.33 + 525.00 − 31.25 = 1,077.08.
"""
from __future__ import annotations

import csv

from click.testing import CliRunner

from compcalc.cli import main
from ledger_book import cli_args, snapshot, write_book
from compcalc.ledger import Ledger
from test_ledger_periods import deals


def d2_rows(folder):
    with (folder / "accounting.csv").open(newline="", encoding="utf-8") as f:
        return [(r["period"], r["capitalised"], r["amortisation"], r["balance"])
                for r in csv.DictReader(f) if r["deal_id"] == "D2"]


def test_accounting_with_the_ledger_takes_closed_months_as_paid(tmp_path):
    db = str(tmp_path / "ledger.db")
    write_book(tmp_path / "book", deals())
    assert CliRunner().invoke(main, cli_args(tmp_path / "book", "2027-05", tmp_path / "run") + ["--db", db]).exit_code == 0
    assert CliRunner().invoke(main, ["close", "2027-03", "--db", db]).exit_code == 0
    write_book(tmp_path / "book", deals(d2="36000"))
    book = cli_args(tmp_path / "book", "2027-05", tmp_path / "unused")[1:-2]
    with Ledger(db) as ledger:
        before = snapshot(ledger)

    fresh = CliRunner().invoke(main, ["accounting", *book, "--out", str(tmp_path / "fresh"), "--quiet"])
    paid = CliRunner().invoke(main, ["accounting", *book, "--out", str(tmp_path / "paid"), "--quiet", "--db", db])
    assert (fresh.exit_code, paid.exit_code) == (0, 0), fresh.output + paid.output
    assert d2_rows(tmp_path / "fresh")[:2] == [("2027-03", "900.00", "25.00", "875.00"),
                                                ("2027-04", "225.00", "31.25", "1068.75")]
    assert d2_rows(tmp_path / "paid")[:2] == [("2027-03", "600.00", "16.67", "583.33"),
                                               ("2027-04", "525.00", "31.25", "1077.08")]
    with Ledger(db) as ledger:
        assert snapshot(ledger) == before  # read only: no run recorded


def test_accounting_with_a_ledger_that_does_not_exist_exits_2_and_writes_nothing(tmp_path):
    write_book(tmp_path / "book", deals())
    book = cli_args(tmp_path / "book", "2027-05", tmp_path / "unused")[1:-2]
    missing = tmp_path / "missing.db"
    done = CliRunner().invoke(main, ["accounting", *book, "--out", str(tmp_path / "out"), "--db", str(missing)])
    assert (done.exit_code, done.output) == (2, f"error: no ledger at {missing}: record a run first "
                                                f"(compcalc run … --db {missing})\n")
    assert not (tmp_path / "out").exists() and not missing.exists()
