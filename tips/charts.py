"""A horizontal bar chart as inline SVG, drawn on the server (no JavaScript, no library)."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def bar_chart_svg(rows: list[tuple[str, int]], *, title: str, width: int = 520) -> SafeString:
    """Rows of (label, value). Labels are escaped; only presentation attributes, no style
    attribute, so the Content-Security-Policy (style-src 'self') allows it."""
    bar_h, gap, label_w, pad = 18, 6, 170, 40
    height = max(1, len(rows)) * (bar_h + gap) + 10
    top = max((value for _, value in rows), default=0) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bar-chart" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value) in enumerate(rows):
        y = 5 + i * (bar_h + gap)
        bar = round((width - label_w - pad) * value / top)
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end" font-size="12">'
            f"{escape(label)}</text>"
            f'<rect x="{label_w}" y="{y}" width="{bar}" height="{bar_h}" fill="#2b5797"/>'
            f'<text x="{label_w + bar + 4}" y="{y + 13}" font-size="12">{value}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every label is escaped above)
