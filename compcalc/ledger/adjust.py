"""Closed months are history: a re-run keeps them as paid and corrects them in the first open month.

For every closed month the run covers, what the new inputs imply is compared with what the ledger
recorded for it — the month's own lines plus every prior-period adjustment already made for it —
per rep, plan, component, deal and account. Each difference becomes one ``prior_period_adjustment``
line in the first open month, naming the original period, plan, component and deal. Payouts and carry
then follow SPEC §4 from the carry the last closed month recorded.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from compcalc import ledger_lines as L
from compcalc.engine import sort_lines
from compcalc.money import display
from compcalc.periods import period

KEY = ["rep_id", "month", "plan_id", "component_id", "deal_id", "account_id"]


def with_original_month(lines: pd.DataFrame) -> pd.DataFrame:
    if "original_month" not in lines.columns:  # assign: no copy of the other columns
        n = len(lines)
        lines = lines.assign(original_month=pd.arrays.IntegerArray(np.zeros(n, dtype=np.int64), np.ones(n, dtype=bool)))
    return lines


def prior_period_lines(lines: pd.DataFrame) -> pd.DataFrame:
    """The prior-period adjustment lines of a lines frame."""
    return lines[(lines["kind"] == L.PRIOR_PERIOD_ADJUSTMENT).to_numpy(bool)]


def _earned(lines: pd.DataFrame, first_month: int, last_month: int, by_original: bool) -> pd.Series:
    """Amounts per KEY for the months from ``first_month`` to ``last_month``, draws left out (a draw is
    a payout top-up, not earnings); with ``by_original`` a prior-period adjustment counts toward the
    month it corrects."""
    month = lines["month"].to_numpy(np.int64)
    if by_original and "original_month" in lines.columns:
        original = lines["original_month"]
        month = np.where(original.isna().to_numpy(), month, original.to_numpy(np.int64, na_value=0))
    keep = (month >= first_month) & (month <= last_month) & (lines["kind"] != L.DRAW).to_numpy(bool)
    frame = lines.loc[keep, [k for k in KEY if k != "month"] + ["amount"]].assign(month=month[keep])
    if not len(frame):
        return pd.Series([], dtype=np.int64, index=pd.MultiIndex.from_arrays([[]] * len(KEY), names=KEY))
    return frame.groupby(KEY, sort=True)["amount"].sum()


def prior_period_adjustments(new_lines: pd.DataFrame, paid_lines: pd.DataFrame, first_month: int,
                             closed_through: int) -> pd.DataFrame:
    """The adjustment lines, in month ``closed_through + 1``, for the closed months from ``first_month``
    on: what ``new_lines`` implies minus what ``paid_lines`` recorded."""
    implied = _earned(new_lines, first_month, closed_through, by_original=False)
    recorded = _earned(paid_lines, first_month, closed_through, by_original=True)
    both = pd.concat([implied.rename("implied"), recorded.rename("recorded")], axis=1).fillna(0).astype(np.int64)
    both = both[both["implied"] != both["recorded"]].sort_index()
    if not len(both):
        return with_original_month(L.empty_lines())
    keys = both.index.to_frame(index=False)
    implied_v, recorded_v = both["implied"].to_numpy(), both["recorded"].to_numpy()
    original = keys["month"].to_numpy(np.int64)
    notes = [f"prior-period adjustment for {period(m)}: recomputed {display(i)}, recorded {display(r)}"
             for m, i, r in zip(original, implied_v.tolist(), recorded_v.tolist())]
    out = L.make_lines(rep_id=keys["rep_id"].to_numpy(object), month=closed_through + 1,
                       plan_id=keys["plan_id"].to_numpy(object), component_id=keys["component_id"].to_numpy(object),
                       deal_id=keys["deal_id"].to_numpy(object), account_id=keys["account_id"].to_numpy(object),
                       kind=L.PRIOR_PERIOD_ADJUSTMENT, amount=implied_v - recorded_v,
                       note=np.array(notes, dtype=object))
    out["original_month"] = pd.arrays.IntegerArray(original.copy(), np.zeros(len(original), dtype=bool))
    return out


@dataclass(frozen=True)
class ClosedPeriods:
    """What a ledger holds for its closed months, read by the caller (``Ledger.closed``): the close stage
    itself touches no database."""

    ledger: str  #: the ledger's name, for messages
    months: dict[int, int]  #: closed month → the run it was paid as
    lines: pd.DataFrame  #: the closed months' lines as recorded (``original_month`` on adjustments)
    register: pd.DataFrame  #: the closed months' register rows as recorded

    @classmethod
    def none(cls, ledger: str) -> "ClosedPeriods":
        """A ledger with no closed month (one not created yet)."""
        from compcalc.schema import REGISTER_FRAME

        return cls(ledger, {}, L.empty_lines(), pd.DataFrame({c: [] for c in REGISTER_FRAME}))

    @property
    def through(self) -> int | None:
        return max(self.months) if self.months else None

    def opening_carry(self) -> dict[str, int]:
        """Each rep's carry out of the last closed month: what the first open month starts from."""
        last = self.register[self.register["month"].to_numpy() == self.through]
        return dict(zip(last["rep_id"].tolist(), last["carry_out"].to_numpy(np.int64).tolist()))


@dataclass(frozen=True)
class Closing:
    """The close stage's output: the earnings the pay stage pays (prior-period adjustments and the open
    months' lines, from ``first_open`` on, starting at ``opening_carry``), and the closed months as
    recorded, put back by :meth:`put_back` once the open months are paid."""

    closed: ClosedPeriods
    adjustments: pd.DataFrame
    open_lines: pd.DataFrame
    first_open: int
    opening_carry: dict[str, int]

    def earnings(self) -> pd.DataFrame:
        return pd.concat([self.adjustments.drop(columns="original_month"),
                          self.open_lines.drop(columns="original_month")], ignore_index=True)

    def put_back(self, register: pd.DataFrame, draws: pd.DataFrame, first_month: int
                 ) -> tuple[pd.DataFrame, pd.DataFrame, int]:
        """The run's lines and register: the closed months as recorded, then the open months as paid;
        and the run's first month (the earliest closed month may be before the inputs' first)."""
        paid = self.closed.lines
        parts = [p for p in (paid, self.adjustments, self.open_lines, with_original_month(draws)) if len(p)]
        lines = sort_lines(pd.concat(parts, ignore_index=True)) if parts else with_original_month(L.empty_lines())
        lines["original_month"] = lines["original_month"].astype("Int64")
        register = pd.concat([self.closed.register, register], ignore_index=True)
        register = register.sort_values(["rep_id", "month"], kind="stable").reset_index(drop=True)
        first_month = min([first_month] + ([int(paid["month"].min())] if len(paid) else []))
        return lines, register, first_month


def close(implied: pd.DataFrame, first_month: int, through_month: int, closed: ClosedPeriods) -> Closing:
    """The close stage, before payouts: what the inputs imply (``implied``: a run's earned lines, no
    draws) against the closed months as recorded.

    Closed months' lines and register rows stay the ledger's, unchanged; the difference between what
    ``implied`` holds for them and what was recorded becomes prior-period adjustment lines in the first
    open month, and the open months are paid from the recorded carry. Lines gain ``original_month``
    (the corrected month of an adjustment, else NA). Raises LedgerError when every month of the run is
    closed (there is nowhere to put an adjustment).
    """
    from compcalc.ledger.store import LedgerError

    closed_through = closed.through
    first_open = closed_through + 1
    if through_month < first_open:
        raise LedgerError(f"{period(through_month)} is closed (the ledger {closed.ledger} is closed through "
                          f"{period(closed_through)}): run through {period(first_open)} or later, so that "
                          f"prior-period adjustments have an open month to go in")
    adjustments = prior_period_adjustments(implied, closed.lines, first_month, closed_through)
    open_lines = implied[(implied["month"].to_numpy() >= first_open) & (implied["kind"] != L.DRAW).to_numpy(bool)]
    return Closing(closed, adjustments, with_original_month(open_lines), first_open, closed.opening_carry())
