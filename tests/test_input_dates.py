"""Date columns are checked against the calendar without strptime (issue 19): same verdicts as Python's."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

from compcalc.inputs import FIRST_YEAR, LAST_YEAR, _parse_dates


def _expected(text: str):
    try:
        d = dt.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        d = None
    return d


def test_every_day_month_and_year_edge_agrees_with_the_calendar():
    texts = [f"{y:04d}-{m:02d}-{d:02d}" for y in (1, 1600, 1700, 1899, 1900, 2000, 2024, 2027, 2100, 2199, 2200, 9999)
             for m in range(0, 14) for d in range(0, 33)]
    dates, bad, early, late = _parse_dates(pa.array(texts))
    for i, text in enumerate(texts):
        d = _expected(text)
        inside = d is not None and FIRST_YEAR <= d.year <= LAST_YEAR
        assert (bool(bad[i]), bool(early[i]), bool(late[i])) == (
            d is None, d is not None and d.year < FIRST_YEAR, d is not None and d.year > LAST_YEAR), text
        assert (np.datetime64(d, "ns") if inside else np.datetime64("NaT")) == dates[i] or (
            not inside and np.isnat(dates[i])), text


def test_empty_and_malformed_text():
    dates, bad, early, late = _parse_dates(pa.array(["", "2027-1-05", "2027/01/05", " 2027-01-05", "0000-02-29", "x"]))
    assert bad.tolist() == [False, True, True, True, False, True]
    assert early.tolist() == [False, False, False, False, True, False]  # year 0 is a (leap) year, before 1900
    assert not late.any() and np.isnat(dates).all()
