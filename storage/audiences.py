"""Who a broadcast reaches: the chat ids of an audience, blocked users (users.blocked_at) left out.

Every query returns distinct user ids, in id order. `school_ids=None` means every school (a super
admin); a list limits the students to those schools' classes (a school admin).
"""

from __future__ import annotations

from collections.abc import Sequence

from storage.db import Database

_ACTIVE = "JOIN users u ON u.id = {col} AND u.blocked_at IS NULL"


def _in_schools(school_ids: Sequence[int] | None, params: list[object]) -> str:
    """A condition on `c.school_id` (classes joined as c); empty for every school."""
    if school_ids is None:
        return ""
    params.extend(school_ids)
    marks = ", ".join("?" for _ in school_ids) or "NULL"
    return f" AND c.school_id IN ({marks})"


class AudiencesRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def _ids(self, sql: str, params: Sequence[object] = ()) -> list[int]:
        rows = await self._db.fetchall(sql, tuple(params))
        return [int(row[0]) for row in rows]

    async def everyone(self) -> list[int]:
        """Everyone who has ever talked to the bot and has not blocked it."""
        return await self._ids("SELECT id FROM users WHERE blocked_at IS NULL ORDER BY id")

    async def school(self, school_id: int) -> list[int]:
        """The students of the school's classes."""
        return await self._ids(
            "SELECT s.user_id FROM students s JOIN classes c ON c.id = s.class_id "
            + _ACTIVE.format(col="s.user_id")
            + " WHERE c.school_id = ? ORDER BY s.user_id",
            (school_id,),
        )

    async def school_class(self, class_id: int) -> list[int]:
        return await self._ids(
            "SELECT s.user_id FROM students s "
            + _ACTIVE.format(col="s.user_id")
            + " WHERE s.class_id = ? ORDER BY s.user_id",
            (class_id,),
        )

    async def teachers(self) -> list[int]:
        """Everyone with a teacher's role, in any school."""
        return await self._ids(
            "SELECT DISTINCT r.user_id FROM roles r "
            + _ACTIVE.format(col="r.user_id")
            + " WHERE r.role = 'teacher' ORDER BY r.user_id"
        )

    async def stuck(self, step: str, school_ids: Sequence[int] | None) -> list[int]:
        """Students (not finished) whose current wizard step is `step`."""
        return await self._students("s.step = ? AND s.finished_at IS NULL", [step], school_ids)

    async def unfinished(self, school_ids: Sequence[int] | None) -> list[int]:
        """Students who have not reached the end of the wizard."""
        return await self._students("s.finished_at IS NULL AND s.step <> 'done'", [], school_ids)

    async def _students(
        self, condition: str, params: list[object], school_ids: Sequence[int] | None
    ) -> list[int]:
        """Students (s) meeting `condition`, in the given schools (every school: also those who
        have no class yet)."""
        where = _in_schools(school_ids, params)
        join = "JOIN" if school_ids is not None else "LEFT JOIN"
        return await self._ids(
            f"SELECT s.user_id FROM students s {join} classes c ON c.id = s.class_id "
            + _ACTIVE.format(col="s.user_id")
            + f" WHERE {condition}"
            + where
            + " ORDER BY s.user_id",
            params,
        )
