"""Workbooks store money as its exact text, not openpyxl's "%.16g" float text."""
from __future__ import annotations

import re
import zipfile
from decimal import Decimal

import openpyxl

import compcalc.xlsx_numbers  # noqa: F401
from compcalc.statements.xlsx import amount


def test_decimals_and_floats_are_written_as_their_exact_text(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    for value in (amount(879595), Decimal("0.0875"), 0.35 * 0.25, amount(-7200), 3):
        ws.append([value])
    wb.save(tmp_path / "a.xlsx")
    xml = zipfile.ZipFile(tmp_path / "a.xlsx").read("xl/worksheets/sheet1.xml").decode()
    assert re.findall(r"<v>([^<]*)</v>", xml) == ["8795.95", "0.0875", "0.0875", "-72.00", "3"]
    assert [c.value for c in openpyxl.load_workbook(tmp_path / "a.xlsx").active["A"]] == [8795.95, 0.0875, 0.0875, -72, 3]


def test_the_golden_register_workbook_holds_no_float_noise(tmp_path):
    from click.testing import CliRunner

    from compcalc.cli import main
    from conftest import GOLDEN, case_files

    files = case_files(GOLDEN / "icm_essentials")
    args = ["run", "--through", "2027-06", "--out", str(tmp_path / "out"), "--quiet"]
    for key, value in files.items():
        for v in value if isinstance(value, list) else [value]:
            args += ["--" + key.replace("_", "-"), str(v)]
    assert CliRunner().invoke(main, args).exit_code == 0
    for book in [tmp_path / "out" / "payout_register_2027-06.xlsx", *(tmp_path / "out" / "statements").glob("*.xlsx")]:
        with zipfile.ZipFile(book) as z:
            values = [v for name in z.namelist() if name.startswith("xl/worksheets/")
                      for v in re.findall(r"<v>([^<]*)</v>", z.read(name).decode())]
        noisy = [v for v in values if re.fullmatch(r"-?\d+\.\d{5,}", v)]
        assert noisy == [], (book.name, noisy[:3])
