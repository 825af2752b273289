"""Notes are rendered for people and never read back: with every note replaced by nonsense, every
amount, every statement figure and every `why` figure stays the same."""
from __future__ import annotations

import dataclasses
import re

import pytest

from compcalc import ledger_lines as L
from compcalc.pipeline import run
from compcalc.inputs import load_book
from compcalc.periods import parse_period
from compcalc.statements.model import StatementBook
from compcalc.statements.why import month_tree, render
from conftest import GOLDEN, case_files

CASES = [("land_and_expand", "2028-01", ["2027-03", "2027-04", "2027-09", "2028-01"]),
         ("icm_essentials", "2027-06", ["2027-02", "2027-06"]),
         ("plan_patterns", "2027-12", ["2027-02", "2027-06", "2027-12"])]
NONSENSE = "zz 1,234.56 churned 1999-01-01 (tier 9); earned to date 9.99"
MONEY = re.compile(r"-?\d[\d,]*\.\d\d")


def _strip(value):
    """The statement as plain data without its notes and facts."""
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k not in ("note", "facts")}
    if isinstance(value, (list, tuple)):
        return [_strip(v) for v in value]
    return value


def same_but_notes(plain, garbled, path="") -> list[str]:
    """Where the garbled statement differs from the plain one other than by showing a note."""
    if isinstance(plain, dict) and isinstance(garbled, dict) and plain.keys() == garbled.keys():
        return [d for k in plain for d in same_but_notes(plain[k], garbled[k], f"{path}.{k}")]
    if isinstance(plain, list) and isinstance(garbled, list) and len(plain) == len(garbled):
        return [d for i, (p, g) in enumerate(zip(plain, garbled)) for d in same_but_notes(p, g, f"{path}[{i}]")]
    if plain == garbled or garbled == NONSENSE:  # a phrase that is the note itself may change with it
        return []
    return [f"{path}: {plain!r} became {garbled!r}"]


def figures(case: str, through: str, months: list[str]):
    result = run(load_book(**case_files(GOLDEN / case)), parse_period(through), schedule=True)
    book = StatementBook(result, [parse_period(m) for m in months])
    reps = sorted(set(result.lines["rep_id"]))
    statements, why = [], []
    for m in months:
        for rep in reps:
            st = book.statement(rep, parse_period(m))
            statements.append(_strip(dataclasses.asdict(st)))
            why.append(MONEY.findall("\n".join(line for line in render(month_tree(st)).splitlines()
                                               if NONSENSE not in line and not _is_note(line, result))))
    amounts = result.lines[["rep_id", "month", "component_id", "kind", "amount"]].to_numpy().tolist()
    return amounts, statements, why


def _is_note(text: str, result) -> bool:
    notes = set(result.lines["note"].to_numpy(object)) - {""}
    return any(text.endswith(n) for n in notes)


@pytest.mark.parametrize("case,through,months", CASES, ids=[c[0] for c in CASES])
def test_changing_every_note_changes_no_figure(case, through, months, monkeypatch):
    plain = figures(case, through, months)
    make = L.make_lines

    def nonsense_notes(**kw):
        kw["note"] = NONSENSE
        return make(**kw)

    monkeypatch.setattr(L, "make_lines", nonsense_notes)
    garbled = figures(case, through, months)
    assert garbled[0] == plain[0]  # amounts
    assert same_but_notes(plain[1], garbled[1]) == []  # statement figures
    assert garbled[2] == plain[2]  # why figures
    assert any(plain[2])
