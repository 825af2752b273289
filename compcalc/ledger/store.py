"""The payout ledger database: opening it (and migrating its schema), locking, reading and writing.

One ``Ledger`` talks to SQLite (a file, created on first use) or PostgreSQL through SQLAlchemy Core.
Every change — recording a run, closing or reopening months — is one transaction under the ledger's
write lock: SQLite ``BEGIN IMMEDIATE`` with a busy timeout, PostgreSQL a transaction-scoped advisory
lock with ``lock_timeout``. A second writer waits up to the timeout and then fails with
:class:`LedgerBusy`; a failure or a crash part-way leaves the ledger as it was.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

import numpy as np
import pandas as pd
import sqlalchemy as sa

from compcalc import __version__
from compcalc import components as _components  # noqa: F401  (registers the line fact types read back)
from compcalc import ledger_lines as L
from compcalc.ledger import DEFAULT_DB, ENV_TIMEOUT
from compcalc.ledger import schema as S
from compcalc.ledger.errors import LedgerBusy, LedgerError  # noqa: F401  (raised here, caught by callers)
from compcalc.periods import period
from compcalc.schema import LINE, LINE_FINGERPRINT, REGISTER, REGISTER_FRAME, REGISTER_MONEY

if TYPE_CHECKING:
    from compcalc.ledger.adjust import ClosedPeriods

DEFAULT_TIMEOUT = 30.0  # seconds a writer waits for another one before giving up
CHUNK = 50_000  # rows per executemany
_LOCK_KEY = 0x636F6D70  # PostgreSQL advisory lock id: "comp"
MIGRATIONS = Path(__file__).parent / "migrations"



# -- periods as YYYYMM ---------------------------------------------------------------------------

def period_key(month):
    """Month index → ``YYYYMM`` integer (vectorised)."""
    m = np.asarray(month, dtype=np.int64)
    return (m // 12) * 100 + m % 12 + 1


def month_of_key(key):
    """``YYYYMM`` integer → month index (vectorised)."""
    k = np.asarray(key, dtype=np.int64)
    return (k // 100) * 12 + k % 100 - 1


def _key(month: int | None) -> int | None:
    return None if month is None else int(period_key(month))


def _month(key: int | None) -> int | None:
    return None if key is None else int(month_of_key(key))


# -- where the ledger is -------------------------------------------------------------------------

def database_url(target: str) -> sa.URL:
    """A ``--db`` value as a SQLAlchemy URL: a path is a SQLite file; ``postgresql://`` uses psycopg 3."""
    target = str(target).strip()
    if not target:
        raise LedgerError("--db is empty: give a SQLite file path or a postgresql:// URL")
    if "://" not in target:
        return sa.URL.create("sqlite", database=str(Path(target).expanduser().resolve()))
    try:
        url = sa.make_url(target)
    except (sa.exc.ArgumentError, ValueError):  # ValueError: a port that is not a number
        raise LedgerError(f"--db {target!r} is not a database URL (a SQLite file path or postgresql://…)") from None
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    elif url.get_backend_name() not in ("sqlite", "postgresql"):
        raise LedgerError(f"--db {target!r}: the ledger is a SQLite file path or a postgresql:// URL")
    if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
        raise LedgerError(f"--db {target!r} names no file (an in-memory ledger keeps nothing): give a SQLite "
                          "file path, e.g. --db compcalc.db")
    if url.get_backend_name() == "postgresql" and url.drivername != "postgresql+psycopg":
        raise LedgerError(f"--db {target!r}: a PostgreSQL ledger uses psycopg 3 (postgresql://…)")
    if url.get_backend_name() == "postgresql" and not _has_psycopg():
        raise LedgerError("a PostgreSQL ledger needs the psycopg driver, which this install lacks: "
                          "pip install 'compcalc[postgres]'")
    return url


def _has_psycopg() -> bool:
    try:
        import psycopg  # noqa: F401  (the optional `postgres` extra)
    except ImportError:
        return False
    return True


MAX_TIMEOUT = 86_400.0  # a day: longer than any writer holds the ledger


def default_timeout() -> float:
    text = os.environ.get(ENV_TIMEOUT, "")
    try:
        value = float(text) if text else DEFAULT_TIMEOUT
    except ValueError:
        raise LedgerError(f"{ENV_TIMEOUT}={text!r} is not a number of seconds") from None
    if not (0 <= value <= MAX_TIMEOUT):  # nan, inf and 1e308 too: SQLite and PostgreSQL take milliseconds
        raise LedgerError(f"{ENV_TIMEOUT}={text!r} must be a number of seconds from 0 to {MAX_TIMEOUT:,.0f}")
    return value


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def current_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in this environment (e.g. a container without USER)
        return "unknown"


def alembic_config(connection=None):
    """Alembic's configuration for the ledger migrations (to write a new revision, too)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


# -- what the ledger holds -----------------------------------------------------------------------

@dataclass(frozen=True)
class RunInfo:
    run_id: int
    recorded_at: dt.datetime
    recorded_by: str
    compcalc_version: str
    first_month: int
    through_month: int
    closed_through: int | None
    currency: str
    inputs_sha256: str
    content_sha256: str
    line_count: int
    register_count: int
    adjustment_count: int

    @classmethod
    def from_row(cls, row) -> "RunInfo":
        at = row.recorded_at
        if at.tzinfo is None:  # SQLite keeps no zone; we always write UTC
            at = at.replace(tzinfo=dt.timezone.utc)
        return cls(run_id=row.run_id, recorded_at=at, recorded_by=row.recorded_by,
                   compcalc_version=row.compcalc_version, first_month=_month(row.first_period),
                   through_month=_month(row.through_period), closed_through=_month(row.closed_through),
                   currency=row.currency, inputs_sha256=row.inputs_sha256, content_sha256=row.content_sha256,
                   line_count=row.line_count, register_count=row.register_count,
                   adjustment_count=row.adjustment_count)


@dataclass(frozen=True)
class PeriodEvent:
    event_id: int
    action: str
    month: int
    run_id: int | None
    reason: str | None
    recorded_at: dt.datetime
    recorded_by: str


@dataclass(frozen=True)
class Recording:
    """What :meth:`Ledger.record` did: the run as recorded (closed months from the ledger, prior-period
    adjustments added), its run id, and the adjustment lines it put in the open months;
    ``unchanged`` when it equalled the last run and added nothing."""

    result: object
    run_id: int
    unchanged: bool
    adjustments: pd.DataFrame


class Ledger:
    """The payout ledger at ``target`` (a SQLite path or a database URL).

    ``create=False`` refuses to create a SQLite file that does not exist (for commands that only read
    or change an existing ledger). ``timeout`` is how long a writer waits for another one.
    """

    def __init__(self, target: str = DEFAULT_DB, *, create: bool = True, timeout: float | None = None):
        self.target = str(target)
        self.url = database_url(self.target)
        self.timeout = default_timeout() if timeout is None else float(timeout)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        if self.is_sqlite:
            path = Path(self.url.database)
            if not path.exists() and not create:
                raise LedgerError(f"no ledger at {self.name}: record a run first (compcalc run … --db {self.target})")
            if not path.parent.is_dir():
                raise LedgerError(f"cannot create the ledger {self.name}: no folder {path.parent}")
        self.create = create
        self.engine = self._make_engine()
        self._active: sa.Connection | None = None
        try:
            self._migrate()
        except BaseException:
            self.engine.dispose()
            raise

    @property
    def name(self) -> str:
        """The ledger as people should see it (a path, or the URL without its password)."""
        if self.is_sqlite:
            return self.url.database
        return self.url.render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Ledger":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- connections and the write lock ---------------------------------------------------------

    def _make_engine(self) -> sa.Engine:
        if self.is_sqlite:
            engine = sa.create_engine(self.url, connect_args={"timeout": self.timeout})

            @sa.event.listens_for(engine, "connect")
            def _connect(dbapi_connection, _record):
                # We issue BEGIN ourselves (below); 16 KiB pages make bulk writes of lines faster.
                dbapi_connection.isolation_level = None
                cursor = dbapi_connection.cursor()
                cursor.execute("PRAGMA page_size = 16384")
                cursor.execute("PRAGMA foreign_keys = ON")
                cursor.execute("PRAGMA cache_size = -65536")
                cursor.close()

            @sa.event.listens_for(engine, "begin")
            def _begin(conn):
                # A writer takes the write lock at BEGIN, so two writers never both read then write.
                conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("ledger_write") else "BEGIN")
            return engine
        return sa.create_engine(self.url, pool_pre_ping=True)

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sa.exc.OperationalError as e:
            raise self._translate(e.orig) from e
        except sa.exc.InterfaceError as e:
            raise LedgerError(f"cannot open the ledger {self.name}: {e.orig}") from e
        except sa.exc.DatabaseError as e:  # "file is not a database", "disk image is malformed"
            raise LedgerError(f"cannot use the ledger {self.name}: {e.orig}") from e
        except self.engine.dialect.loaded_dbapi.Error as e:  # from the driver's own cursor (bulk writes)
            raise self._translate(e) from e

    def _translate(self, error: Exception) -> LedgerError:
        text = str(error)
        busy = ("database is locked" in text if self.is_sqlite
                else getattr(error, "sqlstate", None) == "55P03")
        if busy:
            return LedgerBusy(f"the ledger {self.name} is busy: another run, close or reopen is writing to it "
                              f"(waited {self.timeout:g} s); try again when it has finished")
        return LedgerError(f"cannot use the ledger {self.name}: {text.strip()}")

    @contextlib.contextmanager
    def writing(self) -> Iterator[sa.Connection]:
        """One transaction holding the ledger's write lock; everything in it commits or nothing does."""
        if self._active is not None:
            raise RuntimeError("the ledger is already in a write transaction")
        with self._errors(), self.engine.connect() as conn:
            conn.execution_options(ledger_write=True)
            with conn.begin():
                if not self.is_sqlite:
                    conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{int(self.timeout * 1000)}ms'")
                    conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_LOCK_KEY)))
                self._active = conn
                try:
                    yield conn
                finally:
                    self._active = None

    @contextlib.contextmanager
    def _reading(self) -> Iterator[sa.Connection]:
        if self._active is not None:
            yield self._active
            return
        with self._errors(), self.engine.connect() as conn, conn.begin():
            yield conn

    def _migrate(self) -> None:
        from alembic import command
        from alembic.runtime.migration import MigrationContext
        from alembic.script import ScriptDirectory
        from alembic.util.exc import CommandError

        script = ScriptDirectory.from_config(alembic_config())
        head = script.get_current_head()

        def revision_of(conn) -> str | None:
            return MigrationContext.configure(conn, opts={"version_table": S.VERSION_TABLE}).get_current_revision()

        with self._reading() as conn:  # the usual case: up to date, and no write lock needed to see it
            current = revision_of(conn)
            if current == head:
                return
            if current is None:
                tables = sa.inspect(conn).get_table_names()
                if not self.create:  # close, reopen, history, diff: never make a ledger
                    raise LedgerError(f"{self.name} is not a compcalc ledger: record a run first "
                                      f"(compcalc run … --db {self.target})")
                if self.is_sqlite and tables:  # someone else's database: leave it alone
                    raise LedgerError(f"{self.name} is not a compcalc ledger (it holds tables "
                                      f"{', '.join(sorted(tables)[:5])}): give a new file for --db")
        with self.writing() as conn:  # first use or an upgrade: one process migrates, others wait
            cfg = alembic_config(conn)
            current = revision_of(conn)
            if current == head:
                return
            if current is not None and current not in {s.revision for s in script.walk_revisions()}:
                raise LedgerError(f"the ledger {self.name} has schema version {current}, newer than this "
                                  f"compcalc ({__version__}) knows: upgrade compcalc")
            try:
                command.upgrade(cfg, "head")
            except CommandError as e:
                raise LedgerError(f"cannot migrate the ledger {self.name}: {e}") from e

    # -- reading ----------------------------------------------------------------------------------

    def runs(self) -> list[RunInfo]:
        with self._reading() as conn:
            return [RunInfo.from_row(r) for r in conn.execute(sa.select(S.runs).order_by(S.runs.c.run_id))]

    def latest_run(self) -> RunInfo | None:
        with self._reading() as conn:
            row = conn.execute(sa.select(S.runs).order_by(S.runs.c.run_id.desc()).limit(1)).first()
        return RunInfo.from_row(row) if row is not None else None

    def run(self, run_id: int) -> RunInfo:
        with self._reading() as conn:
            row = conn.execute(sa.select(S.runs).where(S.runs.c.run_id == int(run_id))).first()
            if row is None:
                last = conn.execute(sa.select(sa.func.max(S.runs.c.run_id))).scalar()
                known = f"runs are 1 to {last}" if last else "no run is recorded yet"
                raise LedgerError(f"no run {run_id} in the ledger {self.name} ({known})")
        return RunInfo.from_row(row)

    def inputs(self, run_id: int) -> list[tuple[str, str, str, str]]:
        """(role, name, path, sha256) of each file the run read."""
        t = S.run_inputs
        with self._reading() as conn:
            rows = conn.execute(sa.select(t.c.role, t.c.name, t.c.path, t.c.sha256)
                                .where(t.c.run_id == int(run_id)).order_by(t.c.role, t.c.name))
            return [tuple(r) for r in rows]

    def closed_periods(self) -> dict[int, int]:
        """Closed month → the run whose lines and register for it were paid."""
        t = S.closed_periods
        with self._reading() as conn:
            return {_month(p): r for p, r in conn.execute(sa.select(t.c.period, t.c.run_id).order_by(t.c.period))}

    def closed_through(self) -> int | None:
        """The last closed month (every month up to it is closed), or None."""
        with self._reading() as conn:
            return _month(conn.execute(sa.select(sa.func.max(S.closed_periods.c.period))).scalar())

    def events(self) -> list[PeriodEvent]:
        t = S.period_events
        with self._reading() as conn:
            rows = conn.execute(sa.select(t).order_by(t.c.event_id)).all()
        return [PeriodEvent(r.event_id, r.action, _month(r.period), r.run_id, r.reason,
                            r.recorded_at if r.recorded_at.tzinfo else r.recorded_at.replace(tzinfo=dt.timezone.utc),
                            r.recorded_by) for r in rows]

    def lines(self, run_id: int, rep_id: str | None = None) -> pd.DataFrame:
        """A run's lines as a lines frame (plus ``original_month`` for prior-period adjustments)."""
        t = S.run_lines
        query = sa.select(*_line_select(t)).where(t.c.run_id == int(run_id))
        if rep_id is not None:
            query = query.where(t.c.rep_id == rep_id)
        return self._lines_frame(query.order_by(t.c.line_no))

    def register(self, run_id: int, rep_id: str | None = None) -> pd.DataFrame:
        t = S.run_register
        query = sa.select(*_register_select(t)).where(t.c.run_id == int(run_id))
        if rep_id is not None:
            query = query.where(t.c.rep_id == rep_id)
        return self._register_frame(query.order_by(t.c.rep_id, t.c.period))

    def component_totals(self, run_id: int, by_period: bool = False) -> pd.DataFrame:
        """A run's amounts summed per rep, plan and component (and month): rep_id, plan_id,
        component_id, [month,] amount."""
        t = S.run_lines
        keys = [t.c.rep_id, t.c.plan_id, t.c.component_id] + ([t.c.period] if by_period else [])
        query = (sa.select(*keys, sa.func.sum(t.c.amount)).where(t.c.run_id == int(run_id))
                 .group_by(*keys).order_by(*keys))
        with self._reading() as conn:
            rows = conn.execute(query).all()
        names = ["rep_id", "plan_id", "component_id"] + (["month"] if by_period else [])
        cols = list(zip(*rows)) if rows else [()] * (len(names) + 1)
        frame = pd.DataFrame({n: np.array(cols[i], dtype=object) for i, n in enumerate(names)})
        if by_period:
            frame["month"] = month_of_key(np.array(cols[3], dtype=np.int64))
        frame["amount"] = _ints(cols[-1])  # PostgreSQL sums bigint to numeric
        return frame

    def paid_lines(self, rep_id: str | None = None) -> pd.DataFrame:
        """The lines of every closed month, from the run each month was closed with."""
        t, c = S.run_lines, S.closed_periods
        query = (sa.select(*_line_select(t))
                 .join(c, sa.and_(t.c.run_id == c.c.run_id, t.c.period == c.c.period)))
        if rep_id is not None:
            query = query.where(t.c.rep_id == rep_id)
        return self._lines_frame(query.order_by(t.c.period, t.c.run_id, t.c.line_no))

    def paid_register(self, rep_id: str | None = None) -> pd.DataFrame:
        t, c = S.run_register, S.closed_periods
        query = (sa.select(*_register_select(t))
                 .join(c, sa.and_(t.c.run_id == c.c.run_id, t.c.period == c.c.period)))
        if rep_id is not None:
            query = query.where(t.c.rep_id == rep_id)
        return self._register_frame(query.order_by(t.c.rep_id, t.c.period))

    def _lines_frame(self, query) -> pd.DataFrame:
        with self._reading() as conn:
            rows = conn.execute(query).all()
        return lines_frame(rows)

    def _register_frame(self, query) -> pd.DataFrame:
        with self._reading() as conn:
            rows = conn.execute(query).all()
        cols = list(zip(*rows)) if rows else [()] * len(REGISTER)
        frame = pd.DataFrame({"rep_id": np.array(cols[0], dtype=object), "month": month_of_key(_ints(cols[1]))})
        for i, c in enumerate(REGISTER_MONEY, start=2):
            frame[c] = _ints(cols[i])
        return frame

    # -- writing ----------------------------------------------------------------------------------

    def closed(self) -> ClosedPeriods:
        """The closed months with their lines and register rows as recorded: the input of the pipeline's
        close stage (``compcalc.pipeline.run(book, through, closed=ledger.closed())``)."""
        from compcalc.ledger.adjust import ClosedPeriods

        # Closed months' rows never change; record() checks the months themselves did not meanwhile.
        return ClosedPeriods(self.name, self.closed_periods(), self.paid_lines(), self.paid_register())

    def record(self, result, *, by: str | None = None,
               progress: Callable[[int], None] | None = None, then: Callable | None = None) -> Recording:
        """Record a run in one transaction: ``compcalc.pipeline.run(book, through, closed=self.closed())``,
        whose closed months are this ledger's and whose prior-period adjustments are in its first open month.

        The ledger stores; it computes nothing. If months were closed or reopened since ``closed()`` was
        read, the run is refused (LedgerError) rather than recorded against history it did not see. A
        run whose inputs, through month and resulting content equal the last recorded run's adds nothing.
        ``progress(rows)`` is called after each chunk written. ``then(result)`` runs inside the
        transaction before it commits (the run's output files): if it raises, nothing is recorded.
        """
        from compcalc.ledger.adjust import prior_period_lines
        from compcalc.ledger.fingerprint import content_sha256, input_files, inputs_sha256

        if result.closed_months is None:
            raise ValueError("record needs the run as closed against this ledger: "
                             "compcalc.pipeline.run(book, through, closed=ledger.closed())")
        files = input_files(result.book)
        inputs_fp = inputs_sha256(files)
        with self.writing() as conn:
            if self.closed_periods() != result.closed_months:
                raise LedgerError(f"the ledger {self.name} closed or reopened months while this run was being "
                                  "computed: run it again")
            recorded = result
            lines, register = recorded.lines, recorded.register
            content_fp = content_sha256(lines, register, LINE_FINGERPRINT, REGISTER_FRAME)
            closed_through = self.closed_through()
            adjustments = prior_period_lines(lines)  # this run's own: those in open months
            if closed_through is not None:
                adjustments = adjustments[adjustments["month"].to_numpy() > closed_through]
            last = self.latest_run()
            if (last is not None and last.inputs_sha256 == inputs_fp and last.content_sha256 == content_fp
                    and last.through_month == recorded.through_month):
                if then is not None:
                    then(recorded)
                return Recording(recorded, last.run_id, True, adjustments)
            run_id = _next_id(conn, S.runs.c.run_id)
            conn.execute(S.runs.insert().values(
                run_id=run_id, recorded_at=now(), recorded_by=by or current_user(),
                compcalc_version=__version__, first_period=_key(recorded.first_month),
                through_period=_key(recorded.through_month), closed_through=_key(closed_through),
                currency=result.book.currency, inputs_sha256=inputs_fp, content_sha256=content_fp,
                line_count=len(lines), register_count=len(register), adjustment_count=len(adjustments),
            ))
            conn.execute(S.run_inputs.insert(), [
                {"run_id": run_id, "role": f.role, "name": f.name, "path": f.path, "sha256": f.sha256}
                for f in files])
            _bulk_insert(conn, S.run_lines, _line_rows(lines, run_id), progress)
            _bulk_insert(conn, S.run_register, _register_rows(register, run_id), progress)
            if then is not None:
                then(recorded)
        return Recording(recorded, run_id, False, adjustments)

    def close_period(self, month: int, *, by: str | None = None) -> tuple[list[int], RunInfo | None]:
        """Close ``month`` and every month before it, as paid by the latest recorded run.

        Returns the months newly closed (empty when it was already closed) and that run.
        """
        with self.writing() as conn:
            closed_through = self.closed_through()
            if closed_through is not None and month <= closed_through:
                return [], None
            run = self.latest_run()
            if run is None:
                raise LedgerError(f"nothing to close: no run is recorded in the ledger {self.name}")
            if run.through_month < month:
                raise LedgerError(f"cannot close {period(month)}: the latest run ({run.run_id}) goes through "
                                  f"{period(run.through_month)}; record a run through {period(month)} first")
            if month < run.first_month:  # nothing was computed for it: closing it would pay nothing silently
                raise LedgerError(f"cannot close {period(month)}: no recorded run covers it (the latest, run "
                                  f"{run.run_id}, covers {period(run.first_month)} to {period(run.through_month)})")
            start = closed_through + 1 if closed_through is not None else min(run.first_month, month)
            months = list(range(start, month + 1))
            event_id = _next_id(conn, S.period_events.c.event_id)
            conn.execute(S.period_events.insert().values(
                event_id=event_id, action="close", period=_key(month), run_id=run.run_id, reason=None,
                recorded_at=now(), recorded_by=by or current_user()))
            conn.execute(S.closed_periods.insert(),
                         [{"period": _key(m), "run_id": run.run_id, "event_id": event_id} for m in months])
        return months, run

    def closed_from(self, month: int) -> list[int]:
        """The closed months from ``month`` on (what reopening ``month`` would reopen)."""
        return [m for m in sorted(self.closed_periods()) if m >= month]

    def once_paid(self) -> dict[int, int]:
        """Months closed once and reopened since (open now) → the run they were paid as."""
        runs = {r.run_id: r for r in self.runs()}
        closed: dict[int, int] = {}
        was: dict[int, int] = {}
        for e in self.events():
            if e.action == "close":
                start = max(closed) + 1 if closed else min(runs[e.run_id].first_month, e.month)
                closed.update({m: e.run_id for m in range(start, e.month + 1)})
            else:
                for m in [m for m in closed if m >= e.month]:
                    was[m] = closed.pop(m)
        return {m: r for m, r in sorted(was.items()) if m not in closed}

    def reopen_period(self, month: int, reason: str, *, by: str | None = None) -> list[int]:
        """Reopen ``month`` and every month after it; the reason is kept in the audit trail."""
        reason = (reason or "").strip()
        if not reason:
            raise LedgerError("reopening a closed month needs a reason (--reason)")
        with self.writing() as conn:
            closed_through = self.closed_through()
            if closed_through is None or month > closed_through:
                state = f"closed through {period(closed_through)}" if closed_through is not None else "no month is closed"
                raise LedgerError(f"{period(month)} is not closed ({state})")
            t = S.closed_periods
            months = [_month(p) for p in conn.execute(
                sa.select(t.c.period).where(t.c.period >= _key(month)).order_by(t.c.period)).scalars()]
            conn.execute(S.period_events.insert().values(
                event_id=_next_id(conn, S.period_events.c.event_id), action="reopen", period=_key(month), run_id=None, reason=reason,
                recorded_at=now(), recorded_by=by or current_user()))
            conn.execute(t.delete().where(t.c.period >= _key(month)))
        return months


def _next_id(conn: sa.Connection, column: sa.Column) -> int:
    """The next number of a run or event; safe because the caller holds the write lock."""
    return int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(column), 0))).scalar()) + 1


# -- frames <-> rows -------------------------------------------------------------------------------

def _line_select(t):
    return [t.c[c.file_name] for c in LINE]


def _register_select(t):
    return [t.c[c.file_name] for c in REGISTER]


def _ints(values) -> np.ndarray:
    return np.fromiter(values, dtype=np.int64, count=len(values))  # int(): PostgreSQL may hand back Decimal


def _nullable_ints(values) -> pd.arrays.IntegerArray:
    objects = np.array(values, dtype=object)
    mask = pd.isna(objects)
    data = np.where(mask, 0, objects).astype(np.int64) if len(objects) else np.zeros(0, dtype=np.int64)
    return pd.arrays.IntegerArray(data, mask.astype(bool))


def lines_frame(rows) -> pd.DataFrame:
    """Rows in ``_line_select`` order → a lines frame with the engine's dtypes plus ``original_month``."""
    cols = dict(zip([c.name for c in LINE], zip(*rows) if rows else [()] * len(LINE)))
    strings = lambda name: np.array(cols[name], dtype=object)  # noqa: E731
    frame = L.make_lines(
        rep_id=strings("rep_id"), month=month_of_key(_ints(cols["month"])), plan_id=strings("plan_id"),
        component_id=strings("component_id"), deal_id=strings("deal_id"), account_id=strings("account_id"),
        kind=strings("kind"), rate=strings("rate"), amount=_ints(cols["amount"]), note=strings("note"),
        facts=[L.facts_from_json(f) for f in cols["facts"]])
    for name in ("basis", "installment", "installments"):
        frame[name] = _nullable_ints(cols[name])
    original = _nullable_ints(cols["original_month"])
    original_months = month_of_key(original.to_numpy(dtype=np.int64, na_value=100))
    frame["original_month"] = pd.arrays.IntegerArray(original_months.astype(np.int64), original.isna())
    return frame


def _nullable_list(col: pd.Series, convert=None) -> list:
    values = col.to_numpy(np.int64, na_value=0)
    if convert is not None:
        values = convert(values)
    out = values.tolist()
    for i in np.flatnonzero(col.isna().to_numpy()):
        out[i] = None
    return out


def _line_rows(lines: pd.DataFrame, run_id: int) -> Iterator[dict[str, list]]:
    original = lines["original_month"] if "original_month" in lines.columns else pd.Series(
        pd.array([None] * len(lines), dtype="Int64"))
    for start in range(0, len(lines), CHUNK):
        part = lines.iloc[start:start + CHUNK]
        n = len(part)
        yield {
            "run_id": [run_id] * n,
            "rep_id": part["rep_id"].to_numpy(object).tolist(),
            "period": period_key(part["month"].to_numpy()).tolist(),
            "line_no": list(range(start, start + n)),
            "plan_id": part["plan_id"].to_numpy(object).tolist(),
            "component_id": part["component_id"].to_numpy(object).tolist(),
            "deal_id": part["deal_id"].to_numpy(object).tolist(),
            "account_id": part["account_id"].to_numpy(object).tolist(),
            "kind": part["kind"].to_numpy(object).tolist(),
            "basis": _nullable_list(part["basis"]),
            "rate": part["rate"].to_numpy(object).tolist(),
            "amount": part["amount"].to_numpy(np.int64).tolist(),
            "installment": _nullable_list(part["installment"]),
            "installments": _nullable_list(part["installments"]),
            "note": part["note"].to_numpy(object).tolist(),
            "original_period": _nullable_list(original.iloc[start:start + CHUNK], period_key),
            "facts": [L.facts_to_json(f) for f in part["facts"].to_numpy(object)],
        }


def _register_rows(register: pd.DataFrame, run_id: int) -> Iterator[dict[str, list]]:
    for start in range(0, len(register), CHUNK):
        part = register.iloc[start:start + CHUNK]
        columns = {"run_id": [run_id] * len(part), "rep_id": part["rep_id"].to_numpy(object).tolist(),
                   "period": period_key(part["month"].to_numpy()).tolist()}
        for c in REGISTER_MONEY:
            columns[c] = part[c].to_numpy(np.int64).tolist()
        yield columns


def _bulk_insert(conn: sa.Connection, table: sa.Table, chunks: Iterable[dict[str, list]],
                 progress: Callable[[int], None] | None) -> None:
    """Chunk by chunk, in this transaction, on the driver's own connection where that is much faster
    than Core's dict per row: SQLite executemany of tuples (the statement compiled from the Core table),
    PostgreSQL through psycopg's COPY. Any other driver: Core's executemany."""
    statement, cursor = None, None
    driver = conn.connection.driver_connection
    copying = conn.dialect.name == "postgresql" and hasattr(driver, "cursor") and conn.dialect.driver == "psycopg"
    try:
        for columns in chunks:
            keys = list(columns)
            if conn.dialect.name == "sqlite":
                if statement is None:
                    compiled = table.insert().compile(dialect=conn.dialect, column_keys=keys)
                    statement = (str(compiled), [keys.index(k) for k in compiled.positiontup])
                    cursor = driver.cursor()
                sql, order = statement
                cursor.executemany(sql, zip(*(columns[keys[i]] for i in order)))
            elif copying:
                quote = conn.dialect.identifier_preparer
                sql = (f"COPY {quote.format_table(table)} ({', '.join(quote.quote(k) for k in keys)}) FROM STDIN")
                with driver.cursor() as cur, cur.copy(sql) as copy:
                    for row in zip(*columns.values()):
                        copy.write_row(row)
            else:
                conn.execute(table.insert(), [dict(zip(keys, row)) for row in zip(*columns.values())])
            if progress is not None:
                progress(len(columns["run_id"]))
    finally:
        if cursor is not None:
            cursor.close()
