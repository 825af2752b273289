"""Files that cannot attack their reader (issue 14): hostile text in the inputs stays inert text in
every workbook and CSV, "&" prints as itself in Excel headers, control characters are refused."""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from compcalc.cli import main
from conftest import GOLDEN

NAME = '=HYPERLINK("http://evil.example","click") R&D'
DEAL = "=2+3"
REP = "@SUM(1+1)"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    """The land-and-expand golden book with a hostile name, deal id and rep id."""
    folder = tmp_path_factory.mktemp("hostile")
    case = GOLDEN / "land_and_expand"
    shutil.copytree(case / "plans", folder / "plans")
    shutil.copy(case / "milestones.csv", folder / "milestones.csv")
    roster = (case / "roster.csv").read_text().replace("Dana Reyes", f'"{NAME.replace(chr(34), chr(34) * 2)}"')
    (folder / "roster.csv").write_text(roster.replace("cs1,", f"{REP},"))
    (folder / "milestones.csv").write_text((case / "milestones.csv").read_text().replace("cs1", REP))
    (folder / "deals.csv").write_text((case / "deals.csv").read_text().replace("D1,", f"{DEAL},"))
    return folder


def book_args(folder: Path) -> list[str]:
    return ["--roster", str(folder / "roster.csv"), "--deals", str(folder / "deals.csv"),
            "--milestones", str(folder / "milestones.csv")]


def invoke(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result


def text_cells(path: Path) -> dict[str, list]:
    """Every cell of the workbook whose value holds one of the hostile texts, by value."""
    found: dict[str, list] = {}
    for ws in openpyxl.load_workbook(path).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and any(h in cell.value for h in (NAME, DEAL, REP)):
                    found.setdefault(cell.value, []).append(cell)
    return found


def assert_inert(path: Path, *wanted: str) -> None:
    found = text_cells(path)
    for text in wanted:
        assert any(text in value for value in found), (path.name, text, list(found))
    for cells in found.values():
        assert all(c.data_type == "s" for c in cells), (path.name, [(c.coordinate, c.data_type) for c in cells])


def test_hostile_text_is_text_in_the_statement_and_the_register_workbook(hostile, tmp_path):
    out = tmp_path / "out"
    invoke("run", "--plans", str(hostile / "plans"), *book_args(hostile), "--through", "2027-03", "--out", str(out))
    statement = next((out / "statements").glob("ae1_2027-03.xlsx"))
    assert_inert(statement, DEAL)
    assert_inert(out / "payout_register_2027-03.xlsx", NAME, REP)
    # the rep's name is in the print header, where "&" starts a code: written "&&" it prints as "&"
    header = openpyxl.load_workbook(statement).worksheets[0].oddHeader.center.text
    assert "R&&D" in header and "R&D" not in header.replace("&&", "")


def test_hostile_text_is_text_in_accounting_and_whatif_workbooks(hostile, tmp_path):
    invoke("accounting", "--plans", str(hostile / "plans"), *book_args(hostile), "--through", "2027-03",
           "--out", str(tmp_path / "acc"))
    assert_inert(tmp_path / "acc" / "accounting.xlsx", DEAL)  # the CSM's bonus is not capitalised
    # compcalc's own formulas are still live
    roll = openpyxl.load_workbook(tmp_path / "acc" / "accounting.xlsx")["Roll-forward"]
    assert any(c.data_type == "f" for row in roll.iter_rows() for c in row)
    invoke("whatif", "--baseline", str(hostile / "plans"), *book_args(hostile), "--through", "2027-03",
           "--out", str(tmp_path / "wi"))
    assert_inert(tmp_path / "wi" / "whatif.xlsx", REP, NAME)


def test_csv_outputs_prefix_formula_like_text_and_leave_numbers_alone(hostile, tmp_path):
    out = tmp_path / "out"
    invoke("run", "--plans", str(hostile / "plans"), *book_args(hostile), "--through", "2027-06", "--out",
           str(out), "--statements", "none")
    with (out / "lines.csv").open(newline="") as f:
        rows = list(csv.DictReader(f))
    assert {r["deal_id"] for r in rows if r["deal_id"].startswith("'")} == {"'=2+3"}
    assert {"ae1", "'@SUM(1+1)"} <= {r["rep_id"] for r in rows} and REP not in {r["rep_id"] for r in rows}
    clawback = [r for r in rows if r["kind"] == "clawback"]
    assert clawback and all(r["rate"] == "-1" and r["amount"].startswith("-") for r in clawback)
    with (out / "register.csv").open(newline="") as f:
        assert "'@SUM(1+1)" in {r["rep_id"] for r in csv.DictReader(f)}
    invoke("accounting", "--plans", str(hostile / "plans"), *book_args(hostile), "--through", "2027-06",
           "--out", str(tmp_path / "acc"))
    text = (tmp_path / "acc" / "accounting.csv").read_text()
    assert ",'=2+3," in text and ",=2+3," not in text


def test_control_characters_in_input_text_are_refused_at_validation(tmp_path):
    case = GOLDEN / "land_and_expand"
    shutil.copytree(case / "plans", tmp_path / "plans")
    (tmp_path / "plans" / "nb_ae_2027.yaml").write_text(
        (case / "plans" / "nb_ae_2027.yaml").read_text().replace("name: ", 'name: "R\\x07D" #', 1))
    (tmp_path / "roster.csv").write_text((case / "roster.csv").read_text().replace("Dana Reyes", "Dana\x01Reyes"))
    (tmp_path / "deals.csv").write_text((case / "deals.csv").read_text().replace("D2,A2", "D\x1b[2J,A2"))
    result = CliRunner().invoke(main, ["validate", "--plans", str(tmp_path / "plans"), "--roster",
                                       str(tmp_path / "roster.csv"), "--deals", str(tmp_path / "deals.csv")])
    assert result.exit_code == 2
    assert result.output.splitlines()[1:] == [
        f"  {tmp_path}/deals.csv: row 2, column deal_id: holds the control character U+001B (not allowed in text)",
        f"  {tmp_path}/plans/nb_ae_2027.yaml:2 name: holds the control character U+0007 (not allowed in text)",
        f"  {tmp_path}/roster.csv: row 1, column name: holds the control character U+0001 (not allowed in text)",
        f"  {tmp_path}/roster.csv: row 1, column plan_id: plan_id 'nb_ae_2027' is not defined by any plan file",
    ]
