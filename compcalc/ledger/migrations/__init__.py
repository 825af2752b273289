"""Alembic migrations of the payout ledger; run programmatically by ``compcalc.ledger.store`` on open."""
