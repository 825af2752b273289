"""An HTML statement in headless Chromium: the payout reads right, and nothing overflows the page at
390 px (a phone) or at A4 print width; --pdf writes A4 PDFs. Skipped when Chromium is not installed."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from compcalc.statements.pdf import Browser
from statement_files import LAND

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs headless Chromium at /usr/bin/chromium "
                                                      "(apt-get install chromium)"),
]

A4_CSS_WIDTH = 703  # 210 mm − 2 × 12 mm page margins, at 96 px per inch
LONG = "Wolfeschlegelsteinhausenbergerdorff-Featherstonehaugh"

# Every element's right edge, and every table box that would scroll, against the viewport.
OVERFLOW = """(() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > width + 0.5
      && !e.closest('.table-wrap'));
  const scrolled = [...document.querySelectorAll('.table-wrap')].filter(e => e.scrollWidth > e.clientWidth + 1);
  return {page: document.documentElement.scrollWidth, width, wide: wide.length,
          scrolled: scrolled.length, payout: (document.getElementById('payout') || {}).innerText};
})()"""


@pytest.fixture(scope="module")
def long_book(tmp_path_factory):
    """The golden land-and-expand book with very long names and ids, and a large deal."""
    folder = tmp_path_factory.mktemp("long")
    text = (LAND / "roster.csv").read_text().replace("Dana Reyes", f"Dana {LONG}")
    (folder / "roster.csv").write_text(text)
    deals = (LAND / "deals.csv").read_text()
    for short in ("D1", "D2", "A1", "A2"):
        deals = re.sub(rf"\b{short}\b", f"{short}-ENTERPRISE-EXPANSION-0000000000000000000000001", deals)
    deals += "D9,ACCOUNT-WITH-A-VERY-LONG-IDENTIFIER-000000000000,new,2028-01-20,98765432.10,ae1,24,,\n"
    (folder / "deals.csv").write_text(deals)
    return folder


def run_long(folder: Path, out: Path, *extra):
    from click.testing import CliRunner

    from compcalc.cli import main

    args = ["run", "--plans", str(LAND / "plans"), "--roster", str(folder / "roster.csv"), "--deals",
            str(folder / "deals.csv"), "--milestones", str(LAND / "milestones.csv"), "--through", "2028-01",
            "--out", str(out), "--quiet", *extra]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return out


def measure(page, path: Path, width: int, media: str) -> dict:
    page.set_viewport(width, 900, mobile=media == "screen")
    page.set_media(media)
    page.goto(path.resolve().as_uri())
    return page.evaluate(OVERFLOW)


def test_statement_fits_a_phone_and_a4(long_book, tmp_path):
    out = run_long(long_book, tmp_path / "out", "--statements", "all")
    pages = [out / "statements" / "ae1_2027-04.html", out / "statements" / "ae1_2028-01.html",
             out / "statements" / "am1_2027-07.html"]
    # 2028-01: D9 upfront 25% × 10% × 98,765,432.10 × 24/12 = 4,938,271.61, + 450.00 installment + 360.00 closer.
    payouts = {"ae1_2027-04": "0.00", "ae1_2028-01": "4,939,081.61", "am1_2027-07": "101,399.85"}
    with Browser(str(CHROMIUM)) as browser:
        page = browser.new_page()
        for path in pages:
            phone = measure(page, path, 390, "screen")
            assert phone["payout"] == payouts[path.stem]
            assert phone["page"] <= 390 and phone["wide"] == 0, (path.name, phone)
            a4 = measure(page, path, A4_CSS_WIDTH, "print")
            assert a4["page"] <= A4_CSS_WIDTH and a4["wide"] == 0 and a4["scrolled"] == 0, (path.name, a4)
        register = measure(page, out / "payout_register_2028-01.html", 390, "screen")
        assert register["page"] <= 390 and register["wide"] == 0
        register = measure(page, out / "payout_register_2028-01.html", A4_CSS_WIDTH, "print")
        assert register["page"] <= A4_CSS_WIDTH and register["wide"] == 0 and register["scrolled"] == 0


def test_pdf_option_writes_a4_pdfs(long_book, tmp_path):
    out = run_long(long_book, tmp_path / "out", "--pdf")
    pdfs = sorted(p.name for p in out.rglob("*.pdf"))
    assert pdfs == ["ae1_2028-01.pdf", "am1_2028-01.pdf", "cs1_2028-01.pdf", "payout_register_2028-01.pdf"]
    data = (out / "statements" / "ae1_2028-01.pdf").read_bytes()
    assert data.startswith(b"%PDF-")
    box = re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", data)
    assert abs(float(box.group(1)) - 595.3) < 1 and abs(float(box.group(2)) - 841.9) < 1  # A4 in points


CONSOLE = ("Runtime.exceptionThrown", "Runtime.consoleAPICalled", "Log.entryAdded")


def console_errors(browser, page) -> list[dict]:
    return [e for e in browser._events if e.get("sessionId") == page.session and e["method"] in CONSOLE
            and (e["method"] == "Runtime.exceptionThrown"
                 or e["params"].get("type") == "error" or e["params"].get("entry", {}).get("level") == "error")]


def test_run_site_and_statements_render_without_overflow_or_console_errors(long_book, tmp_path):
    """index.html and the statements' new sections at 1280 px, a phone and A4: figures present, nothing
    overflowing, no console error; the search box filters the register rows."""
    import csv

    out = run_long(long_book, tmp_path / "out", "--statements", "all")
    with (out / "register.csv").open() as f:
        month = [r for r in csv.DictReader(f) if r["period"] == "2028-01"]
    total = sum(int(r["payout"].replace(".", "")) for r in month)
    want_total = f"{total // 100:,}.{total % 100:02d}"
    with Browser(str(CHROMIUM)) as browser:
        page = browser.new_page()
        page.call("Runtime.enable")
        page.call("Log.enable")
        site = out / "index.html"
        for width, media in ((1280, "screen"), (390, "screen"), (A4_CSS_WIDTH, "print")):
            m = measure(page, site, width, media)
            assert m["page"] <= width and m["wide"] == 0, (width, m)
            assert console_errors(browser, page) == []
        assert page.evaluate("document.getElementById('total-payout-USD').innerText") == want_total
        shown = page.evaluate("""(() => { const s = document.getElementById('search'); s.value = 'kim';
            s.dispatchEvent(new Event('input')); return [...document.querySelectorAll('#rows tr.rep')]
            .filter(tr => !tr.hidden).map(tr => tr.dataset.rep); })()""")
        assert shown == ["cs1"]
        assert page.evaluate("document.getElementById('shown').innerText") == "1 of 3 reps"
        href = page.evaluate("document.querySelector('#rows tr[data-rep=am1] a').getAttribute('href')")
        assert (out / href).is_file()
        for name in ("am1_2027-07.html", "ae1_2027-05.html"):
            path = out / "statements" / name
            for width, media in ((1280, "screen"), (390, "screen"), (A4_CSS_WIDTH, "print")):
                m = measure(page, path, width, media)
                assert m["page"] <= width and m["wide"] == 0, (name, width, m)
                assert console_errors(browser, page) == []
            charts = page.evaluate("[...document.querySelectorAll('svg.chart')].map(s => s.getBoundingClientRect().width)")
            assert charts and all(0 < w <= A4_CSS_WIDTH for w in charts), (name, charts)
            assert page.evaluate("document.querySelectorAll('table.history tr[data-month]').length") >= 5
