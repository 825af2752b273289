"""The expansion-killer linter: plan patterns (EX1xx) and book patterns (BK2xx) that kill expansion.

    report = lint(load_plans(["plans/"]), deals=None, roster=None, config=load_config())
    report.exit_code, [f.code for f in report.findings], report.metrics

Rules live one per module in ``compcalc/lint/rules`` and are found by :mod:`compcalc.lint.registry`.
Which rules run comes from :class:`~compcalc.lint.config.LintConfig` (pyproject table and CLI); a
plan's ``lint.ignore`` drops findings about that plan.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

import pandas as pd

from compcalc.book_metrics import BookMetrics
from compcalc.lint.base import ERROR, WARNING, Book, BookRule, Finding, PlanRule, Rule
from compcalc.lint.config import LintConfig, load_config, matches, unknown_selectors
from compcalc.lint.registry import RULES, get_rule
from compcalc.problems import InputError, Problem

__all__ = ["lint", "lint_paths", "LintReport", "Finding", "Rule", "PlanRule", "BookRule", "Book", "LintConfig", "RULES",
           "get_rule", "load_config", "ERROR", "WARNING"]


@dataclass
class LintReport:
    findings: list[Finding]
    plans: int
    metrics: BookMetrics | None = None
    rules_run: tuple[str, ...] = field(default=())

    @property
    def errors(self) -> int:
        return sum(f.severity == ERROR for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity == WARNING for f in self.findings)

    @property
    def exit_code(self) -> int:
        """0 when no finding is an error, 1 otherwise."""
        return 1 if self.errors else 0


def selector_problems(plans: Mapping, config: LintConfig) -> list[Problem]:
    """Unknown rule codes in the configuration or in any plan's ``lint.ignore``."""
    problems = []
    origin = config.source or "command line"
    for key, selectors in (("select", config.select or ()), ("ignore", config.ignore)):
        for bad in unknown_selectors(selectors, RULES):
            problems.append(Problem(origin, f"unknown rule code {bad!r} in {key} (see `compcalc rules`)"))
    for plan in plans.values():
        for i, code in enumerate(plan.lint.ignore):
            if unknown_selectors([code.strip().upper()], RULES):
                problems.append(Problem(plan.source or plan.plan_id, f"unknown rule code {code!r} (see `compcalc rules`)",
                                        line=plan.line_of("lint", "ignore", i), path=f"lint.ignore[{i}]"))
    return problems


def lint(plans: Mapping[str, object] | Iterable, deals: pd.DataFrame | None = None,
         roster: pd.DataFrame | None = None, config: LintConfig | None = None, *,
         deals_file: str = "deals.csv", roster_file: str = "roster.csv") -> LintReport:
    """Run every enabled rule over ``plans`` (and the book, when ``deals`` is given).

    ``plans`` is what :func:`compcalc.plans.load_plans` returns (or any iterable of plans). Raises
    :class:`InputError` for unknown rule codes in the configuration or a plan's ``lint.ignore``.
    """
    config = config or LintConfig()
    if not isinstance(plans, Mapping):
        plans = {p.plan_id: p for p in plans}
    problems = selector_problems(plans, config)
    if problems:
        raise InputError(problems)
    book = None if deals is None else Book(deals, roster, deals_file=deals_file, roster_file=roster_file)
    given = {"deals": deals is not None, "roster": roster is not None}
    findings: list[Finding] = []
    ran = []
    for code, rule_cls in RULES.items():
        if not config.enabled(code) or not all(given.get(r, False) for r in rule_cls.requires):
            continue
        ran.append(code)
        for f in rule_cls().check(plans, book, config):
            plan = plans.get(f.plan_id) if f.plan_id is not None else None
            if plan is not None and matches(f.code, [c.strip().upper() for c in plan.lint.ignore]):
                continue
            findings.append(f)
    findings.sort(key=Finding.sort_key)
    metrics = book.metrics if book is not None else None
    return LintReport(findings, len(plans), metrics, tuple(ran))


def lint_paths(paths: Iterable, deals=None, roster=None, select: Iterable[str] = (), ignore: Iterable[str] = (),
               cwd: Path | str | None = None) -> LintReport:
    """Load the plan files and folders (and the deals/roster CSVs), read the pyproject configuration of
    ``cwd`` (default: the current directory), apply ``select``/``ignore`` on top, and lint.

    Raises :class:`InputError` with every problem found in the configuration and the inputs together.
    """
    from compcalc.inputs import load_book
    from compcalc.plans import load_plans

    problems: list[Problem] = []
    try:
        config = load_config(cwd, codes=RULES)
    except InputError as e:
        problems.extend(e.problems)
        config = LintConfig()
    config = config.with_cli(select, ignore)
    paths = [str(p) for p in paths]
    plans, deals_frame, roster_frame = {}, None, None
    try:
        if deals is not None:
            book = load_book(paths, roster, deals)
            plans, deals_frame = book.plans, book.deals
            roster_frame = book.roster if roster is not None else None
        else:
            plans = load_plans(paths)
    except InputError as e:
        problems.extend(e.problems)
    if problems:
        raise InputError(problems)
    return lint(plans, deals_frame, roster_frame, config,
                deals_file=str(deals or "deals.csv"), roster_file=str(roster or "roster.csv"))
