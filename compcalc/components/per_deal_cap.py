"""Per-deal cap (SPEC §8.5): ``max_per_deal`` on the deal commissions and the override.

A credited rep's commission on one event is min(commission, round(max_per_deal × share)), taken before
any upfront/installment split. A capped line's note says so and by how much.
"""
from __future__ import annotations

import numpy as np

from compcalc.money import format_cents_array, product, round_div, to_cents


def cap(commission: np.ndarray, max_per_deal, share_num, share_den, mode: str):
    """(capped commission, limit, the amount cut off) per event; unchanged (limit None) without a cap."""
    commission = np.asarray(commission, dtype=np.int64)
    if max_per_deal is None:
        return commission, None, np.zeros(len(commission), dtype=np.int64)
    limit = round_div(product(to_cents(max_per_deal), np.asarray(share_num)), np.asarray(share_den), mode)
    capped = np.minimum(commission, limit)
    return capped, limit, commission - capped


def notes(cut: np.ndarray, commission: np.ndarray, limit, max_per_deal):
    """'capped at 2500.00 (max_per_deal 5000 × share): 1234.56 cut from 3734.56' where cut, else ''."""
    cut = np.asarray(cut, dtype=np.int64)
    hit = cut > 0
    if not hit.any():
        return ""  # a scalar: no per-row note column for a million uncapped deals
    out = np.full(len(cut), "", dtype=object)
    out[hit] = ("capped at " + format_cents_array(np.asarray(limit)[hit]).astype(object)
                + f" (max_per_deal {max_per_deal} × share): "
                + format_cents_array(cut[hit]).astype(object) + " cut from "
                + format_cents_array(np.asarray(commission)[hit]).astype(object))
    return out


def join(base, *extra):
    """Note columns joined with '; ', leaving out empty parts (vectorised: notes can be a million rows)."""
    if all(np.ndim(p) == 0 for p in (base,) + extra):  # all scalars: a scalar, which make_lines broadcasts
        return "; ".join(str(p) for p in (base,) + extra if p != "")
    n = max(np.asarray(p, dtype=object).size for p in (base,) + extra if np.ndim(p))
    out = np.broadcast_to(np.asarray(base, dtype=object), (n,)).copy()
    for part in extra:
        part = np.broadcast_to(np.asarray(part, dtype=object), (n,))
        has = part != ""
        if has.any():
            out[has] = np.where(out[has] == "", part[has], out[has] + "; " + part[has])
    return out
