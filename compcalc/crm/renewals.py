"""``prior_arr`` for renewals the export does not carry it for: the account's ARR just before the renewal.

An account's ARR follows SPEC §6: its land ARR, plus expansions and renewal uplifts, minus
contractions, renewal downsells and churn. "Just before" means every row of the account closed
earlier, and rows on the same day that come earlier in the export. An account with no land (and no
earlier renewal whose prior ARR is known) before the renewal has no known ARR: that is an error, not
a guess — export its earlier rows too (and import with ``--since``) or map a prior ARR column.
"""
from __future__ import annotations

import numpy as np


def derive_prior(accounts, kinds, days, arr, prior, has_prior, needed, usable) -> tuple[np.ndarray, np.ndarray]:
    """(the account's ARR in cents just before each row, whether it is known) — for the ``needed`` rows.

    Positional arrays over all rows: ``accounts`` integer codes, ``kinds`` 0 new, 1 expansion, 2
    renewal, 3 contraction or churn (others ignored), ``days`` sortable dates, ``arr``/``prior`` cents,
    ``has_prior`` renewals with a stated prior, ``usable`` the rows that count (won, dated).

    Vectorised: a "set" row starts a segment whose level is its ARR (a land; a renewal that needs a
    prior, which leaves the account at its new ARR; a renewal with a stated prior on an account whose
    ARR is not known yet); every other row adds its change (expansion +, contraction and churn −, a
    renewal with a stated prior on a known account its uplift arr − prior)."""
    n = len(accounts)
    out = np.zeros(n, dtype=np.int64)
    known_out = np.zeros(n, dtype=bool)
    if not needed.any():
        return out, known_out
    accounts = np.asarray(accounts, dtype=np.int64)
    wanted = np.zeros(accounts.max() + 1, dtype=bool)
    wanted[accounts[needed]] = True
    pick = np.flatnonzero(wanted[accounts] & usable)
    order = pick[np.lexsort((pick, np.asarray(days)[pick], accounts[pick]))]
    acc, kind = accounts[order], np.asarray(kinds)[order]
    value, stated, has = np.asarray(arr, np.int64)[order], np.asarray(prior, np.int64)[order], np.asarray(has_prior)[order]
    need = np.asarray(needed)[order]
    m = len(order)
    start = np.ones(m, dtype=bool)
    start[1:] = acc[1:] != acc[:-1]  # first row of each account
    anchor = (kind == 0) | (kind == 2)
    # anchors strictly before each row, within its account
    before = np.cumsum(anchor) - anchor
    before = before - np.maximum.accumulate(np.where(start, before, 0))
    known = before > 0
    sets = (kind == 0) | (need & (kind == 2)) | ((kind == 2) & has & ~known)
    delta = np.select([kind == 1, kind == 3, (kind == 2) & has & known], [value, -value, value - stated], 0)
    step = np.where(sets, value, delta)
    segment = np.cumsum(sets | start)
    total = np.cumsum(step)
    seg_first = np.flatnonzero(np.r_[True, segment[1:] != segment[:-1]])
    offset = np.repeat(total[seg_first] - step[seg_first], np.diff(np.r_[seg_first, m]))
    after = total - offset  # the level after each row, inside its segment
    level_before = np.r_[0, after[:-1]]
    level_before[start] = 0
    out[order] = level_before
    known_out[order] = known
    return np.where(needed, out, 0), known_out & needed
