"""The one plan-at-date lookup (compcalc.assignments): loading, crediting and lint all ask it."""
from __future__ import annotations

import numpy as np
import pandas as pd

from compcalc.assignments import AssignmentIndex


def dates(*texts):
    return pd.to_datetime(list(texts)).to_numpy()


ROSTER = pd.DataFrame({
    "rep_id": ["ae1", "ae1", "am1", "xx1", "xx1"],
    "plan_id": ["nb_2027", "exp_2027", "exp_2027", "a", "b"],
    "start_date": dates("2027-01-01", "2027-07-01", "2027-04-01", "2027-01-01", "2027-03-01"),
    "end_date": dates("2027-06-30", None, "2027-09-30", None, "2027-05-31"),
})


def test_the_assignment_held_on_a_date_start_and_end_days_included():
    index = AssignmentIndex.of_roster(ROSTER)
    reps = ["ae1", "ae1", "ae1", "ae1", "am1", "am1", "am1", "zz9"]
    days = dates("2026-12-31", "2027-01-01", "2027-06-30", "2027-07-01", "2027-03-31", "2027-09-30", "2027-10-01",
                 "2027-05-01")
    rows = index.at(reps, days)
    assert rows.tolist() == [-1, 0, 0, 1, -1, 2, -1, -1]
    assert index.plan_ids(rows).tolist() == ["", "nb_2027", "nb_2027", "exp_2027", "", "exp_2027", "", ""]


def test_overlapping_assignments_the_latest_start_wins():
    """A validated roster has none; lint may be handed one: xx1 holds a from January, b from March to
    May. The latest start counts, and once it has ended the rep holds nothing (a is not looked at)."""
    index = AssignmentIndex.of_roster(ROSTER)
    assert index.plan_ids(index.at(["xx1"] * 3, dates("2027-02-01", "2027-04-01", "2027-06-01"))).tolist() == \
        ["a", "b", ""]


def test_an_empty_roster_or_no_events():
    empty = AssignmentIndex.of_roster(ROSTER.iloc[:0])
    assert empty.at(["ae1"], dates("2027-01-01")).tolist() == [-1]
    assert AssignmentIndex.of_roster(ROSTER).at(np.array([], dtype=object), dates()).tolist() == []


def test_a_row_without_a_start_date_holds_nothing_and_leaves_the_others_alone():
    """Loading reports a bad start date and goes on checking (currency conversion asks this index)."""
    index = AssignmentIndex(["a", "b"], ["PA", "PB"], dates("2024-01-01", None), dates(None, None))
    rows = index.at(["a", "b"], dates("2024-06-01", "2024-06-01"))
    assert rows.tolist() == [0, -1] and index.plan_ids(rows).tolist() == ["PA", ""]
