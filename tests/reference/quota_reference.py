"""An independent, deliberately plain reference model of SPEC §3 / §8.1–§8.4 quota_attainment lines
and the §4 register, written from SPEC.md alone (not from compcalc/components/quota_attainment.py).

Money is Fraction cents; rounding happens only at Earned_P(m), the annual Y of the true-up and the
prorated kicker amounts (SPEC §8.2, §8.3). Plain loops, no cleverness.

A book is plain data:
  plans:  {plan_id: {"year_start": date, "rounding": "half_up"|"half_even", "components": [comp, ...]}}
          comp: {"id", "measure", "quota" (Fraction cents or {date: Fraction cents}),
                 "target_incentive" (same), "tiers": [(up_to Fraction|None, multiplier Fraction)],
                 "tier_mode", "threshold", "cap", "cadence", "period", "annual_true_up",
                 "kickers": [(at Fraction, amount Fraction cents)], "ramp": [Fraction] | None,
                 "renewal_uplift_as_expansion", "net_of_churn"}
  roster: [{"rep_id", "plan_id", "start": date, "end": date|None, "quota": Fraction cents|None}]
  deals:  [{"deal_id", "account_id", "type", "close": date, "arr": int cents, "owner",
            "term": int|None, "tcv": int cents|None, "prior_arr": int cents|None}]
  splits: {deal_id: [(rep_id, Fraction share)]}
  through: (year, month)
"""
from __future__ import annotations

import datetime as dt
from fractions import Fraction as F

HALF = F(1, 2)


def mi(d) -> int:
    """Month index of a date or a (year, month) pair."""
    if isinstance(d, tuple):
        return d[0] * 12 + d[1] - 1
    return d.year * 12 + d.month - 1


def period_str(m: int) -> str:
    return f"{m // 12:04d}-{m % 12 + 1:02d}"


def first_day(m: int) -> dt.date:
    return dt.date(m // 12, m % 12 + 1, 1)


def round_cents(x: F, mode: str) -> int:
    sign = -1 if x < 0 else 1
    a = abs(F(x))
    whole = a.numerator // a.denominator
    rem = a - whole
    if rem > HALF:
        r = whole + 1
    elif rem < HALF:
        r = whole
    elif mode == "half_even":
        r = whole if whole % 2 == 0 else whole + 1
    else:
        r = whole + 1
    return sign * r


def in_force(param, day: dt.date):
    """SPEC §8.4: latest key <= day; before the first key, the first value."""
    if not isinstance(param, dict):
        return param
    keys = sorted(param)
    value = param[keys[0]]
    for k in keys:
        if k <= day:
            value = param[k]
    return value


def credit(comp, deal) -> F:
    """SPEC §3 credits / §8.1 table, for the whole deal (before the split share)."""
    measure = comp.get("measure") or "net_new_expansion_arr"
    uplift_on = comp.get("renewal_uplift_as_expansion", True)
    churn_on = comp.get("net_of_churn", True)
    t, arr = deal["type"], F(deal["arr"])
    if measure == "new_arr":
        return arr if t == "new" else F(0)
    if measure == "new_tcv":
        if t != "new":
            return F(0)
        if deal.get("tcv") is not None:
            return F(deal["tcv"])
        term = deal.get("term") or 12
        return arr * term / 12
    # net_new_expansion_arr and net_new_arr
    if t == "new":
        return arr if measure == "net_new_arr" else F(0)
    if t == "expansion":
        return arr
    if t == "renewal":
        prior = F(deal["prior_arr"])
        c = F(0)
        if uplift_on:
            c += max(F(0), arr - prior)
        c -= max(F(0), prior - arr)
        return c
    if t == "contraction":
        return -arr
    if t == "churn":
        return -arr if churn_on else F(0)
    raise ValueError(t)


def earned(comp, cum: F, Q: F, TI: F) -> F:
    """SPEC §3 Earned (unrounded) for cumulative credits cum against quota Q and incentive TI."""
    if Q == 0:
        return F(0)
    A = max(F(0), cum)
    thr = comp.get("threshold")
    if thr is not None and A < thr * Q:
        return F(0)
    rate = TI / Q
    tiers = comp["tiers"]
    if comp.get("tier_mode", "marginal") == "whole":
        mult = tiers[-1][1]
        for up_to, m in tiers:
            if up_to is None or A <= up_to * Q:   # bounds inclusive (README)
                mult = m
                break
        e = rate * mult * A
    else:
        e = F(0)
        lo = F(0)
        for up_to, m in tiers:
            hi = None if up_to is None else up_to * Q
            top = A if hi is None else min(A, hi)
            if top > lo:
                e += rate * m * (top - lo)
            if hi is None:
                break
            lo = hi
    cap = comp.get("cap")
    if cap is not None:
        e = min(e, cap * TI)
    return e


def find_assignment(roster, rep, day):
    for i, a in enumerate(roster):
        if a["rep_id"] == rep and a["start"] <= day and (a["end"] is None or day <= a["end"]):
            return i
    return None


def compute(book):
    """Returns (lines, register): lines {(rep, period, component_id, kind): cents},
    register [(rep, period, net, carry_in, draw, payout, carry_out)] with int cents."""
    plans, roster, deals = book["plans"], book["roster"], book["deals"]
    splits = book.get("splits") or {}
    through = mi(book["through"])

    # credits[(assignment index, component id)] = list of (month, Fraction cents)
    credits: dict = {}
    for d in deals:
        for rep, share in splits.get(d["deal_id"], [(d["owner"], F(1))]):
            ai = find_assignment(roster, rep, d["close"])
            if ai is None:
                continue
            plan = plans[roster[ai]["plan_id"]]
            for comp in plan["components"]:
                c = credit(comp, d) * share
                credits.setdefault((ai, comp["id"]), []).append((mi(d["close"]), c))

    lines: dict = {}

    def add(rep, m, cid, kind, amount):
        if amount != 0:
            key = (rep, period_str(m), cid, kind)
            lines[key] = lines.get(key, 0) + amount

    for ai, a in enumerate(roster):
        plan = plans[a["plan_id"]]
        mode = plan.get("rounding", "half_up")
        ys = mi(plan["year_start"])
        s = mi(a["start"])
        e = mi(a["end"]) if a["end"] is not None else None
        for comp in plan["components"]:
            cr = credits.get((ai, comp["id"]), [])
            period_kind = comp.get("period", "year")
            plen = {"year": 12, "quarter": 3, "month": 1}[period_kind]
            ramp = comp.get("ramp")

            def ramp_factor(m):
                i = m - s
                return ramp[i] if (ramp is not None and i < len(ramp)) else F(1)

            def cum(lo, hi):
                return sum((c for (m, c) in cr if lo <= m <= hi), F(0))

            def quota_at(day):
                return a["quota"] if a["quota"] is not None else F(in_force(comp["quota"], day))

            # plan years that hold the assignment, up to --through
            p0 = ys + 12 * ((s - ys) // 12)
            while p0 <= through and (e is None or p0 <= e):
                active = [m for m in range(max(s, p0), p0 + 12) if e is None or m <= e]
                last = active[-1]
                # the periods of this plan year
                periods = []
                for k in range(12 // plen):
                    P = list(range(p0 + k * plen, p0 + (k + 1) * plen))
                    act = [m for m in P if m in active]
                    day = first_day(P[0])
                    qv = quota_at(day)
                    tv = F(in_force(comp["target_incentive"], day))
                    if ramp is not None:
                        QP = qv / 12 * sum((ramp_factor(m) for m in act), F(0))
                    else:
                        QP = qv * len(act) / 12
                    TIP = tv * len(act) / 12
                    kick = [(at, round_cents(F(amt) * len(act) / plen, mode))
                            for at, amt in comp.get("kickers") or []]
                    periods.append({"months": P, "act": act, "Q": QP, "TI": TIP, "kick": kick})

                def Earned_P(P, m):
                    return round_cents(earned(comp, cum(P["months"][0], m), P["Q"], P["TI"]), mode)

                def KE_P(P, m):
                    if P["Q"] == 0:
                        return 0
                    A = max(F(0), cum(P["months"][0], m))
                    return sum(amt for at, amt in P["kick"] if A >= at * P["Q"])

                def running(fn, m):
                    tot = 0
                    for P in periods:
                        if P["months"][-1] < m:
                            tot += fn(P, P["months"][-1])
                        elif P["months"][0] <= m:
                            tot += fn(P, m)
                    return tot

                E = {m: running(Earned_P, m) for m in active if m <= through}
                K = {m: running(KE_P, m) for m in active if m <= through}
                if comp.get("cadence", "monthly") == "quarterly":
                    line_months = [m for m in active if m <= through
                                   and ((m - p0) % 3 == 2 or (e is not None and m == e))]
                else:
                    line_months = [m for m in active if m <= through]
                prevE = prevK = 0
                for m in line_months:
                    add(a["rep_id"], m, comp["id"], "quota", E[m] - prevE)
                    add(a["rep_id"], m, comp["id"], "kicker", K[m] - prevK)
                    prevE, prevK = E[m], K[m]
                if comp.get("annual_true_up") and period_kind in ("quarter", "month") and last <= through:
                    day = first_day(p0)
                    qv = quota_at(day)
                    tv = F(in_force(comp["target_incentive"], day))
                    if ramp is not None:
                        QY = qv / 12 * sum((ramp_factor(m) for m in active), F(0))
                    else:
                        QY = qv * len(active) / 12
                    TIY = tv * len(active) / 12
                    Y = round_cents(earned(comp, cum(p0, last), QY, TIY), mode)
                    add(a["rep_id"], last, comp["id"], "true_up", max(0, Y - E[last]))
                p0 += 12

    # §4 register
    register = []
    reps = sorted({k[0] for k in lines})
    for rep in reps:
        net_by_month: dict = {}
        for (r, p, _c, _k), amt in lines.items():
            if r == rep:
                y, mo = int(p[:4]), int(p[5:])
                m = y * 12 + mo - 1
                net_by_month[m] = net_by_month.get(m, 0) + amt
        carry = 0
        for m in range(min(net_by_month), through + 1):
            has_line = m in net_by_month
            net = net_by_month.get(m, 0)
            cin = carry
            payout = max(0, net + cin)
            carry = min(0, net + cin)
            if has_line or cin != 0 or carry != 0:
                register.append((rep, period_str(m), net, cin, 0, payout, carry))
    return lines, register
