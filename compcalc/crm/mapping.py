"""The mapping file: how one CRM export's columns and values become a canonical input file.

A frozen pydantic model read from YAML; every problem names the file, line and YAML path, like a plan.
"""
from __future__ import annotations

import codecs
import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Literal

import yaml
from pydantic import Field, ValidationError, ValidationInfo, field_validator, model_validator

from compcalc.components.base import Frozen
from compcalc.problems import Problem
from compcalc.schema import TABLES as INPUT_TABLES
from compcalc.yamlsrc import format_path
from compcalc.yamlsrc import load as load_yaml

TABLES = ("deals", "milestones", "roster")
# The column of each table that names a person, resolved through the roster (name, email or rep_id).
PERSON_COLUMN = {"deals": "owner_id", "milestones": "csm_id"}
DATE_TOKENS = re.compile(r"YYYY|MM|DD|M|D")
DELIMITERS = {",": ",", ";": ";", "tab": "\t", "\t": "\t", "|": "|", "auto": "auto"}


def canonical_columns(table: str) -> tuple[str, ...]:
    return tuple(c.name for c in INPUT_TABLES[table])


def required_columns(table: str) -> tuple[str, ...]:
    return tuple(c.name for c in INPUT_TABLES[table] if c.required)


Headers = str | tuple[str, ...]


class Mapping(Frozen):
    table: Literal["deals", "milestones", "roster"]
    description: str | None = None
    encoding: str = "auto"  # auto: UTF-8 (with or without BOM) when the bytes are UTF-8, else windows-1252
    delimiter: str = "auto"  # auto: the most frequent of , ; tab | in the header line
    defaults: dict[str, str | int | Decimal | dt.date] = {}  # canonical column -> value when the export has none
    columns: dict[str, Headers]  # canonical column -> export header, or candidates (see importer.raw)
    values: dict[str, dict[str, str]] = {}  # canonical column -> export value -> canonical value
    closed_won: tuple[str, ...] = ()  # stages that count as won; empty: "closed won" / "won"
    dates: tuple[str, ...] = Field(("YYYY-MM-DD",), min_length=1)  # tried in order
    amounts: Literal["1234.56", "1,234.56", "1.234,56", "1 234,56", "1'234.56"] = "1,234.56"
    owners: Literal["auto", "name", "email", "rep_id"] = "auto"

    @field_validator("encoding")
    @classmethod
    def _known_encoding(cls, v: str) -> str:
        if v != "auto":
            try:
                codecs.lookup(v)
            except LookupError:
                raise ValueError(f"unknown encoding {v!r} (e.g. utf-8, windows-1252, latin-1, utf-16)")
        return v

    @field_validator("delimiter")
    @classmethod
    def _known_delimiter(cls, v: str) -> str:
        if v not in DELIMITERS:
            raise ValueError(f"must be one of , ; tab | auto (got {v!r})")
        return DELIMITERS[v]

    @field_validator("dates")
    @classmethod
    def _date_formats(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for i, fmt in enumerate(v):
            tokens = DATE_TOKENS.findall(fmt)
            rest = DATE_TOKENS.sub("", fmt)
            kinds = sorted(t[0] for t in tokens)
            if kinds != ["D", "M", "Y"] or "YY" in rest or any(c not in " /.-" for c in rest):
                raise _AtPath(("dates", i), f"{fmt!r} is not a date format: YYYY, MM (or M), DD (or D) once "
                              "each, separated by / . - or space (e.g. MM/DD/YYYY, DD.MM.YYYY)")
        return v

    @field_validator("columns", "values", "defaults")
    @classmethod
    def _columns_of_the_table(cls, v: dict, info: ValidationInfo) -> dict:
        table = info.data.get("table")
        if table is None:  # reported already
            return v
        known = canonical_columns(table)
        for col in v:
            if col not in known:
                raise _AtPath((info.field_name, col), f"{col!r} is not a column of {table}.csv "
                              f"(expected one of {', '.join(known)})")
        if info.field_name == "columns":
            for col in required_columns(table):
                if col not in v and col != PERSON_COLUMN.get(table) and col not in (info.data.get("defaults") or {}):
                    raise _AtPath(("columns",), f"required column {col!r} is not mapped")
            for col, h in v.items():
                if not h or (not isinstance(h, str) and not all(h)):
                    raise _AtPath(("columns", col), "must name the export column (or a list of candidates)")
        return v

    @model_validator(mode="after")
    def _cross_checks(self):
        for col in self.values:
            if col == "stage":
                raise _AtPath(("values", col), "stages are not mapped to values: list the won ones in closed_won")
            if col not in self.columns:
                raise _AtPath(("values", col), f"column {col!r} is not mapped in columns")
        if PERSON_COLUMN.get(self.table) in required_columns(self.table) and PERSON_COLUMN[self.table] not in self.columns:
            raise _AtPath(("columns",), f"required column {PERSON_COLUMN[self.table]!r} is not mapped")
        if self.closed_won and "stage" not in self.columns:
            raise _AtPath(("closed_won",), "closed_won needs a stage column in columns")
        return self

    def headers(self, column: str) -> tuple[str, ...]:
        h = self.columns.get(column, ())
        return (h,) if isinstance(h, str) else tuple(h)


UNION_MESSAGES = {
    "columns": "must be an export column header, or a list of them",
    "defaults": "must be one value: text, a number or a date",
}


class _AtPath(ValueError):
    """A model-level check that knows the YAML path it is about."""

    def __init__(self, path: tuple, message: str):
        super().__init__(message)
        self.path = path


def parse_mapping(text: str, file: str) -> tuple[Mapping | None, list[Problem]]:
    from compcalc.plans import _message

    try:
        src = load_yaml(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        return None, [Problem(file, f"not valid YAML: {getattr(e, 'problem', None) or e}",
                              line=mark.line + 1 if mark else None)]
    if not isinstance(src.data, dict):
        return None, [Problem(file, "a mapping file must be a YAML mapping (table: …, columns: …)", line=1)]
    problems = [Problem(file, "duplicate key", line=line, path=format_path(path)) for path, line in src.duplicates]
    try:
        mapping = Mapping.model_validate(src.data)
    except ValidationError as e:
        found: dict[tuple, list[str]] = {}
        for err in e.errors():
            cause = (err.get("ctx") or {}).get("error")
            if isinstance(cause, _AtPath):
                path, message = cause.path, str(cause)
            else:
                path, message = _yaml_path(err["loc"], src.data), _message(err)
            found.setdefault(path, []).append(message)
        for path, messages in found.items():
            if any(other[:len(path)] == path and len(other) > len(path) for other in found):
                continue  # a list of headers with one bad item: the item says it
            if len(messages) > 1:  # every member of a union failed: say what is allowed once
                messages = [UNION_MESSAGES.get(path[0], " or ".join(dict.fromkeys(messages)))]
            problems.append(Problem(file, messages[0], line=src.line_of(path), path=format_path(path)))
        return None, _dedupe(problems)
    return (None, problems) if problems else (mapping, [])


def _yaml_path(loc: tuple, data) -> tuple:
    """Pydantic's location less the union members and markers it inserts (``str``, ``function-after[…]``,
    ``[key]``): a part that is a key or index of the data there is kept."""
    out, node = [], data
    for part in loc:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        elif isinstance(part, str) and (part in ("str", "int", "decimal", "date", "tuple[str, ...]", "[key]")
                                        or part.startswith("function-")):
            continue
        else:
            node = None
        out.append(part)
    return tuple(out)


def _dedupe(problems: list[Problem]) -> list[Problem]:
    return sorted(set(problems), key=lambda p: (p.line or 0, p.path or "", p.message))


def load_mapping(path: str | Path) -> tuple[Mapping | None, list[Problem]]:
    from compcalc.crm.bundled import bundled, resolve

    p = resolve(str(path))
    if not p.is_file():
        if p.is_dir():
            return None, [Problem(str(p), "is a folder, not a mapping file")]
        names = ", ".join(bundled()) or "none found"
        return None, [Problem(str(p), f"no such file (bundled mappings: {names})")]
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        return None, [Problem(str(p), f"cannot read: {e}")]
    return parse_mapping(text, str(p))
