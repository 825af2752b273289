"""Text that cannot attack whoever opens compcalc's files.

Inputs: control characters (U+0000–U+001F except tab, line feed and carriage return) are refused at
validation; no writer can store them (openpyxl raises, a terminal may obey them).

CSV outputs follow the OWASP CSV-injection guidance while staying machine-readable: a text cell that
starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'``, so a spreadsheet
shows it as text instead of running it; a cell that is a plain number (``-1``, ``-300.01``) is left as
it is, so amounts and rates read back as numbers. Workbooks are handled in compcalc.xlsx_numbers.
"""
from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f]"  # for RE2 (Arrow) and re alike
CONTROL_RE = re.compile(CONTROL)
FORMULA_START = r"^[=+\-@\t\r]"
PLAIN_NUMBER = r"^[-+]?[0-9]+(\.[0-9]+)?$"


def control_problem(text: str) -> str | None:
    """Why ``text`` may not be stored, or None."""
    m = CONTROL_RE.search(text)
    return None if m is None else f"holds the control character U+{ord(m.group()):04X} (not allowed in text)"


def csv_arrow(values: pa.Array) -> pa.Array:
    """An Arrow text column with formula-like cells prefixed by "'" (see the module docstring)."""
    if len(values) == 0:
        return values
    starts = pc.match_substring_regex(values, FORMULA_START)
    if not pc.any(starts).as_py():  # nearly every column: no second scan
        return values
    risky = pc.and_(starts, pc.invert(pc.match_substring_regex(values, PLAIN_NUMBER)))
    if not pc.any(risky).as_py():
        return values
    return pc.if_else(risky, pc.binary_join_element_wise("'", values, ""), values)


def csv_values(values) -> np.ndarray:
    """The same for an array of texts."""
    t = np.asarray(values, dtype=object)
    if t.size == 0:
        return t
    return csv_arrow(pa.array(t.astype(str), pa.string())).to_numpy(zero_copy_only=False).astype(object)
