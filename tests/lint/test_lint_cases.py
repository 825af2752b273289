"""Every case in cases/<CODE>.yaml, run with only that rule selected: the exact codes must come out."""
from __future__ import annotations

import pytest

from lint_scenario import case_files, load_cases, run

CASES = [pytest.param(code, case, id=f"{code}-{case['name']}")
         for code, path in case_files().items() for case in load_cases(path)]


@pytest.mark.parametrize("code,case", CASES)
def test_case(code, case):
    report = run(case, select=(code,))
    assert [f.code for f in report.findings] == case["expect"]
    if "components" in case:
        assert [f.component_id for f in report.findings] == case["components"]
    if "plan_ids" in case:
        assert [f.plan_id for f in report.findings] == case["plan_ids"]
    for f in report.findings:
        assert f.message and f.fix
