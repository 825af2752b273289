"""The payout ledger: what was paid stays paid.

``compcalc run --db`` records every run (input and plan fingerprints, lines, register, who and when)
in one transaction. ``close`` locks months; a later run keeps closed months exactly as recorded and
puts what changed into the first open month as ``prior_period_adjustment`` lines. The ledger only
stores and reads: ``Ledger.closed()`` hands the closed months to ``compcalc.pipeline.run(book, through,
closed=…)``, whose pure close stage (:func:`close`) puts them back, and ``Ledger.record`` persists the result. ``reopen`` needs a reason, and every close and reopen is kept.

The names below load on first use, so the command line does not import SQLAlchemy until it needs it.
"""
from __future__ import annotations

import importlib

DEFAULT_DB = "compcalc.db"  # ``--db`` without a value: a SQLite file in the current folder
ENV_DB = "COMPCALC_DB"  # the ledger when --db is not given
ENV_TIMEOUT = "COMPCALC_DB_TIMEOUT"  # seconds a writer waits for another before failing (default 30)

_LAZY = {
    "ClosedPeriods": "compcalc.ledger.adjust",
    "close": "compcalc.ledger.adjust",
    "prior_period_adjustments": "compcalc.ledger.adjust",
    "Ledger": "compcalc.ledger.store",
    "LedgerError": "compcalc.ledger.errors",
    "LedgerBusy": "compcalc.ledger.errors",
    "Recording": "compcalc.ledger.store",
    "RunInfo": "compcalc.ledger.store",
    "database_url": "compcalc.ledger.store",
    "history": "compcalc.ledger.reports",
    "compare_runs": "compcalc.ledger.reports",
}

__all__ = ["DEFAULT_DB", "ENV_DB", "ENV_TIMEOUT", *_LAZY]


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
