"""The support chart of a count: one bar per project (or heading), the funded ones marked.

Drawn like ``config.charts.bar_chart`` (server-side SVG, presentation attributes only, a
<title> and <desc>), but a funded bar is filled and says so in words next to its value, so
the mark does not rest on colour alone.
"""

import secrets
from collections.abc import Callable, Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from config.charts import FONT, INK, MUTED, compact

FUNDED = "#0b5d4b"  # the site's brand green
NOT_FUNDED = "#6b7486"  # grey, still 4.5:1 against white


def _text(x: float, y: float, content: str, *, anchor: str = "start", weight="normal") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="13" text-anchor="{anchor}" fill="{INK}" '
        f'font-weight="{weight}">{escape(content)}</text>'
    )


def support_chart(
    *,
    title: str,
    labels: Sequence[str],
    values: Sequence[int],
    funded: Sequence[bool],
    funded_word: str,
    value_label: Callable[[int], str] = compact,
) -> SafeString:
    """Horizontal bars in the order given; ``funded_word`` follows the value of a funded bar.

    Narrower than the site's other charts, so that its words stay readable on a phone.
    """
    rows = list(zip(labels, values, funded, strict=True))
    figures = [value_label(value) + (f" ✓ {funded_word}" if won else "") for _l, value, won in rows]
    # Room for the labels and the figures, from their length (about 8 units a character).
    width, row, cut = 460, 30, 18
    label_w = 8 + 7.6 * min(cut, max((len(label) for label in labels), default=0))
    right = 8 + 8.2 * max((len(figure) for figure in figures), default=0)
    height = max(1, len(labels)) * row + 16
    top = max((float(v or 0) for v in values), default=0)
    scale = max(width - label_w - right, 40) / (top or 1)
    desc = "; ".join(
        f"{label}: {value_label(value)}" + (f" ({funded_word})" if won else "")
        for label, value, won in rows
    )
    uid = secrets.token_hex(4)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-labelledby="chart-{uid}-t chart-{uid}-d" class="chart" {FONT}>'
        f'<title id="chart-{uid}-t">{escape(title)}</title>'
        f'<desc id="chart-{uid}-d">{escape(desc or _("No data"))}</desc>'
    ]
    if not rows:
        parts.append(
            f'<text x="{width / 2}" y="{height / 2}" font-size="13" text-anchor="middle" '
            f'fill="{MUTED}">{escape(_("No data yet"))}</text>'
        )
    for i, ((label, value, won), figure) in enumerate(zip(rows, figures, strict=True)):
        y = 8 + i * row
        bar = max(float(value or 0) * scale, 0)
        short = label if len(label) <= cut else label[: cut - 1] + "…"
        parts.append(_text(label_w - 6, y + 17, short, anchor="end"))
        fill = FUNDED if won else "#ffffff"
        parts.append(
            f'<rect x="{label_w}" y="{y + 3}" width="{bar:.1f}" height="{row - 10}" rx="3" '
            f'fill="{fill}" stroke="{FUNDED if won else NOT_FUNDED}" stroke-width="1.5"/>'
        )
        parts.append(_text(label_w + bar + 5, y + 17, figure, weight="bold" if won else "normal"))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text went through escape())
