"""Synthetic company data at any scale, for benchmarks, load tests and demos.

``generate`` writes a roster, a CRM export, milestones and CSAT metrics for the plan ids of
``plans/land_and_expand`` (``nb_ae``, ``exp_ae``, ``csm``, ``sales_manager``), deterministic from the
seed and vectorised with numpy: a million deals take a few seconds.

The book it draws: accounts are landed by new-business AEs; each account is looked after by one
expansion AE (who owns its expansions, renewals, contractions and churn) and one CSM (who activates
it). Follow-on events always come after the land, and nothing happens to an account after its churn.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from compcalc.money import format_cents_array
from compcalc.schema import TABLES

PLAN_IDS = {"nb": "nb_ae", "exp": "exp_ae", "csm": "csm", "mgr": "sales_manager"}
ROLE_SHARE = {"exp": 0.27, "csm": 0.20, "mgr": 0.07}  # new-business AEs take the rest
DEAL_MIX = {"new": 0.35, "expansion": 0.30, "renewal": 0.20, "contraction": 0.08, "churn": 0.07}
TYPES = np.array(["new", "expansion", "renewal", "contraction", "churn"])
NEW, EXPANSION, RENEWAL, CONTRACTION, CHURN = range(5)
MIN_LIFE_DAYS = 30  # a churn comes at least this long after the land

FIRST_NAMES = np.array(["Ana", "Ben", "Chloe", "Dana", "Eli", "Fatima", "Grace", "Hiro", "Ines", "Jonas",
                        "Kim", "Lee", "Maya", "Nia", "Omar", "Priya", "Quinn", "Rafael", "Sofia", "Tomás",
                        "Uma", "Victor", "Wen", "Yusuf", "Zoe"])
LAST_NAMES = np.array(["Alvarez", "Berg", "Carter", "Costa", "Haddad", "Ito", "Liu", "Natarajan", "Okafor",
                       "Osei", "Park", "Patel", "Reyes", "Rossi", "Sato", "Silva", "Webb", "Nowak",
                       "Fischer", "Dubois", "Kowalski", "Moreau", "Jensen", "Novak", "Mensah"])



def generate(out_dir, *, deals: int, reps: int, months: int = 36, seed: int = 0, start="2025-01-01",
             split_share: float = 0.0) -> dict[str, Path]:
    """Write roster.csv, deals.csv, milestones.csv, metrics.csv (and splits.csv when
    ``split_share`` > 0) to ``out_dir``; returns their paths by name ("roster", "deals", …).

    ``deals`` events over ``months`` calendar months from ``start``, ``reps`` people. With
    ``split_share``, that fraction of the deals is split 50/50 between the owner and another rep on the
    same plan (fewer when a plan has a single rep on a deal's date).
    """
    if deals < 1:
        raise ValueError("deals must be at least 1")
    if reps < 4:
        raise ValueError("reps must be at least 4 (one per plan)")
    if months < 1:
        raise ValueError("months must be at least 1")
    if not 0 <= split_share <= 1:
        raise ValueError("split_share must be between 0 and 1")
    rng = np.random.default_rng(seed)
    first_day = np.datetime64(str(start), "D")
    month0 = first_day.astype("datetime64[M]")
    span = int(((month0 + months).astype("datetime64[D]") - first_day).astype(np.int64))  # days in the data
    if span < 2:
        raise ValueError("the data must cover at least two days from start")
    day_text = np.datetime_as_string(first_day + np.arange(span), unit="D")

    team = _reps(rng, reps, months, month0, first_day)
    book = _deals(rng, deals, span, team)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tables = {
        "roster": _roster_table(team, first_day),
        "deals": _deals_table(book, day_text),
        "milestones": _milestones_table(rng, book, span, team, day_text),
        "metrics": _metrics_table(rng, team, months, month0, first_day),
    }
    if split_share > 0:
        tables["splits"] = _splits_table(rng, book, split_share, team)
    paths = {}
    for name, table in tables.items():
        paths[name] = out / f"{name}.csv"
        columns = [c.name for c in TABLES[name] if c.name in table.columns]  # the input schema's order
        table.to_csv(paths[name], index=False, columns=columns, lineterminator="\n")
    return paths


# -- the team ------------------------------------------------------------------------------------------

def _reps(rng, reps: int, months: int, month0, first_day) -> dict:
    counts = {role: max(1, round(reps * share)) for role, share in ROLE_SHARE.items()}
    counts = {"nb": reps - sum(counts.values()), **counts}
    if counts["nb"] < 1:
        raise ValueError("reps too few to staff every plan")
    team, offset = {"roles": []}, 0
    for role, n in counts.items():
        # A quarter of the team is hired later, in the first half of the data; the first rep of each
        # role is there from the start so every deal has an owner. Sorted hire days make the reps on a
        # plan on any date a prefix of the role's list.
        hired = rng.random(n) < 0.25
        hired[0] = False
        if role == "mgr":
            hired[:] = False  # managers are there from the start, so every override has its manager
        month = np.where(hired, rng.integers(1, max(2, months // 2 + 1), n), 0)
        start_day = np.sort(np.where(month == 0, 0, ((month0 + month).astype("datetime64[D]") - first_day)
                                     .astype(np.int64)))
        team[role] = {"id": _ids("R", np.arange(offset + 1, offset + n + 1), reps),
                      "start": start_day.astype(np.int64)}
        team["roles"].append(role)
        offset += n
    return team


def _pick_on(rng, members: dict, day: np.ndarray) -> np.ndarray:
    """For each day, the index of a random rep of the role who holds the plan on that day."""
    on = np.searchsorted(members["start"], day, side="right")
    return (rng.random(len(day)) * on).astype(np.int64)


def _roster_table(team, first_day) -> pd.DataFrame:
    frames = []
    managers = team["mgr"]["id"]
    for role in team["roles"]:
        members = team[role]
        n = len(members["id"])
        names = np.strings.add(np.strings.add(FIRST_NAMES[np.arange(n) % len(FIRST_NAMES)], " "),
                               LAST_NAMES[(np.arange(n) // len(FIRST_NAMES) + np.arange(n) * 7) % len(LAST_NAMES)])
        start = np.datetime_as_string(first_day + members["start"], unit="D")
        manager = np.full(n, "", dtype=object) if role == "mgr" else managers[np.arange(n) % len(managers)]
        frames.append(pd.DataFrame({"rep_id": members["id"], "name": names, "plan_id": PLAN_IDS[role],
                                    "start_date": start, "end_date": "", "quota": "", "manager_id": manager}))
    return pd.concat(frames, ignore_index=True)


# -- the book ------------------------------------------------------------------------------------------

def _deals(rng, n: int, span: int, team: dict) -> dict:
    n_new = max(1, round(n * DEAL_MIX["new"]))
    land_day = np.sort(rng.integers(0, span - 1, n_new))  # the last day leaves no room for a follow-on
    can_churn = np.flatnonzero(land_day < span - MIN_LIFE_DAYS)
    n_churn = min(round(n * DEAL_MIX["churn"]), len(can_churn), max(0, n - n_new))
    n_con = min(round(n * DEAL_MIX["contraction"]), n - n_new - n_churn)
    n_ren = min(round(n * DEAL_MIX["renewal"]), n - n_new - n_churn - n_con)
    n_exp = n - n_new - n_churn - n_con - n_ren
    n_follow = n - n_new

    land_arr = np.maximum(200_000, np.round(rng.lognormal(np.log(30_000), 0.6, n_new) / 10) * 1000).astype(np.int64)
    land_term = rng.choice(np.array([12, 24, 36]), n_new, p=[0.55, 0.33, 0.12])
    land_owner = _pick_on(rng, team["nb"], land_day)
    account_exp = _pick_on(rng, team["exp"], land_day)
    account_csm = _pick_on(rng, team["csm"], land_day)

    # Follow-on events: which account, and a day after its land.
    kind = np.repeat(np.array([EXPANSION, RENEWAL, CONTRACTION, CHURN]), [n_exp, n_ren, n_con, n_churn])
    account = rng.integers(0, n_new, n_follow)
    churned = rng.choice(can_churn, n_churn, replace=False)
    account[n_follow - n_churn:] = churned
    after = land_day[account]
    day = after + 1 + (rng.random(n_follow) * (span - 1 - after)).astype(np.int64)
    churn_day = np.full(n_new, span, dtype=np.int64)
    churn_day[churned] = land_day[churned] + MIN_LIFE_DAYS + (
        rng.random(n_churn) * (span - MIN_LIFE_DAYS - land_day[churned])).astype(np.int64)
    day[kind == CHURN] = churn_day[churned]
    late = (kind != CHURN) & (day >= churn_day[account])  # moved to before the churn
    day[late] = after[late] + 1 + (rng.random(int(late.sum())) * (churn_day[account[late]] - 1 - after[late])
                                   ).astype(np.int64)

    # ARR changes as fractions of the land ARR, so an account's ARR is a running sum of its events.
    base = land_arr[account]
    size = rng.random(n_follow)
    renewal_change = np.select([size < 0.6, size < 0.75], [0.02 + size / 0.6 * 0.23, 0.0],
                               -(0.02 + (size - 0.75) / 0.25 * 0.18))
    fraction = np.select([kind == EXPANSION, kind == RENEWAL, kind == CONTRACTION],
                         [0.1 + size * 0.5, renewal_change, -(0.05 + size * 0.15)], 0.0)
    delta = (np.round(base * fraction / 1000) * 1000).astype(np.int64)

    all_account = np.concatenate([np.arange(n_new), account])
    all_day = np.concatenate([land_day, day])
    all_kind = np.concatenate([np.full(n_new, NEW), kind])
    all_delta = np.concatenate([land_arr, delta])
    order = np.lexsort((all_kind, all_day, all_account))  # per account by date; land first, churn last
    acc, dday, knd, dlt = all_account[order], all_day[order], all_kind[order], all_delta[order]

    # Never let an account's ARR fall under a tenth of its land: the offending contractions become
    # expansions and the downsells uplifts. Each pass flips at least one event, and few are needed.
    head = np.r_[True, acc[1:] != acc[:-1]]
    group = np.cumsum(head) - 1
    floor = land_arr[acc] // 10
    while True:
        running = _running(dlt, head, group)
        bad = (running < floor) & (dlt < 0) & (knd != CHURN)
        if not bad.any():
            break
        dlt[bad] = -dlt[bad]
        knd[bad & (knd == CONTRACTION)] = EXPANSION
    before = running - dlt
    arr = np.select([knd == RENEWAL, knd == CONTRACTION, knd == CHURN], [running, -dlt, before], dlt)
    prior = np.where(knd == RENEWAL, before, -1)

    term = np.zeros(len(acc), dtype=np.int64)
    term[knd == NEW] = land_term[acc[knd == NEW]]
    term[knd == EXPANSION] = 12
    renewals = knd == RENEWAL
    term[renewals] = rng.choice(np.array([12, 24]), int(renewals.sum()), p=[0.7, 0.3])
    owner_role = np.where(knd == NEW, 0, 1)  # 0: nb (the land's AE), 1: exp (the account's AE)
    owner = np.where(knd == NEW, land_owner[acc], account_exp[acc])
    owner_ids = _role_ids(team, owner_role, owner)

    by_date = np.lexsort((acc, dday))
    return {k: v[by_date] for k, v in dict(account=acc, day=dday, kind=knd, arr=arr, prior=prior, term=term,
                                            owner=owner, owner_role=owner_role, owner_ids=owner_ids).items()} | {
        "n_new": n_new, "land_day": land_day, "land_arr": land_arr, "churn_day": churn_day,
        "account_csm": account_csm}


def _role_ids(team: dict, role: np.ndarray, index: np.ndarray) -> np.ndarray:
    """Rep ids from (role 0 = nb / 1 = exp, index within the role)."""
    ids = np.empty(len(index), dtype=team["nb"]["id"].dtype)  # all rep ids have the same width
    for r, name in enumerate(("nb", "exp")):
        mask = role == r
        ids[mask] = team[name]["id"][index[mask]]
    return ids


def _running(delta: np.ndarray, head: np.ndarray, group: np.ndarray) -> np.ndarray:
    """The running sum of ``delta`` within each group of consecutive rows (``head`` starts a group)."""
    total = np.cumsum(delta)
    return total - (total - delta)[head][group]


def _ids(prefix: str, index: np.ndarray, count: int) -> np.ndarray:
    """``prefix`` and the index zero-padded to the width of ``count``: A0001 … A1000."""
    if not len(index):  # np.strings.zfill cannot take an empty array
        return np.array([], dtype=str)
    return np.strings.add(prefix, np.strings.zfill(index.astype(str), len(str(count))))


def _deals_table(book: dict, day_text: np.ndarray) -> pd.DataFrame:
    n = len(book["day"])
    term_text = np.array(["", "12", "24", "36"])[book["term"] // 12]
    renewal = book["prior"] >= 0
    prior = np.full(n, "", dtype=object)
    if renewal.any():  # format_cents_array cannot take an empty array
        prior[renewal] = format_cents_array(book["prior"][renewal])
    return pd.DataFrame({
        "deal_id": _ids("D", np.arange(1, n + 1), n),
        "account_id": _ids("A", book["account"] + 1, book["n_new"]),
        "type": TYPES[book["kind"]],
        "close_date": day_text[book["day"]],
        "arr": format_cents_array(book["arr"]),
        "owner_id": book["owner_ids"],
        "term_months": term_text,
        "tcv": "",
        "prior_arr": prior,
    })


def _milestones_table(rng, book: dict, span: int, team: dict, day_text: np.ndarray) -> pd.DataFrame:
    n = book["n_new"]
    land_day, churn_day = book["land_day"], book["churn_day"]
    activated = rng.random(n) < 0.85
    late = rng.random(n) < 0.2
    wait = np.where(late, rng.integers(91, 200, n), rng.integers(10, 91, n))
    active_day = land_day + wait
    value_day = active_day + rng.integers(20, 121, n)
    valued = activated & (rng.random(n) < 0.5)
    account = np.concatenate([np.flatnonzero(activated), np.flatnonzero(valued)])
    day = np.concatenate([active_day[activated], value_day[valued]])
    name = np.repeat(np.array(["activated", "first_value"]), [int(activated.sum()), int(valued.sum())])
    keep = (day < span) & (day < churn_day[account])
    account, day, name = account[keep], day[keep], name[keep]
    order = np.lexsort((name, account, day))
    account, day, name = account[order], day[order], name[order]
    return pd.DataFrame({"account_id": _ids("A", account + 1, n), "milestone": name,
                         "achieved_date": day_text[day],
                         "csm_id": team["csm"]["id"][book["account_csm"][account]]})


def _metrics_table(rng, team: dict, months: int, month0, first_day) -> pd.DataFrame:
    """A monthly CSAT score for every CSM, from the month they start."""
    members = team["csm"]
    start_month = ((first_day + members["start"]).astype("datetime64[M]") - month0).astype(np.int64)
    active = np.maximum(0, months - start_month)
    rep = np.repeat(np.arange(len(active)), active)
    month = start_month[rep] + np.arange(len(rep)) - np.repeat(np.cumsum(active) - active, active)
    tenths = rng.integers(35, 51, len(rep))
    value = np.strings.add(np.strings.add((tenths // 10).astype(str), "."), (tenths % 10).astype(str))
    period = np.datetime_as_string(month0 + month, unit="M")
    return pd.DataFrame({"rep_id": members["id"][rep], "period": period, "metric": "csat", "value": value})


def _splits_table(rng, book: dict, share: float, team: dict) -> pd.DataFrame:
    n = len(book["day"])
    role_start = [team["nb"]["start"], team["exp"]["start"]]
    on = np.where(book["owner_role"] == 0, np.searchsorted(role_start[0], book["day"], side="right"),
                  np.searchsorted(role_start[1], book["day"], side="right"))
    splittable = np.flatnonzero(on >= 2)
    chosen = np.sort(rng.permutation(splittable)[:min(len(splittable), round(share * n))])
    owner = book["owner"][chosen]
    other = (rng.random(len(chosen)) * (on[chosen] - 1)).astype(np.int64)
    other += other >= owner
    other_id = _role_ids(team, book["owner_role"][chosen], other)
    return pd.DataFrame({"deal_id": np.repeat(_ids("D", chosen + 1, n), 2),
                         "rep_id": np.column_stack([book["owner_ids"][chosen], other_id]).ravel(),
                         "share": "0.5"})

