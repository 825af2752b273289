"""What the rendered what-if report and the workbooks look like: frozen panes and print setup, swept
values stored as numbers, one lint row per finding however many sweep points share it, text cells
aligned with the figures of their column, the 18-column sweep within 1280 px, no CLI jargon."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from compcalc.cli import main
from conftest import ROOT

COMPANY = ROOT / "examples" / "company"
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("whatif") / "out"
    result = CliRunner().invoke(main, [
        "whatif", "--baseline", str(ROOT / "plans" / "legacy"), "--candidate", str(ROOT / "plans" / "land_and_expand"),
        "--roster", str(COMPANY / "roster.csv"), "--deals", str(COMPANY / "deals.csv"),
        "--milestones", str(COMPANY / "milestones.csv"), "--metrics", str(COMPANY / "metrics.csv"),
        "--through", "2026-12", "--out", str(out), "--quiet",
        "--set", "land_tcv.vesting.months=12,24", "--set", "net_expansion.quota=450000,600000"])
    assert result.exit_code == 0, result.output
    return out


def test_workbook_sheets_freeze_their_header_and_print_landscape(report):
    wb = openpyxl.load_workbook(report / "whatif.xlsx")
    assert [(ws.title, ws.freeze_panes, ws.print_title_rows) for ws in wb] == [
        ("Summary", "B5", "$4:$4"), ("vs land_and_expand", "B5", "$4:$4"), ("Sweep", "B5", "$4:$4"),
        ("Lint", "B4", "$3:$3")]
    for ws in wb:
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
        assert ws.sheet_properties.pageSetUpPr.fitToPage


def test_swept_values_are_numbers(report):
    ws = openpyxl.load_workbook(report / "whatif.xlsx")["Sweep"]
    assert [ws.cell(4, c).value for c in (2, 3)] == ["land_tcv.vesting.months", "net_expansion.quota"]
    assert [[ws.cell(r, c).value for c in (2, 3)] for r in range(5, 9)] == \
        [[12, 450000], [12, 600000], [24, 450000], [24, 600000]]
    assert all(ws.cell(5, c).data_type == "n" for c in (2, 3))


def test_a_finding_shared_by_every_sweep_point_is_one_row(report):
    ws = openpyxl.load_workbook(report / "whatif.xlsx")["Lint"]
    rows = [tuple(c.value for c in r) for r in ws.iter_rows(min_row=4) if r[0].value]
    assert len(rows) == len(set(rows))
    swept = [r for r in rows if r[0].startswith("land_and_expand [")]
    assert swept and all(r[0] == "land_and_expand [every sweep point]" for r in swept)
    html = (report / "whatif.html").read_text(encoding="utf-8")
    assert html.count("[every sweep point]") == len(swept)
    assert "net_expansion.quota=450000" not in html.split("Lint findings")[1]


def test_labels_say_what_they_mean(report):
    html = (report / "whatif.html").read_text(encoding="utf-8")
    assert "--through" not in html and "lines but draws" not in html
    assert "Total cost (paid through the last month)" in html
    assert "Earned (every line except draw top-ups; the breakdowns add up to this)" in html
    ws = openpyxl.load_workbook(report / "whatif.xlsx")["vs land_and_expand"]
    assert not [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "--through" in c.value]


def test_text_in_figure_columns_is_right_aligned(report):
    html = (report / "whatif.html").read_text(encoding="utf-8")
    assert '<td class="txt">' in html  # e.g. a typical rep's account among the figures
    assert "td.txt { text-align: right; }" in html
    assert '<table class="sweep">' in html and '<th class="num">Total cost</th>' in html


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs headless Chromium at /usr/bin/chromium")
def test_the_sweep_fits_1280_px_without_console_errors(report):
    from compcalc.statements.pdf import Browser

    with Browser(str(CHROMIUM)) as browser:
        page = browser.new_page()
        page.call("Runtime.enable")
        page.set_viewport(1280, 900)
        page.goto((report / "whatif.html").resolve().as_uri())
        m = page.evaluate("""(() => { const t = document.querySelector('table.sweep'), box = t.parentElement;
            return {page: document.documentElement.scrollWidth, table: box.scrollWidth, box: box.clientWidth,
                    cols: t.querySelectorAll('thead th').length,
                    total: t.querySelector('tbody tr td:nth-child(4)').innerText}; })()""")
        assert m["cols"] == 18 and m["page"] <= 1280 and m["table"] <= m["box"], m
        assert m["total"] == "1,401,975.15"  # = the payouts of a plain run at 12 months, quota 450,000
        errors = [e for e in browser._events if e.get("sessionId") == page.session
                  and e["method"] == "Runtime.exceptionThrown"]
        assert errors == []
