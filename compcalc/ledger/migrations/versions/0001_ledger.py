"""The payout ledger: runs, their inputs, lines and register; closed periods and their audit trail.

Revision ID: 0001
Revises:
Create Date: 2027-01-01
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: Union[str, Sequence[str], None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "runs",
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
        sa.PrimaryKeyConstraint("run_id", name="pk_runs"),
    )
    op.create_table(
        "run_inputs",
        sa.Column("run_id", sa.Integer, nullable=False),
        sa.Column("role", sa.String, nullable=False),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["runs.run_id"], name="fk_run_inputs_run_id_runs"),
        sa.PrimaryKeyConstraint("run_id", "role", "name", name="pk_run_inputs"),
    )
    op.create_table(
        "run_lines",
        sa.Column("run_id", sa.Integer, nullable=False),
        sa.Column("rep_id", sa.String, nullable=False),
        sa.Column("period", sa.Integer, nullable=False),
        sa.Column("line_no", sa.Integer, nullable=False),
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
        sa.Column("original_period", sa.Integer, nullable=True),
        sa.ForeignKeyConstraint(["run_id"], ["runs.run_id"], name="fk_run_lines_run_id_runs"),
        sa.PrimaryKeyConstraint("run_id", "rep_id", "period", "line_no", name="pk_run_lines"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "run_register",
        sa.Column("run_id", sa.Integer, nullable=False),
        sa.Column("rep_id", sa.String, nullable=False),
        sa.Column("period", sa.Integer, nullable=False),
        sa.Column("net", sa.BigInteger, nullable=False),
        sa.Column("carry_in", sa.BigInteger, nullable=False),
        sa.Column("draw", sa.BigInteger, nullable=False),
        sa.Column("payout", sa.BigInteger, nullable=False),
        sa.Column("carry_out", sa.BigInteger, nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["runs.run_id"], name="fk_run_register_run_id_runs"),
        sa.PrimaryKeyConstraint("run_id", "rep_id", "period", name="pk_run_register"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "period_events",
        sa.Column("event_id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("action", sa.String, nullable=False),
        sa.Column("period", sa.Integer, nullable=False),
        sa.Column("run_id", sa.Integer, nullable=True),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String, nullable=False),
        sa.CheckConstraint("action IN ('close', 'reopen')", name="ck_period_events_action"),
        sa.CheckConstraint("action <> 'reopen' OR reason IS NOT NULL", name="ck_period_events_reopen_reason"),
        sa.ForeignKeyConstraint(["run_id"], ["runs.run_id"], name="fk_period_events_run_id_runs"),
        sa.PrimaryKeyConstraint("event_id", name="pk_period_events"),
    )
    op.create_table(
        "closed_periods",
        sa.Column("period", sa.Integer, autoincrement=False, nullable=False),
        sa.Column("run_id", sa.Integer, nullable=False),
        sa.Column("event_id", sa.Integer, nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["runs.run_id"], name="fk_closed_periods_run_id_runs"),
        sa.ForeignKeyConstraint(["event_id"], ["period_events.event_id"],
                                name="fk_closed_periods_event_id_period_events"),
        sa.PrimaryKeyConstraint("period", name="pk_closed_periods"),
    )


def downgrade() -> None:
    for table in ("closed_periods", "period_events", "run_register", "run_lines", "run_inputs", "runs"):
        op.drop_table(table)
