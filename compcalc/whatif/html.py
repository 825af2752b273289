"""The what-if HTML report: ``templates/whatif.html`` with the workbook's charts as inline SVG.

The page needs no network: styles and charts are inline. Chart geometry is drawn by jinja2 macros from
plain numbers (for drawing only); every label shows the exact amount.
"""
from __future__ import annotations

from pathlib import Path

from compcalc.periods import period
from compcalc.whatif import report as R
from compcalc.resources import environment
from compcalc.whatif.study import WhatIf

TEMPLATE = "whatif.html"


def _number(value) -> float | None:
    """A value's height on a chart (drawing only, never money arithmetic)."""
    if isinstance(value, R.Money):
        return value.cents / 100
    if isinstance(value, int):
        return float(value)
    return None


def chart_view(chart: R.Chart) -> dict:
    values = [_number(v) for s in chart.series for v in s.values]
    top = max([v for v in values if v is not None] + [0.0])
    step = _tick_step(top)
    ticks = [(i * step, f"{i * step:,.0f}") for i in range(int(top // step) + 2)] if top > 0 else [(0.0, "0")]
    return {
        "title": chart.title, "y_title": chart.y_title, "kind": chart.kind,
        "categories": chart.categories, "max": ticks[-1][0] or 1.0, "ticks": ticks,
        "series": [{"name": s.name, "heights": [_number(v) for v in s.values],
                    "labels": [R.text(v) for v in s.values]} for s in chart.series],
    }


def _tick_step(top: float) -> float:
    """A 1-2-5 step giving at most about five gridlines."""
    step = 1.0
    while top / step > 5:
        for f in (2, 2.5, 2):
            step *= f
            if top / step <= 5:
                break
    return step


def _cells(values: list) -> list[dict]:
    return [{"text": R.text(v), "number": isinstance(v, (R.Money, R.Share, int)),
             "negative": (isinstance(v, R.Money) and v.cents < 0) or (isinstance(v, R.Share) and v.value < 0)}
            for v in values]


def _rows(rows: list[R.Row]) -> list[dict]:
    return [{"section": r.section, "label": r.label, "cells": _cells(r.values)} for r in rows]


def context(report: WhatIf) -> dict:
    sets = report.sets
    base = report.baseline
    return {
        "title": R.title(report),
        "through": period(report.through),
        "currency": report.currency,
        "labels": [r.label for r in sets],
        "sources": [(r.label, r.plan_set.source) for r in sets],
        "summary": _rows(R.mapping_rows(sets) + R.summary_rows(sets)),
        "typical": _rows(R.typical_rows(sets)),
        "components": _rows(R.component_rows(sets)),
        "charts": [chart_view(c) for c in (R.cost_by_role_chart(sets, report.currency),
                                           R.payout_distribution_chart(sets, report.currency),
                                           R.incentive_chart(sets, report.currency))],
        "comparisons": [{
            "label": other.label, "base": base.label,
            "rows": _rows(R.comparison_rows(base, other)),
            "reps": [r[:3] + [c for c in _cells(r[3:])] for r in R.per_rep_rows(base, other)],
            "changed": len(R.differences(base, other)),
        } for other in report.candidates],
        "lint": {"columns": R.LINT_COLUMNS, "rows": R.lint_rows(report.sets + report.grid)},
        "sweep": {
            "columns": R.sweep_columns(report) if report.grid else [],
            "rows": [_cells(r) for r in R.sweep_rows(report)] if report.grid else [],
            "charts": [chart_view(c) for c in R.sweep_charts(report)],
        },
    }


def render(report: WhatIf) -> str:
    return environment().get_template(TEMPLATE).render(**context(report))


def write_html(report: WhatIf, path: Path) -> None:
    Path(path).write_text(render(report), encoding="utf-8")
