"""Who a broadcast reaches: the chat ids of an audience, blocked users (users.blocked_at) left out.

Every audience is one `Selection` (`everyone()`, `school(id)`, ...: one statement), which is
either counted here (`count`: what a preview shows, without fetching up to 100 000 ids) or read
in chunks of distinct user ids, in id order, by a broadcast being written (storage/broadcasts.py:
`fill`), so the two can never disagree. `school_ids=None` means every school (a super admin);
a list limits the students to those schools' classes (a school admin).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from storage.db import Database, placeholders

_ACTIVE = "JOIN users u ON u.id = {col} AND u.blocked_at IS NULL"


@dataclass(frozen=True, slots=True)
class Selection:
    """One audience's statement: `SELECT {column} {body}` lists it, `count({column})` counts."""

    name: str  # which audience: the factory below that built it (to_json/from_json)
    column: str
    body: str  # FROM ... WHERE ...
    params: tuple[object, ...] = ()
    distinct: bool = False  # the body may yield one person more than once
    args: tuple[object, ...] = ()  # what the factory was called with

    def to_json(self) -> str:
        """What a broadcast stores to read the rest of its recipients after a restart."""
        return json.dumps({"name": self.name, "args": list(self.args)})

    @staticmethod
    def from_json(text: str) -> Selection:
        body = json.loads(text)
        return _FACTORIES[body["name"]](*body["args"])

    def chunk_sql(self, limit: int) -> str:
        """The next `limit` people with an id above the one parameter appended (keyset paging:
        each chunk an index search from where the last one ended, never an OFFSET)."""
        distinct = "DISTINCT " if self.distinct else ""
        return (
            f"SELECT {distinct}{self.column} {self.body} AND {self.column} > ?"
            f" ORDER BY {self.column} LIMIT {int(limit)}"
        )

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
        args=(school_id,),
    )


def school_class(class_id: int) -> Selection:
    return Selection(
        "school_class",
        "s.user_id",
        "FROM students s " + _ACTIVE.format(col="s.user_id") + " WHERE s.class_id = ?",
        (class_id,),
        args=(class_id,),
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
    name: str,
    condition: str,
    params: list[object],
    school_ids: Sequence[int] | None,
    args: tuple[object, ...],
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
        args=args,
    )


def stuck(step: str, school_ids: Sequence[int] | None) -> Selection:
    """Students (not finished) whose current wizard step is `step`."""
    scope = None if school_ids is None else list(school_ids)
    return _students(
        "stuck", "s.step = ? AND s.finished_at IS NULL", [step], school_ids, (step, scope)
    )


def unfinished(school_ids: Sequence[int] | None) -> Selection:
    """Students who have not reached the end of the wizard."""
    scope = None if school_ids is None else list(school_ids)
    return _students(
        "unfinished", "s.finished_at IS NULL AND s.step <> 'done'", [], school_ids, (scope,)
    )


_FACTORIES: dict[str, Callable[..., Selection]] = {
    "everyone": everyone,
    "school": school,
    "school_class": school_class,
    "teachers": teachers,
    "stuck": stuck,
    "unfinished": unfinished,
}


class AudiencesRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def count(self, selection: Selection) -> int:
        """How many they are (a preview): the same statement, counted."""
        row = await self._db.fetchone(selection.count_sql, selection.params)
        return 0 if row is None else int(row[0])
