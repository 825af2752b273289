"""The tables compcalc writes, declared once: the ledger line and the register row (SPEC §5).

Frames, lines.csv / register.csv, the ledger's tables and the content fingerprint derive their
columns from here. Plain Python (no pandas) so that anything may import it.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """One column: ``name`` in frames; ``stored_as`` its name in files and the ledger where it differs."""

    name: str
    type: str  # text | month (index; "YYYY-MM" in files, YYYYMM in the ledger) | cents | int | decimal | facts
    meaning: str
    spec: bool = False  # a SPEC §5 column: lines.csv writes these first, in this order, then the others
    engine: bool = True  # components produce it (False: only the ledger's lines have it)
    fingerprinted: bool = True  # part of the content fingerprint (facts came later: old runs keep theirs)
    stored_as: str | None = None

    @property
    def file_name(self) -> str:
        return self.stored_as or self.name


_REP = Column("rep_id", "text", "the rep paid", spec=True)
_MONTH = Column("month", "month", "the month paid in", spec=True, stored_as="period")

LINE: tuple[Column, ...] = (
    _REP,
    _MONTH,
    Column("plan_id", "text", "the plan of the assignment that earned it", spec=True),
    Column("component_id", "text", "the plan component that computed it (draw, manual_adjustment …)", spec=True),
    Column("deal_id", "text", "the deal it comes from, where there is one", spec=True),
    Column("account_id", "text", "the deal's account, where there is one"),
    Column("kind", "text", "what kind of movement: upfront, installment, clawback, quota …", spec=True),
    Column("basis", "cents", "the money figure the amount was computed from (forfeit: the forfeited value)",
           spec=True),
    Column("rate", "decimal", "the factor applied to basis, exact decimal text (clawback: -1)", spec=True),
    Column("amount", "cents", "the money paid (round(basis × rate) where both are present)", spec=True),
    Column("installment", "int", "which vesting installment, 1 … installments"),
    Column("installments", "int", "how many installments the deal's commission vests in"),
    Column("note", "text", "the line explained for people, rendered from the figures and never read back"),
    Column("original_month", "month", "a prior-period adjustment: the closed month it corrects",
           engine=False, stored_as="original_period"),
    Column("facts", "facts", "the component's typed record of the other figures that explain the line",
           fingerprinted=False),
)

REGISTER: tuple[Column, ...] = (
    _REP,
    _MONTH,
    Column("net", "cents", "the sum of the month's lines", spec=True),
    Column("carry_in", "cents", "the negative balance carried from the month before (0 or less)", spec=True),
    Column("draw", "cents", "the draw top-up paid this month", spec=True),
    Column("payout", "cents", "what the rep is paid: max(0, net + carry_in) + draw", spec=True),
    Column("carry_out", "cents", "the negative balance carried to the next month (0 or less)", spec=True),
)

#: Columns of a line frame as components build it, in order.
LINE_FRAME = [c.name for c in LINE if c.engine]
#: lines.csv's header: the SPEC §5 columns, then the others.
LINES_CSV = [c.file_name for c in LINE if c.engine and c.spec] + [c.file_name for c in LINE if c.engine and not c.spec]
#: The line columns the content fingerprint hashes, in order.
LINE_FINGERPRINT = [c.name for c in LINE if c.fingerprinted]

REGISTER_FRAME = [c.name for c in REGISTER]
#: The register's money columns, in order.
REGISTER_MONEY = [c.name for c in REGISTER if c.type == "cents"]
