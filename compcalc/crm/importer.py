"""``compcalc import``: one CRM export, through its mapping, into one canonical input file (SPEC §2).

Every problem in the export is collected (file, row, column, reason) and nothing is written unless
there are none; the output file appears whole (written beside it, then renamed).
"""
from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from compcalc.crm import formats
from compcalc.crm.export import read_export
from compcalc.crm.mapping import PERSON_COLUMN, Mapping, load_mapping
from compcalc.crm.people import Directory
from compcalc.crm.renewals import derive_prior
from compcalc.crm.report import Report
from compcalc.stages import won_mask
from compcalc.inputs import TABLES, _read, _typed, parse_money
from compcalc.money import format_cents
from compcalc.problems import Collector, InputError

ID_COLUMN = {"deals": "deal_id", "milestones": "account_id", "roster": "rep_id"}
IDENTITY = ("deal_id", "account_id", "rep_id")
TERM_TYPES = ("new", "expansion", "renewal")  # a contract term means something for these


def _np(mask) -> np.ndarray:
    return np.asarray(mask.to_numpy(zero_copy_only=False), dtype=bool)


def _empty(text: pa.Array) -> np.ndarray:
    return _np(pc.equal(text, "")) if len(text) else np.zeros(0, dtype=bool)


def _map_distinct(text: pa.Array, fn) -> tuple[pa.Array, list, list, np.ndarray]:
    """Apply ``fn`` to each distinct value (hashing in Arrow, not sorting Python strings).

    Returns (mapped column, distinct values, their mapped values, each row's index into them)."""
    enc = pc.dictionary_encode(text)
    distinct = enc.dictionary.to_pylist()
    mapped = [fn(v) for v in distinct]
    indices = enc.indices.to_numpy(zero_copy_only=False)
    return pa.array(mapped, pa.string()).take(enc.indices), distinct, mapped, indices


def import_export(table: str, export: str | Path, mapping_path: str | Path, out: str | Path,
                  roster: str | Path | None = None, since: dt.date | None = None) -> Report:
    """Convert ``export`` into ``out``; raises InputError with every problem (nothing written)."""
    problems = Collector()
    mapping, mapping_problems = load_mapping(mapping_path)
    problems.extend(mapping_problems)
    if mapping is not None and mapping.table != table:
        problems.add(str(mapping_path), f"this mapping is for {mapping.table}, not {table}", line=1, path="table")
    directory = _directory(roster, table, mapping, problems) if mapping is not None else None
    problems.raise_if_any()
    file = str(export)
    wanted = {h.strip().lower() for col in mapping.columns for h in mapping.headers(col)}
    read = read_export(Path(export), mapping.encoding, mapping.delimiter, wanted, problems)
    if read is None:
        problems.raise_if_any()
    by_low = {h.strip().lower(): h for h in read.header}
    if table == "deals" and "stage" not in mapping.columns:
        # a raw export's lost deals must not pass unseen: a stage column it has must be mapped
        for low in ("stage", "stage name", "deal stage", "dealstage", "stagename"):
            if low in by_low:
                problems.add(file, f"the export has a {by_low[low]!r} column but the mapping maps no stage: map it "
                             "(columns: stage: …) so deals that are not won are dropped", column=by_low[low])
    source: dict[str, list[str]] = {}  # canonical column -> the export headers present, in the mapping's order
    required = {c.name for c in TABLES[table] if c.required} | {"stage"}
    absent: list[str] = []
    for col in mapping.columns:
        found = [by_low[h.strip().lower()] for h in mapping.headers(col) if h.strip().lower() in by_low]
        if not found:
            if col in required or col == PERSON_COLUMN.get(table) or col in mapping.values:
                names = " or ".join(repr(h) for h in mapping.headers(col))
                problems.add(file, f"no column {names} (mapped to {col}) in the header", column=col)
            else:
                absent.append(col)  # an optional column this export does not have
        else:
            source[col] = list(dict.fromkeys(found))
    problems.raise_if_any()

    conv = _Conversion(table, mapping, read, source, file, problems, directory, since)
    report = conv.run(str(mapping_path), str(out))
    report.absent = absent
    problems.raise_if_any()
    _write(conv.output(), Path(out), conv.safe_columns())
    return report


def _directory(roster, table, mapping: Mapping, problems: Collector) -> Directory | None:
    person = PERSON_COLUMN.get(table)
    if person is None or person not in mapping.columns or mapping.owners == "rep_id":
        return None
    if roster is None:
        problems.add("--roster", f"needed to resolve {person} from names or emails (or set owners: rep_id "
                     "in the mapping)")
        return None
    read = _read(Path(roster), "roster", problems)
    if read is None:
        return None
    raw, rows = read
    frame = _typed(raw, rows, "roster", str(roster), problems)
    return Directory(frame) if "rep_id" in frame.columns and "name" in frame.columns else None


KEPT, CONVERTED, DROPPED, HISTORY = range(4)


class _Conversion:
    """One export through one mapping. Columns stay Arrow text; masks are numpy booleans."""

    def __init__(self, table, mapping: Mapping, read, source, file, problems: Collector, directory, since):
        self.table, self.m, self.read, self.source, self.file = table, mapping, read, source, file
        self.problems, self.directory, self.since = problems, directory, since
        self.n = len(read.rows)
        self.rows = read.rows
        self.spec = {c.name: c for c in TABLES[table]}
        self.text: dict[str, pa.Array] = {}  # export text per canonical column, after value maps/defaults
        self.values: dict[str, pa.Array] = {}  # output text per canonical column
        self.cents: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # money column -> (cents, has a value)
        self.dates: dict[str, pa.Array] = {}  # date column -> ISO text ("" when missing or bad)
        self.notes: list[tuple[np.ndarray, object]] = []  # (rows, message or message(i)), rendered on demand
        self.converted = np.zeros(self.n, dtype=bool)
        self.conversions: list[tuple[str, str, str, int, str]] = []  # column, from, to, written rows, by
        self.value_maps: list[tuple[str, list, list, np.ndarray]] = []

    # -- helpers ---------------------------------------------------------------------------------
    def note(self, mask: np.ndarray, message, convert: bool = True) -> None:
        if mask.any():
            self.notes.append((np.flatnonzero(mask), message))
            if convert:
                self.converted |= mask

    def report_rows(self, mask: np.ndarray, column: str, message) -> None:
        for i in np.flatnonzero(mask & self.active).tolist():
            self.problems.add(self.file, message(i), row=int(self.rows[i]), column=column)

    def raw(self, col: str) -> pa.Array:
        """The column's text: per row, the first candidate header with a value (HubSpot leaves
        "Annual recurring revenue" empty on deals without line items: "Amount" is next). Ids and
        people come from the first candidate present only: mixing an account's number and its name
        would split one account in two."""
        columns = [self.read.columns[h] for h in self.source[col]]
        if col in IDENTITY or col == PERSON_COLUMN.get(self.table):
            columns = columns[:1]
        text = columns[0]
        for other in columns[1:]:
            text = pc.if_else(pc.equal(text, ""), other, text)
        return text

    def blank(self) -> pa.Array:
        return pa.repeat(pa.scalar("", pa.string()), self.n)

    # -- the steps -------------------------------------------------------------------------------
    def run(self, mapping_file: str, out: str) -> Report:
        n = self.n
        self.outcome = np.zeros(n, dtype=np.int8)
        self.active = np.ones(n, dtype=bool)  # rows that are written (or read as history)
        if "stage" in self.source:
            stage = self.raw("stage")
            won_of = dict(zip(*_distinct_won(stage, self.m.closed_won)))
            won = _np(pc.is_in(stage, value_set=pa.array([v for v, w in won_of.items() if w], pa.string())))
            self.note(~won, lambda i: f"stage {stage[i].as_py()!r} is not closed-won", convert=False)
            self.outcome[~won] = DROPPED
            self.active &= won
        for col in self.m.columns:
            if col != "stage" and col in self.source:
                self.text[col] = self.raw(col)
        self._value_maps()
        self._defaults()
        for col, spec in self.spec.items():
            if col not in self.text:
                continue
            if spec.kind == "date":
                self._dates(col)
            elif spec.kind == "money":
                self._amounts(col)
            elif spec.kind == "int":
                self._whole(col)
            elif spec.kind == "choice":
                self._choice(col, spec)
            else:
                self.values[col] = self.text[col]
        if self.table == "deals" and self.since is not None:
            self._history()
        self.written = self.active & (self.outcome != HISTORY)
        for col, distinct, targets, indices in self.value_maps:
            counts = np.bincount(indices[self.written], minlength=len(distinct))
            for k in sorted(range(len(distinct)), key=distinct.__getitem__):
                if targets[k] != distinct[k] and counts[k]:
                    self.conversions.append((col, distinct[k], targets[k], int(counts[k]), "values"))
        self._people()
        self._required()
        if self.table == "deals":
            self._deals()
        self.outcome[self.converted & self.written] = CONVERTED
        idcol = ID_COLUMN[self.table]
        ids = self.values.get(idcol, self.blank())
        return Report(export=self.file, mapping=mapping_file, out=out, table=self.table,
                      encoding=self.read.encoding, delimiter=self.read.delimiter,
                      footer_lines=self.read.footer_lines, rows=self.rows, ids=ids, outcome=self.outcome,
                      note_groups=self.notes, conversions=self.conversions,
                      since=self.since.isoformat() if self.since else None)

    def _value_maps(self) -> None:
        for col, table in self.m.values.items():
            lookup = {str(k).strip().casefold(): str(v) for k, v in table.items()}
            spec = self.spec[col]
            unknown: set[str] = set()

            def fn(value: str) -> str:
                target = lookup.get(value.strip().casefold())
                if target is not None:
                    return target
                if spec.kind == "choice" and value and value.lower() not in spec.choices:
                    unknown.add(value)
                return value  # already canonical, or free text the map leaves alone

            mapped, distinct, targets, indices = _map_distinct(self.text[col], fn)
            self.value_maps.append((col, distinct, targets, indices))  # counted once the written rows are known
            if unknown:
                text = self.text[col]
                known = ", ".join(repr(k) for k in table)
                bad = _np(pc.is_in(text, value_set=pa.array(sorted(unknown), pa.string())))
                self.report_rows(bad, col, lambda i: f"{text[i].as_py()!r} is not in the mapping's values.{col} ({known})")
            self.text[col] = mapped

    def _choice(self, col: str, spec) -> None:
        lowered = pc.utf8_lower(self.text[col])
        if col not in self.m.values:  # with a value map, unknown values are reported by it
            text = self.text[col]
            bad = ~_np(pc.is_in(lowered, value_set=pa.array(spec.choices))) & ~_empty(text)
            self.report_rows(bad, col, lambda i: f"{text[i].as_py()!r} is not one of {', '.join(spec.choices)} "
                             f"(map it in the mapping's values.{col})")
        self.values[col] = lowered

    def _defaults(self) -> None:
        for col, value in self.m.defaults.items():
            value = value.isoformat() if isinstance(value, dt.date) else str(value)
            current = self.text.get(col, self.blank())
            empty = _empty(current)
            if self.table == "deals" and col == "term_months" and "type" in self.text:
                empty &= _np(pc.is_in(pc.utf8_lower(self.text["type"]), value_set=pa.array(TERM_TYPES)))
            if col in self.m.columns:  # a default for a mapped column fills its empty values: say so
                self.note(empty & self.active, f"{col} {value} (the mapping's default)")
            self.text[col] = pc.if_else(pa.array(empty), value, current)

    def _dates(self, col: str) -> None:
        iso, bad = formats.parse_dates(self.text[col], self.m.dates)
        text = self.text[col]
        fmts = ", ".join(self.m.dates)
        self.report_rows(bad, col, lambda i: f"{text[i].as_py()!r} is not a date in the mapping's format ({fmts})")
        iso = pc.if_else(pa.array(bad), "", iso)
        self.values[col] = self.dates[col] = iso

    def _amounts(self, col: str) -> None:
        plain, bad, negative = formats.parse_amounts(self.text[col], self.m.amounts)
        text = self.text[col]
        if negative.any() and self.table == "deals" and "type" in self.text:
            lost = negative & _np(pc.is_in(pc.utf8_lower(self.text["type"]), value_set=pa.array(["contraction", "churn"])))
            self.note(lost & self.active & ~bad, lambda i: f"{col} {text[i].as_py()} is ARR lost: written without its sign")
            plain = pc.if_else(pa.array(lost), formats.absolute(plain), plain)
            negative = negative & ~lost
        self.report_rows(bad, col, lambda i: f"{text[i].as_py()!r} is not an amount written as {self.m.amounts}")
        self.report_rows(negative & ~bad, col, lambda i: f"must not be negative (got {text[i].as_py()})")
        clean = pc.if_else(pa.array(bad | negative), "", plain)
        cents, shape, too_many = parse_money(clean)
        self.report_rows(too_many, col, lambda i: f"{text[i].as_py()!r} has more than 2 decimals")
        self.report_rows(shape & ~too_many, col, lambda i: f"{text[i].as_py()!r} is too large (at most 999999999999.99)")
        empty = _empty(clean) | shape | too_many
        self.cents[col] = (np.where(empty, 0, cents).astype(np.int64), ~empty)
        self.values[col] = _money_text(self.cents[col][0], empty)

    def _whole(self, col: str) -> None:
        text = self.text[col]
        ok = _np(pc.match_substring_regex(text, r"^\d{1,6}(\.0+)?$"))  # Excel writes 12.0
        self.report_rows(~ok & ~_empty(text), col, lambda i: f"{text[i].as_py()!r} is not a whole number")
        self.values[col] = pc.if_else(pa.array(ok), pc.replace_substring_regex(text, r"\.0+$", ""), "")

    def _history(self) -> None:
        dates = self.dates.get("close_date")
        if dates is None:
            return
        cut = self.since.isoformat()
        before = self.active & ~_empty(dates) & _np(pc.less(dates, cut))
        self.outcome[before] = HISTORY
        self.note(before, f"closed before {cut}: read for account ARR, not written", convert=False)

    def _people(self) -> None:
        col = PERSON_COLUMN.get(self.table)
        if col is None or col not in self.values or self.directory is None:
            return
        values = self.values[col]
        missing: dict[str, str] = {}
        found: dict[str, tuple[str, str]] = {}

        def fn(value: str) -> str:
            if not value:
                return ""
            rep, why = self.directory.resolve(value, self.m.owners)
            if rep is None:
                missing[value] = why
                return ""
            found[value] = (rep, why)
            return rep

        reps, distinct, _, indices = _map_distinct(values, fn)
        counts = np.bincount(indices[self.written], minlength=len(distinct))
        for k in sorted(range(len(distinct)), key=distinct.__getitem__):
            value = distinct[k]
            if counts[k] and value in found and found[value][0] != value:
                self.conversions.append((col, value, found[value][0], int(counts[k]), found[value][1]))
        if missing:
            bad = _np(pc.is_in(values, value_set=pa.array(sorted(missing), pa.string()))) & self.written
            self.report_rows(bad, col, lambda i: missing[values[i].as_py()])
        self.values[col] = pc.if_else(pa.array(self.written), reps, values)

    def _required(self) -> None:
        for col, spec in self.spec.items():
            if not spec.value_required:
                continue
            if col not in self.values:
                if spec.required:
                    self.problems.add(self.file, "missing required column (map it or give it a default)", column=col)
                continue
            empty = _empty(self.values[col]) & self.written
            if not empty.any():
                continue
            bad_already = {p.row for p in self.problems.problems if p.column == col}
            for i in np.flatnonzero(empty).tolist():
                if int(self.rows[i]) not in bad_already:
                    self.problems.add(self.file, "a value is required", row=int(self.rows[i]), column=col)

    def _deals(self) -> None:
        v = self.values
        if "deal_id" in v:
            ids = v["deal_id"]
            codes = pc.dictionary_encode(ids).indices.to_numpy(zero_copy_only=False)
            candidate = self.written & ~_empty(ids)
            dup = pd.Series(np.where(candidate, codes, -1 - np.arange(self.n))).duplicated(keep="first").to_numpy()
            if dup.any():
                first: dict[str, int] = {}
                for i in np.flatnonzero(candidate).tolist():
                    first.setdefault(ids[i].as_py(), int(self.rows[i]))
                for i in np.flatnonzero(dup).tolist():
                    self.problems.add(self.file, f"duplicate deal_id {ids[i].as_py()!r} (also row {first[ids[i].as_py()]})",
                                      row=int(self.rows[i]), column="deal_id")
        if "type" not in v or "arr" not in self.cents or "close_date" not in self.dates:
            return
        types = v["type"]
        renewal = _np(pc.equal(types, "renewal"))
        prior, has_prior = self.cents.get("prior_arr", (np.zeros(self.n, np.int64), np.zeros(self.n, bool)))
        needed = self.written & renewal & ~has_prior
        if not needed.any():
            return
        dates = self.dates["close_date"]
        accounts = v.get("account_id", self.blank())
        usable = self.active & ~_empty(dates)
        kinds = np.select([_np(pc.equal(types, k)) for k in ("new", "expansion", "renewal", "contraction", "churn")],
                          [0, 1, 2, 3, 3], default=4).astype(np.int8)
        account_codes = pc.dictionary_encode(accounts).indices.to_numpy(zero_copy_only=False)
        days = pc.strptime(pc.if_else(pa.array(usable), dates, "1970-01-01"), format="%Y-%m-%d", unit="s",
                           error_is_null=True)
        day_numbers = pc.fill_null(pc.cast(days, pa.int64()), 0).to_numpy(zero_copy_only=False)
        derived, known = derive_prior(account_codes, kinds, day_numbers, self.cents["arr"][0], prior,
                                      has_prior, needed & usable, usable)
        negative = known & (derived < 0)
        for i in np.flatnonzero(needed & usable & ~known).tolist():
            self.problems.add(self.file, f"prior_arr cannot be derived: account {accounts[i].as_py()!r} has no land (or "
                              f"renewal with a prior ARR) before {dates[i].as_py()} in the export (export its earlier "
                              "deals and import with --since, or map a prior ARR column)",
                              row=int(self.rows[i]), column="prior_arr")
        for i in np.flatnonzero(needed & negative).tolist():
            self.problems.add(self.file, f"prior_arr cannot be derived: account {accounts[i].as_py()!r} has a negative "
                              f"ARR ({format_cents(int(derived[i]))}) before {dates[i].as_py()}",
                              row=int(self.rows[i]), column="prior_arr")
        good = needed & known & ~negative
        text = _money_text(derived, ~good)
        v["prior_arr"] = pc.if_else(pa.array(good), text, v.get("prior_arr", self.blank()))
        self.note(good, lambda i: f"prior_arr {text[i].as_py()} derived: the ARR of account {accounts[i].as_py()} "
                  f"before {dates[i].as_py()}")

    def safe_columns(self) -> set[str]:
        """Columns whose text compcalc produced, so no value holds a comma, quote or line break."""
        person = PERSON_COLUMN.get(self.table) if self.directory is not None else None
        return {c for c, spec in self.spec.items() if spec.kind in ("date", "money", "int", "choice")} | {person}

    def output(self) -> pa.Table:
        cols = [c for c in self.spec if c in self.values and c != "stage"]
        keep = pa.array(self.written)
        return pa.table({c: self.values[c].filter(keep) for c in cols})


def _distinct_won(stage: pa.Array, closed_won) -> tuple[list, list]:
    distinct = pc.unique(stage).to_pylist()
    return distinct, won_mask(np.array(distinct, dtype=object), closed_won).tolist() if distinct else []


def _money_text(cents: np.ndarray, empty: np.ndarray) -> pa.Array:
    """Cents as "24000.00" text, built in Arrow, "" where ``empty``."""
    c = np.asarray(cents, dtype=np.int64)
    a = np.abs(c)
    whole = pa.array(a // 100).cast(pa.string())
    part = pc.utf8_lpad(pa.array(a % 100).cast(pa.string()), 2, "0")
    sign = pc.if_else(pa.array(c < 0), "-", "")
    text = pc.binary_join_element_wise(sign, pc.binary_join_element_wise(whole, part, "."), "")
    return pc.if_else(pa.array(empty), "", text)


def _write(table: pa.Table, out: Path, safe: set[str] = frozenset()) -> None:
    """The whole file or nothing: written beside ``out`` and renamed over it."""
    out = Path(out)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent if str(out.parent) else ".")
    except OSError as e:
        raise InputError([_problem(out, f"cannot write here: {e.strerror or e}")])
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(csv_bytes(table, safe))
        os.replace(tmp, out)
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        raise InputError([_problem(out, f"cannot write: {e.strerror or e}")])
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def csv_bytes(table: pa.Table, safe: set[str] = frozenset()) -> bytes:
    """CSV with a value quoted only when it must be (Arrow's writer quotes every text value).

    ``safe`` columns hold text compcalc wrote (dates, amounts, numbers, rep ids…): never quoted."""
    def field(col: pa.Array) -> pa.Array:
        special = pc.match_substring_regex(col, r'[",\r\n]')
        quoted = pc.binary_join_element_wise('"', pc.replace_substring(col, '"', '""'), '"', "")
        return pc.if_else(special, quoted, col)

    header = ",".join(table.column_names) + "\n"
    if table.num_rows == 0:
        return header.encode("utf-8")
    fields = [table.column(c).combine_chunks() for c in table.column_names]
    fields = [f if c in safe else field(f) for c, f in zip(table.column_names, fields)]
    lines = pc.binary_join_element_wise(*fields, ",")
    lines = pc.binary_join_element_wise(lines, "\n", "")  # each line ends with its "\n", in one fresh buffer
    data = lines.buffers()
    offsets = np.frombuffer(data[1], dtype=np.int32)[lines.offset:lines.offset + len(lines) + 1]
    body = memoryview(data[2])[int(offsets[0]):int(offsets[-1])]
    return header.encode("utf-8") + bytes(body)


def _problem(path, message):
    from compcalc.problems import Problem

    return Problem(str(path), message)
