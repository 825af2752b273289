"""`compcalc whatif`: the workbook (native charts), the HTML page (inline SVG), errors and exit codes."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from compcalc.cli import main
from conftest import GOLDEN, ROOT, case_files

HERE = Path(__file__).parent
CASE = GOLDEN / "land_and_expand"
LEGACY_LIKE = HERE / "plans" / "legacy_like"


def args(out: Path, *extra: str, baseline: Path = CASE / "plans", through: str = "2027-12") -> list[str]:
    a = ["whatif", "--baseline", str(baseline), "--through", through, "--out", str(out)]
    for key, value in case_files(CASE).items():
        if key != "plans":
            a += ["--" + key.replace("_", "-"), str(value)]
    return a + list(extra)


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("whatif") / "out"
    result = CliRunner().invoke(main, args(out, "--candidate", str(LEGACY_LIKE),
                                           "--set", "land_tcv.vesting.months=12,24",
                                           "--set", "net_expansion.quota=450000,600000"))
    assert result.exit_code == 0, result.output
    return out, result.output


def test_writes_the_workbook_and_the_page(written):
    out, output = written
    assert sorted(p.name for p in out.iterdir()) == ["whatif.html", "whatif.xlsx"]
    assert "plans: total cost 110,099.85 USD through 2027-12, deferred 450.00, clawbacks 900.01" in output
    assert "legacy_like: total cost 6,000.05 USD through 2027-12, deferred 0.00, clawbacks 2,400.05" in output
    assert "legacy_like vs plans: -104,099.80 USD;" in output
    assert "sweep: 4 runs over land_tcv.vesting.months, net_expansion.quota" in output


def test_workbook_sheets_amounts_and_native_charts(written):
    out, _ = written
    wb = openpyxl.load_workbook(out / "whatif.xlsx")
    assert wb.sheetnames == ["Summary", "vs legacy_like", "Sweep", "Lint"]
    summary = wb["Summary"]
    row = next(r for r in summary.iter_rows() if r[0].value == "  Total cost (paid through the last month)")
    assert [c.value for c in row[1:3]] == [110099.85, 6000.05]
    assert row[1].number_format.startswith("#,##0.00")
    with zipfile.ZipFile(out / "whatif.xlsx") as z:
        charts = {n: z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")}
        drawings = " ".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/drawings/_rels/"))
    kinds = sorted(k for x in charts.values() for k in re.findall(r"<(?:c:)?(bar|line)Chart>", x))
    assert kinds == ["bar", "bar", "bar", "bar", "line"]  # 3 on Summary, 1 per comparison, 1 per swept set
    titles = sorted(re.search(r"<a:t>([^<]*)</a:t>", x).group(1) for x in charts.values())
    assert titles == ["Cost by role", "Cost by role", "Extra a typical rep earns for +10,000 expansion ARR",
                      "Payout distribution", "plans: total cost by land_tcv.vesting.months"]
    assert len(re.findall(r"chart\d+\.xml", drawings)) == 5
    assert [len(wb[s]._charts) for s in wb.sheetnames] == [3, 1, 1, 0]


def test_comparison_sheet_shows_differences_and_reps(written):
    out, _ = written
    ws = openpyxl.load_workbook(out / "whatif.xlsx")["vs legacy_like"]
    values = {r[0].value: [c.value for c in r[1:4]] for r in ws.iter_rows() if r[0].value}
    assert values["  Total cost (paid through the last month)"] == [110099.85, 6000.05, -104099.8]
    assert values["am1"][:1] == ["Lee Park"]
    rep = next(r for r in ws.iter_rows() if r[0].value == "am1")
    assert [c.value for c in rep[:6]] == ["am1", "Lee Park", "Expansion AE / account manager", 101399.85, 0, -101399.85]


def test_html_is_standalone_with_inline_svg_charts(written):
    out, _ = written
    html = (out / "whatif.html").read_text(encoding="utf-8")
    assert html.count("<svg") == 4  # cost by role, payout distribution, incentive, the sweep's curve
    assert "<polyline" in html and "<rect" in html
    assert re.findall(r"https?://[^\"' ]+", html) == ["http://www.w3.org/2000/svg"] * 4  # a namespace, not a fetch
    assert "<script" not in html and "<link" not in html and "<img" not in html
    assert "110,099.85" in html and "−" not in html.split("<body>")[0]
    assert "plans · New business AE: 7,950.00" in html  # a bar's tooltip carries the exact amount


def test_quiet_prints_nothing(tmp_path):
    result = CliRunner().invoke(main, args(tmp_path / "q", "--quiet"))
    assert result.exit_code == 0
    assert result.output == ""
    assert (tmp_path / "q" / "whatif.xlsx").exists()


def test_progress_bar_is_shown(tmp_path):
    result = CliRunner().invoke(main, args(tmp_path / "p"))
    assert result.exit_code == 0
    assert "Running plan sets" in result.output


def test_unmappable_candidate_exits_2_and_writes_nothing(tmp_path):
    two = HERE / "plans" / "two_csm"
    result = CliRunner().invoke(main, args(tmp_path / "bad", "--candidate", str(two)))
    assert result.exit_code == 2
    assert result.output == (
        "1 problem found in the input; nothing was written:\n"
        f"  {two}: the roster's plan_id 'csm_2027' (role csm) matches several plans by role: csm_a, csm_b; "
        "give one of them plan_id 'csm_2027' to choose it\n")
    assert not (tmp_path / "bad").exists()


def test_bad_inputs_and_bad_candidates_are_reported_together(tmp_path):
    missing = tmp_path / "nowhere"
    a = args(tmp_path / "bad", "--candidate", str(missing))
    a[a.index("--deals") + 1] = str(tmp_path / "no_deals.csv")
    result = CliRunner().invoke(main, a)
    assert result.exit_code == 2
    assert result.output == ("2 problems found in the input; nothing was written:\n"
                             f"  {tmp_path / 'no_deals.csv'}: no such file\n"
                             f"  {missing}: no such file or folder\n")


def test_a_bad_baseline_plan_file_is_reported_with_its_line(tmp_path):
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "x.yaml").write_text("plan_id: x\nname: X\nrole: bogus\nyear_start: 2027-01-01\n")
    result = CliRunner().invoke(main, args(tmp_path / "bad", baseline=plans))
    assert result.exit_code == 2
    assert (f"  {plans / 'x.yaml'}:3 role: must be one of 'new_business_ae', 'expansion_ae', 'account_manager', "
            "'csm' or 'other' (got 'bogus')\n") in result.output


def test_bad_set_exits_2(tmp_path):
    result = CliRunner().invoke(main, args(tmp_path / "bad", "--set", "land_tcv.rate=1.5"))
    assert result.exit_code == 2
    assert "--set land_tcv.rate: must be ≤ 1 (value 1.5)" in result.output
    assert not (tmp_path / "bad").exists()


def test_command_has_help():
    result = CliRunner().invoke(main, ["whatif", "--help"])
    assert result.exit_code == 0
    for option in ("--baseline", "--candidate", "--set", "--roster", "--deals", "--through", "--out", "--quiet"):
        assert option in result.output
    assert "--plans" not in result.output
    assert "Compare plan sets on the same roster and deals" in result.output


def test_the_readme_tour_command_runs_on_the_example(tmp_path):
    """`compcalc whatif --baseline plans/legacy --candidate plans/land_and_expand` on the example book,
    whose roster names the land_and_expand plans."""
    company = ROOT / "examples" / "company"
    result = CliRunner().invoke(main, [
        "whatif", "--baseline", str(ROOT / "plans" / "legacy"), "--candidate", str(ROOT / "plans" / "land_and_expand"),
        "--roster", str(company / "roster.csv"), "--deals", str(company / "deals.csv"),
        "--milestones", str(company / "milestones.csv"), "--metrics", str(company / "metrics.csv"),
        "--through", "2026-12", "--out", str(tmp_path / "whatif"), "--quiet"])
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(tmp_path / "whatif" / "whatif.xlsx")["Summary"]
    mapped = {r[0].value.strip(): (r[1].value, r[2].value) for r in ws.iter_rows(min_row=5, max_row=9) if r[0].value}
    assert mapped["exp_ae"] == ("legacy_am (by role)", "exp_ae")
