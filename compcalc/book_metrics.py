"""Book metrics (SPEC §6): account ARR over time, and NRR, GRR and expansion share over the window.

The window is the 12 calendar months ending with the last month that has a deal. An account's ARR at a
date is its land ARR plus expansions and renewal uplifts, minus contractions, renewal downsells and
churn, booked before that date. Over a period (the window, or one calendar quarter of it):

- starting ARR = the ARR, at the period's first day, of the accounts that had ARR (> 0) then (the cohort);
- NRR = (starting ARR + the cohort's expansion + uplift − contraction − downsell − churn in the period)
  / starting ARR;
- GRR = the same without expansion and uplift;
- expansion share = (expansion + uplift) / (new + expansion + uplift), all accounts, in the period.

Events dated on a period's first day belong to the period, not to its starting ARR. Quarters are the
calendar quarters that overlap the window, each cut to the part inside it (the first and last may be
partial; their ``start``/``end`` say so), so the quarters' flows add up to the window's.

Money is integer cents throughout (int64, summed exactly); ratios are exact :class:`Fraction` values,
``None`` when the denominator is zero, and :func:`percent` rounds one for display.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd

from compcalc.money import round_fraction
from compcalc.periods import first_day, last_day, months_of, period

FLOWS = ("new", "expansion", "uplift", "contraction", "downsell", "churn")
_N, _E, _U, _C, _D, _X = range(len(FLOWS))


@dataclass(frozen=True)
class PeriodMetrics:
    """Metrics of one period (the window or a quarter); money in cents."""

    label: str
    start: dt.date
    end: dt.date
    accounts: int            # accounts in the cohort (ARR > 0 at start)
    starting_arr: int
    expansion: int           # the cohort's expansion ARR in the period
    uplift: int              # the cohort's renewal uplift
    contraction: int
    downsell: int
    churn: int
    new_arr: int             # all accounts
    expansion_arr: int       # all accounts: expansion + uplift

    @property
    def ending_arr(self) -> int:
        """The cohort's ARR at the end of the period."""
        return self.starting_arr + self.expansion + self.uplift - self.contraction - self.downsell - self.churn

    @property
    def retained_arr(self) -> int:
        return self.starting_arr - self.contraction - self.downsell - self.churn

    @property
    def nrr(self) -> Fraction | None:
        return Fraction(self.ending_arr, self.starting_arr) if self.starting_arr else None

    @property
    def grr(self) -> Fraction | None:
        return Fraction(self.retained_arr, self.starting_arr) if self.starting_arr else None

    @property
    def expansion_share(self) -> Fraction | None:
        total = self.new_arr + self.expansion_arr
        return Fraction(self.expansion_arr, total) if total else None

    def as_dict(self) -> dict:
        """JSON-friendly: money as cents, ratios as percent text rounded to 0.1 (None when undefined)."""
        return {"label": self.label, "start": self.start.isoformat(), "end": self.end.isoformat(),
                "accounts": self.accounts, "starting_arr": self.starting_arr, "expansion": self.expansion,
                "uplift": self.uplift, "contraction": self.contraction, "downsell": self.downsell,
                "churn": self.churn, "new_arr": self.new_arr, "expansion_arr": self.expansion_arr,
                "ending_arr": self.ending_arr,
                "nrr_pct": _text(percent(self.nrr)), "grr_pct": _text(percent(self.grr)),
                "expansion_share_pct": _text(percent(self.expansion_share))}


@dataclass(frozen=True)
class BookMetrics:
    window: PeriodMetrics
    quarters: tuple[PeriodMetrics, ...]

    def as_dict(self) -> dict:
        return {"window": self.window.as_dict(), "quarters": [q.as_dict() for q in self.quarters]}


def percent(ratio: Fraction | None, places: int = 1) -> Decimal | None:
    """An exact ratio as a percentage rounded half-up to ``places`` decimals (for display only)."""
    if ratio is None:
        return None
    scale = 10 ** places
    return (Decimal(round_fraction(ratio * 100 * scale)) / scale).quantize(Decimal(1).scaleb(-places))


def _text(d: Decimal | None) -> str | None:
    return None if d is None else str(d)


def flows(deals: pd.DataFrame) -> np.ndarray:
    """Per deal, the ARR it moves in each of :data:`FLOWS` (int64 cents, shape n × 6, all ≥ 0)."""
    n = len(deals)
    codes, uniques = pd.factorize(deals["type"])
    kinds = {str(name): i for i, name in enumerate(uniques)}
    is_ = {k: codes == kinds.get(k, -2) for k in ("new", "expansion", "renewal", "contraction", "churn")}
    arr = deals["arr"].to_numpy(np.int64)
    if "prior_arr" in deals.columns:
        # a renewal without prior_arr (a validation error upstream) counts as a flat renewal
        p = pd.array(deals["prior_arr"], dtype="Int64")
        prior = np.where(p.isna(), arr, p.fillna(0).to_numpy(np.int64))
    else:
        prior = arr
    out = np.zeros((n, len(FLOWS)), dtype=np.int64)
    renewal = is_["renewal"]
    out[:, _N] = np.where(is_["new"], arr, 0)
    out[:, _E] = np.where(is_["expansion"], arr, 0)
    out[:, _U] = np.where(renewal, np.maximum(0, arr - prior), 0)
    out[:, _D] = np.where(renewal, np.maximum(0, prior - arr), 0)
    out[:, _C] = np.where(is_["contraction"], arr, 0)
    out[:, _X] = np.where(is_["churn"], arr, 0)
    return out


def _net(f: np.ndarray) -> np.ndarray:
    return f[..., _N] + f[..., _E] + f[..., _U] - f[..., _C] - f[..., _D] - f[..., _X]


def window_months(deals: pd.DataFrame) -> tuple[int, int] | None:
    """(first, last) month index of the window, or None when there are no deals."""
    if deals.empty:
        return None
    last = int(months_of(deals["close_date"]).max())
    return last - 11, last


def book_metrics(deals: pd.DataFrame) -> BookMetrics | None:
    """The window's metrics and each calendar quarter's (cut to the window); None with no deals."""
    if deals.empty:
        return None
    month = months_of(deals["close_date"])
    hi = int(month.max())
    lo = hi - 11
    f = flows(deals)
    # buckets: 0 = before the window, 1.. = the calendar quarters overlapping the window, in order
    q_lo = lo // 3
    bucket = np.where(month < lo, 0, month // 3 - q_lo + 1)
    nb = hi // 3 - q_lo + 2
    codes, accounts = pd.factorize(deals["account_id"])
    grid = np.zeros((len(accounts) * nb, len(FLOWS)), dtype=np.int64)
    sums = pd.DataFrame(f).groupby(codes.astype(np.int64) * nb + bucket, sort=False).sum()  # int64: exact
    grid[sums.index.to_numpy()] = sums.to_numpy(np.int64)
    grid = grid.reshape(len(accounts), nb, len(FLOWS))
    net = _net(grid)                                      # accounts × buckets
    arr_at_start = np.cumsum(net, axis=1) - net           # each account's ARR when each bucket starts

    def measure(label: str, start_month: int, end_month: int, buckets: slice) -> PeriodMetrics:
        start_arr = arr_at_start[:, buckets.start]
        cohort = start_arr > 0
        g = grid[:, buckets, :].sum(axis=1)               # accounts × flows in the period
        c = g[cohort]
        return PeriodMetrics(label=label, start=first_day(start_month), end=last_day(end_month),
                             accounts=int(cohort.sum()), starting_arr=int(start_arr[cohort].sum()),
                             expansion=int(c[:, _E].sum()), uplift=int(c[:, _U].sum()),
                             contraction=int(c[:, _C].sum()), downsell=int(c[:, _D].sum()),
                             churn=int(c[:, _X].sum()), new_arr=int(g[:, _N].sum()),
                             expansion_arr=int(g[:, _E].sum() + g[:, _U].sum()))

    window = measure(f"{period(lo)}..{period(hi)}", lo, hi, slice(1, nb))
    quarters = []
    for b in range(1, nb):
        q = q_lo + b - 1
        quarters.append(measure(f"{q // 4}Q{q % 4 + 1}", max(q * 3, lo), min(q * 3 + 2, hi), slice(b, b + 1)))
    return BookMetrics(window, tuple(quarters))
