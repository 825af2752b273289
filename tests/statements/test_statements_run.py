"""compcalc run writes statements and the payout register inside its atomic output folder."""
from __future__ import annotations

from openpyxl import load_workbook

import compcalc.statements as docs
from compcalc.pipeline import run
from compcalc.inputs import load_book
from compcalc.periods import parse_period
from conftest import case_files
from statement_files import ICM, LAND, read_csv, run_cli, statement_keys


def test_default_writes_the_through_months_statements_and_register(tmp_path):
    out = tmp_path / "out"
    result = run_cli(LAND, out, "--quiet")
    assert result.exit_code == 0 and result.output == ""
    assert sorted(p.name for p in (out / "statements").iterdir()) == [
        "ae1_2028-01.html", "ae1_2028-01.xlsx", "am1_2028-01.html", "am1_2028-01.xlsx",
        "cs1_2028-01.html", "cs1_2028-01.xlsx"]  # cs1 earned nothing in 2028-01 but is on the team
    assert (out / "payout_register_2028-01.xlsx").exists() and (out / "payout_register_2028-01.html").exists()


def test_statements_none_and_all(tmp_path):
    none = tmp_path / "none"
    assert run_cli(ICM, none, "--statements", "none", "--quiet").exit_code == 0
    assert not (none / "statements").exists()
    assert (none / "payout_register_2027-06.xlsx").exists()  # payroll still gets its register
    every = tmp_path / "all"
    assert run_cli(ICM, every, "--statements", "all", "--quiet").exit_code == 0
    register = read_csv(every / "register.csv")
    assert sorted(p.stem for p in (every / "statements").glob("*.xlsx")) == \
        sorted(f"{rep}_{p}" for rep, p in statement_keys(ICM, register))
    bad = run_cli(ICM, tmp_path / "bad", "--statements", "some")
    assert bad.exit_code == 2 and "'some' is not one of 'none', 'through', 'all'" in bad.output
    assert not (tmp_path / "bad").exists()


def test_progress_bar_unless_quiet(tmp_path):
    loud = run_cli(LAND, tmp_path / "loud")
    assert loud.exit_code == 0
    assert "Writing statements" in loud.output and "written to" in loud.output
    quiet = run_cli(LAND, tmp_path / "quiet", "-q")
    assert quiet.exit_code == 0 and quiet.output == ""


def test_pdf_without_chromium_says_how_to_install_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.delenv("COMPCALC_CHROMIUM", raising=False)
    out = tmp_path / "out"
    result = run_cli(LAND, out, "--pdf")
    assert result.exit_code == 2
    assert "--pdf needs headless Chromium and none was found" in result.output
    assert "Debian/Ubuntu:  sudo apt-get install chromium" in result.output
    assert "set COMPCALC_CHROMIUM to the path of an installed Chrome or Chromium" in result.output
    assert not out.exists()
    assert "Traceback" not in result.output


def test_a_compcalc_chromium_that_is_not_an_executable_is_named(tmp_path, monkeypatch):
    text = tmp_path / "notes.txt"
    text.write_text("not a browser")
    monkeypatch.setenv("COMPCALC_CHROMIUM", str(text))
    result = run_cli(LAND, tmp_path / "out", "--pdf")
    assert result.exit_code == 2
    assert result.output.startswith(f"COMPCALC_CHROMIUM={text} is not an executable file. --pdf needs headless")
    assert not (tmp_path / "out").exists()


def test_a_failing_writer_leaves_no_half_written_folder(tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert run_cli(LAND, out, "--quiet").exit_code == 0
    before = sorted(p.name for p in out.rglob("*"))

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(docs, "write_register", broken)
    result = run_cli(LAND, out, "--quiet")
    assert result.exit_code != 0
    assert sorted(p.name for p in out.rglob("*")) == before  # the previous run is untouched
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # and no temporary folder is left behind


def test_worker_processes_write_the_same_statements(tmp_path, monkeypatch):
    result = run(load_book(**case_files(LAND)), parse_period("2028-01"), schedule=True)
    book, keys = docs.prepare(result, "all")
    docs.write_statements(book, keys, tmp_path / "one", workers=1)
    monkeypatch.setattr(docs, "CHUNK", 2)  # several tasks, so the pool is used (and the in-flight bound)
    docs.write_statements(docs.prepare(result, "all")[0], keys, tmp_path / "two", workers=2)
    one, two = sorted((tmp_path / "one").iterdir()), sorted((tmp_path / "two").iterdir())
    assert [p.name for p in one] == [p.name for p in two] and len(one) == 2 * len(keys) == 72
    for a, b in zip(one, two):
        if a.suffix == ".html":
            assert a.read_text() == b.read_text()
        else:
            wa, wb = load_workbook(a), load_workbook(b)
            assert [[c.value for c in row] for ws in wa for row in ws.iter_rows()] == \
                [[c.value for c in row] for ws in wb for row in ws.iter_rows()]
