"""``compcalc why``: how every amount of a rep's month came about, as a tree of text.

Built from the same :class:`~compcalc.statements.model.Statement` and per-line explanations that the
statements print, so the two never disagree.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from compcalc.money import display


@dataclass
class Node:
    text: str
    children: list["Node"] = field(default_factory=list)

    def add(self, text: str) -> "Node":
        node = Node(text)
        self.children.append(node)
        return node


def month_tree(st, component_id: str | None = None) -> Node:
    """The tree for one statement: each component's lines with their explanations, then net, carry,
    draw and payout. With ``component_id``, only that component's lines."""
    root = Node(f"{st.rep_id} {st.name} · {st.period} · {st.plan_name} ({st.plan_id}) · {st.currency}")
    sections = [s for s in st.sections if component_id is None or s.component_id == component_id]
    for sec in sections:
        plan = f", plan {sec.plan_id}" if sec.plan_id and sec.plan_id != st.plan_id else ""
        node = root.add(f"{sec.title} ({sec.type.replace('_', ' ')}{plan}): {display(sec.total)}")
        for line in sec.lines:
            child = node.add(f"{line.title}: {display(line.amount)}")
            for phrase in line.explanation:
                child.add(phrase)
    if component_id is not None:
        if sections:
            root.add(f"of net earnings {display(st.net)}")
        return root
    net = root.add(f"net: {display(st.net)}")
    if len(st.sections) > 1:
        net.add(" + ".join(f"{s.title} {display(s.total)}" for s in st.sections))
    root.add(f"carry in: {display(st.carry_in)}").add(st.carry_in_text)
    if st.draw_line is not None:
        draw = root.add(f"draw top-up: {display(st.draw)}")
        for phrase in st.draw_line.explanation:
            draw.add(phrase)
    root.add(f"payout: {display(st.payout)}").add(st.payout_text)
    root.add(f"carry out: {display(st.carry_out)}").add(st.carry_out_text)
    return root


def render(node: Node) -> str:
    """The tree drawn with box characters, one node per line."""
    out = [node.text]

    def walk(children, prefix):
        for i, child in enumerate(children):
            last = i == len(children) - 1
            out.append(f"{prefix}{'└── ' if last else '├── '}{child.text}")
            walk(child.children, prefix + ("    " if last else "│   "))

    walk(node.children, "")
    return "\n".join(out)
