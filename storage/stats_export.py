"""The Excel report's rows, read on a connection of their own: one read transaction (a
consistent snapshot), in a worker thread, so 100 000 students are read while the bot's own
connection goes on serving presses (WAL lets a reader and the writer work at once).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from storage.db import placeholders
from storage.stats import COUNTERS, Counts


@dataclass(frozen=True, slots=True)
class Scope:
    """Whose report: a school's (school_id), some classes' (class_ids), or everyone's."""

    school_id: int | None = None
    class_ids: tuple[int, ...] | None = None


@dataclass(frozen=True, slots=True)
class ClassRow:
    school: str
    name: str
    counts: Counts


@dataclass(frozen=True, slots=True)
class StudentRow:
    school: str
    klass: str
    full_name: str | None
    step: str
    gosuslugi: int | None
    variant: int | None
    request_status: str | None
    step_at: str
    finished_at: str | None


class ReportReader:
    """`with ReportReader(path) as reader:` everything read inside is one snapshot."""

    def __init__(self, path: Path) -> None:
        self._conn = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False
        )
        self._conn.row_factory = sqlite3.Row

    def __enter__(self) -> ReportReader:
        self._conn.execute("BEGIN")
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._conn.rollback()
        self._conn.close()

    def school_id(self, name: str) -> int | None:
        row = self._conn.execute("SELECT id FROM schools WHERE name = ?", (name,)).fetchone()
        return int(row["id"]) if row else None

    def classes(
        self, scope: Scope, stuck_steps: Sequence[str], stuck_before: str
    ) -> list[ClassRow]:
        """Each class of the scope with its figures, by school and class name."""
        where, params = _where(scope, "c")
        columns = ", ".join(f"cs.{name}" for name in COUNTERS)
        rows = self._conn.execute(
            f"SELECT c.id, c.name, c.expected, s.name AS school, {columns} FROM classes c"
            " JOIN schools s ON s.id = c.school_id JOIN class_stats cs ON cs.class_id = c.id"
            f" WHERE {where} ORDER BY s.name, length(c.name), c.name",
            params,
        ).fetchall()
        ids = [int(r["id"]) for r in rows]
        blocked = self._per_class(
            "SELECT s.class_id, count(*) FROM users u CROSS JOIN students s ON s.user_id = u.id"
            " WHERE u.blocked_at IS NOT NULL GROUP BY s.class_id",
            (),
        )
        stuck = self._per_class(
            "SELECT class_id, count(*) FROM students WHERE finished_at IS NULL"
            f" AND step IN ({placeholders(stuck_steps)}) AND step_at < ? GROUP BY class_id",
            (*stuck_steps, stuck_before),
        )
        return [
            ClassRow(
                r["school"],
                r["name"],
                Counts(
                    **{name: int(r[name]) for name in COUNTERS},
                    blocked=blocked.get(class_id, 0),
                    stuck=stuck.get(class_id, 0),
                    expected=int(r["expected"] or 0),
                ),
            )
            for r, class_id in zip(rows, ids, strict=True)
        ]

    def students(self, scope: Scope) -> Iterator[StudentRow]:
        """The scope's students by school, class and name, read as they are written."""
        where, params = _where(scope, "c")
        cursor = self._conn.execute(
            "SELECT sc.name AS school, c.name AS klass, st.full_name, st.step, st.gosuslugi,"
            " st.variant, st.request_status, st.step_at, st.finished_at"
            " FROM classes c JOIN schools sc ON sc.id = c.school_id"
            " JOIN students st ON st.class_id = c.id"
            f" WHERE {where} ORDER BY sc.name, length(c.name), c.name, st.full_name, st.user_id",
            params,
        )
        for r in cursor:
            yield StudentRow(
                r["school"],
                r["klass"],
                r["full_name"],
                r["step"],
                r["gosuslugi"],
                r["variant"],
                r["request_status"],
                r["step_at"],
                r["finished_at"],
            )

    def _per_class(self, sql: str, params: tuple[object, ...]) -> dict[int, int]:
        return {int(k): int(n) for k, n in self._conn.execute(sql, params) if k is not None}


def _where(scope: Scope, alias: str) -> tuple[str, tuple[object, ...]]:
    if scope.class_ids is not None:
        return f"{alias}.id IN ({placeholders(scope.class_ids)})", tuple(scope.class_ids)
    if scope.school_id is not None:
        return f"{alias}.school_id = ?", (scope.school_id,)
    return "1", ()
