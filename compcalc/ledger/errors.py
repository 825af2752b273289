"""The ledger's errors, importable without the database layer (every command catches them)."""


class LedgerError(Exception):
    """A ledger problem to show the user as it is (no traceback)."""


class LedgerBusy(LedgerError):
    """Another process held the ledger's write lock for longer than the timeout."""
