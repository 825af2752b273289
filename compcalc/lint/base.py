"""What every lint rule shares: the rule declaration, the finding it yields, and the book it may read.

A rule is one class in one module under ``compcalc/lint/rules``. It declares its ``code``, dotted
``name`` and ``severity``; its docstring is its documentation (first line = summary, then the sections
"Why this kills expansion", "Anti-pattern" and "Best practice", each example a fenced YAML block); and
``check`` yields :class:`Finding` values. The registry finds it; nothing else needs to change.

Plan rules (:class:`PlanRule`) see every plan linted together; book rules (:class:`BookRule`) also see
the deals (and, when they declare it, the roster) and run only when those are given.
"""
from __future__ import annotations

import inspect
import re
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar, Iterable, Iterator, Mapping

import numpy as np
import pandas as pd

from compcalc.money import display

if TYPE_CHECKING:  # pragma: no cover
    from compcalc.book_metrics import BookMetrics
    from compcalc.lint.config import LintConfig
    from compcalc.plans import Plan

ERROR, WARNING = "error", "warning"
SEVERITIES = (ERROR, WARNING)

EXPANSION_ROLES = ("expansion_ae", "account_manager")

#: Section headings every rule docstring must have, in this order.
SECTIONS = ("Why this kills expansion", "Anti-pattern", "Best practice")
_HEADING = re.compile(r"^\*\*(?P<title>[^*]+)\*\*\s*$")
_FENCE = re.compile(r"```ya?ml\n(?P<body>.*?)```", re.S)


@dataclass(frozen=True)
class Finding:
    """One lint finding. ``file``/``line`` locate it for text output; JSON carries the other fields."""

    code: str
    severity: str
    plan_id: str | None
    component_id: str | None
    message: str
    fix: str
    file: str = ""
    line: int | None = None

    def as_dict(self) -> dict:
        """The JSON shape: exactly code, severity, plan_id, component_id, message, fix."""
        return {"code": self.code, "severity": self.severity, "plan_id": self.plan_id,
                "component_id": self.component_id, "message": self.message, "fix": self.fix}

    @property
    def where(self) -> str:
        if not self.file:
            return "<input>" if self.line is None else f"<input>:{self.line}"
        return self.file if self.line is None else f"{self.file}:{self.line}"

    def sort_key(self):
        return (self.file, self.line or 0, self.code, self.plan_id or "", self.component_id or "", self.message)


class Rule:
    """Base of all lint rules (not itself a rule)."""

    code: ClassVar[str] = ""
    name: ClassVar[str] = ""
    severity: ClassVar[str] = WARNING
    #: Inputs beyond the plans the rule needs; the rule is skipped unless all are given.
    requires: ClassVar[tuple[str, ...]] = ()

    # -- documentation --------------------------------------------------------------------------
    @classmethod
    def doc(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def summary(cls) -> str:
        return cls.doc().splitlines()[0].strip() if cls.doc() else ""

    @classmethod
    def sections(cls) -> dict[str, str]:
        """The docstring's sections by heading (``**Heading**`` lines), text as written."""
        out: dict[str, list[str]] = {}
        current = None
        for line in cls.doc().splitlines()[1:]:
            m = _HEADING.match(line.strip())
            if m:
                current = m.group("title").strip()
                out[current] = []
            elif current is not None:
                out[current].append(line)
        return {k: "\n".join(v).strip() for k, v in out.items()}

    @classmethod
    def why(cls) -> str:
        return cls.sections().get(SECTIONS[0], "")

    @classmethod
    def anti_pattern(cls) -> str:
        """The YAML of the anti-pattern example (without the fence)."""
        return _yaml_block(cls.sections().get(SECTIONS[1], ""))

    @classmethod
    def best_practice(cls) -> str:
        """The YAML of the fixed example (without the fence)."""
        return _yaml_block(cls.sections().get(SECTIONS[2], ""))

    @classmethod
    def info(cls) -> dict:
        return {"code": cls.code, "severity": cls.severity, "name": cls.name, "summary": cls.summary(),
                "requires": list(cls.requires)}

    # -- checking -------------------------------------------------------------------------------
    def check(self, plans: "Mapping[str, Plan]", book: "Book | None", config: "LintConfig") -> Iterator[Finding]:
        raise NotImplementedError  # pragma: no cover

    def finding(self, message: str, fix: str, *, plan: "Plan | None" = None, component: Any = None,
                plan_id: str | None = None, file: str = "", line: int | None = None,
                path: tuple = ()) -> Finding:
        """A finding of this rule, located at ``path`` inside ``plan`` (or at ``component``)."""
        if plan is not None:
            plan_id = plan.plan_id
            file = file or plan.source
            if line is None:
                if component is not None:
                    path = ("components", component_index(plan, component)) + tuple(path)
                line = plan.line_of(*path) if path else plan.line_of()
        return Finding(self.code, self.severity, plan_id, None if component is None else component.id,
                       message, fix, file, line)


class PlanRule(Rule):
    """A rule over the plans alone. Override ``check_plan`` (one plan) or ``check`` (the whole set)."""

    def check(self, plans, book, config) -> Iterator[Finding]:
        for plan in plans.values():
            yield from self.check_plan(plan, config)

    def check_plan(self, plan: "Plan", config: "LintConfig") -> Iterable[Finding]:
        return ()


class BookRule(Rule):
    """A rule over the book of business; runs only when deals (and what ``requires`` lists) are given."""

    requires: ClassVar[tuple[str, ...]] = ("deals",)


# -- helpers shared by rules ----------------------------------------------------------------------

def component_index(plan: "Plan", component) -> int:
    for i, c in enumerate(plan.components):
        if c.id == component.id:
            return i
    raise ValueError(f"{component.id!r} is not a component of {plan.plan_id!r}")  # pragma: no cover


_SATISFACTION_WORDS = re.compile(r"(^|[^a-z])(csat|osat|nps|tnps|rnps|ces)([^a-z]|$)")
_SATISFACTION_STEMS = ("satisf", "happ", "sentiment", "promoter", "delight", "smiley")
_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")  # csatScore, avgCSAT, eNPS


def is_satisfaction_metric(metric: str) -> bool:
    """Whether a metric name measures sentiment (CSAT, NPS, satisfaction, happiness…) rather than adoption."""
    m = _CAMEL_BOUNDARY.sub("_", metric.strip()).lower()
    return bool(_SATISFACTION_WORDS.search(m)) or any(stem in m for stem in _SATISFACTION_STEMS)


def money(cents: int) -> str:
    return display(int(cents))


def _yaml_block(section: str) -> str:
    m = _FENCE.search(section)
    return m.group("body") if m else ""


def examples(items, total: int | None = None, limit: int = 3) -> str:
    """``"a, b, c and 4 more"`` from the first ``limit`` of ``items`` (a sequence; ``total`` if longer)."""
    shown = [str(i) for i in list(items[:limit])]
    more = (len(items) if total is None else total) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def deal_examples(book: "Book", positions, describe=None, limit: int = 3) -> str:
    """The first deals at ``positions`` by id, each with ``describe(position)`` in brackets."""
    shown = np.asarray(positions)[:limit]
    items = [f"{d} ({describe(i)})" if describe else str(d) for d, i in zip(book.column("deal_id", shown), shown)]
    return examples(items, len(positions), limit)


@dataclass
class Book:
    """The deals (and optionally the roster) the book rules read, with where they came from.

    ``deals``: deal_id, account_id, type, close_date (datetime64), arr (int64 cents), owner_id,
    term_months (int64), prior_arr (nullable Int64 cents). ``roster``: rep_id, name, plan_id,
    start_date, end_date (datetime64, NaT = open). Row *i* of a frame is data row *i + 1* of its file
    unless the frame has a ``row`` column (1 = first data row).
    """

    deals: pd.DataFrame
    roster: pd.DataFrame | None = None
    deals_file: str = "deals.csv"
    roster_file: str = "roster.csv"

    def line_of(self, positions) -> np.ndarray:
        """File line numbers (the header is line 1) of deals at the given positions."""
        positions = np.asarray(positions, dtype=np.int64)
        if "row" in self.deals.columns:
            return self.deals["row"].to_numpy(np.int64)[positions] + 1
        return positions + 2

    def column(self, name: str, positions) -> np.ndarray:
        """Values of one deals column at a few positions (without converting the whole column)."""
        return self.deals[name].take(np.asarray(positions, dtype=np.int64)).to_numpy(dtype=object)

    def is_type(self, deal_type: str) -> np.ndarray:
        """Boolean mask of the deals of one type."""
        return self._types.get(deal_type, np.zeros(len(self.deals), dtype=bool))

    @cached_property
    def _types(self) -> dict[str, np.ndarray]:
        codes, uniques = pd.factorize(self.deals["type"])
        return {str(name): codes == i for i, name in enumerate(uniques)}

    @cached_property
    def arr(self) -> np.ndarray:
        return self.deals["arr"].to_numpy(np.int64)

    def plan_at(self, positions) -> np.ndarray:
        """The plan_id of the owner's assignment on each deal's close date (None: no roster or no assignment)."""
        return self._plans[np.asarray(positions, dtype=np.int64)]

    @cached_property
    def _plans(self) -> np.ndarray:
        from compcalc.assignments import AssignmentIndex

        n = len(self.deals)
        out = np.full(n, None, dtype=object)
        r = self.roster
        if r is None or r.empty or n == 0:
            return out
        index = AssignmentIndex.of_roster(r)
        rows = index.at(self.deals["owner_id"].to_numpy(object), self.deals["close_date"].to_numpy())
        found = rows >= 0
        out[found] = index.plan_ids(rows[found])
        return out

    @cached_property
    def metrics(self) -> "BookMetrics | None":
        from compcalc.book_metrics import book_metrics
        return book_metrics(self.deals)


def by_plan(book: Book, positions: np.ndarray) -> list[tuple[str | None, np.ndarray]]:
    """Deal positions grouped by the plan of the owner's assignment on the close date (None: unknown).

    Without a roster every deal is in the None group. Groups come in plan_id order, None last; each
    keeps the deals in file order.
    """
    positions = np.asarray(positions, dtype=np.int64)
    if not len(positions):
        return []
    if book.roster is None:
        return [(None, positions)]
    codes, uniques = pd.factorize(book.plan_at(positions), use_na_sentinel=True)
    order = np.argsort(codes, kind="stable")
    sorted_codes = codes[order]
    bounds = np.flatnonzero(np.diff(sorted_codes)) + 1
    groups = [(None if c < 0 else str(uniques[c]), g)
              for c, g in zip(sorted_codes[np.r_[0, bounds]], np.split(positions[order], bounds))]
    return sorted(groups, key=lambda item: (item[0] is None, item[0] or ""))
