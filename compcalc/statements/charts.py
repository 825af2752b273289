"""Inline SVG charts for the HTML (and so PDF) statements and the run site: no scripts, no network.

Each chart scales to its container (a viewBox and width 100%), so it never overflows a phone or an A4
page; every bar has a <title> with its exact amount. Amounts are cents; only the drawing uses floats.
"""
from __future__ import annotations

from markupsafe import Markup, escape

from compcalc.money import display
from compcalc.periods import period

INK, MUTED, SOFT, ACCENT, POS, NEG = "#1b2230", "#5a6373", "#e9edf3", "#3563c9", "#5b8def", "#9f1d1d"
BANDS = ("#eef2f8", "#dfe7f5", "#cddbf4", "#bccff2", "#aac2ee")


def _svg(width: int, height: int, body: list[str], label: str) -> Markup:
    return Markup(f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
                  f'role="img" aria-label="{escape(label)}">'
                  + "".join(body) + "</svg>")


def _money(cents: int) -> str:
    return display(int(cents))


def attainment(q) -> Markup:
    """Credits against quota on the tier bands: each band shaded, the quota marked, credits as a bar."""
    width, height, left, right = 640, 74, 4, 636
    tops = [b.upper for b in q.bands if b.upper is not None]
    scale_max = max([q.quota] + tops[:3] + [q.credits]) or 1
    if q.bands and q.bands[-1].upper is None:
        scale_max = max(scale_max, int(q.quota * 1.1) if not tops else scale_max)
    span = right - left

    def x(cents: int) -> float:
        return left + span * max(0, min(cents, scale_max)) / scale_max

    body = []
    for i, b in enumerate(q.bands):
        x0, x1 = x(b.lower), x(b.upper if b.upper is not None else scale_max)
        if x1 <= x0:
            continue
        body.append(f'<rect x="{x0:.1f}" y="8" width="{x1 - x0:.1f}" height="30" fill="{BANDS[i % len(BANDS)]}">'
                    f'<title>tier {b.tier}: {escape(b.range)} of quota, × {escape(b.multiplier)}</title></rect>')
        body.append(f'<text x="{x0 + 4:.1f}" y="20" font-size="10" fill="{MUTED}">tier {b.tier} · × {escape(b.multiplier)}</text>')
    bar = x(q.credits) - left
    body.append(f'<rect x="{left}" y="24" width="{bar:.1f}" height="12" fill="{ACCENT}">'
                f'<title>credits {_money(q.credits)}</title></rect>')
    qx = x(q.quota)
    body.append(f'<line x1="{qx:.1f}" y1="4" x2="{qx:.1f}" y2="44" stroke="{INK}" stroke-width="2"/>')
    anchor = "end" if qx > width * 0.7 else "start"
    dx = -4 if anchor == "end" else 4
    body.append(f'<text x="{qx + dx:.1f}" y="56" font-size="11" fill="{INK}" text-anchor="{anchor}">'
                f'quota {_money(q.quota)}</text>')
    cx = x(q.credits)
    anchor = "end" if cx > width * 0.5 else "start"
    body.append(f'<text x="{cx + (-4 if anchor == "end" else 4):.1f}" y="70" font-size="11" fill="{ACCENT}" '
                f'text-anchor="{anchor}">credits {_money(q.credits)}</text>')
    return _svg(width, height, body, f"credits {_money(q.credits)} against quota {_money(q.quota)}")


def progress(earned: int, target: int, pace: float, label: str) -> Markup:
    """One bar: earned against a target, with a tick where an even year would be."""
    width, height, left, right = 640, 40, 4, 636
    top = max(target, earned, 1)

    def x(cents: int) -> float:
        return left + (right - left) * max(0, cents) / top

    body = [f'<rect x="{left}" y="6" width="{x(target) - left:.1f}" height="16" fill="{SOFT}">'
            f'<title>{escape(label)} {_money(target)}</title></rect>',
            f'<rect x="{left}" y="6" width="{x(earned) - left:.1f}" height="16" fill="{ACCENT}">'
            f'<title>earned {_money(earned)}</title></rect>']
    px = x(int(target * pace))  # pace: a fraction of the year
    body.append(f'<line x1="{px:.1f}" y1="2" x2="{px:.1f}" y2="26" stroke="{INK}" stroke-dasharray="3 2"/>')
    anchor = "end" if px > width * 0.6 else "start"
    body.append(f'<text x="{px + (-4 if anchor == "end" else 4):.1f}" y="37" font-size="11" fill="{MUTED}" '
                f'text-anchor="{anchor}">even pace {float(pace):.0%}</text>')
    return _svg(width, height, body, f"earned {_money(earned)} of {label} {_money(target)}")


def months(rows, series=(("net", "earned", POS), ("payout", "paid", ACCENT)), line: str | None = "carry_out") -> Markup:
    """Grouped bars per month (earned, paid) and the carry as a line; negatives below the zero line."""
    rows = list(rows)
    width, height, top, bottom, left = 640, 180, 10, 150, 4
    n = max(len(rows), 1)
    values = [getattr(r, key) for r in rows for key, _, _ in series]
    if line:
        values += [getattr(r, line) for r in rows]
    hi, lo = max(values + [1]), min(values + [0])
    span = (hi - lo) or 1

    def y(cents: int) -> float:
        return top + (bottom - top) * (hi - cents) / span

    slot = (width - left * 2) / n
    bar = slot * 0.8 / len(series)
    zero = y(0)
    body = [f'<line x1="{left}" y1="{zero:.1f}" x2="{width - left}" y2="{zero:.1f}" stroke="{MUTED}" stroke-width="1"/>']
    for i, r in enumerate(rows):
        x0 = left + i * slot + slot * 0.1
        for j, (key, name, color) in enumerate(series):
            v = getattr(r, key)
            y0, y1 = sorted((y(v), zero))
            fill = NEG if v < 0 else color
            body.append(f'<rect x="{x0 + j * bar:.1f}" y="{y0:.1f}" width="{bar - 1:.1f}" height="{max(y1 - y0, 0.5):.1f}" '
                        f'fill="{fill}"><title>{period(r.month)} {name} {_money(v)}</title></rect>')
        if n <= 12 or i % max(1, n // 12) == 0:
            body.append(f'<text x="{left + i * slot + slot / 2:.1f}" y="{bottom + 14}" font-size="10" fill="{MUTED}" '
                        f'text-anchor="middle">{period(r.month)[2:]}</text>')
    if line and any(getattr(r, line) for r in rows):
        pts = " ".join(f"{left + i * slot + slot / 2:.1f},{y(getattr(r, line)):.1f}" for i, r in enumerate(rows))
        body.append(f'<polyline points="{pts}" fill="none" stroke="{NEG}" stroke-width="1.5" stroke-dasharray="4 2">'
                    f'<title>carry out</title></polyline>')
    legend = [(name, color) for _, name, color in series] + ([("carry", NEG)] if line else [])
    for k, (name, color) in enumerate(legend):
        body.append(f'<rect x="{left + k * 90}" y="{height - 10}" width="10" height="8" fill="{color}"/>'
                    f'<text x="{left + k * 90 + 14}" y="{height - 2}" font-size="10" fill="{MUTED}">{name}</text>')
    return _svg(width, height, body, "month by month: " + ", ".join(n for n, _ in legend))


def bars(items, label: str) -> Markup:
    """Horizontal bars of (name, cents), e.g. the month's payout by plan."""
    items = list(items)
    row, width, left = 22, 640, 150
    top = max([v for _, v in items] + [1])
    body = []
    for i, (name, v) in enumerate(items):
        y = i * row + 4
        w = (width - left - 110) * max(0, v) / top
        body.append(f'<text x="{left - 6}" y="{y + 13}" font-size="11" fill="{INK}" text-anchor="end">{escape(str(name)[:24])}</text>'
                    f'<rect x="{left}" y="{y}" width="{w:.1f}" height="16" fill="{ACCENT}"><title>{escape(name)} {_money(v)}</title></rect>'
                    f'<text x="{left + w + 6:.1f}" y="{y + 13}" font-size="11" fill="{MUTED}">{_money(v)}</text>')
    return _svg(width, max(len(items), 1) * row + 8, body, label)
