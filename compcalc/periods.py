"""Months as integers: ``year * 12 + month - 1``, so ``m + k`` is k calendar months later."""
from __future__ import annotations

import datetime as dt
import re

NEVER = 10**9  # a month index later than any real one ("no churn", "never left")
_PERIOD = re.compile(r"^(\d{4})-(\d{2})$")


def month_index(d: dt.date) -> int:
    return d.year * 12 + d.month - 1


def months_of(dates) -> np.ndarray:
    """Vectorised month index of a datetime64 column."""
    import numpy as np  # here, not at the top: the CLI imports this module and must start at once
    import pandas as pd

    s = pd.DatetimeIndex(dates)
    return (s.year.to_numpy().astype(np.int64) * 12 + s.month.to_numpy().astype(np.int64) - 1)


def parse_period(text: str) -> int | None:
    m = _PERIOD.match(text.strip()) if isinstance(text, str) else None
    if not m or not 1 <= int(m.group(2)) <= 12:
        return None
    return int(m.group(1)) * 12 + int(m.group(2)) - 1


def period(month: int) -> str:
    y, m = divmod(int(month), 12)
    return f"{y:04d}-{m + 1:02d}"


def periods(months) -> np.ndarray:
    """Vectorised :func:`period` (via a lookup over the distinct months)."""
    import numpy as np

    months = np.asarray(months, dtype=np.int64)
    if months.size == 0:
        return np.array([], dtype=object)
    uniq, inv = np.unique(months, return_inverse=True)
    return np.array([period(m) for m in uniq], dtype=object)[inv]


def first_day(month: int) -> dt.date:
    y, m = divmod(int(month), 12)
    return dt.date(y, m + 1, 1)


def last_day(month: int) -> dt.date:
    return first_day(month + 1) - dt.timedelta(days=1)


def month_end(months) -> np.ndarray:
    """The last day of each month index, as datetime64[ns] at midnight (vectorised ``last_day``)."""
    import numpy as np  # here, not at the top (see months_of)

    start = (np.asarray(months, dtype=np.int64) - 1970 * 12).astype("datetime64[M]")
    return ((start + 1).astype("datetime64[D]") - np.timedelta64(1, "D")).astype("datetime64[ns]")


def plan_year_start(month: int, year_start_month: int) -> int:
    """The first month of the plan year (tiling every 12 months from ``year_start``) containing ``month``."""
    return month - (month - year_start_month) % 12
