"""Parameter sweeps: ``--set COMPONENT_ID.path.to.field=v1,v2`` over every plan with that component.

Values are read as YAML scalars (``0.10`` is an exact decimal, ``null`` is empty; a value with a comma
goes in brackets: ``deal_types=[new,expansion]``). The grid is every combination of the keys' values.

Effective-dated parameters (SPEC §8.4): ``land_tcv.rate=0.12`` sets the whole parameter (a mapping
becomes that one value; ``rate={2027-01-01: 0.10, 2027-07-01: 0.12}`` sets a whole schedule), and
``land_tcv.rate.2027-07-01=0.12`` sets one dated value: it replaces or adds that date's entry, and a
plain value becomes a schedule that keeps the old value before the date.
A changed component is re-validated as a whole, so a bad value is reported like a bad plan file, naming
the key.
"""
from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass

import yaml
from pydantic import ValidationError

from compcalc.components.dated import BY_DATE
from compcalc.components.dated import TAGS as DATED_TAGS
from compcalc.plans import Plan, _message
from compcalc.problems import InputError, Problem
from compcalc.yamlsrc import format_path
from compcalc.yamlsrc import load as load_yaml

ORIGIN = "--set"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: The key a plain value gets when one dated value is set on it: in force from the beginning.
SINCE_ALWAYS = dt.date(1, 1, 1)


def _as_date(part):
    """A path part that names a dated value (``2027-07-01``), as a date; else None."""
    if isinstance(part, str) and _DATE.match(part):
        try:
            return dt.date.fromisoformat(part)
        except ValueError:
            return None
    return None


@dataclass(frozen=True)
class Sweep:
    """One ``--set`` key: the component it changes, the path inside it, and the values to try."""

    key: str
    component_id: str
    path: tuple
    texts: tuple[str, ...]
    values: tuple

    @property
    def field(self) -> str:
        return format_path(self.path)


#: One grid point: (sweep, index of its value) for every sweep.
Point = tuple[tuple[Sweep, int], ...]


def split_values(text: str) -> list[str]:
    """Split on commas outside brackets: ``12,18`` → 2 values, ``[new,expansion]`` → 1."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        elif ch == "," and depth == 0:
            out.append(text[start:i].strip())
            start = i + 1
    out.append(text[start:].strip())
    return out


def parse_sweeps(settings, plan_sets) -> list[Sweep]:
    """Parse and check every ``--set`` against the plan sets; InputError lists every problem."""
    component_ids = {c.id for ps in plan_sets for p in ps.plans.values() for c in p.components}
    sweeps, problems = [], []
    seen: set[str] = set()
    for setting in settings:
        key, eq, text = setting.partition("=")
        key = key.strip()
        if not eq or not key or not text.strip():
            problems.append(Problem(ORIGIN, f"{setting!r} is not COMPONENT_ID.field=value[,value…]"))
            continue
        # Component ids may contain dots: the longest id that prefixes the key wins.
        owners = sorted((c for c in component_ids if key.startswith(c + ".")), key=len)
        if not owners:
            problems.append(Problem(ORIGIN, "no plan in the baseline or candidate sets has this component "
                                            "(a key is COMPONENT_ID.field, e.g. land_tcv.vesting.months)",
                                    path=key))
            continue
        if key in seen:
            problems.append(Problem(ORIGIN, "given twice", path=key))
            continue
        seen.add(key)
        cid = owners[-1]
        path = tuple(int(p) if p.isdigit() else p for p in key[len(cid) + 1:].split("."))
        texts = split_values(text)
        values, unreadable = [], []
        for t in texts:
            value, problem = _scalar(t, key)
            unreadable.extend(problem)
            values.append(value)
        problems.extend(unreadable)
        sweep = Sweep(key, cid, path, tuple(texts), tuple(values))
        if not unreadable:
            for i in range(len(values)):
                for ps in plan_sets:
                    for plan in ps.plans.values():
                        problems.extend(_apply_one(plan, sweep, i)[1])
        sweeps.append(sweep)
    if problems:
        raise InputError(problems)
    return sweeps


def _scalar(text: str, key: str):
    if not text:
        return None, [Problem(ORIGIN, "an empty value (two commas in a row?)", path=key)]
    try:
        src = load_yaml(text)
    except yaml.YAMLError as e:
        return None, [Problem(ORIGIN, f"{text!r} is not a value: {getattr(e, 'problem', e)}", path=key)]
    if src.bad_values:  # the bounds plans have (README "Bounds")
        return None, [Problem(ORIGIN, reason, path=key) for _, _, reason in src.bad_values]
    return src.data, []


def grid(sweeps: list[Sweep]) -> list[Point]:
    """Every combination of the sweeps' values, the last key varying fastest."""
    return [tuple(zip(sweeps, idx)) for idx in itertools.product(*(range(len(s.values)) for s in sweeps))]


def describe(point: Point) -> str:
    return ", ".join(f"{s.key}={s.texts[i]}" for s, i in point)


def sweeps_set(plans: dict[str, Plan], sweeps: list[Sweep]) -> bool:
    """Whether any plan of the set has a swept component."""
    ids = {s.component_id for s in sweeps}
    return any(c.id in ids for p in plans.values() for c in p.components)


def apply(plans: dict[str, Plan], point: Point) -> dict[str, Plan]:
    """The plans with the point's values set on every component that has the swept id."""
    out = dict(plans)
    for sweep, i in point:
        for pid, plan in out.items():
            changed, problems = _apply_one(plan, sweep, i)
            if problems:  # parse_sweeps checked every value already
                raise InputError(problems)
            out[pid] = changed
    return out


def _apply_one(plan: Plan, sweep: Sweep, i: int) -> tuple[Plan, list[Problem]]:
    components = list(plan.components)
    problems: list[Problem] = []
    for n, c in enumerate(components):
        if c.id != sweep.component_id:
            continue
        data = c.model_dump(mode="python", exclude_unset=False)
        node = data
        for depth, part in enumerate(sweep.path[:-1]):
            where = format_path(sweep.path[:depth + 1])
            if isinstance(node, dict) and _as_date(part) in node:
                part = _as_date(part)
            if isinstance(node, dict) and part in node:
                child = node[part]
                if not isinstance(child, (dict, list, tuple)) and depth == len(sweep.path) - 2 \
                        and _as_date(sweep.path[-1]) and _is_dated_field(c, sweep.path[:depth + 1]):
                    child = {SINCE_ALWAYS: child}  # a plain value: the old value before the new date
                    node[part] = child
            elif isinstance(node, list) and isinstance(part, int) and part < len(node):
                child = node[part]
            else:
                problems.append(Problem(ORIGIN, f"{where} does not exist in component {c.id!r} ({c.type})",
                                        path=sweep.key))
                break
            if isinstance(child, tuple):
                child = list(child)
                node[part] = child
            if not isinstance(child, (dict, list)):
                problems.append(Problem(ORIGIN, f"{where} is a single value in component {c.id!r} ({c.type}), "
                                                f"with no fields inside it", path=sweep.key))
                break
            node = child
        else:
            if not _set(node, sweep.path[-1], sweep.values[i]):
                problems.append(Problem(ORIGIN, f"{format_path(sweep.path)} does not exist in component "
                                                f"{c.id!r} ({c.type})", path=sweep.key))
                continue
            try:
                components[n] = type(c).model_validate(data)
            except ValidationError as e:
                for err in e.errors():
                    loc = tuple(_date_part(p) for p in err["loc"] if p not in DATED_TAGS)
                    where = format_path(loc) if loc else ""
                    message = _message(err)
                    if where and where != sweep.field:
                        message = f"{where}: {message}"
                    if repr(err.get("input")) not in message:
                        message += f" (value {sweep.texts[i]})"
                    problems.append(Problem(ORIGIN, message, path=sweep.key))
    if problems:
        return plan, problems
    return plan.model_copy(update={"components": tuple(components)}), []


def _date_part(part):
    """pydantic names a bad mapping entry by the key's repr (``datetime.date(2027, 7, 1)``): as ISO text."""
    m = re.fullmatch(r"datetime\.date\((\d+), (\d+), (\d+)\)", part) if isinstance(part, str) else None
    return dt.date(*map(int, m.groups())).isoformat() if m else part


def _is_dated_field(component, path) -> bool:
    """Whether ``path`` names an effective-dated parameter (a ``Dated[...]`` field) of the component."""
    if len(path) != 1:
        return False
    field = type(component).model_fields.get(path[0])
    return field is not None and f"'{BY_DATE}'" in repr(field.annotation)


def _set(node, part, value) -> bool:
    if isinstance(node, dict) and isinstance(part, str):
        date = _as_date(part)
        if date is not None and (date in node or any(isinstance(k, dt.date) for k in node)):
            part = date
        node[part] = value
        return True
    if isinstance(node, list) and isinstance(part, int) and part < len(node):
        node[part] = value
        return True
    return False
