"""`validate` says what a raw export's usual problems are likely caused by."""
from __future__ import annotations

from click.testing import CliRunner

from compcalc.cli import main
from conftest import ROOT

COMPANY = ROOT / "examples" / "company"


def test_a_semicolon_header_and_windows_1252_bytes_get_a_hint(tmp_path):
    deals = tmp_path / "deals.csv"
    deals.write_text("deal_id;account_id;type;close_date;arr;owner_id\nD1;A;new;2025-01-01;100;ae01\n")
    roster = tmp_path / "roster.csv"
    roster.write_bytes("rep_id,name,plan_id,start_date\nae01,Tomás Alvarez,nb_ae,2025-01-01\n".encode("cp1252"))
    result = CliRunner().invoke(main, ["validate", "--plans", str(ROOT / "plans" / "land_and_expand"),
                                       "--roster", str(roster), "--deals", str(deals)])
    assert result.exit_code == 2
    lines = [line.replace(str(tmp_path) + "/", "") for line in result.stderr.splitlines()]
    assert lines[:4] == [
        "9 problems found in the input; nothing was written:",
        "  deals.csv: hint: the header is one column with ';' in it — likely a ';'-delimited export (Excel in a "
        "locale with decimal commas): save it comma-delimited, or convert it with `compcalc import … --mapping` "
        "(delimiter: ';')",
        "  deals.csv: column account_id: missing required column",
        "  deals.csv: column arr: missing required column"]
    assert lines[-2:] == [
        "  roster.csv: hint: the file is not UTF-8 — likely an export saved as Windows-1252 (Excel's \"CSV\" on "
        "Windows, a Salesforce report): save it as \"CSV UTF-8\", or convert it with `compcalc import … --mapping` "
        "(encoding: windows-1252)",
        "  roster.csv: not UTF-8 text"]


def test_no_hint_for_a_good_file():
    result = CliRunner().invoke(main, ["validate", "--plans", str(ROOT / "plans" / "land_and_expand"),
                                       "--roster", str(COMPANY / "roster.csv"), "--deals", str(COMPANY / "deals.csv")])
    assert result.exit_code == 0 and "hint" not in result.output
