"""The golden cases of SPEC: exact lines and register, to the cent, through the library and the CLI."""
from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from compcalc.cli import main
from compcalc.engine import run
from compcalc.inputs import load_book
from compcalc.outputs import lines_table, register_table
from compcalc.periods import parse_period
from conftest import GOLDEN, case_files

CASES = sorted(p for p in GOLDEN.iterdir() if (p / "expected_lines.csv").exists())


def through_of(case: Path) -> str:
    return re.search(r"Run through (\d{4}-\d{2})", (case / "README.md").read_text()).group(1)


def read(path: Path) -> list[dict]:
    with path.open(newline="") as f:
        return list(csv.DictReader(f))


LINE_KEY = ("rep_id", "period", "plan_id", "component_id", "deal_id", "kind", "amount")
REGISTER_KEY = ("rep_id", "period", "net", "carry_in", "draw", "payout", "carry_out")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_lines_and_register_match_exactly(case):
    result = run(load_book(**case_files(case)), parse_period(through_of(case)))
    got_lines = Counter(tuple(r[k] for k in LINE_KEY) for r in lines_table(result.lines).to_dict("records"))
    want_lines = Counter(tuple(r[k] for k in LINE_KEY) for r in read(case / "expected_lines.csv"))
    assert got_lines == want_lines
    got_register = [tuple(r[k] for k in REGISTER_KEY) for r in register_table(result.register).to_dict("records")]
    want_register = [tuple(r[k] for k in REGISTER_KEY) for r in read(case / "expected_register.csv")]
    assert got_register == want_register


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_cli_run_writes_the_same_files(case, tmp_path):
    args = ["run", "--through", through_of(case), "--out", str(tmp_path / "out"), "--quiet"]
    for key, value in case_files(case).items():
        flag = "--" + key.replace("_", "-")
        for v in value if isinstance(value, list) else [value]:
            args += [flag, str(v)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    lines = read(tmp_path / "out" / "lines.csv")
    assert sum(Counter(tuple(r[k] for k in LINE_KEY) for r in lines).values()) == len(read(case / "expected_lines.csv"))
    assert [tuple(r[k] for k in REGISTER_KEY) for r in read(tmp_path / "out" / "register.csv")] == \
        [tuple(r[k] for k in REGISTER_KEY) for r in read(case / "expected_register.csv")]
    assert (tmp_path / "out" / "unassigned.csv").exists()
