"""Server-side SVG charts for the dashboard: no JavaScript, no external request, readable without colour.

Every series has its own fill pattern as well as its own colour, every bar carries its value as text, and
every chart has a ``<title>`` and ``<desc>`` (referenced by ``aria-labelledby``) and a data table beneath it in
the page (WCAG 2.2, 1.1.1 non-text content and 1.4.1 use of colour).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# (colour, pattern drawing) per series: the pattern alone tells series apart in greyscale or for colour-blind
# readers. Patterns are drawn in white over the colour so value labels stay legible on a white plate.
_PATTERNS = [
    ("#1f4e79", ""),
    ("#c55a11", '<path d="M-1,1 l2,-2 M0,8 l8,-8 M7,9 l2,-2" stroke="#fff" stroke-width="1.6"/>'),
    ("#548235", '<circle cx="4" cy="4" r="1.6" fill="#fff"/>'),
    ("#7030a0", '<path d="M0,4 h8 M4,0 v8" stroke="#fff" stroke-width="1.4"/>'),
    ("#806000", '<path d="M0,2 h8 M0,6 h8" stroke="#fff" stroke-width="1.2"/>'),
    ("#2f5597", '<path d="M0,0 l8,8 M8,0 l-8,8" stroke="#fff" stroke-width="1.2"/>'),
]

FONT = "font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;font-size:12px"


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float]


def _defs(chart_id: str, count: int) -> str:
    parts = []
    for i in range(count):
        colour, drawing = _PATTERNS[i % len(_PATTERNS)]
        parts.append(
            f'<pattern id="{chart_id}-p{i}" width="8" height="8" patternUnits="userSpaceOnUse">'
            f'<rect width="8" height="8" fill="{colour}"/>{drawing}</pattern>'
        )
    return "<defs>" + "".join(parts) + "</defs>"


def _head(chart_id: str, width: int, height: int, title: str, desc: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{chart_id}" class="chart" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" style="{FONT}">'
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(desc)}</desc>'
    )


def _label(x: float, y: float, text: str, *, anchor: str = "middle", plate: bool = False, cls: str = "") -> str:
    """A text label; on a white plate when it sits on a patterned bar."""
    out = ""
    if plate:
        w = 7 * len(text) + 6
        left = x - w / 2 if anchor == "middle" else (x if anchor == "start" else x - w)
        out += f'<rect x="{left:.1f}" y="{y - 11:.1f}" width="{w}" height="15" rx="3" fill="#fff" opacity="0.92"/>'
    class_attr = f' class="{cls}"' if cls else ""
    return out + f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="#111"{class_attr}>{escape(text)}</text>'


def _legend(chart_id: str, names: list[str], x: float, y: float) -> str:
    parts = []
    for i, name in enumerate(names):
        top = y + i * 20
        parts.append(
            f'<rect x="{x}" y="{top}" width="16" height="14" fill="url(#{chart_id}-p{i})" stroke="#111"/>'
            + _label(x + 22, top + 11, name, anchor="start")
        )
    return '<g class="legend">' + "".join(parts) + "</g>"


def stacked_bars(
    *, chart_id: str, title: str, desc: str, categories: list[str], series: list[Series], unit: str = ""
) -> SafeString:
    """Vertical stacked bars, one per category; each segment labelled with its value, each bar with its total."""
    legend_width = 230
    bar_width = 38
    gap = 18
    plot_left, plot_top, plot_height = 46, 24, 240
    width = plot_left + len(categories) * (bar_width + gap) + gap + legend_width
    height = plot_top + plot_height + 60
    totals = [sum(s.values[i] for s in series) for i in range(len(categories))]
    peak = max([*totals, 1])
    scale = plot_height / peak
    base_y = plot_top + plot_height
    out = [_head(chart_id, width, height, title, desc), _defs(chart_id, len(series))]
    # Axis and a few gridlines with their values.
    for step in range(5):
        value = peak * step / 4
        y = base_y - value * scale
        out.append(f'<line x1="{plot_left}" x2="{width - legend_width}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ccc"/>')
        out.append(_label(plot_left - 6, y + 4, f"{value:g}", anchor="end"))
    for i, category in enumerate(categories):
        x = plot_left + gap + i * (bar_width + gap)
        top = base_y
        out.append(f'<g class="bar" data-category="{escape(category)}" data-total="{totals[i]:g}">')
        for j, s in enumerate(series):
            value = s.values[i]
            if not value:
                continue
            h = value * scale
            top -= h
            tooltip = escape(f"{category}, {s.name}: {value:g}{unit}")
            out.append(
                f'<rect x="{x}" y="{top:.1f}" width="{bar_width}" height="{h:.1f}" fill="url(#{chart_id}-p{j})" '
                f'stroke="#111" stroke-width="0.5"><title>{tooltip}</title></rect>'
            )
            if h >= 16:
                out.append(_label(x + bar_width / 2, top + h / 2 + 4, f"{value:g}", plate=True, cls="segment"))
        out.append(_label(x + bar_width / 2, top - 5, f"{totals[i]:g}", cls="total"))
        out.append(_label(x + bar_width / 2, base_y + 16, category))
        out.append("</g>")
    out.append(f'<line x1="{plot_left}" x2="{width - legend_width}" y1="{base_y}" y2="{base_y}" stroke="#111"/>')
    out.append(_legend(chart_id, [s.name for s in series], width - legend_width + 16, plot_top))
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text above went through escape()


def horizontal_bars(
    *,
    chart_id: str,
    title: str,
    desc: str,
    labels: list[str],
    series: list[Series],
    maximum: float | None = None,
    fmt=lambda v: f"{v:g}",
) -> SafeString:
    """Horizontal grouped bars (one bar per series per label), each labelled with its value at its end."""
    label_width, bar_height, inner_gap, group_gap = 170, 18, 3, 14
    plot_width = 380
    legend_width = 200 if len(series) > 1 else 0
    group_height = len(series) * (bar_height + inner_gap) + group_gap
    width = label_width + plot_width + 70 + legend_width
    height = 20 + len(labels) * group_height + 10
    peak = maximum or max([v for s in series for v in s.values if v is not None] + [1])
    out = [_head(chart_id, width, height, title, desc), _defs(chart_id, len(series))]
    for i, label in enumerate(labels):
        top = 14 + i * group_height
        out.append(f'<g class="bar-group" data-label="{escape(label)}">')
        out.append(_label(label_width - 8, top + bar_height * len(series) / 2 + 6, label, anchor="end"))
        for j, s in enumerate(series):
            value = s.values[i]
            y = top + j * (bar_height + inner_gap)
            w = 0 if value is None else max(value / peak * plot_width, 1 if value else 0)
            shown = "no data" if value is None else fmt(value)
            out.append(
                f'<rect x="{label_width}" y="{y}" width="{w:.1f}" height="{bar_height}" fill="url(#{chart_id}-p{j})" '
                f'stroke="#111" stroke-width="0.5"><title>{escape(f"{label}, {s.name}: {shown}")}</title></rect>'
            )
            out.append(_label(label_width + w + 6, y + 13, shown, anchor="start", cls="value"))
        out.append("</g>")
    out.append(f'<line x1="{label_width}" x2="{label_width}" y1="8" y2="{height - 8}" stroke="#111"/>')
    if legend_width:
        out.append(_legend(chart_id, [s.name for s in series], label_width + plot_width + 80, 14))
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text above went through escape()
