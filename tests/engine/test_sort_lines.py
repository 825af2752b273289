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
