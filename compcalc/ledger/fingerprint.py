"""sha256 fingerprints: of the input and plan files a run read, and of what the run produced.

The content fingerprint hashes each column as one byte stream (so it does not depend on how the
frame is chunked for writing) and then the column digests together.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

_BLOCK = 1 << 20


@dataclass(frozen=True)
class InputFile:
    """One file a run read: ``role`` is ``input`` (name = roster, deals, …) or ``plan`` (name = plan_id)."""

    role: str
    name: str
    path: str
    sha256: str


def file_sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(_BLOCK), b""):
            h.update(block)
    return h.hexdigest()


def input_files(book) -> list[InputFile]:
    """The book's input files and plan files with their sha256 (a plan loaded without a file is
    fingerprinted by its parsed content)."""
    files = [InputFile("input", name, str(path), file_sha256(path)) for name, path in sorted(book.sources.items())]
    for plan_id, plan in sorted(book.plans.items()):
        if plan.source and Path(plan.source).is_file():
            files.append(InputFile("plan", plan_id, str(plan.source), file_sha256(plan.source)))
        else:
            digest = hashlib.sha256(plan.model_dump_json().encode()).hexdigest()
            files.append(InputFile("plan", plan_id, "", digest))
    return files


def inputs_sha256(files: list[InputFile]) -> str:
    """One fingerprint for all inputs: names and contents, not where the files happen to live."""
    h = hashlib.sha256()
    for f in sorted(files, key=lambda f: (f.role, f.name)):
        h.update(f"{f.role}\0{f.name}\0{f.sha256}\n".encode())
    return h.hexdigest()


def _column_digest(col: pd.Series) -> bytes:
    """Integers: their int64 bytes and the missing-value mask. Text: as Arrow large strings, the byte
    length of each value and then all the UTF-8 bytes, whatever the column's storage (Arrow-backed
    columns are hashed without making a Python string per value)."""
    h = hashlib.sha256()
    if pd.api.types.is_integer_dtype(col.dtype):
        h.update(col.to_numpy(np.int64, na_value=0).astype("<i8").tobytes())
        h.update(np.packbits(col.isna().to_numpy()).tobytes())
        return h.digest()
    try:
        arr = pa.array(col.array)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        arr = pa.array(col.to_numpy(object).astype(str), type=pa.large_string())
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    arr = arr.cast(pa.large_string())
    h.update(np.packbits(arr.is_null().to_numpy(zero_copy_only=False)).tobytes())
    offsets = np.frombuffer(arr.buffers()[1], dtype="<i8")[arr.offset:arr.offset + len(arr) + 1]
    h.update(np.diff(offsets).astype("<i8").tobytes())
    if len(arr) and offsets[-1] > offsets[0]:
        h.update(memoryview(arr.buffers()[2])[offsets[0]:offsets[-1]])
    return h.digest()


def content_sha256(lines: pd.DataFrame, register: pd.DataFrame, line_columns: list[str],
                   register_columns: list[str]) -> str:
    """Fingerprint of a run's lines and register, column by column in the given order."""
    h = hashlib.sha256()
    for name, frame, columns in (("lines", lines, line_columns), ("register", register, register_columns)):
        h.update(f"{name}:{len(frame)}\n".encode())
        for c in columns:
            h.update(c.encode() + b"\0" + _column_digest(frame[c]))
    return h.hexdigest()
