"""Exact money helpers: rounding modes, exact division, formatting."""
from __future__ import annotations

from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from fractions import Fraction

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from compcalc.money import display, format_cents, format_cents_array, product, ratio, round_div, round_fraction


def test_half_up_rounds_halves_away_from_zero_and_half_even_to_even():
    num = np.array([125, 135, -125, -135, 124, 126])
    assert round_div(num, 10, "half_up").tolist() == [13, 14, -13, -14, 12, 13]
    assert round_div(num, 10, "half_even").tolist() == [12, 14, -12, -14, 12, 13]
    assert round_fraction(Fraction(1, 8) * 100, "half_even") == 12  # 12.5 cents
    assert round_fraction(Fraction(1, 8) * 100, "half_up") == 13


def test_round_div_switches_to_python_integers_when_int64_would_overflow():
    big = product(np.array([9 * 10**15]), np.array([10**6]))
    assert big.dtype == object
    assert round_div(big, np.array([3 * 10**6]), "half_up").tolist() == [3 * 10**15]


@given(st.integers(-10**15, 10**15), st.integers(1, 10**6), st.sampled_from(["half_up", "half_even"]))
def test_round_div_agrees_with_decimal(num, den, mode):
    rounding = ROUND_HALF_UP if mode == "half_up" else ROUND_HALF_EVEN
    want = int((Decimal(num) / Decimal(den)).quantize(Decimal(1), rounding=rounding))  # 28 digits: exact here
    assert round_div(np.array([num]), np.array([den]), mode)[0] == want


def test_ratio_is_exact_for_decimals():
    assert ratio(Decimal("0.10")) == (1, 10)
    assert ratio(Decimal("0.333")) == (333, 1000)


def test_formatting():
    assert format_cents(-30001) == "-300.01"
    assert format_cents(5) == "0.05"
    assert display(10139985) == "101,399.85"
    assert format_cents_array(np.array([180000, -5, 0])).tolist() == ["1800.00", "-0.05", "0.00"]
    assert format_cents_array(np.array([], dtype=np.int64)).tolist() == []
