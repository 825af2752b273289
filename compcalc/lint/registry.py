"""The rule registry: every module in ``compcalc/lint/rules`` declares exactly one rule, found here."""
from __future__ import annotations

import importlib
import pkgutil
import re

from compcalc.lint import rules as _rules_package
from compcalc.lint.base import SEVERITIES, Rule

_CODE = re.compile(r"^[A-Z]{2}\d{3}$")
_NAME = re.compile(r"^[a-z_]+(\.[a-z0-9_]+)+$")


def _discover() -> dict[str, type[Rule]]:
    found: dict[str, type[Rule]] = {}
    for info in sorted(pkgutil.iter_modules(_rules_package.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{_rules_package.__name__}.{info.name}")
        declared = [obj for obj in vars(module).values()
                    if isinstance(obj, type) and issubclass(obj, Rule) and obj.__module__ == module.__name__
                    and obj.code]
        if len(declared) != 1:
            raise RuntimeError(f"{module.__name__} must declare exactly one rule (found {len(declared)})")
        rule = declared[0]
        if not _CODE.match(rule.code) or not _NAME.match(rule.name) or rule.severity not in SEVERITIES:
            raise RuntimeError(f"{module.__name__}: bad declaration (code {rule.code!r}, name {rule.name!r}, "
                               f"severity {rule.severity!r})")
        if rule.code in found:
            raise RuntimeError(f"rule {rule.code} declared twice ({found[rule.code].__module__}, {module.__name__})")
        found[rule.code] = rule
    return dict(sorted(found.items(), key=lambda item: (item[0][2:], item[0])))


#: Every rule class by code, in number order (EX101 … EX112, BK201 …).
RULES: dict[str, type[Rule]] = _discover()


def get_rule(code: str) -> type[Rule] | None:
    """The rule with this code (any case), or None."""
    return RULES.get(code.strip().upper())
