"""Put a candidate plan set onto the baseline's roster: each roster plan_id mapped by id or by role.

The roster names the baseline's plans. For each plan_id the roster uses, a candidate set supplies
the plan with the same plan_id if it has one; otherwise its one plan with the same role as the
baseline plan; otherwise its one plan of the same role group (expansion_ae and account_manager are one
group: both own the installed base). None or several → a problem naming the set and the plan_id.
The candidate's book is the baseline book with plans replaced and the roster's plan_id remapped, so
the CSV inputs are loaded and validated once.
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
    #: roster plan_id -> plan_id in this set (identity for the baseline)
    mapping: dict[str, str] = field(default_factory=dict)

    def role_group(self, plan_id: str) -> str:
        plan = self.plans.get(plan_id)
        return ROLE_GROUPS[plan.role] if plan is not None else "unassigned"

    def mapped_by(self, roster_plan_id: str) -> str:
        """How a roster plan_id found its plan here, in words (for the report)."""
        target = self.mapping.get(roster_plan_id, "")
        return "same plan_id" if target == roster_plan_id else f"by role → {target}"


def set_label(source: str, taken: set[str]) -> str:
    """A short name for a plan set: its folder or file name, numbered when already taken."""
    p = Path(source)
    base = (p.stem if p.suffix in (".yaml", ".yml") else p.name) or str(source)
    label, n = base, 2
    while label in taken:
        label, n = f"{base} #{n}", n + 1
    return label


def map_roster(baseline: dict[str, Plan], roster_plan_ids, candidate: dict[str, Plan],
               source: str) -> tuple[dict[str, str], list[Problem]]:
    """roster plan_id -> candidate plan_id, or the problems that stop the mapping."""
    mapping: dict[str, str] = {}
    problems: list[Problem] = []
    for pid in sorted(set(roster_plan_ids)):
        if pid in candidate:
            mapping[pid] = pid
            continue
        role = baseline[pid].role
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


def plan_sets(book: Book, baseline_source: str, candidates: list[tuple[str, dict[str, Plan]]]) -> list[PlanSet]:
    """The baseline (the book's own plans) and each candidate mapped onto the roster.

    ``candidates`` are (source, plans) pairs. Raises InputError listing every mapping problem.
    """
    roster_ids = sorted(set(book.roster["plan_id"].to_numpy(object)))
    taken: set[str] = set()
    base_label = set_label(baseline_source, taken)
    taken.add(base_label)
    sets = [PlanSet(base_label, str(baseline_source), dict(book.plans), {p: p for p in roster_ids})]
    problems: list[Problem] = []
    for source, plans in candidates:
        mapping, found = map_roster(book.plans, roster_ids, plans, str(source))
        problems.extend(found)
        label = set_label(str(source), taken)
        taken.add(label)
        sets.append(PlanSet(label, str(source), dict(plans), mapping))
    if problems:
        raise InputError(problems)
    return sets


def book_for(book: Book, plan_set: PlanSet) -> Book:
    """The baseline book with this set's plans and the roster's plan_id remapped onto them."""
    roster = book.roster.copy()
    ids = roster["plan_id"].to_numpy(object)
    roster["plan_id"] = np.array([plan_set.mapping.get(p, p) for p in ids], dtype=object)
    return dataclasses.replace(book, plans=dict(plan_set.plans), roster=roster)
