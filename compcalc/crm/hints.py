"""Likely causes of a CSV that does not load, for ``validate``: the two ways a CRM or Excel export
usually differs from SPEC §2 (a ';' delimiter, a Windows-1252 encoding)."""
from __future__ import annotations

import codecs
import csv
from pathlib import Path

from compcalc.problems import Problem

_HEAD = 64 * 1024


def hints_for(path: str | Path) -> list[Problem]:
    p = Path(path)
    try:
        with open(p, "rb") as f:
            head = f.read(_HEAD)
    except OSError:
        return []
    out = []
    try:
        text = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
    except UnicodeDecodeError:
        out.append(Problem(str(path), "hint: the file is not UTF-8 — likely an export saved as Windows-1252 "
                           "(Excel's \"CSV\" on Windows, a Salesforce report): save it as \"CSV UTF-8\", or "
                           "convert it with `compcalc import … --mapping` (encoding: windows-1252)"))
        text = head.decode("windows-1252", errors="replace")
    first = text.splitlines()[0] if text else ""
    header = next(csv.reader([first]), [])
    if len(header) == 1 and ";" in header[0]:
        out.append(Problem(str(path), "hint: the header is one column with ';' in it — likely a ';'-delimited "
                           "export (Excel in a locale with decimal commas): save it comma-delimited, or convert "
                           "it with `compcalc import … --mapping` (delimiter: ';')"))
    return out
