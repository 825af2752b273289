"""The ASC 340-40 schedule (SPEC §7): capitalised commission lines as assets, amortised month by month.

An *asset* is one run line of a component its plan capitalises (``capitalize``), negative lines
(clawbacks, quota reversals) included. It is booked in the line's period and amortised straight-line
over N months starting that period (the component's ``benefit_months``, else the plan's
``accounting.benefit_months``): round(amount / N) a month under
the plan's rounding, the remainder in the last month. Under the practical expedient
(``practical_expedient`` and N ≤ 12) the line is expensed in its period instead (``expensed_immediately``).
When the line's account churns — the first churn month c at or after the asset's period, up to the
books' month — what is left after month c's amortisation is expensed in c as impairment.

Not in the schedule, because they are not costs of obtaining a contract: draw top-ups, manual
adjustments and the lines of components that do not capitalise (activation and metric bonuses by
default). ``totals`` carries them per month so the schedule ties to the run.

Rows are per *asset group*: one deal's assets for one rep under one plan component (a split deal has a
group per rep; a vested TCV commission gathers its upfront and installment lines). A line without a
deal (quota attainment) cannot be tied to a churn, so it is its own group, keyed by rep, period and
component, and is never impaired.

Everything is whole-array arithmetic: the group × month rows come from difference arrays and segment
sums, never a Python loop over lines, deals or months.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from compcalc import ledger_lines as L
from compcalc.money import HALF_EVEN, HALF_UP, round_div
from compcalc.periods import NEVER

_EPOCH_MONTH = 1970 * 12  # month index of datetime64's epoch
NO_MONTH = -1  # "not applicable" in month columns (a deal group's asset_month, a group never impaired)
CURRENT_MONTHS = 12  # the current portion: amortisation due in the next 12 months

MONEY = ("capitalised", "amortisation", "impairment", "expensed_immediately", "balance")


@dataclass
class Accounting:
    """The capitalised-commission books of a run, every amount in int64 cents.

    - ``policy``: per plan component, whether it is capitalised, N, the expedient and the rounding.
    - ``assets``: one row per asset (run line): group, month, amount, benefit_months, monthly
      (round(amount / N)), last (the remainder), end_month, churn_month (NEVER if none by
      ``through_month``), expensed (practical expedient), impairment, line (its row in the run's lines).
    - ``groups``: one row per asset group with its keys (plan_id, component_id, deal_id, rep_id,
      account_id, asset_month = NO_MONTH for deal groups), first_month/last_month of its rows,
      impairment_month, and its totals through ``through_month`` (the MONEY columns).
    - ``rows``: the schedule, one row per month per group in which one of its assets moves or has a
      balance (from its period to its last amortisation, impairment or expensing; through
      ``through_month``): group, month and the MONEY columns; groups in key order, months in order.
    - ``totals``: one row per month from ``first_month`` to ``through_month``: opening, capitalised,
      amortisation, impairment, closing, current, non_current, expensed_immediately, and the tie to the
      run: commissions (the run's lines, draws aside), not_contract_costs (lines outside the
      schedule), draws.
    """

    currency: str
    first_month: int
    through_month: int
    policy: pd.DataFrame
    assets: pd.DataFrame
    groups: pd.DataFrame
    rows: pd.DataFrame
    totals: pd.DataFrame


def policy_table(plans) -> pd.DataFrame:
    """One row per plan component: how its lines are accounted for."""
    rows = []
    for plan in plans.values():
        expedient = plan.accounting.practical_expedient
        for comp in plan.components:
            # SPEC §8.11: a component's own benefit period replaces the plan's, expedient test included
            n = comp.benefit_months or plan.accounting.benefit_months
            rows.append({"plan_id": plan.plan_id, "component_id": comp.id, "type": comp.type,
                         "capitalised": bool(comp.capitalised), "benefit_months": n,
                         "practical_expedient": expedient,
                         "expensed_immediately": bool(comp.capitalised and expedient and n <= 12),
                         "rounding": plan.rounding})
    cols = ["plan_id", "component_id", "type", "capitalised", "benefit_months", "practical_expedient",
            "expensed_immediately", "rounding"]
    return pd.DataFrame(rows, columns=cols)


def _policy_of_lines(lines: pd.DataFrame, policy: pd.DataFrame) -> np.ndarray:
    """Index into ``policy`` of each line's plan component, or -1 (draws, adjustments: no plan)."""
    pcode, plan_ids = pd.factorize(lines["plan_id"])
    ccode, comp_ids = pd.factorize(lines["component_id"])
    lookup = np.full((len(plan_ids) + 1, len(comp_ids) + 1), -1, dtype=np.int64)  # last row/col: NaN code -1
    p_at = {p: i for i, p in enumerate(plan_ids)}
    c_at = {c: i for i, c in enumerate(comp_ids)}
    for i, (p, c) in enumerate(zip(policy["plan_id"], policy["component_id"])):
        if p in p_at and c in c_at:
            lookup[p_at[p], c_at[c]] = i
    return lookup[pcode, ccode]


def _month_dates(months: np.ndarray) -> np.ndarray:
    """The first day of each month index, as datetime64."""
    return (months - _EPOCH_MONTH).astype("datetime64[M]").astype("datetime64[ns]")


def _churn_months(ctx, account_ids, account_code: np.ndarray, months: np.ndarray, through: int) -> np.ndarray:
    """First churn month of each asset's account at or after its month, NEVER if none by ``through``.

    ``account_ids`` are the distinct accounts and ``account_code`` each asset's index into them. Only
    accounts with a churn are looked up, once per (account, month).
    """
    churn = np.full(len(months), NEVER, dtype=np.int64)
    deals = ctx.deals
    churned = np.flatnonzero(pd.Index(account_ids).isin(deals.loc[deals["type"] == "churn", "account_id"]))
    ask = np.flatnonzero(np.isin(account_code, churned))
    if len(ask):
        pair, inverse = np.unique(account_code[ask] * (1 << 32) + months[ask], return_inverse=True)
        found = ctx.first_churn(np.asarray(account_ids, dtype=object)[pair >> 32],
                                _month_dates(pair & ((1 << 32) - 1)))["month"].to_numpy(np.int64)
        churn[ask] = found[inverse.ravel()]
    return np.where(churn <= through, churn, NEVER)


def _add_at(size: int, at: np.ndarray, values: np.ndarray) -> np.ndarray:
    out = np.zeros(size, dtype=np.int64)
    np.add.at(out, at, values)
    return out


def account(result) -> Accounting:
    """The capitalised-commission schedule, monthly totals and tie to the run of ``pipeline.run``'s result."""
    first, through = result.first_month, result.through_month
    policy = policy_table(result.book.plans)
    lines = result.lines
    is_asset, pol = _capitalisable(lines, policy)
    codes = {c: pd.factorize(lines[c], sort=True) for c in ("plan_id", "component_id", "deal_id", "rep_id", "account_id")}
    a = _assets(lines, np.flatnonzero(is_asset), pol, policy, codes, result.context, through)
    rows = _grid(a)
    groups = _groups(a, codes)
    assets = pd.DataFrame({k: a[k] for k in ("group", "month", "amount", "benefit_months", "monthly", "last",
                                             "end_month", "churn_month", "expensed", "impairment", "line")},
                          copy=False)
    return Accounting(currency=result.book.currency, first_month=first, through_month=through, policy=policy,
                      assets=assets, groups=groups, rows=rows,
                      totals=_totals(rows, assets, lines, is_asset, first, through))


def _capitalisable(lines: pd.DataFrame, policy: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Which lines are assets (a capitalised component of their plan, amount ≠ 0), and each line's
    policy row (-1 for draws and adjustments, which belong to no plan component)."""
    if not len(lines):
        return np.zeros(0, dtype=bool), np.zeros(0, dtype=np.int64)
    pol = _policy_of_lines(lines, policy)
    capitalised = policy["capitalised"].to_numpy(bool)[np.maximum(pol, 0)] & (pol >= 0)
    return capitalised & (lines["amount"].to_numpy(np.int64) != 0), pol


def _assets(lines, sel, pol, policy, codes, ctx, through: int) -> dict[str, np.ndarray]:
    """Every asset's schedule parameters, sorted into asset groups (``group``, ``starts``)."""
    A = lines["amount"].to_numpy(np.int64)[sel]
    s = lines["month"].to_numpy(np.int64)[sel]
    p = pol[sel]
    N = policy["benefit_months"].to_numpy(np.int64)[p]
    expensed = policy["expensed_immediately"].to_numpy(bool)[p]
    even = (policy["rounding"].to_numpy(object) == HALF_EVEN)[p]
    monthly = np.zeros(len(sel), dtype=np.int64)
    for mode, mask in ((HALF_UP, ~even), (HALF_EVEN, even)):
        if mask.any():
            monthly[mask] = round_div(A[mask], N[mask], mode)
    end = s + N - 1
    acct_code, acct_ids = codes["account_id"]
    churn = _churn_months(ctx, acct_ids, acct_code[sel], s, through)
    capitalised = ~expensed
    impaired = capitalised & (churn < end)  # churn ≥ s by construction; at c = end nothing is left
    a = {"line": sel, "month": s, "amount": A, "benefit_months": N, "monthly": monthly, "last": A - monthly * (N - 1),
         "end_month": end, "churn_month": churn, "expensed": expensed, "capitalised": capitalised,
         "impaired": impaired, "impairment": np.where(impaired, A - monthly * (churn - s + 1), 0),
         # the last month the asset moves in the books
         "stop": np.where(expensed, s, np.minimum(np.minimum(end, churn), through))}

    # Groups: (plan, component, deal, rep); a line without a deal: (plan, component, rep, period).
    deal_code, deal_ids = codes["deal_id"]
    empty = np.flatnonzero(np.asarray(deal_ids, dtype=object) == "")
    no_deal = deal_code[sel] == (empty[0] if len(empty) else -2)
    a["asset_month"] = np.where(no_deal, s, NO_MONTH)
    keys = [a["asset_month"]] + [codes[c][0][sel] for c in ("rep_id", "deal_id", "component_id", "plan_id")]
    order = np.lexsort(keys)
    a = {k: v[order] for k, v in a.items()}
    new_group = np.ones(len(order), dtype=bool)
    if len(order) > 1:
        new_group[1:] = np.any([k[order][1:] != k[order][:-1] for k in keys], axis=0)
    a["starts"] = np.flatnonzero(new_group)
    a["group"] = np.cumsum(new_group) - 1
    return a


def _grid(a: dict[str, np.ndarray]) -> pd.DataFrame:
    """The schedule rows: a dense group × month grid filled from difference arrays, keeping the
    months in which one of the group's assets is live."""
    starts, group, s, end, stop = a["starts"], a["group"], a["month"], a["end_month"], a["stop"]
    G = len(starts)
    if not G:
        return pd.DataFrame({c: np.zeros(0, dtype=np.int64) for c in ("group", "month", *MONEY)})
    g_first = np.minimum.reduceat(s, starts)
    length = np.maximum.reduceat(stop, starts) - g_first + 1
    offset = np.cumsum(length) - length
    size = int(length.sum())
    base = (offset - g_first)[group]  # flat position of (the asset's group, month m) = base + m
    A, monthly, capitalised, expensed = a["amount"], a["monthly"], a["capitalised"], a["expensed"]
    cap = _add_at(size, (base + s)[capitalised], A[capitalised])
    exp = _add_at(size, (base + s)[expensed], A[expensed])
    # `monthly` from s to min(stop, end − 1), then the remainder in `end` if the asset gets there.
    run_to = np.minimum(stop, end - 1)
    runs = capitalised & (run_to >= s)
    step = _add_at(size + 1, np.concatenate([(base + s)[runs], (base + run_to + 1)[runs]]),
                   np.concatenate([monthly[runs], -monthly[runs]]))
    amort = np.cumsum(step)[:size]
    del step
    to_end = capitalised & (end <= stop)
    np.add.at(amort, (base + end)[to_end], a["last"][to_end])
    impaired = a["impaired"]
    imp = _add_at(size, (base + a["churn_month"])[impaired], a["impairment"][impaired])
    net = cap - amort - imp
    running = np.cumsum(net)
    balance = running - np.repeat(running[offset] - net[offset], length)
    del net, running
    # A row wherever one of the group's assets is live (from its month to its last movement), even
    # when they net to zero: a clawback in its land's month still shows.
    live = _add_at(size + 1, np.concatenate([base + s, base + stop + 1]),
                   np.concatenate([np.ones(len(s), dtype=np.int64), -np.ones(len(s), dtype=np.int64)]))
    keep = np.cumsum(live)[:size] > 0
    del live
    # Group-major, like the grid: each group's months together, groups in key order.
    return pd.DataFrame({"group": np.repeat(np.arange(G, dtype=np.int64), length)[keep],
                         "month": (np.arange(size, dtype=np.int64) - np.repeat(offset - g_first, length))[keep],
                         "capitalised": cap[keep], "amortisation": amort[keep], "impairment": imp[keep],
                         "expensed_immediately": exp[keep], "balance": balance[keep]}, copy=False)


def _groups(a: dict[str, np.ndarray], codes: dict) -> pd.DataFrame:
    """One row per asset group: its keys, its span of months and its totals through the books' month."""
    starts = a["starts"]
    G = len(starts)
    if not G:
        cols = ["plan_id", "component_id", "deal_id", "rep_id", "account_id", "asset_month", "first_month",
                "last_month", "impairment_month", *MONEY]
        return pd.DataFrame({c: np.zeros(0, dtype=object if c.endswith("_id") else np.int64) for c in cols})
    s, end, stop, monthly = a["month"], a["end_month"], a["stop"], a["monthly"]
    run_to = np.minimum(stop, end - 1)
    runs = a["capitalised"] & (run_to >= s)
    to_end = a["capitalised"] & (end <= stop)
    amortised = np.where(runs, monthly * (run_to - s + 1), 0) + np.where(to_end, a["last"], 0)
    capitalised = np.add.reduceat(np.where(a["capitalised"], a["amount"], 0), starts)
    amortisation = np.add.reduceat(amortised, starts)
    impairment = np.add.reduceat(a["impairment"], starts)
    head = a["line"][starts]
    out = {c: np.asarray(codes[c][1], dtype=object)[codes[c][0][head]]
           for c in ("plan_id", "component_id", "deal_id", "rep_id", "account_id")}
    out.update({
        "asset_month": a["asset_month"][starts],
        "first_month": np.minimum.reduceat(s, starts),
        "last_month": np.maximum.reduceat(stop, starts),
        "impairment_month": np.maximum.reduceat(np.where(a["impaired"], a["churn_month"], NO_MONTH), starts),
        "capitalised": capitalised, "amortisation": amortisation, "impairment": impairment,
        "expensed_immediately": np.add.reduceat(np.where(a["expensed"], a["amount"], 0), starts),
        "balance": capitalised - amortisation - impairment,
    })
    return pd.DataFrame(out)


def _totals(rows: pd.DataFrame, assets: pd.DataFrame, lines: pd.DataFrame, is_asset: np.ndarray,
            first: int, through: int) -> pd.DataFrame:
    """The monthly roll-forward, the current / non-current split and the tie to the run."""
    n = max(through - first + 1, 0)
    rel = rows["month"].to_numpy(np.int64) - first
    out = {"month": np.arange(first, first + n, dtype=np.int64)}
    for col in ("capitalised", "amortisation", "impairment", "expensed_immediately"):
        out[col] = _add_at(n, rel, rows[col].to_numpy(np.int64))
    movement = out["capitalised"] - out["amortisation"] - out["impairment"]
    closing = np.cumsum(movement)
    out["opening"] = closing - movement
    out["closing"] = closing

    # Per asset, its balance after month m (m' = m − first) while it lasts is
    # amount − monthly × (m' − s' + 1) = α + β·m'; the current portion is the amortisation due in the
    # next 12 months: 12 × monthly while the asset's last month is more than 12 months away, then
    # the whole balance. Both are sums of per-asset linear pieces, added up with difference arrays.
    a = assets[~assets["expensed"].to_numpy(bool)]
    s = a["month"].to_numpy(np.int64) - first
    end = a["end_month"].to_numpy(np.int64) - first
    churn = a["churn_month"].to_numpy(np.int64) - first
    monthly = a["monthly"].to_numpy(np.int64)
    alpha = a["amount"].to_numpy(np.int64) + monthly * (s - 1)
    beta = -monthly
    hi = np.minimum(np.minimum(end - 1, churn - 1), n - 1)  # the last month with a balance left
    balance = _linear_sums(n, s, hi, alpha, beta)
    flat = _linear_sums(n, s, np.minimum(end - 1 - CURRENT_MONTHS, hi), CURRENT_MONTHS * monthly, 0 * monthly)
    tail = _linear_sums(n, np.maximum(s, end - CURRENT_MONTHS), hi, alpha, beta)
    if not np.array_equal(balance, closing):  # two independent sums of the same books must agree
        raise RuntimeError("accounting: the schedule's balances do not tie to the assets' (a bug, please report)")
    out["current"] = flat + tail
    out["non_current"] = closing - out["current"]

    month = lines["month"].to_numpy(np.int64)
    amount = lines["amount"].to_numpy(np.int64)
    in_run = (month >= first) & (month <= through)
    draw = (lines["kind"] == L.DRAW).to_numpy(bool)
    out["commissions"] = _add_at(n, month[in_run & ~draw] - first, amount[in_run & ~draw])
    outside = in_run & ~draw & ~is_asset
    out["not_contract_costs"] = _add_at(n, month[outside] - first, amount[outside])
    out["draws"] = _add_at(n, month[in_run & draw] - first, amount[in_run & draw])
    cols = ["month", "opening", "capitalised", "amortisation", "impairment", "closing", "current", "non_current",
            "expensed_immediately", "commissions", "not_contract_costs", "draws"]
    return pd.DataFrame(out)[cols]


def _linear_sums(n: int, lo: np.ndarray, hi: np.ndarray, alpha: np.ndarray, beta) -> np.ndarray:
    """Σ over pieces of (α + β·m) for m in [lo, hi] ∩ [0, n), at each m in [0, n)."""
    lo = np.maximum(lo, 0)
    ok = lo <= hi
    lo, hi, alpha, beta = lo[ok], hi[ok], alpha[ok], np.broadcast_to(beta, ok.shape)[ok]
    at = np.concatenate([lo, hi + 1])
    d_alpha = _add_at(n + 1, at, np.concatenate([alpha, -alpha]))
    d_beta = _add_at(n + 1, at, np.concatenate([beta, -beta]))
    m = np.arange(n, dtype=np.int64)
    return np.cumsum(d_alpha)[:n] + np.cumsum(d_beta)[:n] * m
