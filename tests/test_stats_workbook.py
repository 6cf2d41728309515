"""The Excel report's writer, read back by openpyxl as Excel would read it: typed cells, a bold
frozen header, widths, names Excel accepts, and text that never becomes a formula."""

from __future__ import annotations

import datetime
import io
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from bot.stats_workbook import (
    DATE_FORMAT,
    DATETIME_FORMAT,
    Sheet,
    Value,
    workbook_bytes,
    write_workbook,
)
from tests.support.timing import loaded_on_import

ROOT = Path(__file__).resolve().parent.parent
DAY = datetime.date(2026, 12, 2)
WHEN = datetime.datetime(2026, 12, 2, 8, 54)
# What a student may call themselves: Excel would run the first four if they were formulas.
TRICKY = ["=cmd", "+1", "-1", "@SUM(A1)", '=HYPERLINK("http://x")', "123"]


def students() -> Iterator[tuple[str, str, int, datetime.date, datetime.datetime, float, None]]:
    # A generator, as the report streams rows from the database.
    yield ("Иванов Иван", "5 «А»", 7, DAY, WHEN, 0.5, None)
    yield ("=cmd", "5 «Б»", 0, DAY, WHEN.replace(hour=23, minute=59), 1.0, None)


def sheets() -> list[Sheet]:
    return [
        Sheet(
            title="Ученики",
            headers=["ФИО", "Класс", "Шаг", "Дата", "Когда", "Доля", "Пусто"],
            rows=students(),
            widths=[30, 12],  # the rest from their headers
        ),
        Sheet(
            title="Итоги",
            headers=["Показатель", "Очень длинный заголовок столбца" * 3],
            rows=[("Начали", 1234), ("Выбрали класс и назвались", 950)],
        ),
    ]


def read(data: bytes) -> list[Worksheet]:
    workbook = load_workbook(io.BytesIO(data))
    return [workbook[name] for name in workbook.sheetnames]


def test_two_sheets_read_back_typed_with_a_bold_frozen_header(tmp_path: Path) -> None:
    path = tmp_path / "report.xlsx"
    write_workbook(path, sheets())
    pupils, totals = read(path.read_bytes())
    assert [pupils.title, totals.title] == ["Ученики", "Итоги"]
    assert [c.value for c in pupils[1]] == ["ФИО", "Класс", "Шаг", "Дата", "Когда", "Доля", "Пусто"]
    assert all(c.font.b for c in pupils[1]) and all(c.font.b for c in totals[1])
    assert not any(c.font.b for c in pupils[2])
    assert pupils.freeze_panes == "A2" and totals.freeze_panes == "A2"
    assert pupils.auto_filter.ref == "A1:G3"
    assert totals.auto_filter.ref == "A1:B3"

    name, klass, step, day, when, share, empty = pupils[2]
    assert (name.value, klass.value) == ("Иванов Иван", "5 «А»")
    assert type(step.value) is int and step.value == 7
    assert type(share.value) is float and share.value == 0.5
    assert empty.value is None
    assert isinstance(day.value, datetime.datetime) and day.value.date() == DAY
    assert day.number_format == DATE_FORMAT
    assert when.value == WHEN and when.number_format == DATETIME_FORMAT
    assert pupils["E3"].value == datetime.datetime(2026, 12, 2, 23, 59)
    assert pupils["C3"].value == 0  # a zero is a number, not an empty cell
    assert [c.value for c in totals["B"]] == ["Очень длинный заголовок столбца" * 3, 1234, 950]


def test_widths_are_the_given_ones_or_the_headers_within_10_to_50(tmp_path: Path) -> None:
    pupils, totals = read(workbook_bytes(sheets()))
    widths = {letter: pupils.column_dimensions[letter].width for letter in "ABCDEFG"}
    assert widths == {"A": 30, "B": 12, "C": 10, "D": 10, "E": 10, "F": 10, "G": 10}
    assert totals.column_dimensions["A"].width == len("Показатель") + 2
    assert totals.column_dimensions["B"].width == 50


def test_text_that_looks_like_a_formula_stays_the_same_text() -> None:
    data = workbook_bytes([Sheet("Имена", ["Имя"], [[text] for text in TRICKY])])
    (names,) = read(data)
    cells = [row[0] for row in names.iter_rows(min_row=2)]
    assert [c.value for c in cells] == TRICKY
    assert [c.data_type for c in cells] == ["s"] * len(TRICKY)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml  # no formula at all, as Excel reads the file


def test_a_header_that_looks_like_a_formula_is_text_too() -> None:
    (sheet,) = read(workbook_bytes([Sheet("Лист", ["=1+1"], [])]))
    assert (sheet["A1"].value, sheet["A1"].data_type) == ("=1+1", "s")


def test_sheet_names_are_cut_to_31_and_made_acceptable_and_unique() -> None:
    long = "Ученики, которые не завершили за 30 дней"
    titles = [long, long, "5/А: [список]?", "'", "Эмодзи 😀" * 5]
    data = workbook_bytes([Sheet(title, ["A"], []) for title in titles])
    names = load_workbook(io.BytesIO(data)).sheetnames
    assert names[0] == long[:31]
    assert names[1] == long[:27] + " (2)"
    assert names[2] == "5_А_ _список__"
    assert names[3] == "Sheet"
    # Excel counts UTF-16 units: an emoji is two, and is never cut in half.
    assert all(len(name.encode("utf-16-le")) // 2 <= 31 for name in names)
    assert names[4].startswith("Эмодзи 😀") and "\ud83d" not in names[4]


def test_an_aware_datetime_is_refused_and_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # openpyxl streams rows into temporary files: they must go with the failed report.
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    target = tmp_path / "report.xlsx"
    aware = WHEN.replace(tzinfo=datetime.UTC)
    rows: list[list[Value]] = [["ok", WHEN], ["late", aware]]
    with pytest.raises(ValueError, match="time zones"):
        write_workbook(target, [Sheet("Лист", ["Имя", "Когда"], rows)])
    assert not target.exists()
    assert list(scratch.iterdir()) == []
    write_workbook(target, [Sheet("Лист", ["Имя", "Когда"], rows[:1])])
    assert list(scratch.iterdir()) == []  # a saved report keeps none either
    assert target.exists()


def test_what_an_xlsx_cannot_hold_is_dropped_not_fatal() -> None:
    # Control characters are ours to drop (openpyxl raises); NaN and infinity openpyxl's.
    rows: list[list[Value]] = [["без\x00управляющих\x07знаков", float("nan"), float("inf"), 1.5]]
    (sheet,) = read(workbook_bytes([Sheet("Лист", ["A", "B", "C", "D"], rows)]))
    assert [c.value for c in sheet[2]] == ["безуправляющихзнаков", None, None, 1.5]


def test_a_workbook_needs_a_sheet() -> None:
    with pytest.raises(ValueError, match="at least one sheet"):
        workbook_bytes([])


def test_many_rows_stream_from_a_generator() -> None:
    rows = ((f"Ученик {i}", i, DAY) for i in range(5000))
    (sheet,) = read(workbook_bytes([Sheet("Лист", ["Имя", "№", "Дата"], rows)]))
    assert sheet.max_row == 5001
    assert [c.value for c in sheet[5001]] == ["Ученик 4999", 4999, datetime.datetime(2026, 12, 2)]
    assert sheet["C5001"].number_format == DATE_FORMAT


def test_importing_the_module_leaves_openpyxl_for_the_first_report() -> None:
    assert loaded_on_import("bot.stats_workbook", "openpyxl") == []
