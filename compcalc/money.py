"""Exact money: amounts are integer cents, factors are exact fractions, rounding happens in one place.

Every amount compcalc writes is ``round(numerator / denominator)`` to whole cents under the plan's
rounding mode. Numerators are built from integer cents and the integer numerators of decimal rates,
so no binary floating point ever touches money. Arrays use int64 while the product provably fits and
fall back to Python integers (object arrays) when it might not.
"""
from __future__ import annotations

from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Iterable

import numpy as np

HALF_UP = "half_up"
HALF_EVEN = "half_even"
ROUNDING_MODES = (HALF_UP, HALF_EVEN)
_DECIMAL_MODES = {HALF_UP: ROUND_HALF_UP, HALF_EVEN: ROUND_HALF_EVEN}

CENT = Decimal("0.01")
_INT64_SAFE = 2**62
#: The most money one run's lines may move in all, in cents (10 trillion): far beyond a real book,
#: and small enough that every sum and every amount × months product stays exact in int64.
MAX_RUN_CENTS = 10**15


def ratio(value: Decimal | int | Fraction) -> tuple[int, int]:
    """An exact (numerator, denominator) for a decimal factor such as a rate or a share."""
    f = Fraction(value)
    return f.numerator, f.denominator


def to_cents(value: Decimal | int) -> int:
    """Cents of an amount that has at most two decimals (validated upstream)."""
    return int(Decimal(value) * 100)


def round_fraction(value: Fraction, mode: str = HALF_UP) -> int:
    """Round an exact fraction of cents to whole cents (half away from zero, or half to even)."""
    return round_ratio(value.numerator, value.denominator, mode)


def round_ratio(num: int, den: int, mode: str = HALF_UP) -> int:
    """``round_fraction`` of num / den (den > 0), reduced or not: the whole part and whether the
    remainder is above, at or below half do not change when both are scaled by the same factor."""
    sign = -1 if num < 0 else 1
    q, r = divmod(abs(num), den)
    twice = 2 * r
    if twice > den or (twice == den and (mode == HALF_UP or q % 2 == 1)):
        q += 1
    return sign * q


def _fits(arrays: Iterable) -> bool:
    bound = 1.0
    for a in arrays:
        a = np.asarray(a)
        if a.size == 0:
            return True
        m = float(np.abs(a.astype(np.float64)).max()) if a.dtype != object else float(max(abs(int(v)) for v in a.ravel()))
        bound *= max(m, 1.0)
    return bound < _INT64_SAFE


def product(*factors) -> np.ndarray:
    """Exact elementwise product of integer arrays/scalars, int64 when it fits, else Python ints."""
    arrays = [np.asarray(f) for f in factors]
    if _fits(arrays):
        out = np.ones(np.broadcast(*arrays).shape, dtype=np.int64) if arrays else np.int64(1)
        for a in arrays:
            out = out * a.astype(np.int64)
        return out
    out = np.ones(np.broadcast(*arrays).shape, dtype=object)
    for a in arrays:
        out = out * a.astype(object)
    return out


def round_div(num, den, mode: str = HALF_UP) -> np.ndarray:
    """Elementwise round(num / den) to an integer, exactly; den > 0. Returns int64 cents."""
    num = np.asarray(num)
    den = np.asarray(den)
    if num.dtype == object or den.dtype == object:
        num = num.astype(object)
        den = np.broadcast_to(den.astype(object), num.shape)
        sign = np.where(num < 0, -1, 1).astype(object)
        a = num * sign
        q = a // den
        r = a - q * den
    else:
        num = num.astype(np.int64)
        den = np.broadcast_to(den.astype(np.int64), num.shape)
        sign = np.where(num < 0, -1, 1)
        a = np.abs(num)
        q = a // den
        r = a - q * den
    twice = 2 * r
    up = twice > den
    tie = twice == den
    if mode == HALF_UP:
        up = up | tie
    else:
        up = up | (tie & (q % 2 == 1))
    q = q + up.astype(np.int64 if q.dtype != object else object)
    return (q * sign).astype(np.int64)  # Python ints past int64 raise OverflowError here, never wrap


def format_cents(cents: int) -> str:
    """``123456`` -> ``'1234.56'`` (no thousands separator; for CSV)."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(int(cents)), 100)
    return f"{sign}{whole}.{part:02d}"


def format_cents_array(cents) -> np.ndarray:
    """Vectorised :func:`format_cents` for whole columns."""
    c = np.asarray(cents, dtype=np.int64)
    if c.size == 0:
        return np.array([], dtype=str)
    a = np.abs(c)
    whole = (a // 100).astype(str)
    part = np.char.zfill((a % 100).astype(str), 2)
    sign = np.where(c < 0, "-", "")
    return np.char.add(np.char.add(np.char.add(sign, whole), "."), part)


def display(cents: int) -> str:
    """``-30001`` -> ``'-300.01'`` with thousands separators, for people."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(int(cents)), 100)
    return f"{sign}{whole:,}.{part:02d}"


def quantize(value: Decimal, mode: str = HALF_UP) -> Decimal:
    return value.quantize(CENT, rounding=_DECIMAL_MODES[mode])
