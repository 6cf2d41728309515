"""/stats' picture: the funnel as bars above the finished-per-day line, as one PNG for a phone.

matplotlib is imported on first use, never at start-up (tests/test_startup_imports.py): a chart
is a command a few admins send, and the import costs what the bot's start-up should not. Only
`Figure` and the Agg canvas are used, not pyplot, whose global figure list is not thread-safe:
the chart is drawn in a worker thread (asyncio.to_thread). Nothing touches the global rcParams
either; every text gets its font and size explicitly. DejaVu Sans ships with matplotlib and has
Cyrillic, so the chart looks the same on a machine without fonts.

Measured on the development machine (2 cores, Python 3.11, matplotlib 3.11.2), each in a fresh
interpreter: importing Figure and the Agg canvas 0.4 s (on a fresh machine about 0.1 s more,
once, for matplotlib's font cache) and ~60 MB of memory; the first chart 0.18 s, the next 0.17 s.
"""

from __future__ import annotations

import datetime
import io
import math
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

# 8 in at 150 dpi: 1200 px, wider than a phone's screen in pixels, so Telegram's preview is
# sharp; the font sizes are points at that dpi (16 pt is about 33 px).
WIDTH_IN = 8.0
MIN_HEIGHT_IN = 10.0  # 1500 px; more when the funnel's names need it
DPI = 150
FONT = "DejaVu Sans"
TITLE_PT = 22
LABEL_PT = 18
TICK_PT = 16
WRAP = 40  # characters per line of a step's name, which has the chart's width
TITLE_WRAP = 34
# The funnel's rows, in inches: y in its axes is inches from the top, so a name of any number
# of lines gets its room and never runs into the bar above.
LINE_IN = TICK_PT * 1.5 / 72
BAR_IN = 0.38
GAP_IN = 0.22
TOP_IN = 0.15  # below the title
DAYS_IN = 4.0  # the line's panel
FRAME_IN = 2.2  # titles, date labels and padding around the two panels
MAX_DATE_TICKS = 8
COLOUR = "#2b6cb0"


def funnel_chart(
    title: str,
    bars: Sequence[tuple[str, int]],
    days_title: str,
    days: Sequence[tuple[datetime.date, int]],
    empty_note: str,
) -> bytes:
    """A PNG: `bars` from the top down, labelled with their numbers, and below them `days` as a
    line, one point a day (`empty_note` instead when there is nothing to draw: no days, or all
    of them 0). Text must be in DejaVu Sans' alphabets (Latin, Cyrillic, Greek): no emoji."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    figure = _funnel_figure(title, bars, days_title, days, empty_note)
    buffer = io.BytesIO()
    # No "Software" text in the file: the same figures give the same bytes.
    FigureCanvasAgg(figure)  # the figure draws on it: Agg, whatever matplotlib's default backend
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def _funnel_figure(
    title: str,
    bars: Sequence[tuple[str, int]],
    days_title: str,
    days: Sequence[tuple[datetime.date, int]],
    empty_note: str,
) -> Figure:
    # Imported here, not at the top: the bot's start-up must not import matplotlib.
    from matplotlib.figure import Figure
    from matplotlib.layout_engine import TightLayoutEngine

    names = [_wrap(label, WRAP) for label, _ in bars]
    funnel_in = TOP_IN + sum((n.count("\n") + 1) * LINE_IN + BAR_IN + GAP_IN for n in names)
    funnel_in = max(funnel_in, 3 * (LINE_IN + BAR_IN + GAP_IN))
    height_in = max(MIN_HEIGHT_IN, funnel_in + DAYS_IN + FRAME_IN)
    # h_pad: room between the panels for the line's title (in font sizes).
    layout = TightLayoutEngine(pad=1.0, h_pad=2.5)
    figure = Figure(figsize=(WIDTH_IN, height_in), dpi=DPI, facecolor="white", layout=layout)
    funnel, line = figure.subplots(2, 1, gridspec_kw={"height_ratios": [funnel_in, DAYS_IN]})
    _draw_funnel(funnel, _wrap(title, TITLE_WRAP), names, [value for _, value in bars])
    funnel.set_ylim(funnel_in, 0)  # inches from the top
    _draw_days(line, days_title, days, empty_note)
    return figure


def _draw_funnel(axes: Axes, title: str, names: Sequence[str], values: Sequence[int]) -> None:
    # Each step's name above its bar, not left of it: a long Russian name then takes no width
    # from the bars, and the panel below keeps the whole width for its dates.
    tops: list[float] = []
    top = TOP_IN
    for name in names:
        top += (name.count("\n") + 1) * LINE_IN
        tops.append(top)
        top += BAR_IN + GAP_IN
        # Anchored to its bar in points: the name sits on it however the panel is stretched.
        axes.annotate(
            name,
            (0, tops[-1]),
            xytext=(0, 4),
            textcoords="offset points",
            va="bottom",
            fontsize=TICK_PT,
            fontfamily=FONT,
        )
    drawn = axes.barh(tops, values, height=BAR_IN, align="edge", color=COLOUR)
    axes.bar_label(
        drawn, labels=[_number(v) for v in values], padding=8, fontsize=LABEL_PT, fontfamily=FONT
    )
    # Room right of the longest bar for its number.
    axes.set_xlim(0, max([*values, 1]) * 1.25)
    axes.set_axis_off()
    axes.set_title(title, fontsize=TITLE_PT, fontfamily=FONT, loc="left", pad=8)


def _draw_days(
    axes: Axes, title: str, days: Sequence[tuple[datetime.date, int]], empty_note: str
) -> None:
    from matplotlib.ticker import MaxNLocator

    axes.set_title(title, fontsize=LABEL_PT, fontfamily=FONT, loc="left", pad=12)
    if not any(value for _, value in days):
        axes.set_axis_off()
        axes.text(
            0.5,
            0.5,
            _wrap(empty_note, WRAP),
            transform=axes.transAxes,
            ha="center",
            va="center",
            fontsize=LABEL_PT,
            fontfamily=FONT,
            color="#555555",
        )
        return
    # Day numbers as x (not matplotlib's date units): a missing day stays a gap, and the labels
    # are ours, at most MAX_DATE_TICKS of them.
    days = sorted(days)
    x = [day.toordinal() for day, _ in days]
    axes.plot(x, [value for _, value in days], color=COLOUR, marker="o", markersize=8, linewidth=3)
    shown = days[:: math.ceil(len(days) / MAX_DATE_TICKS)]
    axes.set_xticks(
        [day.toordinal() for day, _ in shown], labels=[day.strftime("%d.%m") for day, _ in shown]
    )
    axes.set_xlim(min(x) - 0.5, max(x) + 0.5)
    axes.set_ylim(bottom=0)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
    axes.grid(axis="y", color="#dddddd")
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(labelsize=TICK_PT, labelfontfamily=FONT)
    axes.tick_params(axis="x", pad=8)  # the first date clear of the "0" beside it


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def _number(value: int) -> str:
    """12345 as "12 345", as Russian writes it (a plain space: every font has it)."""
    return f"{value:,}".replace(",", " ")
