"""``prior_arr`` for renewals the export does not carry it for: the account's ARR just before the renewal.

An account's ARR follows SPEC §6: its land ARR, plus expansions and renewal uplifts, minus
contractions, renewal downsells and churn. "Just before" means every row of the account closed
earlier, and rows on the same day that come earlier in the export. An account with no land (and no
earlier renewal whose prior ARR is known) before the renewal has no known ARR: that is an error, not
a guess — export its earlier rows too (and import with ``--since``) or map a prior ARR column.
"""
from __future__ import annotations

import numpy as np


def derive_prior(accounts, types, dates, arr, prior, has_prior, needed) -> tuple[np.ndarray, np.ndarray]:
    """(prior ARR in cents for each row in ``needed``, known) — positional arrays over all rows.

    ``arr``/``prior`` are int cents; ``has_prior`` marks renewals whose prior is given."""
    n = len(accounts)
    out = np.zeros(n, dtype=np.int64)
    known_out = np.zeros(n, dtype=bool)
    wanted = set(np.asarray(accounts, dtype=object)[needed].tolist())
    if not wanted:
        return out, known_out
    pick = np.flatnonzero(np.isin(np.asarray(accounts, dtype=object), list(wanted)))
    order = pick[np.lexsort((pick, np.asarray(dates)[pick], np.asarray(accounts, dtype=object)[pick].astype(str)))]
    current_account, level, known = None, 0, False
    acc_l, typ_l = np.asarray(accounts, dtype=object)[order].tolist(), np.asarray(types, dtype=object)[order].tolist()
    arr_l, prior_l = np.asarray(arr)[order].tolist(), np.asarray(prior)[order].tolist()
    has_l, need_l = np.asarray(has_prior)[order].tolist(), np.asarray(needed)[order].tolist()
    for k, i in enumerate(order.tolist()):
        if acc_l[k] != current_account:
            current_account, level, known = acc_l[k], 0, False
        kind, value = typ_l[k], arr_l[k]
        if kind == "new":
            level, known = value, True
        elif kind == "expansion":
            level += value
        elif kind in ("contraction", "churn"):
            level -= value
        elif kind == "renewal":
            if need_l[k]:
                out[i], known_out[i] = level, known
                level, known = (value, True) if known else (level, False)
            elif has_l[k]:
                # §6: the uplift or downsell against the stated prior; with no known level, the stated
                # prior is the level
                level, known = (level + value - prior_l[k], True) if known else (value, True)
    return out, known_out
