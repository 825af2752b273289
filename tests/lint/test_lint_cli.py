"""compcalc lint / rules / explain: text and JSON output, exit codes, suppression from every source."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from compcalc.cli import main
from compcalc.lint import RULES

NB = """\
plan_id: nb_2027
name: New Business AE
role: new_business_ae
year_start: 2027-01-01
ote: 240000
components:
  - id: land_acv
    type: acv_commission
    rate: 0.10
"""
EXP = """\
plan_id: exp_2027
name: Expansion AE
role: expansion_ae
year_start: 2027-01-01
ote: 200000
components:
  - id: net_expansion
    type: quota_attainment
    quota: 600000
    target_incentive: 100000
    cap: 1.5
"""
CSM = """\
plan_id: csm_2027
name: CSM
role: csm
year_start: 2027-01-01
lint: {ignore: [EX102]}
components:
  - id: csat_bonus
    type: metric_bonus
    metric: csat
    target: 4.5
    amount: 1000
"""
DEALS = """\
deal_id,account_id,type,close_date,arr,owner_id,term_months,prior_arr
D1,A1,new,2026-01-15,100000,ae1,12,
D2,A2,new,2026-02-15,9000,ae1,36,
D3,A1,expansion,2027-03-01,20000,am1,12,
D4,A3,new,2027-06-10,60000,ae1,12,
"""
ROSTER = """\
rep_id,name,plan_id,start_date,end_date
ae1,Ana,nb_2027,2026-01-01,
am1,Ben,csm_2027,2026-01-01,
"""


@pytest.fixture
def project(tmp_path, monkeypatch):
    plans = tmp_path / "plans"
    plans.mkdir()
    for name, text in (("nb.yaml", NB), ("exp.yaml", EXP), ("csm.yaml", CSM)):
        (plans / name).write_text(text, encoding="utf-8")
    (tmp_path / "deals.csv").write_text(DEALS, encoding="utf-8")
    (tmp_path / "roster.csv").write_text(ROSTER, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def invoke(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def codes(result) -> list[str]:
    return [f["code"] for f in json.loads(result.stdout)]


# -- text and JSON ----------------------------------------------------------------------------------

def test_text_output_one_finding_a_line_with_fix_then_summary(project):
    r = invoke("lint", "plans")
    assert r.exit_code == 1
    lines = r.stdout.splitlines()
    assert lines[0] == ("plans/exp.yaml:5 EX108 warning expansion_ae OTE 200,000.00 is below the new-business AE "
                        "OTE 240,000.00 (nb_2027)")
    assert lines[1].startswith("  fix: raise the OTE to at least 240,000.00")
    assert lines[2].startswith("plans/exp.yaml:11 EX111 warning quota_attainment 'net_expansion' caps pay at 1.5×")
    assert lines[4].startswith("plans/nb.yaml:8 EX101 error new-business plan pays on first-year ACV only")
    assert lines[5].startswith("  fix: ")
    assert lines[-1] == "3 findings (1 error, 2 warnings) in 3 plans"
    assert r.stderr == ""


def test_json_is_a_list_of_exactly_the_contract_fields(project):
    r = invoke("lint", "plans", "--format", "json")
    assert r.exit_code == 1
    data = json.loads(r.stdout)
    assert [f["code"] for f in data] == ["EX108", "EX111", "EX101"]
    for f in data:
        assert list(f) == ["code", "severity", "plan_id", "component_id", "message", "fix"]
    assert data[0]["plan_id"] == "exp_2027" and data[0]["component_id"] is None
    assert data[2] == {**data[2], "severity": "error", "plan_id": "nb_2027", "component_id": "land_acv"}


def test_exit_0_when_only_warnings_and_summary_of_clean_run(project):
    assert invoke("lint", "plans/exp.yaml").exit_code == 0
    r = invoke("lint", "plans/csm.yaml")
    assert (r.exit_code, r.stdout) == (0, "0 findings in 1 plan\n")
    assert invoke("lint", "plans/csm.yaml", "--format", "json").stdout.strip() == "[]"


def test_quiet_prints_only_the_findings(project):
    r = invoke("lint", "plans", "--quiet")
    assert r.exit_code == 1
    assert "findings" not in r.stdout and r.stdout.count("  fix: ") == 3


# -- suppression ------------------------------------------------------------------------------------

def test_plan_lint_ignore_suppresses_that_plan_only(project):
    (project / "plans" / "csm2.yaml").write_text(CSM.replace("csm_2027", "csm_b").replace(
        "lint: {ignore: [EX102]}\n", ""), encoding="utf-8")
    data = json.loads(invoke("lint", "plans", "--format", "json", "--select", "EX102").stdout)
    assert [(f["code"], f["plan_id"]) for f in data] == [("EX102", "csm_b")]


def test_cli_ignore_and_select_comma_separated_repeatable_and_prefixes(project):
    assert codes(invoke("lint", "plans", "--format", "json", "--ignore", "EX101,ex108")) == ["EX111"]
    assert codes(invoke("lint", "plans", "--format", "json", "--ignore", "EX101", "--ignore", "EX111")) == ["EX108"]
    assert codes(invoke("lint", "plans", "--format", "json", "--select", "EX101")) == ["EX101"]
    assert codes(invoke("lint", "plans", "--format", "json", "--select", "EX11")) == ["EX111"]
    assert codes(invoke("lint", "plans", "--format", "json", "--select", "EX101", "--select", "EX108")) == \
        ["EX108", "EX101"]
    r = invoke("lint", "plans", "--select", "EX101", "--ignore", "EX1")
    assert (r.exit_code, r.stdout) == (0, "0 findings in 3 plans\n")


def test_pyproject_table_in_the_current_directory(project):
    (project / "pyproject.toml").write_text('[tool.compcalc.lint]\nignore = ["EX101"]\n', encoding="utf-8")
    r = invoke("lint", "plans", "--format", "json")
    assert (r.exit_code, codes(r)) == (0, ["EX108", "EX111"])
    # the command line's --ignore adds to it; its --select replaces the file's select
    assert codes(invoke("lint", "plans", "--format", "json", "--ignore", "EX108")) == ["EX111"]
    (project / "pyproject.toml").write_text('[tool.compcalc.lint]\nselect = ["EX108"]\n', encoding="utf-8")
    assert codes(invoke("lint", "plans", "--format", "json")) == ["EX108"]
    assert codes(invoke("lint", "plans", "--format", "json", "--select", "EX101")) == ["EX101"]


def test_pyproject_in_the_nearest_parent_and_one_without_the_table_is_skipped(project, monkeypatch):
    (project / "pyproject.toml").write_text('[tool.compcalc.lint]\nselect = ["EX111"]\n', encoding="utf-8")
    sub = project / "team" / "deep"
    sub.mkdir(parents=True)
    (project / "team" / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    monkeypatch.chdir(sub)
    assert codes(invoke("lint", str(project / "plans"), "--format", "json")) == ["EX111"]


def test_pyproject_min_land_arr(project):
    r = invoke("lint", "plans", "--deals", "deals.csv", "--select", "BK201", "--format", "json")
    assert codes(r) == ["BK201"]
    (project / "pyproject.toml").write_text("[tool.compcalc.lint]\nmin_land_arr = 8999.99\n", encoding="utf-8")
    assert codes(invoke("lint", "plans", "--deals", "deals.csv", "--select", "BK201", "--format", "json")) == []


# -- the book ---------------------------------------------------------------------------------------

def test_deals_and_roster_run_the_book_rules_and_print_metrics(project):
    r = invoke("lint", "plans", "--deals", "deals.csv", "--roster", "roster.csv", "--select", "BK")
    assert r.exit_code == 1
    out = r.stdout
    assert "deals.csv:3 BK201 warning 1 of 3 lands closed on nb_2027 below the minimum viable land of " \
           "15,000.00: D2 (9,000.00)" in out
    assert "deals.csv:3 BK202 warning 1 of 3 lands closed on nb_2027 signed for more than 24 months" in out
    assert "deals.csv:4 BK203 error 1 expansion deal (20,000.00 ARR) credited to am1 on csm_2027" in out
    assert "deals.csv BK204 warning" not in out  # NRR 120%, expansion share 20,000 / 80,000 = 25%
    assert "3 findings (1 error, 2 warnings) in 3 plans" in out
    metrics = out.split("in 3 plans\n", 1)[1]
    assert "Book metrics, window 2026-07..2027-06" in metrics
    window = next(line for line in metrics.splitlines() if line.strip().startswith("window"))
    assert window.split() == ["window", "2026-07..2027-06", "109,000.00", "118.3%", "100.0%", "25.0%"]
    rows = [line.split()[0] for line in metrics.splitlines() if line.strip()][1:]
    assert rows == ["period", "window", "2026Q3", "2026Q4", "2027Q1", "2027Q2"]


def test_book_rules_need_their_inputs(project):
    assert codes(invoke("lint", "plans", "--select", "BK", "--format", "json")) == []
    assert codes(invoke("lint", "plans", "--deals", "deals.csv", "--select", "BK203", "--format", "json")) == []


def test_json_with_deals_has_no_metrics(project):
    data = json.loads(invoke("lint", "plans", "--deals", "deals.csv", "--format", "json").stdout)
    assert isinstance(data, list) and all(set(f) == {"code", "severity", "plan_id", "component_id", "message", "fix"}
                                          for f in data)


# -- bad input: exit 2, every problem, no traceback -------------------------------------------------

@pytest.mark.parametrize("setup,args,expected", [
    (lambda p: (p / "plans" / "bad.yaml").write_text("plan_id: [oops\n"), ["plans"], "not valid YAML"),
    (lambda p: None, ["nowhere"], "nowhere: no such file or folder"),
    (lambda p: None, ["plans", "--select", "EX999"], "unknown rule code 'EX999'"),
    (lambda p: None, ["plans", "--ignore", "ZZ"], "unknown rule code 'ZZ'"),
    (lambda p: (p / "plans" / "csm.yaml").write_text(CSM.replace("[EX102]", "[EX1O2]")), ["plans"],
     "plans/csm.yaml:5 lint.ignore[0]: unknown rule code 'EX1O2'"),
    (lambda p: (p / "pyproject.toml").write_text("[tool.compcalc.lint]\nignore = [\n"), ["plans"], "not valid TOML"),
    (lambda p: (p / "pyproject.toml").write_text("[tool.compcalc.lint]\nignored = []\nmin_land_arr = -1\n"),
     ["plans"], "tool.compcalc.lint.ignored: unknown key"),
    (lambda p: (p / "deals.csv").write_text(DEALS.replace("9000", "9000.123")), ["plans", "--deals", "deals.csv"],
     "deals.csv: row 2, column arr: '9000.123' has more than 2 decimals"),
    (lambda p: None, ["plans", "--roster", "roster.csv"], "--roster needs --deals"),
])
def test_bad_input_exits_2_listing_the_problems(project, setup, args, expected):
    setup(project)
    r = invoke("lint", *args)
    assert r.exit_code == 2
    assert expected in r.stderr
    assert "Traceback" not in r.output


def test_bad_input_reports_every_problem_at_once(project):
    (project / "plans" / "bad.yaml").write_text("plan_id: [oops\n")
    (project / "pyproject.toml").write_text('[tool.compcalc.lint]\nselect = ["NOPE"]\n')
    r = invoke("lint", "plans")
    assert r.exit_code == 2
    assert "not valid YAML" in r.stderr and "unknown rule code 'NOPE'" in r.stderr


def test_bad_input_with_format_json_is_a_json_list_of_the_problems(project):
    r = invoke("lint", "plans", "--select", "EX999", "--format", "json")
    assert (r.exit_code, r.stderr) == (2, "")
    assert json.loads(r.stdout) == [
        {"file": "command line", "message": "unknown rule code 'EX999' in select (see `compcalc rules`)"}]
    (project / "plans" / "bad.yaml").write_text("plan_id: x\ncomponents: &c\n  - *c\n")
    r = invoke("lint", "plans", "--format", "json")
    assert r.exit_code == 2
    assert json.loads(r.stdout) == [
        {"file": "plans/bad.yaml", "line": 2, "message": "not valid YAML: an alias refers to a value that contains it"}]


# -- rules and explain ------------------------------------------------------------------------------

def test_rules_lists_every_rule():
    r = invoke("rules")
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert [line.split()[0] for line in lines] == list(RULES)
    assert lines[0].split()[:3] == ["EX101", "error", "expansion.first_year_acv_only"]
    assert lines[0].endswith("A new-business AE plan pays on first-year ACV only.")
    data = json.loads(invoke("rules", "--format", "json").stdout)
    assert [d["code"] for d in data] == list(RULES)
    assert {"code", "severity", "name", "summary"} <= set(data[0])


def test_explain_prints_the_rule_in_full():
    r = invoke("explain", "ex104")
    assert r.exit_code == 0
    out = r.stdout
    assert out.startswith("EX104 (error) expansion.renewal_paid_flat\n")
    for part in ("Why this kills expansion", "Anti-pattern", "Best practice", "basis: full", "basis: flat_portion",
                 RULES["EX104"].summary()):
        assert part in out


def test_explain_unknown_code_exits_2():
    r = invoke("explain", "EX999")
    assert r.exit_code == 2
    assert "unknown rule code 'EX999'" in r.stderr and "EX101" in r.stderr


@pytest.mark.parametrize("name", ["lint", "rules", "explain"])
def test_commands_have_help(name):
    r = invoke(name, "--help")
    assert r.exit_code == 0 and len(main.commands[name].help or "") > 40
