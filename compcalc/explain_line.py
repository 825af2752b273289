"""How each ledger line came about, in finance's words: shared by statements and ``compcalc why``.

``explain`` turns one line (its kind, basis, rate, installment and note) into short phrases such as
"installment 4 of 12 of D1's 5,400.00" or "forfeited: A2 churned 2027-04-05". The engine's notes carry
the facts; this module only words them (and the quota tier band, which needs the plan's tiers).
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from compcalc import ledger_lines as L
from compcalc.money import display, round_fraction
from compcalc.periods import period

# What the basis of a line is, by component type.
BASIS_NAMES = {
    "tcv_commission": "TCV",
    "acv_commission": "first-year ACV",
    "closer_expansion": "expansion ARR",
    "renewal_commission": "renewal ARR",
    "manager_override": "ARR",
    "activation_bonus": "land ARR",
    "quota_attainment": "net new expansion ARR",
}

KIND_NAMES = {
    L.UPFRONT: "upfront", L.INSTALLMENT: "installment", L.FORFEIT: "forfeited installment",
    L.CLAWBACK: "clawback", L.COMMISSION: "commission", L.CLOSER_EXPANSION: "closer expansion",
    L.QUOTA: "quota attainment", L.BONUS: "bonus", L.OVERRIDE: "override", L.DRAW: "draw top-up",
    L.MANUAL_ADJUSTMENT: "manual adjustment", L.PRIOR_PERIOD_ADJUSTMENT: "prior-period adjustment",
}

_UPFRONT_NOTE = re.compile(r"^commission (-?\d+\.\d{2}); (.+?) upfront(?:; (.+))?$")
# SPEC §8.5: what per_deal_cap writes on a capped line
_CAP_NOTE = re.compile(r"capped at (-?\d+\.\d{2}) \(max_per_deal ([^ ]+) × share\): (-?\d+\.\d{2}) cut from "
                       r"(-?\d+\.\d{2})")
_QUOTA_NOTE = re.compile(r"^attainment ([\d.]+)% of quota ([\d,]+\.\d{2}) \(tier (\d+)\); "
                         r"earned to date (-?[\d,]+\.\d{2})$")


def parse_display(text: str) -> int:
    """Cents of a money text such as ``-1,234.56``."""
    return int(Decimal(text.replace(",", "")) * 100)


def percent(rate: str) -> str:
    """``"0.10"`` -> ``"10%"``, ``"1.0844"`` -> ``"108.44%"``; empty when there is no rate."""
    try:
        value = Decimal(rate) * 100
    except (InvalidOperation, TypeError):
        return rate or ""
    text = f"{value.normalize():f}"
    return f"{text}%"


def quota_note(note: str) -> dict | None:
    """The facts in a quota line's note: quota and earned to date (cents) and the tier reached."""
    m = _QUOTA_NOTE.match(note or "")
    if not m:
        return None
    return {"attainment_pct": m.group(1), "quota": parse_display(m.group(2)), "tier": int(m.group(3)),
            "earned_to_date": parse_display(m.group(4))}


def tier_bands(component, quota_cents: int) -> list[dict]:
    """Each tier of a quota component as a band of credits: lower and upper (None = no limit) in
    cents, multiplier text, and its range as a share of quota."""
    bands, low = [], Decimal(0)
    for i, tier in enumerate(component.tiers, 1):
        up = None if tier.up_to is None else Decimal(tier.up_to)
        span = f"{_share(low)} and above" if up is None else f"{_share(low)} to {_share(up)}"
        bands.append({"tier": i, "lower": round_fraction(Fraction(low) * quota_cents),
                      "upper": None if up is None else round_fraction(Fraction(up) * quota_cents),
                      "multiplier": f"{Decimal(tier.multiplier).normalize():f}", "range": span})
        if up is None:
            break
        low = up
    return bands


def _share(fraction: Decimal) -> str:
    return f"{(fraction * 100).normalize():f}%"


def headline(line) -> str:
    """A line's short title: ``D1 · A1 · installment 4 of 12``."""
    kind = line["kind"]
    what = KIND_NAMES.get(kind, kind)
    if kind in (L.INSTALLMENT, L.FORFEIT) and _present(line["installment"]):
        what = f"{what} {int(line['installment'])} of {int(line['installments'])}"
    who = [x for x in (line["deal_id"], line["account_id"]) if x]
    if len(who) == 2 and who[0] == who[1]:
        who = who[:1]
    return " · ".join(who + [what])


def explain(line, component=None) -> list[str]:
    """Phrases that say how the line's amount came about (``component`` gives tiers and basis names).

    ``line`` maps the ledger columns to plain values (``None`` where basis or installment does not apply).
    """
    kind, note = line["kind"], line["note"] or ""
    basis = int(line["basis"]) if _present(line["basis"]) else None
    amount, rate, deal = int(line["amount"]), line["rate"] or "", line["deal_id"]
    basis_name = BASIS_NAMES.get(getattr(component, "type", ""), "basis")
    if kind == L.UPFRONT:
        m = _UPFRONT_NOTE.match(note)
        if m and basis is not None:
            commission = display(parse_display(m.group(1)))
            cap = _CAP_NOTE.search(note) if isinstance(note, str) else None
            product = (f"{display(parse_display(cap.group(4)))}, capped at {commission} (max_per_deal "
                       f"{cap.group(2)} × share)") if cap else commission
            return [f"commission {percent(rate)} × {basis_name} {display(basis)} = {product}",
                    f"{m.group(2)} paid upfront in the close month"] + ([m.group(3)] if m.group(3) else [])
        return [f"{percent(rate)} × {basis_name} {display(basis)}" if basis is not None else "", note]
    if kind == L.INSTALLMENT:
        out = [f"installment {int(line['installment'])} of {int(line['installments'])} of {deal}'s {display(basis)}"]
        return out + ([note] if note else [])
    if kind == L.FORFEIT:
        return [note or "forfeited",
                f"installment {int(line['installment'])} of {int(line['installments'])} of {deal}: "
                f"{display(basis)} is not paid"]
    if kind == L.CLAWBACK:
        if basis is not None and -amount != basis:  # SPEC §8.7 pro rata: part of what was paid
            return [note or "clawed back", f"{display(-amount)} of the {display(basis)} paid on {deal} so far is recovered"]
        return [note or "clawed back", f"{display(basis)} paid on {deal} so far is recovered"]
    if kind == L.QUOTA:
        return _explain_quota(line, basis, amount, note, component)
    if kind == L.DRAW:
        earned = basis - amount if basis is not None else None
        out = [note or "draw top-up"]
        if basis is not None:
            out.append(f"guaranteed {display(basis)}, earnings payable {display(earned)}, "
                       f"top-up {display(amount)}")
        return out
    if kind == L.MANUAL_ADJUSTMENT:
        return [f"manual adjustment: {note}" if note else "manual adjustment"]
    out = []
    cap = _CAP_NOTE.search(note) if isinstance(note, str) else None
    if basis is not None and rate and cap:
        out.append(f"{percent(rate)} × {basis_name} {display(basis)} = {display(parse_display(cap.group(4)))}, "
                   f"capped at {display(amount)} (max_per_deal {cap.group(2)} × share)")
    elif basis is not None and rate:
        out.append(f"{percent(rate)} × {basis_name} {display(basis)} = {display(amount)}")
    elif basis is None and kind == L.BONUS:
        out.append(f"fixed amount {display(amount)}")
    if note:
        out.append(note)
    return [x for x in out if x]


def _explain_quota(line, basis, amount, note, component) -> list[str]:
    facts = quota_note(note)
    if facts is None:
        return [note] if note else []
    out = [f"credits to date {display(basis)} (net new expansion ARR)" if basis is not None else "",
           f"attainment {percent(line['rate'])} of quota {display(facts['quota'])}"]
    tier = facts["tier"]
    if component is not None and getattr(component, "tiers", None):
        bands = tier_bands(component, facts["quota"])
        band = bands[min(tier, len(bands)) - 1]
        upper = "and above" if band["upper"] is None else f"to {display(band['upper'])}"
        mode = " (applies to all credits)" if getattr(component, "tier_mode", "marginal") == "whole" else ""
        out.append(f"tier {tier}: credits {display(band['lower'])} {upper} ({band['range']} of quota) "
                   f"at × {band['multiplier']}{mode}")
    else:
        out.append(f"tier {tier}")
    earned = facts["earned_to_date"]
    out.append(f"earned to date {display(earned)} − earned before {display(earned - amount)} = {display(amount)}")
    return [x for x in out if x]


def carry_in_text(carry_in: int, month: int) -> str:
    return f"carry {display(carry_in)} from {period(month - 1)}"


def carry_out_text(carry_out: int, month: int) -> str:
    return f"carry {display(carry_out)} into {period(month + 1)}"


def payout_text(net: int, carry_in: int, draw: int, payout: int) -> str:
    text = f"payout = max(0, net {display(net)} + carry in {display(carry_in)})"
    if draw:
        text += f" + draw top-up {display(draw)}"
    return f"{text} = {display(payout)}"


def _present(value) -> bool:
    return value is not None
