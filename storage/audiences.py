"""Who a broadcast reaches: the chat ids of an audience, blocked users (users.blocked_at) left out.

Every audience is one `Selection` (`everyone()`, `school(id)`, ...: one statement), which the
repository either lists (`ids`: distinct user ids, in id order, what a broadcast is handed) or
counts (`count`: what a preview shows, without fetching up to 100 000 ids), so the two can never
disagree. `school_ids=None` means every school (a super admin); a list limits the students to
those schools' classes (a school admin).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from storage.db import Database, placeholders

_ACTIVE = "JOIN users u ON u.id = {col} AND u.blocked_at IS NULL"


@dataclass(frozen=True, slots=True)
class Selection:
    """One audience's statement: `SELECT {column} {body}` lists it, `count({column})` counts."""

    name: str  # which audience: for logs and tests
    column: str
    body: str  # FROM ... WHERE ...
    params: tuple[object, ...] = ()
    distinct: bool = False  # the body may yield one person more than once

    @property
    def list_sql(self) -> str:
        distinct = "DISTINCT " if self.distinct else ""
        return f"SELECT {distinct}{self.column} {self.body} ORDER BY {self.column}"

    @property
    def count_sql(self) -> str:
        counted = f"DISTINCT {self.column}" if self.distinct else "*"
        return f"SELECT count({counted}) {self.body}"


def _in_schools(school_ids: Sequence[int] | None, params: list[object]) -> str:
    """A condition on `c.school_id` (classes joined as c); empty for every school."""
    if school_ids is None:
        return ""
    params.extend(school_ids)
    marks = placeholders(school_ids)
    return f" AND c.school_id IN ({marks})"


def everyone() -> Selection:
    """Everyone who has ever talked to the bot and has not blocked it."""
    return Selection("everyone", "id", "FROM users WHERE blocked_at IS NULL")


def school(school_id: int) -> Selection:
    """The students of the school's classes."""
    return Selection(
        "school",
        "s.user_id",
        "FROM students s JOIN classes c ON c.id = s.class_id "
        + _ACTIVE.format(col="s.user_id")
        + " WHERE c.school_id = ?",
        (school_id,),
    )


def school_class(class_id: int) -> Selection:
    return Selection(
        "school_class",
        "s.user_id",
        "FROM students s " + _ACTIVE.format(col="s.user_id") + " WHERE s.class_id = ?",
        (class_id,),
    )


def teachers() -> Selection:
    """Everyone with a teacher's role, in any school."""
    return Selection(
        "teachers",
        "r.user_id",
        "FROM roles r " + _ACTIVE.format(col="r.user_id") + " WHERE r.role = 'teacher'",
        distinct=True,  # a teacher of two classes has two roles
    )


def _students(
    name: str, condition: str, params: list[object], school_ids: Sequence[int] | None
) -> Selection:
    """Students (s) meeting `condition`, in the given schools (every school: also those who have
    no class yet)."""
    where = _in_schools(school_ids, params)
    join = "JOIN" if school_ids is not None else "LEFT JOIN"
    return Selection(
        name,
        "s.user_id",
        f"FROM students s {join} classes c ON c.id = s.class_id "
        + _ACTIVE.format(col="s.user_id")
        + f" WHERE {condition}"
        + where,
        tuple(params),
    )


def stuck(step: str, school_ids: Sequence[int] | None) -> Selection:
    """Students (not finished) whose current wizard step is `step`."""
    return _students("stuck", "s.step = ? AND s.finished_at IS NULL", [step], school_ids)


def unfinished(school_ids: Sequence[int] | None) -> Selection:
    """Students who have not reached the end of the wizard."""
    return _students("unfinished", "s.finished_at IS NULL AND s.step <> 'done'", [], school_ids)


class AudiencesRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def ids(self, selection: Selection) -> list[int]:
        """Everyone in it (a broadcast being started)."""
        rows = await self._db.fetchall(selection.list_sql, selection.params)
        return [int(row[0]) for row in rows]

    async def count(self, selection: Selection) -> int:
        """How many they are (a preview): the same statement, counted."""
        row = await self._db.fetchone(selection.count_sql, selection.params)
        return 0 if row is None else int(row[0])
