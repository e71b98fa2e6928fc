"""The report's rank-acceptability chart as SVG geometry drawn on the server.

A print or a PDF cannot run the result page's canvas chart, so the report draws the
same numbers (``explain_run``'s ``acceptability_chart``: whole percentages per rank,
adding up to 100 per tool) as horizontal stacked bars, one per tool, in rank order.
The template ``report/_acceptability_chart.svg`` turns this geometry into vector SVG.
"""

from django.utils.translation import gettext

from selector.formats import percent

WIDTH = 680
LABEL_WIDTH = 170
BAR_WIDTH = WIDTH - LABEL_WIDTH - 10
ROW_HEIGHT = 22
BAR_HEIGHT = 16
LEGEND_HEIGHT = 28
# Rank 1 darkest, then lighter; the last color is for "Lower" (sixth or below).
COLORS = ("#1d4ed8", "#3b82f6", "#60a5fa", "#93c5fd", "#bfdbfe", "#cbd5e1", "#e2e8f0")
# Text on the first two colors is white, on the lighter ones dark.
LIGHT_TEXT = 2
# A segment narrower than this shows no percentage (it would not fit).
MIN_LABELLED_WIDTH = 26


def acceptability_svg(chart: dict | None) -> dict | None:
    """Geometry of the chart: the legend and, per tool, its bar's segments."""
    if not chart:
        return None
    datasets = chart["datasets"]
    legend_step = BAR_WIDTH // max(len(datasets), 1)
    legend = [
        {
            "x": LABEL_WIDTH + r * legend_step,
            "text_x": LABEL_WIDTH + r * legend_step + 14,
            "fill": COLORS[min(r, len(COLORS) - 1)],
            "label": dataset["label"],
        }
        for r, dataset in enumerate(datasets)
    ]
    rows = [
        _row(tool, i, [dataset["data"][i] for dataset in datasets])
        for i, tool in enumerate(chart["labels"])
    ]
    return {
        "title": gettext("How often each tool takes each rank under uncertain weights"),
        "width": WIDTH,
        "height": LEGEND_HEIGHT + ROW_HEIGHT * len(rows),
        "label_x": LABEL_WIDTH - 8,
        "legend": legend,
        "rows": rows,
    }


def _row(tool: str, index: int, percents: list[int]) -> dict:
    """One tool's bar: a segment per rank, as wide as its share of 100%."""
    y = LEGEND_HEIGHT + index * ROW_HEIGHT
    segments, start = [], 0
    for r, share in enumerate(percents):
        if share > 0:
            x = LABEL_WIDTH + BAR_WIDTH * start / 100
            width = BAR_WIDTH * share / 100
            segments.append(
                {
                    "x": round(x, 2),
                    "width": round(width, 2),
                    "fill": COLORS[min(r, len(COLORS) - 1)],
                    "text": percent(share / 100) if width >= MIN_LABELLED_WIDTH else "",
                    "text_x": round(x + width / 2, 2),
                    "text_fill": "#ffffff" if r < LIGHT_TEXT else "#111827",
                }
            )
        start += share
    return {
        "tool": tool,
        "y": y,
        "bar_y": y + (ROW_HEIGHT - BAR_HEIGHT) / 2,
        "text_y": y + ROW_HEIGHT / 2 + 4,
        "segments": segments,
    }
