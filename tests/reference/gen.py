"""Random small books for the quota_attainment reference model (SPEC §3, §8.1–§8.4)."""
from __future__ import annotations

import datetime as dt
import random
from fractions import Fraction as F
from pathlib import Path


def _money_text(c) -> str:           # Fraction/int cents -> "123.45" / "-5"
    c = F(c)
    assert c.denominator == 1
    c = int(c)
    s = "-" if c < 0 else ""
    c = abs(c)
    return f"{s}{c // 100}" if c % 100 == 0 else f"{s}{c // 100}.{c % 100:02d}"


def _frac_text(x: F) -> str:
    from decimal import Decimal, getcontext
    getcontext().prec = 40
    d = Decimal(x.numerator) / Decimal(x.denominator)
    assert F(str(d)) == x, x
    return format(d.normalize(), "f")


def add_months(d: dt.date, k: int) -> dt.date:
    m = d.year * 12 + d.month - 1 + k
    return dt.date(m // 12, m % 12 + 1, 1)


def rand_date_in_month(r, first: dt.date) -> dt.date:
    nxt = add_months(first, 1)
    days = (nxt - first).days
    return first + dt.timedelta(days=r.choice([0, 0, r.randrange(days), days - 1]))


def gen_component(r, cid, year_start, small=False):
    def money_param(choices):
        if r.random() < 0.25:
            k1 = add_months(year_start, r.choice([-12, 0, 0]))
            k2 = add_months(year_start, r.choice([3, 6, 7]))
            if r.random() < 0.4:
                k2 = k2 + dt.timedelta(days=r.choice([1, 14]))
            return {k1: r.choice(choices), k2: r.choice(choices)}
        return r.choice(choices)
    comp = {
        "id": cid,
        "measure": r.choice(["net_new_expansion_arr", "new_arr", "new_tcv", "net_new_arr"]),
        "quota": money_param([120000, 1200001, 36000, 100] if small else [12000000, 48000000, 24000000, 33333333, 10000050]),
        "target_incentive": money_param([1200000, 333333, 1000001, 99999] if small else [2400000, 9600000, 1000001, 5000000, 3333333]),
        "tiers": r.choice([
            [(None, F(1))],
            [(F(1), F(1)), (None, F(3, 2))],
            [(F(1, 2), F(4, 5)), (F(1), F(6, 5)), (None, F(2))],
            [(F(1), F(1)), (F(3, 2), F(3, 2)), (None, F(2))],
            [(F(1), F(1)), (F(2), F(3, 2))],
            [(F(1), F(0)), (None, F(1))],
        ]),
        "tier_mode": r.choice(["marginal", "marginal", "whole"]),
        "threshold": r.choice([None, None, F(1, 2), F(1, 4)]),
        "cap": r.choice([None, None, F(3, 2), F(2), F(1)]),
        "cadence": r.choice(["monthly", "quarterly"]),
        "period": r.choice(["year", "quarter", "quarter", "month"]),
        "kickers": r.choice([[], [], [(F(1), 300000)], [(F(1, 2), 100000), (F(1), 250055)],
                             [(F(3, 4), 100001)]]),
        "ramp": r.choice([None, None, None, [F(1, 4), F(1, 2), F(3, 4)], [F(1, 2)]]),
        "renewal_uplift_as_expansion": r.random() > 0.15,
        "net_of_churn": r.random() > 0.15,
    }
    if comp["tier_mode"] == "whole" and comp["tiers"][-1][0] is not None:
        comp["tier_mode"] = "marginal"   # whole mode above a bounded last tier: see the report
    comp["annual_true_up"] = comp["period"] != "year" and r.random() < 0.6
    return comp


def plan_yaml(pid, plan) -> str:
    out = [f"plan_id: {pid}", f"name: {pid}", "role: other", "currency: USD",
           f"year_start: {plan['year_start'].isoformat()}", f"rounding: {plan['rounding']}", "components:"]
    for c in plan["components"]:
        def mp(v):
            if isinstance(v, dict):
                return "{" + ", ".join(f"{k.isoformat()}: {_money_text(x)}" for k, x in sorted(v.items())) + "}"
            return _money_text(v)
        out.append(f"  - id: {c['id']}")
        out.append("    type: quota_attainment")
        out.append(f"    measure: {c['measure']}")
        out.append(f"    quota: {mp(c['quota'])}")
        out.append(f"    target_incentive: {mp(c['target_incentive'])}")
        tiers = ", ".join("{up_to: %s, multiplier: %s}" % ("null" if u is None else _frac_text(u), _frac_text(m))
                          for u, m in c["tiers"])
        out.append(f"    tiers: [{tiers}]")
        out.append(f"    tier_mode: {c['tier_mode']}")
        if c["threshold"] is not None:
            out.append(f"    threshold: {_frac_text(c['threshold'])}")
        if c["cap"] is not None:
            out.append(f"    cap: {_frac_text(c['cap'])}")
        out.append(f"    cadence: {c['cadence']}")
        out.append(f"    period: {c['period']}")
        if c["annual_true_up"]:
            out.append("    annual_true_up: true")
        if c["kickers"]:
            ks = ", ".join("{at: %s, amount: %s}" % (_frac_text(a), _money_text(x)) for a, x in c["kickers"])
            out.append(f"    kickers: [{ks}]")
        if c["ramp"] is not None:
            out.append("    ramp: [" + ", ".join(_frac_text(x) for x in c["ramp"]) + "]")
        out.append(f"    renewal_uplift_as_expansion: {str(c['renewal_uplift_as_expansion']).lower()}")
        out.append(f"    net_of_churn: {str(c['net_of_churn']).lower()}")
    return "\n".join(out) + "\n"


def gen_book(r: random.Random, small: bool = False) -> dict:
    year_start = r.choice([dt.date(2027, 1, 1), dt.date(2027, 4, 1), dt.date(2026, 7, 1), dt.date(2027, 2, 1), dt.date(2026, 11, 1)])
    plans = {}
    for pi in range(r.choice([1, 1, 2])):
        ys = year_start if pi == 0 or r.random() < 0.5 else add_months(year_start, r.choice([1, 3, 6]))
        comps = [gen_component(r, "qa", ys, small)]
        if r.random() < 0.2:
            comps.append(gen_component(r, "qb", ys, small))
        plans[f"p{pi + 1}"] = {"year_start": ys, "rounding": r.choice(["half_up", "half_even"]),
                               "components": comps}
    pids = list(plans)
    roster = []
    reps = [f"r{i + 1}" for i in range(r.choice([1, 1, 2, 3]))]
    for rep in reps:
        start = rand_date_in_month(r, add_months(year_start, r.randrange(-6, 9)))
        end = None
        if r.random() < 0.5:
            end = rand_date_in_month(r, add_months(start.replace(day=1), r.randrange(0, 15)))
            if end < start:
                end = start
        quota = r.choice([None, None, None, 36000, 6000050] if small else [None, None, None, 36000000, 6000050])
        roster.append({"rep_id": rep, "plan_id": r.choice(pids), "start": start, "end": end, "quota": quota})
        while end is not None and r.random() < (0.6 if len([a for a in roster if a["rep_id"] == rep]) < 2 else 0.3):
            s2 = end + dt.timedelta(days=r.choice([1, 1, 1, 20, 45, 200]))
            e2 = None if r.random() < 0.6 else rand_date_in_month(r, add_months(s2.replace(day=1), r.randrange(0, 10)))
            if e2 is not None and e2 < s2:
                e2 = s2
            roster.append({"rep_id": rep, "plan_id": r.choice(pids), "start": s2, "end": e2,
                           "quota": r.choice([None, None, 2400 if small else 24000000])})
            end = e2
    first = min(a["start"] for a in roster).replace(day=1)
    through_first = add_months(first, r.choice([r.randrange(2, 26), 11, 12, 14, 23, r.randrange(24, 38)]))
    through = (through_first.year, through_first.month)
    deals = []
    accounts = []
    span = (through_first.year * 12 + through_first.month) - (first.year * 12 + first.month) + 1
    for i in range(r.randrange(4, 18)):
        t = r.choices(["new", "expansion", "renewal", "contraction", "churn"], [2, 4, 1.5, 1.5, 1])[0]
        if t == "new" or not accounts or r.random() < 0.3:
            acc = f"A{len(accounts) + 1}"
            accounts.append(acc)
            if t != "new" and r.random() < 0.5:
                t = "new"
        else:
            acc = r.choice(accounts)
        if t == "new" and any(d["account_id"] == acc and d["type"] == "new" for d in deals):
            t = "expansion"
        owner = r.choice(reps)
        mine = [a for a in roster if a["rep_id"] == owner]
        a = r.choice(mine)
        a_end = a["end"] or add_months(through_first, 1) - dt.timedelta(days=1)
        if r.random() < 0.85 and a["start"] <= a_end:
            close = a["start"] + dt.timedelta(days=r.randrange((a_end - a["start"]).days + 1))
            if r.random() < 0.15:
                close = r.choice([a["start"], a_end])
        else:
            close = rand_date_in_month(r, add_months(first, r.randrange(-1, span + 1)))
        if small:
            arr = r.choice([1, 3, 5, r.randrange(1, 3000), r.randrange(1, 30000), 3000, 10000])
        elif r.random() < 0.6:
            arr = r.choice([500000, 1000000, 2000000, 3000000, 4000000, 6000000, 12000000, 9000000])
        else:
            arr = r.randrange(1, 5000000)
        d = {"deal_id": f"D{i + 1}", "account_id": acc, "type": t, "close": close, "arr": arr,
             "owner": owner, "term": None, "tcv": None, "prior_arr": None}
        if t in ("new", "expansion", "renewal"):
            d["term"] = r.choice([None, 12, 24, 7, 36])
            if t == "new" and r.random() < 0.2:
                d["tcv"] = r.randrange(1, 30000 if small else 9000000)
        if t == "renewal":
            d["prior_arr"] = max(0, arr + r.choice([-1000000, -33333, 0, 500000, 1234567] if not small else [-1000, -3, 0, 7, 1234]))
        deals.append(d)
    splits = {}
    if len(reps) > 1 and r.random() < 0.4:
        for d in r.sample(deals, min(len(deals), r.choice([1, 2]))):
            a, b = r.sample(reps, 2)
            s1 = r.choice([F(1, 2), F(3, 10), F(1, 4), F(1, 8), F(3333333333, 10**10)])
            splits[d["deal_id"]] = [(a, s1), (b, 1 - s1)]
    return {"plans": plans, "roster": roster, "deals": deals, "splits": splits, "through": through}


def write_book(book, folder: Path) -> None:
    folder = Path(folder)
    (folder / "plans").mkdir(parents=True, exist_ok=True)
    for pid, plan in book["plans"].items():
        (folder / "plans" / f"{pid}.yaml").write_text(plan_yaml(pid, plan))
    rows = ["rep_id,name,plan_id,start_date,end_date,quota"]
    for a in book["roster"]:
        rows.append(",".join([a["rep_id"], f"Rep {a['rep_id']}", a["plan_id"], a["start"].isoformat(),
                              a["end"].isoformat() if a["end"] else "",
                              _money_text(a["quota"]) if a["quota"] is not None else ""]))
    (folder / "roster.csv").write_text("\n".join(rows) + "\n")
    rows = ["deal_id,account_id,type,close_date,arr,owner_id,term_months,tcv,prior_arr"]
    for d in book["deals"]:
        rows.append(",".join([d["deal_id"], d["account_id"], d["type"], d["close"].isoformat(),
                              _money_text(d["arr"]), d["owner"], str(d["term"] or ""),
                              _money_text(d["tcv"]) if d["tcv"] is not None else "",
                              _money_text(d["prior_arr"]) if d["prior_arr"] is not None else ""]))
    (folder / "deals.csv").write_text("\n".join(rows) + "\n")
    if book["splits"]:
        rows = ["deal_id,rep_id,share"]
        for did, parts in book["splits"].items():
            for rep, sh in parts:
                rows.append(f"{did},{rep},{_frac_text(sh)}")
        (folder / "splits.csv").write_text("\n".join(rows) + "\n")


def through_text(book) -> str:
    y, m = book["through"]
    return f"{y:04d}-{m:02d}"
