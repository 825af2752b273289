"""The one sort of a run's lines: rep, month, plan, component, deal, kind — as Python orders text."""
from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from compcalc import ledger_lines as L
from compcalc.engine import _text_order, sort_lines

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=6)  # any code point, even 𝄞


PAD = [f"D{i:05d}" for i in range(1_001)]  # enough distinct values for the Arrow path


@settings(max_examples=60, deadline=None)
@given(st.lists(TEXT, max_size=40))
def test_many_distinct_texts_sort_in_python_order(values):
    """Over 1,000 distinct values sort in Arrow: the same order as Python's sorted(), whatever the text."""
    values = list(dict.fromkeys(values + PAD))
    order = _text_order(np.array(values, dtype=object))
    assert [values[i] for i in order] == sorted(values)


def test_a_few_values_and_non_text_sort_as_pandas_does():
    assert list(_text_order(np.array(["b", "", "a"], dtype=object))) == [1, 2, 0]
    assert list(_text_order(np.array([3, 1, 2]))) == [1, 2, 0]


def test_lines_sort_by_rep_month_plan_component_deal_kind():
    deals = [f"D{i:05d}" for i in range(3_000)][::-1]  # more than 1,000 distinct deal ids, given in reverse
    n = len(deals)
    lines = L.make_lines(rep_id=np.array(["r2", "r1"] * (n // 2), dtype=object), month=np.full(n, 24324),
                         plan_id="p", component_id="c", deal_id=np.array(deals, dtype=object), kind="upfront",
                         amount=np.arange(n))
    out = sort_lines(lines)
    assert list(out["rep_id"][:2]) == ["r1", "r1"] and list(out["rep_id"][-1:]) == ["r2"]
    firsts = out[out["rep_id"] == "r1"]["deal_id"].tolist()
    assert firsts == sorted(firsts) and firsts[0] == "D00000"
    assert sorted(out["amount"].tolist()) == list(range(n))
    assert isinstance(out, pd.DataFrame)


def test_extra_lines_sort_in_as_if_concatenated_first():
    """Draw top-ups are sorted into the filtered lines without concatenating the frames first: the same
    frame as concatenating, then sorting — text, months, amounts and missing bases alike."""
    lines = L.make_lines(rep_id=np.array(["r2", "r1", "r1", "r3"], dtype=object), month=[24300, 24301, 24300, 24300],
                         plan_id="p", component_id="c", deal_id=np.array(["D2", "D1", "D3", "D4"], dtype=object),
                         kind="upfront", basis=[100, 200, 300, 400], rate="0.25", amount=[25, 50, 75, 100])
    draws = L.make_lines(rep_id=np.array(["r1", "r3"], dtype=object), month=[24300, 24301], component_id="draw",
                         kind="draw", basis=[6000, 6000], amount=[5925, 6000], note="draw top-up")
    rows = np.array([0, 1, 2])  # the r3 line is filtered out; its draw is not
    got = sort_lines(lines.copy(), rows, consume=True, extra=draws)
    want = sort_lines(L.concat_lines([lines.iloc[rows], draws]))
    pd.testing.assert_frame_equal(got, want)
    assert got["rep_id"].tolist() == ["r1", "r1", "r1", "r2", "r3"]
    assert got["component_id"].tolist() == ["draw", "c", "c", "c", "draw"]  # no plan ("") sorts first
    assert got["basis"].tolist() == [6000, 300, 200, 100, 6000] and got["amount"].tolist() == [5925, 75, 50, 25, 6000]
    assert got["installment"].isna().all() and got["note"].tolist()[0] == "draw top-up"


def test_text_keys_rebuilt_from_their_codes_keep_every_value():
    lines = L.make_lines(rep_id=np.array(["r2", "r1", "r1"], dtype=object), month=[24300, 24300, 24300],
                         plan_id="p", component_id="c", deal_id=np.array(["D2", "", "D1"], dtype=object),
                         kind="upfront", amount=[1, 2, 3])
    out = sort_lines(lines)
    assert out["rep_id"].tolist() == ["r1", "r1", "r2"] and out["amount"].tolist() == [2, 3, 1]
    assert out["deal_id"].tolist() == ["", "D1", "D2"]  # no deal ("") sorts first
    assert out["rep_id"].dtype == object and out["plan_id"].tolist() == ["p", "p", "p"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["nb_ae", "exp_ae", "", "csm", "é"]), st.integers(1, 4_000)),
                min_size=1, max_size=12))
def test_factorising_through_runs_gives_pandas_codes(runs):
    """Text in long runs (a component's plan, component and kind) is factorised run by run: the same
    codes and distinct values as pandas.factorize, whichever path the column takes."""
    from compcalc.frames import factorize_text as _factorize

    values = np.concatenate([np.full(n, v, dtype=object) for v, n in runs])
    codes, uniques = _factorize(pd.Series(values, dtype=object))
    want_codes, want_uniques = pd.factorize(values)
    assert codes.tolist() == want_codes.tolist() and list(uniques) == list(want_uniques)


def test_factorising_a_run_length_column_and_a_scattered_one():
    from compcalc.frames import factorize_text as _factorize

    runs = np.concatenate([np.full(20_000, v, dtype=object) for v in ["b", "a", "b", "c"]])  # the run path
    scattered = np.array([f"D{i % 5_000}" for i in range(30_000)], dtype=object)  # short runs: pandas itself
    for values in (runs, scattered):
        codes, uniques = _factorize(values)
        want_codes, want_uniques = pd.factorize(values)
        assert np.array_equal(codes, want_codes) and list(uniques) == list(want_uniques)
    assert list(_factorize(runs)[1]) == ["b", "a", "c"] and _factorize(runs)[0][-1] == 2
