"""File and sheet names that Excel, Windows and macOS all accept, unique even where case is ignored."""
from __future__ import annotations

import hashlib
import re

_UNSAFE_FILE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
_UNSAFE_SHEET = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
SHEET_MAX = 31


def _tag(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:6]


def safe_file_stem(text: str, max_len: int = 80) -> str:
    """``text`` unchanged when it is a safe file name, else cleaned and tagged with a short hash."""
    clean = _UNSAFE_FILE.sub("_", text).strip(" .")
    if clean.split(".")[0].upper() in _RESERVED:
        clean = f"_{clean}"
    clean = clean[:max_len]
    if clean != text or not clean:
        clean = f"{clean or 'rep'}-{_tag(text)}"
    return clean


def file_stems(ids) -> dict[str, str]:
    """A safe file stem per id, unique case-insensitively (two ids differing only in case get a tag)."""
    stems = {i: safe_file_stem(i) for i in ids}
    seen: dict[str, list[str]] = {}
    for i, stem in stems.items():
        seen.setdefault(stem.lower(), []).append(i)
    for group in seen.values():
        if len(group) > 1:
            for i in group:
                stems[i] = f"{stems[i]}-{_tag(i)}"
    return stems


def sheet_names(titles) -> list[str]:
    """Excel sheet names for the titles: no []:*?/\\, at most 31 characters, no leading or trailing
    apostrophe, not the reserved "History", unique ignoring case."""
    out, used = [], set()
    for title in titles:
        base = _UNSAFE_SHEET.sub("_", str(title)).strip("'").strip() or "Sheet"
        if base.lower() == "history":
            base = "History_"
        name, n = base[:SHEET_MAX], 1
        while name.lower() in used:
            n += 1
            suffix = f" ({n})"
            name = base[:SHEET_MAX - len(suffix)].rstrip("'") + suffix
        used.add(name.lower())
        out.append(name)
    return out
