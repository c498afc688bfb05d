"""Charts drawn on the server as SVG: the performance pack's trend, the same in the browser and in
the PDF (WeasyPrint runs no JavaScript, so Chart.js cannot draw there)."""

from decimal import Decimal

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from .templatetags.dashboard import format_indicator_value

WIDTH, HEIGHT = 640, 200
LEFT, RIGHT, TOP, BOTTOM = 70, 10, 14, 36
BAR = "#1d70b8"  # GOV.UK blue
EARLIER = "#505a5f"  # GOV.UK dark grey


def _number(value):
    return float(Decimal(value)) if value is not None else None


def trend_svg(indicator, trend):
    """Bars for each month's figure and a dashed line for the same month a year earlier.
    `trend`: (month, figure, a year earlier) oldest first. Markup safe to print as is."""
    values = [_number(figure) for _, figure, _ in trend] + [_number(earlier) for _, _, earlier in trend]
    top = max([value for value in values if value is not None] or [0]) or 1
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_width / max(len(trend), 1)

    def y(value):
        return TOP + plot_height - (value / top) * plot_height

    parts = [
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#b1b4b6" stroke-width="1"/>',
            LEFT,
            TOP + plot_height,
            WIDTH - RIGHT,
            TOP + plot_height,
        ),
        format_html(
            '<text x="{}" y="{}" font-size="11" text-anchor="end" fill="#0b0c0c">{}</text>',
            LEFT - 6,
            TOP + 8,
            format_indicator_value(Decimal(str(top)), indicator),
        ),
        format_html(
            '<text x="{}" y="{}" font-size="11" text-anchor="end" fill="#0b0c0c">0</text>',
            LEFT - 6,
            TOP + plot_height,
        ),
    ]
    line = []
    for index, (month, figure, earlier) in enumerate(trend):
        x = LEFT + index * step
        if figure is not None:
            height = (_number(figure) / top) * plot_height
            parts.append(
                f'<rect x="{x + step * 0.15:.1f}" y="{TOP + plot_height - height:.1f}" '
                f'width="{step * 0.7:.1f}" height="{height:.1f}" fill="{BAR}"/>'
            )
        if earlier is not None:
            line.append(f"{x + step / 2:.1f},{y(_number(earlier)):.1f}")
        parts.append(
            f'<text x="{x + step / 2:.1f}" y="{HEIGHT - BOTTOM + 14}" font-size="10" text-anchor="middle" '
            f'fill="#0b0c0c">{month:%b}</text>'
        )
        if index == 0 or month.month == 1:
            parts.append(
                f'<text x="{x + step / 2:.1f}" y="{HEIGHT - BOTTOM + 27}" font-size="10" '
                f'text-anchor="middle" fill="#505a5f">{month.year}</text>'
            )
    if len(line) > 1:
        parts.append(
            format_html(
                '<polyline points="{}" fill="none" stroke="{}" stroke-width="2" stroke-dasharray="5 3"/>',
                " ".join(line),
                EARLIER,
            )
        )
    first, last = trend[0][0], trend[-1][0]
    label = (
        f"{indicator.title}: month by month from {first:%B %Y} to {last:%B %Y} (bars), "
        "and the same months a year earlier (dashed line)"
    )
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-pack-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" aria-label="{escape(label)}">'
        f"<title>{escape(label)}</title>{''.join(parts)}</svg>"
    )
