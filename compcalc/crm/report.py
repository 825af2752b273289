"""What an import did with every row of the export: kept, converted, dropped or history, and why.

kept — written with the mapping's renames, formats and value maps only; converted — written with a
value compcalc supplied (a default, a derived prior_arr, a negative amount's sign removed); dropped —
not written (the reason says why); history — before ``--since``: read for account ARR, not written.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

OUTCOMES = ("kept", "converted", "dropped", "history")


@dataclass
class Report:
    export: str
    mapping: str
    out: str
    table: str
    encoding: str
    delimiter: str
    footer_lines: int
    rows: np.ndarray  # export data row numbers
    ids: object  # the row's id (deal_id, rep_id…) for people reading the report (Arrow text)
    outcome: np.ndarray  # an index into OUTCOMES per row
    note_groups: list = field(default_factory=list)  # (positions, message or message(position))
    conversions: list[tuple[str, str, str, int, str]] = field(default_factory=list)  # column, from, to, rows, by
    since: str | None = None
    absent: list[str] = field(default_factory=list)  # optional mapped columns the export does not have

    @cached_property
    def notes(self) -> dict[int, list[str]]:
        """position -> reasons, rendered only when a report is printed (a quiet import never pays for it)"""
        out: dict[int, list[str]] = {}
        for positions, message in self.note_groups:
            for i in positions.tolist():
                out.setdefault(i, []).append(message(i) if callable(message) else message)
        return out

    def counts(self) -> dict[str, int]:
        c = np.bincount(self.outcome, minlength=len(OUTCOMES))
        out = {"rows": int(len(self.rows)), "written": int(c[0] + c[1])}
        out.update({k: int(c[i]) for i, k in enumerate(OUTCOMES)})
        out["footer_lines"] = self.footer_lines
        return out

    def to_json(self) -> str:
        rows = []
        notes = self.notes
        for i, (row, rid, outcome) in enumerate(zip(self.rows.tolist(), self.ids.to_pylist(), self.outcome.tolist())):
            entry = {"row": row, "id": rid, "outcome": OUTCOMES[outcome]}
            if i in notes:
                entry["reasons"] = notes[i]
            rows.append(entry)
        doc = {"export": self.export, "mapping": self.mapping, "out": self.out, "table": self.table,
               "encoding": self.encoding, "delimiter": self.delimiter, "since": self.since,
               "absent_columns": self.absent,
               "counts": self.counts(),
               "conversions": [{"column": c, "from": f, "to": t, "rows": n, "by": b} for c, f, t, n, b in self.conversions],
               "rows": rows}
        return json.dumps(doc, indent=1, ensure_ascii=False)

    def text(self) -> str:
        c = self.counts()
        how = [self.encoding, f"{_delimiter_name(self.delimiter)}-delimited"]
        if self.footer_lines:
            how.append(f"{self.footer_lines} footer line{'s' if self.footer_lines != 1 else ''} skipped")
        lines = [f"{self.export} ({', '.join(how)}) with {self.mapping}:",
                 f"  {c['rows']:,} rows: {c['written']:,} written to {self.out} ({c['kept']:,} kept, "
                 f"{c['converted']:,} converted), {c['dropped']:,} dropped"
                 + (f", {c['history']:,} history (before {self.since}: account ARR only)" if self.since else "")]
        if self.absent:
            lines.append(f"  mapped columns not in this export: {', '.join(self.absent)}")
        if self.conversions:
            lines.append("Values mapped:")
            by_column: dict[str, list[str]] = {}
            for column, before, after, n, by in self.conversions:
                how = "" if by == "values" else f" by {by}"
                by_column.setdefault(column, []).append(f"{before!r} → {after}{how} ({n:,} row{'s' if n != 1 else ''})")
            lines += [f"  {column}: {', '.join(items)}" for column, items in by_column.items()]
        for outcome, title in ((2, "Rows dropped:"), (1, "Rows converted:")):
            picked = np.flatnonzero(self.outcome == outcome).tolist()
            if picked:
                lines.append(title)
                for i in picked:
                    rid = self.ids[i].as_py()
                    rid = f" ({rid})" if rid else ""
                    lines.append(f"  row {int(self.rows[i])}{rid}: {'; '.join(self.notes.get(i, []))}")
        return "\n".join(lines)


def _delimiter_name(d: str) -> str:
    return {"\t": "tab"}.get(d, repr(d))
