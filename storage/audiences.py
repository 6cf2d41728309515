"""Who a broadcast reaches: the chat ids of an audience, blocked users (users.blocked_at) left out.

Every audience has two queries built from one statement, so they can never disagree: the list
(distinct user ids, in id order: what a broadcast is handed) and its count (`count_*`: what a
preview shows, without fetching up to 100 000 ids). `school_ids=None` means every school (a super
admin); a list limits the students to those schools' classes (a school admin).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from storage.db import Database

_ACTIVE = "JOIN users u ON u.id = {col} AND u.blocked_at IS NULL"


@dataclass(frozen=True, slots=True)
class _Audience:
    """One audience's statement: `SELECT {column} {body}` lists it, `count({column})` counts."""

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
    marks = ", ".join("?" for _ in school_ids) or "NULL"
    return f" AND c.school_id IN ({marks})"


def _everyone() -> _Audience:
    return _Audience("id", "FROM users WHERE blocked_at IS NULL")


def _school(school_id: int) -> _Audience:
    return _Audience(
        "s.user_id",
        "FROM students s JOIN classes c ON c.id = s.class_id "
        + _ACTIVE.format(col="s.user_id")
        + " WHERE c.school_id = ?",
        (school_id,),
    )


def _school_class(class_id: int) -> _Audience:
    return _Audience(
        "s.user_id",
        "FROM students s " + _ACTIVE.format(col="s.user_id") + " WHERE s.class_id = ?",
        (class_id,),
    )


def _teachers() -> _Audience:
    return _Audience(
        "r.user_id",
        "FROM roles r " + _ACTIVE.format(col="r.user_id") + " WHERE r.role = 'teacher'",
        distinct=True,  # a teacher of two classes has two roles
    )


def _students(condition: str, params: list[object], school_ids: Sequence[int] | None) -> _Audience:
    """Students (s) meeting `condition`, in the given schools (every school: also those who have
    no class yet)."""
    where = _in_schools(school_ids, params)
    join = "JOIN" if school_ids is not None else "LEFT JOIN"
    return _Audience(
        "s.user_id",
        f"FROM students s {join} classes c ON c.id = s.class_id "
        + _ACTIVE.format(col="s.user_id")
        + f" WHERE {condition}"
        + where,
        tuple(params),
    )


def _stuck(step: str, school_ids: Sequence[int] | None) -> _Audience:
    return _students("s.step = ? AND s.finished_at IS NULL", [step], school_ids)


def _unfinished(school_ids: Sequence[int] | None) -> _Audience:
    return _students("s.finished_at IS NULL AND s.step <> 'done'", [], school_ids)


class AudiencesRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def _ids(self, audience: _Audience) -> list[int]:
        rows = await self._db.fetchall(audience.list_sql, audience.params)
        return [int(row[0]) for row in rows]

    async def _count(self, audience: _Audience) -> int:
        row = await self._db.fetchone(audience.count_sql, audience.params)
        return 0 if row is None else int(row[0])

    # --- the lists (a broadcast being started) --------------------------------------------------

    async def everyone(self) -> list[int]:
        """Everyone who has ever talked to the bot and has not blocked it."""
        return await self._ids(_everyone())

    async def school(self, school_id: int) -> list[int]:
        """The students of the school's classes."""
        return await self._ids(_school(school_id))

    async def school_class(self, class_id: int) -> list[int]:
        return await self._ids(_school_class(class_id))

    async def teachers(self) -> list[int]:
        """Everyone with a teacher's role, in any school."""
        return await self._ids(_teachers())

    async def stuck(self, step: str, school_ids: Sequence[int] | None) -> list[int]:
        """Students (not finished) whose current wizard step is `step`."""
        return await self._ids(_stuck(step, school_ids))

    async def unfinished(self, school_ids: Sequence[int] | None) -> list[int]:
        """Students who have not reached the end of the wizard."""
        return await self._ids(_unfinished(school_ids))

    # --- the counts (a preview): the same statements, counted ------------------------------------

    async def count_everyone(self) -> int:
        return await self._count(_everyone())

    async def count_school(self, school_id: int) -> int:
        return await self._count(_school(school_id))

    async def count_school_class(self, class_id: int) -> int:
        return await self._count(_school_class(class_id))

    async def count_teachers(self) -> int:
        return await self._count(_teachers())

    async def count_stuck(self, step: str, school_ids: Sequence[int] | None) -> int:
        return await self._count(_stuck(step, school_ids))

    async def count_unfinished(self, school_ids: Sequence[int] | None) -> int:
        return await self._count(_unfinished(school_ids))
