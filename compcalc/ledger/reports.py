"""What the ledger can tell: a rep's history (paid months, adjustments, the run behind each) and
what changed between two runs. Data here; the command line formats it."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from compcalc import ledger_lines as L
from compcalc.frames import filled
from compcalc.ledger.store import Ledger, LedgerError, PeriodEvent, RunInfo


@dataclass
class History:
    """``months``: month, status (paid | open), net, carry_in, draw, payout, carry_out, run_id.
    ``adjustments``: month, original_month, plan_id, component_id, deal_id, amount, status, run_id, note.
    ``runs``: the runs named in either, by id. ``events``: every close and reopen of the ledger."""

    rep_id: str
    closed_through: int | None
    months: pd.DataFrame
    adjustments: pd.DataFrame
    runs: dict[int, RunInfo]
    events: list[PeriodEvent]


def history(ledger: Ledger, rep_id: str) -> History:
    """A rep's paid (closed) months as recorded, the open months of the latest run, and every
    prior-period adjustment either holds, each with the run that produced it."""
    closed = ledger.closed_periods()
    closed_through = max(closed) if closed else None
    latest = ledger.latest_run()
    run_of = lambda months: np.array([closed[int(m)] for m in months], dtype=np.int64)  # noqa: E731

    paid = ledger.paid_register(rep_id)
    paid.insert(2, "status", "paid")
    paid["run_id"] = run_of(paid["month"])
    paid_lines = ledger.paid_lines(rep_id)
    paid_adj = paid_lines[(paid_lines["kind"] == L.PRIOR_PERIOD_ADJUSTMENT).to_numpy(bool)]
    paid_adj = _adjustments(paid_adj, "paid", run_of(paid_adj["month"]))

    months, adjustments = [paid], [paid_adj]
    if latest is not None:
        after = -1 if closed_through is None else closed_through
        open_reg = ledger.register(latest.run_id, rep_id)
        open_reg = open_reg[open_reg["month"].to_numpy() > after].copy()
        open_reg.insert(2, "status", "open")
        open_reg["run_id"] = latest.run_id
        months.append(open_reg)
        lines = ledger.lines(latest.run_id, rep_id)
        lines = lines[(lines["month"].to_numpy() > after)
                      & (lines["kind"] == L.PRIOR_PERIOD_ADJUSTMENT).to_numpy(bool)]
        adjustments.append(_adjustments(lines, "open", np.full(len(lines), latest.run_id, dtype=np.int64)))
    for month, paid_run in ledger.once_paid().items():  # paid, then reopened: what was paid stays in view
        before = ledger.register(paid_run, rep_id)
        before = before[before["month"].to_numpy() == month].copy()
        before.insert(2, "status", "paid before")
        before["run_id"] = paid_run
        months.insert(1, before)  # before the open row of the same month (the sort is stable)
    months = pd.concat(months, ignore_index=True).sort_values("month", kind="stable").reset_index(drop=True)
    adjustments = pd.concat(adjustments, ignore_index=True)
    if not len(months) and not len(adjustments):
        raise LedgerError(f"rep {rep_id!r} has no paid or open months in the ledger {ledger.name}")
    run_ids = sorted(set(months["run_id"].tolist()) | set(adjustments["run_id"].tolist()))
    return History(rep_id, closed_through, months.drop(columns="rep_id"), adjustments,
                   {r: ledger.run(r) for r in run_ids}, ledger.events())


def _adjustments(lines: pd.DataFrame, status: str, run_ids: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame({
        "month": lines["month"].to_numpy(np.int64),
        "original_month": lines["original_month"].to_numpy(np.int64, na_value=-1),
        "plan_id": lines["plan_id"].to_numpy(object),
        "component_id": lines["component_id"].to_numpy(object),
        "deal_id": lines["deal_id"].to_numpy(object),
        "amount": lines["amount"].to_numpy(np.int64),
        "status": filled(len(lines), status),
        "run_id": run_ids.astype(np.int64),
        "note": lines["note"].to_numpy(object),
    })


@dataclass
class Comparison:
    """``changes``: rep_id, plan_id, component_id, [month,] amount_a, amount_b, change — only where
    the totals differ. ``inputs``: (role, name, sha256 in A or None, sha256 in B or None) of every file
    whose content differs or that only one run read."""

    run_a: RunInfo
    run_b: RunInfo
    inputs: list[tuple[str, str, str | None, str | None]]
    changes: pd.DataFrame
    #: months only one run covers (not changes: the other never computed them), with their lines' total
    only_a: list[int] = field(default_factory=list)
    only_b: list[int] = field(default_factory=list)
    only_a_total: int = 0
    only_b_total: int = 0
    common: list[int] = field(default_factory=list)


def compare_runs(ledger: Ledger, run_a: int, run_b: int, by_period: bool = False) -> Comparison:
    """What changed from run A to run B, per rep and component (and month with ``by_period``)."""
    info_a, info_b = ledger.run(run_a), ledger.run(run_b)
    files_a = {(r, n): s for r, n, _, s in ledger.inputs(run_a)}
    files_b = {(r, n): s for r, n, _, s in ledger.inputs(run_b)}
    inputs = [(r, n, files_a.get((r, n)), files_b.get((r, n)))
              for r, n in sorted(set(files_a) | set(files_b)) if files_a.get((r, n)) != files_b.get((r, n))]
    keys = ["rep_id", "plan_id", "component_id"] + (["month"] if by_period else [])
    span_a = set(range(info_a.first_month, info_a.through_month + 1))
    span_b = set(range(info_b.first_month, info_b.through_month + 1))
    common = sorted(span_a & span_b)
    if span_a == span_b:
        a, b = ledger.component_totals(run_a, by_period), ledger.component_totals(run_b, by_period)
        only = ([], [], 0, 0)
    else:  # compare the months both cover; the others are listed apart
        a, b = ledger.component_totals(run_a, True), ledger.component_totals(run_b, True)
        only = (sorted(span_a - span_b), sorted(span_b - span_a),
                int(a.loc[~a["month"].isin(common), "amount"].sum()), int(b.loc[~b["month"].isin(common), "amount"].sum()))
        a, b = (t[t["month"].isin(common)] for t in (a, b))
        if not by_period:
            a, b = (t.groupby(keys, sort=True, as_index=False)["amount"].sum() for t in (a, b))
    a = a.set_index(keys)["amount"].rename("amount_a")
    b = b.set_index(keys)["amount"].rename("amount_b")
    both = pd.concat([a, b], axis=1).fillna(0).astype(np.int64)
    both = both[both["amount_a"] != both["amount_b"]].sort_index()
    both["change"] = both["amount_b"] - both["amount_a"]
    return Comparison(info_a, info_b, inputs, both.reset_index(), *only, common=common)


def repaid_changes(ledger: Ledger, run_id: int) -> list[tuple[int, int, int, int, int]]:
    """(month, paying run, paid total, this run's total, reps changed) for each month that was paid
    once, reopened since, and that ``run_id`` pays differently."""
    once = ledger.once_paid()
    if not once:
        return []
    new = ledger.register(run_id)
    out = []
    for month, paid_run in once.items():
        old = ledger.register(paid_run)
        old = old[old["month"] == month].set_index("rep_id")["payout"]
        now = new[new["month"] == month].set_index("rep_id")["payout"]
        both = pd.concat([old.rename("old"), now.rename("now")], axis=1).fillna(0)
        changed = int((both["old"] != both["now"]).sum())
        if changed:
            out.append((month, paid_run, int(old.sum()), int(now.sum()), changed))
    return out
