"""The floor for issue 19: a bare pandas/numpy program for plans/land_and_expand, to measure compcalc against.

    python benchmarks/floor.py --roster R.csv --deals D.csv --milestones M.csv --through 2027-12 --out DIR

It reads the CSVs, computes the core rules of SPEC §3–§4 for the four plans of plans/land_and_expand
with integer cents (round half up) — tcv_commission with upfront, 12 monthly installments, forfeits on
churn and the 3-month clawback; closer_expansion with its window and tail; quota_attainment (monthly,
marginal tiers, prorated quota, earned-to-date differences); both activation bonuses; the manager
override; payouts and carry — and writes lines.csv (the same 13 columns as compcalc, notes included
for the lines compcalc explains) and register.csv. Text stays integer codes until the write.

What it leaves out, so it is a floor and not a second implementation: validation (it trusts its
input), every plan parameter (they are constants here), splits, draws, adjustments, currencies,
several assignments per rep, leavers, unassigned.csv and the payout register workbook. Its figures
match compcalc's on the synthetic books of benchmarks/bench_cli.py (the register to the cent).
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

NEVER = 10**9
PLANS = ("nb_ae", "exp_ae", "csm", "sales_manager")
NB, EXP, CSM, MGR = range(4)
KINDS = np.array(["upfront", "installment", "forfeit", "clawback", "closer_expansion", "quota", "bonus",
                  "override"], dtype=object)
UPFRONT, INSTALLMENT, FORFEIT, CLAWBACK, CLOSER, QUOTA, BONUS, OVERRIDE = range(8)
COMPONENTS = np.array(["land_tcv", "closer_expansion", "net_expansion", "activation", "first_value",
                       "team_override"], dtype=object)
LAND_TCV, CLOSER_EXP, NET_EXP, ACTIVATION, FIRST_VALUE, TEAM_OVERRIDE = range(6)
PLAN_OF_COMPONENT = np.array([NB, NB, EXP, CSM, CSM, MGR])
FIRST_MONTH = 2025 * 12  # plan years start 2025-01


def read(path: Path, columns: list[str]) -> dict[str, pa.Array]:
    table = pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(
        include_columns=columns, column_types={c: pa.string() for c in columns}, strings_can_be_null=False))
    return {c: table.column(c).combine_chunks() for c in columns}


def cents(text: pa.Array) -> np.ndarray:
    clean = pc.if_else(pc.equal(text, ""), "0", text)
    return pc.cast(pc.multiply(pc.cast(clean, pa.decimal128(17, 2)), pa.scalar(100)), pa.int64()).to_numpy(zero_copy_only=False)


def days(text: pa.Array) -> np.ndarray:
    return pc.strptime(text, format="%Y-%m-%d", unit="s").cast(pa.date32()).to_numpy(zero_copy_only=False).astype("datetime64[D]")


def month_of(d: np.ndarray) -> np.ndarray:
    return d.astype("datetime64[M]").astype(np.int64) + 1970 * 12


def codes(values: pa.Array, dictionary: pa.Array | None = None) -> tuple[np.ndarray, pa.Array]:
    if dictionary is None:
        enc = pc.dictionary_encode(values)
        return enc.indices.to_numpy(zero_copy_only=False).astype(np.int64), enc.dictionary
    return pc.index_in(values, value_set=dictionary).fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64), dictionary


def half_up(num, den):
    """round(num / den), half away from zero, for integer arrays (den > 0)."""
    num = np.asarray(num, dtype=np.int64)
    q = (2 * np.abs(num) + den) // (2 * den)
    return np.where(num < 0, -q, q)


class Lines:
    """Columns of line parts; text as integer codes into the id dictionaries."""

    def __init__(self):
        self.parts: list[dict] = []

    def add(self, **cols):
        n = len(cols["amount"])
        full = {"deal": -1, "account": -1, "deal_is_account": False, "basis": 0, "has_basis": True, "rate": 0, "inst": 0, "insts": 0,
                "note": None}
        full.update(cols)
        self.parts.append({k: np.broadcast_to(v, n) if np.isscalar(v) else v for k, v in full.items()} | {"n": n})

    def column(self, key, dtype=np.int64):
        return np.concatenate([np.asarray(p[key], dtype=dtype) for p in self.parts])


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--roster", required=True)
    ap.add_argument("--deals", required=True)
    ap.add_argument("--milestones", required=True)
    ap.add_argument("--through", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    through = int(args.through[:4]) * 12 + int(args.through[5:7]) - 1
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    # -- inputs -----------------------------------------------------------------------------------
    r = read(Path(args.roster), ["rep_id", "plan_id", "start_date", "manager_id"])
    rep_code, reps = codes(r["rep_id"])
    rep_plan = np.empty(len(reps), dtype=np.int64)
    rep_plan[rep_code] = codes(r["plan_id"], pa.array(PLANS))[0]
    rep_start = np.empty(len(reps), dtype="datetime64[D]")
    rep_start[rep_code] = days(r["start_date"])
    rep_manager = np.full(len(reps), -1, dtype=np.int64)
    rep_manager[rep_code] = codes(r["manager_id"], reps)[0]

    d = read(Path(args.deals), ["deal_id", "account_id", "type", "close_date", "arr", "owner_id", "term_months",
                                "tcv", "prior_arr"])
    n = len(d["deal_id"])
    deal_ids = d["deal_id"]
    deal = np.arange(n)
    account, accounts = codes(d["account_id"])
    kind = codes(d["type"], pa.array(["new", "expansion", "renewal", "contraction", "churn"]))[0]
    date = days(d["close_date"])
    month = month_of(date)
    arr, prior = cents(d["arr"]), cents(d["prior_arr"])
    term = pc.cast(pc.if_else(pc.equal(d["term_months"], ""), "12", d["term_months"]), pa.int64()).to_numpy(zero_copy_only=False)
    has_tcv = pc.not_equal(d["tcv"], "").to_numpy(zero_copy_only=False)
    tcv_num = np.where(has_tcv, cents(d["tcv"]), arr * term)
    tcv_den = np.where(has_tcv, 1, 12)
    owner = codes(d["owner_id"], reps)[0]
    credited = date >= rep_start[owner]  # one open assignment per rep
    owner_plan = np.where(credited, rep_plan[owner], -1)

    lines = Lines()

    # -- nb_ae.land_tcv: 10% of TCV (terms capped at 24 months), 25% upfront, 12 monthly installments -----
    lands = np.flatnonzero(kind == 0)
    land_of_account = np.full(len(accounts), -1, dtype=np.int64)
    land_of_account[account[lands]] = lands
    churns = np.flatnonzero(kind == 4)
    first_churn = np.full(len(accounts), NEVER, dtype=np.int64)
    churn_deal = np.full(len(accounts), -1, dtype=np.int64)
    order = churns[np.argsort(date[churns], kind="stable")][::-1]  # the earliest churn wins
    first_churn[account[order]] = month[order]
    churn_deal[account[order]] = order
    t = lands[owner_plan[lands] == NB]
    capped = np.minimum(term[t], 24)
    basis = half_up(tcv_num[t] * capped, tcv_den[t] * term[t])
    commission = half_up(tcv_num[t] * capped, tcv_den[t] * term[t] * 10)
    upfront = half_up(commission, 4)
    rest = commission - upfront
    churn_m = first_churn[account[t]]
    churn_m = np.where(churn_m >= month[t], churn_m, NEVER)
    commission_text = money_text(commission)
    lines.add(rep=owner[t], month=month[t], comp=LAND_TCV, deal=t, account=account[t], kind=UPFRONT, basis=basis,
              rate=1, amount=upfront, note=pa.compute.binary_join_element_wise(
                  pa.scalar("commission "), commission_text, pa.scalar("; 25.00% upfront"), ""))
    each = half_up(rest, 12)
    last = rest - 11 * each
    idx = np.repeat(np.arange(len(t)), 12)
    k = np.tile(np.arange(1, 13), len(t))
    due = month[t][idx] + k
    value = np.where(k == 12, last[idx], each[idx])
    forfeited = due > churn_m[idx]
    shown = due <= through
    pi = np.flatnonzero(~forfeited & shown)
    lines.add(rep=owner[t][idx[pi]], month=due[pi], comp=LAND_TCV, deal=t[idx[pi]], account=account[t][idx[pi]],
              kind=INSTALLMENT, basis=rest[idx[pi]], rate=0, amount=value[pi], inst=k[pi], insts=12)
    fi = np.flatnonzero(forfeited & shown)
    lines.add(rep=owner[t][idx[fi]], month=due[fi], comp=LAND_TCV, deal=t[idx[fi]], account=account[t][idx[fi]],
              kind=FORFEIT, basis=value[fi], rate=0, amount=np.zeros(len(fi), dtype=np.int64), inst=k[fi], insts=12,
              churn_note=(account[t][idx[fi]], churn_deal[account[t][idx[fi]]]))
    paid = upfront + np.where(due <= churn_m[idx], value, 0).reshape(len(t), 12).sum(axis=1)
    ci = np.flatnonzero((churn_m < NEVER) & (churn_m - month[t] < 3) & (paid != 0))
    lines.add(rep=owner[t][ci], month=churn_m[ci], comp=LAND_TCV, deal=t[ci], account=account[t][ci], kind=CLAWBACK,
              basis=paid[ci], rate=2, amount=-paid[ci], churn_note=(account[t][ci], churn_deal[account[t][ci]]))

    # -- nb_ae.closer_expansion: 10% of expansion ARR for 12 months after the land, then 3% for 12 ----
    uplift = np.maximum(0, arr - prior)
    ev = np.flatnonzero((kind == 1) | ((kind == 2) & (uplift > 0)))
    land = land_of_account[account[ev]]
    ev, land = ev[land >= 0], land[land >= 0]
    closer = owner[land]
    ok = (date[ev] >= rep_start[closer]) & (rep_plan[closer] == NB)
    ev, land, closer = ev[ok], land[ok], closer[ok]
    gap = month[ev] - month[land]
    keep = gap < 24
    ev, land, closer, gap = ev[keep], land[keep], closer[keep], gap[keep]
    ev_arr = np.where(kind[ev] == 1, arr[ev], uplift[ev])
    window = gap < 12
    lines.add(rep=closer, month=month[ev], comp=CLOSER_EXP, deal=ev, account=account[ev], kind=CLOSER, basis=ev_arr,
              rate=np.where(window, 1, 3), amount=np.where(window, half_up(ev_arr, 10), half_up(ev_arr * 3, 100)),
              closer_note=(window, gap, land))

    # -- exp_ae.net_expansion: monthly quota attainment, marginal tiers 1.0 / 1.5 / 2.0 ---------------
    q = np.flatnonzero((owner_plan == EXP) & (kind >= 1))
    credit = np.select([kind[q] == 1, kind[q] == 2], [arr[q], uplift[q] - np.maximum(0, prior[q] - arr[q])], -arr[q])
    year = (month[q] - FIRST_MONTH) // 12
    width = int(year.max()) + 1 if len(q) else 1
    span = through - FIRST_MONTH + 1
    cell = (owner[q] * span + (month[q] - FIRST_MONTH))
    sums = pd.Series(credit).groupby(cell).sum()
    cell_key = sums.index.to_numpy()
    rep_q, m_q = cell_key // span, cell_key % span + FIRST_MONTH
    year_q = (m_q - FIRST_MONTH) // 12
    group = rep_q * width + year_q
    cumulative = pd.Series(sums.to_numpy()).groupby(group).cumsum().to_numpy()
    start_m = np.maximum(month_of(rep_start[rep_q]), FIRST_MONTH + 12 * year_q)
    active = FIRST_MONTH + 12 * year_q + 12 - start_m
    quota = 5_000_000 * active  # 600,000.00 × a / 12 in cents, exactly
    attained = np.maximum(0, cumulative)
    tenths = 2 * np.minimum(attained, quota) + 3 * (np.clip(attained, quota, quota * 3 // 2) - quota) \
        + 4 * np.maximum(0, attained - quota * 3 // 2)  # 10 × TI/Q × Σ tiers; TI/Q = 1/5
    earned = half_up(tenths, 10)
    previous = np.r_[0, earned[:-1]]
    previous[np.r_[True, group[1:] != group[:-1]]] = 0
    ch = np.flatnonzero(earned != previous)
    whole, part = np.divmod(attained[ch] * 10_000, quota[ch])
    pct = whole + ((2 * part > quota[ch]) | ((2 * part == quota[ch]) & (whole % 2 == 1)))  # as Decimal: half even
    lines.add(rep=rep_q[ch], month=m_q[ch], comp=NET_EXP, kind=QUOTA, basis=attained[ch], rate=0,
              amount=earned[ch] - previous[ch], quota_note=(pct, quota[ch], earned[ch]),
              rate_text=(pct,))

    # -- csm.activation / first_value: milestones within 90 / 180 days of the land ----------------------
    m = read(Path(args.milestones), ["account_id", "milestone", "achieved_date", "csm_id"])
    m_account = codes(m["account_id"], accounts)[0]
    m_kind = codes(m["milestone"], pa.array(["activated", "first_value"]))[0]
    m_date = days(m["achieved_date"])
    csm = codes(m["csm_id"], reps)[0]
    order = np.lexsort((m_date, m_kind, m_account))
    first = order[np.r_[True, (m_account[order][1:] != m_account[order][:-1]) | (m_kind[order][1:] != m_kind[order][:-1])]]
    land = np.where(m_account[first] >= 0, land_of_account[np.maximum(m_account[first], 0)], -1)
    first, land = first[land >= 0], land[land >= 0]
    c = csm[first]
    ok = (m_kind[first] >= 0) & (m_date[first] >= rep_start[c]) & (rep_plan[c] == CSM)
    limit = np.where(m_kind[first] == 0, 90, 180)
    ok &= m_date[first] <= date[land] + limit
    first, land, c = first[ok], land[ok], c[ok]
    act = m_kind[first] == 0
    lines.add(rep=c, month=month_of(m_date[first]), comp=np.where(act, ACTIVATION, FIRST_VALUE), deal_is_account=True,
              account=account[land], kind=BONUS, basis=np.where(act, 0, arr[land]), has_basis=~act,
              rate=np.where(act, 0, 4), amount=np.where(act, 75_000, half_up(arr[land], 100)))

    # -- sales_manager.team_override: 2% of the new and expansion ARR of the manager's reps -------------
    o = np.flatnonzero(credited & (kind <= 1))
    mgr = rep_manager[owner[o]]
    o, mgr = o[mgr >= 0], mgr[mgr >= 0]
    ok = (rep_plan[mgr] == MGR) & (date[o] >= rep_start[mgr])
    o, mgr = o[ok], mgr[ok]
    lines.add(rep=mgr, month=month[o], comp=TEAM_OVERRIDE, deal=o, account=account[o], kind=OVERRIDE, basis=arr[o],
              rate=5, amount=half_up(arr[o] * 2, 100))

    # -- the run's lines: money movements of the run's months, sorted -----------------------------------
    L = {key: lines.column(key) for key in ("rep", "month", "comp", "deal", "account", "kind", "basis", "rate",
                                            "amount", "inst", "insts")}
    L["has_basis"] = lines.column("has_basis", bool)
    by_account = lines.column("deal_is_account", bool)  # activation lines name the account as their deal
    keep = (L["month"] >= FIRST_MONTH) & (L["month"] <= through) & (
        (L["amount"] != 0) | ((L["kind"] == FORFEIT) & (L["basis"] != 0)))
    plan = PLAN_OF_COMPONENT[L["comp"]]
    comp_rank = np.argsort(np.argsort(COMPONENTS))
    kind_rank = np.argsort(np.argsort(KINDS))
    rep_rank = rank(reps)
    deal_rank = rank(deal_ids)
    account_rank = rank(accounts)
    deal_key = np.where(by_account, deal_rank_of(account_rank, L["account"]), deal_rank_of(deal_rank, L["deal"]))
    plan_rank = np.argsort(np.argsort(np.array(PLANS, dtype=object)))
    rows = np.flatnonzero(keep)
    order = np.lexsort((kind_rank[L["kind"][rows]], deal_key[rows], comp_rank[L["comp"][rows]],
                        plan_rank[plan[rows]], L["month"][rows], rep_rank[L["rep"][rows]]))
    take = rows[order]
    notes = note_column(lines, take, accounts, deal_ids, date)

    # -- payouts and carry (SPEC §4): rep × month grid; carry(m) = S(m) − max(0, max S(≤ m)) -----------
    cellk = L["rep"][rows] * span + (L["month"][rows] - FIRST_MONTH)
    net = np.bincount(cellk, weights=None, minlength=len(reps) * span)  # counts, for "had a line"
    has_line = (net > 0).reshape(len(reps), span)
    nets = np.zeros(len(reps) * span, dtype=np.int64)
    np.add.at(nets, cellk, L["amount"][rows])
    nets = nets.reshape(len(reps), span)
    s = np.cumsum(nets, axis=1)
    carry_out = s - np.maximum(0, np.maximum.accumulate(s, axis=1))
    carry_in = np.hstack([np.zeros((len(reps), 1), dtype=np.int64), carry_out[:, :-1]])
    payout = nets + carry_in - carry_out
    started = np.maximum.accumulate(has_line, axis=1)
    row = started & (has_line | (carry_in != 0) | (carry_out != 0))
    rr, mm = np.nonzero(row)
    order = np.lexsort((mm, rep_rank[rr]))
    rr, mm = rr[order], mm[order]

    # -- writing ----------------------------------------------------------------------------------------
    period_text = pa.array([f"{(FIRST_MONTH + i) // 12:04d}-{(FIRST_MONTH + i) % 12 + 1:02d}" for i in range(span)])
    rate_texts = pa.array(["", "0.10", "-1", "0.0300", "0.01", "0.02"])
    rate = pc.take(rate_texts, pa.array(L["rate"][take]))
    quota_rows = L["kind"][take] == QUOTA
    if quota_rows.any():
        rate = pc.if_else(pa.array(quota_rows), lines_rate_text(lines, take), rate)
    write(out / "lines.csv", {
        "rep_id": pc.take(reps, pa.array(L["rep"][take])),
        "period": pc.take(period_text, pa.array(L["month"][take] - FIRST_MONTH)),
        "plan_id": pc.take(pa.array(PLANS), pa.array(plan[take])),
        "component_id": pc.take(pa.array(COMPONENTS), pa.array(L["comp"][take])),
        "deal_id": pc.if_else(pa.array(by_account[take]), maybe(accounts, L["account"][take]),
                              maybe(deal_ids, L["deal"][take])),
        "kind": pc.take(pa.array(KINDS), pa.array(L["kind"][take])),
        "basis": money(L["basis"][take], ~L["has_basis"][take]),
        "rate": rate,
        "amount": money(L["amount"][take]),
        "account_id": maybe(accounts, L["account"][take]),
        "installment": pa.array(L["inst"][take], mask=L["inst"][take] == 0),
        "installments": pa.array(L["insts"][take], mask=L["insts"][take] == 0),
        "note": notes,
    })
    write(out / "register.csv", {
        "rep_id": pc.take(reps, pa.array(rr)), "period": pc.take(period_text, pa.array(mm)),
        "net": money(nets[rr, mm]), "carry_in": money(carry_in[rr, mm]), "draw": money(np.zeros(len(rr), np.int64)),
        "payout": money(payout[rr, mm]), "carry_out": money(carry_out[rr, mm]),
    })


def rank(dictionary: pa.Array) -> np.ndarray:
    """Each dictionary entry's rank in sorted order."""
    order = pc.sort_indices(dictionary).to_numpy(zero_copy_only=False)
    out = np.empty(len(order), dtype=np.int64)
    out[order] = np.arange(len(order))
    return out


def deal_rank_of(deal_rank: np.ndarray, deal: np.ndarray) -> np.ndarray:
    return np.where(deal >= 0, deal_rank[np.maximum(deal, 0)] + 1, 0)  # no deal ("") sorts first


def maybe(dictionary: pa.Array, index: np.ndarray) -> pa.Array:
    taken = pc.take(dictionary, pa.array(index, mask=index < 0))
    return pc.fill_null(taken, "")


def money_text(c: np.ndarray) -> pa.Array:
    return pc.cast(money(c), pa.string())


def money(c: np.ndarray, missing: np.ndarray | None = None) -> pa.Array:
    c = np.ascontiguousarray(c, dtype=np.int64)
    words = np.empty((len(c), 2), dtype=np.int64)
    words[:, 0], words[:, 1] = c, np.where(c < 0, -1, 0)
    validity, nulls = None, 0
    if missing is not None and missing.any():
        validity = pa.py_buffer(np.packbits(~missing, bitorder="little"))
        nulls = int(missing.sum())
    return pa.Array.from_buffers(pa.decimal128(18, 2), len(c), [validity, pa.py_buffer(words)], null_count=nulls)


def _part_rows(lines: Lines, key: str):
    """(offset, part) of each part that carries ``key``."""
    offset = 0
    for p in lines.parts:
        if p.get(key) is not None:
            yield offset, p
        offset += p["n"]


def note_column(lines: Lines, take: np.ndarray, accounts, deal_ids, date) -> pa.Array:
    """The note of each written line (in write order), built per kind of part only for its rows."""
    total = sum(p["n"] for p in lines.parts)
    where = np.full(total, -1, dtype=np.int64)
    where[take] = np.arange(len(take))
    pieces, positions = [], []
    date_text = None
    for offset, p in _part_rows(lines, "note"):
        pieces.append(p["note"])
        positions.append(where[offset:offset + p["n"]])
    for offset, p in _part_rows(lines, "churn_note"):
        acc, churn = p["churn_note"]
        if date_text is None:
            date_text = pc.strftime(pa.array(date.astype("datetime64[s]")), format="%Y-%m-%d")
        text = pc.binary_join_element_wise(pc.take(accounts, pa.array(acc)), pc.take(date_text, pa.array(churn)), " churned ")
        prefix = "forfeited: " if p["kind"][0] == FORFEIT else "clawed back: "
        suffix = "" if p["kind"][0] == FORFEIT else " (within 3 months of close)"
        pieces.append(pc.binary_join_element_wise(pa.scalar(prefix), text, pa.scalar(suffix), ""))
        positions.append(where[offset:offset + p["n"]])
    for offset, p in _part_rows(lines, "closer_note"):
        window, gap, land = p["closer_note"]
        head = pc.if_else(pa.array(window), "closer in the window", "closer in the tail at 0.30 of the rate")
        pieces.append(pc.binary_join_element_wise(head, pa.scalar(": month "), pc.cast(pa.array(gap), pa.string()),
                                                  pa.scalar(" after land "), pc.take(deal_ids, pa.array(land)), ""))
        positions.append(where[offset:offset + p["n"]])
    for offset, p in _part_rows(lines, "quota_note"):
        pct, quota, earned = p["quota_note"]
        pieces.append(pa.array([f"attainment {x / 100:.2f}% of quota {q / 100:.2f}; earned to date {e / 100:.2f}"
                                for x, q, e in zip(pct.tolist(), quota.tolist(), earned.tolist())]))
        positions.append(where[offset:offset + p["n"]])
    out = np.full(len(take), None, dtype=object)
    for piece, pos in zip(pieces, positions):
        ok = pos >= 0
        values = piece.to_numpy(zero_copy_only=False) if isinstance(piece, pa.Array) else np.asarray(piece, dtype=object)
        out[pos[ok]] = values[ok]
    return pc.fill_null(pa.array(out, type=pa.string()), "")


def lines_rate_text(lines: Lines, take: np.ndarray) -> pa.Array:
    total = sum(p["n"] for p in lines.parts)
    text = np.full(total, "", dtype=object)
    for offset, p in _part_rows(lines, "rate_text"):
        (pct,) = p["rate_text"]
        text[offset:offset + p["n"]] = [f"{x // 10_000}.{x % 10_000:04d}" for x in pct.tolist()]
    return pa.array(text[take], type=pa.string())


def write(path: Path, columns: dict[str, pa.Array]) -> None:
    with open(path, "wb") as f:
        f.write((",".join(columns) + "\n").encode())
        pacsv.write_csv(pa.table(columns), f, pacsv.WriteOptions(include_header=False, quoting_style="none"))


if __name__ == "__main__":
    main()
