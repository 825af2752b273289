"""The ledger as a database: what a run records, idempotence, one transaction per run (a crash leaves
the ledger as it was), the write lock between concurrent runs, and migrations that build the schema."""
from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from compcalc.ledger import Ledger, LedgerBusy, LedgerError
from compcalc.ledger import store
from compcalc.ledger.fingerprint import file_sha256
from compcalc.ledger.schema import VERSION_TABLE, metadata
from compcalc.periods import parse_period
from ledger_book import compute, ledger_url, record, snapshot  # noqa: F401  (ledger_url is a fixture)

DEALS = """\
D1,A1,new,2027-01-15,12000,ae1,12,,
D2,A2,new,2027-03-10,24000,ae1,12,,
D3,A1,expansion,2027-03-20,60000,am1,12,,
"""
CHANGED = DEALS.replace("24000", "36000")
HERE = Path(__file__).parent


def test_a_run_records_its_inputs_plans_lines_and_register(tmp_path, ledger_url):
    result = compute(tmp_path, DEALS, "2027-04")
    with Ledger(ledger_url) as ledger:
        recording = record(ledger, result, by="finance-bot")
        run = ledger.run(recording.run_id)
        inputs = ledger.inputs(recording.run_id)
        stored_lines = ledger.lines(recording.run_id)
        stored_register = ledger.register(recording.run_id)

    assert (run.run_id, run.recorded_by, run.first_month, run.through_month, run.closed_through) == \
        (1, "finance-bot", parse_period("2027-01"), parse_period("2027-04"), None)
    assert (run.line_count, run.register_count, run.adjustment_count, run.currency) == (7, 5, 0, "USD")
    assert inputs == [
        ("input", "deals", str(tmp_path / "deals.csv"), file_sha256(tmp_path / "deals.csv")),
        ("input", "roster", str(tmp_path / "roster.csv"), file_sha256(tmp_path / "roster.csv")),
        ("plan", "exp_ae", str(tmp_path / "plans" / "exp_ae.yaml"), file_sha256(tmp_path / "plans" / "exp_ae.yaml")),
        ("plan", "nb_ae", str(tmp_path / "plans" / "nb_ae.yaml"), file_sha256(tmp_path / "plans" / "nb_ae.yaml")),
    ]
    # The round trip is exact: every column, every cent, the nullable ones too.
    expected = recording.result.lines
    assert stored_lines.drop(columns="original_month").equals(result.lines)
    assert stored_lines.equals(expected)
    assert stored_register.equals(result.register)


def test_identical_reruns_add_nothing(tmp_path, ledger_url):
    with Ledger(ledger_url) as ledger:
        assert record(ledger, compute(tmp_path, DEALS, "2027-04")).run_id == 1
        before = snapshot(ledger)
        again = record(ledger, compute(tmp_path, DEALS, "2027-04"))
        assert (again.run_id, again.unchanged) == (1, True)
        # The same files somewhere else are the same inputs.
        shutil.copytree(tmp_path, tmp_path.parent / f"{tmp_path.name}_copy")
        copy = compute(tmp_path.parent / f"{tmp_path.name}_copy", DEALS, "2027-04")
        assert record(ledger, copy).unchanged
        assert snapshot(ledger) == before

        ledger.close_period(parse_period("2027-02"))
        assert record(ledger, compute(tmp_path, DEALS, "2027-04")).unchanged  # closing changes no amount
        changed = record(ledger, compute(tmp_path, CHANGED, "2027-04"))
        assert (changed.run_id, changed.unchanged) == (2, False)
        after_change = snapshot(ledger)
        assert record(ledger, compute(tmp_path, CHANGED, "2027-04")).unchanged
        assert snapshot(ledger) == after_change
        # Another month is another run, even on the same inputs.
        assert record(ledger, compute(tmp_path, CHANGED, "2027-05")).run_id == 3
    counts = {name: len(rows) for name, rows in after_change.items()}
    assert counts == {"runs": 2, "run_inputs": 8, "run_lines": 14, "run_register": 10, "period_events": 1,
                      "closed_periods": 2}


def test_an_error_mid_run_leaves_the_ledger_as_before(tmp_path, ledger_url, monkeypatch):
    with Ledger(ledger_url) as ledger:
        record(ledger, compute(tmp_path, DEALS, "2027-04"))
        ledger.close_period(parse_period("2027-03"))
        before = snapshot(ledger)

        def crash(register, run_id):  # the lines are written by now; the register never is
            raise RuntimeError("injected crash")
            yield

        monkeypatch.setattr(store, "_register_rows", crash)
        with pytest.raises(RuntimeError, match="injected crash"):
            record(ledger, compute(tmp_path, CHANGED, "2027-04"))
        assert snapshot(ledger) == before
        monkeypatch.undo()
        assert record(ledger, compute(tmp_path, CHANGED, "2027-04")).run_id == 2


CRASH = """
import os, sys
sys.path.insert(0, {here!r})
from pathlib import Path
from compcalc.ledger import Ledger, store
from ledger_book import compute, record

writes = []
real = store._bulk_insert
def die_after_the_lines(conn, table, chunks, progress):
    real(conn, table, chunks, progress)
    writes.append(table.name)
    if table.name == "run_lines":
        os._exit(3)  # the process dies: no rollback, no cleanup, no commit
store._bulk_insert = die_after_the_lines
store.CHUNK = 2
record(Ledger({url!r}), compute(Path({folder!r}), {deals!r}, "2027-04"))
"""


def test_a_process_killed_mid_run_leaves_the_ledger_as_before(tmp_path, ledger_url):
    with Ledger(ledger_url) as ledger:
        record(ledger, compute(tmp_path, DEALS, "2027-04"))
        before = snapshot(ledger)
    script = CRASH.format(here=str(HERE), url=ledger_url, folder=str(tmp_path / "late"), deals=CHANGED)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 3, done.stderr
    with Ledger(ledger_url) as ledger:
        assert snapshot(ledger) == before
        assert record(ledger, compute(tmp_path, CHANGED, "2027-04")).run_id == 2


def test_a_concurrent_run_waits_then_fails_clearly(tmp_path, ledger_url):
    result = compute(tmp_path, DEALS, "2027-04")
    with Ledger(ledger_url) as holder, Ledger(ledger_url, timeout=0.5) as other:
        with holder.writing():
            started = time.monotonic()
            with pytest.raises(LedgerBusy) as e:
                record(other, result)
            waited = time.monotonic() - started
        assert str(e.value) == (f"the ledger {other.name} is busy: another run, close or reopen is writing to it "
                                "(waited 0.5 s); try again when it has finished")
        assert waited >= 0.4
        with pytest.raises(LedgerBusy):
            with holder.writing():
                other.close_period(parse_period("2027-01"))
        assert other.runs() == []  # nothing half-written by the refused run


def test_a_concurrent_run_waits_for_the_other_to_finish(tmp_path, ledger_url):
    result = compute(tmp_path, DEALS, "2027-04")
    released = threading.Event()
    locked = threading.Event()

    def hold_for_a_moment():
        with Ledger(ledger_url) as holder, holder.writing():
            locked.set()
            time.sleep(0.5)
        released.set()

    thread = threading.Thread(target=hold_for_a_moment)
    with Ledger(ledger_url, timeout=20) as other:
        thread.start()
        assert locked.wait(10)
        recording = record(other, result)
        assert released.is_set()  # it went ahead only after the other writer committed
    thread.join()
    assert recording.run_id == 1


def test_migrations_build_exactly_the_schema(ledger_url):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with Ledger(ledger_url) as ledger, ledger.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
        assert context.get_current_revision() == "0002"
        assert compare_metadata(context, metadata) == []


def test_opening_twice_migrates_once(ledger_url):
    Ledger(ledger_url).close()
    with Ledger(ledger_url) as ledger, ledger.engine.connect() as conn:
        assert conn.execute(sa.text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all() == ["0002"]


def test_a_ledger_from_a_newer_compcalc_is_refused(ledger_url):
    with Ledger(ledger_url) as ledger, ledger.engine.begin() as conn:
        conn.execute(sa.text(f"UPDATE {VERSION_TABLE} SET version_num = '9999'"))
    with pytest.raises(LedgerError) as e:
        Ledger(ledger_url)
    assert str(e.value).endswith("has schema version 9999, newer than this compcalc (0.1.0) knows: upgrade compcalc")


def test_where_the_ledger_is(tmp_path):
    assert store.database_url("ledger.db").database == str(Path("ledger.db").resolve())
    assert store.database_url("postgresql://u:p@db:5432/pay").drivername == "postgresql+psycopg"
    assert store.database_url("sqlite:///x.db").drivername == "sqlite"
    with pytest.raises(LedgerError) as e:
        Ledger(str(tmp_path / "missing.db"), create=False)
    assert str(e.value) == (f"no ledger at {tmp_path / 'missing.db'}: record a run first "
                            f"(compcalc run … --db {tmp_path / 'missing.db'})")
    assert not (tmp_path / "missing.db").exists()
    with pytest.raises(LedgerError) as e:
        Ledger(str(tmp_path / "no" / "such" / "folder.db"))
    assert str(e.value) == f"cannot create the ledger {tmp_path / 'no/such/folder.db'}: no folder {tmp_path / 'no/such'}"


def test_money_is_stored_as_integer_cents(tmp_path, ledger_url):
    with Ledger(ledger_url) as ledger:
        record(ledger, compute(tmp_path, DEALS, "2027-04"))
        with ledger.engine.connect() as conn:
            amounts = conn.execute(sa.text("SELECT amount FROM run_lines WHERE kind = 'upfront' ORDER BY amount"))
            assert amounts.scalars().all() == [30000, 60000]
            types = {c["name"]: str(c["type"]) for c in sa.inspect(conn).get_columns("run_register")}
    assert {types[c] for c in ("net", "carry_in", "draw", "payout", "carry_out")} == {"BIGINT"}


def test_any_text_round_trips(tmp_path, ledger_url):
    from compcalc.pipeline import run
    from compcalc.inputs import load_book
    from ledger_book import write_book

    kwargs = write_book(tmp_path, DEALS)
    reason = 'bonus "Q1" \\ back\tslash, tab,\nnew line; naïve €'
    (tmp_path / "adjustments.csv").write_text(
        'rep_id,period,amount,reason\nae1,2027-02,-12.34,"' + reason.replace('"', '""') + '"\n', encoding="utf-8")
    result = run(load_book(**kwargs, adjustments=tmp_path / "adjustments.csv"), parse_period("2027-04"))
    with Ledger(ledger_url) as ledger:
        run_id = record(ledger, result).run_id
        stored = ledger.lines(run_id)
    adjustment = stored[stored["kind"] == "manual_adjustment"]
    assert adjustment["note"].tolist() == [reason] and adjustment["amount"].tolist() == [-1234]
    assert stored.drop(columns="original_month").equals(result.lines)


def test_a_file_that_is_not_a_compcalc_ledger_is_refused_and_left_unchanged(tmp_path):
    text = tmp_path / "notes.db"
    text.write_text("hi\n")
    with pytest.raises(LedgerError) as e:
        Ledger(str(text))
    assert str(e.value) == f"cannot use the ledger {text}: file is not a database"
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    with pytest.raises(LedgerError) as e:
        Ledger(str(empty), create=False)  # history, diff, close, reopen never make a ledger
    assert str(e.value) == f"{empty} is not a compcalc ledger: record a run first (compcalc run … --db {empty})"
    assert empty.stat().st_size == 0
    other = tmp_path / "other.db"
    engine = sa.create_engine(f"sqlite:///{other}")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE foo (x)")
    engine.dispose()
    with pytest.raises(LedgerError) as e:
        Ledger(str(other))  # not even a run may add tables to someone else's database
    assert str(e.value) == f"{other} is not a compcalc ledger (it holds tables foo): give a new file for --db"
    with pytest.raises(LedgerError) as e:
        store.database_url("mysql://u@h/db")
    assert str(e.value) == "--db 'mysql://u@h/db': the ledger is a SQLite file path or a postgresql:// URL"
