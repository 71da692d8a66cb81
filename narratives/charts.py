"""Inline SVG charts for the HTML report (and text sparklines for Markdown).

Written by hand so the report is one self-contained file that loads nothing: no JavaScript, no
fonts, no network. Every label passed in is escaped here, since narrative labels and keywords
come from the posts, i.e. from the adversary.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2")
BURST = "#d62728"
_BLOCKS = "▁▂▃▄▅▆▇█"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def line_chart(weeks: Sequence[str], series: Sequence[tuple[str, Sequence[int], Sequence[bool]]], *,
               highlight: tuple[int, int] | None = None, title: str = "Posts per week",
               width: int = 860, height: int = 300) -> str:
    """Weekly volume, one line per (name, counts, burst flags); bursts are red rings and the weeks
    `highlight` (first, last index) are shaded."""
    left, right, top, bottom = 44, 180, 28, 46
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([max(values, default=0) for _, values, _ in series] + [1])
    step = plot_w / max(len(weeks) - 1, 1)

    def x(i: int) -> float:
        return left + i * step

    def y(v: float) -> float:
        return top + plot_h - v / peak * plot_h

    parts = [f'<svg class="chart" role="img" aria-label="{_e(title)}" xmlns="http://www.w3.org/2000/svg" '
             f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">',
             f"<title>{_e(title)}</title>",
             f'<text x="{left}" y="16" class="chart-title">{_e(title)}</text>']
    if highlight is not None and weeks:
        x0, x1 = x(highlight[0]) - step / 2, x(highlight[1]) + step / 2
        x0, x1 = max(x0, left), min(x1, left + plot_w)
        parts.append(f'<rect class="period" x="{_fmt(x0)}" y="{top}" width="{_fmt(max(x1 - x0, 2))}" '
                     f'height="{plot_h}" fill="#fff3bf"/>')
    for frac in (0, 0.5, 1):
        gy = y(peak * frac)
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{_fmt(gy)}" y2="{_fmt(gy)}" stroke="#ddd"/>'
                     f'<text x="{left - 6}" y="{_fmt(gy + 4)}" text-anchor="end" class="tick">{_fmt(peak * frac)}</text>')
    label_every = max(1, len(weeks) // 10)
    for i, week in enumerate(weeks):
        if i % label_every == 0 or i == len(weeks) - 1:
            parts.append(f'<text x="{_fmt(x(i))}" y="{height - bottom + 16}" text-anchor="middle" class="tick">'
                         f"{_e(week[2:])}</text>")
    for n, (name, values, bursts) in enumerate(series):
        color = PALETTE[n % len(PALETTE)]
        points = " ".join(f"{_fmt(x(i))},{_fmt(y(v))}" for i, v in enumerate(values))
        parts.append(f'<polyline class="series" fill="none" stroke="{color}" stroke-width="2" points="{points}">'
                     f"<title>{_e(name)}</title></polyline>")
        for i, (v, burst) in enumerate(zip(values, bursts)):
            if burst:
                parts.append(f'<circle class="burst" cx="{_fmt(x(i))}" cy="{_fmt(y(v))}" r="6" fill="none" '
                             f'stroke="{BURST}" stroke-width="2"><title>{_e(name)}: burst in {_e(weeks[i])} '
                             f"({v} posts)</title></circle>")
        ly = top + 14 + n * 18
        parts.append(f'<rect x="{width - right + 12}" y="{ly - 9}" width="12" height="4" fill="{color}"/>'
                     f'<text x="{width - right + 30}" y="{ly - 4}" class="legend">{_e(_short(name, 24))}</text>')
    if any(any(b) for _, _, b in series):
        ly = top + 14 + len(series) * 18
        parts.append(f'<circle cx="{width - right + 18}" cy="{ly - 7}" r="5" fill="none" stroke="{BURST}" '
                     f'stroke-width="2"/><text x="{width - right + 30}" y="{ly - 4}" class="legend">burst</text>')
    parts.append("</svg>")
    return "".join(parts)


def heatmap(rows: Sequence[str], cols: Sequence[str], values: Sequence[Sequence[int]], *,
            title: str = "Posts per candidate and narrative") -> str:
    """A rows x cols grid of counts, darker for more; the count is written in each non-empty cell."""
    cell_w, cell_h, left = 64, 24, 150
    top = 34 + 7 * min(max((len(c) for c in cols), default=0), 16)
    width, height = left + cell_w * len(cols) + 90, top + cell_h * len(rows) + 10  # room for slanted labels
    peak = max([max(r, default=0) for r in values] + [1])
    parts = [f'<svg class="chart heatmap" role="img" aria-label="{_e(title)}" xmlns="http://www.w3.org/2000/svg" '
             f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">',
             f"<title>{_e(title)}</title>", f'<text x="4" y="16" class="chart-title">{_e(title)}</text>']
    for j, col in enumerate(cols):
        cx = left + j * cell_w + cell_w / 2
        parts.append(f'<text transform="translate({_fmt(cx)},{top - 6}) rotate(-40)" class="tick">'
                     f"{_e(_short(col, 16))}</text>")
    for i, row in enumerate(rows):
        ry = top + i * cell_h
        parts.append(f'<text x="{left - 6}" y="{ry + 16}" text-anchor="end" class="tick">{_e(_short(row, 22))}</text>')
        for j, value in enumerate(values[i]):
            shade = value / peak
            fill = f"rgb({round(255 - 200 * shade)},{round(255 - 150 * shade)},{round(255 - 60 * shade)})"
            parts.append(f'<rect class="cell" x="{left + j * cell_w}" y="{ry}" width="{cell_w - 2}" '
                         f'height="{cell_h - 2}" fill="{fill}"><title>{_e(row)} x {_e(cols[j])}: {value}</title></rect>')
            if value:
                color = "#fff" if shade > 0.6 else "#222"
                parts.append(f'<text x="{left + j * cell_w + cell_w / 2 - 1}" y="{ry + 16}" text-anchor="middle" '
                             f'fill="{color}" class="tick">{value}</text>')
    parts.append("</svg>")
    return "".join(parts)


def sparkline(values: Sequence[int], bursts: Sequence[bool] = (), *, width: int = 120, height: int = 24) -> str:
    """A tiny trend line; burst weeks are red dots."""
    peak = max(list(values) + [1])
    step = (width - 4) / max(len(values) - 1, 1)
    pts = [(2 + i * step, height - 2 - v / peak * (height - 4)) for i, v in enumerate(values)]
    parts = [f'<svg class="spark" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" aria-hidden="true">',
             f'<polyline fill="none" stroke="#1f77b4" stroke-width="1.5" '
             f'points="{" ".join(f"{_fmt(px)},{_fmt(py)}" for px, py in pts)}"/>']
    parts += [f'<circle cx="{_fmt(px)}" cy="{_fmt(py)}" r="2.5" fill="{BURST}"/>'
              for (px, py), burst in zip(pts, bursts) if burst]
    parts.append("</svg>")
    return "".join(parts)


def spark_text(values: Sequence[int]) -> str:
    """The Markdown counterpart of `sparkline`: one block character per week."""
    peak = max(list(values) + [1])
    return "".join(_BLOCKS[min(len(_BLOCKS) - 1, round(v / peak * (len(_BLOCKS) - 1)))] for v in values)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def grouped_bars(groups: Sequence[tuple[str, dict[str, dict[str, float | None]], dict[str, dict[str, float | None]]]],
                 *, title: str = "", width: int = 860) -> str:
    """Per group (a labeled set, name first): for each model, one bar per quality figure (0-1 scale, left
    panel) and one per cost figure (right panel, each cost scaled to its largest value in the chart, the value
    written beside it). `quality` and `costs` map model -> {figure: value}; a figure no model of the group has
    is left out, and so is a missing value."""
    models = list(dict.fromkeys(m for _, quality, costs in groups for m in (*quality, *costs)))
    row_h, bar_h = 16, 12
    left, mid, right = 230, 440, 480

    def present(table: dict[str, dict[str, float | None]]) -> list[str]:
        return list(dict.fromkeys(k for m in models for k, v in (table.get(m) or {}).items() if v is not None))

    layout = [(name, present(quality), present(costs), quality, costs) for name, quality, costs in groups]
    peak: dict[str, float] = {}
    for _, _, cost_names, _, costs in layout:
        for m in models:
            for k in cost_names:
                v = (costs.get(m) or {}).get(k)
                if v is not None:
                    peak[k] = max(peak.get(k, 0.0), float(v))
    height = 44 + sum(22 + row_h * len(models) * max(len(q), len(c), 1) + 10 for _, q, c, _, _ in layout) + 10
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" '
           f'font-size="11" role="img" aria-label="{_e(title)}"><title>{_e(title)}</title>',
           f'<text x="8" y="18" font-size="14">{_e(title)}</text>',
           f'<text x="{left}" y="34">quality (0-1)</text><text x="{right}" y="34">cost (bar: share of the largest)</text>']
    for mi, model in enumerate(models):  # legend: one colour per model
        out.append(f'<rect x="{width - 150}" y="{8 + 14 * mi}" width="10" height="10" '
                   f'fill="{PALETTE[mi % len(PALETTE)]}"/>'
                   f'<text x="{width - 136}" y="{17 + 14 * mi}">{_e(_short(model, 20))}</text>')
    y = 44
    for name, measures, cost_names, quality, costs in layout:
        out.append(f'<text x="8" y="{y + 10}" font-weight="bold">{_e(_short(name, 40))}</text>')
        y += 22
        # a figure's models on adjacent rows, so they compare at a glance
        lefts = [(measure, mi, (quality.get(m) or {}).get(measure))
                 for measure in measures for mi, m in enumerate(models)]
        rights = [(cost, mi, (costs.get(m) or {}).get(cost)) for cost in cost_names for mi, m in enumerate(models)]
        for r in range(max(len(lefts), len(rights), 1)):
            if r < len(lefts):
                measure, mi, value = lefts[r]
                colour = PALETTE[mi % len(PALETTE)]
                if mi == 0:
                    out.append(f'<text x="20" y="{y + 10}">{_e(_short(measure, 30))}</text>')
                if value is not None:
                    w = min(max(float(value), 0.0), 1.0) * (mid - left)
                    out.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{colour}">'
                               f'<title>{_e(models[mi])}: {_e(measure)} {float(value):.3f}</title></rect>'
                               f'<text x="{left + w + 4:.1f}" y="{y + 10}">{float(value):.3f}</text>')
            if r < len(rights):
                cost, mi, value = rights[r]
                colour = PALETTE[mi % len(PALETTE)]
                if value is not None and peak.get(cost):
                    w = float(value) / peak[cost] * (width - right - 190)
                    out.append(f'<rect x="{right}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{colour}" '
                               f'opacity="0.6"><title>{_e(models[mi])}: {_e(cost)} {_e(_number(float(value)))}</title>'
                               f'</rect><text x="{right + w + 4:.1f}" y="{y + 10}">{_e(cost)} '
                               f'{_e(_number(float(value)))}</text>')
            y += row_h
        y += 10
    out.append("</svg>")
    return "\n".join(out)


def _number(value: float) -> str:
    """Three significant digits, thousands separated ("30.5", "1,268")."""
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"
