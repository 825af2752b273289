"""The one layer every compcalc workbook writes through: exact numbers, inert text.

Numbers in .xlsx files are written as their exact text.

openpyxl writes every number with ``"%.16g"``, so ``Decimal("8795.95")`` lands in the file as
``8795.950000000001`` and a rate of 0.0875 as ``0.08749999999999999``. Excel rounds those back on
reading, but an auditor who opens the XML, or any tool that reads it as text, sees float noise in
money. Importing this module makes the writer use the Decimal's own text (and the shortest
round-trip text for a float). Every workbook writer in compcalc imports it.

Text is inert: openpyxl turns any string starting with "=" into a live formula (and "#N/A" into an
error), so a roster name ``=HYPERLINK(...)`` or a deal id ``=2+3`` would run in the reader's Excel.
Here every string is stored as text; only a :class:`Formula` (compcalc's own totals) is a formula.
"""
from __future__ import annotations

import math
from decimal import Decimal

import openpyxl.cell._writer as _writer
from openpyxl.cell.cell import Cell

_openpyxl_safe_string = getattr(_writer.safe_string, "__wrapped__", _writer.safe_string)


def exact_string(value) -> str:
    if isinstance(value, Decimal) and value.is_finite():
        return format(value, "f")
    if isinstance(value, float) and math.isfinite(value):
        return repr(value)
    return _openpyxl_safe_string(value)


exact_string.__wrapped__ = _openpyxl_safe_string
_writer.safe_string = exact_string


class Formula(str):
    """A formula compcalc itself writes (``Formula("=SUM(B2:B9)")``); any other string is text."""


_openpyxl_bind_value = getattr(Cell._bind_value, "__wrapped__", Cell._bind_value)


def _bind_value(self, value):
    _openpyxl_bind_value(self, value)
    if self.data_type in ("f", "e") and not isinstance(value, Formula):
        self.data_type = "s"


_bind_value.__wrapped__ = _openpyxl_bind_value
Cell._bind_value = _bind_value


def header_footer_text(text: str) -> str:
    """Text for an Excel print header or footer, where "&" starts a code (``&D`` prints the date)."""
    return text.replace("&", "&&")
