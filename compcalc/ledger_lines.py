"""The ledger line: one money movement for one rep in one month, able to explain itself.

Components return frames with these columns (``month`` is an integer month index, money is int64
cents). ``basis`` is the money figure the amount was computed from (for a forfeit: the forfeited
value), ``rate`` the factor applied, as exact decimal text; ``installment``/``installments`` number a
vesting installment; ``note`` says in words why the line exists where the columns alone do not.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from compcalc.frames import filled, text

COLUMNS = [
    "rep_id", "month", "plan_id", "component_id", "deal_id", "account_id", "kind",
    "basis", "rate", "amount", "installment", "installments", "note",
]

# Kinds of line (the ``kind`` column).
UPFRONT, INSTALLMENT, FORFEIT, CLAWBACK = "upfront", "installment", "forfeit", "clawback"
COMMISSION, CLOSER_EXPANSION, QUOTA, BONUS, OVERRIDE = "commission", "closer_expansion", "quota", "bonus", "override"
DRAW, MANUAL_ADJUSTMENT = "draw", "manual_adjustment"
PRIOR_PERIOD_ADJUSTMENT = "prior_period_adjustment"


def _col(value, n) -> pd.Series:
    """A text column; a scalar broadcasts (same object in every row, no copies)."""
    return text(filled(n, value) if isinstance(value, str) else value)


def _ints(value, n) -> pd.arrays.IntegerArray:
    """Nullable integers: ``None`` means not applicable for every row."""
    if value is None:
        return pd.arrays.IntegerArray(np.zeros(n, dtype=np.int64), np.ones(n, dtype=bool))
    values = np.broadcast_to(np.asarray(value, dtype=np.int64), (n,)).copy()
    return pd.arrays.IntegerArray(values, np.zeros(n, dtype=bool))


def make_lines(*, rep_id, month, amount, plan_id="", component_id="", deal_id="", account_id="",
               kind="", basis=None, rate="", installment=None, installments=None, note="") -> pd.DataFrame:
    """Build a line frame; scalars broadcast. ``basis``/``installment`` default to 'not applicable'."""
    amount = np.asarray(amount, dtype=np.int64)
    n = len(amount)
    return pd.DataFrame(copy=False, data={
        "rep_id": _col(rep_id, n),
        "month": np.broadcast_to(np.asarray(month, dtype=np.int64), (n,)).copy(),
        "plan_id": _col(plan_id, n),
        "component_id": _col(component_id, n),
        "deal_id": _col(deal_id, n),
        "account_id": _col(account_id, n),
        "kind": _col(kind, n),
        "basis": _ints(basis, n),
        "rate": _col(rate, n),
        "amount": amount,
        "installment": _ints(installment, n),
        "installments": _ints(installments, n),
        "note": _col(note, n),
    })


# Deleting a column costs pandas ~0.1 ms whatever its length: worth it to free a big run's memory,
# pure overhead for the many small concatenations of a what-if (54 runs of a small book).
RELEASE_ROWS = 100_000


def concat_lines(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate line frames column by column, emptying big parts as it goes.

    ``pd.concat`` holds every part and the result at once; this holds the parts and one column, which
    is what keeps a million-deal run under its memory budget. Parts of a big concatenation are left
    without columns; small ones are left as they are (see RELEASE_ROWS).
    """
    frames = [f for f in frames if len(f)]
    if not frames:
        return empty_lines()
    release = sum(len(f) for f in frames) >= RELEASE_ROWS
    out = {}
    for c in COLUMNS:
        parts = [f[c] for f in frames]
        if isinstance(parts[0].dtype, pd.Int64Dtype):
            values = np.concatenate([p.to_numpy(dtype=np.int64, na_value=0) for p in parts])
            out[c] = pd.arrays.IntegerArray(values, np.concatenate([p.isna().to_numpy() for p in parts]))
        elif parts[0].dtype == object:
            out[c] = text(np.concatenate([p.to_numpy(dtype=object) for p in parts]))
        else:
            out[c] = np.concatenate([p.to_numpy() for p in parts])
        del parts
        if release:
            for f in frames:
                del f[c]
    return pd.DataFrame(out, copy=False)


def empty_lines() -> pd.DataFrame:
    return make_lines(rep_id=np.array([], dtype=object), month=np.array([], dtype=np.int64),
                      amount=np.array([], dtype=np.int64))
