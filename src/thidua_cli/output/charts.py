"""A bar chart drawn as plain inline SVG, for the HTML papers: no script, no stylesheet, no
library, nothing fetched, so the page stays one self-contained file that prints as it shows.

One row per bar, in the order given (a ranking's, first on top): the label above the bar, the
bar's length in proportion to the largest value (from zero, so that lengths compare honestly),
the value's text at its end.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

_WIDTH = 640  # user units of the viewBox; the chart scales to the page's width
_LEFT = 4
_BAR_MAX = 540  # the longest bar, leaving room for its value's text
_ROW = 40
_TOP = 34
_BAR_HEIGHT = 14


def svg_bar_chart(
    title: str, labels: Sequence[str], values: Sequence[int], texts: Sequence[str]
) -> str:
    """An <svg> element: `values` as horizontal bars, labelled by `labels` and `texts`."""
    e = html.escape
    largest = max(values, default=0)
    height = _TOP + _ROW * len(labels) + 6
    parts = [
        f'<svg class="chart" role="img" aria-label="{e(title)}" viewBox="0 0 {_WIDTH} {height}"'
        f' width="100%" font-family="Times New Roman, Times, serif">',
        f"<title>{e(title)}</title>",
        f'<text x="{_LEFT}" y="18" font-size="15" font-weight="bold">{e(title)}</text>',
    ]
    for i, (label, value, text) in enumerate(zip(labels, values, texts, strict=True)):
        top = _TOP + _ROW * i
        length = round(_BAR_MAX * value / largest, 1) if largest > 0 and value > 0 else 0
        bar_y = top + 18
        parts += [
            f'<text class="label" x="{_LEFT}" y="{top + 13}" font-size="13">{e(label)}</text>',
            f'<rect class="bar" x="{_LEFT}" y="{bar_y}" width="{length}"'
            f' height="{_BAR_HEIGHT}" fill="#4472c4"/>',
            f'<text class="value" x="{_LEFT + length + 6}" y="{bar_y + _BAR_HEIGHT - 2}"'
            f' font-size="13">{e(text)}</text>',
        ]
    parts.append("</svg>")
    return "\n".join(parts)
