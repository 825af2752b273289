"""HTML statements and register: totals in the rendered page against lines.csv and register.csv, and
pages that stand alone (no network), fit a phone and print on A4."""
from __future__ import annotations

import re
from collections import defaultdict

import pytest

from statement_files import ICM, LAND, Page, csv_cents, page_cents, read_csv, run_cli, statement_keys, case_of


@pytest.fixture(scope="module", params=[LAND, ICM], ids=lambda c: c.name)
def out(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(request.param.name) / "out"
    result = run_cli(request.param, folder, "--statements", "all", "--quiet")
    assert result.exit_code == 0, result.output
    return folder


def test_statement_pages_show_the_register_and_the_lines(out):
    lines_csv = read_csv(out / "lines.csv")
    register = {(r["rep_id"], r["period"]): r for r in read_csv(out / "register.csv")}
    pages = sorted((out / "statements").glob("*.html"))
    assert {tuple(p.stem.rsplit("_", 1)) for p in pages} == statement_keys(case_of(out), list(register.values()))
    quiet = {"net": "0.00", "carry_in": "0.00", "carry_out": "0.00", "payout": "0.00", "draw": "0.00"}
    for path in pages:
        rep, period = path.stem.rsplit("_", 1)
        page = Page(path.read_text(encoding="utf-8"))
        reg = register.get((rep, period), quiet)  # an active rep's month without a register row: all zero
        for element, column in (("payout", "payout"), ("net", "net"), ("carry-in", "carry_in"),
                                ("carry-out", "carry_out"), ("lines-net", "net")):
            assert page_cents(page.by_id[element]) == csv_cents(reg[column]), (path.name, element)
        if csv_cents(reg["draw"]):
            assert page_cents(page.by_id["draw"]) == csv_cents(reg["draw"])
        want = defaultdict(list)
        for x in lines_csv:
            if x["rep_id"] == rep and x["period"] == period and x["kind"] != "draw":
                want[f"{x['plan_id']}/{x['component_id']}"].append(csv_cents(x["amount"]))
        got = {k: sorted(page_cents(a) for a in v["amounts"]) for k, v in page.components.items()}
        assert got == {k: sorted(v) for k, v in want.items()}, path.name
        for key, comp in page.components.items():
            assert page_cents(comp["subtotal"]) == sum(want[key]), (path.name, key)


def test_year_to_date_and_paid_out_in_the_page(tmp_path):
    out = tmp_path / "out"
    assert run_cli(LAND, out, "--statements", "all", "--quiet").exit_code == 0
    page = Page((out / "statements" / "ae1_2027-05.html").read_text(encoding="utf-8"))
    # Earned Jan–May: 1,800 + 1,050.01 + 600 − 300.01 + 1,650; paid: 1,800 + 1,050.01 + 600 + 0 + 1,349.99.
    assert page.by_id["ytd-earned"] == "4,800.00"
    assert page.by_id["ytd-paid"] == "4,800.00"
    assert page.by_id["carry-in"] == "-300.01"
    assert page.by_id["deferred-total"] == "3,600.00"  # D1: 8 × 450.00 still to vest; D2's rest is forfeited


def test_register_page_totals(out):
    register = read_csv(out / "register.csv")
    through = max(r["period"] for r in register)
    text = (out / f"payout_register_{through}.html").read_text(encoding="utf-8")
    total = re.search(r'class="money payout-total"[^>]*>([^<]+)<', text).group(1)
    assert page_cents(total) == sum(csv_cents(r["payout"]) for r in register if r["period"] == through)


def test_pages_are_self_contained_and_responsive(out):
    for path in list((out / "statements").glob("*.html"))[:3] + list(out.glob("payout_register_*.html")):
        text = path.read_text(encoding="utf-8")
        page = Page(text)
        assert ("meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"}) in page.tags
        assert not [t for t, a in page.tags if t in ("script", "link", "img", "iframe")]
        assert not re.search(r"(src|href)=|url\(|@import|https?://", text), path.name
        assert "@media print" in text and "size: A4" in text and "@media (max-width: 640px)" in text
        assert ".table-wrap { width: 100%; max-width: 100%; overflow-x: auto;" in text


def test_money_has_separators_and_a_minus_sign(tmp_path):
    out = tmp_path / "out"
    assert run_cli(LAND, out, "--statements", "all", "--quiet").exit_code == 0
    april = Page((out / "statements" / "ae1_2027-04.html").read_text(encoding="utf-8"))
    assert april.by_id["net"] == "-300.01" and april.by_id["carry-out"] == "-300.01"
    assert april.components["nb_ae_2027/land_tcv"]["amounts"] == ["450.00", "-900.01", "150.00"]
    july = Page((out / "statements" / "am1_2027-07.html").read_text(encoding="utf-8"))
    assert july.by_id["payout"] == "101,399.85"
    text = (out / "statements" / "ae1_2027-04.html").read_text(encoding="utf-8")
    assert ("clawed back: A2 churned 2027-04-05 (within 3 months of close); "
            "900.01 paid on D2 so far is recovered") in text
    assert "forfeited</span> installments 3–11 of 12: <span class=\"money\">150.00</span> each, were due " \
           "2027-05 to 2028-01, monthly — forfeited: A2 churned 2027-04-05" in text


def test_ids_never_wrap_at_their_hyphen():
    from compcalc.statements.html import _breakable

    assert str(_breakable("ACC-0042")) == '<span class="nw">ACC-0042</span>'
    assert str(_breakable("ACCOUNT-WITH-A-LONG-ID")) == \
        '<span class="nw">ACCOUNT-WITH</span><wbr><span class="nw">-A-LONG-ID</span>'
    assert str(_breakable("<b>")) == '<span class="nw">&lt;b&gt;</span>'
    assert str(_breakable(None)) == ""
