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
from compcalc.crm.people import Directory, resolve_column
from compcalc.crm.renewals import derive_prior
from compcalc.crm.report import Report
from compcalc.crm.stages import won_mask
from compcalc.inputs import TABLES, _read, _typed, parse_money
from compcalc.money import format_cents, format_cents_array
from compcalc.problems import Collector, InputError

ID_COLUMN = {"deals": "deal_id", "milestones": "account_id", "roster": "rep_id"}
TERM_TYPES = ("new", "expansion", "renewal")  # a contract term means something for these


def _np(mask) -> np.ndarray:
    return np.asarray(mask.to_numpy(zero_copy_only=False), dtype=bool)


def _text(values: pa.Array) -> np.ndarray:
    return values.to_numpy(zero_copy_only=False).astype(object)


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
    n = len(read.rows)
    source: dict[str, str] = {}  # canonical column -> export header used
    required = {c.name for c in TABLES[table] if c.required} | {"stage"}
    absent: list[str] = []
    for col in mapping.columns:
        found = next((by_low[h.strip().lower()] for h in mapping.headers(col) if h.strip().lower() in by_low), None)
        if found is None:
            if col in required or col == PERSON_COLUMN.get(table) or col in mapping.values:
                names = " or ".join(repr(h) for h in mapping.headers(col))
                problems.add(file, f"no column {names} (mapped to {col}) in the header", column=col)
            else:
                absent.append(col)  # an optional column this export does not have
        else:
            source[col] = found
    problems.raise_if_any()

    conv = _Conversion(table, mapping, read, source, file, problems, directory, since)
    report = conv.run(str(mapping_path), str(out))
    report.absent = absent
    problems.raise_if_any()
    _write(conv.output(), Path(out))
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


class _Conversion:
    def __init__(self, table, mapping: Mapping, read, source, file, problems: Collector, directory, since):
        self.table, self.m, self.read, self.source, self.file = table, mapping, read, source, file
        self.problems, self.directory, self.since = problems, directory, since
        self.n = len(read.rows)
        self.rows = read.rows
        self.spec = {c.name: c for c in TABLES[table]}
        self.text: dict[str, pa.Array] = {}
        self.values: dict[str, np.ndarray] = {}  # output text per canonical column
        self.notes: dict[int, list[str]] = {}
        self.converted = np.zeros(self.n, dtype=bool)
        self.conversions: list[tuple[str, str, str, int]] = []

    # -- helpers ---------------------------------------------------------------------------------
    def note(self, mask: np.ndarray, message, convert: bool = True) -> None:
        for i in np.flatnonzero(mask).tolist():
            self.notes.setdefault(i, []).append(message(i) if callable(message) else message)
        if convert:
            self.converted |= mask

    def report_rows(self, mask: np.ndarray, column: str, message) -> None:
        for i in np.flatnonzero(mask & self.active).tolist():
            self.problems.add(self.file, message(i), row=int(self.rows[i]), column=column)

    def raw(self, col: str) -> pa.Array:
        if col in self.source:
            return self.read.columns[self.source[col]]
        return pa.array([""] * self.n, pa.string())

    # -- the steps -------------------------------------------------------------------------------
    def run(self, mapping_file: str, out: str) -> Report:
        n = self.n
        self.outcome = np.full(n, "kept", dtype=object)
        self.active = np.ones(n, dtype=bool)  # rows that are written (or read as history)
        if "stage" in self.source:
            stage = _text(self.raw("stage"))
            won = won_mask(stage, self.m.closed_won)
            self.note(~won, lambda i: f"stage {stage[i]!r} is not closed-won", convert=False)
            self.outcome[~won] = "dropped"
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
            else:
                self.values[col] = _text(self.text[col])
        if self.table == "deals" and self.since is not None:
            self._history()
        self.written = self.active & (self.outcome != "history")
        self._people()
        self._required()
        if self.table == "deals":
            self._deals()
        self.outcome[self.converted & self.written] = "converted"
        idcol = ID_COLUMN[self.table]
        ids = self.values.get(idcol, np.full(n, "", dtype=object))
        return Report(export=self.file, mapping=mapping_file, out=out, table=self.table,
                      encoding=self.read.encoding, delimiter=self.read.delimiter,
                      footer_lines=self.read.footer_lines, rows=self.rows, ids=ids, outcome=self.outcome,
                      notes=self.notes, conversions=self.conversions,
                      since=self.since.isoformat() if self.since else None)

    def _value_maps(self) -> None:
        for col, table in self.m.values.items():
            lookup = {str(k).strip().casefold(): str(v) for k, v in table.items()}
            text = _text(self.text[col])
            uniq, inverse = np.unique(text.astype(str), return_inverse=True)
            uniq = uniq.tolist()
            spec = self.spec[col]
            mapped = np.empty(len(uniq), dtype=object)
            unknown = np.zeros(len(uniq), dtype=bool)
            for k, value in enumerate(uniq):
                target = lookup.get(value.strip().casefold())
                if target is not None:
                    mapped[k] = target
                elif spec.kind == "choice" and value and value.lower() not in spec.choices:
                    mapped[k], unknown[k] = value, True
                else:
                    mapped[k] = value  # already canonical, or free text the map leaves alone
            counts = np.bincount(inverse[self.active], minlength=len(uniq)) if self.n else np.zeros(0, int)
            for k, value in enumerate(uniq):
                if mapped[k] != value and counts[k] and not unknown[k]:
                    self.conversions.append((col, value, mapped[k], int(counts[k])))
            known = ", ".join(repr(k) for k in table)
            bad = unknown[inverse]
            self.report_rows(bad, col, lambda i: f"{text[i]!r} is not in the mapping's values.{col} ({known})")
            self.text[col] = pa.array(mapped[inverse].astype(str).tolist() if self.n else [], pa.string())

    def _defaults(self) -> None:
        for col, value in self.m.defaults.items():
            value = value.isoformat() if isinstance(value, dt.date) else str(value)
            current = self.text.get(col, pa.array([""] * self.n, pa.string()))
            empty = _np(pc.equal(current, "")) if self.n else np.zeros(0, dtype=bool)
            if self.table == "deals" and col == "term_months" and "type" in self.text:
                empty &= np.isin(_text(pc.utf8_lower(self.text["type"])), TERM_TYPES)
            if col in self.m.columns:  # a default for a mapped column fills its empty values: say so
                self.note(empty & self.active, f"{col} {value} (the mapping's default)")
            self.text[col] = pc.if_else(pa.array(empty), value, current)

    def _dates(self, col: str) -> None:
        iso, bad = formats.parse_dates(self.text[col], self.m.dates)
        text = _text(self.text[col])
        fmts = ", ".join(self.m.dates)
        self.report_rows(bad, col, lambda i: f"{text[i]!r} is not a date in the mapping's format ({fmts})")
        self.values[col] = _text(iso)
        self.dates = getattr(self, "dates", {})
        self.dates[col] = np.where(bad | (self.values[col] == ""), "", self.values[col])

    def _amounts(self, col: str) -> None:
        plain, bad, negative = formats.parse_amounts(self.text[col], self.m.amounts)
        text = _text(self.text[col])
        self.report_rows(bad, col, lambda i: f"{text[i]!r} is not an amount written as {self.m.amounts}")
        if negative.any() and self.table == "deals" and "type" in self.text:
            types = np.char.lower(_text(self.text["type"]).astype(str))
            lost = negative & np.isin(types, ("contraction", "churn"))
            self.note(lost & self.active & ~bad, lambda i: f"{col} {text[i]} is ARR lost: written without its sign")
            plain = pc.if_else(pa.array(lost), formats.absolute(plain), plain)
            negative = negative & ~lost
        self.report_rows(negative & ~bad, col, lambda i: f"must not be negative (got {text[i]})")
        clean = pc.if_else(pa.array(bad | negative), "", plain)
        cents, shape, too_many = parse_money(clean)
        self.report_rows(too_many, col, lambda i: f"{text[i]!r} has more than 2 decimals")
        self.report_rows(shape & ~too_many, col, lambda i: f"{text[i]!r} is too large (at most 999999999999.99)")
        empty = _np(pc.equal(clean, "")) | shape | too_many
        self.cents = getattr(self, "cents", {})
        self.cents[col] = (np.where(empty, 0, cents).astype(np.int64), ~empty)
        out = format_cents_array(np.where(empty, 0, cents)).astype(object)
        out[empty] = ""
        self.values[col] = out

    def _whole(self, col: str) -> None:
        text = self.text[col]
        ok = _np(pc.match_substring_regex(text, r"^\d{1,6}(\.0+)?$"))  # Excel writes 12.0
        empty = _np(pc.equal(text, ""))
        raw = _text(text)
        self.report_rows(~ok & ~empty, col, lambda i: f"{raw[i]!r} is not a whole number")
        whole = _text(pc.replace_substring_regex(text, r"\.0+$", ""))
        whole[~ok] = ""
        self.values[col] = whole

    def _history(self) -> None:
        dates = self.dates.get("close_date")
        if dates is None:
            return
        cut = self.since.isoformat()
        before = self.active & (dates != "") & (dates < cut)
        self.outcome[before] = "history"
        self.note(before, f"closed before {cut}: read for account ARR, not written", convert=False)

    def _people(self) -> None:
        col = PERSON_COLUMN.get(self.table)
        if col is None or col not in self.values or self.directory is None:
            return
        values = self.values[col]
        reps, found, missing = resolve_column(np.where(self.written, values, ""), self.directory, self.m.owners)
        self.report_rows(np.isin(values, list(missing)) & self.written, col, lambda i: missing[values[i]])
        uniq, counts = np.unique(values[self.written].astype(str), return_counts=True)
        for value, count in zip(uniq.tolist(), counts.tolist()):
            if value in found and found[value][0] != value:
                self.conversions.append((col, value, f"{found[value][0]} by {found[value][1]}", int(count)))
        self.values[col] = np.where(self.written, reps, values)

    def _required(self) -> None:
        for col, spec in self.spec.items():
            if not spec.value_required:
                continue
            if col not in self.values:
                if spec.required:
                    self.problems.add(self.file, "missing required column (map it or give it a default)", column=col)
                continue
            empty = (self.values[col] == "") & self.written
            bad_already = {p.row for p in self.problems.problems if p.column == col}
            for i in np.flatnonzero(empty).tolist():
                if int(self.rows[i]) not in bad_already:
                    self.problems.add(self.file, "a value is required", row=int(self.rows[i]), column=col)

    def _deals(self) -> None:
        v = self.values
        ids = v.get("deal_id")
        if ids is not None:
            written = np.flatnonzero(self.written & (ids != ""))
            seen: dict[str, int] = {}
            for i in written.tolist():
                first = seen.setdefault(ids[i], int(self.rows[i]))
                if first != int(self.rows[i]):
                    self.problems.add(self.file, f"duplicate deal_id {ids[i]!r} (also row {first})",
                                      row=int(self.rows[i]), column="deal_id")
        if "type" not in v or "arr" not in self.cents:
            return
        types = np.char.lower(v["type"].astype(str)).astype(object)
        v["type"] = types
        arr, _ = self.cents["arr"]
        prior, has_prior = self.cents.get("prior_arr", (np.zeros(self.n, np.int64), np.zeros(self.n, bool)))
        needed = self.written & (types == "renewal") & ~has_prior
        if not needed.any():
            return
        dates = self.dates.get("close_date", np.full(self.n, "", dtype=object))
        accounts = v.get("account_id", np.full(self.n, "", dtype=object))
        usable = self.active & (dates != "")
        derived, known = derive_prior(np.where(usable, accounts, "\0"), types, dates, arr, prior,
                                      has_prior & usable, needed & usable)
        negative = known & (derived < 0)
        for i in np.flatnonzero(needed & usable & ~known).tolist():
            self.problems.add(self.file, f"prior_arr cannot be derived: account {accounts[i]!r} has no land (or "
                              f"renewal with a prior ARR) before {dates[i]} in the export (export its earlier "
                              "deals and import with --since, or map a prior ARR column)",
                              row=int(self.rows[i]), column="prior_arr")
        for i in np.flatnonzero(needed & negative).tolist():
            self.problems.add(self.file, f"prior_arr cannot be derived: account {accounts[i]!r} has a negative "
                              f"ARR ({format_cents(int(derived[i]))}) before {dates[i]}",
                              row=int(self.rows[i]), column="prior_arr")
        good = needed & known & ~negative
        out = v.get("prior_arr", np.full(self.n, "", dtype=object)).copy()
        out[good] = format_cents_array(derived[good]).astype(object)
        v["prior_arr"] = out
        self.note(good, lambda i: f"prior_arr {out[i]} derived: the ARR of account {accounts[i]} before {dates[i]}")

    def output(self) -> pd.DataFrame:
        cols = [c for c in self.spec if c in self.values and c != "stage"]
        pick = self.written
        return pd.DataFrame({c: self.values[c][pick] for c in cols})


def _write(frame: pd.DataFrame, out: Path) -> None:
    """The whole file or nothing: written beside ``out`` and renamed over it."""
    out = Path(out)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent if str(out.parent) else ".")
    except OSError as e:
        raise InputError([_problem(out, f"cannot write here: {e.strerror or e}")])
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            frame.to_csv(f, index=False, lineterminator="\n")
        os.replace(tmp, out)
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        raise InputError([_problem(out, f"cannot write: {e.strerror or e}")])
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _problem(path, message):
    from compcalc.problems import Problem

    return Problem(str(path), message)
