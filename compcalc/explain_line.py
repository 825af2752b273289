"""How each ledger line came about, in finance's words: shared by statements and ``compcalc why``.

``explain`` turns one line (its kind, basis, rate, installment and facts) into short phrases such as
"installment 4 of 12 of D1's 5,400.00" or "forfeited: A2 churned 2027-04-05". It reads figures only:
the line's columns and its typed ``facts``; a component that words its own lines (``explain``) is
asked first. Notes are for people reading lines.csv and are never parsed here.
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from compcalc import ledger_lines as L
from compcalc.money import display
from compcalc.periods import period

KIND_NAMES = {
    L.UPFRONT: "upfront", L.INSTALLMENT: "installment", L.FORFEIT: "forfeited installment",
    L.CLAWBACK: "clawback", L.COMMISSION: "commission", L.CLOSER_EXPANSION: "closer expansion",
    L.QUOTA: "quota attainment", L.KICKER: "kicker", L.TRUE_UP: "annual true-up", L.BONUS: "bonus",
    L.OVERRIDE: "override", L.DRAW: "draw top-up",
    L.MANUAL_ADJUSTMENT: "manual adjustment", L.PRIOR_PERIOD_ADJUSTMENT: "prior-period adjustment",
}


def percent(rate: str) -> str:
    """``"0.10"`` -> ``"10%"``, ``"1.0844"`` -> ``"108.44%"``; empty when there is no rate."""
    try:
        value = Decimal(rate) * 100
    except (InvalidOperation, TypeError):
        return rate or ""
    text = f"{value.normalize():f}"
    return f"{text}%"


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
    facts = line.get("facts") if hasattr(line, "get") else None
    own = getattr(component, "explain", None)
    if own is not None:
        phrases = own(line, facts)
        if phrases is not None:
            return phrases
    basis = int(line["basis"]) if _present(line["basis"]) else None
    amount, rate, deal = int(line["amount"]), line["rate"] or "", line["deal_id"]
    basis_name = _basis_name(component)
    if kind == L.UPFRONT:  # without its component (a line read alone): the columns say what they can
        return [f"{percent(rate)} × {display(basis)} = {display(amount)}" if basis is not None else "", note]
    if kind == L.INSTALLMENT:
        out = [f"installment {int(line['installment'])} of {int(line['installments'])} of {deal}'s {display(basis)}"]
        return out
    if kind == L.FORFEIT:
        return [loss_text("forfeited", line, facts) or note or "forfeited",
                f"installment {int(line['installment'])} of {int(line['installments'])} of {deal}: "
                f"{display(basis)} is not paid"]
    if kind == L.CLAWBACK:
        reason = loss_text("clawed back", line, facts) or note or "clawed back"
        if basis is not None and -amount != basis:  # SPEC §8.7 pro rata: part of what was paid
            return [reason, f"{display(-amount)} of the {display(basis)} paid on {deal} so far is recovered"]
        return [reason, f"{display(basis)} paid on {deal} so far is recovered"]
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
    if basis is not None and rate and hasattr(facts, "uncapped"):  # SPEC §8.5: a per-deal cap bit
        out.append(f"{percent(rate)} × {basis_name} {display(basis)} = {display(facts.uncapped)}, "
                   f"capped at {display(amount)} (max_per_deal {getattr(component, 'max_per_deal', '')} × share)")
    elif basis is not None and rate:
        out.append(f"{percent(rate)} × {basis_name} {display(basis)} = {display(amount)}")
    elif basis is None and kind == L.BONUS:
        out.append(f"fixed amount {display(amount)}")
    if note:
        out.append(note)
    return [x for x in out if x]


def loss_text(what: str, line, facts) -> str:
    """Why a forfeit or clawback happened, from its facts: "forfeited: A2 churned 2027-04-05"."""
    if facts is None or not hasattr(facts, "cause"):
        return ""
    if facts.cause == "left":
        return f"{what}: rep left in {period(facts.month)}"
    window = f" (within {facts.window} months of close)" if getattr(facts, "window", 0) else ""
    return f"{what}: {line['account_id']} churned {facts.date}{window}"


def _basis_name(component) -> str:
    """What the component's basis is, as the component says (a quota's measure, "TCV" …)."""
    own = getattr(component, "basis_name", None)
    return own if isinstance(own, str) else "basis"


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
