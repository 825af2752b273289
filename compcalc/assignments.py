"""Which roster assignment a rep holds on a date — the one lookup loading (currency of a deal's plan),
crediting (an event's assignment) and lint (a deal's plan) all use.

A validated roster has no overlapping assignments of one rep; on one that has (lint may be handed any
roster), the assignment that started last on or before the date counts, and if it has ended by then the
rep holds none.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

DAY_SPAN = 1 << 22  # more days than any date range we meet (~11,000 years)


def days(dates) -> np.ndarray:
    """Days since the epoch of datetime64 values (NaT gives int64's minimum)."""
    return np.asarray(dates, dtype="datetime64[ns]").astype("datetime64[D]").astype(np.int64)


class AssignmentIndex:
    """The roster's rows searchable by (rep, day): ``at`` gives the row of the assignment each rep holds
    on each date, or -1; ``plan_ids`` its plan_id."""

    def __init__(self, rep_ids, plan_ids, starts, ends):
        rep_ids = np.asarray(rep_ids, dtype=object)
        self._reps = pd.Index(sorted(set(rep_ids.tolist())))
        code = self._reps.get_indexer(rep_ids)
        starts = np.asarray(starts, dtype="datetime64[ns]")
        start_day = days(starts)
        ends = np.asarray(ends, dtype="datetime64[ns]")
        end_known = ~np.isnat(ends)
        end_day = np.where(end_known, days(np.where(end_known, ends, starts)), np.iinfo(np.int64).max)
        # a row with no start date (a bad date, reported by loading) holds nothing, and must not sort
        # among the other reps' rows
        order = np.lexsort((start_day, code))
        order = order[~np.isnat(starts)[order]]
        self._order = order
        self._keys = code[order] * DAY_SPAN + start_day[order] if len(order) else np.array([], dtype=np.int64)
        self._code = code[order]
        self._end_day = end_day[order]
        self._plan_ids = np.append(np.asarray(plan_ids, dtype=object), "").astype(object)  # row -1 -> ""

    @classmethod
    def of_roster(cls, roster: pd.DataFrame) -> "AssignmentIndex":
        """From a roster frame (rep_id, plan_id, start_date, end_date: datetime64, NaT = open)."""
        return cls(roster["rep_id"].to_numpy(object), roster["plan_id"].to_numpy(object),
                   roster["start_date"].to_numpy(), roster["end_date"].to_numpy())

    def at(self, rep_ids, dates) -> np.ndarray:
        """Row of the assignment each rep holds on each date (start and end days included), or -1."""
        rep_ids = np.asarray(rep_ids, dtype=object)
        if len(rep_ids) == 0 or len(self._keys) == 0:
            return np.full(len(rep_ids), -1, dtype=np.int64)
        code = self._reps.get_indexer(rep_ids)
        day = days(dates)
        pos = np.searchsorted(self._keys, code * DAY_SPAN + day, side="right") - 1
        pos_ok = np.clip(pos, 0, None)
        found = (pos >= 0) & (code >= 0) & (self._code[pos_ok] == code) & (day <= self._end_day[pos_ok])
        return np.where(found, self._order[pos_ok], -1).astype(np.int64)

    def plan_ids(self, rows) -> np.ndarray:
        """The plan_id of each row from :meth:`at` ("" for -1)."""
        return self._plan_ids[np.asarray(rows, dtype=np.int64)]
