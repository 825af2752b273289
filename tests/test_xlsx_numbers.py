"""Workbooks store money as its exact text, not openpyxl's "%.16g" float text."""
from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


ROWS = [["ae1", "=HYPERLINK(\"x\")", "D-1", " padded & <tagged> ", amount(-1234567), Decimal("0.0875"), amount(5),
         "first line\nsecond line"],
        ["ae2", None, "", "#N/A", amount(0), None, amount(99999999), "a" * 90],
        [None, None, None, None, None, None, None, None],
        ["ae3", "Zoë", "D-3", "+1", amount(12), Decimal("1.25"), amount(-1), "=SUM(A1:A2)"]]


def _sheet_cells(path):
    ws = openpyxl.load_workbook(path)["Lines"]
    cells = [(c.coordinate, c.value, c.data_type, c.number_format, c.font.b, c.alignment.wrap_text,
              c.comment.text if c.comment else None) for row in ws.iter_rows() for c in row]
    return cells, {k: v.width for k, v in ws.column_dimensions.items()}, ws.dimensions


def test_rows_written_as_sheet_xml_read_back_as_the_cells_openpyxl_writes(tmp_path):
    """The payout register's big sheets skip openpyxl's per-cell objects; a reader sees the same cells."""
    from compcalc.statements.xlsx import MONEY, PERCENT, Sheet
    from compcalc.xlsx_numbers import Formula, save

    fmt = {5: MONEY, 6: PERCENT, 7: MONEY}
    for how in ("cells", "xml", "columns"):
        wb = openpyxl.Workbook()
        sh = Sheet(wb.active, wrap_columns=(8,))
        wb.active.title = "Lines"
        sh.header(["Rep", "Name", "Deal", "Account", "Basis", "Rate", "Amount", "Why"])
        if how == "cells":
            for row in ROWS:
                sh.add(row, fmt)
        elif how == "xml":
            sh.add_rows(ROWS, fmt)
        else:
            sh.add_columns([list(col) for col in zip(*ROWS)], fmt)
        sh.comment(3, 7, "clawed back: the account churned")
        sh.add(["Total", None, None, None, None, None, Formula(f"=SUM(G2:G{sh.row})")], fmt)
        sh.finish(header="Lines")
        save(wb, tmp_path / f"{how}.xlsx")
    by_cells, by_xml = _sheet_cells(tmp_path / "cells.xlsx"), _sheet_cells(tmp_path / "xml.xlsx")
    assert by_xml == by_cells
    with zipfile.ZipFile(tmp_path / "xml.xlsx") as a, zipfile.ZipFile(tmp_path / "columns.xlsx") as b:
        assert a.read("xl/worksheets/sheet1.xml") == b.read("xl/worksheets/sheet1.xml")  # add_columns: same bytes
    cells = {c[0]: c for c in by_xml[0]}
    assert cells["B2"][1:3] == ("=HYPERLINK(\"x\")", "s") and cells["D3"][1:3] == ("#N/A", "s")
    assert cells["E2"][1:4] == (-12345.67, "n", MONEY) and cells["H2"][5] is True
    assert cells["G3"][6] == "clawed back: the account churned" and cells["G3"][1] == 999999.99
    assert cells["G6"][1:3] == ("=SUM(G2:G5)", "f")
    with zipfile.ZipFile(tmp_path / "xml.xlsx") as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<v>-12345.67</v>" in xml and "<v>0.0875</v>" in xml and '<row r="4">' not in xml
    with zipfile.ZipFile(tmp_path / "xml.xlsx") as z:  # staged uncompressed, written compressed
        assert {i.compress_type for i in z.infolist()} == {zipfile.ZIP_DEFLATED}


def test_comments_are_the_parts_openpyxl_writes(tmp_path):
    """``add_comment`` notes are written as text; the comments part, its drawing, the sheet's relations
    and the content types are byte for byte what openpyxl writes for the same comments."""
    from openpyxl.comments import Comment

    from compcalc.xlsx_numbers import add_comment, save

    notes = {(3, 7): "clawed back: A2 churned 2027-04-05; 900.01 paid on D2 so far is recovered",
             (2, 1): "a & <b> \"quoted\"\nsecond line", (12, 28): "forfeited: rep left in 2027-05"}
    ours, theirs = openpyxl.Workbook(), openpyxl.Workbook()
    for wb in (ours, theirs):
        wb.active["A1"] = "Rep"
        wb.create_sheet("Second")["B2"] = "x"
    for (row, col), text in notes.items():
        add_comment(ours.active, row, col, text)
        theirs.active.cell(row, col).comment = Comment(text, "compcalc", width=320, height=110)
    add_comment(ours["Second"], 2, 2, "on the second sheet")
    theirs["Second"]["B2"].comment = Comment("on the second sheet", "compcalc", width=320, height=110)
    save(ours, tmp_path / "ours.xlsx")
    theirs.save(tmp_path / "theirs.xlsx")
    with zipfile.ZipFile(tmp_path / "ours.xlsx") as a, zipfile.ZipFile(tmp_path / "theirs.xlsx") as b:
        for part in ("xl/comments/comment1.xml", "xl/comments/comment2.xml", "xl/drawings/commentsDrawing1.vml",
                     "xl/drawings/commentsDrawing2.vml", "xl/worksheets/_rels/sheet1.xml.rels",
                     "xl/worksheets/_rels/sheet2.xml.rels", "[Content_Types].xml"):
            assert a.read(part) == b.read(part), part
        assert b'<legacyDrawing xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ' \
               b'r:id="anysvml" />' in a.read("xl/worksheets/sheet1.xml")
    read = openpyxl.load_workbook(tmp_path / "ours.xlsx")
    assert read.active["G3"].comment.text == notes[(3, 7)] and read.active["A2"].comment.text == notes[(2, 1)]
    assert read["Second"]["B2"].comment.text == "on the second sheet"


def test_add_columns_refuses_a_control_character_as_add_rows_does():
    from openpyxl.utils.exceptions import IllegalCharacterError

    from compcalc.statements.xlsx import Sheet

    for add in (lambda sh: sh.add_rows([["ok", "bell\x07"]]), lambda sh: sh.add_columns([["ok"], ["bell\x07"]])):
        with pytest.raises(IllegalCharacterError, match="bell"):
            add(Sheet(openpyxl.Workbook().active))


VALUES = [None, "", "text", " spaced & <b> ", "=SUM(A1)", "Zoë", Decimal("1.00"), Decimal("-123456.78"),
          Decimal("0.0875"), True, 7, 2.5]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(VALUES), min_size=4, max_size=4), min_size=1, max_size=6),
       st.booleans(), st.lists(st.one_of(st.none(), st.integers(-10**12, 10**12)), min_size=6, max_size=6))
def test_add_columns_writes_the_bytes_add_rows_writes(rows, formula, cents):
    """Whatever the values (missing first rows, mixed money columns, empty text, formulas, integer
    cents), the two ways give the same sheet XML, column widths and styles."""
    from compcalc.statements.xlsx import MONEY, PERCENT, Sheet
    from compcalc.xlsx_numbers import Formula, save

    if formula:
        rows = rows + [[Formula(""), Formula("=SUM(B1:B2)"), None, ""]]
    cents = cents[:len(rows)] + [None] * (len(rows) - len(cents))
    fmt = {2: MONEY, 3: PERCENT, 5: MONEY}
    parts = []
    for how in ("rows", "columns"):
        wb = openpyxl.Workbook()
        sh = Sheet(wb.active, wrap_columns=(4,))
        sh.header(["A", "B", "C", "D", "E"])
        if how == "rows":
            sh.add_rows([row + [amount(c)] for row, c in zip(rows, cents)], fmt)
        else:
            sh.add_columns([list(col) for col in zip(*rows)] + [cents], fmt, cents=(5,))
        sh.finish()
        buffer = io.BytesIO()
        save(wb, buffer)
        with zipfile.ZipFile(buffer) as z:
            parts.append((z.read("xl/worksheets/sheet1.xml"), z.read("xl/styles.xml")))
    assert parts[0] == parts[1]


def test_comment_text_keeps_its_spaces_as_openpyxl_writes_them(tmp_path):
    from openpyxl.comments import Comment

    from compcalc.xlsx_numbers import add_comment, comments_xml

    texts = ["  lead", "trail ", "\tboth\n", "   ", "", "plain"]
    wb = openpyxl.Workbook()
    for i, text in enumerate(texts, 1):
        wb.active.cell(i, 1).comment = Comment(text, "compcalc", width=320, height=110)
    wb.save(tmp_path / "theirs.xlsx")
    with zipfile.ZipFile(tmp_path / "theirs.xlsx") as z:
        theirs = z.read("xl/comments/comment1.xml").decode()
    assert comments_xml({(i, 1): text for i, text in enumerate(texts, 1)}) == theirs
    assert '<t xml:space="preserve">  lead</t>' in theirs
    sheet = openpyxl.Workbook().active
    add_comment(sheet, 1, 1, "x")
    assert sheet._compcalc_comments == {(1, 1): "x"}


def test_a_workbook_saved_again_by_openpyxl_refers_to_no_missing_drawing(tmp_path):
    from compcalc.xlsx_numbers import add_comment, save

    wb = openpyxl.Workbook()
    wb.active["A1"] = "Rep"
    add_comment(wb.active, 1, 1, "a note")
    save(wb, tmp_path / "ours.xlsx")
    assert wb.active.legacy_drawing is None
    wb.save(tmp_path / "again.xlsx")  # openpyxl alone: our notes are not its comments, so no drawing
    with zipfile.ZipFile(tmp_path / "again.xlsx") as z:
        assert "legacyDrawing" not in z.read("xl/worksheets/sheet1.xml").decode()
    save(wb, tmp_path / "twice.xlsx")
    assert openpyxl.load_workbook(tmp_path / "twice.xlsx").active["A1"].comment.text == "a note"
