"""Plans: YAML files validated into frozen models, with every problem pointing at file:line and YAML path."""
from __future__ import annotations

import datetime as dt
import difflib
import typing
from pathlib import Path
from typing import Annotated, Literal, Union

import yaml
from pydantic import BaseModel, Field, PrivateAttr, ValidationError

from compcalc.components import REGISTRY
from compcalc.components.base import Component, Frozen, Money
from compcalc.components.dated import TAGS as DATED_TAGS
from compcalc.money import ROUNDING_MODES
from compcalc.problems import Collector, Problem
from compcalc.yamlsrc import SourcedYaml, format_path
from compcalc.yamlsrc import load as load_yaml


ComponentSpec = Annotated[Union[tuple(REGISTRY.values())], Field(discriminator="type")]


class LintSettings(Frozen):
    ignore: tuple[str, ...] = ()


class AccountingSettings(Frozen):
    benefit_months: int = Field(36, ge=1, le=600)
    practical_expedient: bool = True


class PlanDraw(Frozen):
    """SPEC §8.10: month i of an assignment on the plan draws ``amounts[i]`` (0 = no draw that month)."""

    amounts: tuple[Money, ...] = Field(min_length=1, max_length=600)
    type: Literal["recoverable", "non_recoverable"] = "recoverable"


CURRENCY_PATTERN = r"^[A-Z]{3}$"


class Plan(Frozen):
    plan_id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")
    name: str = Field(min_length=1)
    role: Literal["new_business_ae", "expansion_ae", "account_manager", "csm", "other"]
    currency: str = Field("USD", pattern=CURRENCY_PATTERN)
    year_start: dt.date
    ote: Money | None = None
    base_salary: Money | None = None
    rounding: Literal["half_up", "half_even"] = "half_up"
    description: str | None = None
    lint: LintSettings = LintSettings()
    accounting: AccountingSettings = AccountingSettings()
    draw: PlanDraw | None = None
    components: tuple[ComponentSpec, ...] = ()

    _source: str = PrivateAttr(default="")
    _lines: dict = PrivateAttr(default_factory=dict)

    @property
    def source(self) -> str:
        """The file the plan was read from (empty when built in code)."""
        return self._source

    def line_of(self, *path) -> int | None:
        """The line in the plan file of a YAML path such as ``("components", 0, "rate")``."""
        path = tuple(path)
        while path:
            if path in self._lines:
                return self._lines[path]
            path = path[:-1]
        return self._lines.get((), None)

    def component(self, component_id: str) -> Component | None:
        return next((c for c in self.components if c.id == component_id), None)

    def components_of(self, *types: str) -> list[Component]:
        return [c for c in self.components if c.type in types]


assert set(ROUNDING_MODES) == {"half_up", "half_even"}

_MESSAGES = {
    "missing": lambda e: "required",
    "extra_forbidden": lambda e: "unknown key",
    "greater_than_equal": lambda e: f"must be ≥ {e['ctx']['ge']}",
    "greater_than": lambda e: f"must be > {e['ctx']['gt']}",
    "less_than_equal": lambda e: f"must be ≤ {e['ctx']['le']}",
    "less_than": lambda e: f"must be < {e['ctx']['lt']}",
    "decimal_max_places": lambda e: f"at most {e['ctx']['decimal_places']} decimals",
    "literal_error": lambda e: f"must be one of {e['ctx']['expected']} (got {e['input']!r})",
    "union_tag_invalid": lambda e: (f"unknown component type {e['ctx']['tag']!r} "
                                    f"(expected one of {', '.join(sorted(REGISTRY))})"),
    "union_tag_not_found": lambda e: "missing 'type' (the component type)",
    "string_pattern_mismatch": lambda e: (
        f"{e['input']!r} is not a currency code (three capital letters, e.g. USD)"
        if e["ctx"].get("pattern") == CURRENCY_PATTERN
        else f"{e['input']!r} is not allowed here (letters, digits, _ . - only)"),
    "date_from_datetime_parsing": lambda e: f"must be a date YYYY-MM-DD (got {e['input']!r})",
    "date_parsing": lambda e: f"must be a date YYYY-MM-DD (got {e['input']!r})",
    "date_type": lambda e: f"must be a date YYYY-MM-DD (got {e['input']!r})",
    "decimal_parsing": lambda e: f"must be a number (got {e['input']!r})",
    "decimal_type": lambda e: ("must be one number (this parameter cannot be dated)" if isinstance(e["input"], dict)
                               else f"must be a number (got {e['input']!r})"),
    "int_parsing": lambda e: f"must be a whole number (got {e['input']!r})",
    "int_type": lambda e: f"must be a whole number (got {e['input']!r})",
    "int_from_float": lambda e: f"must be a whole number (got {e['input']!r})",
    "bool_parsing": lambda e: f"must be true or false (got {e['input']!r})",
    "bool_type": lambda e: f"must be true or false (got {e['input']!r})",
    "string_type": lambda e: f"must be text (got {e['input']!r})",
    "string_too_short": lambda e: "must not be empty",
    "too_short": lambda e: "must not be empty",
    "list_type": lambda e: "must be a list",
    "tuple_type": lambda e: "must be a list",
    "model_type": lambda e: "must be a mapping of keys to values",
    "model_attributes_type": lambda e: "must be a mapping of keys to values",
    "dict_type": lambda e: "must be a mapping of keys to values",
    "finite_number": lambda e: "must be a finite number",
}


def _message(err: dict) -> str:
    make = _MESSAGES.get(err["type"])
    if make:
        try:
            return make(err)
        except (KeyError, TypeError):
            pass
    msg = err.get("msg", "invalid")
    return msg[len("Value error, "):] if msg.startswith("Value error, ") else msg


def _yaml_path(loc: tuple, data) -> tuple:
    """Pydantic's location, less the discriminator tag it inserts after a component's index."""
    out = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part not in node and out and out[-1] != part and \
                isinstance(out[-1], int) and part in REGISTRY:
            continue  # the union tag
        if part in DATED_TAGS and not (isinstance(node, dict) and part in node):
            continue  # a dated parameter's tag (plain value or mapping of dates)
        if part == "[key]":
            continue  # pydantic's marker for a bad mapping key: the key itself is the place
        if isinstance(node, dict) and part not in node:
            part = next((k for k in node if isinstance(part, str) and part in (repr(k), str(k))), part)
        out.append(part)
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            node = None
    return tuple(out)


def _models_in(annotation) -> list[type]:
    """The pydantic models an annotation can hold (through Optional, tuple, Annotated, Union)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]


def _nearest_key(path: tuple, data) -> str:
    """" (did you mean 'rate'?)" for an unknown key close to a valid one at the same place, else ""."""
    models: list[type] = [Plan]
    node = data
    for part in path[:-1]:
        if isinstance(part, int):
            node = node[part] if isinstance(node, list) and part < len(node) else None
            if isinstance(node, dict) and node.get("type") in REGISTRY:
                models = [REGISTRY[node["type"]]]  # a component: its type says which model
            continue
        fields = [m.model_fields[part] for m in models if part in m.model_fields]
        models = [m for f in fields for m in _models_in(f.annotation)]
        node = node.get(part) if isinstance(node, dict) else None
        if not models:
            return ""
    valid = sorted({k for m in models for k in m.model_fields})
    close = difflib.get_close_matches(str(path[-1]), valid, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def parse_plan(text: str, file: str) -> tuple[Plan | None, list[Problem]]:
    """One plan from YAML text, or the problems that stop it."""
    try:
        src: SourcedYaml = load_yaml(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark else None
        reason = getattr(e, "problem", None) or str(e)
        return None, [Problem(file, f"not valid YAML: {reason}", line=line)]
    if not isinstance(src.data, dict):
        return None, [Problem(file, "a plan file must be a YAML mapping (plan_id: …, components: …)", line=1)]
    problems = [Problem(file, "duplicate key", line=line, path=format_path(path)) for path, line in src.duplicates]
    problems += [Problem(file, reason, line=line, path=format_path(path)) for path, line, reason in src.bad_values]
    out_of_bounds = {format_path(path) for path, _, _ in src.bad_values}  # their stand-in 0 says nothing
    components = src.data.get("components")
    if isinstance(components, list):
        seen: dict[str, int] = {}
        for i, comp in enumerate(components):
            cid = comp.get("id") if isinstance(comp, dict) else None
            if isinstance(cid, str):
                if cid in seen:
                    problems.append(Problem(file, f"duplicate component id {cid!r} (also components[{seen[cid]}])",
                                            line=src.line_of(("components", i, "id")),
                                            path=f"components[{i}].id"))
                seen.setdefault(cid, i)
    try:
        plan = Plan.model_validate(src.data)
    except ValidationError as e:
        for err in e.errors():
            path = _yaml_path(err["loc"], src.data)
            if err["type"] == "union_tag_invalid":
                path += ("type",)
            if format_path(path) in out_of_bounds:
                continue
            message = _message(err)
            if err["type"] == "extra_forbidden":
                message += _nearest_key(path, src.data)
            problems.append(Problem(file, message, line=src.line_of(path), path=format_path(path)))
        return None, sorted(problems, key=lambda p: (p.line or 0, p.path or ""))
    if problems:
        return None, sorted(problems, key=lambda p: (p.line or 0, p.path or ""))
    plan._source = file
    plan._lines = dict(src.lines)
    return plan, []


def plan_files(paths) -> tuple[list[Path], list[Problem]]:
    files, problems = [], []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            found = sorted(list(p.glob("*.yaml")) + list(p.glob("*.yml")))
            nested = sorted(d.name for d in p.iterdir() if d.is_dir() and (any(d.glob("*.yaml")) or any(d.glob("*.yml"))))
            if not found and nested:
                shown = ", ".join(nested[:3]) + (", …" if len(nested) > 3 else "")
                problems.append(Problem(str(p), f"holds folders of plan files ({shown}), not plan files: give "
                                        f"--plans one plan folder, e.g. --plans {p / nested[0]}"))
            elif not found:
                problems.append(Problem(str(p), "no plan files (*.yaml) in this folder"))
            files.extend(found)
        elif p.is_file():
            files.append(p)
        else:
            problems.append(Problem(str(p), "no such file or folder"))
    return files, problems


def load_plans(paths, collector: Collector | None = None) -> dict[str, Plan]:
    """Every plan in the given files and folders, keyed by plan_id.

    Problems (syntax, schema, duplicate ids) are added to ``collector``; without one, an
    :class:`InputError` with all of them is raised.
    """
    own = collector is None
    collector = collector if collector is not None else Collector()
    files, problems = plan_files(paths)
    collector.extend(problems)
    plans: dict[str, Plan] = {}
    for f in files:
        try:
            text = f.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            collector.add(str(f), f"cannot read: {e}")
            continue
        plan, problems = parse_plan(text, str(f))
        collector.extend(problems)
        if plan is None:
            continue
        if plan.plan_id in plans:
            collector.add(str(f), f"duplicate plan_id {plan.plan_id!r} (also in {plans[plan.plan_id].source})",
                          line=plan.line_of("plan_id"), path="plan_id")
            continue
        plans[plan.plan_id] = plan
    if own:
        collector.raise_if_any()
    return plans
