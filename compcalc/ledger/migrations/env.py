"""Alembic environment: the ledger hands over its open connection (in ``config.attributes``).

To write a new migration against a scratch database:
``alembic -x url=sqlite:///scratch.db -c /dev/null revision --autogenerate -m "…"`` is not available
without an ini file, so use ``compcalc.ledger.store.alembic_config(url)`` from Python and
``alembic.command.revision(cfg, message, autogenerate=True)``.
"""
from __future__ import annotations

from alembic import context

from compcalc.ledger.schema import VERSION_TABLE, metadata

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # a maintainer's command line: build a connection from the url
    import sqlalchemy as sa

    engine = sa.create_engine(config.get_main_option("sqlalchemy.url"))
    connection = engine.connect()

context.configure(connection=connection, target_metadata=metadata, version_table=VERSION_TABLE,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
