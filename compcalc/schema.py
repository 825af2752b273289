"""The tables compcalc reads and writes, declared once (SPEC §2, §5).

Input files: loading and validation (``compcalc.inputs``), the CLI options (``book_inputs``,
``validate``), the CRM import and the synthetic books derive their columns from :data:`INPUTS`.
Outputs: frames, lines.csv / register.csv, the ledger's tables and the content fingerprint derive
theirs from :data:`LINE` and :data:`REGISTER`. Plain Python (no pandas): the CLI reads it at start-up.
"""
from __future__ import annotations

from dataclasses import dataclass

DEAL_TYPES = ("new", "expansion", "renewal", "contraction", "churn")


@dataclass(frozen=True)
class InputColumn:
    """One column of an input file and the checks each of its values gets."""

    name: str
    kind: str = "text"  # text | date | money | int | decimal | period | choice
    required: bool = True  # the column must exist
    value_required: bool = True  # each row must have a value (when the column exists)
    choices: tuple[str, ...] = ()
    non_negative: bool = False
    max_places: int | None = None  # decimals allowed in a "decimal" column
    max_value: int | None = None  # a "decimal" column's largest value
    far_end_is_open: bool = False  # a date after LAST_YEAR (9999-12-31) means open-ended


@dataclass(frozen=True)
class InputFile:
    """An input file: ``name`` is its load_book argument and CLI destination (``--fx-rates`` → fx_rates)."""

    name: str
    help: str
    columns: tuple[InputColumn, ...]
    required: bool = False  # run, why, whatif and accounting need it

    @property
    def file(self) -> str:
        return f"{self.name}.csv"

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")


def _optional(name: str, kind: str = "text", **checks) -> InputColumn:
    return InputColumn(name, kind, required=False, value_required=False, **checks)


_DEALS = (
    InputColumn("deal_id"), InputColumn("account_id"), InputColumn("type", "choice", choices=DEAL_TYPES),
    InputColumn("close_date", "date"), InputColumn("arr", "money", non_negative=True), InputColumn("owner_id"),
    _optional("term_months", "int"),
    _optional("tcv", "money", non_negative=True),
    _optional("prior_arr", "money", non_negative=True),
    _optional("currency"),
    _optional("stage"),  # a CRM stage: must be closed-won
)

#: The book's input files, in the order of load_book's arguments and of the CLI options.
INPUTS: tuple[InputFile, ...] = (
    InputFile("roster", "roster.csv: plan assignments.", required=True, columns=(
        InputColumn("rep_id"), InputColumn("name"), InputColumn("plan_id"), InputColumn("start_date", "date"),
        _optional("end_date", "date", far_end_is_open=True),
        _optional("quota", "money", non_negative=True),
        _optional("manager_id"),
        _optional("draw", "money", non_negative=True),
        _optional("draw_months", "int"),
        _optional("draw_type", "choice", choices=("recoverable", "non_recoverable")),
        _optional("email"),  # for `compcalc import` owner look-ups
    )),
    InputFile("deals", "deals.csv: the CRM export.", required=True, columns=_DEALS),
    InputFile("milestones", "milestones.csv: CS activation events.", columns=(
        InputColumn("account_id"), InputColumn("milestone"), InputColumn("achieved_date", "date"),
        InputColumn("csm_id"))),
    InputFile("metrics", "metrics.csv: scored measures for metric bonuses.", columns=(
        InputColumn("rep_id"), InputColumn("period", "period"), InputColumn("metric"),
        InputColumn("value", "decimal"))),
    InputFile("splits", "splits.csv: deals credited to several reps by share.", columns=(
        InputColumn("deal_id"), InputColumn("rep_id"), InputColumn("share", "decimal", non_negative=True, max_places=10),
        _optional("mode", "choice", choices=("split", "overlay")))),
    InputFile("adjustments", "adjustments.csv: manual adjustments with reasons.", columns=(
        InputColumn("rep_id"), InputColumn("period", "period"), InputColumn("amount", "money"),
        InputColumn("reason"))),
    InputFile("fx_rates", "fx_rates.csv: currency rates per month.", columns=(
        InputColumn("currency"), InputColumn("period", "period"),
        InputColumn("rate", "decimal", non_negative=True, max_places=10, max_value=1_000_000))),
)

#: The open deals a forecast reads (``--pipeline``): deals' columns with a stage and a win probability.
PIPELINE_COLUMNS = _DEALS + (
    InputColumn("stage"),
    InputColumn("probability", "decimal", non_negative=True, max_places=10),
)

#: Each input table's columns by name (the book's files and the pipeline).
TABLES: dict[str, tuple[InputColumn, ...]] = {**{f.name: f.columns for f in INPUTS}, "pipeline": PIPELINE_COLUMNS}


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
