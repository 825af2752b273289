"""Expansion incentive, measured: what a typical rep of each role earns from one more event.

For each role group with reps holding an assignment on the first day of the --through month (the
event date, so the event falls in the quota plan year that contains --through), the typical rep is
the one whose total paid through --through is the median (nearest rank, lower middle; ties by rep_id).
Three events are added to the as-of book, each owned by that rep and closed on the event date, each a
12-month term:

- ``expansion``: 10,000 of expansion ARR;
- ``flat_renewal``: a renewal at 10,000 with prior ARR 10,000;
- ``uplift_renewal``: a renewal at 11,000 with prior ARR 10,000 (a 10% uplift).

They go on the account of the rep's latest deal on or before the event date whose account has not
churned by then (so a new-business AE's own land, where closer pay applies); a rep with no such deal
gets a synthetic account with no land. Each event is re-run and diffed against the base run for that
rep only: ``earned`` is the change in all the rep's lines (installments that vest after --through
included), ``paid`` the change in what is paid out through --through.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

from compcalc.engine import RunResult
from compcalc.pipeline import run
from compcalc.inputs import Book
from compcalc.periods import first_day
from compcalc.whatif.mapping import ROLE_GROUP_ORDER, PlanSet

EVENT_ARR = 1_000_000  # 10,000.00 in cents
UPLIFT_ARR = 1_100_000  # 11,000.00: a 10% uplift on 10,000
EVENTS = {
    "expansion": "+10,000 expansion ARR",
    "flat_renewal": "flat renewal of 10,000 ARR",
    "uplift_renewal": "renewal 10,000 → 11,000 (10% uplift)",
}
SYNTHETIC_ACCOUNT = "WHATIF-ACCOUNT"


@dataclass(frozen=True)
class TypicalRep:
    role: str
    rep_id: str
    name: str
    paid: int       # total paid through --through in the base run
    reps: int       # reps of the role on the event date
    account_id: str
    synthetic_account: bool


@dataclass(frozen=True)
class Incentive:
    """The extra a typical rep makes from one event (cents)."""

    rep: TypicalRep
    event: str
    earned: int
    paid: int


def event_reps(result: RunResult, plan_set: PlanSet, through: int) -> dict[str, list[str]]:
    """Role group -> reps holding an assignment of that role on the event date."""
    ctx = result.context
    reps = np.array(sorted(set(ctx.assignments["rep_id"])), dtype=object)
    day = np.full(len(reps), np.datetime64(first_day(through), "ns"), dtype="datetime64[ns]")
    plan_ids = ctx.plan_of(ctx.assignment_at(reps, day))
    out: dict[str, list[str]] = {}
    for rep, pid in zip(reps, plan_ids):
        if pid:
            out.setdefault(plan_set.role_group(pid), []).append(rep)
    return {r: out[r] for r in ROLE_GROUP_ORDER if r in out}


def typical_reps(result: RunResult, plan_set: PlanSet, through: int) -> list[TypicalRep]:
    """The median-paid rep of each role on the event date, with the account its events go on."""
    reg = result.register
    paid = reg[reg["month"].to_numpy(np.int64) <= through].groupby("rep_id")["payout"].sum()
    names = result.context.assignments.drop_duplicates("rep_id", keep="last").set_index("rep_id")["name"]
    out = []
    for role, reps in event_reps(result, plan_set, through).items():
        ranked = sorted(reps, key=lambda r: (int(paid.get(r, 0)), r))
        rep = ranked[(len(ranked) + 1) // 2 - 1]
        account, synthetic = event_account(result, rep, through)
        out.append(TypicalRep(role, rep, str(names.get(rep, "")), int(paid.get(rep, 0)), len(reps), account,
                              synthetic))
    return out


def event_account(result: RunResult, rep: str, through: int) -> tuple[str, bool]:
    """(account, is_synthetic): the account of the rep's latest deal by the event date that has not churned."""
    d = result.context.deals
    day = np.datetime64(first_day(through), "ns")
    dates = d["date"].to_numpy(dtype="datetime64[ns]")
    churned = set(d.loc[(d["type"].to_numpy(object) == "churn") & (dates <= day), "account_id"])
    c = result.context.credits
    mine = c[(c["rep_id"].to_numpy(object) == rep) & (c["date"].to_numpy(dtype="datetime64[ns]") <= day)
             & (c["type"].to_numpy(object) != "churn")]
    mine = mine[~mine["account_id"].isin(churned).to_numpy()]
    if len(mine):
        latest = mine.sort_values("date", kind="stable").iloc[-1]
        return str(latest["account_id"]), False
    taken = set(d["account_id"])
    account, n = SYNTHETIC_ACCOUNT, 2
    while account in taken:
        account, n = f"{SYNTHETIC_ACCOUNT}-{n}", n + 1
    return account, True


def with_event(book: Book, rep: TypicalRep, event: str, through: int) -> tuple[Book, str]:
    """The book with one synthetic deal of ``event`` for the rep, and the deal's id."""
    arr, prior = {"expansion": (EVENT_ARR, None), "flat_renewal": (EVENT_ARR, EVENT_ARR),
                  "uplift_renewal": (UPLIFT_ARR, EVENT_ARR)}[event]
    deals = book.deals
    taken = set(deals["deal_id"])
    base_id = f"WHATIF-{event.upper().replace('_', '-')}-{rep.rep_id}"
    deal_id, n = base_id, 2
    while deal_id in taken:
        deal_id, n = f"{base_id}-{n}", n + 1
    values = {"deal_id": deal_id, "account_id": rep.account_id, "owner_id": rep.rep_id,
              "type": "renewal" if prior is not None else "expansion",
              "close_date": np.datetime64(first_day(through), "ns"), "arr": arr, "prior_arr": prior,
              "term_months": 12, "row": int(deals["row"].max()) + 1 if len(deals) else 1}
    return dataclasses.replace(book, deals=append_row(deals, values)), deal_id


def append_row(frame: pd.DataFrame, values: dict) -> pd.DataFrame:
    """``frame`` plus one row; columns not given are empty (NA for nullable, "" for text)."""
    row = {}
    for col in frame.columns:
        dtype = frame[col].dtype
        v = values.get(col)
        if isinstance(dtype, pd.Int64Dtype):
            row[col] = pd.array([v], dtype="Int64")
        elif pd.api.types.is_datetime64_any_dtype(dtype):
            row[col] = np.array([v if v is not None else np.datetime64("NaT")], dtype="datetime64[ns]")
        elif pd.api.types.is_integer_dtype(dtype):
            row[col] = np.array([v or 0], dtype=dtype)
        elif pd.api.types.is_bool_dtype(dtype):
            row[col] = np.array([bool(v)], dtype=bool)
        else:
            row[col] = np.array(["" if v is None else v], dtype=object)
    out = pd.concat([frame, pd.DataFrame(row)], ignore_index=True)
    for col in frame.columns:  # keep the source dtypes (concat may widen them)
        if out[col].dtype != frame[col].dtype and len(frame):
            out[col] = out[col].astype(frame[col].dtype)
    return out


def rep_totals(result: RunResult, rep_id: str, through: int) -> tuple[int, int]:
    """(Σ the rep's lines but draws, all months; Σ the rep's payouts through ``through``)."""
    lines = result.lines
    mine = (lines["rep_id"].to_numpy(object) == rep_id) & (lines["kind"].to_numpy(object) != "draw")
    reg = result.register
    paid = (reg["rep_id"].to_numpy(object) == rep_id) & (reg["month"].to_numpy(np.int64) <= through)
    return int(lines["amount"].to_numpy(np.int64)[mine].sum()), int(reg["payout"].to_numpy(np.int64)[paid].sum())


def measure_incentives(book: Book, base: RunResult, plan_set: PlanSet, through: int, run_through: int,
                       tick=lambda: None) -> list[Incentive]:
    """Every role's typical rep × every event, measured by re-running ``book`` (the set's as-of book).

    To save runs, one event type is added for all roles' typical reps at once. A rep is only paid on
    another rep's event through a line on that event's deal (closer pay, a manager override), so a
    rep with such a line has their event re-run alone; everyone else's difference is their own.
    """
    reps = typical_reps(base, plan_set, through)
    before = {r.rep_id: rep_totals(base, r.rep_id, through) for r in reps}
    found: dict[tuple[str, str], Incentive] = {}
    for event in EVENTS:
        together, deal_of = book, {}
        for rep in reps:
            together, deal_of[rep.rep_id] = with_event(together, rep, event, through)
        result = run(together, run_through)
        lines = result.lines
        for rep in reps:
            others = [d for r, d in deal_of.items() if r != rep.rep_id]
            crossed = ((lines["rep_id"].to_numpy(object) == rep.rep_id)
                       & lines["deal_id"].isin(others).to_numpy(dtype=bool)).any()
            alone = run(with_event(book, rep, event, through)[0], run_through) if crossed else result
            earned, paid = rep_totals(alone, rep.rep_id, through)
            found[(rep.rep_id, event)] = Incentive(rep, event, earned - before[rep.rep_id][0],
                                                   paid - before[rep.rep_id][1])
        tick()
    return [found[(rep.rep_id, event)] for rep in reps for event in EVENTS]
