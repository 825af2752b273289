"""Payouts and carry (SPEC §4), draws included.

payout(m) = max(0, net(m) + carry(m−1)); carry(m) = min(0, net(m) + carry(m−1)); carry starts at 0.
In a draw month the top-up t = max(0, draw − payout) is paid on top; a recoverable draw adds −t to the
carry so later earnings repay it. The recursion is sequential per rep, so it walks rep-months (reps ×
months, not lines or deals).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from compcalc import ledger_lines as L
from compcalc.schema import REGISTER_FRAME, REGISTER_MONEY


def draw_schedule(assignments: pd.DataFrame, first_month: int, through_month: int) -> dict[str, dict[int, tuple[int, bool]]]:
    """rep -> {month: (monthly draw in cents, recoverable)} over the run's months.

    A roster ``draw`` pays that amount each draw month; an assignment without one may carry its plan's
    schedule (``draw_amounts``, SPEC §8.10): month i of the assignment draws amounts[i], 0 = no draw."""
    out: dict[str, dict[int, tuple[int, bool]]] = {}
    plan_draw = assignments["draw_amounts"].to_numpy(object) if "draw_amounts" in assignments else \
        np.full(len(assignments), None, dtype=object)
    roster_draw = assignments["draw"].fillna(0).to_numpy(np.int64) > 0
    has = assignments[roster_draw | pd.notna(plan_draw)]
    for i, a in has.iterrows():
        start, end = int(a["start_month"]), int(a["end_month"])
        recoverable = a["draw_type"] != "non_recoverable"
        schedule = a.get("draw_amounts")
        if schedule is not None and not roster_draw[assignments.index.get_loc(i)]:
            for k, amount in enumerate(schedule):
                m = start + k
                if m > min(end, through_month):
                    break
                if amount > 0 and m >= first_month:
                    out.setdefault(a["rep_id"], {})[m] = (int(amount), recoverable)
            continue
        if not pd.isna(a["draw_months"]):
            end = min(end, start + int(a["draw_months"]) - 1)
        end = min(end, through_month)
        for m in range(max(start, first_month), end + 1):
            out.setdefault(a["rep_id"], {})[m] = (int(a["draw"]), recoverable)
    return out


def _nets(lines: pd.DataFrame) -> dict[str, dict[int, int]]:
    """rep -> {month: net} for every rep-month with a line (integer keys: no grouping on text)."""
    if not len(lines):
        return {}
    codes, reps = pd.factorize(lines["rep_id"])
    month = lines["month"].to_numpy(np.int64)
    lo = int(month.min())
    width = int(month.max()) - lo + 1
    sums = pd.Series(lines["amount"].to_numpy(np.int64)).groupby(codes * width + (month - lo)).sum()
    keys = sums.index.to_numpy(np.int64)
    reps = np.asarray(reps, dtype=object)
    by_rep: dict[str, dict[int, int]] = {}
    for rep, m, amount in zip(reps[keys // width].tolist(), (keys % width + lo).tolist(), sums.to_numpy().tolist()):
        by_rep.setdefault(rep, {})[m] = amount
    return by_rep


def compute_register(lines: pd.DataFrame, assignments: pd.DataFrame, first_month: int, through_month: int,
                     opening_carry: dict[str, int] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The register (one row per rep-month with a line, a draw or a carry) and the draw lines.

    ``opening_carry`` is each rep's carry into ``first_month`` (a ledger's last closed month's carry
    out); without it every rep starts at 0."""
    by_rep = _nets(lines)
    opening = {rep: c for rep, c in (opening_carry or {}).items() if c}
    draws = draw_schedule(assignments, first_month, through_month)
    rows, draw_rows = [], []
    for rep in sorted(set(by_rep) | set(draws) | set(opening)):
        nets, rep_draws = by_rep.get(rep, {}), draws.get(rep, {})
        carry = opening.get(rep, 0)
        start = first_month if carry else min(list(nets) + list(rep_draws))
        for m in range(start, through_month + 1):
            n = nets.get(m, 0)
            pay = max(0, n + carry)
            carry_out = min(0, n + carry)
            top_up = 0
            if m in rep_draws:
                amount, recoverable = rep_draws[m]
                top_up = max(0, amount - pay)
                if recoverable:
                    carry_out -= top_up
            if m in nets or m in rep_draws or carry or carry_out:
                rows.append((rep, m, n, carry, top_up, pay + top_up, carry_out))
            if top_up:
                draw_rows.append((rep, m, top_up, amount))
            carry = carry_out
    register = pd.DataFrame(rows, columns=REGISTER_FRAME)
    for c in REGISTER_MONEY:
        register[c] = register[c].astype(np.int64)
    if draw_rows:
        d = list(zip(*draw_rows))
        draw_lines = L.make_lines(rep_id=np.array(d[0], dtype=object), month=np.array(d[1], dtype=np.int64),
                                  component_id="draw", kind=L.DRAW, basis=np.array(d[3], dtype=np.int64),
                                  amount=np.array(d[2], dtype=np.int64), note="draw top-up to the guaranteed minimum")
    else:
        draw_lines = L.empty_lines()
    return register, draw_lines
