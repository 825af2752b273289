"""The figures finance compares between plan sets, all from one run of a set on the book.

Each set is run on the book *as of --through* (events dated after --through left out) through
--through + the vesting horizon. Lines and register rows up to --through are exactly those of a plain
``compcalc run`` through --through (later events and later months cannot change earlier ones); the
months after it hold the installments already scheduled — the deferred liability.

Money is integer cents; ratios are exact fractions, rounded only for display.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd

from compcalc.components.base import net_new_expansion_arr
from compcalc.engine import RunResult
from compcalc.periods import last_day
from compcalc.pipeline import schedule_horizon
from compcalc.whatif.mapping import ROLE_GROUP_ORDER, PlanSet

#: Months after --through the runs cover so every scheduled installment is seen.
MIN_HORIZON = 36

#: Component id and type of manual adjustment lines (no plan component writes them).
ADJUSTMENT_COMPONENT = ("adjustment", "manual adjustment")


def horizon(plans) -> int:
    """Months to run past --through: 36, or the furthest any component's lines reach if that is longer."""
    return max(MIN_HORIZON, schedule_horizon(plans))


@dataclass(frozen=True)
class RepStats:
    """Total paid per rep through --through: nearest-rank statistics, so each is a real rep's figure."""

    reps: int
    min: int | None = None
    median: int | None = None
    p90: int | None = None
    max: int | None = None

    @classmethod
    def of(cls, paid) -> "RepStats":
        v = np.sort(np.asarray(paid, dtype=np.int64))
        if not len(v):
            return cls(0)
        return cls(len(v), int(v[0]), int(v[_rank(len(v), Fraction(1, 2))]),
                   int(v[_rank(len(v), Fraction(9, 10))]), int(v[-1]))


def _rank(n: int, p: Fraction) -> int:
    """0-based index of the nearest-rank p-th percentile of n sorted values."""
    return max(1, math.ceil(p * n)) - 1


@dataclass
class Measures:
    """What one plan set costs on the book through --through (cents; ratios as exact fractions)."""

    paid: int                     # Σ payouts: what the company pays out (draw top-ups included)
    earned: int                   # Σ lines but draw top-ups (Σ net): what the breakdowns add up to
    by_role: dict[str, int]       # role group -> Σ lines but draws
    by_component: dict[tuple[str, str, str], int]  # (role group, component id, type) -> Σ lines but draws
    per_rep: pd.DataFrame         # rep_id, name, role, paid
    rep_stats: dict[str, RepStats]  # "all" and each role group
    new_arr: int                  # ARR of new deals closed by --through
    net_expansion_arr: int        # expansion + renewal uplift − downsell − contraction − churn
    bookings_by_role: dict[str, Fraction]  # new + expansion ARR + renewal uplift signed by the role's reps
    deferred: int                 # installments scheduled after --through, not forfeited
    clawbacks: int                # recovered: −Σ clawback lines
    draws: int = 0                # Σ draw top-ups paid
    carried: int = 0              # Σ each rep's carry_out at --through (≤ 0)
    # paid = earned + non-recoverable draw top-ups − carried (a recoverable top-up not yet repaid is
    # part of the carry)

    @property
    def share_of_new_arr(self) -> Fraction | None:
        return Fraction(self.paid, self.new_arr) if self.new_arr > 0 else None

    @property
    def share_of_net_expansion_arr(self) -> Fraction | None:
        return Fraction(self.paid, self.net_expansion_arr) if self.net_expansion_arr > 0 else None

    def effective_rate(self, role: str) -> Fraction | None:
        """The role's cost per unit of ARR its reps signed (none when they signed nothing)."""
        booked = self.bookings_by_role.get(role, Fraction(0))
        return Fraction(self.by_role.get(role, 0)) / booked if booked > 0 else None


def line_roles(result: RunResult, plan_set: PlanSet) -> np.ndarray:
    """Role group of each line: its plan's, or (draws, adjustments) the plan the rep held that month."""
    lines = result.lines
    plan_ids = lines["plan_id"].to_numpy(object)
    groups = {pid: plan_set.role_group(pid) for pid in set(plan_ids)}
    roles = np.array([groups[p] for p in plan_ids], dtype=object)
    missing = plan_ids == ""
    if missing.any():
        ctx = result.context
        months = lines["month"].to_numpy(np.int64)[missing]
        days = np.array([np.datetime64(last_day(m), "ns") for m in months], dtype="datetime64[ns]")
        held = ctx.plan_of(ctx.assignment_at(lines["rep_id"].to_numpy(object)[missing], days))
        roles[missing] = [plan_set.role_group(p) if p else "unassigned" for p in held]
    return roles


def measure(result: RunResult, plan_set: PlanSet, through: int) -> Measures:
    """Every figure of one set from its as-of run (which may extend past ``through``)."""
    lines, register, ctx = result.lines, result.register, result.context
    month = lines["month"].to_numpy(np.int64)
    amount = lines["amount"].to_numpy(np.int64)
    kind = lines["kind"].to_numpy(object)
    # Draw top-ups are advances, not earnings (a recoverable one is repaid from later earnings).
    upto = (month <= through) & (kind != "draw")
    roles = line_roles(result, plan_set)[upto]

    by_role = _sum_by(roles, amount[upto])
    frame = pd.DataFrame({"role": roles, "plan_id": lines["plan_id"].to_numpy(object)[upto],
                          "component_id": lines["component_id"].to_numpy(object)[upto], "amount": amount[upto]})
    by_component: dict[tuple[str, str, str], int] = {}
    for (role, plan_id, cid), value in frame.groupby(["role", "plan_id", "component_id"], sort=True)["amount"].sum().items():
        key = (role, cid, _component_type(plan_set, plan_id, cid))
        by_component[key] = by_component.get(key, 0) + int(value)

    reg = register[register["month"].to_numpy(np.int64) <= through]
    paid_by_rep = reg.groupby("rep_id", sort=True)["payout"].sum()
    per_rep = _per_rep(ctx, paid_by_rep, plan_set, through)
    stats = {"all": RepStats.of(per_rep["paid"])}
    for role in ROLE_GROUP_ORDER:
        sel = per_rep["role"].to_numpy(object) == role
        if sel.any():
            stats[role] = RepStats.of(per_rep["paid"].to_numpy(np.int64)[sel])

    later = (month > through) & (kind == "installment")
    new_arr, net_expansion = book_arr(ctx.deals, through)
    return Measures(
        paid=int(reg["payout"].sum()), earned=int(amount[upto].sum()), by_role=by_role,
        by_component=by_component, per_rep=per_rep, rep_stats=stats, new_arr=new_arr,
        net_expansion_arr=net_expansion, bookings_by_role=bookings(ctx, plan_set, through),
        deferred=int(amount[later].sum()),
        clawbacks=-int(amount[upto & (kind == "clawback")].sum()),
        draws=int(reg["draw"].sum()),
        carried=int(reg.groupby("rep_id", sort=False)["carry_out"].last().sum()) if len(reg) else 0,
    )


def _sum_by(keys: np.ndarray, values: np.ndarray) -> dict[str, int]:
    sums = pd.Series(values, dtype=np.int64).groupby(pd.Series(keys, dtype=object), sort=False).sum()
    return {k: int(sums[k]) for k in sorted(sums.index, key=_role_order)}


def _role_order(role: str) -> int:
    return ROLE_GROUP_ORDER.index(role) if role in ROLE_GROUP_ORDER else len(ROLE_GROUP_ORDER)


def _component_type(plan_set: PlanSet, plan_id: str, component_id: str) -> str:
    plan = plan_set.plans.get(plan_id)
    c = plan.component(component_id) if plan is not None else None
    if c is not None:
        return c.type
    return ADJUSTMENT_COMPONENT[1] if component_id == ADJUSTMENT_COMPONENT[0] else ""


def _per_rep(ctx, paid_by_rep: pd.Series, plan_set: PlanSet, through: int) -> pd.DataFrame:
    """Every rep who held an assignment in the run's months (paid 0 if nothing was paid)."""
    a = ctx.assignments
    active = a[(a["start_month"].to_numpy(np.int64) <= through)
               & (a["end_month"].to_numpy(np.int64) >= ctx.first_month)]
    # A rep's role is that of the last assignment they started by --through.
    last = active.sort_values(["rep_id", "start"], kind="stable").groupby("rep_id", sort=True).tail(1)
    reps = sorted(set(last["rep_id"]) | set(paid_by_rep.index))
    info = last.set_index("rep_id")
    names = info["name"].reindex(reps).fillna("").to_numpy(object)
    plan_ids = info["plan_id"].reindex(reps).fillna("").to_numpy(object)
    return pd.DataFrame({
        "rep_id": np.array(reps, dtype=object), "name": names,
        "role": np.array([plan_set.role_group(p) if p else "unassigned" for p in plan_ids], dtype=object),
        "paid": paid_by_rep.reindex(reps).fillna(0).to_numpy(np.int64),
    })


def book_arr(deals: pd.DataFrame, through: int) -> tuple[int, int]:
    """(new ARR, net new expansion ARR) of the deals closed by ``through``, every account."""
    d = deals[deals["month"].to_numpy(np.int64) <= through]
    t = d["type"].to_numpy(object)
    arr = d["arr"].to_numpy(np.int64)
    return int(arr[t == "new"].sum()), int(net_new_expansion_arr(t, arr, d["prior_arr"].to_numpy(np.int64)).sum())


def bookings(ctx, plan_set: PlanSet, through: int) -> dict[str, Fraction]:
    """ARR signed by each role's reps (credited share): new and expansion ARR plus renewal uplift."""
    c = ctx.credits
    c = c[(c["asg"].to_numpy(np.int64) >= 0) & (c["month"].to_numpy(np.int64) <= through)]
    t = c["type"].to_numpy(object)
    arr = c["arr"].to_numpy(np.int64)
    value = np.where((t == "new") | (t == "expansion"), arr,
                     np.where(t == "renewal", np.maximum(0, arr - c["prior_arr"].to_numpy(np.int64)), 0))
    frame = pd.DataFrame({"role": [plan_set.role_group(p) for p in c["plan_id"].to_numpy(object)],
                          "num": value.astype(object) * c["share_num"].to_numpy(np.int64).astype(object),
                          "den": c["share_den"].to_numpy(np.int64)})
    out: dict[str, Fraction] = {}
    for (role, den), num in frame.groupby(["role", "den"], sort=True)["num"].sum().items():
        out[role] = out.get(role, Fraction(0)) + Fraction(int(num), int(den))
    return out

