"""The Excel report's writer: sheets of plain rows to an .xlsx, streamed, whatever they hold.

openpyxl is imported on first use, never at start-up (the report is asked for rarely). The
workbook is write-only: each row goes to a temporary file as it comes, so `rows` may be a
generator over 100 000 students without holding them in memory. Measured on the development
machine (2 cores, Python 3.11, openpyxl 3.1.5, no lxml): 100 000 rows × 7 columns (5 strings
and ints, a date, a datetime) to a BytesIO in 8.4 s (median of 3, nearly all of it CPU, and
7.5 s of it openpyxl's own per-cell work: the same rows as plain values), the process growing by
7 MB (Python's heap peaking at 4 MB, the 3.4 MB file included); importing openpyxl took 0.2 s.

Cells keep their types: numbers stay numbers, dates and datetimes get a day-first format. A
datetime must be naive and already in the deployment's time zone: Excel has no time zones, and
which zone a report is read in is the caller's to decide, so an aware one is refused rather than
silently shifted. A string stays the text it was, also when it starts with "=" (openpyxl would
make it a formula: a student named "=cmd" must not run in a teacher's Excel). Control
characters, which an .xlsx cannot hold, are dropped.
"""

from __future__ import annotations

import contextlib
import datetime
import io
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell

Value = str | int | float | datetime.date | datetime.datetime | None

TITLE_MAX = 31  # Excel's limit on a sheet's name, in UTF-16 code units
# Excel refuses these in a sheet's name, and a name that starts or ends with an apostrophe.
_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
WIDTH_MIN, WIDTH_MAX = 10, 50
DATE_FORMAT = "DD.MM.YYYY"
DATETIME_FORMAT = "DD.MM.YYYY HH:MM"


@dataclass(frozen=True, slots=True)
class Sheet:
    title: str  # cut to Excel's 31 characters; characters Excel refuses become "_"
    headers: Sequence[str]
    rows: Iterable[Sequence[Value]]  # read once, as written: a generator is welcome
    widths: Sequence[int] | None = None  # in characters; None (or missing): from the headers


def write_workbook(target: str | os.PathLike[str] | IO[bytes], sheets: Sequence[Sheet]) -> None:
    """Writes `sheets` as an .xlsx to a path or a binary file. Raises ValueError on an aware
    datetime (see the module's docstring) or no sheets; nothing is written to `target` then."""
    from openpyxl import Workbook

    if not sheets:
        raise ValueError("a workbook needs at least one sheet")
    workbook = Workbook(write_only=True)
    try:
        titles: set[str] = set()
        for sheet in sheets:
            title = _unique(_title(sheet.title), titles)
            titles.add(title.casefold())
            _write_sheet(workbook.create_sheet(title), sheet)
    except BaseException:
        _discard(workbook)
        raise
    # The rows wait in temporary files; the .xlsx is assembled here, once all were good.
    workbook.save(target)


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    """The .xlsx of `sheets` as bytes, e.g. for a Telegram document."""
    buffer = io.BytesIO()
    write_workbook(buffer, sheets)
    return buffer.getvalue()


def _write_sheet(worksheet: Any, sheet: Sheet) -> None:
    # `Any`: openpyxl's stubs lack the write-only sheet's column_dimensions and auto_filter.
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    headers = list(sheet.headers)
    widths = list(sheet.widths or [])
    for index, header in enumerate(headers):
        width = widths[index] if index < len(widths) else _width(header)
        worksheet.column_dimensions[get_column_letter(index + 1)].width = width
    # Before the first row: the write-only sheet writes its top (views, columns) with it.
    worksheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(worksheet, _clean(header))
        cell.data_type = "s"  # a header starting with "=" is text too
        cell.font = bold
        header_cells.append(cell)
    worksheet.append(header_cells)
    cells, written = _Cells(worksheet), 0
    for row in sheet.rows:
        worksheet.append(cells.row(row))
        written += 1
    if headers:
        # Written at the end of the sheet, so set after the rows, when their number is known.
        last = get_column_letter(len(headers))
        worksheet.auto_filter.ref = f"A1:{last}{written + 1}"


class _Cells:
    """Rows as openpyxl should write them: plain values where openpyxl gets them right (the
    fast path), a cell of ours where it would not."""

    def __init__(self, worksheet: Any) -> None:
        self._worksheet = worksheet
        # One formatted cell per column, given each row's date: a write-only sheet writes a row
        # before it takes the next, and a new styled cell per date cost a fifth of the time.
        self._dated: dict[int, Cell] = {}

    def row(self, values: Sequence[Value]) -> list[Value | Cell]:
        cells: list[Value | Cell] = []
        for column, value in enumerate(values):
            if isinstance(value, str):
                text = _clean(value)
                cells.append(self._text(text) if text.startswith("=") else text)
            elif isinstance(value, datetime.datetime):
                if value.tzinfo is not None:
                    raise ValueError(
                        f"an aware datetime ({value.isoformat()}): Excel has no time zones; "
                        "convert it to the deployment's local time and drop tzinfo first"
                    )
                cells.append(self._date(column, value, DATETIME_FORMAT))
            elif isinstance(value, datetime.date):
                cells.append(self._date(column, value, DATE_FORMAT))
            else:
                cells.append(value)
        return cells

    def _text(self, text: str) -> Cell:
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(self._worksheet, text)
        cell.data_type = "s"  # what openpyxl would make a formula stays text
        return cell

    def _date(self, column: int, value: datetime.date, number_format: str) -> Cell:
        from openpyxl.cell import WriteOnlyCell

        cell = self._dated.get(column)
        if cell is None or cell.number_format != number_format:
            cell = self._dated[column] = WriteOnlyCell(self._worksheet)
            cell.number_format = number_format
        cell.value = value  # through the setter: the stubs' WriteOnlyCell() takes no date
        return cell


def _discard(workbook: Any) -> None:
    """Removes the temporary files of a workbook that will not be saved: openpyxl's own removal
    waits for the process's exit, and the bot runs for weeks. Best effort, on its internals."""
    for worksheet in workbook.worksheets:
        writer = getattr(worksheet, "_writer", None)
        if writer is not None and not worksheet.closed:
            with contextlib.suppress(Exception):
                worksheet.close()
                writer.cleanup()


def _clean(text: str) -> str:
    """`text` without the control characters an .xlsx cannot hold (XML 1.0 refuses them)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", text)


def _title(title: str, limit: int = TITLE_MAX) -> str:
    """A sheet name Excel accepts: no forbidden characters, at most `limit` UTF-16 units, never
    cut inside a character outside the BMP (an emoji counts two)."""
    title = _TITLE_FORBIDDEN.sub("_", _clean(title)).strip().strip("'")
    kept, units = [], 0
    for char in title:
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            break
        kept.append(char)
    return "".join(kept).strip() or "Sheet"


def _unique(title: str, taken: set[str]) -> str:
    """`title`, or `title` cut to make room for " (2)", " (3)"…: Excel compares names without
    case, and openpyxl's own renaming would pass 31 characters."""
    number = 1
    candidate = title
    while candidate.casefold() in taken:
        number += 1
        suffix = f" ({number})"
        candidate = _title(title, TITLE_MAX - len(suffix)) + suffix
    return candidate


def _width(header: str) -> int:
    return min(max(len(header) + 2, WIDTH_MIN), WIDTH_MAX)
