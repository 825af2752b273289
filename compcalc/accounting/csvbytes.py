"""A CSV writer for tens of millions of rows: each chunk is built as one byte matrix with numpy.

A million-deal book has some 20 million schedule rows; formatting them cell by cell (pandas
``to_csv`` of text columns) takes minutes. Here every field is a fixed-width block of bytes padded with
NUL, a chunk of rows is those blocks side by side, and dropping the NULs leaves the CSV text. Money is
written from integer cents by integer arithmetic, so no float ever touches it. Text is quoted as the
``csv`` module does by default (only fields holding a comma, a quote or a line break).
"""
from __future__ import annotations

import numpy as np

from compcalc.inert_text import csv_values

COMMA, NEWLINE, MINUS, DOT, ZERO = 44, 10, 45, 46, 48


def csv_field(texts) -> np.ndarray:
    """Texts as CSV fields: formula-like cells made inert (compcalc.inert_text), quoted (with doubled
    quotes) only when they hold , " or a line break."""
    t = csv_values(texts).astype(str)
    if t.size == 0:
        return t
    special = np.zeros(t.shape, dtype=bool)
    for ch in (",", '"', "\n", "\r"):
        special |= np.strings.find(t, ch) >= 0
    quoted = np.strings.add(np.strings.add('"', np.strings.replace(t, '"', '""')), '"')
    return np.where(special, quoted, t)


def text_matrix(texts) -> np.ndarray:
    """UTF-8 bytes of each text as the rows of a NUL-padded (n, width) uint8 matrix."""
    t = np.asarray(texts).astype(str)
    if t.size == 0:
        return np.zeros((0, 1), dtype=np.uint8)
    b = np.strings.encode(t, "utf-8")
    width = max(b.dtype.itemsize, 1)
    return np.frombuffer(b.astype(f"S{width}").tobytes(), dtype=np.uint8).reshape(len(t), width)


def money_matrix(cents) -> np.ndarray:
    """Integer cents as right-aligned ``-1234.56`` text in a NUL-padded (n, width) uint8 matrix."""
    c = np.asarray(cents, dtype=np.int64)
    n = len(c)
    a = np.abs(c)
    whole = a // 100
    digits = len(str(int(whole.max()))) if n else 1
    width = digits + 4  # sign, digits, '.', two decimals
    out = np.zeros((n, width), dtype=np.uint8)
    out[:, -1] = ZERO + a % 10
    out[:, -2] = ZERO + (a // 10) % 10
    out[:, -3] = DOT
    shown = np.zeros(n, dtype=np.int64)
    for j in range(digits):  # right to left; a leading zero only for amounts under 1.00
        present = (whole > 0) | (j == 0)
        out[:, width - 4 - j] = np.where(present, ZERO + whole % 10, 0)
        shown += present
        whole = whole // 10
    neg = np.flatnonzero(c < 0)
    out[neg, width - 4 - shown[neg]] = MINUS
    return out


def _constant(n: int, byte: int) -> np.ndarray:
    return np.full((n, 1), byte, dtype=np.uint8)


def join_rows(blocks: list[np.ndarray]) -> bytes:
    """Blocks (n, w_i) side by side, a comma between each and a newline at the end, NULs dropped."""
    n = blocks[0].shape[0]
    parts = []
    for i, b in enumerate(blocks):
        if i:
            parts.append(_constant(n, COMMA))
        parts.append(b)
    parts.append(_constant(n, NEWLINE))
    m = np.concatenate(parts, axis=1)
    return m[m != 0].tobytes()


def header(columns) -> bytes:
    return (",".join(csv_field(list(columns))) + "\n").encode("utf-8")
