"""Clawback of what a churned deal paid (SPEC §3, §8.7), shared by tcv_commission and acv_commission.

W = ``recover_paid_within_months``, k = churn month − close month. When k < W: ``mode: full`` (default)
claws back −paid; ``mode: pro_rata`` −round(paid × (W − k) / W), so the customer's months count for the rep.
"""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Literal

import numpy as np
from pydantic import Field

from compcalc.components.base import Frozen
from compcalc.money import round_div

Mode = Literal["full", "pro_rata"]


class AcvClawback(Frozen):
    recover_paid_within_months: int = Field(0, ge=0, le=1200)
    mode: Mode = "full"


class Clawback(Frozen):
    forfeit_unvested_on_churn: bool = True  # fields in the order plans and fingerprints always had
    recover_paid_within_months: int = Field(0, ge=0, le=1200)
    mode: Mode = "full"


def _terminates(f: Fraction) -> bool:
    d = f.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    return d == 1


def recovered(paid: np.ndarray, k: np.ndarray, window: int, mode: str, rounding: str):
    """(amount clawed back ≥ 0, rate text, note tail) per deal that claws back."""
    paid = np.asarray(paid, dtype=np.int64)
    if mode == "full":
        return paid, np.full(len(paid), "-1", dtype=object), np.full(len(paid), "", dtype=object)
    left = (window - np.asarray(k, dtype=np.int64))
    amount = round_div(paid * left, window, rounding)
    texts = {}
    for m in set(left.tolist()):
        f = Fraction(m, window)
        texts[m] = ("-" + _decimal_text(f) if _terminates(f) else "",  # rate is exact text or nothing
                    f"pro rata {m}/{window} (months left of the {window}-month window)")
    rate = np.array([texts[m][0] for m in left.tolist()], dtype=object)
    note = np.array([texts[m][1] for m in left.tolist()], dtype=object)
    return amount, rate, note


def _decimal_text(f: Fraction) -> str:
    return f"{(Decimal(f.numerator) / Decimal(f.denominator)).normalize():f}"
