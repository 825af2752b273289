"""The ledger line: one money movement for one rep in one month, carrying the facts that explain it.

Components return frames with these columns (``month`` is an integer month index, money is int64
cents). ``basis`` is the money figure the amount was computed from and ``rate`` the factor applied,
as exact decimal text, so that round(basis × rate) = amount wherever both are present (a forfeit: the
forfeited value as basis and no rate; a clawback: what was paid, rate -1); ``installment`` /
``installments`` number a vesting installment. ``facts`` holds, where a line needs them, the other
figures a statement or ``why`` shows — a typed record declared by the component (``@fact_type``),
e.g. a quota line's quota, tier and earnings to date — and is None elsewhere. ``note`` is rendered
from the figures for people and is never read back.
"""
from __future__ import annotations

import json
import typing
from typing import Annotated

import numpy as np
import pandas as pd

from compcalc.frames import filled, text
from compcalc.schema import LINE_FRAME

COLUMNS = LINE_FRAME  # the line schema: compcalc.schema.LINE

#: Field types of fact records: money in cents and month indexes are ints that lines.csv writes as
#: "1234.56" and "2027-03"; plain ints and str (exact decimal text such as a rate) are written as they are.
Cents = Annotated[int, "cents"]
Month = Annotated[int, "month"]

#: Fact record types by name, for the ledger to store them and read them back.
FACT_TYPES: dict[str, type] = {}
_CSV_FORMATS: dict[type, tuple] = {}


def fact_type(cls):
    """Register a NamedTuple of line facts (ints for money in cents and months, str for rates)."""
    if FACT_TYPES.setdefault(cls.__name__, cls) is not cls:
        raise RuntimeError(f"fact type {cls.__name__} declared twice")
    return cls


def facts_to_json(facts) -> str | None:
    """A fact record as JSON text for storage ({"type": name, field: value …}); None stays None."""
    if facts is None:
        return None
    return json.dumps({"type": type(facts).__name__, **facts._asdict()}, separators=(",", ":"))


def facts_from_json(text: str | None):
    if not text:
        return None
    data = json.loads(text)
    return FACT_TYPES[data.pop("type")](**data)


def _kind(hint) -> str | None:
    """"cents", "month" or None for a field's type hint (``Cents``, ``Cents | None`` …)."""
    for h in (hint, *typing.get_args(hint)):
        meta = getattr(h, "__metadata__", None)
        if meta:
            return meta[0]
    return None


def csv_fields(cls) -> tuple[tuple[str, str | None], ...]:
    """(field, "cents" | "month" | None) of a fact type, in order: how lines.csv writes each field
    (money as "1234.56", months as "2027-03", anything else as its text)."""
    kinds = _CSV_FORMATS.get(cls)
    if kinds is None:
        hints = typing.get_type_hints(cls, include_extras=True)
        kinds = _CSV_FORMATS[cls] = tuple((f, _kind(hints[f])) for f in cls._fields)
    return kinds


# Kinds of line (the ``kind`` column).
UPFRONT, INSTALLMENT, FORFEIT, CLAWBACK = "upfront", "installment", "forfeit", "clawback"
COMMISSION, CLOSER_EXPANSION, QUOTA, BONUS, OVERRIDE = "commission", "closer_expansion", "quota", "bonus", "override"
KICKER, TRUE_UP = "kicker", "true_up"  # SPEC §8.3, §8.2
DRAW, MANUAL_ADJUSTMENT = "draw", "manual_adjustment"
PRIOR_PERIOD_ADJUSTMENT = "prior_period_adjustment"


def _col(value, n) -> pd.Series:
    """A text column; a scalar broadcasts (same object in every row, no copies)."""
    return text(filled(n, value) if isinstance(value, str) else value)


def _ints(value, n) -> pd.arrays.IntegerArray:
    """Nullable integers: ``None`` means not applicable for every row."""
    if value is None:
        return pd.arrays.IntegerArray(np.zeros(n, dtype=np.int64), np.ones(n, dtype=bool))
    if isinstance(value, pd.arrays.IntegerArray):  # already nullable: some rows have no figure
        return value.astype("Int64")
    values = np.broadcast_to(np.asarray(value, dtype=np.int64), (n,)).copy()
    return pd.arrays.IntegerArray(values, np.zeros(n, dtype=bool))


def _facts(value, n) -> np.ndarray:
    """Fact records (one per row, or None); None for every row when not given."""
    if value is None:
        return np.empty(n, dtype=object)  # all None
    if isinstance(value, tuple):  # one record for every row
        value = [value] * n
    return np.fromiter(value, dtype=object, count=n)  # no broadcasting into the records' fields


def make_lines(*, rep_id, month, amount, plan_id="", component_id="", deal_id="", account_id="",
               kind="", basis=None, rate="", installment=None, installments=None, note="",
               facts=None) -> pd.DataFrame:
    """Build a line frame; scalars broadcast. ``basis``/``installment``/``facts`` default to 'not
    applicable'; ``facts`` is a sequence of fact records (or None) per row."""
    amount = np.asarray(amount, dtype=np.int64)
    n = len(amount)
    return pd.DataFrame(copy=False, data={
        "rep_id": _col(rep_id, n),
        "month": np.broadcast_to(np.asarray(month, dtype=np.int64), (n,)).copy(),
        "plan_id": _col(plan_id, n),
        "component_id": _col(component_id, n),
        "deal_id": _col(deal_id, n),
        "account_id": _col(account_id, n),
        "kind": _col(kind, n),
        "basis": _ints(basis, n),
        "rate": _col(rate, n),
        "amount": amount,
        "installment": _ints(installment, n),
        "installments": _ints(installments, n),
        "note": _col(note, n),
        "facts": text(_facts(facts, n)),
    })


# Deleting a column costs pandas ~0.1 ms whatever its length: worth it to free a big run's memory,
# pure overhead for the many small concatenations of a what-if (54 runs of a small book).
RELEASE_ROWS = 100_000


def concat_lines(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate line frames column by column, emptying big parts as it goes.

    ``pd.concat`` holds every part and the result at once; this holds the parts and one column, which
    is what keeps a million-deal run under its memory budget. Parts of a big concatenation are left
    without columns; small ones are left as they are (see RELEASE_ROWS).
    """
    frames = [f for f in frames if len(f)]
    if not frames:
        return empty_lines()
    release = sum(len(f) for f in frames) >= RELEASE_ROWS
    out = {}
    for c in COLUMNS:
        parts = [f[c] for f in frames]
        if isinstance(parts[0].dtype, pd.Int64Dtype):
            values = np.concatenate([p.to_numpy(dtype=np.int64, na_value=0) for p in parts])
            out[c] = pd.arrays.IntegerArray(values, np.concatenate([p.isna().to_numpy() for p in parts]))
        elif parts[0].dtype == object:
            out[c] = text(np.concatenate([p.to_numpy(dtype=object) for p in parts]))
        else:
            out[c] = np.concatenate([p.to_numpy() for p in parts])
        del parts
        if release:
            for f in frames:
                del f[c]
    return pd.DataFrame(out, copy=False)


def empty_lines() -> pd.DataFrame:
    return make_lines(rep_id=np.array([], dtype=object), month=np.array([], dtype=np.int64),
                      amount=np.array([], dtype=np.int64))
