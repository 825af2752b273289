"""The vectorised prior-ARR derivation equals a plain walk through each account's rows (SPEC §6)."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from compcalc.crm.renewals import derive_prior

NEW, EXPANSION, RENEWAL, LOST = 0, 1, 2, 3


def walk(accounts, kinds, days, arr, prior, has_prior, needed, usable):
    """The definition, row by row: rows in (account, day, position) order; unknown until a land or a
    renewal; a renewal with a stated prior moves a known ARR by its uplift (arr − prior)."""
    out, known_out = {}, {}
    order = sorted((i for i in range(len(accounts)) if usable[i]), key=lambda i: (accounts[i], days[i], i))
    level, known, current = 0, False, None
    for i in order:
        if accounts[i] != current:
            current, level, known = accounts[i], 0, False
        if needed[i]:
            out[i], known_out[i] = level, known
        if kinds[i] == NEW:
            level, known = arr[i], True
        elif kinds[i] == EXPANSION:
            level += arr[i]
        elif kinds[i] == LOST:
            level -= arr[i]
        elif kinds[i] == RENEWAL:
            if needed[i] or not known:
                level = arr[i]
            else:
                level += arr[i] - prior[i]
            known = True
    return out, known_out


rows = st.lists(st.tuples(st.integers(0, 3), st.sampled_from([NEW, EXPANSION, RENEWAL, LOST]), st.integers(0, 5),
                          st.integers(0, 10_000), st.integers(0, 10_000), st.booleans(), st.booleans()),
                min_size=1, max_size=40)


@settings(max_examples=300, deadline=None)
@given(rows)
def test_vectorised_derivation_matches_the_walk(data):
    accounts, kinds, days, arr, prior, stated, usable = (np.array(c) for c in zip(*data))
    has_prior = (kinds == RENEWAL) & stated
    needed = (kinds == RENEWAL) & ~stated & usable
    derived, known = derive_prior(accounts, kinds, days, arr, prior, has_prior, needed, usable)
    expected, expected_known = walk(accounts, kinds, days, arr, prior, has_prior, needed, usable)
    for i in np.flatnonzero(needed):
        assert bool(known[i]) == expected_known[i], i
        if known[i]:
            assert int(derived[i]) == expected[i], i
