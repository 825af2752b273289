"""What an import did with every row of the export: kept, converted, dropped or history, and why.

kept — written with the mapping's renames, formats and value maps only; converted — written with a
value compcalc supplied (a default, a derived prior_arr, a negative amount's sign removed); dropped —
not written (the reason says why); history — before ``--since``: read for account ARR, not written.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

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
    ids: np.ndarray  # the row's id (deal_id, rep_id…) for people reading the report
    outcome: np.ndarray  # one of OUTCOMES per row
    notes: dict[int, list[str]] = field(default_factory=dict)  # position -> reasons
    conversions: list[tuple[str, str, str, int]] = field(default_factory=list)  # column, from, to, rows
    since: str | None = None
    absent: list[str] = field(default_factory=list)  # optional mapped columns the export does not have

    def counts(self) -> dict[str, int]:
        c = Counter(self.outcome.tolist())
        out = {"rows": int(len(self.rows)), "written": int(c["kept"] + c["converted"])}
        out.update({k: int(c[k]) for k in OUTCOMES})
        out["footer_lines"] = self.footer_lines
        return out

    def to_json(self) -> str:
        rows = []
        for i, (row, rid, outcome) in enumerate(zip(self.rows.tolist(), self.ids.tolist(), self.outcome.tolist())):
            entry = {"row": row, "id": rid, "outcome": outcome}
            if i in self.notes:
                entry["reasons"] = self.notes[i]
            rows.append(entry)
        doc = {"export": self.export, "mapping": self.mapping, "out": self.out, "table": self.table,
               "encoding": self.encoding, "delimiter": self.delimiter, "since": self.since,
               "absent_columns": self.absent,
               "counts": self.counts(),
               "conversions": [{"column": c, "from": f, "to": t, "rows": n} for c, f, t, n in self.conversions],
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
            lines.append(f"  not in this export (left empty): {', '.join(self.absent)}")
        if self.conversions:
            lines.append("Values mapped:")
            by_column: dict[str, list[str]] = {}
            for column, before, after, n in self.conversions:
                by_column.setdefault(column, []).append(f"{before!r} → {after} ({n:,} row{'s' if n != 1 else ''})")
            lines += [f"  {column}: {', '.join(items)}" for column, items in by_column.items()]
        for outcome, title in (("dropped", "Rows dropped:"), ("converted", "Rows converted:")):
            picked = [i for i in np.flatnonzero(self.outcome == outcome).tolist()]
            if picked:
                lines.append(title)
                for i in picked:
                    rid = f" ({self.ids[i]})" if self.ids[i] else ""
                    lines.append(f"  row {int(self.rows[i])}{rid}: {'; '.join(self.notes.get(i, []))}")
        return "\n".join(lines)


def _delimiter_name(d: str) -> str:
    return {"\t": "tab"}.get(d, repr(d))
