"""Charts as inline SVG: drawn on the server, no script and nothing loaded from the internet.

Each chart is an <svg role="img"> named by its <title> and described by its <desc>, and
the page shows the same numbers as a table next to it. Colour is never the only cue: bars
carry their value as text, and each line of the trend has its own dash pattern and
marker and is named in the legend.
"""

from markupsafe import Markup, escape

from app.stats.report import Chart

# Contrast of at least 3:1 against white for every colour (WCAG 1.4.11, graphical objects).
COLOURS = ("#1d4f7a", "#b3541e", "#2e7d4f", "#6a3d9a")
DASHES = ("", "6 4", "2 3", "10 3 2 3")
FONT = "system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif"
WIDTH = 640


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _shorten(text: str, limit: int = 26) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _open(chart: Chart, ident: str, height: int) -> list[str]:
    # Attributes, not a style attribute (the Content-Security-Policy allows no inline style):
    # drawn at its own size, and the stylesheets' `svg.chart { max-width: 100%; height: auto }`
    # shrinks it to a phone's width.
    return [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {WIDTH} {height}" '
            f'width="{WIDTH}" height="{height}" preserveAspectRatio="xMinYMin meet" '
            f'aria-labelledby="{ident}-title {ident}-desc" font-family="{FONT}">',
            f'<title id="{ident}-title">{escape(chart.title)}</title>',
            f'<desc id="{ident}-desc">{escape(chart.description)}</desc>']


def _legend(chart: Chart, *, lines: bool) -> tuple[list[str], int]:
    """The legend on as many rows as it needs; returns its parts and its height."""
    parts, x, y = [], 8, 14
    for index, (name, _values) in enumerate(chart.series):
        colour, dash = COLOURS[index % len(COLOURS)], DASHES[index % len(DASHES)]
        sample = 32 if lines else 20
        width = sample + int(6.8 * len(name)) + 20
        if x > 8 and x + width > WIDTH - 8:
            x, y = 8, y + 20
        if lines:
            parts.append(f'<line x1="{x}" y1="{y}" x2="{x + 26}" y2="{y}" stroke="{colour}" stroke-width="3" '
                         f'stroke-dasharray="{dash}"/>')
            parts.append(_marker(index, x + 13, y))
        else:
            parts.append(f'<rect x="{x}" y="{y - 6}" width="14" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{x + sample}" y="{y + 4}" font-size="12" fill="#1b1f24">{escape(name)}</text>')
        x += width
    return parts, y + 14


def _marker(index: int, x: float, y: float) -> str:
    colour = COLOURS[index % len(COLOURS)]
    shape = index % 4
    if shape == 0:
        return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="4" fill="{colour}"/>'
    if shape == 1:
        return f'<rect x="{_n(x - 4)}" y="{_n(y - 4)}" width="8" height="8" fill="{colour}"/>'
    if shape == 2:
        return (f'<path d="M{_n(x)} {_n(y - 5)} L{_n(x + 5)} {_n(y + 4)} L{_n(x - 5)} {_n(y + 4)} Z" '
                f'fill="{colour}"/>')
    return f'<path d="M{_n(x)} {_n(y - 5)} L{_n(x + 5)} {_n(y)} L{_n(x)} {_n(y + 5)} L{_n(x - 5)} {_n(y)} Z" ' \
           f'fill="{colour}"/>'


def bar_chart(chart: Chart, ident: str) -> Markup:
    """Horizontal bars, one group per label and one bar per series, each with its value."""
    legend, legend_height = _legend(chart, lines=False) if len(chart.series) > 1 else ([], 0)
    bar, gap, label_width = 16, 14, 190
    top = legend_height + 8
    group = bar * len(chart.series) + gap
    height = top + group * len(chart.labels) + 8
    largest = max([v for _name, values in chart.series for v in values] + [1])
    scale = (WIDTH - label_width - 60) / largest
    parts = _open(chart, ident, height) + legend
    for row, label in enumerate(chart.labels):
        y0 = top + row * group
        middle = y0 + bar * len(chart.series) / 2
        parts.append(f'<text x="{label_width - 8}" y="{_n(middle + 4)}" font-size="13" text-anchor="end" '
                     f'fill="#1b1f24">{escape(_shorten(label))}</text>')
        for index, (_name, values) in enumerate(chart.series):
            value = values[row]
            y = y0 + index * bar
            width = max(value * scale, 0)
            parts.append(f'<rect x="{label_width}" y="{y + 1}" width="{_n(width)}" height="{bar - 3}" '
                         f'fill="{COLOURS[index % len(COLOURS)]}"/>')
            parts.append(f'<text x="{_n(label_width + width + 5)}" y="{y + bar - 4}" font-size="12" '
                         f'fill="#1b1f24">{_n(value)}</text>')
    parts.append(f'<line x1="{label_width}" y1="{top - 4}" x2="{label_width}" y2="{height - 6}" stroke="#4f5862"/>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text in it went through escape()


def _nice_top(largest: float) -> int:
    """A round number at or above the largest value, for the y axis."""
    if largest <= 5:
        return 5
    step = 10 ** (len(str(int(largest))) - 1)
    for factor in (1, 2, 2.5, 5, 10):
        top = int(step * factor)
        if top >= largest:
            return top
    return int(step * 10)  # pragma: no cover - the loop always returns


def line_chart(chart: Chart, ident: str) -> Markup:
    """One line per series over the labels (years), with a marker and the value at every point."""
    legend, legend_height = _legend(chart, lines=True)
    left, right, bottom, top = 44, 16, 30, legend_height + 16
    height = top + 230 + bottom
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    largest = _nice_top(max([v for _name, values in chart.series for v in values if v is not None] + [0]))
    count = max(len(chart.labels) - 1, 1)

    def x(i: int) -> float:
        return left + plot_w * i / count

    def y(v: float) -> float:
        return top + plot_h - plot_h * v / largest

    parts = _open(chart, ident, height) + legend
    for tick in range(6):
        value = largest * tick / 5
        parts.append(f'<line x1="{left}" y1="{_n(y(value))}" x2="{WIDTH - right}" y2="{_n(y(value))}" '
                     f'stroke="#c9cfd6"/>')
        parts.append(f'<text x="{left - 6}" y="{_n(y(value) + 4)}" font-size="12" text-anchor="end" '
                     f'fill="#4f5862">{_n(value)}</text>')
    for i, label in enumerate(chart.labels):
        parts.append(f'<text x="{_n(x(i))}" y="{height - 10}" font-size="12" text-anchor="middle" '
                     f'fill="#1b1f24">{escape(label)}</text>')
    for index, (_name, values) in enumerate(chart.series):
        colour, dash = COLOURS[index % len(COLOURS)], DASHES[index % len(DASHES)]
        # A year without data (null) has no point: the line starts at the first year of data.
        known = [(i, v) for i, v in enumerate(values) if v is not None]
        points = " ".join(f"{_n(x(i))},{_n(y(v))}" for i, v in known)
        if points:
            parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2.5" '
                         f'stroke-dasharray="{dash}"/>')
        parts += [_marker(index, x(i), y(v)) for i, v in known]
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text in it went through escape()


def render(chart: Chart, ident: str) -> Markup:
    return line_chart(chart, ident) if chart.kind == "line" else bar_chart(chart, ident)
