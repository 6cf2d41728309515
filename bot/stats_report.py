"""The Excel report of a scope: a summary, the schools (for everyone's), the classes and the
students, with headers in the reader's language and times in the deployment's zone.

Built wholly in a worker thread from a snapshot of its own (storage/stats_export.py): the bot
keeps answering meanwhile. `python -m bot report FILE.xlsx` writes the same file.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO
from zoneinfo import ZoneInfo

from bot.i18n import Text
from bot.stats_workbook import Sheet, Value, write_workbook
from bot.wizard import STUCK_STEPS, Progress, Step, branch
from storage.stats import Counts
from storage.stats_export import ClassRow, ReportReader, Scope, StudentRow

# The figures of a class or school, in the columns' order.
FIGURES = (
    "students", "expected", "named", "finished", "at_name", "at_memo1", "at_memo2", "at_fork",
    "at_memo4", "at_memo3", "epos", "variant1", "variant2", "linked", "pending", "approved",
    "rejected", "blocked", "stuck", "anonymous",
)  # fmt: skip
_STEPS = tuple(s.value for s in STUCK_STEPS)


def _local(iso: str | None, zone: ZoneInfo) -> datetime | None:
    """A stored UTC timestamp as a naive local time: Excel has no time zones."""
    if not iso:
        return None
    moment = datetime.fromisoformat(iso)
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.astimezone(zone).replace(tzinfo=None)


def _percent(counts: Counts) -> float:
    return round(100 * counts.finished / counts.students, 1) if counts.students else 0.0


def _figures(counts: Counts) -> list[Value]:
    values: list[Value] = [getattr(counts, name) for name in FIGURES]
    values.insert(FIGURES.index("finished") + 1, _percent(counts))
    return values


def _figure_headers(t: Text) -> list[str]:
    headers = [t(f"xlsx-col-{name.replace('_', '-')}") for name in FIGURES]
    headers.insert(FIGURES.index("finished") + 1, t("xlsx-col-percent"))
    return headers


def _step(t: Text, step: str) -> str:
    try:
        return t(f"step-name-{Step(step).value}")
    except ValueError:
        return step


class ReportBuilder:
    def __init__(self, t: Text, zone: ZoneInfo, stuck_days: float) -> None:
        self._t, self._zone, self._stuck = t, zone, timedelta(days=stuck_days)

    def write(
        self, database: Path, scope: Scope, target: str | Path | IO[bytes], now: datetime
    ) -> None:
        """The report of `scope` as of `now`, written to `target` (a path or a binary file)."""
        cut = (now - self._stuck).astimezone(UTC).isoformat(timespec="seconds")
        with ReportReader(database) as reader:
            classes = reader.classes(scope, _STEPS, cut)
            write_workbook(target, self._sheets(reader, scope, classes))

    def _sheets(self, reader: ReportReader, scope: Scope, classes: list[ClassRow]) -> list[Sheet]:
        t = self._t
        total = sum((c.counts for c in classes), Counts())
        summary = Sheet(
            t("xlsx-sheet-summary"),
            [t("xlsx-col-figure"), t("xlsx-col-value")],
            list(zip(_figure_headers(t), _figures(total), strict=True)),
            widths=[45, 12],
        )
        sheets = [summary]
        if scope.school_id is None and scope.class_ids is None:
            sheets.append(self._schools(classes))
        headers = [t("xlsx-col-school"), t("xlsx-col-class"), *_figure_headers(t)]
        rows = [[c.school, c.name, *_figures(c.counts)] for c in classes]
        sheets.append(Sheet(t("xlsx-sheet-classes"), headers, rows, widths=_widths(headers)))
        students = [
            t("xlsx-col-school"), t("xlsx-col-class"), t("xlsx-col-name"), t("xlsx-col-step"),
            t("xlsx-col-path"), t("xlsx-col-request"), t("xlsx-col-step-at"),
            t("xlsx-col-finished-at"),
        ]  # fmt: skip
        sheets.append(
            Sheet(
                t("xlsx-sheet-students"),
                students,
                self._students(reader.students(scope)),
                widths=[30, 8, 30, 34, 14, 16, 18, 18],
            )
        )
        return sheets

    def _schools(self, classes: list[ClassRow]) -> Sheet:
        t = self._t
        by_school: dict[str, Counts] = {}
        for row in classes:
            by_school[row.school] = by_school.get(row.school, Counts()) + row.counts
        headers = [t("xlsx-col-school"), *_figure_headers(t)]
        rows = [[name, *_figures(counts)] for name, counts in by_school.items()]
        return Sheet(t("xlsx-sheet-schools"), headers, rows, widths=_widths(headers))

    def _students(self, rows: Iterator[StudentRow]) -> Iterator[Sequence[Value]]:
        t, zone = self._t, self._zone
        for row in rows:
            path = branch(Progress(gosuslugi=bool(row.gosuslugi), variant=row.variant))
            yield [
                row.school,
                row.klass,
                row.full_name,
                _step(t, row.step),
                t(f"xlsx-path-{path}"),
                t(f"xlsx-request-{row.request_status or 'none'}"),
                _local(row.step_at, zone),
                _local(row.finished_at, zone),
            ]


def _widths(headers: Sequence[str]) -> list[int]:
    return [30, *[max(10, min(len(h) + 2, 24)) for h in headers[1:]]]
