"""Per-deal cap (SPEC §8.5): ``max_per_deal`` on the deal commissions and the override.

A credited rep's commission on one event is min(commission, round(max_per_deal × share)), taken before
any upfront/installment split. A capped line's note says so and by how much.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from compcalc import ledger_lines as L

from compcalc.money import format_cents_array, product, round_div, to_cents


def cap(commission: np.ndarray, max_per_deal, share_num, share_den, mode: str):
    """(capped commission, limit, the amount cut off) per event; unchanged (limit None) without a cap."""
    commission = np.asarray(commission, dtype=np.int64)
    if max_per_deal is None:
        return commission, None, np.zeros(len(commission), dtype=np.int64)
    limit = round_div(product(to_cents(max_per_deal), np.asarray(share_num)), np.asarray(share_den), mode)
    capped = np.minimum(commission, limit)
    return capped, limit, commission - capped


@L.fact_type
class CapFacts(NamedTuple):
    """A capped line: the commission before the cap and the cap (max_per_deal × share)."""

    uncapped: L.Cents
    cap: L.Cents


def facts(cut: np.ndarray, commission: np.ndarray, limit):
    """The CapFacts of each capped line (None elsewhere); None for every line when nothing was capped."""
    cut = np.asarray(cut, dtype=np.int64)
    hit = np.flatnonzero(cut > 0)
    if not len(hit):
        return None
    out = np.empty(len(cut), dtype=object)
    commission, limit = np.asarray(commission), np.asarray(limit)
    out[hit] = [CapFacts(int(commission[i]), int(limit[i])) for i in hit.tolist()]
    return out


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
