"""YAML that remembers where each value came from.

PyYAML's composer gives every node its position; we build plain Python data from the node tree
ourselves so that (1) every YAML path maps to its line, (2) duplicate keys are reported instead of
silently overwritten, and (3) decimals such as ``rate: 0.10`` become exact ``Decimal`` values, never
binary floats.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import yaml

from compcalc.inert_text import control_problem

_INT = re.compile(r"^[-+]?[0-9][0-9_]*$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_NODES = 100_000  # far more than any plan; stops alias bombs
# Bounds no real plan reaches (README "Bounds"): more decimals than this would make exact fractions
# with huge denominators (1e-99999999 hangs), more digits a number no amount or count comes near.
MAX_PLACES = 10
MAX_DIGITS = 30


@dataclass
class SourcedYaml:
    data: object
    lines: dict[tuple, int] = field(default_factory=dict)  # YAML path tuple -> 1-based line
    duplicates: list[tuple[tuple, int]] = field(default_factory=list)
    #: numbers outside the bounds, text with control characters: (YAML path, line, reason); the value
    #: is replaced by 0
    bad_values: list[tuple[tuple, int, str]] = field(default_factory=list)

    def line_of(self, path: tuple) -> int | None:
        """The line of ``path``, or of its nearest ancestor that exists in the file."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


def format_path(path: tuple) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


def _scalar(node: yaml.ScalarNode):
    value = node.value
    if node.style is not None:  # quoted: always a string
        return value
    tag = node.tag
    if tag == "tag:yaml.org,2002:null" or value in ("", "~", "null", "Null", "NULL"):
        return None
    if tag == "tag:yaml.org,2002:bool":
        return value.lower() in ("true", "yes", "on")
    if _INT.match(value):
        digits = value.replace("_", "")
        # int() refuses more than 4,300 digits with a ValueError: keep it a Decimal for the bound check
        return int(digits) if len(digits) <= MAX_DIGITS + 1 else Decimal(digits)
    if _FLOAT.match(value) and any(c.isdigit() for c in value):
        try:
            return Decimal(value.replace("_", ""))
        except InvalidOperation:
            return value
    if _DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def number_problem(value, written: str | None = None) -> str | None:
    """Why a plan number is outside the bounds compcalc computes with, or None."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return None
    d = Decimal(value)
    if not d.is_finite():
        return None
    sign, digits, exponent = d.as_tuple()
    if not any(digits):
        return None
    trailing = len(digits) - len("".join(map(str, digits)).rstrip("0"))  # 0.50000 is 0.5
    places = -(exponent + trailing)
    whole_digits = len(digits) + exponent
    written = str(value) if written is None else written
    shown = written if len(written) <= 40 else written[:37] + "..."
    if places > MAX_PLACES:
        return f"{shown} has more than {MAX_PLACES} decimal places"
    if whole_digits > MAX_DIGITS:
        return f"{shown} is too large (more than {MAX_DIGITS} digits)"
    return None


def _key_problem(k) -> str | None:
    """Why a mapping key cannot name a plan setting, or None."""
    if not isinstance(k, yaml.ScalarNode):
        return "a key must be a plain name, not a list or a mapping (a YAML complex key, '? …')"
    if k.tag == "tag:yaml.org,2002:merge" or (k.style is None and k.value == "<<"):
        return "YAML merge keys (<<: *alias) are not supported: write the keys out (an alias of a whole value works)"
    if k.style is None and isinstance(_scalar(k), bool):
        return f"the key {k.value} reads as true/false in YAML: quote it ('{k.value}') or use the setting's name"
    return None


def load(text: str) -> SourcedYaml:
    """Parse one YAML document. Raises ``yaml.YAMLError`` (with a mark) on syntax errors."""
    try:
        return _load(text)
    except RecursionError:  # in PyYAML's composer or in build below
        raise yaml.YAMLError("values nested too deeply") from None


def _load(text: str) -> SourcedYaml:
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    out = SourcedYaml(data=None)
    if node is None:
        return out
    out.lines[()] = node.start_mark.line + 1
    open_nodes: set[int] = set()
    budget = [MAX_NODES]
    built: set[int] = set()  # a node met twice came through an alias
    aliased = [False]

    def build(n, path):
        # an alias that contains itself never ends, and nested aliases can expand a small file into
        # billions of values: both are reported, not followed
        if id(n) in open_nodes:
            raise yaml.MarkedYAMLError(problem="an alias refers to a value that contains it",
                                       problem_mark=n.start_mark)
        budget[0] -= 1
        if id(n) in built:
            aliased[0] = True
        built.add(id(n))
        if budget[0] < 0:
            why = ("aliases expanding?" if aliased[0] else
                   "far more than any plan holds: split it into several plan files")
            raise yaml.MarkedYAMLError(problem=f"more than {MAX_NODES:,} values ({why})", problem_mark=n.start_mark)
        out.lines[path] = n.start_mark.line + 1
        if isinstance(n, (yaml.MappingNode, yaml.SequenceNode)):
            open_nodes.add(id(n))
            try:
                return _collection(n, path)
            finally:
                open_nodes.discard(id(n))
        value = _scalar(n)
        problem = control_problem(value) if isinstance(value, str) else number_problem(value, n.value)
        if problem:
            out.bad_values.append((path, n.start_mark.line + 1, problem))
            return 0
        return value

    def _collection(n, path):
        if isinstance(n, yaml.MappingNode):
            d = {}
            for k, v in n.value:
                problem = _key_problem(k)
                if problem:  # reported, and the key left out: its value would only add follow-on errors
                    shown = k.value if isinstance(k, yaml.ScalarNode) else "?"
                    out.bad_values.append((path + (shown,), k.start_mark.line + 1, problem))
                    continue
                key = _scalar(k)
                if key in d:
                    out.duplicates.append((path + (key,), k.start_mark.line + 1))
                d[key] = build(v, path + (key,))
                out.lines[path + (key,)] = k.start_mark.line + 1
            return d
        return [build(v, path + (i,)) for i, v in enumerate(n.value)]

    out.data = build(node, ())
    return out
