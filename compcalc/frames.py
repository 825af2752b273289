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
