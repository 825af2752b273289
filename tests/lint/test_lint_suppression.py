"""Suppression at the library level: plan lint.ignore, LintConfig select/ignore, the pyproject table."""
from __future__ import annotations

import pytest

from compcalc.lint import LintConfig, load_config
from compcalc.lint.config import DEFAULT_MIN_LAND_ARR, find_pyproject, split_codes
from compcalc.problems import InputError
from lint_scenario import run

NB_ACV = {"plan_id": "nb", "name": "NB", "role": "new_business_ae", "year_start": "2027-01-01",
          "components": [{"id": "land_acv", "type": "acv_commission", "rate": 0.1},
                         {"id": "t", "type": "tcv_commission", "rate": 0.05, "deal_types": ["expansion"],
                          "vesting": {"months": 6}}]}


def plan(**changes):
    return {**NB_ACV, **changes}


def codes(report):
    return sorted(f.code for f in report.findings)


def test_without_suppression():
    assert codes(run({"plans": [plan()]})) == ["EX106", "EX109", "EX110"]


def test_plan_ignore_by_code_and_by_prefix():
    assert codes(run({"plans": [plan(lint={"ignore": ["EX106"]})]})) == ["EX109", "EX110"]
    assert codes(run({"plans": [plan(lint={"ignore": ["ex11"]})]})) == ["EX106", "EX109"]
    assert codes(run({"plans": [plan(lint={"ignore": ["EX"]})]})) == []


def test_plan_ignore_applies_to_book_findings_attributed_to_the_plan():
    scenario = {"plans": [plan(plan_id="a"), plan(plan_id="b", lint={"ignore": ["BK201"]})],
                "roster": [{"rep_id": "r1", "plan_id": "a", "start_date": "2027-01-01"},
                           {"rep_id": "r2", "plan_id": "b", "start_date": "2027-01-01"}],
                "deals": [{"deal_id": "D1", "account_id": "A1", "type": "new", "close_date": "2027-02-01",
                           "arr": 100, "owner_id": "r1"},
                          {"deal_id": "D2", "account_id": "A2", "type": "new", "close_date": "2027-02-01",
                           "arr": 100, "owner_id": "r2"}]}
    assert [(f.code, f.plan_id) for f in run(scenario, select=("BK201",)).findings] == [("BK201", "a")]


def test_unknown_code_in_plan_ignore_is_bad_input():
    with pytest.raises(InputError) as e:
        run({"plans": [plan(lint={"ignore": ["EX1O1"]})]})
    assert "lint.ignore[0]: unknown rule code 'EX1O1'" in e.value.report()


def test_config_select_ignore_and_cli_merge():
    assert codes(run({"plans": [plan()]}, select=("EX1",), ignore=("EX109",))) == ["EX106", "EX110"]
    base = LintConfig(select=("EX",), ignore=("EX110",))
    merged = base.with_cli(select=["EX109,ex110"], ignore=["EX106", "BK2, BK203"])
    assert merged.select == ("EX109", "EX110")                        # --select replaces
    assert merged.ignore == ("EX110", "EX106", "BK2", "BK203")       # --ignore adds
    assert not merged.enabled("EX110") and merged.enabled("EX109")
    assert base.with_cli().select == ("EX",)
    assert split_codes(["a,b", " c ", ""]) == ("A", "B", "C")
    assert LintConfig(select=("ALL",), ignore=("EX1",)).enabled("BK201")


def test_pyproject_table(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.compcalc.lint]\nselect = ["EX", "BK201"]\nignore = ["ex110"]\nmin_land_arr = 20000.50\n')
    config = load_config(tmp_path)
    assert (config.select, config.ignore, config.min_land_arr) == (("EX", "BK201"), ("EX110",), 2_000_050)
    assert config.source == str(tmp_path / "pyproject.toml")


def test_pyproject_search_skips_files_without_the_table_and_defaults_without_any(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.compcalc.lint]\nignore = ["EX101"]\n')
    inner = tmp_path / "a" / "b"
    inner.mkdir(parents=True)
    (tmp_path / "a" / "pyproject.toml").write_text('[tool.other]\nx = 1\n')
    assert find_pyproject(inner) == tmp_path / "pyproject.toml"
    assert load_config(inner).ignore == ("EX101",)
    (tmp_path / "pyproject.toml").unlink()
    assert load_config(inner) == LintConfig()
    assert LintConfig().min_land_arr == DEFAULT_MIN_LAND_ARR == 1_500_000


@pytest.mark.parametrize("body,message", [
    ('select = "EX101"', "tool.compcalc.lint.select: must be a list of rule codes"),
    ('ignore = ["EX101", 3]', "tool.compcalc.lint.ignore: must be a list of rule codes"),
    ('select = ["EX9"]', "tool.compcalc.lint.select: unknown rule code 'EX9'"),
    ("min_land_arr = 15000.001", "min_land_arr: must be an amount ≥ 0 with at most 2 decimals"),
    ("min_land_arr = -5", "min_land_arr: must be an amount ≥ 0"),
    ('min_land_arr = "lots"', "min_land_arr: must be an amount ≥ 0"),
    ("colour = 1", "tool.compcalc.lint.colour: unknown key"),
    ("min_land_arr = 1e400", "min_land_arr: must be an amount ≥ 0"),
])
def test_pyproject_problems(tmp_path, body, message):
    from compcalc.lint import RULES
    (tmp_path / "pyproject.toml").write_text(f"[tool.compcalc.lint]\n{body}\n")
    with pytest.raises(InputError) as e:
        load_config(tmp_path, codes=RULES)
    assert message in e.value.report()


@pytest.mark.parametrize("text,message", [
    ('[tool]\ncompcalc = "x"\n', "tool.compcalc: must be a table"),
    ("[tool.compcalc]\nlint = 5\n", "tool.compcalc.lint: must be a table"),
])
def test_a_compcalc_section_of_the_wrong_shape_is_reported(tmp_path, text, message):
    (tmp_path / "pyproject.toml").write_text(text)
    with pytest.raises(InputError) as e:
        load_config(tmp_path)
    assert message in e.value.report()


def test_a_tool_section_of_another_shape_is_not_ours_to_judge(tmp_path):
    (tmp_path / "pyproject.toml").write_text("tool = 1\n")
    assert load_config(tmp_path) == LintConfig()
