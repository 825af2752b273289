"""Numbers in .xlsx files are written as their exact text.

openpyxl writes every number with ``"%.16g"``, so ``Decimal("8795.95")`` lands in the file as
``8795.950000000001`` and a rate of 0.0875 as ``0.08749999999999999``. Excel rounds those back on
reading, but an auditor who opens the XML, or any tool that reads it as text, sees float noise in
money. Importing this module makes the writer use the Decimal's own text (and the shortest
round-trip text for a float). Every workbook writer in compcalc imports it.
"""
from __future__ import annotations

import math
from decimal import Decimal

import openpyxl.cell._writer as _writer

_openpyxl_safe_string = getattr(_writer.safe_string, "__wrapped__", _writer.safe_string)


def exact_string(value) -> str:
    if isinstance(value, Decimal) and value.is_finite():
        return format(value, "f")
    if isinstance(value, float) and math.isfinite(value):
        return repr(value)
    return _openpyxl_safe_string(value)


exact_string.__wrapped__ = _openpyxl_safe_string
_writer.safe_string = exact_string
