"""Read a book folder (plans/*.yaml, roster.csv, deals.csv, splits.csv) into the reference model's
data, write a generated book to a folder, and read compcalc's lines.csv / register.csv back."""
from __future__ import annotations

import csv
import datetime as dt
from fractions import Fraction as F
from pathlib import Path

import yaml


def cents(text) -> int:
    v = F(str(text)) * 100
    assert v.denominator == 1, text
    return int(v)


def _num(v) -> F:
    return F(str(v))


def _date(v) -> dt.date:
    return v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v))


def _money_param(v):
    if isinstance(v, dict):
        return {_date(k): _num(x) * 100 for k, x in v.items()}
    return _num(v) * 100


def load_plan(path) -> tuple[str, dict]:
    y = yaml.safe_load(Path(path).read_text())
    comps = []
    for c in y.get("components", []):
        if c.get("type") != "quota_attainment":
            continue
        comps.append({
            "id": c["id"],
            "measure": c.get("measure", "net_new_expansion_arr"),
            "quota": _money_param(c["quota"]),
            "target_incentive": _money_param(c["target_incentive"]),
            "tiers": [(None if t.get("up_to") is None else _num(t["up_to"]), _num(t["multiplier"]))
                      for t in c.get("tiers", [{"up_to": None, "multiplier": 1}])],
            "tier_mode": c.get("tier_mode", "marginal"),
            "threshold": None if c.get("threshold") is None else _num(c["threshold"]),
            "cap": None if c.get("cap") is None else _num(c["cap"]),
            "cadence": c.get("cadence", "monthly"),
            "period": c.get("period", "year"),
            "annual_true_up": bool(c.get("annual_true_up", False)),
            "kickers": [(_num(k["at"]), _num(k["amount"]) * 100) for k in c.get("kickers", [])],
            "ramp": None if c.get("ramp") is None else [_num(r) for r in c["ramp"]],
            "renewal_uplift_as_expansion": c.get("renewal_uplift_as_expansion", True),
            "net_of_churn": c.get("net_of_churn", True),
        })
    return y["plan_id"], {"year_start": _date(y["year_start"]), "rounding": y.get("rounding", "half_up"),
                          "components": comps}


def _rows(path):
    with open(path, newline="") as f:
        return [{k.strip().lower(): (v or "").strip() for k, v in r.items()} for r in csv.DictReader(f)]


def load_book(folder, through: str) -> dict:
    folder = Path(folder)
    plans = dict(load_plan(p) for p in sorted((folder / "plans").glob("*.yaml")))
    roster = [{"rep_id": r["rep_id"], "plan_id": r["plan_id"], "start": _date(r["start_date"]),
               "end": _date(r["end_date"]) if r.get("end_date") else None,
               "quota": cents(r["quota"]) if r.get("quota") else None}
              for r in _rows(folder / "roster.csv")]
    deals = [{"deal_id": r["deal_id"], "account_id": r["account_id"], "type": r["type"],
              "close": _date(r["close_date"]), "arr": cents(r["arr"]), "owner": r["owner_id"],
              "term": int(r["term_months"]) if r.get("term_months") else None,
              "tcv": cents(r["tcv"]) if r.get("tcv") else None,
              "prior_arr": cents(r["prior_arr"]) if r.get("prior_arr") else None}
             for r in _rows(folder / "deals.csv")]
    splits: dict = {}
    if (folder / "splits.csv").exists():
        for r in _rows(folder / "splits.csv"):
            splits.setdefault(r["deal_id"], []).append((r["rep_id"], F(r["share"])))
    y, m = through.split("-")
    return {"plans": plans, "roster": roster, "deals": deals, "splits": splits,
            "through": (int(y), int(m))}


def read_lines(path) -> dict:
    out: dict = {}
    for r in _rows(path):
        key = (r["rep_id"], r["period"], r["component_id"], r["kind"])
        out[key] = out.get(key, 0) + cents(r["amount"])
    return out


def read_register(path) -> list:
    return [(r["rep_id"], r["period"], cents(r["net"]), cents(r["carry_in"]), cents(r["draw"]),
             cents(r["payout"]), cents(r["carry_out"])) for r in _rows(path)]
