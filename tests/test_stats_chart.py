"""/stats' picture: a wide, drawn PNG whose Russian text renders without a warning, fits the
image and overlaps nothing; matplotlib waits for the first chart."""

from __future__ import annotations

import datetime
import io
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import matplotlib
import numpy
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from matplotlib.transforms import Bbox, BboxBase
from PIL import Image

from bot.stats_chart import COLOUR, TICK_PT, _funnel_figure, funnel_chart
from tests.support.timing import loaded_on_import

ROOT = Path(__file__).resolve().parent.parent
BARS = [
    ("Начали", 1234),
    ("Выбрали школу", 1100),
    ("Выбрали класс и назвались", 950),
    ("Отправили заявку учителю в Сферуме", 700),
    ("Одобрены", 12345),
]
START = datetime.date(2026, 11, 3)
DAYS = [(START + datetime.timedelta(days=i), (i * 7) % 23) for i in range(30)]
# Longer than anything /stats says: every name wraps to three lines, the title to three.
LONG_BARS = [
    (f"Шаг {i}: довольно длинное название, которое не поместится в одну строку", 10**i)
    for i in range(8)
]
LONG_TITLE = "Воронка: муниципальное бюджетное общеобразовательное учреждение СОШ № 12"
EMPTY = "За 30 дней никто не завершил"
RGB = tuple(int(COLOUR[i : i + 2], 16) for i in (1, 3, 5))


def chart(
    bars: list[tuple[str, int]] = BARS,
    days: list[tuple[datetime.date, int]] = DAYS,
    title: str = "Воронка: 5 «А»",
) -> bytes:
    with warnings.catch_warnings():
        # A missing glyph (or a layout matplotlib gives up on) is a warning: make it fail.
        warnings.simplefilter("error")
        return funnel_chart(title, bars, "Завершили по дням", days, EMPTY)


def image(png: bytes) -> Image.Image:
    picture = Image.open(io.BytesIO(png))
    assert picture.format == "PNG"
    return picture.convert("RGB")


def bar_pixels(picture: Image.Image, top: int, bottom: int) -> int:
    """Pixels of the chart's colour in rows top..bottom (its bars and its line)."""
    strip = picture.crop((0, top, picture.width, bottom))
    return sum(count for count, colour in strip.getcolors(1 << 20) or [] if colour == RGB)


def drawn(figure: Figure) -> tuple[list[Text], list[Bbox], BboxBase]:
    """The texts the image shows, their boxes on it and the image's box, once laid out."""
    FigureCanvasAgg(figure)  # as funnel_chart draws: the same fonts, the same layout
    figure.draw_without_rendering()
    texts: list[Text] = list(figure.texts)
    for axes in figure.axes:
        # Titles, the steps' names and numbers, the note; tick labels where the axes show.
        texts += [child for child in axes.get_children() if isinstance(child, Text)]
        if axes.axison:
            texts += [*axes.get_xticklabels(), *axes.get_yticklabels()]
    shown = [t for t in texts if t.get_visible() and t.get_text().strip()]
    return shown, [t.get_window_extent() for t in shown], figure.bbox


def test_the_chart_is_a_wide_png_with_bars_and_a_line() -> None:
    picture = image(chart())
    assert picture.width >= 1080
    assert picture.height >= picture.width  # a portrait, as a phone holds it
    assert len(picture.getcolors(1 << 20) or []) > 20  # text's antialiasing, bars, grid
    half = picture.height // 2
    assert bar_pixels(picture, 0, half) > 10_000  # the funnel's bars
    assert bar_pixels(picture, half, picture.height) > 2_000  # the line and its markers
    assert picture.getpixel((0, 0)) == (255, 255, 255)


def test_no_days_or_only_zeros_show_the_note_instead_of_a_line() -> None:
    for days in ([], [(day, 0) for day, _ in DAYS]):
        figure = _funnel_figure("Воронка", BARS, "Завершили по дням", days, EMPTY)
        line = figure.axes[1]
        assert len(line.lines) == 0
        assert [t.get_text() for t in line.texts] == [EMPTY]
        picture = image(chart(days=days))
        assert bar_pixels(picture, picture.height * 2 // 3, picture.height) == 0
        assert bar_pixels(picture, 0, picture.height // 2) > 10_000


def test_russian_text_renders_without_any_warning() -> None:
    chart(LONG_BARS, DAYS, LONG_TITLE)  # chart() turns every warning into an error


def test_the_warning_check_catches_a_missing_glyph() -> None:
    # The test above would pass unnoticed if matplotlib said nothing: it says, for CJK.
    with pytest.raises(UserWarning, match="missing from font"):
        chart([("漢字", 1)])


@pytest.mark.parametrize(
    ("bars", "title"), [(BARS, "Воронка"), (LONG_BARS, LONG_TITLE)], ids=["usual", "long"]
)
def test_every_text_is_inside_the_image_and_overlaps_nothing(
    bars: list[tuple[str, int]], title: str
) -> None:
    figure = _funnel_figure(title, bars, "Завершили по дням", DAYS, EMPTY)
    texts, boxes, whole = drawn(figure)
    assert len(texts) >= 2 * len(bars) + 2  # each step's name and number, the two titles
    for text, box in zip(texts, boxes, strict=True):
        assert whole.x0 <= box.x0 and box.x1 <= whole.x1, f"cut off: {text.get_text()!r}"
        assert whole.y0 <= box.y0 and box.y1 <= whole.y1, f"cut off: {text.get_text()!r}"
    for i, (first, one) in enumerate(zip(texts, boxes, strict=True)):
        for second, other in zip(texts[i + 1 :], boxes[i + 1 :], strict=True):
            assert not one.overlaps(other), (first.get_text(), second.get_text())
    bars_drawn = [p for p in figure.axes[0].patches if isinstance(p, Rectangle)]
    assert len(bars_drawn) == len(bars)
    for patch in bars_drawn:
        box = patch.get_window_extent()
        for text, extent in zip(texts, boxes, strict=True):
            assert not box.overlaps(extent), f"on a bar: {text.get_text()!r}"


def test_text_is_large_and_in_dejavu_sans_whatever_matplotlib_is_set_to() -> None:
    # A machine's matplotlibrc (or another module) may change the defaults: the chart does not
    # follow them, so it looks the same everywhere.
    with matplotlib.rc_context({"font.family": "serif", "font.size": 6}):
        figure = _funnel_figure("Воронка", BARS, "Завершили по дням", DAYS, EMPTY)
        texts, _, _ = drawn(figure)
    assert {t.get_fontname() for t in texts} == {"DejaVu Sans"}
    assert min(float(t.get_fontsize()) for t in texts) >= TICK_PT >= 16


def test_days_are_labelled_with_short_dates_at_most_eight_times() -> None:
    figure = _funnel_figure("Воронка", BARS, "Завершили по дням", DAYS, EMPTY)
    line = figure.axes[1]
    labels = [label.get_text() for label in line.get_xticklabels()]
    assert 2 <= len(labels) <= 8
    assert labels[0] == "03.11"
    assert all(len(label) == 5 and label[2] == "." for label in labels)
    assert numpy.asarray(line.lines[0].get_ydata()).tolist() == [value for _, value in DAYS]


def test_the_same_figures_give_the_same_png_from_any_thread() -> None:
    # Worker threads, as asyncio.to_thread runs it: no global state shared between the charts.
    expected = chart()
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: chart(), range(4)))
    assert results == [expected] * 4


def test_importing_the_module_leaves_matplotlib_for_the_first_chart() -> None:
    assert loaded_on_import("bot.stats_chart", "matplotlib") == []
