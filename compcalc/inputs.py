"""Load and validate the CSV inputs (SPEC §2) into typed frames: the book a run works on.

Every check is vectorised over the whole file and every problem is collected with file, row (1 = first
data row), column and reason; the load ends with an :class:`InputError` listing all of them, or a
:class:`Book`. Money becomes int64 cents, dates datetime64, periods integer month indexes.
"""
from __future__ import annotations

import csv
import dataclasses
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from compcalc.frames import filled, text as as_text
from compcalc.inert_text import CONTROL, control_problem
from compcalc.money import HALF_UP, product, ratio, round_div
from compcalc.periods import months_of, parse_period, period as format_period
from compcalc.plans import Plan, load_plans
from compcalc.problems import Collector
from compcalc.schema import INPUTS, TABLES


@dataclass
class Book:
    """Validated inputs. Frames keep a ``row`` column: the source data row, for messages."""

    plans: dict[str, Plan]
    roster: pd.DataFrame
    deals: pd.DataFrame
    milestones: pd.DataFrame = field(default_factory=pd.DataFrame)
    metrics: pd.DataFrame = field(default_factory=pd.DataFrame)
    splits: pd.DataFrame = field(default_factory=pd.DataFrame)
    adjustments: pd.DataFrame = field(default_factory=pd.DataFrame)
    fx_rates: pd.DataFrame = field(default_factory=pd.DataFrame)
    sources: dict[str, str] = field(default_factory=dict)

    @property
    def currency(self) -> str:
        """The plans' currency (the most common one when plans differ)."""
        currencies = [p.currency for p in self.plans.values()]
        return max(sorted(set(currencies)), key=currencies.count) if currencies else "USD"  # ties: A–Z

    def as_of(self, through: int) -> "Book":
        """The book as finance knew it at the end of month ``through``: later deals, milestones, metrics
        and adjustments left out (so a churn after it cannot forfeit what was owed then)."""
        from compcalc.periods import last_day

        cutoff = np.datetime64(last_day(through), "ns")
        changes = {}
        for name, column in (("deals", "close_date"), ("milestones", "achieved_date")):
            frame = getattr(self, name)
            if len(frame):
                keep = frame[column].to_numpy(dtype="datetime64[ns]") <= cutoff
                if not keep.all():
                    changes[name] = frame[keep].reset_index(drop=True)
        for name in ("metrics", "adjustments"):
            frame = getattr(self, name)
            if len(frame):
                keep = frame["month"].to_numpy(np.int64) <= through
                if not keep.all():
                    changes[name] = frame[keep].reset_index(drop=True)
        return dataclasses.replace(self, **changes) if changes else self


# -- reading one table ---------------------------------------------------------------------------
# Reading and per-value checks run on Arrow: a multithreaded CSV reader, RE2 regexes and casts in C++,
# so a million-row export validates in about a second. Money is cast from text to decimal(17, 2) and
# then to integer cents: exact, with no binary floating point on the way.

MAX_CENTS = 99_999_999_999_999  # 999,999,999,999.99: the largest amount an input may hold
MAX_TERM_MONTHS = 1200  # contract terms and draw months: 100 years
MONEY_TEXT = r"^-?\d{1,12}(\.\d{1,2})?$"  # below a trillion: sums of lines stay far inside int64
TOO_LARGE = r"^-?\d{13,}(\.\d{1,2})?$"
TOO_MANY_DECIMALS = r"^-?\d{1,15}\.\d{3,}$"
NUMBER_TEXT = r"^-?\d+(\.\d+)?$"


def _read(path: Path, name: str, problems: Collector) -> tuple[dict[str, pa.Array], np.ndarray] | None:
    """The table's known columns as trimmed Arrow strings, keyed by lower-case column name, and each
    kept row's number (1 = first data row; blank lines are not counted)."""
    file = str(path)
    if not path.is_file():
        problems.add(file, "is a folder, not a file" if path.is_dir() else "no such file")
        return None
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            header = next(csv.reader(f), None)
    except UnicodeDecodeError:
        problems.add(file, "not UTF-8 text")
        return None
    except csv.Error as e:
        problems.add(file, f"not a readable CSV file: {e}")
        return None
    if not header:
        problems.add(file, "the file is empty (a header row is needed)")
        return None
    known = {c.name for c in TABLES[name]}
    # Columns are read by position, so unknown columns may repeat or have no name (an Excel export's
    # trailing ",,"); a known column given twice is ambiguous and reported.
    positional = [f"_{i}" for i in range(len(header))]
    chosen: dict[str, str] = {}
    for position, original in zip(positional, header):
        low = original.strip().lower()
        if "\n" in original or "\r" in original:  # a quoted line break: the name is not what it looks like
            joined = "".join(low.split())
            hint = f"; did you mean {joined}?" if joined in known else ""
            problems.add(file, f"the header's column name {original!r} holds a line break inside its quotes{hint}")
        if low in chosen:
            problems.add(file, "the column appears twice in the header", column=low)
        elif low in known:
            chosen[low] = position
    ragged: list[int] = []

    def on_ragged(row) -> str:
        ragged.append(row.actual_columns)
        return "skip"

    convert = pacsv.ConvertOptions(column_types={h: pa.string() for h in positional}, strings_can_be_null=False,
                                   quoted_strings_can_be_null=False, include_columns=list(chosen.values()))
    try:
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(column_names=positional, skip_rows=1),
            # a CRM note may hold line breaks inside quotes
            parse_options=pacsv.ParseOptions(invalid_row_handler=on_ragged, newlines_in_values=True),
            convert_options=convert)
    except pa.ArrowInvalid as e:
        if "Could not skip initial" in str(e):  # a header with no line break after it: no rows
            table = pa.table({pos: pa.array([], pa.string()) for pos in chosen.values()})
        elif "straddl" in str(e) or "block size" in str(e):  # Arrow's words for a row past its block
            row = _long_row(path)
            problems.add(file, "a row is longer than 1 MiB: is a quote (\") left open, so that the rest of "
                         "the file reads as one value?", row=row)
            return None
        else:
            reason = "not UTF-8 text" if "UTF8" in str(e) else f"not a readable CSV file: {e}"
            problems.add(file, reason)
            return None
    rows = np.arange(1, table.num_rows + 1)
    if ragged:
        rows = _number_rows(path, len(header), file, problems, fallback=rows)
    columns = {low: pc.utf8_trim_whitespace(table.column(pos).combine_chunks()) for low, pos in chosen.items()}
    return columns, rows


def _data_fields(f):
    """The fields of each data row of an open CSV file: the header and blank lines are skipped, as the
    fast reader skips them, so row numbers agree with Arrow's."""
    reader = csv.reader(f)
    next(reader, None)
    for fields in reader:
        if fields and not (len(fields) == 1 and not fields[0].strip()):
            yield fields


def _long_row(path: Path) -> int | None:
    """The data row (1 = first) where a value longer than Arrow's block starts, found with Python's
    csv reader (only read when Arrow gave up)."""
    limit = csv.field_size_limit()
    csv.field_size_limit(1 << 20)
    number = 0
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            for _ in _data_fields(f):
                number += 1
    except csv.Error:
        return number + 1
    except (OSError, UnicodeDecodeError):
        return None
    finally:
        csv.field_size_limit(limit)
    return None


def _number_rows(path: Path, width: int, file: str, problems: Collector, fallback: np.ndarray) -> np.ndarray:
    """Rows with more or fewer fields than the header: one problem each, and the numbers of the rows
    kept. Only read when such rows exist (a second, slower pass with Python's csv reader)."""
    kept: list[int] = []
    number = 0
    limit = csv.field_size_limit()
    csv.field_size_limit(2**31 - 1)  # a long note field is fine for Arrow, so it must be here too
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            for fields in _data_fields(f):
                number += 1
                if len(fields) == width:
                    kept.append(number)
                else:
                    problems.add(file, f"the row has {len(fields)} fields but the header has {width}", row=number)
    except csv.Error as e:
        problems.add(file, f"not a readable CSV file: {e}")
    finally:
        csv.field_size_limit(limit)
    return np.array(kept, dtype=np.int64) if len(kept) == len(fallback) else fallback


def _np(mask) -> np.ndarray:
    return np.asarray(mask.to_numpy(zero_copy_only=False), dtype=bool)


def parse_money(text: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(cents, bad_format, too_many_decimals) of a text column; empty text gives 0 cents."""
    ok = _np(pc.match_substring_regex(text, MONEY_TEXT))
    empty = _np(pc.equal(text, ""))
    if (ok | empty).all():  # the usual case: no need to tell bad text from too many decimals
        too_many = np.zeros(len(ok), dtype=bool)
    else:
        too_many = _np(pc.match_substring_regex(text, TOO_MANY_DECIMALS))
    clean = pc.if_else(pa.array(ok), text, "0")
    cents = pc.cast(pc.multiply(pc.cast(clean, pa.decimal128(17, 2)), pa.scalar(100)), pa.int64())
    return cents.to_numpy(zero_copy_only=False), ~ok & ~too_many & ~empty, too_many


FIRST_YEAR, LAST_YEAR = 1900, 2199  # dates a run can hold (nanosecond timestamps end in 2262)


def _parse_dates(text: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(dates, not_a_date, before FIRST_YEAR, after LAST_YEAR); out-of-range dates are NaT."""
    shaped = _np(pc.match_substring_regex(text, r"^\d{4}-\d{2}-\d{2}$"))
    # Year, month and day as integers, checked against the (proleptic Gregorian) calendar in numpy:
    # several times faster than strptime and formatting back to catch 2027-02-30.
    safe = pc.if_else(pa.array(shaped), text, "1970-01-01")
    year, month, day = (pc.cast(pc.utf8_slice_codeunits(safe, a, b), pa.int64()).to_numpy(zero_copy_only=False)
                        for a, b in ((0, 4), (5, 7), (8, 10)))
    month_ok = (month >= 1) & (month <= 12)
    months = (year - 1970) * 12 + np.where(month_ok, month, 1) - 1
    first = months.astype("datetime64[M]").astype("datetime64[D]")
    length = ((months + 1).astype("datetime64[M]").astype("datetime64[D]") - first).astype(np.int64)
    real = shaped & month_ok & (day >= 1) & (day <= length)
    early, late = real & (year < FIRST_YEAR), real & (year > LAST_YEAR)
    inside = real & ~early & ~late
    dates = (first + np.where(inside, day - 1, 0)).astype("datetime64[ns]")
    dates[~inside] = np.datetime64("NaT")
    empty = _np(pc.equal(text, ""))
    return dates, ~real & ~empty, early, late


def _parse_decimal(text: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    ok = _np(pc.match_substring_regex(text, NUMBER_TEXT))
    empty = _np(pc.equal(text, ""))
    values = np.where(ok, text.to_numpy(zero_copy_only=False), "0").astype(str)
    uniq, inv = np.unique(values, return_inverse=True)
    return np.array([Decimal(u) for u in uniq], dtype=object)[inv], ~ok & ~empty


def _typed(columns: dict[str, pa.Array], rows: np.ndarray, name: str, file: str,
           problems: Collector) -> pd.DataFrame:
    """Check columns and values of one table; returns a frame of typed columns (plus ``row``)."""
    spec = TABLES[name]
    for c in spec:
        if c.required and c.name not in columns:
            problems.add(file, "missing required column", column=c.name)
    n = len(rows)
    out = pd.DataFrame({"row": rows})

    def report(mask, message) -> None:
        for i in np.flatnonzero(np.asarray(mask)):
            problems.add(file, message(text[int(i)].as_py()), row=int(rows[i]), column=col.name)

    for col in spec:
        if col.name not in columns:
            continue
        text = columns[col.name]
        empty = _np(pc.equal(text, "")) if n else np.zeros(0, dtype=bool)
        if col.value_required:
            report(empty, lambda v: "a value is required")
        if col.kind == "text":
            # no writer can store them (openpyxl raises), and a terminal may obey them
            control = _np(pc.match_substring_regex(text, CONTROL)) if n else empty
            report(control, control_problem)
            out[col.name] = as_text(text.to_numpy(zero_copy_only=False))
        elif col.kind == "choice":
            lowered = pc.utf8_lower(text)
            known = _np(pc.is_in(lowered, value_set=pa.array(col.choices))) if n else empty
            report(~empty & ~known, lambda v: f"{v!r} is not one of {', '.join(col.choices)}")
            out[col.name] = as_text(lowered.to_numpy(zero_copy_only=False))
        elif col.kind == "date":
            dates, bad, early, late = _parse_dates(text)
            report(bad, lambda v: f"{v!r} is not a date (YYYY-MM-DD)")
            report(early, lambda v: f"{v!r} is before {FIRST_YEAR}")
            if not col.far_end_is_open:  # HR exports write 9999-12-31 for "no end": NaT, open
                report(late, lambda v: f"{v!r} is after {LAST_YEAR}")
            out[col.name] = dates
        elif col.kind == "money":
            cents, bad, too_many = parse_money(text)
            large = bad & _np(pc.match_substring_regex(text, TOO_LARGE)) if bad.any() else bad
            report(bad & ~large, lambda v: f"{v!r} is not an amount")
            report(large, lambda v: f"{v!r} is too large (at most 999999999999.99)")
            report(too_many, lambda v: f"{v!r} has more than 2 decimals")
            if col.non_negative:
                report(cents < 0, lambda v: f"must not be negative (got {v})")
            out[col.name] = pd.arrays.IntegerArray(cents.astype(np.int64), empty.copy())
        elif col.kind == "int":
            ok = _np(pc.match_substring_regex(text, r"^\d{1,17}$"))
            report(~ok & ~empty, lambda v: f"{v!r} is not a whole number")
            values = pc.cast(pc.if_else(pa.array(ok), text, "0"), pa.int64()).to_numpy(zero_copy_only=False)
            out[col.name] = pd.arrays.IntegerArray(values.astype(np.int64), ~ok)
        elif col.kind == "decimal":
            values, bad = _parse_decimal(text)
            report(bad, lambda v: f"{v!r} is not a number")
            if col.non_negative:
                report(np.array([v < 0 for v in values], dtype=bool) & ~bad, lambda v: f"must not be negative (got {v})")
            if col.max_value is not None:
                over = np.array([v > col.max_value for v in values], dtype=bool) & ~bad
                report(over, lambda v: f"{v!r} is more than {col.max_value:,}")
                bad = bad | over
            if col.max_places is not None:
                places = np.array([-v.normalize().as_tuple().exponent > col.max_places for v in values],
                                  dtype=bool)  # 0.500000000000 (Excel) is 0.5
                report(places & ~bad, lambda v: f"{v!r} has more than {col.max_places} decimals")
                bad = bad | places
            out[col.name] = values
            out[col.name + "_given"] = ~empty & ~bad  # a usable value, for the cross-row checks
        elif col.kind == "period":
            raw = text.to_numpy(zero_copy_only=False).astype(str)
            uniq, inv = np.unique(raw, return_inverse=True)
            months = np.array([parse_period(u) if u else None for u in uniq], dtype=object)[inv]
            report(~empty & np.array([m is None for m in months], dtype=bool),
                   lambda v: f"{v!r} is not a period (YYYY-MM)")
            out["month"] = np.array([m if m is not None else -1 for m in months], dtype=np.int64)
            out[col.name] = as_text(raw)
    return out


# -- the book ------------------------------------------------------------------------------------

def load_book(plans, roster, deals, milestones=None, metrics=None, splits=None, adjustments=None,
              fx_rates=None) -> Book:
    """Load plans and every input file; raise InputError with all problems, or return the Book.

    ``plans`` is a list of plan files/folders or an already-loaded ``{plan_id: Plan}``.
    """
    problems = Collector()
    plan_map = plans if isinstance(plans, dict) else load_plans(plans, problems)
    arguments = locals()  # load_book takes each input file by its name in INPUTS (tests/test_schema.py)
    given = {f.name: arguments[f.name] for f in INPUTS}
    tables: dict[str, pd.DataFrame] = {}
    sources: dict[str, str] = {}
    for name, path in given.items():
        if path is None:
            continue
        sources[name] = str(path)
        read = _read(Path(path), name, problems)
        if read is None:
            continue
        raw, rows = read
        # A table missing a required column is reported once and left out of the cross-file checks.
        if all(c.name in raw for c in TABLES[name] if c.required):
            tables[name] = _typed(raw, rows, name, str(path), problems)
        else:
            _typed(raw, rows, name, str(path), problems)
    book = Book(plans=plan_map, roster=tables.get("roster", _empty("roster")),
                deals=tables.get("deals", _empty("deals")), sources=sources)
    for name in (f.name for f in INPUTS if not f.required):
        setattr(book, name, tables.get(name, _empty(name)))
    if "roster" in tables:
        _check_roster(book, problems)
    if "deals" in tables:
        _check_deals(book, problems)
    _check_references(book, problems, set(tables))
    if "splits" in tables and "deals" in tables:
        _check_splits(book, problems)
    if "fx_rates" in tables or "deals" in tables:
        _convert_currencies(book, problems)
    problems.raise_if_any()
    _finish(book)
    return book


def _empty(name: str) -> pd.DataFrame:
    cols = {"row": np.array([], dtype=np.int64)}
    for c in TABLES[name]:
        cols[c.name] = np.array([], dtype=object)
        if c.kind == "period":
            cols["month"] = np.array([], dtype=np.int64)
    return pd.DataFrame(cols)


def _fill_optional(frame: pd.DataFrame, name: str) -> None:
    for c in TABLES[name]:
        if c.name in frame.columns:
            continue
        n = len(frame)
        if c.kind in ("money", "int"):
            frame[c.name] = pd.arrays.IntegerArray(np.zeros(n, dtype=np.int64), np.ones(n, dtype=bool))
        elif c.kind == "date":
            frame[c.name] = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
        else:
            frame[c.name] = as_text(filled(n, ""))


def _check_roster(book: Book, problems: Collector) -> None:
    r = book.roster
    _fill_optional(r, "roster")
    file = book.sources["roster"]
    start, end = r["start_date"].to_numpy(), r["end_date"].to_numpy()
    both = ~pd.isna(start) & ~pd.isna(end)
    for i in np.flatnonzero(both & (end < start)):
        problems.add(file, "end_date is before start_date", row=int(r["row"].iat[i]), column="end_date")
    # with no plan loaded at all, the plans' problem is the one to read, not one per roster row
    for i in np.flatnonzero(~r["plan_id"].isin(list(book.plans)).to_numpy() & (r["plan_id"] != "").to_numpy()
                            & bool(book.plans)):
        problems.add(file, f"plan_id {r['plan_id'].iat[i]!r} is not defined by any plan file",
                     row=int(r["row"].iat[i]), column="plan_id")
    # a zero quota divides by zero where it overrides one (SPEC §2); elsewhere it is inert (HR exports write 0)
    quota_plans = [pid for pid, p in book.plans.items() if p.components_of("quota_attainment")]
    unreadable = r["row"].isin(problems.flagged(file, "quota")).to_numpy()
    zero = (r["quota"] == 0).fillna(False).to_numpy(bool) & r["plan_id"].isin(quota_plans).to_numpy()
    for i in np.flatnonzero(zero & ~unreadable):
        problems.add(file, "quota must be more than 0 (leave it empty to use the plan's quota)",
                     row=int(r["row"].iat[i]), column="quota")
    # Overlapping assignments of one rep: sort by start and compare with the previous row's end.
    valid = r[~pd.isna(r["start_date"])].sort_values(["rep_id", "start_date"], kind="stable")
    same_rep = valid["rep_id"].to_numpy(object)[1:] == valid["rep_id"].to_numpy(object)[:-1]
    prev_end = valid["end_date"].to_numpy()[:-1]
    this_start = valid["start_date"].to_numpy()[1:]
    overlap = same_rep & (pd.isna(prev_end) | (this_start <= prev_end))
    for i in np.flatnonzero(overlap):
        a, b = valid.iloc[i], valid.iloc[i + 1]
        problems.add(file, f"the dates of rep {b['rep_id']!r} overlap row {int(a['row'])} "
                     f"({_span(a)} and {_span(b)})", row=int(b["row"]), column="start_date")
    reps = set(r["rep_id"])
    managers = r["manager_id"].to_numpy(object)
    for i in np.flatnonzero((managers != "") & ~r["manager_id"].isin(reps).to_numpy()):
        problems.add(file, f"manager {managers[i]!r} is not in the roster", row=int(r["row"].iat[i]),
                     column="manager_id")
    for i in np.flatnonzero((r["draw_months"].fillna(0) > MAX_TERM_MONTHS).to_numpy(dtype=bool)):
        problems.add(file, f"must be at most {MAX_TERM_MONTHS} (got {int(r['draw_months'].iat[i])})",
                     row=int(r["row"].iat[i]), column="draw_months")
    dt_ = r["draw_type"].to_numpy(object)
    r["draw_type"] = as_text(np.where(dt_ == "", "recoverable", dt_).astype(object))


def _span(row) -> str:
    start = pd.Timestamp(row["start_date"]).date().isoformat()
    end = "open" if pd.isna(row["end_date"]) else pd.Timestamp(row["end_date"]).date().isoformat()
    return f"{start} to {end}"


def _check_deals(book: Book, problems: Collector, *, won_only: bool = True) -> None:
    """The deals' own checks; ``won_only`` refuses a stage that is not closed-won (a pipeline's deals
    are open by definition)."""
    d = book.deals
    file = book.sources["deals"]
    if won_only and "stage" in d.columns:  # a raw export must not be paid by accident
        from compcalc.stages import refuse_unwon
        refuse_unwon(d["stage"].to_numpy(object), d["row"].to_numpy(), file, problems)
    _fill_optional(d, "deals")
    ids = d["deal_id"].to_numpy(object)
    dup = pd.Series(ids).duplicated(keep="first").to_numpy() & (ids != "")
    if dup.any():
        first_row = pd.Series(d["row"].to_numpy(), index=ids).groupby(level=0).first()
        for i in np.flatnonzero(dup):
            problems.add(file, f"duplicate deal_id {ids[i]!r} (also row {int(first_row[ids[i]])})",
                         row=int(d["row"].iat[i]), column="deal_id")
    kinds = d["type"].to_numpy(object)
    no_prior = (kinds == "renewal") & d["prior_arr"].isna().to_numpy()
    for i in np.flatnonzero(no_prior):
        problems.add(file, "required for a renewal", row=int(d["row"].iat[i]), column="prior_arr")
    new = d[kinds == "new"]
    second = new["account_id"].duplicated(keep="first").to_numpy()
    if second.any():
        first_row = new.groupby("account_id")["row"].first()
        for _, row in new[second].iterrows():
            problems.add(file, f"account {row['account_id']!r} has a second new deal (its land is row "
                         f"{int(first_row[row['account_id']])})", row=int(row["row"]), column="type")
    term = d["term_months"]
    zero = (term.fillna(1) <= 0).to_numpy(dtype=bool)
    for i in np.flatnonzero(zero):
        problems.add(file, "must be at least 1", row=int(d["row"].iat[i]), column="term_months")
    # README "Bounds": a 100-year contract is beyond any book, and arr × term must stay exact in int64
    for i in np.flatnonzero((term.fillna(1) > MAX_TERM_MONTHS).to_numpy(dtype=bool)):
        problems.add(file, f"must be at most {MAX_TERM_MONTHS} (got {int(term.iat[i])})", row=int(d["row"].iat[i]),
                     column="term_months")


def _check_references(book: Book, problems: Collector, complete: set[str]) -> None:
    """Every rep named anywhere must be in the roster (a typo or a missing hire)."""
    known = "roster" in complete
    reps = set(book.roster["rep_id"]) if known else set()
    checks = (("deals", "owner_id"), ("milestones", "csm_id"), ("metrics", "rep_id"),
              ("splits", "rep_id"), ("adjustments", "rep_id"))
    for table, column in checks:
        frame = getattr(book, table)
        if table not in complete or not known:
            continue
        values = frame[column].to_numpy(object)
        unknown = (values != "") & ~frame[column].isin(reps).to_numpy()
        for i in np.flatnonzero(unknown):
            problems.add(book.sources[table], f"rep {values[i]!r} is not in the roster",
                         row=int(frame["row"].iat[i]), column=column)


def _check_splits(book: Book, problems: Collector) -> None:
    s = book.splits
    _fill_optional(s, "splits")
    mode = s["mode"].to_numpy(object)
    s["mode"] = as_text(np.where(mode == "", "split", mode).astype(object))
    file = book.sources["splits"]
    deal_ids = set(book.deals["deal_id"])
    for i in np.flatnonzero(~s["deal_id"].isin(deal_ids).to_numpy() & (s["deal_id"] != "").to_numpy()):
        problems.add(file, f"deal {s['deal_id'].iat[i]!r} is not in the deals file", row=int(s["row"].iat[i]),
                     column="deal_id")
    overlay = s["mode"].to_numpy(object) == "overlay"
    twice = s.duplicated(["deal_id", "rep_id"]).to_numpy()
    if twice.any():  # SPEC §8.8: a rep is split or overlay on a deal, not both
        modes = s.groupby(["deal_id", "rep_id"], sort=False)["mode"].nunique()
        for i in np.flatnonzero(twice):
            deal_id, rep_id = s["deal_id"].iat[i], s["rep_id"].iat[i]
            both = modes[(deal_id, rep_id)] > 1
            problems.add(file, f"rep {rep_id!r} is both split and overlay on deal {deal_id!r}" if both else
                         f"rep {rep_id!r} is listed twice for deal {deal_id!r}",
                         row=int(s["row"].iat[i]), column="mode" if both else "rep_id")
    shares = s["share"].to_numpy(object)
    text = np.array([str(v) for v in shares], dtype=object)
    distinct = {t: Decimal(t) for t in set(text)}  # by text: 0.5 and 0.50 are equal Decimals, one key
    out_of_range = {v for v, d in distinct.items() if d == 0 or d > 1}  # negatives are reported already
    given = s["share_given"].to_numpy(bool)
    known_mode = np.isin(s["mode"].to_numpy(object), ["split", "overlay"])  # a bad mode is reported already
    for i in np.flatnonzero(pd.Series(text).isin(out_of_range).to_numpy() & given) if out_of_range else []:
        what = "an overlay share" if overlay[i] else "share"
        problems.add(file, f"{what} must be more than 0 and at most 1 (got {s['share'].iat[i]})",
                     row=int(s["row"].iat[i]), column="share")
    # Exact sums as integers over a common power of ten (a Decimal sum per deal is slow at 300k deals).
    # Overlay shares are on top of the deal: only split shares must add up to 1.
    places = max([0] + [-d.as_tuple().exponent for d in distinct.values()])
    units = pd.Series(text).map({v: int(d.scaleb(places)) for v, d in distinct.items()}).to_numpy(
        np.int64 if places <= 17 else object)
    has_overlay = set(s["deal_id"].to_numpy(object)[overlay]) if overlay.any() else set()
    split = ~overlay
    totals = pd.DataFrame({"deal_id": s["deal_id"].to_numpy(object)[split], "units": units[split],
                           "row": s["row"].to_numpy()[split], "given": (given & known_mode)[split]}) \
        .groupby("deal_id", sort=False).agg(units=("units", "sum"), row=("row", "first"), given=("given", "all"))
    for deal_id, t in totals[(totals["units"] != 10 ** places) & totals["given"]].iterrows():
        total = Decimal(int(t["units"])).scaleb(-places)
        problems.add(file, f"the split shares of deal {deal_id!r} add up to {total}, not exactly 1 (overlay "
                     "shares do not count)" if deal_id in has_overlay else
                     f"the shares of deal {deal_id!r} add up to {total}, not exactly 1", row=int(t["row"]),
                     column="share")


def _convert_currencies(book: Book, problems: Collector) -> None:
    """Convert deal money into the plan currency at the close month's rate, rounded to cents.

    When plans differ in currency or rounding, "the plan" is the plan the deal's owner holds on the
    close date (the book's currency and half_up for an owner with no assignment then)."""
    d = book.deals
    if "currency" not in d.columns or not len(d):
        return
    d["currency"] = as_text(pc.utf8_upper(pa.array(d["currency"].to_numpy(object), pa.string()))
                            .to_numpy(zero_copy_only=False))  # "eur" is EUR
    cur = d["currency"].to_numpy(object)
    dated = ~pd.isna(d["close_date"]).to_numpy()  # a bad close_date is reported already
    candidates = np.flatnonzero((cur != "") & dated)
    if not len(candidates):
        return
    plans = list(book.plans.values())
    if len({p.currency for p in plans}) <= 1 and len({p.rounding for p in plans}) <= 1:
        target = filled(len(candidates), book.currency)
        modes = filled(len(candidates), plans[0].rounding if plans else HALF_UP)
    else:
        owners = _owner_plans(book, d["owner_id"].to_numpy(object)[candidates],
                              d["close_date"].to_numpy()[candidates])
        target = np.array([p.currency if p else book.currency for p in owners], dtype=object)
        modes = np.array([p.rounding if p else HALF_UP for p in owners], dtype=object)
    keep = cur[candidates] != target
    idx, modes = candidates[keep], modes[keep]
    if not len(idx):
        return
    months = months_of(d["close_date"].to_numpy()[idx])
    table = _rate_table(book, problems)
    rates = np.empty(len(idx), dtype=object)
    for k, i in enumerate(idx):
        rates[k] = table.get((cur[i], int(months[k])))
        if rates[k] is None:
            where = book.sources.get("fx_rates", "--fx-rates (not given)")
            problems.add(book.sources["deals"], f"no {cur[i]} rate for {format_period(int(months[k]))} in {where}",
                         row=int(d["row"].iat[i]), column="currency")
    if problems:
        return
    ratios = [ratio(r) for r in rates]
    num = np.array([n for n, _ in ratios], dtype=object)
    den = np.array([q for _, q in ratios], dtype=object)
    for col in ("arr", "tcv", "prior_arr"):
        values = d[col].to_numpy(dtype=np.int64, na_value=0)
        missing = d[col].isna().to_numpy()
        converted = product(values[idx].astype(object), num)
        # README "Bounds": a converted amount is money too, at most 999,999,999,999.99
        over = (2 * converted >= (2 * MAX_CENTS + 1) * den) & ~missing[idx]  # rounds to more than the bound
        for k in np.flatnonzero(over):
            problems.add(book.sources["deals"], f"{col} converted at the {cur[idx[k]]} rate {rates[k]} is more than "
                         "999,999,999,999.99", row=int(d["row"].iat[idx[k]]), column=col)
        converted[over] = 0
        for mode in set(modes):  # SPEC §3 Rounding: the plan's rounding
            at = modes == mode
            values[idx[at]] = round_div(converted[at], den[at], mode)
        d[col] = pd.arrays.IntegerArray(values, missing)
    fx = filled(len(d), "") if "fx_rate" not in d.columns else d["fx_rate"].to_numpy(object).copy()
    fx[idx] = [str(r) for r in rates]
    d["fx_rate"] = as_text(fx)


def _owner_plans(book: Book, owners: np.ndarray, dates: np.ndarray) -> list[Plan | None]:
    """The plan each owner holds on each date (None when the owner holds none)."""
    from compcalc.assignments import AssignmentIndex

    index = AssignmentIndex.of_roster(book.roster)
    return [book.plans.get(p) for p in index.plan_ids(index.at(owners, dates)).tolist()]


def _rate_table(book: Book, problems: Collector) -> dict[tuple[str, int], Decimal]:
    """(currency, month) → rate; two different rates for one currency and month are an error."""
    fx = book.fx_rates
    table: dict[tuple[str, int], Decimal] = {}
    first_row: dict[tuple[str, int], int] = {}
    if not len(fx):
        return table
    for c, m, v, row in zip(fx["currency"], fx["month"], fx["rate"], fx["row"]):
        key = (str(c).upper(), int(m))
        if key in table and table[key] != v:
            problems.add(book.sources["fx_rates"], f"a second, different {key[0]} rate for "
                         f"{format_period(key[1])} (row {first_row[key]} has {table[key]})",
                         row=int(row), column="rate")
        elif key not in table:
            table[key], first_row[key] = v, int(row)
    return table


def _finish(book: Book) -> None:
    """Defaults that need valid data: term 12, first milestone per account, sorted frames."""
    d = book.deals
    if len(d):
        d["term_months"] = d["term_months"].fillna(12).astype(np.int64)
    m = book.milestones
    if len(m):
        book.milestones = (m.sort_values(["achieved_date", "row"], kind="stable")
                           .drop_duplicates(["account_id", "milestone"], keep="first")
                           .sort_values("row", kind="stable").reset_index(drop=True))
    book.roster = book.roster.reset_index(drop=True)

