from __future__ import annotations

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


@pytest.fixture
def golden():
    return GOLDEN
