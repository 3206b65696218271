"""Small SVG charts rendered on the server.

The same markup works in pages and in PDF reports, needs no JavaScript, and uses presentation
attributes only (no <style>, no style=""), so it passes the strict Content-Security-Policy.
Each chart is an ``<svg role="img">`` with a <title> and <desc>; pages pair it with a data
table (templates/includes/_chart.html) for screen readers and for anyone who prefers numbers.
"""

import math
import secrets
from collections.abc import Sequence
from decimal import Decimal

from babel.numbers import format_compact_decimal, format_decimal
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext as _

# Colour-blind-safe palette (Okabe-Ito), dark enough for text contrast on white.
PALETTE = ["#0b5d4b", "#d55e00", "#0072b2", "#cc79a7", "#8a6d00", "#009e73", "#56b4e9"]
INK = "#1d2433"
MUTED = "#4a5468"
GRID = "#d5dae3"
FONT = 'font-family="system-ui, DejaVu Sans, sans-serif"'

Number = Decimal | int | float


def _locale() -> str:
    return to_locale(get_language() or "en")


def compact(value: Number) -> str:
    """A short label for an axis or a bar: 1.2M, 350K, 12."""
    if value is None:
        return ""
    if abs(value) < 10_000:
        return format_decimal(round(Decimal(value), 1), locale=_locale())
    return format_compact_decimal(float(value), locale=_locale(), fraction_digits=1)


def _open(width: int, height: int, title: str, desc: str, css: str = "chart") -> tuple[str, str]:
    uid = secrets.token_hex(4)
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="chart-{uid}-t chart-{uid}-d" class="{css}" '
        f"{FONT}>"
        f'<title id="chart-{uid}-t">{escape(title)}</title>'
        f'<desc id="chart-{uid}-d">{escape(desc)}</desc>'
    )
    return head, "</svg>"


def _text(x, y, content, *, size=12, anchor="start", fill=INK, weight="normal") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="{fill}" font-weight="{weight}">{escape(content)}</text>'
    )


def _nice_max(value: float) -> float:
    """The next round number at or above ``value`` (1, 2, 2.5, 5 × 10^n)."""
    if value <= 0:
        return 1.0
    exponent = math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        candidate = step * 10**exponent
        if candidate >= value:
            return float(candidate)
    return float(10 ** (exponent + 1))


def bar_chart(
    *, title: str, labels: Sequence[str], values: Sequence[Number], unit: str = ""
) -> SafeString:
    """Horizontal bars, one per label, longest first as given."""
    width, row, label_w, right = 640, 34, 170, 90
    height = max(1, len(labels)) * row + 20
    top = max((float(v or 0) for v in values), default=0)
    scale = (width - label_w - right) / (top or 1)
    desc = "; ".join(
        f"{label}: {compact(v)} {unit}".strip() for label, v in zip(labels, values, strict=True)
    )
    head, tail = _open(width, height, title, desc or _("No data"))
    parts = [head]
    if not labels:
        parts.append(_text(width / 2, height / 2, _("No data yet"), anchor="middle", fill=MUTED))
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = 10 + i * row
        bar = max(float(value or 0) * scale, 0)
        colour = PALETTE[i % len(PALETTE)]
        parts.append(_text(label_w - 8, y + 19, label, anchor="end"))
        parts.append(
            f'<rect x="{label_w}" y="{y + 4}" width="{bar:.1f}" height="{row - 12}" '
            f'rx="3" fill="{colour}"/>'
        )
        parts.append(_text(label_w + bar + 6, y + 19, f"{compact(value)} {unit}".strip()))
    parts.append(tail)
    return mark_safe("".join(parts))  # noqa: S308 (every text went through escape())


def line_chart(
    *,
    title: str,
    x_labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[Number | None]]],
    unit: str = "",
) -> SafeString:
    """Lines over ordered categories (years), with a legend; None leaves a gap."""
    width, height = 640, 320
    left, right, top, bottom = 64, 16, 16, 72
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [float(v) for _name, vs in series for v in vs if v is not None]
    high = _nice_max(max(values, default=0))
    low = min(0.0, min(values, default=0))
    span = (high - low) or 1
    step_x = plot_w / max(len(x_labels) - 1, 1)

    def x_at(i):
        return left + (i * step_x if len(x_labels) > 1 else plot_w / 2)

    def y_at(v):
        return top + plot_h - (float(v) - low) / span * plot_h

    desc_parts = []
    for name, vs in series:
        points = ", ".join(
            f"{x} {compact(v)}" for x, v in zip(x_labels, vs, strict=True) if v is not None
        )
        desc_parts.append(f"{name}: {points}")
    head, tail = _open(width, height, title, "; ".join(desc_parts) or _("No data"))
    parts = [head]
    for k in range(5):
        value = low + span * k / 4
        y = y_at(value)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}"/>'
        )
        parts.append(_text(left - 6, y + 4, compact(value), anchor="end", size=11, fill=MUTED))
    for i, label in enumerate(x_labels):
        parts.append(_text(x_at(i), top + plot_h + 18, label, anchor="middle", size=11, fill=MUTED))
    for n, (name, vs) in enumerate(series):
        colour = PALETTE[n % len(PALETTE)]
        dash = "" if n % 2 == 0 else ' stroke-dasharray="6 4"'
        segment: list[str] = []
        segments = [segment]
        for i, v in enumerate(vs):
            if v is None:
                segment = []
                segments.append(segment)
                continue
            segment.append(f"{x_at(i):.1f},{y_at(v):.1f}")
            parts.append(f'<circle cx="{x_at(i):.1f}" cy="{y_at(v):.1f}" r="3.5" fill="{colour}"/>')
        for points in segments:
            if len(points) > 1:
                parts.append(
                    f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" '
                    f'stroke-width="2.5"{dash}/>'
                )
        lx = left + (n % 3) * 190
        ly = height - 30 + (n // 3) * 18
        parts.append(
            f'<line x1="{lx}" y1="{ly - 4}" x2="{lx + 22}" y2="{ly - 4}" stroke="{colour}" '
            f'stroke-width="3"{dash}/>'
        )
        parts.append(_text(lx + 28, ly, name, size=12))
    if unit:
        parts.append(_text(4, top + 10, unit, size=11, fill=MUTED))
    if not values:
        parts.append(
            _text(width / 2, top + plot_h / 2, _("No data yet"), anchor="middle", fill=MUTED)
        )
    parts.append(tail)
    return mark_safe("".join(parts))  # noqa: S308 (every text went through escape())


def _heat_colour(score: int) -> tuple[str, str]:
    """Background and text colour for a cell whose likelihood × impact is ``score``."""
    if score >= 15:
        return "#b3261e", "#ffffff"
    if score >= 8:
        return "#e8a33d", INK
    if score >= 4:
        return "#f3e3a2", INK
    return "#dcefe4", INK


def heat_map(
    *,
    title: str,
    counts: dict[tuple[int, int], int],
    x_label: str,
    y_label: str,
    size: int = 5,
) -> SafeString:
    """A size × size grid: x is likelihood, y is impact (high at the top), numbers are counts."""
    cell, left, top = 56, 70, 12
    width, height = left + size * cell + 12, top + size * cell + 56
    total = sum(counts.values())
    desc = "; ".join(
        _("likelihood %(x)s, impact %(y)s: %(n)s") % {"x": x, "y": y, "n": n}
        for (x, y), n in sorted(counts.items())
        if n
    )
    head, tail = _open(width, height, title, desc or _("No risks"), css="chart chart-heat-map")
    parts = [head]
    for x in range(1, size + 1):
        for y in range(1, size + 1):
            px, py = left + (x - 1) * cell, top + (size - y) * cell
            fill, ink = _heat_colour(x * y)
            n = counts.get((x, y), 0)
            parts.append(
                f'<rect x="{px}" y="{py}" width="{cell - 2}" height="{cell - 2}" rx="4" '
                f'fill="{fill}"/>'
            )
            if n:
                parts.append(
                    _text(px + cell / 2 - 1, py + cell / 2 + 6, str(n), size=18, anchor="middle",
                          fill=ink, weight="bold")
                )  # fmt: skip
    for i in range(1, size + 1):
        parts.append(
            _text(left + (i - 0.5) * cell, top + size * cell + 16, str(i), anchor="middle", size=11)
        )
        parts.append(
            _text(left - 8, top + (size - i + 0.5) * cell + 4, str(i), anchor="end", size=11)
        )
    parts.append(
        _text(left + size * cell / 2, height - 10, x_label, anchor="middle", size=12, fill=MUTED)
    )
    parts.append(
        f'<text x="14" y="{top + size * cell / 2:.1f}" font-size="12" fill="{MUTED}" '
        f'text-anchor="middle" transform="rotate(-90 14 {top + size * cell / 2:.1f})">'
        f"{escape(y_label)}</text>"
    )
    if not total:
        parts.append(
            _text(left + size * cell / 2, top + size * cell / 2, _("No risks"), anchor="middle")
        )
    parts.append(tail)
    return mark_safe("".join(parts))  # noqa: S308 (every text went through escape())
