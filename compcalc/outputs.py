"""Write a run's files: lines.csv, register.csv, unassigned.csv — all at once or not at all."""
from __future__ import annotations

import contextlib
import glob
import os
import shutil
import tempfile
from fnmatch import fnmatchcase as fnmatch
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from compcalc.inert_text import csv_arrow
from compcalc.frames import factorize_text, filled
from compcalc.ledger_lines import csv_fields
from compcalc.periods import period, periods
from compcalc import schema

# What compcalc writes into an --out folder (run, accounting, whatif); a folder holding only these
# may be replaced by a re-run, any other file means it is someone's folder.
OUTPUT_NAMES = ("lines.csv", "register.csv", "unassigned.csv", "payout_register_*.xlsx",
                "payout_register_*.html", "payout_register_*.pdf", "accounting.csv", "journal.csv",
                "accounting.xlsx", "whatif.xlsx", "whatif.html", "index.html", "forecast.csv")
# ... and the statements/ folder, holding only <rep>_<YYYY-MM> statements.
STATEMENT_NAMES = ("*_[0-9][0-9][0-9][0-9]-[0-9][0-9].xlsx", "*_[0-9][0-9][0-9][0-9]-[0-9][0-9].html",
                   "*_[0-9][0-9][0-9][0-9]-[0-9][0-9].pdf")
# What the desktop leaves beside files it shows or opens (Finder, Explorer, an Excel lock file).
CLUTTER = (".DS_Store", "._*", "Thumbs.db", "desktop.ini", "~$*")


MAX_NAME_BYTES = 255 - len(".._xxxxxxxx.tmp") - len(".old.") - 10  # the temp and old names around it


class OutputFolderError(ValueError):
    """The --out folder cannot be written or must not be replaced."""


def out_folder_problem(out: str | Path) -> str | None:
    """Why ``out`` cannot take a run's output, or None. A folder is replaced whole, so only a new or
    empty folder, or one compcalc wrote before, may be used: never a folder of someone's files."""
    out = Path(out).absolute()
    # the run is built in ".<name>.<random>.tmp" beside it, which must fit a file name too (255 bytes)
    too_long = next((part for part in out.parts if len(part.encode()) > MAX_NAME_BYTES), None)
    if too_long is not None:
        return (f"the name {too_long[:40]}… is {len(too_long.encode())} bytes long; a folder name may have at "
                f"most {MAX_NAME_BYTES}")
    for parent in reversed(out.parents):
        if parent.exists() and not parent.is_dir():
            return f"{parent} is a file, not a folder"
    if not out.exists():
        return _unwritable(next(p for p in out.parents if p.exists()))
    if not out.is_dir():
        return f"{out} is a file, not a folder"
    foreign = sorted(p.name for p in out.iterdir() if not _ours(p))
    if foreign:
        shown = ", ".join(foreign[:5]) + (", …" if len(foreign) > 5 else "")
        return (f"{out} holds files compcalc did not write ({shown}); the output folder is replaced whole, "
                "so give a new or empty folder")
    return _unwritable(out.parent)


def _unwritable(folder: Path) -> str | None:
    """Can a folder be made in ``folder``? (Tried, not guessed: root, read-only mounts, ACLs.)"""
    try:
        os.rmdir(tempfile.mkdtemp(prefix=".compcalc-probe.", dir=folder))
    except OSError as e:
        return f"cannot write in {folder}: {e.strerror or e}"
    return None


def _ours(entry: Path) -> bool:
    name = entry.name
    if any(fnmatch(name, n) for n in CLUTTER):
        return True
    if name == "statements":
        return entry.is_dir() and all(any(fnmatch(p.name, n) for n in STATEMENT_NAMES + CLUTTER)
                                      for p in entry.iterdir())
    return entry.is_file() and any(fnmatch(name, n) for n in OUTPUT_NAMES)


@contextlib.contextmanager
def atomic_dir(out: str | Path):
    """Yield a temporary folder beside ``out``; on success it replaces ``out`` in one rename."""
    problem = out_folder_problem(out)
    if problem:
        raise OutputFolderError(problem)
    out = Path(out).resolve()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        clear_stale(out)
        # the pid in the name tells a later run whether the writer is still alive
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.{os.getpid()}.", suffix=".tmp", dir=out.parent))
    except OSError as e:
        raise OutputFolderError(f"cannot write in {out.parent}: {e.strerror or e}") from None
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o777 & ~umask)  # mkdtemp makes it private; the finished folder is an ordinary one
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = None
    try:
        if out.exists():
            old = out.with_name(f".{out.name}.old.{os.getpid()}")
            os.replace(out, old)
        os.replace(tmp, out)
    except OSError as e:  # e.g. an immutable or busy folder: put the old one back, leave nothing behind
        if old is not None and not out.exists():
            os.replace(old, out)
        shutil.rmtree(tmp, ignore_errors=True)
        raise OutputFolderError(f"cannot replace {out}: {e.strerror or e}") from None
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def clear_stale(out: Path) -> list[Path]:
    """Remove the temp and old folders a killed compcalc left beside ``out`` (``.<out>.<pid>.*.tmp``,
    ``.<out>.old.<pid>``) whose process is gone; a live run's folders are left alone."""
    removed = []
    for entry in out.parent.glob(f".{glob.escape(out.name)}.*"):
        rest = entry.name[len(out.name) + 2:]
        parts = rest.split(".")
        if rest.endswith(".tmp") and len(parts) >= 3 and parts[0].isdigit():
            pid = int(parts[0])
        elif len(parts) == 2 and parts[0] == "old" and parts[1].isdigit():
            pid = int(parts[1])
        else:
            continue
        if entry.is_dir() and not entry.is_symlink() and not _alive(pid):
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return pid < 2**31  # someone else's live process (or a pid no system has)
    return True


# -- fast CSV through Arrow -------------------------------------------------------------------------

def arrow_money(cents, missing=None) -> pa.Array:
    """Cents as an exact decimal(18, 2) column: the unscaled 128-bit value *is* the cents."""
    cents = np.asarray(cents, dtype=np.int64)
    words = np.empty((len(cents), 2), dtype=np.int64)
    words[:, 0] = cents
    words[:, 1] = np.where(cents < 0, -1, 0)  # two's-complement sign extension to 128 bits
    validity = None
    nulls = 0
    if missing is not None and np.any(missing):
        validity = pa.py_buffer(np.packbits(~np.asarray(missing, dtype=bool), bitorder="little"))
        nulls = int(np.sum(missing))
    return pa.Array.from_buffers(pa.decimal128(18, 2), len(cents), [validity, pa.py_buffer(words)], null_count=nulls)


def arrow_text(values) -> pa.Array:
    """A CSV text column, formula-like cells made inert (compcalc.inert_text)."""
    return csv_arrow(pa.array(np.asarray(values, dtype=object), type=pa.string(), from_pandas=True))


def arrow_few_texts(values) -> pa.Array:
    """``arrow_text`` of a column with few distinct values (rep, plan, component, kind): each distinct
    text converted and made inert once, then taken by its code."""
    codes, uniques = factorize_text(np.asarray(values, dtype=object))  # sorted lines: long runs
    if len(codes) and codes.min() < 0:  # a missing value: the general path
        return arrow_text(values)
    return arrow_text(uniques).take(pa.array(codes))


def arrow_periods(months) -> pa.Array:
    """YYYY-MM of integer months, taken from the text of each month in their range (no Python objects
    per row: a run's months span a few years)."""
    months = np.asarray(months, dtype=np.int64)
    if not len(months):
        return pa.array([], pa.string())
    lo, hi = int(months.min()), int(months.max())
    if hi - lo > 100_000:  # far-apart months: not worth a table of every month between
        return arrow_text(periods(months))
    return pa.array([period(m) for m in range(lo, hi + 1)], pa.string()).take(pa.array(months - lo))


def arrow_facts(facts) -> pa.Array:
    """Fact records as lines.csv writes them: ``name=value`` pairs joined by ``;`` (money as "1234.56",
    months as "2027-03", absent fields left out; no commas or quotes, so the column needs no quoting),
    "" where a line has none. Built field by field per fact type in Arrow: a million-deal run has a
    million upfront records."""
    facts = np.asarray(facts, dtype=object)
    present = np.flatnonzero(facts != None)  # noqa: E711 (elementwise)
    if not len(present):
        return pa.array(filled(len(facts), ""), pa.string())
    types = np.array([type(f).__name__ for f in facts[present]], dtype=object)
    rows, texts = [], []
    for name in pd.unique(types):
        mine = present[types == name]
        records = facts[mine]
        pieces, some = [], np.zeros(len(mine), dtype=bool)
        for (field, kind), values in zip(csv_fields(type(records[0])), zip(*records)):
            missing = np.fromiter((v is None for v in values), dtype=bool, count=len(values))
            some |= ~missing
            if kind in ("cents", "month"):
                ints = np.fromiter((0 if v is None else v for v in values), dtype=np.int64, count=len(values))
                value = pc.cast(arrow_money(ints), pa.string()) if kind == "cents" else \
                    pa.array(periods(ints), pa.string())
            else:
                value = pa.array([str(v) for v in values], pa.string())
            piece = pc.binary_join_element_wise(f"{field}=", value, "")
            pieces.append(pc.if_else(pa.array(missing), pa.scalar(None, pa.string()), piece) if missing.any() else piece)
        if not some.all():  # a record with every field absent is "": Arrow's skipping join drops such rows
            keep = pa.array(some)
            pieces, mine = [pc.filter(piece, keep) for piece in pieces], mine[some]
        rows.append(mine)
        texts.append(pc.binary_join_element_wise(*pieces, ";", null_handling="skip"))
    order = np.concatenate(rows)
    at = np.full(len(facts), -1, dtype=np.int64)
    at[order] = np.arange(len(order))
    taken = pa.concat_arrays(texts).take(pa.array(at, mask=at < 0))
    return pc.fill_null(taken, "")


BATCH_ROWS = 500_000  # rows converted to Arrow at a time: bounds the write's extra memory


def write_arrow_csv(columns: dict[str, pa.Array], path: Path) -> None:
    """Write columns as CSV (see :func:`write_batches`)."""
    write_batches(list(columns), lambda: iter([columns]), path)


def write_batches(names: list[str], batches, path: Path) -> None:
    """Stream batches of columns (``batches()`` yields dicts of Arrow arrays) to one CSV file: the one
    CSV writer of every file compcalc writes.

    Quoting is minimal, as Python's ``csv`` module does it: a value is quoted (its quotes doubled) only
    when it holds a comma, a quote or a line break. A batch with no such value — nearly all — goes
    through Arrow's writer unquoted; one with any is written by :func:`_quoted_rows`.
    """
    options = pacsv.WriteOptions(include_header=False, quoting_style="none")
    with open(path, "wb") as f:
        f.write((",".join(names) + "\n").encode())
        for columns in batches():
            start = f.tell()
            try:
                # straight into the file: a buffer of a whole batch costs 4× the CPU (page faults)
                pacsv.write_csv(pa.table(columns), f, options)
            except pa.ArrowInvalid:  # a value needs quoting: this batch again, quoted where needed
                f.seek(start)
                f.truncate()
                f.write(_quoted_rows(list(columns.values())))


_NEEDS_QUOTES = r'[,"\r\n]'


def _csv_field(values: pa.Array) -> pa.Array:
    """Each value as its CSV field text: quoted where it needs it; money and numbers as Arrow writes
    them; null as empty."""
    if pa.types.is_string(values.type) or pa.types.is_large_string(values.type):
        quoted = pc.binary_join_element_wise('"', pc.replace_substring(values, '"', '""'), '"', "")
        values = pc.if_else(pc.match_substring_regex(values, _NEEDS_QUOTES), quoted, values)
    else:
        values = pc.cast(values, pa.string())
    return pc.fill_null(values, "")


def _quoted_rows(columns: list[pa.Array]) -> bytes:
    """CSV rows of the columns, minimal quoting, built in Arrow: each row's fields joined by commas
    and ended by a newline, the rows' bytes taken in one piece."""
    fields = [_csv_field(c) for c in columns]
    rows = pc.binary_join_element_wise(*fields, ",") if len(fields) > 1 else fields[0]
    rows = pc.binary_join_element_wise(rows, "", "\n")  # row + "\n" + ""
    if not len(rows):
        return b""
    width = np.int64 if rows.type == pa.large_string() else np.int32
    offsets = np.frombuffer(rows.buffers()[1], dtype=width)[rows.offset:rows.offset + len(rows) + 1]
    return bytes(memoryview(rows.buffers()[2])[int(offsets[0]):int(offsets[-1])])


def _nullable_ints(col: pd.Series) -> pa.Array:
    if isinstance(col.array, pd.arrays.IntegerArray):  # its values and mask as they are, no NA scan
        return pa.array(col.array._data, mask=col.array._mask, type=pa.int64())
    return pa.array(col.to_numpy(dtype=np.int64, na_value=0), mask=col.isna().to_numpy(), type=pa.int64())


LINES_CSV = schema.LINES_CSV


def _line_columns(part: pd.DataFrame) -> dict[str, pa.Array]:
    basis = part["basis"]
    return {
        "rep_id": arrow_few_texts(part["rep_id"]),
        "period": arrow_periods(part["month"].to_numpy()),
        "plan_id": arrow_few_texts(part["plan_id"]),
        "component_id": arrow_few_texts(part["component_id"]),
        "deal_id": arrow_text(part["deal_id"]),
        "kind": arrow_few_texts(part["kind"]),
        "basis": arrow_money(basis.to_numpy(dtype=np.int64, na_value=0), basis.isna().to_numpy()),
        "rate": arrow_few_texts(part["rate"]),
        "amount": arrow_money(part["amount"]),
        "account_id": arrow_text(part["account_id"]),
        "installment": _nullable_ints(part["installment"]),
        "installments": _nullable_ints(part["installments"]),
        "note": arrow_text(part["note"]),
        "facts": arrow_facts(part["facts"].to_numpy(object)),
    }


def write_lines_csv(lines: pd.DataFrame, path: Path) -> None:
    def batches():
        for start in range(0, max(len(lines), 1), BATCH_ROWS):
            yield _line_columns(lines.iloc[start:start + BATCH_ROWS])
    write_batches(LINES_CSV, batches, path)


def write_register_csv(register: pd.DataFrame, path: Path) -> None:
    columns = {"rep_id": arrow_text(register["rep_id"]), "period": arrow_periods(register["month"].to_numpy())}
    for c in schema.REGISTER_MONEY:
        columns[c] = arrow_money(register[c])
    write_arrow_csv(columns, path)


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """A small frame of text columns (unassigned.csv and the like)."""
    write_arrow_csv({c: arrow_text(frame[c].astype(object).fillna("")) for c in frame.columns}, path)


_BACKGROUND: tuple | None = None  # the job of the forked writer (inherited, never pickled)


def _background_job() -> None:
    job, args = _BACKGROUND
    job(*args)


@contextlib.contextmanager
def in_background(job, *args):
    """Run ``job(*args)`` in a forked process while the ``with`` body runs in this one (the CSVs beside
    the workbooks: two cores, two writers); the job's exception, if any, is raised when the body ends.
    The child inherits the run: nothing is copied or pickled on the way. Without fork, or on one core,
    the job runs first, here."""
    global _BACKGROUND
    import multiprocessing as mp
    import sys
    from concurrent.futures import ProcessPoolExecutor

    if (os.cpu_count() or 1) < 2 or "fork" not in mp.get_all_start_methods():
        job(*args)
        yield
        return
    for stream in (sys.stdout, sys.stderr):  # a buffer copied into the child must not print twice
        stream.flush()
    _BACKGROUND = (job, args)
    from compcalc.workers import init_worker, stop

    pool = ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("fork"), initializer=init_worker,
                               initargs=(os.getpid(),))
    try:
        future = pool.submit(_background_job)
    finally:
        _BACKGROUND = None
    try:
        yield
    except BaseException:
        stop(pool)  # before its folder goes
        raise
    try:
        future.result()
    finally:
        pool.shutdown(wait=True)


def write_run_files(result, folder: Path) -> None:
    folder = Path(folder)
    write_lines_csv(result.lines, folder / "lines.csv")
    write_register_csv(result.register, folder / "register.csv")
    write_csv(result.unassigned, folder / "unassigned.csv")
