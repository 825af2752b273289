"""The ledger's tables as SQLAlchemy Core metadata: what the queries use and what the migrations build.

The migrations in ``migrations/versions`` are the history of this schema; a test checks that running
them all gives exactly these tables. Change both together (a new migration, never an edited one).

Money is integer cents (BIGINT). Periods are integers ``YYYYMM`` (202703 for 2027-03): readable by
anyone querying the database, ordered, and cheap to write in bulk.
"""
from __future__ import annotations

import sqlalchemy as sa

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = sa.MetaData(naming_convention=NAMING)

# One row per recorded run: who, when, what it was computed from and against which closed months.
# Run and event numbers are assigned under the write lock (max + 1), so they have no gaps even on
# PostgreSQL, whose sequences do not roll back with a failed run.
runs = sa.Table(
    "runs", metadata,
    sa.Column("run_id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("recorded_by", sa.String, nullable=False),
    sa.Column("compcalc_version", sa.String, nullable=False),
    sa.Column("first_period", sa.Integer, nullable=False),
    sa.Column("through_period", sa.Integer, nullable=False),
    sa.Column("closed_through", sa.Integer, nullable=True),
    sa.Column("currency", sa.String, nullable=False),
    sa.Column("inputs_sha256", sa.String(64), nullable=False),
    sa.Column("content_sha256", sa.String(64), nullable=False),
    sa.Column("line_count", sa.Integer, nullable=False),
    sa.Column("register_count", sa.Integer, nullable=False),
    sa.Column("adjustment_count", sa.Integer, nullable=False),
)

# The input files and plan files of a run, each with its sha256 (plans by plan_id).
run_inputs = sa.Table(
    "run_inputs", metadata,
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.run_id"), primary_key=True),
    sa.Column("role", sa.String, primary_key=True),  # roster, deals, … or plan
    sa.Column("name", sa.String, primary_key=True),  # the input's name, or the plan_id
    sa.Column("path", sa.Text, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
)

# Every line of a run. The key puts a rep's lines of a run in one range (lines arrive sorted by rep and
# period, so bulk inserts append) and skips SQLite's extra rowid tree.
run_lines = sa.Table(
    "run_lines", metadata,
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.run_id"), primary_key=True),
    sa.Column("rep_id", sa.String, primary_key=True),
    sa.Column("period", sa.Integer, primary_key=True),
    sa.Column("line_no", sa.Integer, primary_key=True),
    sa.Column("plan_id", sa.String, nullable=False),
    sa.Column("component_id", sa.String, nullable=False),
    sa.Column("deal_id", sa.String, nullable=False),
    sa.Column("account_id", sa.String, nullable=False),
    sa.Column("kind", sa.String, nullable=False),
    sa.Column("basis", sa.BigInteger, nullable=True),
    sa.Column("rate", sa.String, nullable=False),
    sa.Column("amount", sa.BigInteger, nullable=False),
    sa.Column("installment", sa.Integer, nullable=True),
    sa.Column("installments", sa.Integer, nullable=True),
    sa.Column("note", sa.Text, nullable=False),
    # For a prior_period_adjustment: the closed period it corrects.
    sa.Column("original_period", sa.Integer, nullable=True),
    # The line's typed facts as JSON ({"type": …, field: value}); NULL where a line has none, and in
    # runs recorded before 0002.
    sa.Column("facts", sa.Text, nullable=True),
    sqlite_with_rowid=False,
)

run_register = sa.Table(
    "run_register", metadata,
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.run_id"), primary_key=True),
    sa.Column("rep_id", sa.String, primary_key=True),
    sa.Column("period", sa.Integer, primary_key=True),
    sa.Column("net", sa.BigInteger, nullable=False),
    sa.Column("carry_in", sa.BigInteger, nullable=False),
    sa.Column("draw", sa.BigInteger, nullable=False),
    sa.Column("payout", sa.BigInteger, nullable=False),
    sa.Column("carry_out", sa.BigInteger, nullable=False),
    sqlite_with_rowid=False,
)

# The audit trail of closing and reopening; a reopen must say why.
period_events = sa.Table(
    "period_events", metadata,
    sa.Column("event_id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("action", sa.String, nullable=False),
    sa.Column("period", sa.Integer, nullable=False),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.run_id"), nullable=True),
    sa.Column("reason", sa.Text, nullable=True),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("recorded_by", sa.String, nullable=False),
    sa.CheckConstraint("action IN ('close', 'reopen')", name="action"),
    sa.CheckConstraint("action <> 'reopen' OR reason IS NOT NULL", name="reopen_reason"),
)

# The closed months: each is paid as the given run recorded it. Every month up to the latest one here
# is closed.
closed_periods = sa.Table(
    "closed_periods", metadata,
    sa.Column("period", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.run_id"), nullable=False),
    sa.Column("event_id", sa.Integer, sa.ForeignKey("period_events.event_id"), nullable=False),
)

# Alembic's bookkeeping table, named so it is clearly ours in a shared PostgreSQL database.
VERSION_TABLE = "ledger_schema_version"
