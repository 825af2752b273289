"""The compute stage and what a run produces: every component's lines (``component_lines``), which of
them move money, their order, and ``RunResult``. ``compcalc.pipeline.run`` strings the stages together.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from compcalc import ledger_lines as L
from compcalc.crediting import Context
from compcalc.frames import factorize_text, text
from compcalc.inputs import Book
from compcalc.money import MAX_RUN_CENTS, display
from compcalc.problems import Collector, InputError, Problem


@dataclass
class RunResult:
    """Everything a run produced. ``lines`` and ``register`` use integer months and cents."""

    book: Book
    context: Context
    lines: pd.DataFrame
    register: pd.DataFrame
    unassigned: pd.DataFrame
    first_month: int
    through_month: int
    #: Lines dated before the run's first month (the earliest plan-year start): (count, cents). They are
    #: outside the run, so not written or paid; the CLI warns about them.
    before_start: tuple[int, int] = (0, 0)
    #: With a ledger: the lines the inputs imply, before closed months are put back as recorded
    #: (statements' vesting blocks show these, so they match a fresh run, adjustments included).
    implied_lines: pd.DataFrame | None = None
    #: With a ledger: the closed months (month → run paid as) put back as recorded, so the ledger can
    #: refuse to record the run if they changed meanwhile; None for a fresh run.
    closed_months: dict[int, int] | None = None
    #: With ``pipeline.run(..., schedule=True)``: the lines already scheduled after ``through_month``
    #: (installments still to vest, forfeits), in line order; None when the run was not asked for them.
    scheduled: pd.DataFrame | None = None


def adjustment_lines(book: Book) -> pd.DataFrame:
    a = book.adjustments
    if not len(a):
        return L.empty_lines()
    return L.make_lines(rep_id=a["rep_id"].to_numpy(object), month=a["month"].to_numpy(np.int64),
                        component_id="adjustment", kind=L.MANUAL_ADJUSTMENT,
                        amount=a["amount"].to_numpy(dtype=np.int64, na_value=0), note=a["reason"].to_numpy(object))


def component_lines(ctx: Context) -> pd.DataFrame:
    problems = Collector()
    frames = []
    for plan in ctx.plans.values():
        for i, component in enumerate(plan.components):
            try:
                frames.append(component.compute(plan, ctx))
            except OverflowError:  # an exact amount beyond int64 cents: refused, never wrapped
                problems.add(plan.source or plan.plan_id, f"component {component.id!r} computes an amount of more "
                             f"than {display(MAX_RUN_CENTS)}, beyond what compcalc pays exactly "
                             "(README: Bounds)", line=plan.line_of("components", i), path=f"components[{i}]")
    problems.raise_if_any()
    frames.append(adjustment_lines(ctx.book))
    lines = L.concat_lines(frames)
    _check_total(lines, ctx.book)
    return lines


def _check_total(lines: pd.DataFrame, book: Book) -> None:
    """Every sum of lines (nets, carries, totals, amortisation × months) stays exact in int64 when all
    of them together move at most MAX_RUN_CENTS."""
    amount = lines["amount"].to_numpy(np.int64)
    if not len(amount) or float(np.abs(amount.astype(np.float64)).sum()) < MAX_RUN_CENTS * 0.99:
        return
    if sum(abs(int(v)) for v in amount) <= MAX_RUN_CENTS:  # near the bound: the exact sum decides
        return
    top = int(np.argmax(np.abs(amount)))
    deal = str(lines["deal_id"].iat[top])
    raise InputError([Problem(book.sources.get("deals", "deals.csv"),
                              f"the lines of this run move more than {display(MAX_RUN_CENTS)} in all, beyond what "
                              f"compcalc pays exactly (README: Bounds); the largest is {display(int(amount[top]))}"
                              + (f" on deal {deal!r}" if deal else ""))])


def moves_money(lines: pd.DataFrame) -> np.ndarray:
    """SPEC §5: one row per money movement, so zero amounts (upfront_pct 0, nothing left to vest, a
    zero rate) are dropped; forfeits keep theirs (amount 0, forfeited value in basis), and manual
    adjustments stay as finance entered them."""
    kind = lines["kind"].to_numpy(object)
    forfeited = (kind == L.FORFEIT) & (lines["basis"].to_numpy(dtype=np.int64, na_value=0) != 0)
    return (lines["amount"].to_numpy() != 0) | forfeited | (kind == L.MANUAL_ADJUSTMENT)


SORT_KEYS = ["rep_id", "month", "plan_id", "component_id", "deal_id", "kind"]


def sort_lines(lines: pd.DataFrame, rows: np.ndarray | None = None, *, consume: bool = False,
               extra: pd.DataFrame | None = None) -> pd.DataFrame:
    """The lines (or only ``rows`` of them), and every line of ``extra`` after them, ordered by rep,
    month, plan, component, deal and kind.

    ``extra`` (a few lines made after the rest, such as draw top-ups) is sorted in without first
    concatenating the two frames: each column is taken once, from one frame or the other.
    ``consume`` lets the sort drop each column of ``lines`` once it is copied, so a big run holds one
    copy of its lines at a time rather than two.
    """
    rows = np.arange(len(lines)) if rows is None else np.asarray(rows, dtype=np.int64)
    n = len(lines)
    if extra is not None and len(extra):
        rows = np.concatenate([rows, n + np.arange(len(extra))])  # row n + i is extra's i-th line
    else:
        extra = None

    def key(c):
        values = lines[c].to_numpy() if c == "month" else lines[c]
        if extra is None:
            return values
        return np.concatenate([np.asarray(values), np.asarray(extra[c].to_numpy() if c == "month" else extra[c])])

    ranks = [_ranks(key(c), rows) for c in SORT_KEYS]
    size = 1
    for _, k in ranks:
        size *= max(k, 1)
    if size < 2**62:  # one mixed-radix key sorts faster than a lexsort over six
        order_key = np.zeros(len(rows), dtype=np.int64)
        for r, k in ranks:
            order_key = order_key * max(k, 1) + r
        order = np.argsort(order_key, kind="stable")
    else:
        order = np.lexsort([r for r, _ in reversed(ranks)])
    del ranks
    take = rows[order]
    out = {}
    for c in list(lines.columns):
        out[c] = _take(lines[c], take) if extra is None else _take_from_two(lines[c], extra[c], take, n)
        if consume:
            del lines[c]
    return pd.DataFrame(out, copy=False)  # the columns are fresh: no need to consolidate them


def _take_from_two(col: pd.Series, after: pd.Series, take: np.ndarray, n: int):
    """The values at ``take`` of ``col`` followed by ``after`` (positions from ``n`` on are in ``after``),
    taken in one pass over ``col``: the few positions in ``after`` are filled in afterwards."""
    late = np.flatnonzero(take >= n)
    first = np.minimum(take, max(n - 1, 0))
    if n == 0 or col.dtype != after.dtype:
        return _take(pd.concat([col, after], ignore_index=True), take)
    if isinstance(col.array, pd.arrays.IntegerArray):
        data, mask = col.array._data[first], col.array._mask[first]
        data[late], mask[late] = after.array._data[take[late] - n], after.array._mask[take[late] - n]
        return pd.arrays.IntegerArray(data, mask)
    if isinstance(col.dtype, np.dtype):  # text as objects, months and amounts as int64
        values = col.to_numpy()[first]
        values[late] = after.to_numpy()[take[late] - n]
        return text(values) if col.dtype == object else values
    return _take(pd.concat([col, after], ignore_index=True), take)


def _ranks(col, rows: np.ndarray) -> tuple[np.ndarray, int]:
    """Each row's rank among the column's distinct values (in sort order), and how many there are."""
    if isinstance(col, np.ndarray) and col.dtype != object:
        values = col[rows]
        lo = int(values.min()) if len(values) else 0
        return values.astype(np.int64) - lo, (int(values.max()) - lo + 1) if len(values) else 1
    codes, uniques = factorize_text(col)  # unsorted is faster; rank the uniques instead
    if len(codes) and codes.min() < 0:  # text holds "" for none, so this is rare: NA then ranks as a value
        codes, uniques = pd.factorize(col, use_na_sentinel=False)
    rank = np.empty(len(uniques), dtype=np.int64)
    rank[_text_order(uniques)] = np.arange(len(uniques))
    return rank[codes[rows]], len(uniques)


def _text_order(uniques) -> np.ndarray:
    """The order that sorts distinct values. Text sorts in Arrow (3× faster for a run's 250,000 deal ids);
    UTF-8 byte order is code point order, which is how Python compares str, so the order is the same."""
    values = np.asarray(uniques, dtype=object)
    if len(values) > 1_000:
        try:
            text_ = pa.array(values, type=pa.string(), from_pandas=False)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            text_ = None
        if text_ is not None and not text_.null_count:
            return pc.array_sort_indices(text_).to_numpy()
    return np.asarray(pd.Index(uniques).argsort())


def _take(col: pd.Series, rows: np.ndarray):
    """The column's values at ``rows``. Arrow-backed text is first put in one chunk: pandas.concat
    leaves one chunk per component, and taking rows out of a chunked column is several times slower."""
    if col.dtype == object:
        return text(col.to_numpy(dtype=object)[rows])
    if isinstance(col.dtype, pd.StringDtype) and col.dtype.storage == "pyarrow":
        chunked = col.array.__arrow_array__()
        if getattr(chunked, "num_chunks", 1) > 1:
            return pd.array(chunked.combine_chunks(), dtype=col.dtype).take(rows)
    return col.array.take(rows)
