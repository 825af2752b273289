"""Owners as CRMs name them (a full name or an email) resolved to roster ``rep_id``s.

``auto`` reads a value with an "@" as an email (roster ``email``, case-insensitive), else as a rep_id,
else as a name (roster ``name``, case- and space-insensitive). A name two reps share is ambiguous and
an error, never a guess.
"""
from __future__ import annotations

import re

import pandas as pd

_SPACES = re.compile(r"\s+")


def _key(value: str) -> str:
    return _SPACES.sub(" ", str(value).strip()).casefold()


class Directory:
    def __init__(self, roster: pd.DataFrame):
        self.ids = set(roster["rep_id"])
        self.by_name: dict[str, set[str]] = {}
        self.by_email: dict[str, set[str]] = {}
        emails = roster["email"] if "email" in roster.columns else pd.Series([""] * len(roster))
        for rep, name, email in zip(roster["rep_id"], roster["name"], emails):
            self.by_name.setdefault(_key(name), set()).add(rep)
            if email:
                self.by_email.setdefault(_key(email), set()).add(rep)
        self.has_emails = bool(self.by_email)

    def resolve(self, value: str, how: str) -> tuple[str | None, str]:
        """(rep_id, how it was found) or (None, the reason it was not)."""
        if how == "rep_id" or (how == "auto" and "@" not in value and value in self.ids):
            return (value, "rep_id") if value in self.ids else (None, f"rep {value!r} is not in the roster")
        if how == "email" or (how == "auto" and "@" in value):
            found = self.by_email.get(_key(value), set())
            kind = "email"
            if not self.has_emails:
                return None, f"{value!r} is an email but the roster has no email column"
        else:
            found = self.by_name.get(_key(value), set())
            kind = "name"
        if len(found) == 1:
            return next(iter(found)), kind
        if not found:
            return None, f"{value!r} matches no roster {kind}"
        return None, f"{value!r} is the {kind} of several reps ({', '.join(sorted(found))}): ambiguous"
