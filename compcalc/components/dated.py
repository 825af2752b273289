"""Effective-dated parameters (SPEC §8.4): a value, or a mapping of ISO date to value.

``rate: 0.10`` and ``rate: {2027-01-01: 0.10, 2027-07-01: 0.12}`` are both valid wherever a component
declares its field as ``Dated[Rate]``. The value in force on a date is that of the latest key on or
before the date; dates before the first key take the first value. Each value is validated like the
plain parameter, and a problem points at ``rate.2027-07-01``.
"""
from __future__ import annotations

import bisect
import datetime as dt
from fractions import Fraction
from typing import Annotated, Any, Union

import numpy as np
from pydantic import Discriminator, Field, Tag

#: Union tags pydantic puts in an error's location; plans.py leaves them out of the YAML path.
PLAIN, BY_DATE = "plain", "by_date"
TAGS = (PLAIN, BY_DATE)


def _which(value: Any) -> str:
    return BY_DATE if isinstance(value, dict) else PLAIN


class _DatedFactory:
    """``Dated[T]``: T itself, or a non-empty mapping of date to T."""

    def __getitem__(self, inner):
        return Annotated[
            Union[Annotated[inner, Tag(PLAIN)],
                  Annotated[dict[dt.date, inner], Field(min_length=1), Tag(BY_DATE)]],
            Discriminator(_which),
        ]


Dated = _DatedFactory()


def schedule(value) -> list[tuple[dt.date, Any]]:
    """The value as (effective date, value) pairs in date order; a plain value is in force always."""
    if isinstance(value, dict):
        return sorted(value.items())
    return [(dt.date.min, value)]


def value_on(value, on: dt.date):
    """The value in force on ``on``: the rule of :func:`positions`, for one date."""
    pairs = schedule(value)
    i = bisect.bisect_right([start for start, _ in pairs], on) - 1
    return pairs[max(i, 0)][1]


def positions(value, dates) -> tuple[np.ndarray, list]:
    """For each date (datetime64 array), the index into the schedule's values in force; and the values."""
    pairs = schedule(value)
    values = [v for _, v in pairs]
    n = len(np.asarray(dates))
    if len(pairs) == 1:
        return np.zeros(n, dtype=np.int64), values
    starts = np.array([np.datetime64(d, "D") for d, _ in pairs]).astype(np.int64)
    days = np.asarray(dates, dtype="datetime64[ns]").astype("datetime64[D]").astype(np.int64)
    idx = np.searchsorted(starts, days, side="right") - 1
    return np.clip(idx, 0, len(pairs) - 1).astype(np.int64), values


def ratios_on(value, dates) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Exact (numerator, denominator) arrays of the fraction in force on each date, and its text."""
    idx, values = positions(value, dates)
    fr = [Fraction(v) for v in values]
    num = np.array([f.numerator for f in fr], dtype=object)
    den = np.array([f.denominator for f in fr], dtype=object)
    if all(abs(f.numerator) < 2**62 and f.denominator < 2**62 for f in fr):
        num, den = num.astype(np.int64), den.astype(np.int64)
    texts = np.array([str(v) for v in values], dtype=object)
    return num[idx], den[idx], texts[idx]


def first_value(value):
    """The earliest value (what a plain reading of the parameter gives, e.g. for lint)."""
    return schedule(value)[0][1]
