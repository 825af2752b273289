"""Lines carry their facts: the figures a statement or `why` shows, as typed JSON.

Runs recorded before this migration keep NULL facts; their lines, amounts and closed months are
unchanged.

Revision ID: 0002
Revises: 0001
Create Date: 2027-02-01
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: Union[str, Sequence[str], None] = "0001"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("run_lines") as batch:  # SQLite: a WITHOUT ROWID table is rebuilt
        batch.add_column(sa.Column("facts", sa.Text, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("run_lines") as batch:
        batch.drop_column("facts")
