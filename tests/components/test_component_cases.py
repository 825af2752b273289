"""Every component type's cases, OpenFisca-style: cases/<type>.yaml holds small books and the exact lines
a `compcalc run` writes for them. Each registered type must have its file, so adding a type means adding
its module and its cases, and nothing else."""
from __future__ import annotations

import csv
import textwrap
from collections import Counter
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from compcalc.cli import main
from compcalc.components import REGISTRY

CASES = Path(__file__).parent / "cases"
LINE_KEY = ("rep_id", "period", "component_id", "kind", "deal_id", "amount")
INPUTS = ("milestones", "metrics", "splits", "adjustments", "fx_rates")


def load(path: Path) -> list[dict]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["type"] == path.stem, f"{path.name} declares type {data['type']!r}"
    assert data["cases"], f"{path.name} has no cases"
    return data["cases"]


ALL = [pytest.param(path.stem, case, id=f"{path.stem}-{case['name']}")
       for path in sorted(CASES.glob("*.yaml")) for case in load(path)]


def test_every_component_type_has_its_cases_file():
    assert sorted(p.stem for p in CASES.glob("*.yaml")) == sorted(REGISTRY)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.csv"
    path.write_text(textwrap.dedent(text).strip() + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("type_name,case", ALL)
def test_case(type_name, case, tmp_path):
    plans = tmp_path / "plans"
    plans.mkdir()
    for i, plan in enumerate(case["plans"]):
        header = {"plan_id": plan["plan_id"], "name": plan["plan_id"], "role": plan.get("role", "other"),
                  "year_start": plan.get("year_start", "2027-01-01")}
        body = {**header, **{k: v for k, v in plan.items() if k not in header}}
        (plans / f"plan{i}.yaml").write_text(yaml.safe_dump(body, sort_keys=False), encoding="utf-8")
    args = ["run", "--plans", str(plans), "--roster", str(write(tmp_path, "roster", case["roster"])),
            "--deals", str(write(tmp_path, "deals", case["deals"])), "--through", str(case["through"]),
            "--out", str(tmp_path / "out"), "--statements", "none", "--quiet"]
    for name in INPUTS:
        if name in case:
            args += ["--" + name.replace("_", "-"), str(write(tmp_path, name, case[name]))]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    with (tmp_path / "out" / "lines.csv").open(newline="") as f:
        got = Counter(tuple(r[k] for k in LINE_KEY) for r in csv.DictReader(f))
    want = Counter(tuple(r[k] for k in LINE_KEY)
                   for r in csv.DictReader(textwrap.dedent(case["lines"]).strip().splitlines()))
    assert got == want
    assert any(type_name == c["type"] for p in case["plans"] for c in p.get("components", []))
