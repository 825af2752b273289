"""Validation problems are values: each names its source, and a run collects all of them at once."""
from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, pointing at where it is.

    For CSV files ``row`` is the data row (1 = first row after the header) and ``column`` the column
    name; for YAML files ``line`` is the 1-based line and ``path`` the YAML path
    (``components[0].vesting.months``).
    """

    file: str
    message: str
    row: int | None = None
    column: str | None = None
    line: int | None = None
    path: str | None = None

    def __str__(self) -> str:
        if self.line is not None or self.path is not None:
            where = f"{self.file}:{self.line}" if self.line is not None else self.file
            return f"{where} {self.path}: {self.message}" if self.path else f"{where}: {self.message}"
        parts = []
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        where = f"{self.file}: {', '.join(parts)}" if parts else self.file
        return f"{where}: {self.message}"

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v is not None}


class InputError(Exception):
    """Raised with every problem found in the inputs; the CLI prints them and exits 2."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems), key=_sort_key)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self):  # pickled with its problems (not its message): it crosses worker processes
        return type(self), (self.problems,)

    def to_json(self) -> str:
        """The problems as a JSON list of {file, message, line, path, row, column} (`--format json`)."""
        return json.dumps([p.as_dict() for p in self.problems], indent=2, ensure_ascii=False)

    def report(self) -> str:
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} found in the input; nothing was written:"
        return "\n".join([head] + [f"  {p}" for p in self.problems])


def _sort_key(p: Problem):
    return (p.file, p.line or 0, p.row or 0, p.column or "", p.path or "", p.message)


class Collector:
    """Accumulates problems across loaders; ``raise_if_any`` ends the load with all of them."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, file, message, *, row=None, column=None, line=None, path=None) -> None:
        self.problems.append(Problem(str(file), message, row=row, column=column, line=line, path=path))

    def flagged(self, file, column) -> set[int]:
        """Rows of ``file`` whose ``column`` already has a problem (a cross-row check skips them)."""
        return {p.row for p in self.problems if p.file == str(file) and p.column == column and p.row}

    def extend(self, problems) -> None:
        self.problems.extend(problems)

    def __bool__(self) -> bool:
        return bool(self.problems)

    def raise_if_any(self) -> None:
        if self.problems:
            raise InputError(self.problems)
