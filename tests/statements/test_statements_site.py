"""The run site (index.html): the register of the run's last month and its totals tie to register.csv,
the month-by-month totals to register.csv, every link resolves inside the output folder, nothing comes
from the network, and a re-run may replace a folder holding it."""
from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

from statement_files import ICM, LAND, Page, Table, csv_cents, page_cents, read_csv, run_cli


@pytest.fixture(scope="module", params=[LAND, ICM], ids=lambda c: c.name)
def out(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(request.param.name) / "out"
    result = run_cli(request.param, folder, "--statements", "all", "--quiet")
    assert result.exit_code == 0, result.output
    return folder


def test_register_rows_and_totals_tie_to_register_csv(out):
    register = read_csv(out / "register.csv")
    through = max(r["period"] for r in register)
    text = (out / "index.html").read_text(encoding="utf-8")
    table = Table(text, "site-register").rows[0]
    rows = {r["attrs"]["data-rep"]: r for r in table if "data-rep" in r["attrs"]}
    month = {r["rep_id"]: r for r in register if r["period"] == through}
    assert set(month) <= set(rows)  # every register row, and reps on the team with nothing this month
    for rep, r in rows.items():
        reg = month.get(rep, {"net": "0", "carry_in": "0", "draw": "0", "payout": "0", "carry_out": "0"})
        for cls, column in (("net", "net"), ("carry-in", "carry_in"), ("draw", "draw"), ("payout", "payout"),
                            ("carry-out", "carry_out")):
            assert page_cents(r["by_class"][cls]) == csv_cents(reg[column]), (rep, cls)
    total = next(r for r in table if r["attrs"].get("data-currency") == "USD")
    assert page_cents(total["by_class"]["payout-total"]) == sum(csv_cents(r["payout"]) for r in month.values())
    page = Page(text)
    assert page_cents(page.by_id["total-payout-USD"]) == sum(csv_cents(r["payout"]) for r in month.values())


def test_month_by_month_totals(out):
    register = read_csv(out / "register.csv")
    want = defaultdict(lambda: defaultdict(int))
    for r in register:
        for c in ("net", "draw", "payout", "carry_out"):
            want[r["period"]][c] += csv_cents(r[c])
    text = (out / "index.html").read_text(encoding="utf-8")
    rows = [r for r in Table(text, "months").rows[0] if "data-month" in r["attrs"]]
    months = [r["attrs"]["data-month"] for r in rows]
    assert months[0] == min(want) and months[-1] == max(want) and len(months) == len(set(months))
    for r in rows:
        got = want.get(r["attrs"]["data-month"], {})
        for cls, c in (("net", "net"), ("draw", "draw"), ("payout", "payout"), ("carry-out", "carry_out")):
            assert page_cents(r["by_class"][cls]) == got.get(c, 0), (r["attrs"]["data-month"], c)


def test_links_resolve_and_nothing_comes_from_the_network(out):
    text = (out / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="([^"]+)"', text)
    assert not re.search(r"(src)=|url\(|@import|https?://", text)
    statements = sorted(p.relative_to(out).as_posix() for p in (out / "statements").glob("*.html"))
    assert sorted(set(x for x in links if x.startswith("statements/"))) == statements
    register = max(r["period"] for r in read_csv(out / "register.csv"))
    assert f"payout_register_{register}.xlsx" in links and "register.csv" in links and "lines.csv" in links
    for link in links:
        assert (out / link).is_file(), link
        assert not Path(link).is_absolute()


def test_a_folder_with_its_site_may_be_replaced(tmp_path):
    out = tmp_path / "out"
    assert run_cli(ICM, out, "--quiet").exit_code == 0
    assert (out / "index.html").is_file()
    again = run_cli(ICM, out, "--quiet")
    assert again.exit_code == 0, again.output


def test_the_site_links_the_csvs_written_beside_it_however_long_they_take(tmp_path, monkeypatch):
    """The CSVs are written in a forked process while the site is: a slow lines.csv is linked all the
    same (the site names the files the run writes, it does not look for them)."""
    import time

    from compcalc import outputs

    real = outputs.write_lines_csv

    def slow(lines, path):
        time.sleep(1.5)
        real(lines, path)

    monkeypatch.setattr(outputs, "write_lines_csv", slow)
    out = tmp_path / "out"
    result = run_cli(ICM, out, "--statements", "none", "--quiet")
    assert result.exit_code == 0, result.output
    links = re.findall(r'href="([^"]+)"', (out / "index.html").read_text(encoding="utf-8"))
    assert {"lines.csv", "register.csv", "unassigned.csv"} <= set(links) and "forecast.csv" not in links
    for link in links:
        assert (out / link).is_file(), link
