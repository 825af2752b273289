"""Helpers shared by the TCV vesting rules (EX105–EX107)."""
from __future__ import annotations


def vests(component) -> bool:
    """Whether a tcv_commission defers any of its commission (not all upfront, over at least a month)."""
    return component.vesting.upfront_pct < 1 and component.vesting.months > 0
