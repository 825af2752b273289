"""Months as integers, and their last days (a metric counts on its month's last day, SPEC §3)."""
from __future__ import annotations

import numpy as np

from compcalc.periods import last_day, month_end, parse_period


def test_month_end_is_last_day_for_every_month_of_two_centuries():
    months = np.arange(parse_period("1990-01"), parse_period("2100-12") + 1)
    assert [str(d)[:10] for d in month_end(months)] == [last_day(m).isoformat() for m in months]


def test_month_end_of_leap_februaries_and_december():
    got = month_end([parse_period("2024-02"), parse_period("2100-02"), parse_period("2027-12")])
    assert got.dtype == np.dtype("datetime64[ns]")
    assert [str(d) for d in got] == ["2024-02-29T00:00:00.000000000", "2100-02-28T00:00:00.000000000",
                                     "2027-12-31T00:00:00.000000000"]
