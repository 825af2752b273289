"""The what-if report as tables of typed values, shared by the workbook, the HTML and the terminal.

A value is :class:`Money` (cents), :class:`Share` (an exact fraction shown as a percentage), an int
count, text, or None (not applicable). Differences are candidate − baseline; a share's difference is
in percentage points.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from compcalc.money import display
from compcalc.periods import period
from compcalc.whatif.incentive import EVENTS
from compcalc.whatif.mapping import ROLE_GROUP_NAMES, ROLE_GROUP_ORDER
from compcalc.whatif.study import SetResult, WhatIf


@dataclass(frozen=True)
class Money:
    cents: int

    def __str__(self) -> str:
        return display(self.cents)

    @property
    def decimal(self) -> Decimal:
        return Decimal(self.cents).scaleb(-2)


@dataclass(frozen=True)
class Share:
    value: Fraction

    def __str__(self) -> str:
        return f"{percent(self.value)}%"

    @property
    def decimal(self) -> Decimal:
        """The fraction to 6 decimals (a percentage with 4): for a spreadsheet cell, display only."""
        return (Decimal(self.value.numerator) / Decimal(self.value.denominator)).quantize(Decimal("0.000001"))


def percent(f: Fraction) -> str:
    return str((Decimal(f.numerator) * 100 / Decimal(f.denominator)).quantize(Decimal("0.01")))


def text(value) -> str:
    """How a value reads in a table cell."""
    if value is None:
        return "—"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def difference(a, b):
    """b − a for like values; None when either is missing or they are not numbers."""
    if isinstance(a, Money) and isinstance(b, Money):
        return Money(b.cents - a.cents)
    if isinstance(a, Share) and isinstance(b, Share):
        return Share(b.value - a.value)
    if isinstance(a, int) and isinstance(b, int) and not isinstance(a, bool):
        return b - a
    return None


def role_name(role: str) -> str:
    return ROLE_GROUP_NAMES.get(role, role)


def roles_of(results: list[SetResult]) -> list[str]:
    seen = {r for res in results for r in list(res.measures.by_role) + list(res.measures.rep_stats) if r != "all"}
    seen |= {t.role for res in results for t in res.typical}
    return [r for r in ROLE_GROUP_ORDER if r in seen]


@dataclass
class Row:
    """One measure across sets; ``section`` groups rows under a heading."""

    section: str
    label: str
    values: list


def _share(f: Fraction | None):
    return None if f is None else Share(f)


def summary_rows(results: list[SetResult]) -> list[Row]:
    """Every headline measure, one column per set."""
    m = [r.measures for r in results]
    roles = roles_of(results)
    rows = [
        Row("Cost", "Total cost (paid through the last month)", [Money(x.paid) for x in m]),
        Row("Cost", "Earned (every line except draw top-ups; the breakdowns add up to this)", [Money(x.earned) for x in m]),
        Row("Cost", "Draw top-ups paid", [Money(x.draws) for x in m]),
        Row("Cost", "Negative balances carried past the last month (still to recover)", [Money(x.carried) for x in m]),
        Row("Cost", "Clawbacks recovered", [Money(x.clawbacks) for x in m]),
        Row("Cost", "Deferred liability at the last month (unvested installments)", [Money(x.deferred) for x in m]),
        Row("Cost of sales", "New ARR booked", [Money(x.new_arr) for x in m]),
        Row("Cost of sales", "Net new expansion ARR", [Money(x.net_expansion_arr) for x in m]),
        Row("Cost of sales", "Total cost as a share of new ARR", [_share(x.share_of_new_arr) for x in m]),
        Row("Cost of sales", "Total cost as a share of net new expansion ARR",
            [_share(x.share_of_net_expansion_arr) for x in m]),
    ]
    rows += [Row("Cost by role", role_name(role), [Money(x.by_role.get(role, 0)) for x in m]) for role in roles]
    rows += [Row("Effective rate (role cost ÷ ARR its reps signed)", role_name(role),
                 [_share(x.effective_rate(role)) for x in m]) for role in roles]
    for role in ["all"] + roles:
        name = "All reps" if role == "all" else role_name(role)
        stats = [x.rep_stats.get(role) for x in m]
        rows.append(Row("Cost per rep", f"{name}: reps", [s.reps if s else 0 for s in stats]))
        for stat in ("min", "median", "p90", "max"):
            rows.append(Row("Cost per rep", f"{name}: {stat}",
                            [Money(getattr(s, stat)) if s and s.reps else None for s in stats]))
    for role in roles:
        for event, words in EVENTS.items():
            rows.append(Row("Expansion incentive (typical rep, extra earned)", f"{role_name(role)}: {words}",
                            [_incentive(r, role, event, "earned") for r in results]))
    for role in roles:
        for event, words in EVENTS.items():
            rows.append(Row("Expansion incentive (typical rep, extra paid by the last month)",
                            f"{role_name(role)}: {words}", [_incentive(r, role, event, "paid") for r in results]))
    rows += [
        Row("Lint findings", "Errors", [sum(f.severity == "error" for f in r.findings) for r in results]),
        Row("Lint findings", "Warnings", [sum(f.severity == "warning" for f in r.findings) for r in results]),
        Row("Lint findings", "Codes", [", ".join(sorted({f.code for f in r.findings})) or "none" for r in results]),
    ]
    return rows


LINT_COLUMNS = ["Plan set", "code", "severity", "plan_id", "component_id", "message", "fix"]


def lint_rows(results: list[SetResult]) -> list[list]:
    """Every lint finding of every set, once: a finding that several sweep points of a set share is one
    row naming the points (or "every sweep point"), not a copy per point."""
    points: dict[str, int] = {}
    for r in results:
        if r.point:
            points[r.label] = points.get(r.label, 0) + 1
    found: dict[tuple, list[str]] = {}
    for r in results:
        for f in r.findings:
            key = (r.label, bool(r.point), f.code, f.severity, f.plan_id or "", f.component_id or "", f.message, f.fix)
            found.setdefault(key, []).append(r.setting if r.point else "")
    rows = []
    for (label, at_point, *rest), settings in found.items():
        if at_point:
            settings = list(dict.fromkeys(settings))
            where = "every sweep point" if len(settings) == points[label] > 1 else "; ".join(settings)
            label = f"{label} [{where}]"
        rows.append([label] + rest)
    return rows


def _incentive(result: SetResult, role: str, event: str, which: str):
    i = result.incentive(role, event)
    return None if i is None else Money(getattr(i, which))


def typical_rows(results: list[SetResult]) -> list[Row]:
    """Who the typical rep of each role is in each set, and where their events went."""
    rows = []
    for role in roles_of(results):
        reps = [next((t for t in r.typical if t.role == role), None) for r in results]
        rows.append(Row("Typical rep", f"{role_name(role)}: rep",
                        [None if t is None else f"{t.rep_id} {t.name}".strip() for t in reps]))
        rows.append(Row("Typical rep", f"{role_name(role)}: paid through the last month",
                        [None if t is None else Money(t.paid) for t in reps]))
        rows.append(Row("Typical rep", f"{role_name(role)}: reps of the role",
                        [None if t is None else t.reps for t in reps]))
        rows.append(Row("Typical rep", f"{role_name(role)}: account of the events",
                        [None if t is None else t.account_id + (" (synthetic)" if t.synthetic_account else "")
                         for t in reps]))
    return rows


def component_rows(results: list[SetResult]) -> list[Row]:
    """Cost by (role, component) — a component a set does not have shows as empty."""
    keys: list[tuple[str, str, str]] = []
    for r in results:
        for key in r.measures.by_component:
            if key not in keys:
                keys.append(key)
    keys.sort(key=lambda k: (ROLE_GROUP_ORDER.index(k[0]) if k[0] in ROLE_GROUP_ORDER else 99, k[1], k[2]))
    return [Row(role_name(role), f"{cid} ({ctype})" if ctype else cid,
                [Money(r.measures.by_component[(role, cid, ctype)]) if (role, cid, ctype) in r.measures.by_component
                 else None for r in results]) for role, cid, ctype in keys]


def mapping_rows(results: list[SetResult]) -> list[Row]:
    """How the roster's plan ids were mapped onto each set."""
    ids = sorted({k for r in results for k in r.plan_set.mapping})
    return [Row("Roster plan_id → plan", pid,
                [r.plan_set.mapping.get(pid, "") + ("" if r.plan_set.mapping.get(pid) == pid else " (by role)")
                 for r in results]) for pid in ids]


def per_rep_rows(base: SetResult, other: SetResult) -> list[list]:
    """rep_id, name, role, baseline paid, candidate paid, difference — every rep in either set."""
    a = base.measures.per_rep.set_index("rep_id")
    b = other.measures.per_rep.set_index("rep_id")
    rows = []
    for rep in sorted(set(a.index) | set(b.index)):
        pa = int(a["paid"].get(rep, 0))
        pb = int(b["paid"].get(rep, 0))
        info = a if rep in a.index else b
        rows.append([rep, str(info.at[rep, "name"]), role_name(str(info.at[rep, "role"])), Money(pa), Money(pb),
                     Money(pb - pa)])
    return rows


def comparison_rows(base: SetResult, other: SetResult) -> list[Row]:
    """Every summary, typical-rep and component row for the pair, with the difference as a third value."""
    rows = []
    for row in summary_rows([base, other]) + component_rows([base, other]):
        a, b = row.values
        rows.append(Row(row.section, row.label, [a, b, difference(a, b)]))
    return rows


def differences(base: SetResult, other: SetResult) -> list[tuple[str, object]]:
    """(measure, difference) for every comparison and per-rep row whose difference is not zero."""
    out = []
    for row in comparison_rows(base, other):
        a, b, d = row.values
        changed = (d.cents != 0 if isinstance(d, Money) else d.value != 0 if isinstance(d, Share)
                   else d != 0 if isinstance(d, int) else a != b)
        if changed:
            out.append((f"{row.section}: {row.label}", d))
    for rep, _, _, _, _, d in per_rep_rows(base, other):
        if d.cents:
            out.append((f"paid to {rep}", d))
    return out


def sweep_columns(report: WhatIf) -> list[str]:
    roles = roles_of(report.grid)
    return (["Plan set"] + [s.key for s in report.sweeps]
            + ["Total cost", "Share of new ARR", "Share of net new expansion ARR", "Deferred liability",
               "Clawbacks recovered"]
            + [f"Cost: {role_name(r)}" for r in roles]
            + [f"+10,000 expansion: {role_name(r)}" for r in roles]
            + ["Lint errors", "Lint warnings"])


def sweep_rows(report: WhatIf) -> list[list]:
    """One row per (set, grid point): the swept values and the headline measures."""
    roles = roles_of(report.grid)
    rows = []
    for r in report.grid:
        m = r.measures
        by_key = {s.key: s.texts[i] for s, i in r.point}
        rows.append([r.label] + [by_key[s.key] for s in report.sweeps]
                    + [Money(m.paid), _share(m.share_of_new_arr), _share(m.share_of_net_expansion_arr),
                       Money(m.deferred), Money(m.clawbacks)]
                    + [Money(m.by_role.get(role, 0)) for role in roles]
                    + [_incentive(r, role, "expansion", "earned") for role in roles]
                    + [sum(f.severity == "error" for f in r.findings), sum(f.severity == "warning" for f in r.findings)])
    return rows


# -- chart data (numbers for drawing only; labels carry the exact amounts) ------------------------

@dataclass
class Series:
    name: str
    values: list  # Money, int or None


@dataclass
class Chart:
    title: str
    categories: list[str]
    series: list[Series]
    y_title: str = ""
    kind: str = "bar"  # bar | line


def cost_by_role_chart(results: list[SetResult], currency: str) -> Chart:
    roles = roles_of(results)
    return Chart("Cost by role", [role_name(r) for r in roles],
                 [Series(r.label, [Money(r.measures.by_role.get(role, 0)) for role in roles]) for r in results],
                 f"Earned through the last month ({currency})")


def payout_distribution_chart(results: list[SetResult], currency: str, bins: int = 10) -> Chart:
    """How many reps were paid how much: equal bins from 0 up to the largest total paid to one rep."""
    top = max((int(r.measures.per_rep["paid"].max()) for r in results if len(r.measures.per_rep)), default=0)
    width = nice_step(-(-top // bins) if top else 100)
    count = max(1, -(-(top + 1) // width))
    edges = [i * width for i in range(count + 1)]
    cats = [f"{compact(lo)}–{compact(hi)}" for lo, hi in zip(edges, edges[1:])]
    series = []
    for r in results:
        paid = r.measures.per_rep["paid"].to_numpy()
        series.append(Series(r.label, [int(((paid >= lo) & (paid < hi)).sum()) for lo, hi in zip(edges, edges[1:])]))
    return Chart("Payout distribution", cats, series, f"Reps by total paid ({currency})")


def compact(cents: int) -> str:
    """A bin edge in whole units, short: 20000000 cents → "200k", 150000000 → "1.5M"."""
    units = Decimal(cents // 100)
    for size, suffix in ((Decimal(1_000_000), "M"), (Decimal(1_000), "k")):
        if units >= size:
            return f"{(units / size).normalize():f}{suffix}"
    return f"{units:f}"


def nice_step(cents: int) -> int:
    """The smallest 1, 2 or 5 × 10^k whole currency units at least ``cents``."""
    step = 100
    while True:
        for f in (1, 2, 5):
            if step * f >= cents:
                return step * f
        step *= 10


def incentive_chart(results: list[SetResult], currency: str) -> Chart:
    roles = roles_of(results)
    series = []
    for r in results:
        series.append(Series(r.label, [_incentive(r, role, "expansion", "earned") or Money(0) for role in roles]))
    return Chart("Extra a typical rep earns for +10,000 expansion ARR", [role_name(x) for x in roles], series,
                 f"Extra earned ({currency})")


def sweep_charts(report: WhatIf) -> list[Chart]:
    """Per swept set: total cost along the first key, one line per combination of the other keys."""
    if not report.sweeps:
        return []
    first, rest = report.sweeps[0], report.sweeps[1:]
    charts = []
    for label in dict.fromkeys(r.label for r in report.grid):
        points = [r for r in report.grid if r.label == label]
        lines: dict[str, list] = {}
        for r in points:
            idx = dict((s.key, i) for s, i in r.point)
            name = ", ".join(f"{s.key}={s.texts[idx[s.key]]}" for s in rest) or "total cost"
            lines.setdefault(name, [None] * len(first.values))[idx[first.key]] = Money(r.measures.paid)
        charts.append(Chart(f"{label}: total cost by {first.key}", list(first.texts),
                            [Series(n, v) for n, v in lines.items()], f"Total cost ({report.currency})", "line"))
    return charts


def title(report: WhatIf) -> str:
    return f"What-if through {period(report.through)}: " + " vs ".join(r.label for r in report.sets)
