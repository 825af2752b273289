"""Lint reports as text (one finding a line, then a summary and the book metrics) or JSON."""
from __future__ import annotations

import json

from compcalc.book_metrics import BookMetrics, PeriodMetrics, percent
from compcalc.lint.base import Finding
from compcalc.money import display


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def finding_text(f: Finding) -> str:
    """``plans/x.yaml:12 EX101 error message`` and, underneath, ``  fix: …``."""
    return f"{f.where} {f.code} {f.severity} {f.message}\n  fix: {f.fix}"


def summary_text(report) -> str:
    """``3 findings (2 errors, 1 warning) in 4 plans``."""
    n = len(report.findings)
    parts = [_plural(k, w) for k, w in ((report.errors, "error"), (report.warnings, "warning")) if k]
    detail = f" ({', '.join(parts)})" if parts else ""
    return f"{_plural(n, 'finding')}{detail} in {_plural(report.plans, 'plan')}"


def _pct(value) -> str:
    p = percent(value)
    return "n/a" if p is None else f"{p}%"


def metrics_text(metrics: BookMetrics) -> str:
    """The window's NRR, GRR and expansion share, then each calendar quarter's (cut to the window)."""
    w = metrics.window
    head = f"Book metrics, window {w.start:%Y-%m}..{w.end:%Y-%m} (the 12 months ending with the last deal):"
    rows = [("period", "months", "starting ARR", "NRR", "GRR", "expansion share")]

    def row(label: str, m: PeriodMetrics):
        rows.append((label, f"{m.start:%Y-%m}..{m.end:%Y-%m}", display(m.starting_arr), _pct(m.nrr),
                     _pct(m.grr), _pct(m.expansion_share)))

    row("window", w)
    for q in metrics.quarters:
        row(q.label, q)
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [head]
    for r in rows:
        cells = [r[0].ljust(widths[0]), r[1].ljust(widths[1])] + [c.rjust(wd) for c, wd in zip(r[2:], widths[2:])]
        lines.append("  " + "  ".join(cells).rstrip())
    return "\n".join(lines)


def text(report, quiet: bool = False) -> str:
    """Findings (each with its fix), then — unless ``quiet`` — the summary line and the book metrics."""
    out = [finding_text(f) for f in report.findings]
    if not quiet:
        out.append(summary_text(report))
        if report.metrics is not None:
            out.append("")
            out.append(metrics_text(report.metrics))
    return "\n".join(out)


def to_json(report) -> str:
    """A JSON list of {code, severity, plan_id, component_id, message, fix}."""
    return json.dumps([f.as_dict() for f in report.findings], indent=2, ensure_ascii=False)


def explain_text(rule) -> str:
    """A rule in full: header, summary, what it checks, why, the anti-pattern and the best practice."""
    doc = rule.doc().splitlines()
    intro = "\n".join(doc[1:]).split("**", 1)[0].strip()
    parts = [f"{rule.code} ({rule.severity}) {rule.name}", "", rule.summary()]
    if intro:
        parts += ["", intro]
    for title, body in rule.sections().items():
        parts += ["", title, "-" * len(title), body]
    if rule.requires:
        parts += ["", f"Runs with: {', '.join('--' + r for r in rule.requires)}"]
    return "\n".join(parts)
