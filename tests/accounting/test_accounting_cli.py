"""`compcalc accounting` on the golden land-and-expand book: the files, the workbook's formulas, errors.

The book (tests/golden/land_and_expand, its README derives every line) through 2028-01, every plan on
the defaults (benefit 36 months, expedient on, which does not apply to 36 months):
- D1 (A1, ae1): upfront 1,800.00 in 2027-01 → 50.00 a month; 12 installments of 450.00 from 2027-02 →
  12.50 a month each.
- D2 (A2, ae1): upfront 600.01 (2027-02) → 16.67 a month; installments of 150.00 in 2027-03 and 2027-04 →
  4.17; A2 churns 2027-04 and −900.01 is clawed back then → −25.00. In 2027-04 the deal amortises
  16.67 + 4.17 + 4.17 − 25.00 = 0.01 and is impaired (600.01 − 3 × 16.67) + (150 − 2 × 4.17)
  + (150 − 4.17) + (−900.01 + 25.00) = 550.00 + 141.66 + 145.83 − 875.01 = −37.52: the clawback took
  back more than was left, so the deal's books close at 0.00 with a net 0.00 cost (all of it clawed).
- D3: closer expansion 1,200.00 in 2027-05 → 33.33; D5: 360.00 in 2028-01 → 10.00.
- am1: quota 101,399.85 in 2027-07 (no deal: its own asset) → 2,816.66; 2,400.00 in 2028-01 → 66.67.
- cs1: activation bonus 750.00 in 2027-03 — not a contract cost.
2027-04: capitalised 450.00 (D1) − 750.01 (D2) = −300.01; amortisation 50 + 3 × 12.50 + 0.01 = 87.51.
2028-01: capitalised 450 + 360 + 2,400 = 3,210.00; amortisation 50 + 12 × 12.50 + 33.33 + 10.00 + 2,816.66
+ 66.67 = 3,126.66. Closing balance: quota 101,399.85 − 7 × 2,816.66 = 81,683.23 and 2,400 − 66.67 =
2,333.33; D3 1,200 − 9 × 33.33 = 900.03; D5 350.00; D1 7,200 − 13 × 50 − 12.50 × (1 + … + 12) = 5,575.00;
D2 0.00 → 90,841.59.
"""
from __future__ import annotations

import csv
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from compcalc.accounting import account
from compcalc.accounting import workbook as W
from compcalc.cli import main
from compcalc.pipeline import run
from compcalc.inputs import load_book
from compcalc.periods import parse_period
from conftest import GOLDEN, case_files

CASE = GOLDEN / "land_and_expand"


def args(out: Path, through: str = "2028-01", **override) -> list[str]:
    files = {**case_files(CASE), **override}
    a = ["accounting", "--through", through, "--out", str(out)]
    for key, value in files.items():
        for v in value if isinstance(value, list) else [value]:
            a += ["--" + key.replace("_", "-"), str(v)]
    return a


def read(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("accounting") / "out"
    result = CliRunner().invoke(main, args(out))
    assert result.exit_code == 0, result.output
    return out, result.output


def test_writes_the_schedule_the_journal_and_the_workbook(written):
    out, output = written
    assert sorted(p.name for p in out.iterdir()) == ["accounting.csv", "accounting.xlsx", "journal.csv"]
    assert output.splitlines()[-3:] == [
        "21 capitalisable lines in 6 asset groups, 2027-01 to 2028-01",
        "2028-01: capitalised 3,210.00, amortised 3,126.66, impaired 0.00, expensed immediately 0.00; closing "
        "balance 90,841.59 USD (current 37,519.92, non-current 53,321.67)",
        f"written to {out}",
    ]


def test_the_schedule_has_the_spec_columns_and_the_churned_deal(written):
    out, _ = written
    rows = read(out / "accounting.csv")
    assert list(rows[0]) == ["period", "plan_id", "component_id", "deal_id", "capitalised", "amortisation",
                             "impairment", "expensed_immediately", "balance", "rep_id", "account_id", "asset_period"]
    d2 = [tuple(r.values()) for r in rows if r["deal_id"] == "D2"]
    assert d2 == [
        ("2027-02", "nb_ae_2027", "land_tcv", "D2", "600.01", "16.67", "0.00", "0.00", "583.34", "ae1", "A2", ""),
        ("2027-03", "nb_ae_2027", "land_tcv", "D2", "150.00", "20.84", "0.00", "0.00", "712.50", "ae1", "A2", ""),
        ("2027-04", "nb_ae_2027", "land_tcv", "D2", "-750.01", "0.01", "-37.52", "0.00", "0.00", "ae1", "A2", ""),
    ]
    quota = [(r["period"], r["capitalised"], r["amortisation"], r["balance"]) for r in rows
             if r["component_id"] == "net_expansion" and r["asset_period"] == "2027-07"]
    assert quota[0] == ("2027-07", "101399.85", "2816.66", "98583.19")
    assert quota[-1] == ("2028-01", "0.00", "2816.66", "81683.23")
    assert not [r for r in rows if r["component_id"] == "activation"]


def test_the_journal_of_the_churn_month(written):
    out, _ = written
    april = [(r["entry"], r["account"], r["debit"], r["credit"]) for r in read(out / "journal.csv")
             if r["period"] == "2027-04"]
    assert april == [
        ("capitalised", "Commissions payable", "300.01", ""),
        ("capitalised", "Deferred commission asset", "", "300.01"),
        ("amortisation", "Commission expense", "87.51", ""),
        ("amortisation", "Deferred commission asset", "", "87.51"),
        ("impairment", "Deferred commission asset", "37.52", ""),
        ("impairment", "Commission expense", "", "37.52"),
        ("closing_balance", "Deferred commission asset, current", "1050.00", ""),
        ("closing_balance", "Deferred commission asset, non-current", "1825.00", ""),
    ]


# -- the workbook: evaluate its formulas the way Excel would ------------------------------------

_REF = r"(?:'(?P<sheet>[^']+)'!)?\$?(?P<col>[A-Z]+)\$?(?P<row>\d+)"


class Formulas:
    """Evaluates the workbook's formulas: + and − of numbers, cell references (on any sheet), SUM and
    SUMIF over a column range — all the workbook uses."""

    def __init__(self, path: Path):
        self.wb = openpyxl.load_workbook(path)

    def value(self, sheet: str, ref: str) -> Decimal:
        v = self.wb[sheet][ref].value
        if isinstance(v, str) and v.startswith("="):
            return self.evaluate(sheet, v[1:])
        return Decimal(str(v)) if v is not None else Decimal(0)

    def evaluate(self, sheet: str, text: str) -> Decimal:
        total, sign = Decimal(0), 1
        for term, op in _terms(text):
            total += sign * self.term(sheet, term)
            sign = -1 if op == "-" else 1
        return total

    def term(self, sheet: str, term: str) -> Decimal:
        if m := re.fullmatch(r"SUM\((\w+):(\w+)\)", term):
            return sum((self.value(sheet, r) for r in _column(m[1], m[2])), Decimal(0))
        if m := re.fullmatch(r'SUMIF\((\w+):(\w+),"<>([^"]*)",(\w+):(\w+)\)', term):
            keys, values = _column(m[1], m[2]), _column(m[4], m[5])
            return sum((self.value(sheet, v) for k, v in zip(keys, values) if self.wb[sheet][k].value != m[3]),
                       Decimal(0))
        if m := re.fullmatch(_REF, term):
            return self.value(m["sheet"] or sheet, f"{m['col']}{m['row']}")
        return Decimal(term)


def _terms(text: str):
    """Split at + and − outside brackets and quotes: [(term, the operator after it)]."""
    out, depth, quoted, start = [], 0, False, 0
    for i, ch in enumerate(text):
        if ch in "'\"":
            quoted = not quoted
        elif not quoted and ch == "(":
            depth += 1
        elif not quoted and ch == ")":
            depth -= 1
        elif not quoted and depth == 0 and ch in "+-" and i > start:
            out.append((text[start:i], ch))
            start = i + 1
    out.append((text[start:], ""))
    return out


def _column(a: str, b: str) -> list[str]:
    col, first = re.match(r"([A-Z]+)(\d+)", a).groups()
    last = int(re.match(r"[A-Z]+(\d+)", b).group(1))
    return [f"{col}{r}" for r in range(int(first), last + 1)]


def test_the_roll_forward_formulas_tie_to_the_schedule_and_the_run(written):
    out, _ = written
    f = Formulas(out / "accounting.xlsx")
    ws = f.wb["Roll-forward"]
    assert [c.value for c in ws[5]][:8] == ["Period", "Opening balance", "Capitalised", "Amortisation", "Impairment",
                                            "Closing balance", "Per schedule", "Difference"]
    rows = range(6, 6 + 13)  # 2027-01 … 2028-01
    assert ws["F9"].value == "=B9+C9-D9-E9" and ws["B9"].value == "=F8"
    for r in rows:
        assert f.value("Roll-forward", f"H{r}") == 0  # closing by formula = compcalc's schedule
        assert f.value("Roll-forward", f"N{r}") == 0  # the run's commissions are all accounted for
    assert (ws["A9"].value, f.value("Roll-forward", "F9")) == ("2027-04", Decimal("2875.00"))
    assert f.value("Roll-forward", "F18") == Decimal("90841.59")
    assert f.value("Roll-forward", "J18") == Decimal("53321.67")
    total = 19
    assert ws[f"A{total}"].value == "Total"
    # D1 7,200 + D2 0.00 + D3 1,200 + D5 360 + quota 101,399.85 + 2,400
    assert f.value("Roll-forward", f"C{total}") == Decimal("112559.85")
    assert f.value("Journal", f"E{f.wb['Journal'].max_row}") == 0
    deals = f.wb["By deal"]
    assert f.value("By deal", "L5") == Decimal("90841.59")
    assert f.value("By deal", "M6") == 0
    d2 = next(r for r in deals.iter_rows(min_row=7) if r[2].value == "D2")
    assert [c.value for c in d2][7:11] == [0, 0, 37.52, -37.52] and d2[12].value == "2027-04"


def test_a_big_book_lists_totals_by_plan_component_and_rep(tmp_path, monkeypatch):
    monkeypatch.setattr(W, "DEAL_ROWS_LIMIT", 3)
    acc = account(run(load_book(**case_files(CASE)), parse_period("2028-01")))
    W.write_workbook(acc, tmp_path / "a.xlsx")
    f = Formulas(tmp_path / "a.xlsx")
    ws = f.wb["By deal"]
    assert ws["A2"].value.startswith("6 asset groups are more than this workbook lists (3)")
    body = [[c.value for c in r][:4] for r in ws.iter_rows(min_row=7)]
    assert body == [["exp_ae_2027", "net_expansion", "am1", 2], ["nb_ae_2027", "closer_expansion", "ae1", 2],
                    ["nb_ae_2027", "land_tcv", "ae1", 2]]
    assert f.value("By deal", "L5") == Decimal("90841.59") and f.value("By deal", "M6") == 0


# -- errors and the output folder -----------------------------------------------------------------

def test_bad_input_exits_2_lists_the_problem_and_writes_nothing(tmp_path):
    deals = tmp_path / "deals.csv"
    deals.write_text("deal_id,account_id,type,close_date,arr,owner_id\nD1,A1,new,2027-01-15,abc,ae1\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, args(out, deals=deals))
    assert result.exit_code == 2
    assert result.output == ("1 problem found in the input; nothing was written:\n"
                             f"  {deals}: row 1, column arr: 'abc' is not an amount\n")
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [deals]


def test_a_bad_through_month_exits_2(tmp_path):
    result = CliRunner().invoke(main, args(tmp_path / "out", through="2028-13"))
    assert result.exit_code == 2
    assert "Invalid value for '--through': '2028-13' is not a period (YYYY-MM)" in result.output
    assert not (tmp_path / "out").exists()


def test_quiet_prints_nothing_and_the_folder_is_replaced_whole(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "lines.csv").write_text("from an earlier run\n")
    result = CliRunner().invoke(main, args(out) + ["--quiet"])
    assert result.exit_code == 0
    assert result.output == ""
    assert sorted(p.name for p in out.iterdir()) == ["accounting.csv", "accounting.xlsx", "journal.csv"]


def test_a_folder_of_other_files_is_never_replaced(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "roster.csv").write_text("someone's input\n")
    result = CliRunner().invoke(main, args(out) + ["--quiet"])
    assert result.exit_code == 2
    assert f"Invalid value for '--out': {out} holds files compcalc did not write (roster.csv); the output " \
           "folder is replaced whole, so give a new or empty folder" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["roster.csv"]


def test_the_command_has_help():
    result = CliRunner().invoke(main, ["accounting", "--help"])
    assert result.exit_code == 0
    assert "ASC 340-40" in result.output and "--through" in result.output and "--quiet" in result.output


def test_workbook_sheets_freeze_their_header_and_print_landscape(written):
    out, _ = written
    wb = openpyxl.load_workbook(out / "accounting.xlsx")
    for ws in wb:
        header = int(ws.freeze_panes[1:]) - 1
        assert ws.print_title_rows == f"${header}:${header}", ws.title
        assert ws.cell(header, 1).font.bold and ws.cell(header, 1).value, ws.title  # the header row
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
