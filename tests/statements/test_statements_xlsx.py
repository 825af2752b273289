"""Statements and the payout register read back with openpyxl: every amount against lines.csv and
register.csv to the cent, and every total a live formula whose range covers exactly its lines."""
from __future__ import annotations

from collections import Counter, defaultdict

import pytest
from openpyxl import load_workbook

from compcalc.statements.xlsx import MONEY, PERCENT
from statement_files import ICM, LAND, cents, csv_cents, evaluate, formula_cells, read_csv, run_cli, statement_keys, case_of

CASES = [LAND, ICM]


QUIET = {"net": "0.00", "carry_in": "0.00", "carry_out": "0.00", "payout": "0.00", "draw": "0.00"}


@pytest.fixture(scope="module", params=CASES, ids=lambda c: c.name)
def out(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(request.param.name) / "out"
    result = run_cli(request.param, folder, "--statements", "all", "--quiet")
    assert result.exit_code == 0, result.output
    return folder


def title(component_id: str) -> str:
    # The golden plans give no labels: a component's title is its id.
    return "Manual adjustments" if component_id == "adjustment" else component_id


def line_rows(ws):
    """(line rows by component title, subtotal rows by title, the net row) of a Lines sheet."""
    lines, subtotals, net = defaultdict(list), {}, None
    for row in range(2, ws.max_row + 1):
        label, amount = ws.cell(row, 1).value, ws.cell(row, 7).value
        if label == "Net earnings":
            net = row
        elif isinstance(amount, str) and amount.startswith("=SUM("):
            subtotals[label.removeprefix("Total ")] = row
        elif label is not None:
            lines[label].append(row)
    return lines, subtotals, net


def test_every_statement_line_matches_lines_csv(out):
    lines_csv = read_csv(out / "lines.csv")
    register = {(r["rep_id"], r["period"]): r for r in read_csv(out / "register.csv")}
    files = sorted((out / "statements").glob("*.xlsx"))
    # --statements all: one per register row and per month a rep is on the team
    assert {tuple(p.stem.rsplit("_", 1)) for p in files} == statement_keys(case_of(out), list(register.values()))
    for path in files:
        rep, period = path.stem.rsplit("_", 1)
        wb = load_workbook(path)
        ws = wb["Lines"]
        lines, subtotals, net_row = line_rows(ws)
        got = Counter()
        for comp, rows in lines.items():
            for r in rows:
                got[(comp, ws.cell(r, 2).value or "", ws.cell(r, 3).value or "", cents(ws.cell(r, 5).value),
                     cents(ws.cell(r, 7).value))] += 1
        want = Counter((title(x["component_id"]), x["deal_id"], x["account_id"], csv_cents(x["basis"]),
                        csv_cents(x["amount"])) for x in lines_csv
                       if x["rep_id"] == rep and x["period"] == period and x["kind"] != "draw")
        assert got == want, path.name
        # Each subtotal adds up exactly its component's line rows; net adds up every subtotal.
        assert set(subtotals) == set(lines)
        for comp, row in subtotals.items():
            assert sorted(formula_cells(ws.cell(row, 7).value)) == [(r, 7) for r in lines[comp]], (path.name, comp)
        if subtotals:
            assert sorted(formula_cells(ws.cell(net_row, 7).value)) == sorted((r, 7) for r in subtotals.values())
        reg = register.get((rep, period), QUIET)
        assert evaluate(wb, ws, ws.cell(net_row, 7).value) == csv_cents(reg["net"]), path.name


def test_statement_summary_matches_register_csv(out):
    register = {(r["rep_id"], r["period"]): r for r in read_csv(out / "register.csv")}
    for path in sorted((out / "statements").glob("*.xlsx")):
        rep, period = path.stem.rsplit("_", 1)
        wb = load_workbook(path)
        ws = wb["Statement"]
        labels = {ws.cell(r, 1).value: r for r in range(1, 20) if ws.cell(r, 1).value}
        assert ws.cell(labels["Period"], 2).value == period
        reg = register.get((rep, period), QUIET)  # no register row: a month with nothing earned
        assert ws.cell(labels["Net earnings"], 2).value.startswith("=Lines!G")
        for label, column in (("Net earnings", "net"), ("Carry in", "carry_in"), ("Draw top-up", "draw"),
                              ("Payout", "payout"), ("Carry out", "carry_out")):
            cell = ws.cell(labels[label], 2)
            assert evaluate(wb, ws, cell.value) == csv_cents(reg[column]), (path.name, label)
            assert cell.number_format == MONEY


def test_year_to_date_adds_up_the_plan_year_lines(out):
    lines_csv = read_csv(out / "lines.csv")
    for path in sorted((out / "statements").glob("*.xlsx")):
        rep, period = path.stem.rsplit("_", 1)
        wb = load_workbook(path)
        ws = wb["Statement"]
        head = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Component")
        earned = next(r for r in range(head, ws.max_row + 1) if ws.cell(r, 1).value == "Earned")
        year = period[:4]  # every golden plan year starts in January
        want = defaultdict(int)
        for x in lines_csv:
            if x["rep_id"] == rep and x["kind"] != "draw" and year + "-01" <= x["period"] <= period:
                want[title(x["component_id"])] += csv_cents(x["amount"])
        got = {ws.cell(r, 1).value: cents(ws.cell(r, 3).value) for r in range(head + 1, earned)}
        assert got == dict(want), path.name
        if earned > head + 1:
            assert formula_cells(ws.cell(earned, 3).value) == [(r, 3) for r in range(head + 1, earned)]
        assert evaluate(wb, ws, ws.cell(earned, 3).value) == sum(want.values())


def test_payout_register_workbook_matches_register_and_lines(out):
    register = read_csv(out / "register.csv")
    lines_csv = read_csv(out / "lines.csv")
    through = max(r["period"] for r in register)
    wb = load_workbook(out / f"payout_register_{through}.xlsx")
    ws = wb["Register"]
    assert [c.value for c in ws[1]] == ["Rep", "Name", "Plan", "Currency", "Net", "Carry in", "Draw", "Payout",
                                        "Carry out"]
    want = [r for r in register if r["period"] == through]
    rows = list(range(2, 2 + len(want)))
    for r, reg in zip(rows, want):
        assert ws.cell(r, 1).value == reg["rep_id"]
        for col, key in zip(range(5, 10), ("net", "carry_in", "draw", "payout", "carry_out")):
            assert cents(ws.cell(r, col).value) == csv_cents(reg[key]), (reg["rep_id"], key)
            assert ws.cell(r, col).number_format == MONEY
    total = 2 + len(want)
    assert ws.cell(total, 1).value == "Total USD"
    for col, key in zip(range(5, 10), ("net", "carry_in", "draw", "payout", "carry_out")):
        assert formula_cells(ws.cell(total, col).value) == [(r, col) for r in rows]
        assert evaluate(wb, ws, ws.cell(total, col).value) == sum(csv_cents(r[key]) for r in want)
    # One sheet per component, each with the month's lines of it and a SUM over all of them.
    month_lines = [x for x in lines_csv if x["period"] == through]
    by_component = Counter((x["plan_id"], x["component_id"]) for x in month_lines)
    assert len(wb.sheetnames) == 1 + len(by_component)
    seen = Counter()
    for name in wb.sheetnames[1:]:
        sheet = wb[name]
        last = sheet.max_row
        assert sheet.cell(last, 1).value.startswith("Total ")
        assert formula_cells(sheet.cell(last, 8).value) == [(r, 8) for r in range(2, last)]
        for r in range(2, last):
            seen[(sheet.cell(r, 1).value, sheet.cell(r, 3).value or "", cents(sheet.cell(r, 8).value))] += 1
    assert seen == Counter((x["rep_id"], x["deal_id"], csv_cents(x["amount"])) for x in month_lines)


def test_sheets_are_set_up_for_people(out):
    path = next((out / "statements").glob("*.xlsx"))
    wb = load_workbook(path)
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape"
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.freeze_panes is not None
        assert all(d.width >= 8 for d in ws.column_dimensions.values())
    lines = wb["Lines"]
    assert lines.freeze_panes == "A2" and lines.print_title_rows == "$1:$1"
    assert lines.column_dimensions["H"].width == 70  # the explanation wraps at a readable width


def test_land_and_expand_clawback_and_forfeits(tmp_path):
    """ae1 in April 2027: the clawback of D2 carries its reason as a cell comment; the vesting sheet
    shows D1's deferred installments (beyond the run's end) and D2's forfeits, with SUMIF totals."""
    out = tmp_path / "out"
    assert run_cli(LAND, out, "--statements", "all", "--quiet").exit_code == 0
    wb = load_workbook(out / "statements" / "ae1_2027-04.xlsx")
    ws = wb["Lines"]
    rows = {(ws.cell(r, 2).value, ws.cell(r, 4).value): r for r in range(2, ws.max_row + 1)}
    claw = rows[("D2", "clawback")]
    assert cents(ws.cell(claw, 7).value) == -90001
    assert ws.cell(claw, 6).value == -1 and ws.cell(claw, 6).number_format == PERCENT
    assert ws.cell(claw, 7).comment.text == ("clawed back: A2 churned 2027-04-05 (within 3 months of close); "
                                             "900.01 paid on D2 so far is recovered")
    assert ws.cell(rows[("D1", "installment 3 of 12")], 8).value == "installment 3 of 12 of D1's 5,400.00"

    v = wb["Vesting"]
    table = [[v.cell(r, c).value for c in range(1, 9)] for r in range(2, 8)]
    assert table == [
        ["D1", "upfront + installments 1–3 of 12", "2027-01 to 2027-04", None, None, 3150, "paid", None],
        ["D1", "installments 4–12 of 12", "2027-05 to 2028-01, monthly", 450, 9, 4050, "deferred", None],
        ["D2", "upfront + installments 1–2 of 12", "2027-02 to 2027-04", None, None, 900.01, "paid", None],
        ["D2", "installments 3–11 of 12", "2027-05 to 2028-01, monthly", 150, 9, 1350, "forfeited",
         "forfeited: A2 churned 2027-04-05"],
        ["D2", "installment 12 of 12", "2028-02", 150.04, 1, 150.04, "forfeited", "forfeited: A2 churned 2027-04-05"],
        ["D2", "clawback", "2027-04", None, None, -900.01, "clawed back",
         "clawed back: A2 churned 2027-04-05 (within 3 months of close)"],
    ]
    totals = {v.cell(r, 2).value: evaluate(wb, v, v.cell(r, 6).value) for r in range(9, 14)}
    assert totals == {"Paid to date": 405001, "Deferred": 405000, "Forfeited": 150004, "Clawed back": -90001,
                      "Commission": 960005}  # 7,200.00 + 2,400.05
    for r in range(9, 13):
        assert v.cell(r, 6).value.endswith("F2:F7)")  # SUMIF over every schedule row


def test_quota_block_shows_attainment_and_tier(tmp_path):
    out = tmp_path / "out"
    assert run_cli(LAND, out, "--statements", "all", "--quiet").exit_code == 0
    ws = load_workbook(out / "statements" / "am1_2027-07.xlsx")["Statement"]
    head = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Quota (prorated, plan year)")
    values = [ws.cell(head + 1, c).value for c in range(1, 8)]
    assert values == [450000, 487999.5, 1.0844, 2, 1.5, 101399.85, "2027-07"]
    assert ws.cell(head + 1, 3).number_format == PERCENT
    bands = [[ws.cell(r, c).value for c in range(1, 7)] for r in range(head + 3, head + 6)]
    assert bands == [[1, "0% to 100%", 0, 450000, 1, None],
                     [2, "100% to 150%", 450000, 675000, 1.5, "reached"],
                     [3, "150% and above", 675000, "no limit", 2, None]]
