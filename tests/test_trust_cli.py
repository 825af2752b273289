"""All or nothing, clean on the way down, and messages instead of tracebacks (issue 14)."""
from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from compcalc.cli import main
from compcalc.ledger import Ledger
from compcalc import outputs
from compcalc.outputs import clear_stale
from compcalc.synthetic import generate
from conftest import GOLDEN, ROOT

CASE = GOLDEN / "land_and_expand"
BOOK = ["--plans", str(CASE / "plans"), "--roster", str(CASE / "roster.csv"), "--deals", str(CASE / "deals.csv"),
        "--milestones", str(CASE / "milestones.csv"), "--through", "2027-03"]


def run(*args: str, env=None):
    return CliRunner().invoke(main, ["run", *BOOK, "-q", *args], env=env)


def test_a_failure_while_writing_leaves_neither_a_ledger_run_nor_files(tmp_path, monkeypatch):
    import compcalc.cli.run as run_cli

    def disk_full(result, folder):
        (Path(folder) / "lines.csv").write_text("half")
        raise OSError(errno.ENOSPC, "No space left on device", str(Path(folder) / "lines.csv"))

    monkeypatch.setattr(outputs, "write_run_files", disk_full)  # the run imports it from there when it writes
    db = tmp_path / "ledger.db"
    result = run("--out", str(tmp_path / "out"), "--db", str(db))
    assert result.exit_code == 2
    assert result.output.startswith("Error: cannot write the output: no space left on the disk (")
    assert result.output.endswith("lines.csv); nothing was written\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ledger.db"]  # no out, no temp folder
    with Ledger(str(db)) as ledger:
        assert ledger.runs() == []
    monkeypatch.undo()
    assert run("--out", str(tmp_path / "out"), "--db", str(db)).exit_code == 0
    with Ledger(str(db)) as ledger:
        assert [r.run_id for r in ledger.runs()] == [1]


@pytest.mark.parametrize("db, message", [
    ("", "error: --db is empty: give a SQLite file path or a postgresql:// URL"),
    ("sqlite://", "error: --db 'sqlite://' names no file (an in-memory ledger keeps nothing): give a SQLite file "
                  "path, e.g. --db compcalc.db"),
    ("postgresql://u@localhost:port/x", "error: --db 'postgresql://u@localhost:port/x' is not a database URL "
                                        "(a SQLite file path or postgresql://…)"),
])
def test_a_bad_db_is_an_exit_2_message_before_any_work(tmp_path, db, message):
    result = run("--out", str(tmp_path / "out"), "--db", db)
    assert (result.exit_code, result.output) == (2, message + "\n")
    assert not (tmp_path / "out").exists()


def test_a_postgresql_db_without_psycopg_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as on an install without the postgres extra
    result = run("--out", str(tmp_path / "out"), "--db", "postgresql://u@localhost/ledger")
    assert (result.exit_code, result.output) == (2, "error: a PostgreSQL ledger needs the psycopg driver, which "
                                                 "this install lacks: pip install 'compcalc[postgres]'\n")


@pytest.mark.parametrize("value", ["nan", "inf", "1e308", "-1"])
def test_a_db_timeout_that_is_not_a_sane_number_of_seconds_is_an_exit_2_message(tmp_path, value):
    result = run("--out", str(tmp_path / "out"), "--db", str(tmp_path / "l.db"), env={"COMPCALC_DB_TIMEOUT": value})
    assert (result.exit_code, result.output) == (
        2, f"error: COMPCALC_DB_TIMEOUT={value!r} must be a number of seconds from 0 to 86,400\n")
    history = CliRunner().invoke(main, ["history", "ae1", "--db", str(tmp_path / "l.db")],
                                 env={"COMPCALC_DB_TIMEOUT": value})
    assert history.exit_code == 2 and "must be a number of seconds" in history.output


def test_a_300_character_out_name_is_a_usage_message(tmp_path):
    result = run("--out", str(tmp_path / ("x" * 300)))
    assert result.exit_code == 2
    assert ("Invalid value for '--out': the name " + "x" * 40 + "… is 300 bytes long; a folder name may have "
            "at most 225") in result.output
    assert "Traceback" not in result.output


def test_a_run_clears_the_temp_folders_a_killed_compcalc_left_and_keeps_a_live_runs(tmp_path):
    dead = 4_000_000_000  # no such process
    stale = [tmp_path / f".out.{dead}.k3j2h1.tmp", tmp_path / f".out.old.{dead}"]
    live = tmp_path / ".out.1.a8d7f6.tmp"  # pid 1 is alive
    other = tmp_path / ".outer.5.x.tmp"  # another folder's
    for folder in stale + [live, other]:
        folder.mkdir()
        (folder / "lines.csv").write_text("partial")
    assert run("--out", str(tmp_path / "out")).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([live.name, other.name, "out"])


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found += [int(c) for c in text]
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except (FileNotFoundError, ProcessLookupError):  # gone before, or while, its stat was read
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL])
def test_a_signal_during_statements_all_stops_the_workers_and_removes_the_temp_folder(tmp_path, sig):
    data = tmp_path / "data"
    generate(data, deals=3000, reps=150, months=12, seed=1, start="2027-01-01")
    out = tmp_path / "out"
    args = [sys.executable, "-m", "compcalc", "run", "--plans", str(ROOT / "plans" / "land_and_expand"),
            "--roster", str(data / "roster.csv"), "--deals", str(data / "deals.csv"), "--through", "2027-12",
            "--statements", "all", "--out", str(out), "-q"]
    # no pipes: orphaned workers would hold them open
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: list[int] = []
    try:
        _signal_once_rendering(proc, workers, tmp_path, sig)
    finally:
        for w in workers:  # a failing run must not leave them behind either
            if _alive(w):
                os.kill(w, signal.SIGKILL)
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _signal_once_rendering(proc, workers: list[int], tmp_path: Path, sig) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        workers[:] = _children(proc.pid)
        if len(workers) >= 1 and list(tmp_path.glob(".out.*.tmp")):
            break
        time.sleep(0.05)
    assert workers and proc.poll() is None, "the run ended before its workers could be seen"
    time.sleep(0.5)  # well into the statements
    workers[:] = _children(proc.pid)  # the pool starts its workers one by one
    proc.send_signal(sig)
    proc.wait(timeout=60)
    assert proc.returncode != 0
    time.sleep(1.5)  # a worker notices its parent is gone within half a second
    assert [w for w in workers if _alive(w)] == []
    if sig == signal.SIGKILL:  # nothing can clean up after SIGKILL: the next run does
        assert len(list(tmp_path.glob(".out.*.tmp"))) == 1
        clear_stale(tmp_path / "out")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


NO_MILESTONES = ["--plans", str(CASE / "plans"), "--roster", str(CASE / "roster.csv"), "--deals", str(CASE / "deals.csv")]
WARNING = "warning: no --milestones given: csm_2027 (activation_bonus activation) pays nothing without it\n"


def _commands(tmp_path, month: str) -> dict[str, list[str]]:
    return {
        "run": ["run", *NO_MILESTONES, "--through", month, "--out", str(tmp_path / "run"), "-q"],
        "accounting": ["accounting", *NO_MILESTONES, "--through", month, "--out", str(tmp_path / "acc"), "-q"],
        "whatif": ["whatif", "--baseline", str(CASE / "plans"), *NO_MILESTONES[2:], "--through", month,
                   "--out", str(tmp_path / "wi"), "-q"],
        "why": ["why", "cs1", month, *NO_MILESTONES],
    }


@pytest.mark.parametrize("command", ["run", "accounting", "whatif", "why"])
def test_a_plan_paying_from_an_input_not_given_warns_in_every_command(tmp_path, command):
    result = CliRunner().invoke(main, _commands(tmp_path, "2027-03")[command])
    assert result.exit_code == 0, result.output
    assert result.stderr == WARNING
    with_it = _commands(tmp_path / "again", "2027-03")[command] + ["--milestones", str(CASE / "milestones.csv")]
    assert CliRunner().invoke(main, with_it).stderr == ""


@pytest.mark.parametrize("command", ["run", "accounting", "whatif", "why"])
def test_a_month_before_the_first_plan_year_is_one_exit_2_message_for_every_command(tmp_path, command):
    result = CliRunner().invoke(main, _commands(tmp_path, "2026-11")[command])
    assert result.exit_code == 2
    assert result.stderr.endswith("Error: 2026-11 is before the first plan year (2027-01): nothing would be computed\n")
    assert list(tmp_path.iterdir()) == []


def test_a_broken_template_with_db_leaves_neither_and_says_so(tmp_path, monkeypatch):
    import jinja2

    import compcalc.cli.run as run_cli

    def broken(*args, **kwargs):
        raise jinja2.TemplateSyntaxError("unexpected '}'", 3)

    monkeypatch.setattr(run_cli, "_write_documents", broken)
    db = tmp_path / "ledger.db"
    result = run("--out", str(tmp_path / "out"), "--db", str(db))
    assert (result.exit_code, result.output) == (
        2, "Error: a statement template is broken (TemplateSyntaxError: unexpected '}' line 3); nothing was written\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ledger.db"]
    with Ledger(str(db)) as ledger:
        assert ledger.runs() == []
