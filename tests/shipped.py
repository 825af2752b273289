"""The CSV files compcalc ships, read back as text tables: tests look at what users get, not at a
formatter kept for them."""
from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd

from compcalc.outputs import write_lines_csv, write_register_csv


def _read(write, frame) -> pd.DataFrame:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "file.csv"
        write(frame, path)
        return pd.read_csv(path, dtype=str, keep_default_na=False)


def lines_table(lines: pd.DataFrame) -> pd.DataFrame:
    """lines.csv as compcalc writes it for these lines, every cell as text."""
    return _read(write_lines_csv, lines)


def register_table(register: pd.DataFrame) -> pd.DataFrame:
    """register.csv as compcalc writes it, every cell as text."""
    return _read(write_register_csv, register)
