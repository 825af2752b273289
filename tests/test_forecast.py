"""--pipeline: "if these close" forecasts (forecast.csv, statements, the run site, `compcalc why`).

The forecast of every open deal of the example pipeline is checked against an independent `compcalc run`
with that deal added to deals.csv: the extra payout of every rep is the difference in the register's
payouts, to the cent."""
from __future__ import annotations

import csv
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from compcalc.cli import main

ROOT = Path(__file__).resolve().parent.parent
COMPANY = ROOT / "examples" / "company"
PLANS = ROOT / "plans" / "land_and_expand"


def run(out: Path, deals: Path, through: str, *extra: str):
    args = ["run", "--plans", str(PLANS), "--roster", str(COMPANY / "roster.csv"), "--deals", str(deals),
            "--milestones", str(COMPANY / "milestones.csv"), "--metrics", str(COMPANY / "metrics.csv"),
            "--through", through, "--out", str(out), "--quiet", *extra]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return out


def rows(path: Path) -> list[dict]:
    with path.open(newline="") as f:
        return list(csv.DictReader(f))


def cents(text: str) -> int:
    return int(Decimal(text) * 100)


def payouts(out: Path) -> dict[str, int]:
    total = defaultdict(int)
    for r in rows(out / "register.csv"):
        total[r["rep_id"]] += cents(r["payout"])
    return total


@pytest.fixture(scope="module")
def forecast_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("forecast") / "out"
    return run(out, COMPANY / "deals.csv", "2026-12", "--pipeline", str(COMPANY / "pipeline.csv"))


def test_every_open_deal_equals_a_run_with_the_deal_added(forecast_run, tmp_path):
    forecast = [r for r in rows(forecast_run / "forecast.csv") if r["line"] == "deal"]
    pipeline = rows(COMPANY / "pipeline.csv")
    assert {r["deal_id"] for r in forecast} == {p["deal_id"] for p in pipeline}
    base: dict[str, dict[str, int]] = {}
    deals_text = (COMPANY / "deals.csv").read_text(encoding="utf-8")
    for p in pipeline:
        mine = [r for r in forecast if r["deal_id"] == p["deal_id"]]
        through = mine[0]["counted_through"]
        assert all(r["counted_through"] == through for r in mine)
        if through not in base:
            base[through] = payouts(run(tmp_path / f"base-{through}", COMPANY / "deals.csv", through, "--statements", "none"))
        added = tmp_path / f"deals-{p['deal_id']}.csv"
        columns = deals_text.splitlines()[0].split(",")  # the pipeline row in deals.csv's own columns
        added.write_text(deals_text + ",".join(p[c] for c in columns) + "\n", encoding="utf-8")
        after = payouts(run(tmp_path / f"with-{p['deal_id']}", added, through, "--statements", "none"))
        diff = {rep: after.get(rep, 0) - base[through].get(rep, 0) for rep in set(after) | set(base[through])}
        got = {r["rep_id"]: cents(r["extra_payout"]) for r in mine}
        assert got == {rep: v for rep, v in diff.items() if v or rep == p["owner_id"]}, p["deal_id"]
        for r in mine:  # weighted: round(probability × extra) half up (the example plans' rounding)
            want = (Decimal(p["probability"]) * cents(r["extra_payout"])).quantize(Decimal(1), ROUND_HALF_UP)
            assert cents(r["weighted_payout"]) == int(want)
    assert len(base) == 2  # deals closing in the run's plan year and in the next one


def test_totals_statements_and_site_show_the_weighted_total(forecast_run):
    lines = rows(forecast_run / "forecast.csv")
    totals = {r["rep_id"]: r for r in lines if r["line"] == "total"}
    for rep, total in totals.items():
        deals = [r for r in lines if r["rep_id"] == rep and r["line"] == "deal"]
        assert cents(total["weighted_payout"]) == sum(cents(r["weighted_payout"]) for r in deals)
        assert cents(total["extra_payout"]) == sum(cents(r["extra_payout"]) for r in deals)
    assert totals["xa03"]["weighted_payout"] == "3444.00" and totals["mg01"]["weighted_payout"] == "1489.00"
    page = (forecast_run / "statements" / "xa03_2026-12.html").read_text(encoding="utf-8")
    assert 'id="forecast-weighted" data-label="Weighted">3,444.00<' in page
    assert ">If these close</h2>" in page
    from openpyxl import load_workbook

    ws = load_workbook(forecast_run / "statements" / "xa03_2026-12.xlsx")["Statement"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Probability-weighted total")
    first = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "P007")
    assert ws.cell(row, 8).value == f"=SUM(H{first}:H{row - 1})"
    assert sum(cents(str(ws.cell(r, 8).value)) for r in range(first, row)) == 344400
    site = (forecast_run / "index.html").read_text(encoding="utf-8")
    weighted = sum(cents(t["weighted_payout"]) for t in totals.values())
    assert f'id="total-forecast-USD">{Decimal(weighted).scaleb(-2):,.2f}<' in site


def test_why_says_what_each_open_deal_would_pay():
    args = ["why", "xa03", "2026-12", "--plans", str(PLANS), "--roster", str(COMPANY / "roster.csv"), "--deals",
            str(COMPANY / "deals.csv"), "--pipeline", str(COMPANY / "pipeline.csv")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    # xa03's 2027 rate is TI/quota = 120,000/250,000 = 0.48: P007 12,500 × 0.48; P008 the uplift 4,000 × 0.48
    assert result.output.endswith(
        "if these close (a re-run with each open deal added on its expected close date):\n"
        "  P007 (expansion, proposal, 35%, closes 2027-02-25): +6,000.00 through 2027-12; weighted 2,100.00\n"
        "  P008 (renewal, negotiation, 70%, closes 2027-01-30): +1,920.00 through 2027-12; weighted 1,344.00\n"
        "  probability-weighted total: 3,444.00\n")


def test_a_bad_pipeline_lists_every_problem_and_writes_nothing(tmp_path):
    bad = tmp_path / "pipeline.csv"
    bad.write_text(
        "deal_id,account_id,type,close_date,arr,owner_id,term_months,tcv,prior_arr,stage,probability\n"
        "D0281,ACC-0201,new,2026-12-15,42000.00,ae01,24,,,negotiation,0.8\n"
        "P002,ACC-0202,churn,2027-01-20,18500.00,ae03,12,,,proposal,1.5\n"
        "P003,ACC-0203,new,2027-02-30,96000.00,zz99,36,,,,x\n"
        "P004,ACC-0115,new,2027-03-05,31000.00,ae06,12,,,proposal,0.4\n"
        "P004,ACC-0204,renewal,2027-03-05,31000.00,ae06,0,,,proposal,0.4\n", encoding="utf-8")
    out = tmp_path / "out"
    args = ["run", "--plans", str(PLANS), "--roster", str(COMPANY / "roster.csv"), "--deals", str(COMPANY / "deals.csv"),
            "--through", "2026-12", "--out", str(out), "--pipeline", str(bad)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    deals = COMPANY / "deals.csv"
    assert result.output.splitlines() == [
        "11 problems found in the input; nothing was written:",
        f"  {bad}: row 1, column deal_id: deal_id 'D0281' is already in {deals} (row 281): an open deal is not closed yet",
        f"  {bad}: row 2, column probability: 1.5 is more than 1 (a probability is a fraction: 0.4 is 40%)",
        f"  {bad}: row 2, column type: an open deal is new, expansion or renewal, not churn",
        f"  {bad}: row 3, column close_date: '2027-02-30' is not a date (YYYY-MM-DD)",
        f"  {bad}: row 3, column owner_id: rep 'zz99' is not in the roster",
        f"  {bad}: row 3, column probability: 'x' is not a number",
        f"  {bad}: row 3, column stage: a value is required",
        f"  {bad}: row 4, column type: account 'ACC-0115' already has its new deal in {deals} (row 418)",
        f"  {bad}: row 5, column deal_id: duplicate deal_id 'P004' (also row 4)",
        f"  {bad}: row 5, column prior_arr: required for a renewal",
        f"  {bad}: row 5, column term_months: must be at least 1",
    ]
    assert not out.exists()


def test_problems_in_the_book_and_the_pipeline_are_reported_together(tmp_path):
    pipeline = tmp_path / "pipeline.csv"
    pipeline.write_text("deal_id,account_id,type,close_date,arr,owner_id\nP1,A,new,2027-01-01,5,ae01\n")
    missing = tmp_path / "deals.csv"
    args = ["run", "--plans", str(PLANS), "--roster", str(COMPANY / "roster.csv"), "--deals", str(missing),
            "--through", "2026-12", "--out", str(tmp_path / "out"), "--pipeline", str(pipeline)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        "3 problems found in the input; nothing was written:",
        f"  {missing}: no such file",
        f"  {pipeline}: column probability: missing required column",
        f"  {pipeline}: column stage: missing required column",
    ]


def test_forecast_csv_makes_formula_like_text_inert_and_quotes_only_what_needs_it(tmp_path):
    """forecast.csv goes through the one CSV writer: a stage typed as a formula shows as text."""
    pipeline = tmp_path / "pipeline.csv"
    pipeline.write_text(
        "deal_id,account_id,type,close_date,arr,owner_id,term_months,tcv,prior_arr,stage,probability\n"
        'P001,ACC-0201,new,2026-12-15,42000.00,ae01,24,,,"=HYPERLINK(""x""),1",0.8\n', encoding="utf-8")
    out = run(tmp_path / "out", COMPANY / "deals.csv", "2026-12", "--statements", "none", "--pipeline", str(pipeline))
    text = (out / "forecast.csv").read_text(encoding="utf-8")
    assert text.splitlines()[1] == ('ae01,deal,P001,ACC-0201,ae01,new,"\'=HYPERLINK(""x""),1",0.8,2026-12-15,'
                                    "42000.00,2026-12,2100.00,1680.00")
