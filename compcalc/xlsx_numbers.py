"""The one layer every compcalc workbook writes through: exact numbers, inert text.

Numbers in .xlsx files are written as their exact text.

openpyxl writes every number with ``"%.16g"``, so ``Decimal("8795.95")`` lands in the file as
``8795.950000000001`` and a rate of 0.0875 as ``0.08749999999999999``. Excel rounds those back on
reading, but an auditor who opens the XML, or any tool that reads it as text, sees float noise in
money. Importing this module makes the writer use the Decimal's own text (and the shortest
round-trip text for a float). Every workbook writer in compcalc imports it.

Text is inert: openpyxl turns any string starting with "=" into a live formula (and "#N/A" into an
error), so a roster name ``=HYPERLINK(...)`` or a deal id ``=2+3`` would run in the reader's Excel.
Here every string is stored as text; only a :class:`Formula` (compcalc's own totals) is a formula.
"""
from __future__ import annotations

import io
import math
import re
import zipfile
from decimal import Decimal

import openpyxl.cell._writer as _writer
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.comments.author import AuthorList
from openpyxl.comments.comment_sheet import CommentSheet
from openpyxl.packaging.relationship import Relationship
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter  # openpyxl imports it for Workbook.save anyway
from openpyxl.utils.exceptions import IllegalCharacterError

_openpyxl_safe_string = getattr(_writer.safe_string, "__wrapped__", _writer.safe_string)


def exact_string(value) -> str:
    if isinstance(value, Decimal) and value.is_finite():
        return format(value, "f")
    if isinstance(value, float) and math.isfinite(value):
        return repr(value)
    return _openpyxl_safe_string(value)


exact_string.__wrapped__ = _openpyxl_safe_string
_writer.safe_string = exact_string


class Formula(str):
    """A formula compcalc itself writes (``Formula("=SUM(B2:B9)")``); any other string is text."""


_openpyxl_bind_value = getattr(Cell._bind_value, "__wrapped__", Cell._bind_value)


def _bind_value(self, value):
    _openpyxl_bind_value(self, value)
    if self.data_type in ("f", "e") and not isinstance(value, Formula):
        self.data_type = "s"


_bind_value.__wrapped__ = _openpyxl_bind_value
Cell._bind_value = _bind_value


def header_footer_text(text: str) -> str:
    """Text for an Excel print header or footer, where "&" starts a code (``&D`` prints the date)."""
    return text.replace("&", "&&")


# -- big sheets: rows written as sheet XML ---------------------------------------------------------
# openpyxl builds a Python object per cell and serialises it element by element (~30 µs a cell): the
# payout register's line sheets hold most of a run's cells. Rows added with ``bulk_rows`` are written
# here as XML text (~1 µs a cell) with the same content: exact decimal text, inert inline text, the
# cell styles the workbook registered, so a reader cannot tell the two apart.

MONEY_FORMAT = "#,##0.00;[Red]-#,##0.00"  # every workbook's money: two decimals, negatives in red


def print_setup(ws, title_rows: str | None, header: str = "", freeze: str | None = None) -> None:
    """Every workbook's sheet view and print setup: the panes frozen at ``freeze``, landscape, one page
    wide, ``title_rows`` repeated on every printed page, ``header`` centred on top, page numbers below."""
    if freeze:
        ws.freeze_panes = freeze
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        ws.print_title_rows = title_rows
    if header:
        ws.oddHeader.center.text = header_footer_text(header)  # R&D must not print the date
    ws.oddFooter.right.text = "Page &P of &N"


def _xml_text(text: str) -> str:
    if ILLEGAL_CHARACTERS_RE.search(text):
        raise IllegalCharacterError(f"{text!r} cannot be used in worksheets.")
    if "&" in text or "<" in text or ">" in text:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text


def text_cell_xml(ref: str, text: str, style: int) -> str:
    """``cell_xml`` of a plain ``str`` (not a Formula): inline text."""
    s = f' s="{style}"' if style else ""
    return f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{_xml_text(text)}</t></is></c>'


def text_cells_xml(letter: str, rows: list[str], texts: list, style: int) -> list[str]:
    """``text_cell_xml`` of a column's texts in rows ``rows`` ("" where a text is None or empty), the
    check and the escaping done over the whole column at once: nearly every column needs neither."""
    present = [t for t in texts if t]
    joined = "".join(present)
    if ILLEGAL_CHARACTERS_RE.search(joined):
        [_xml_text(t) for t in present]  # raises, naming the text
    if "&" in joined or "<" in joined or ">" in joined:
        texts = [_xml_text(t) if t else t for t in texts]
    s = f' s="{style}"' if style else ""
    return [f'<c r="{letter}{r}"{s} t="inlineStr"><is><t xml:space="preserve">{t}</t></is></c>' if t else ""
            for r, t in zip(rows, texts)]


def number_cells_xml(letter: str, rows: list[str], numbers: list[str | None], style: int) -> list[str]:
    """A column's numbers, given as their exact text, in rows ``rows`` ("" where None)."""
    s = f' s="{style}"' if style else ""
    return [f'<c r="{letter}{r}"{s} t="n"><v>{v}</v></c>' if v is not None else "" for r, v in zip(rows, numbers)]


def cell_xml(ref: str, value, style: int) -> str:
    """One ``<c>`` element: a Formula as a formula, any other text as inline text, numbers exactly."""
    s = f' s="{style}"' if style else ""
    if isinstance(value, Formula):
        return f'<c r="{ref}"{s}><f>{_xml_text(value[1:])}</f><v></v></c>'
    if isinstance(value, str):
        return text_cell_xml(ref, value, style)
    if isinstance(value, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
    return f'<c r="{ref}"{s} t="n"><v>{exact_string(value)}</v></c>'


def styled(cell, number_format=None, font=None, fill=None, alignment=None):
    """The cell with the given number format, font, fill and alignment (each left as it is when None)."""
    if number_format:
        cell.number_format = number_format
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if alignment is not None:
        cell.alignment = alignment
    return cell


def style_id(ws, number_format=None, font=None, fill=None, alignment=None) -> int:
    """The workbook's index of a cell style (registered now, written by openpyxl with the workbook)."""
    detached = Cell(ws, row=1, column=1)  # never stored in the sheet
    return styled(detached, number_format, font, fill, alignment).style_id


def bulk_rows(ws) -> dict[int, str]:
    """The sheet's rows kept as XML (row number → ``<row>`` element), inserted when it is saved."""
    rows = getattr(ws, "_compcalc_rows", None)
    if rows is None:
        rows = ws._compcalc_rows = {}
    return rows


_ROW = re.compile(r'<row r="(\d+)"[^>]*?(?:/>|>.*?</row>)', re.S)


def save(wb, path) -> None:
    """``wb.save(path)``, with the rows of ``bulk_rows`` put in their sheets in row order and the notes of
    ``add_comment`` written as the sheets' comments; a cell openpyxl holds on a bulk row gives way to the
    row's own XML."""
    sheets = {ws.title: rows for ws in wb.worksheets if (rows := getattr(ws, "_compcalc_rows", None))}
    if not sheets and not any(getattr(ws, "_compcalc_comments", None) for ws in wb.worksheets):
        wb.save(path)
        return
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as staged:  # compressed once, below
        _Writer(wb, staged).save()
    paths = {ws.path.lstrip("/"): sheets[ws.title] for ws in wb.worksheets if ws.title in sheets}
    # deflate level 1: a 230,000-line register compresses 2.7× faster than at the default 6, 25% larger
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename in paths:
                data = _with_rows(data.decode("utf-8"), paths[item.filename]).encode("utf-8")
            item.compress_type = zipfile.ZIP_DEFLATED  # the staged entries were stored
            dst.writestr(item, data, compresslevel=1)


# -- cell comments ---------------------------------------------------------------------------------
# openpyxl builds a comment record, an ElementTree and a VML shape tree per comment (~70 µs each):
# a month's register holds thousands of clawback and forfeit reasons. ``add_comment`` keeps the note
# as data and ``save`` writes the two parts (comments XML and its VML drawing) as text, the bytes
# openpyxl writes for the same comments (tests/test_xlsx_numbers.py compares them).

COMMENT_AUTHOR, COMMENT_WIDTH, COMMENT_HEIGHT = "compcalc", 320, 110


def add_comment(ws, row: int, col: int, text: str) -> None:
    """A note on the cell at (row, col), shown on hover, written when the workbook is saved."""
    notes = getattr(ws, "_compcalc_comments", None)
    if notes is None:
        notes = ws._compcalc_comments = {}
    notes[(row, col)] = text


def comments_xml(notes: dict[tuple[int, int], str]) -> str:
    items = "".join(f'<comment ref="{get_column_letter(c)}{r}" authorId="0" shapeId="0"><text>{_comment_text(text)}'
                    '</text></comment>' for (r, c), text in sorted(notes.items()))
    return ('<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><authors><author>'
            f'{COMMENT_AUTHOR}</author></authors><commentList>{items}</commentList></comments>')


def _comment_text(text: str) -> str:
    """The ``<t>`` of a comment as openpyxl writes it: spaces kept around text, empty as ``<t />``."""
    if not text:
        return "<t />"
    stripped = text.strip()
    space = ' xml:space="preserve"' if stripped and stripped != text else ""
    return f"<t{space}>{_xml_text(text)}</t>"


_VML_HEAD = (
    '<xml xmlns:ns0="urn:schemas-microsoft-com:office:office" xmlns:ns1="urn:schemas-microsoft-com:vml" '
    'xmlns:ns2="urn:schemas-microsoft-com:office:excel"><ns0:shapelayout ns1:ext="edit"><ns0:idmap ns1:ext="edit" '
    'data="1" /></ns0:shapelayout><ns1:shapetype id="_x0000_t202" coordsize="21600,21600" ns0:spt="202" '
    'path="m,l,21600r21600,l21600,xe"><ns1:stroke joinstyle="miter" /><ns1:path gradientshapeok="t" '
    'ns0:connecttype="rect" /></ns1:shapetype>')
_VML_SHAPE = (
    '<ns1:shape type="#_x0000_t202" style="position:absolute; margin-left:59.25pt;margin-top:1.5pt;'
    f'width:{COMMENT_WIDTH}px;height:{COMMENT_HEIGHT}px;z-index:1;visibility:hidden" fillcolor="#ffffe1" '
    'ns0:insetmode="auto" id="_x0000_s{id:04d}"><ns1:fill color2="#ffffe1" /><ns1:shadow color="black" '
    'obscured="t" /><ns1:path ns0:connecttype="none" /><ns1:textbox style="mso-direction-alt:auto"><div '
    'style="text-align:left" /></ns1:textbox><ns2:ClientData ObjectType="Note"><ns2:MoveWithCells />'
    '<ns2:SizeWithCells /><ns2:AutoFill>False</ns2:AutoFill><ns2:Row>{row}</ns2:Row><ns2:Column>{col}'
    '</ns2:Column></ns2:ClientData></ns1:shape>')


def comments_vml(notes: dict[tuple[int, int], str]) -> str:
    """The hidden note boxes Excel draws for the comments (its legacy VML drawing)."""
    return _VML_HEAD + "".join(_VML_SHAPE.format(id=i, row=r - 1, col=c - 1)
                               for i, (r, c) in enumerate(sorted(notes), 1026)) + "</xml>"


class _Writer(ExcelWriter):
    """openpyxl's ExcelWriter, also writing each sheet's ``add_comment`` notes."""

    def write_worksheet(self, ws):
        notes = getattr(ws, "_compcalc_comments", None)
        if not notes:
            return super().write_worksheet(ws)
        part = CommentSheet(authors=AuthorList(), commentList=[])  # for its path and content type in the manifest
        self._comments.append(part)
        part._id = len(self._comments)
        ws.legacy_drawing = f"xl/drawings/commentsDrawing{part._id}.vml"  # the sheet refers to it
        super().write_worksheet(ws)
        self._archive.writestr(part.path[1:], comments_xml(notes))
        self.manifest.append(part)
        self._archive.writestr(ws.legacy_drawing, comments_vml(notes))
        ws._rels.append(Relationship(Id="comments", type=part._rel_type, Target=part.path))

    def _write_worksheets(self):
        super()._write_worksheets()
        for ws in self.workbook.worksheets:  # the drawing belongs to this file, not to the workbook
            if getattr(ws, "_compcalc_comments", None):
                ws.legacy_drawing = None


def _with_rows(xml: str, rows: dict[int, str]) -> str:
    empty = re.search(r"<sheetData\s*/>", xml)
    if empty:
        head, tail, kept = xml[:empty.start()] + "<sheetData>", "</sheetData>" + xml[empty.end():], []
    else:
        start, end = xml.index("<sheetData"), xml.index("</sheetData>")
        open_end = xml.index(">", start) + 1
        head, tail = xml[:open_end], xml[end:]
        kept = [(int(m.group(1)), m.group(0)) for m in _ROW.finditer(xml, open_end, end)
                if int(m.group(1)) not in rows]
    return head + "".join(x for _, x in sorted(kept + list(rows.items()))) + tail
