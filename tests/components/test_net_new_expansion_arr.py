"""The one net new expansion ARR of a deal event (SPEC §8.1), shared by quota credits and what-if."""
from __future__ import annotations

import numpy as np

from compcalc.components.base import net_new_expansion_arr

TYPES = np.array(["new", "expansion", "renewal", "renewal", "contraction", "churn"], dtype=object)
ARR = np.array([100_00, 50_00, 80_00, 120_00, 30_00, 20_00])
PRIOR = np.array([0, 0, 100_00, 100_00, 0, 0])


def test_every_event_type_signed_as_spec_8_1_says():
    # new 0; expansion +; renewals: downsell 100 → 80 is −20, uplift 100 → 120 is +20; contraction and churn −
    assert net_new_expansion_arr(TYPES, ARR, PRIOR).tolist() == [0, 50_00, -20_00, 20_00, -30_00, -20_00]


def test_uplift_and_churn_count_only_when_the_plan_says_so():
    assert net_new_expansion_arr(TYPES, ARR, PRIOR, renewal_uplift=False, net_of_churn=False).tolist() == \
        [0, 50_00, -20_00, 0, -30_00, 0]
