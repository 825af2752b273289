"""Which rules run, and with what settings: ``[tool.compcalc.lint]`` in pyproject.toml, then the CLI.

```toml
[tool.compcalc.lint]
select = ["EX", "BK2"]     # codes or code prefixes; "ALL" = every rule (the default)
ignore = ["EX110"]
min_land_arr = 15000       # BK201's minimum viable land, in the plan currency
```

The file is the ``pyproject.toml`` with a ``[tool.compcalc.lint]`` table in the current directory or
its nearest parent (a pyproject.toml without the table is skipped, as ruff does). ``--select`` on the
command line replaces the file's ``select``; ``--ignore`` adds to the file's ``ignore``. A plan's own
``lint: {ignore: [...]}`` suppresses findings about that plan only.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Iterable

from compcalc.problems import InputError, Problem

DEFAULT_MIN_LAND_ARR = 1_500_000  # cents: 15,000.00
ALL = "ALL"
_KEYS = ("select", "ignore", "min_land_arr")


@dataclass(frozen=True)
class LintConfig:
    select: tuple[str, ...] | None = None  # None: every rule
    ignore: tuple[str, ...] = ()
    min_land_arr: int = DEFAULT_MIN_LAND_ARR  # cents
    source: str | None = None  # the pyproject.toml it came from

    def enabled(self, code: str) -> bool:
        """Whether rule ``code`` runs: selected (or no selection) and not ignored."""
        if self.select is not None and not matches(code, self.select):
            return False
        return not matches(code, self.ignore)

    def with_cli(self, select: Iterable[str] = (), ignore: Iterable[str] = ()) -> "LintConfig":
        """This configuration with the command line's ``--select`` (replaces) and ``--ignore`` (adds)."""
        select, ignore = split_codes(select), split_codes(ignore)
        return replace(self, select=select if select else self.select, ignore=self.ignore + ignore)


def split_codes(values: Iterable[str] | str | None) -> tuple[str, ...]:
    """``["EX101,EX102", "bk2"]`` -> ``("EX101", "EX102", "BK2")``: comma-separated, repeatable, any case."""
    if values is None:
        return ()
    if isinstance(values, str):
        values = [values]
    out = []
    for v in values:
        out.extend(p.strip().upper() for p in str(v).split(",") if p.strip())
    return tuple(out)


def matches(code: str, selectors: Iterable[str]) -> bool:
    """A selector is ``ALL``, a full code or a code prefix (``EX``, ``EX1``, ``BK20``)."""
    return any(s == ALL or code.startswith(s) for s in selectors)


def unknown_selectors(selectors: Iterable[str], codes: Iterable[str]) -> list[str]:
    codes = list(codes)
    return [s for s in selectors if s != ALL and not any(c.startswith(s) for c in codes)]


def find_pyproject(start: Path | str | None = None) -> Path | None:
    """The nearest pyproject.toml, from ``start`` (default: the current directory) up, with the table."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            try:
                data = tomllib.loads(candidate.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                return candidate  # the nearest one is broken: report it rather than skip it
            if _section(data) is not None:
                return candidate
    return None


def _section(data: dict):
    """``tool.compcalc.lint`` if present (of any type, so a wrong one is reported), else None."""
    tool = data.get("tool")
    compcalc = tool.get("compcalc") if isinstance(tool, dict) else None
    if compcalc is None:
        return None
    return compcalc.get("lint") if isinstance(compcalc, dict) else compcalc


def load_config(start: Path | str | None = None, codes: Iterable[str] | None = None) -> LintConfig:
    """The ``[tool.compcalc.lint]`` settings that apply in ``start`` (default: the current directory).

    Raises :class:`InputError` listing every problem in the table (unknown keys, wrong types, unknown
    rule codes when ``codes`` is given).
    """
    path = find_pyproject(start)
    if path is None:
        return LintConfig()
    file = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    except (OSError, UnicodeDecodeError) as e:
        raise InputError([Problem(file, f"cannot read: {e}")])
    except tomllib.TOMLDecodeError as e:
        raise InputError([Problem(file, f"not valid TOML: {e}")])
    table = _section(data)
    if not isinstance(table, dict):
        where = "tool.compcalc.lint" if isinstance(data["tool"]["compcalc"], dict) else "tool.compcalc"
        raise InputError([Problem(file, "must be a table, e.g. [tool.compcalc.lint] with select = [...]", path=where)])
    problems, where = [], "tool.compcalc.lint"
    for key in table:
        if key not in _KEYS:
            problems.append(Problem(file, f"unknown key (expected one of {', '.join(_KEYS)})", path=f"{where}.{key}"))
    lists = {}
    for key in ("select", "ignore"):
        value = table.get(key)
        if value is None:
            continue
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            problems.append(Problem(file, "must be a list of rule codes, e.g. [\"EX110\"]", path=f"{where}.{key}"))
            continue
        lists[key] = split_codes(value)
        if codes is not None:
            for bad in unknown_selectors(lists[key], codes):
                problems.append(Problem(file, f"unknown rule code {bad!r} (see `compcalc rules`)", path=f"{where}.{key}"))
    min_land = DEFAULT_MIN_LAND_ARR
    if "min_land_arr" in table:
        min_land = _money(table["min_land_arr"])
        if min_land is None:
            problems.append(Problem(file, "must be an amount ≥ 0 with at most 2 decimals (e.g. 15000)",
                                    path=f"{where}.min_land_arr"))
            min_land = DEFAULT_MIN_LAND_ARR
    if problems:
        raise InputError(problems)
    return LintConfig(select=lists.get("select"), ignore=lists.get("ignore", ()), min_land_arr=min_land, source=file)


def _money(value) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        d = Decimal(value) if isinstance(value, (int, Decimal, str)) else None
        if d is None or not d.is_finite() or d < 0 or d > Decimal("999999999999.99") \
                or d != d.quantize(Decimal("0.01")):
            return None
    except ArithmeticError:  # 1e400 cannot even be quantized
        return None
    return int(d * 100)
