from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

HERE = Path(__file__).parent
GOLDEN = HERE / "golden"
ROOT = HERE.parent


def case_files(case: Path) -> dict:
    """load_book keyword arguments for a case folder (optional files when present)."""
    kwargs = {"plans": [case / "plans"], "roster": case / "roster.csv", "deals": case / "deals.csv"}
    for name in ("milestones", "metrics", "splits", "adjustments", "fx_rates"):
        if (case / f"{name}.csv").exists():
            kwargs[name] = case / f"{name}.csv"
    return kwargs


OPTIONAL = ("milestones", "metrics", "splits", "adjustments", "fx_rates")


def write_book(folder: Path, *, plans, roster: str, deals: str, **optional: str) -> dict:
    """Write an inline book (plans as YAML text, CSVs as text) into ``folder``; returns the load_book
    keyword arguments. Shared by the engine, accounting and other tests that state their input inline."""
    folder.mkdir(parents=True, exist_ok=True)
    plan_dir = folder / "plans"
    plan_dir.mkdir(exist_ok=True)
    for i, text in enumerate([plans] if isinstance(plans, str) else plans):
        (plan_dir / f"plan{i}.yaml").write_text(text, encoding="utf-8")
    kwargs = {"plans": [plan_dir]}
    for name, text in {"roster": roster, "deals": deals, **optional}.items():
        if name not in ("roster", "deals") + OPTIONAL:
            raise TypeError(f"unknown input {name}")
        path = folder / f"{name}.csv"
        path.write_text(textwrap.dedent(text).strip() + "\n", encoding="utf-8")
        kwargs[name] = path
    return kwargs


@pytest.fixture
def golden():
    return GOLDEN
