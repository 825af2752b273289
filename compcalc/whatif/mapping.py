"""Put every plan set onto the one roster: each roster plan_id mapped by id or by role.

The roster's plan ids are defined by the baseline or by a candidate (the baseline's plan with that id
wins, then the first candidate's); that plan's role is the id's role. For each plan_id the roster
uses, each set (the baseline too) supplies its plan with the same plan_id if it has one; otherwise its
one plan with the same role; otherwise its one plan of the same role group (expansion_ae and
account_manager are one group: both own the installed base). None or several → a problem naming the
set and the plan_id. A set's book is the loaded book with its plans and the roster's plan_id remapped
onto them, so the CSV inputs are loaded and validated once.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from compcalc.inputs import Book
from compcalc.plans import Plan
from compcalc.problems import InputError, Problem

#: Roles that do the same job under different names share a group; tables compare sets by group.
ROLE_GROUPS = {"new_business_ae": "new_business_ae", "expansion_ae": "expansion",
               "account_manager": "expansion", "csm": "csm", "other": "other"}
ROLE_GROUP_NAMES = {"new_business_ae": "New business AE", "expansion": "Expansion AE / account manager",
                    "csm": "CSM", "other": "Other", "unassigned": "No assignment"}
ROLE_GROUP_ORDER = ("new_business_ae", "expansion", "csm", "other", "unassigned")


@dataclass
class PlanSet:
    """One set of plans to run on the book, and how the roster's plan ids map onto it."""

    label: str
    source: str
    plans: dict[str, Plan]
    #: roster plan_id -> plan_id in this set
    mapping: dict[str, str] = field(default_factory=dict)

    def role_group(self, plan_id: str) -> str:
        plan = self.plans.get(plan_id)
        return ROLE_GROUPS[plan.role] if plan is not None else "unassigned"



def set_label(source: str, taken: set[str]) -> str:
    """A short name for a plan set: its folder or file name, numbered when already taken."""
    p = Path(source)
    base = (p.stem if p.suffix in (".yaml", ".yml") else p.name) or str(source)
    label, n = base, 2
    while label in taken:
        label, n = f"{base} #{n}", n + 1
    return label


def map_roster(reference: dict[str, Plan], roster_plan_ids, candidate: dict[str, Plan],
               source: str) -> tuple[dict[str, str], list[Problem]]:
    """roster plan_id -> plan_id in ``candidate``, or the problems that stop the mapping.

    ``reference`` holds the plan each roster plan_id names (it gives the id's role)."""
    mapping: dict[str, str] = {}
    problems: list[Problem] = []
    for pid in sorted(set(roster_plan_ids)):
        if pid in candidate:
            mapping[pid] = pid
            continue
        role = reference[pid].role
        same_role = sorted(p.plan_id for p in candidate.values() if p.role == role)
        same_group = sorted(p.plan_id for p in candidate.values() if ROLE_GROUPS[p.role] == ROLE_GROUPS[role])
        found = same_role or same_group
        if len(found) == 1:
            mapping[pid] = found[0]
        elif not found:
            problems.append(Problem(source, f"no plan for the roster's plan_id {pid!r} (role {role}): "
                                            f"no plan has that plan_id or role {_roles_of(role)}"))
        else:
            problems.append(Problem(source, f"the roster's plan_id {pid!r} (role {role}) matches several "
                                            f"plans by role: {', '.join(found)}; give one of them "
                                            f"plan_id {pid!r} to choose it"))
    return mapping, problems


def _roles_of(role: str) -> str:
    group = [r for r, g in ROLE_GROUPS.items() if g == ROLE_GROUPS[role]]
    return " or ".join(group)


def reference_plans(baseline: dict[str, Plan], candidates: list[dict[str, Plan]]) -> dict[str, Plan]:
    """Every plan the roster may name: the baseline's, then each candidate's not already defined."""
    out: dict[str, Plan] = {}
    for plans in [baseline] + candidates:
        for pid, plan in plans.items():
            out.setdefault(pid, plan)
    return out


def plan_sets(book: Book, sets: list[tuple[str, dict[str, Plan]]]) -> list[PlanSet]:
    """Each (source, plans) — the baseline first — mapped onto the book's roster.

    ``book.plans`` defines the roster's plan ids (see :func:`reference_plans`). Raises InputError
    listing every mapping problem.
    """
    roster_ids = sorted(set(book.roster["plan_id"].to_numpy(object)))
    taken: set[str] = set()
    out: list[PlanSet] = []
    problems: list[Problem] = []
    for source, plans in sets:
        mapping, found = map_roster(book.plans, roster_ids, plans, str(source))
        problems.extend(found)
        label = set_label(str(source), taken)
        taken.add(label)
        out.append(PlanSet(label, str(source), dict(plans), mapping))
    if problems:
        raise InputError(problems)
    return out


def book_for(book: Book, plan_set: PlanSet) -> Book:
    """The book with this set's plans and the roster's plan_id remapped onto them."""
    roster = book.roster.copy()
    ids = roster["plan_id"].to_numpy(object)
    roster["plan_id"] = np.array([plan_set.mapping.get(p, p) for p in ids], dtype=object)
    return dataclasses.replace(book, plans=dict(plan_set.plans), roster=roster)
