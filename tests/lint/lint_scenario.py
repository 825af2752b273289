"""Lint scenarios as data: plans (YAML), deals and roster rows (dollars), settings — for case files and docs.

A scenario is either YAML text — documents with ``plan_id`` are plans, a document with ``deals`` /
``roster`` / ``config`` is the book — or a case mapping from ``cases/<CODE>.yaml`` with keys ``plans``
(plan mappings or YAML texts), ``deals``, ``roster``, ``config`` and the expectations.
"""
from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from compcalc.lint import LintConfig, lint
from compcalc.plans import parse_plan
from compcalc.problems import InputError

CASES = Path(__file__).parent / "cases"


def cents(value) -> int:
    return int(Decimal(str(value)) * 100)


def deals_frame(rows) -> pd.DataFrame:
    rows = list(rows or [])
    get = lambda k, default=None: [r.get(k, default) for r in rows]  # noqa: E731
    return pd.DataFrame({
        "deal_id": np.array([str(v) for v in get("deal_id")], dtype=object),
        "account_id": np.array([str(v) for v in get("account_id")], dtype=object),
        "type": np.array(get("type"), dtype=object),
        "close_date": pd.to_datetime(pd.Series([str(v) for v in get("close_date")], dtype=object)).to_numpy(),
        "arr": np.array([cents(v) for v in get("arr")], dtype=np.int64),
        "owner_id": np.array([str(v) for v in get("owner_id", "rep")], dtype=object),
        "term_months": np.array(get("term_months", 12), dtype=np.int64),
        "prior_arr": pd.array([None if v is None else cents(v) for v in get("prior_arr")], dtype="Int64"),
    })


def roster_frame(rows) -> pd.DataFrame:
    rows = list(rows or [])
    return pd.DataFrame({
        "rep_id": np.array([str(r["rep_id"]) for r in rows], dtype=object),
        "name": np.array([str(r.get("name", r["rep_id"])) for r in rows], dtype=object),
        "plan_id": np.array([str(r["plan_id"]) for r in rows], dtype=object),
        "start_date": pd.to_datetime(pd.Series([str(r["start_date"]) for r in rows], dtype=object)).to_numpy(),
        "end_date": pd.to_datetime(pd.Series([None if r.get("end_date") is None else str(r["end_date"])
                                              for r in rows], dtype=object)).to_numpy(),
    })


def plan_from(source, name: str = "plan.yaml"):
    text = source if isinstance(source, str) else yaml.safe_dump(source, sort_keys=False)
    plan, problems = parse_plan(text, name)
    if problems:
        raise InputError(problems)
    return plan


def config_from(settings: dict | None, **overrides) -> LintConfig:
    settings = dict(settings or {})
    if "min_land_arr" in settings:
        settings["min_land_arr"] = cents(settings["min_land_arr"])
    for key in ("select", "ignore"):
        if key in settings:
            settings[key] = tuple(settings[key])
    settings.update(overrides)
    return LintConfig(**settings)


def split_documents(text: str) -> list[str]:
    return [d for d in re.split(r"(?m)^---\s*$", text) if d.strip()]


def scenario_from_text(text: str) -> dict:
    """A scenario mapping from a multi-document YAML snippet (as in a rule's docstring)."""
    scenario: dict = {"plans": []}
    for i, doc in enumerate(split_documents(text)):
        data = yaml.safe_load(doc)
        if isinstance(data, dict) and "plan_id" in data:
            scenario["plans"].append(doc)
        else:
            scenario.update(data)
    return scenario


def run(scenario: dict, **config):
    """Lint a scenario mapping; ``config`` overrides its settings (e.g. ``select=("EX101",)``)."""
    plans = {}
    for i, p in enumerate(scenario.get("plans", [])):
        plan = plan_from(p, f"plans/plan{i}.yaml")
        plans[plan.plan_id] = plan
    deals = deals_frame(scenario["deals"]) if "deals" in scenario else None
    roster = roster_frame(scenario["roster"]) if "roster" in scenario else None
    return lint(plans, deals, roster, config_from(scenario.get("config"), **config))


def case_files() -> dict[str, Path]:
    return {p.stem: p for p in sorted(CASES.glob("*.yaml"))}


def load_cases(path: Path) -> list[dict]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data.get("rule") == path.stem, f"{path.name}: 'rule' must be {path.stem}"
    return data["cases"]
