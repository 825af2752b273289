"""The golden cases of SPEC: exact lines and register, to the cent, through the library and the CLI."""
from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from compcalc.cli import main
from conftest import GOLDEN, case_files

CASES = sorted(p for p in GOLDEN.iterdir() if (p / "expected_lines.csv").exists())


def through_of(case: Path) -> str:
    return re.search(r"Run through (\d{4}-\d{2})", (case / "README.md").read_text()).group(1)


def read(path: Path) -> list[dict]:
    with path.open(newline="") as f:
        return list(csv.DictReader(f))


LINE_KEY = ("rep_id", "period", "plan_id", "component_id", "deal_id", "kind", "amount")
REGISTER_KEY = ("rep_id", "period", "net", "carry_in", "draw", "payout", "carry_out")


def run_case(case: Path, out: Path):
    args = ["run", "--through", through_of(case), "--out", str(out), "--quiet"]
    for key, value in case_files(case).items():
        flag = "--" + key.replace("_", "-")
        for v in value if isinstance(value, list) else [value]:
            args += [flag, str(v)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_the_files_compcalc_writes_match_the_expected_answers(case, tmp_path):
    """The real lines.csv and register.csv, every row and figure as text, against the hand-derived answers."""
    run_case(case, tmp_path / "out")
    lines = read(tmp_path / "out" / "lines.csv")
    expected = read(case / "expected_lines.csv")
    assert expected, case
    assert Counter(tuple(r[k] for k in LINE_KEY) for r in lines) == \
        Counter(tuple(r[k] for k in LINE_KEY) for r in expected)
    register = read(tmp_path / "out" / "register.csv")
    assert [tuple(r[k] for k in REGISTER_KEY) for r in register] == \
        [tuple(r[k] for k in REGISTER_KEY) for r in read(case / "expected_register.csv")]
    assert (tmp_path / "out" / "unassigned.csv").exists()


def test_there_are_golden_cases():
    assert {c.name for c in CASES} >= {"land_and_expand", "icm_essentials", "plan_patterns"}


def test_an_assignment_before_year_start_starts_the_run_in_the_tiled_plan_year(tmp_path):
    """SPEC §5 (revised): the run covers the tiled plan year of the earliest assignment. ae1 assigned
    from 2026-12-01 to nb_ae_2027 (year_start 2027-01-01) is in that plan's 2026 plan year, so a land
    closed 2026-12-15 is paid in 2026-12: 10% of TCV 12,000 = 1,200, 25% upfront = 300."""
    case = GOLDEN / "land_and_expand"
    deals = (case / "deals.csv").read_text() + "D9,A9,new,2026-12-15,12000,ae1,12,,\n"
    roster = (case / "roster.csv").read_text().replace("ae1,Dana Reyes,nb_ae_2027,2027-01-01", "ae1,Dana Reyes,nb_ae_2027,2026-12-01")
    (tmp_path / "deals.csv").write_text(deals)
    (tmp_path / "roster.csv").write_text(roster)
    result = CliRunner().invoke(main, ["run", "--plans", str(case / "plans"), "--roster", str(tmp_path / "roster.csv"),
                                       "--deals", str(tmp_path / "deals.csv"), "--milestones", str(case / "milestones.csv"),
                                       "--through", "2027-02", "--out", str(tmp_path / "out"), "--quiet",
                                       "--statements", "none"])
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output
    lines = [(r["rep_id"], r["period"], r["deal_id"], r["kind"], r["amount"]) for r in read(tmp_path / "out" / "lines.csv")]
    assert ("ae1", "2026-12", "D9", "upfront", "300.00") in lines
    assert ("ae1", "2027-01", "D9", "installment", "75.00") in lines
    register = {(r["rep_id"], r["period"]): r["payout"] for r in read(tmp_path / "out" / "register.csv")}
    assert register[("ae1", "2026-12")] == "300.00"
