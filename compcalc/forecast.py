""""If these close": what each open deal of a pipeline would add to its rep's payouts.

``pipeline.csv`` holds open opportunities: the deal columns of deals.csv (SPEC §2) plus ``stage`` and
``probability`` (a fraction, 0.4 = 40 %), with ``close_date`` the expected close date. It is validated
like every input (file, row, column, reason; every problem at once).

The forecast uses the what-if method: for each open deal, the book is run again with that one deal
added to deals.csv, and the extra payout is the difference in payouts, exact to the cent, for every
rep it changes (the owner, and e.g. the account's closer or the owner's manager). Payouts are counted
through the end of the owner's plan year holding the expected close date (or --through, if later),
so a quota deal's effect and the vesting installments due that plan year are in. The weighted amount
is round(probability × extra) with the owner's plan rounding; a rep's weighted total is the sum of
those rows.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd

from compcalc import inputs
from compcalc.pipeline import run as run_book
from compcalc.money import HALF_UP, display, round_fraction
from compcalc.periods import month_index, months_of, period, plan_year_start
from compcalc.problems import Collector, InputError
from compcalc.schema import DEAL_TYPES

NAME = "pipeline"
OPEN_TYPES = ("new", "expansion", "renewal")
FORECAST_COLUMNS = ["rep_id", "line", "deal_id", "account_id", "owner_id", "type", "stage", "probability",
                    "close_date", "arr", "counted_through", "extra_payout", "weighted_payout"]


@dataclass(frozen=True)
class DealForecast:
    """One open deal's effect on one rep's payouts."""

    rep_id: str
    deal_id: str
    account_id: str
    owner_id: str
    type: str
    stage: str
    probability: str  # exact decimal text
    close_date: str
    arr: int
    through: int  # last month counted
    extra: int  # cents: payouts with the deal − without it
    weighted: int  # cents: round(probability × extra)


def load_pipeline(path, book: inputs.Book | None, problems: Collector | None = None) -> pd.DataFrame:
    """The validated pipeline (typed like book.deals, plus stage and probability). ``book`` None checks
    the file alone (the other inputs have problems); the problems are raised at once."""
    own = problems is None
    if own:  # (an empty Collector is falsy: test for None)
        problems = Collector()
    file = str(path)
    read = inputs._read(Path(path), NAME, problems)
    frame = None
    if read is not None:
        raw, rows = read
        frame = inputs._typed(raw, rows, NAME, file, problems)
        if not all(c.name in raw for c in inputs.TABLES[NAME] if c.required):
            frame = None
    if frame is not None:
        _check(frame, file, book, problems)
    if own:
        problems.raise_if_any()
    return frame


def _check(frame: pd.DataFrame, file: str, book: inputs.Book | None, problems: Collector) -> None:
    row = frame["row"].to_numpy()
    prob_ok = frame["probability_given"].to_numpy(bool)
    for i in np.flatnonzero(prob_ok):
        if frame["probability"].iat[i] > 1:
            problems.add(file, f"{frame['probability'].iat[i]} is more than 1 (a probability is a fraction: 0.4 is 40%)",
                         row=int(row[i]), column="probability")
    kinds = frame["type"].to_numpy(object)
    for i in np.flatnonzero(~np.isin(kinds, OPEN_TYPES) & (kinds != "") & np.isin(kinds, DEAL_TYPES)):
        problems.add(file, f"an open deal is new, expansion or renewal, not {kinds[i]}", row=int(row[i]), column="type")
    if book is None:
        return
    mini = inputs.Book(plans=book.plans, roster=book.roster, deals=frame, fx_rates=book.fx_rates,
                       sources={"deals": file, "roster": book.sources.get("roster", "roster"),
                                **({"fx_rates": book.sources["fx_rates"]} if "fx_rates" in book.sources else {})})
    inputs._check_deals(mini, problems, won_only=False)  # duplicate ids, renewal prior_arr, two lands of an account, term
    inputs._check_references(mini, problems, {"deals", "roster"})  # owners in the roster
    closed = pd.Series(book.deals["row"].to_numpy(), index=book.deals["deal_id"].to_numpy(object))
    closed = closed[~closed.index.duplicated()]
    deals_file = book.sources.get("deals", "deals.csv")
    for i, deal in enumerate(frame["deal_id"].to_numpy(object)):
        if deal and deal in closed.index:
            problems.add(file, f"deal_id {deal!r} is already in {deals_file} (row {int(closed[deal])}): "
                         "an open deal is not closed yet", row=int(row[i]), column="deal_id")
    lands = book.deals[book.deals["type"].to_numpy(object) == "new"]
    landed = pd.Series(lands["row"].to_numpy(), index=lands["account_id"].to_numpy(object))
    landed = landed[~landed.index.duplicated()]
    for i in np.flatnonzero(kinds == "new"):
        account = frame["account_id"].iat[i]
        if account in landed.index:
            problems.add(file, f"account {account!r} already has its new deal in {deals_file} (row "
                         f"{int(landed[account])})", row=int(row[i]), column="type")
    if not problems.flagged(file, "currency") and not any(p.file == file for p in problems.problems):
        inputs._convert_currencies(mini, problems)  # into the owner's plan currency, as deals.csv
        if "fx_rate" in mini.deals.columns and "fx_rate" not in frame.columns:
            frame["fx_rate"] = mini.deals["fx_rate"]


def _deal_rows(book: inputs.Book, pipeline: pd.DataFrame) -> pd.DataFrame:
    """The pipeline's deals shaped as book.deals (defaults applied), to add one at a time."""
    d = pipeline.copy()
    d["term_months"] = d["term_months"].fillna(12).astype(np.int64)
    for col in book.deals.columns:
        if col not in d.columns:
            d[col] = "" if book.deals[col].dtype == object else pd.NA
    return d


def _owner_plan(book: inputs.Book, owner: str, date):
    plans = inputs._owner_plans(book, np.array([owner], dtype=object), np.array([date]))
    return plans[0]


def forecast(book: inputs.Book, through: int, pipeline: pd.DataFrame) -> list[DealForecast]:
    """Each open deal's extra payout for every rep whose payouts it changes (the owner always listed)."""
    if pipeline is None or not len(pipeline):
        return []
    deals = _deal_rows(book, pipeline)
    baselines: dict[int, dict[str, int]] = {}
    out: list[DealForecast] = []
    close_months = months_of(deals["close_date"].to_numpy())
    for i in range(len(deals)):
        deal = deals.iloc[[i]]
        owner = deal["owner_id"].iat[0]
        close = int(close_months[i])
        plan = _owner_plan(book, owner, deal["close_date"].to_numpy()[0])
        end = plan_year_start(close, month_index(plan.year_start)) + 11 if plan is not None else close
        horizon = max(through, end)
        if horizon not in baselines:
            baselines[horizon] = _payouts(book, horizon)
        added = dataclasses.replace(book, deals=pd.concat([book.deals, deal[book.deals.columns]], ignore_index=True))
        changed = _payouts(added, horizon)
        base = baselines[horizon]
        reps = sorted(r for r in set(base) | set(changed) if changed.get(r, 0) != base.get(r, 0))
        if owner not in reps:
            reps = [owner] + reps
        prob = Decimal(deals["probability"].iat[i])
        for rep in reps:
            extra = changed.get(rep, 0) - base.get(rep, 0)
            weighted = round_fraction(Fraction(prob) * extra, plan.rounding if plan is not None else HALF_UP)
            out.append(DealForecast(
                rep_id=rep, deal_id=deal["deal_id"].iat[0], account_id=deal["account_id"].iat[0], owner_id=owner,
                type=deal["type"].iat[0], stage=deal["stage"].iat[0], probability=f"{prob.normalize():f}",
                close_date=pd.Timestamp(deal["close_date"].iat[0]).date().isoformat(),
                arr=int(deal["arr"].iat[0]), through=horizon, extra=extra, weighted=weighted))
    return out


def _payouts(book: inputs.Book, through: int) -> dict[str, int]:
    reg = run_book(book, through).register
    return {rep: int(v) for rep, v in reg.groupby("rep_id", sort=False)["payout"].sum().items()}


def by_rep(rows: list[DealForecast]) -> dict[str, tuple[DealForecast, ...]]:
    out: dict[str, list[DealForecast]] = {}
    for r in rows:
        out.setdefault(r.rep_id, []).append(r)
    return {rep: tuple(v) for rep, v in out.items()}


def write_csv(rows: list[DealForecast], path) -> None:
    """forecast.csv: a ``deal`` line per (rep, open deal) and a ``total`` line per rep (weighted sum)."""
    def money(cents: int) -> str:
        return f"{Decimal(cents).scaleb(-2):.2f}"

    records = []
    for rep, deals in sorted(by_rep(rows).items()):
        for f in deals:
            records.append([rep, "deal", f.deal_id, f.account_id, f.owner_id, f.type, f.stage, f.probability,
                            f.close_date, money(f.arr), period(f.through), money(f.extra), money(f.weighted)])
        records.append([rep, "total", "", "", "", "", "", "", "", "", "", money(sum(f.extra for f in deals)),
                        money(sum(f.weighted for f in deals))])
    from compcalc.outputs import write_csv as write_text_csv

    write_text_csv(pd.DataFrame(records, columns=FORECAST_COLUMNS, dtype=object), path)


def describe(rows) -> list[str]:
    """Lines for `compcalc why`: each open deal's effect and the weighted total."""
    out = ["if these close (a re-run with each open deal added on its expected close date):"]
    for f in rows:
        pct = f"{(Decimal(f.probability) * 100).normalize():f}%"
        out.append(f"  {f.deal_id} ({f.type}, {f.stage}, {pct}, closes {f.close_date}): "
                   f"{'+' if f.extra >= 0 else ''}{display(f.extra)} through {period(f.through)}; "
                   f"weighted {display(f.weighted)}")
    out.append(f"  probability-weighted total: {display(sum(f.weighted for f in rows))}")
    return out


def check_with_book(path, load):
    """Load the book with ``load()`` and the pipeline at ``path``, reporting both files' problems at once."""
    problems = Collector()
    try:
        book = load()
    except InputError as e:
        book = None
        problems.extend(e.problems)
    # Outside the except block: an error raised inside it would keep the first one (and the Arrow
    # buffers its frames hold) alive until the interpreter's exit, which aborts in Arrow's thread pool.
    pipeline = load_pipeline(path, book, problems)
    problems.raise_if_any()
    return book, pipeline
