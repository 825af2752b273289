"""Frames whose text columns stay Python objects.

pandas 3 turns every object array of text into Arrow-backed strings when a frame is built or a column
assigned. On the run's hot path (millions of lines, a million deals) that conversion — and the
conversions back when the values are used — cost more than the arithmetic, so the engine keeps text
as plain objects and converts to Arrow once, when it writes a file.
"""
from __future__ import annotations

import numpy as np
import pandas as pd


def text(values, index=None) -> pd.Series:
    """A text column of Python objects (no Arrow conversion)."""
    if isinstance(values, pd.Series):
        values = values.to_numpy(dtype=object)
    return pd.Series(np.asarray(values, dtype=object), index=index, dtype=object, copy=False)


def filled(n: int, value) -> np.ndarray:
    """An object array of ``n`` copies of one value (a slice assignment: 3× faster than np.full)."""
    out = np.empty(n, dtype=object)
    out[:] = value
    return out


def object_frame(columns: dict) -> pd.DataFrame:
    """Build a frame, keeping object arrays (text) as object columns."""
    return pd.DataFrame({k: text(v) if isinstance(v, np.ndarray) and v.dtype == object else v
                         for k, v in columns.items()}, copy=False)  # copy=False: no block consolidation


def factorize_text(col):
    """``pd.factorize`` of a text column, read through its runs of equal values when they are long (a
    component's lines share one plan, component and kind): only each run's first value is hashed, the
    codes are the runs' codes repeated. Same codes and uniques, several times faster for such columns."""
    values = col.to_numpy() if isinstance(col, pd.Series) and col.dtype == object else col
    if isinstance(values, np.ndarray) and values.dtype == object and len(values) > 10_000 and _runs_long(values):
        change = np.empty(len(values), dtype=bool)
        change[0] = True
        try:
            np.not_equal(values[1:], values[:-1], out=change[1:])
        except (TypeError, ValueError, ArithmeticError):  # pd.NA, arrays, sNaN: the general path
            return pd.factorize(col)
        heads = np.flatnonzero(change)
        if len(heads) * 8 < len(values):
            codes, uniques = pd.factorize(values[heads])
            return np.repeat(codes, np.diff(np.append(heads, len(values)))), uniques
    return pd.factorize(col)


def _runs_long(values: np.ndarray, window: int = 2_000) -> bool:
    """Whether runs of equal values look long: a look at four stretches of the column (cheap), so a
    column of short runs (deal ids) is not compared in full for nothing."""
    changes = 0
    for start in np.linspace(0, len(values) - window, 4).astype(np.int64):
        part = values[start:start + window]
        try:
            changes += int(np.count_nonzero(part[1:] != part[:-1]))
        except (TypeError, ValueError, ArithmeticError):
            return False
    return changes * 8 < 4 * window
