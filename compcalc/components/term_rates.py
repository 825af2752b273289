"""Rates by contract term (SPEC §8.6), shared by tcv_commission and acv_commission.

``term_rates: [{min_term_months: 24, rate: 0.11}, {min_term_months: 36, rate: 0.12}]``: a deal takes the
rate of the entry with the largest ``min_term_months`` ≤ its ``term_months`` (the contract's term, not
capped by ``max_term_months``); the component's own (possibly dated) rate applies when none does.
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np
from pydantic import Field, field_validator

from compcalc.components.base import Frozen, Rate


class TermRate(Frozen):
    min_term_months: int = Field(ge=1, le=1200)
    rate: Rate


def check_distinct(entries):
    """Validator body: ``min_term_months`` must be distinct (one rate per term)."""
    seen = [e.min_term_months for e in entries]
    dup = sorted({m for m in seen if seen.count(m) > 1})
    if dup:
        raise ValueError(f"min_term_months {dup[0]} appears twice (each term gets one rate)")
    return tuple(sorted(entries, key=lambda e: e.min_term_months))


def term_rate_validator(field: str):
    return field_validator(field)(lambda cls, v: check_distinct(v))


def apply(entries, term: np.ndarray, num: np.ndarray, den: np.ndarray, text: np.ndarray):
    """The (numerator, denominator, text) arrays with each deal's term rate where one applies."""
    if not entries:
        return num, den, text
    num, den, text = num.copy(), den.copy(), text.astype(object).copy()
    if num.dtype != object:
        big = any(Fraction(e.rate).numerator >= 2**62 or Fraction(e.rate).denominator >= 2**62 for e in entries)
        if big:
            num, den = num.astype(object), den.astype(object)
    for e in entries:  # ascending: a longer entry overwrites a shorter one
        hit = term >= e.min_term_months
        f = Fraction(e.rate)
        num[hit], den[hit], text[hit] = f.numerator, f.denominator, str(e.rate)
    return num, den, text
