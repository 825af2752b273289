"""Review of the linter against SPEC §6: plan sets where a rule fired a code SPEC does not imply, or missed one."""
from __future__ import annotations

import pytest

from lint_scenario import run


def csm(*components):
    return {"plan_id": "csm", "name": "CSM", "role": "csm", "year_start": "2027-01-01",
            "components": list(components)}


def bonus(metric, id="m"):
    return {"id": id, "type": "metric_bonus", "metric": metric, "target": 4, "amount": 500}


ACTIVATION = {"id": "activation", "type": "activation_bonus", "milestone": "activated", "amount": 750}


# EX102/EX112: "satisfaction (csat, nps, satisfaction, happiness…)" — metric names written in camelCase
# (csatScore, avgCSAT, npsScore, eNPS) are CSAT/NPS all the same.
@pytest.mark.parametrize("metric", ["csatScore", "avgCSAT", "npsScore", "eNPS", "CSATScore", "q1Csat"])
def test_camel_case_satisfaction_metric_is_sentiment(metric):
    assert [(f.code, f.component_id) for f in run({"plans": [csm(bonus(metric))]}, select=("EX102",)).findings] \
        == [("EX102", "m")]
    assert [(f.code, f.component_id) for f in run({"plans": [csm(ACTIVATION, bonus(metric))]},
                                                  select=("EX112",)).findings] == [("EX112", "m")]


@pytest.mark.parametrize("metric", ["weeklyActiveUsers", "successes", "featureAdoptionPct", "accessCount",
                                    "devicesOnline", "healthScore"])
def test_camel_case_adoption_metric_is_not_sentiment(metric):
    assert run({"plans": [csm(bonus(metric))]}, select=("EX102", "EX112")).findings == []
