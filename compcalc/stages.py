"""Which CRM stages count as closed-won.

With a mapping, its ``closed_won`` list decides. Without one (a deals.csv with a ``stage`` column fed
straight to run, validate, lint…), a stage is closed-won when it reads "closed won" or "won" in any
case, with spaces, hyphens or underscores between the words ("Closed Won", "closed-won", "WON",
"closed_won"). Anything else — "Closed Lost", "Negotiation", an empty stage — is refused, so a raw
export is never paid by accident.
"""
from __future__ import annotations

import re

import numpy as np

DEFAULT_WON = ("closed won", "won")
_SEPARATORS = re.compile(r"[\s_\-]+")


def normalise(stage: str) -> str:
    return _SEPARATORS.sub(" ", str(stage).strip().casefold())


def won_mask(stages, closed_won: tuple[str, ...] = ()) -> np.ndarray:
    """True where a stage is closed-won: one of ``closed_won`` (case-insensitive), or by the default rule."""
    accepted = {normalise(s) for s in closed_won} if closed_won else set(DEFAULT_WON)
    values = np.asarray(stages, dtype=object)
    uniq, inverse = np.unique(values.astype(str), return_inverse=True)
    return np.array([normalise(u) in accepted for u in uniq], dtype=bool)[inverse].reshape(values.shape)


def refuse_unwon(stages, rows, file: str, problems) -> None:
    """A deals file read by a run: every row whose stage is not closed-won is a problem."""
    for i in np.flatnonzero(~won_mask(stages)):
        problems.add(file, f"stage {stages[i]!r} is not closed-won: only won deals are paid (remove the row, "
                     "or convert the export with `compcalc import deals`)", row=int(rows[i]), column="stage")
