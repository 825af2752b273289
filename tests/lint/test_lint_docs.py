"""Docs cannot drift: every registered rule is fully declared, documented, exemplified and has cases."""
from __future__ import annotations

import pytest

from compcalc.lint import RULES
from compcalc.lint.base import SECTIONS, BookRule, PlanRule
from lint_scenario import case_files, load_cases, run, scenario_from_text

CODES = list(RULES)


def test_the_spec_codes_are_all_registered_with_their_severity():
    spec = {"EX101": "error", "EX102": "error", "EX103": "error", "EX104": "error", "EX105": "warning",
            "EX106": "warning", "EX107": "warning", "EX108": "warning", "EX109": "warning",
            "EX110": "warning", "EX111": "warning", "EX112": "warning", "BK201": "warning",
            "BK202": "warning", "BK203": "error", "BK204": "warning"}
    assert {code: rule.severity for code, rule in RULES.items() if code in spec} == spec


def test_book_rules_declare_their_inputs():
    assert all(RULES[c].requires == ("deals",) for c in ("BK201", "BK202", "BK204"))
    assert RULES["BK203"].requires == ("deals", "roster")
    assert all(issubclass(r, BookRule) == c.startswith("BK") for c, r in RULES.items())
    assert all(issubclass(r, PlanRule) == c.startswith("EX") for c, r in RULES.items())


def test_names_are_unique_and_dotted():
    names = [r.name for r in RULES.values()]
    assert len(set(names)) == len(names)
    assert all(n.startswith(("expansion.", "book.")) for n in names)


@pytest.mark.parametrize("code", CODES)
def test_rule_has_summary_and_sections(code):
    rule = RULES[code]
    assert rule.summary().endswith("."), "the first docstring line is the one-line summary"
    assert len(rule.summary()) <= 120
    sections = rule.sections()
    assert list(sections)[:3] == list(SECTIONS)
    assert len(rule.why()) > 200, "say why the pattern kills expansion"
    assert rule.anti_pattern().strip() and rule.best_practice().strip()
    assert rule.anti_pattern() != rule.best_practice()


@pytest.mark.parametrize("code", CODES)
def test_anti_pattern_fires_and_best_practice_does_not(code):
    bad = run(scenario_from_text(RULES[code].anti_pattern()), select=(code,))
    assert code in [f.code for f in bad.findings]
    good = run(scenario_from_text(RULES[code].best_practice()), select=(code,))
    assert [f.code for f in good.findings] == []


@pytest.mark.parametrize("code", [c for c in CODES if c.startswith("EX")])
def test_plan_best_practice_is_clean_under_every_plan_rule(code):
    good = run(scenario_from_text(RULES[code].best_practice()))
    assert [(f.code, f.message) for f in good.findings] == []


@pytest.mark.parametrize("code", CODES)
def test_rule_has_cases_that_fire_and_cases_that_do_not(code):
    files = case_files()
    assert code in files, f"add tests/lint/cases/{code}.yaml"
    cases = load_cases(files[code])
    assert any(code in c["expect"] for c in cases)
    assert any(c["expect"] == [] for c in cases)
    names = [c["name"] for c in cases]
    assert len(set(names)) == len(names)
    for c in cases:
        assert set(c["expect"]) <= {code}, "a case file asserts its own rule only"


def test_no_case_file_without_a_rule():
    assert set(case_files()) <= set(RULES)
