"""The output folder appears whole or not at all; CSVs are exact and plain."""
from __future__ import annotations

import os
import stat

import numpy as np
import pandas as pd
import pytest

from compcalc.outputs import OutputFolderError, arrow_money, arrow_text, atomic_dir, write_arrow_csv


def test_a_finished_folder_replaces_the_old_one_whole(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "register.csv").write_text("old")
    (out / "payout_register_2027-01.xlsx").write_text("old")
    with atomic_dir(out) as tmp:
        (tmp / "lines.csv").write_text("new")
        assert not (out / "lines.csv").exists()  # nothing shows before the end
    assert sorted(p.name for p in out.iterdir()) == ["lines.csv"]
    assert stat.S_IMODE(out.stat().st_mode) == 0o777 & ~_umask()
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no temporary folder left behind


def test_a_failure_leaves_the_old_folder_untouched(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "lines.csv").write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_dir(out) as tmp:
            (tmp / "lines.csv").write_text("half")
            raise RuntimeError("crash mid-write")
    assert [p.name for p in out.iterdir()] == ["lines.csv"]
    assert (out / "lines.csv").read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_a_folder_of_someone_elses_files_or_under_a_file_is_refused(tmp_path):
    case = tmp_path / "case"
    (case / "plans").mkdir(parents=True)
    (case / "deals.csv").write_text("x")
    (case / "lines.csv").write_text("x")
    with pytest.raises(OutputFolderError, match=r"case holds files compcalc did not write \(deals.csv, plans\); "):
        with atomic_dir(case):
            pass
    assert sorted(p.name for p in case.iterdir()) == ["deals.csv", "lines.csv", "plans"]
    with pytest.raises(OutputFolderError, match=r"deals.csv is a file, not a folder$"):
        with atomic_dir(case / "deals.csv" / "out"):
            pass
    with atomic_dir(tmp_path / "empty") as tmp:  # new folders are fine, and so are empty ones
        (tmp / "lines.csv").write_text("new")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case", "empty"]


def test_money_is_written_exactly_and_text_unquoted_unless_needed(tmp_path):
    cents = np.array([180000, -30001, 5, 0, 123456789012345], dtype=np.int64)
    write_arrow_csv({"amount": arrow_money(cents, np.array([False, False, False, True, False])),
                     "note": arrow_text(["a", "b", "c", "d", "e"])}, tmp_path / "a.csv")
    assert (tmp_path / "a.csv").read_text() == \
        "amount,note\n1800.00,a\n-300.01,b\n0.05,c\n,d\n1234567890123.45,e\n"
    write_arrow_csv({"note": arrow_text(["x", 'has, comma "quoted"', "two\nlines", None]),
                     "n": arrow_money([1, 2, 3, 4])}, tmp_path / "b.csv")
    assert (tmp_path / "b.csv").read_bytes() == \
        b'note,n\nx,0.01\n"has, comma ""quoted""",0.02\n"two\nlines",0.03\n,0.04\n'
    assert pd.read_csv(tmp_path / "b.csv")["note"].tolist()[:3] == ["x", 'has, comma "quoted"', "two\nlines"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_statements_must_be_statements_and_desktop_clutter_is_ignored(tmp_path):
    out = tmp_path / "out"
    (out / "statements").mkdir(parents=True)
    (out / "statements" / "ae1_2027-01.xlsx").write_text("old")
    (out / "statements" / "bank_2024.pdf").write_text("someone's")
    with pytest.raises(OutputFolderError, match=r"holds files compcalc did not write \(statements\)"):
        with atomic_dir(out):
            pass
    (out / "statements" / "bank_2024.pdf").unlink()
    for clutter in (".DS_Store", "~$payout_register_2027-01.xlsx", "Thumbs.db"):
        (out / clutter).write_text("")
    (out / "lines.csv").write_text("old")
    with atomic_dir(out) as tmp:
        (tmp / "lines.csv").write_text("new")
    assert sorted(p.name for p in out.iterdir()) == ["lines.csv"]


def test_facts_are_written_as_name_value_pairs_whatever_is_absent():
    """lines.csv's facts column: fields in order, money as 1234.56, months as YYYY-MM, absent fields left
    out, "" for a line without facts — and for a record with every field absent (Arrow's skipping join
    would drop that row and shift every later one)."""
    from compcalc.components.tcv_commission import CommissionFacts, LossFacts
    from compcalc.outputs import arrow_facts
    from compcalc.periods import parse_period

    facts = np.array([CommissionFacts(1219600, "0.10"), None, LossFacts("churn", parse_period("2027-04"), "2027-04-05", 3),
                      CommissionFacts(None, None, None, None), CommissionFacts(-5, "0.1", 250000, 200000),
                      LossFacts("left", parse_period("2026-12"), ""), None], dtype=object)
    assert arrow_facts(facts).to_pylist() == [
        "commission_basis=12196.00;commission_rate=0.10", "",
        "cause=churn;month=2027-04;date=2027-04-05;window=3", "",
        "commission_basis=-0.05;commission_rate=0.1;uncapped=2500.00;cap=2000.00",
        "cause=left;month=2026-12;date=;window=0", ""]
    assert arrow_facts(np.array([None, None], dtype=object)).to_pylist() == ["", ""]
    assert arrow_facts(np.array([], dtype=object)).to_pylist() == []
