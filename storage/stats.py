"""The numbers behind /stats: a class's counters (kept by migration 9's triggers), who is stuck
where, who finished on which day, and the few facts around them.

Every read is bounded by the scope: a class or a school reads its classes' rows through their
indexes; the municipality reads one counter row a class, never every student.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields

from storage.db import Database, Row, placeholders

COUNTERS = (
    "students",
    "named",
    "finished",
    "epos",
    "variant1",
    "variant2",
    "linked",
    "at_name",
    "at_memo1",
    "at_memo2",
    "at_fork",
    "at_memo4",
    "at_memo3",
    "pending",
    "approved",
    "rejected",
    "anonymous",
)


@dataclass(frozen=True, slots=True)
class Counts:
    """A class's figures, or the sum of several classes' (see migration 9 for each counter)."""

    students: int = 0
    named: int = 0
    finished: int = 0
    epos: int = 0
    variant1: int = 0
    variant2: int = 0
    linked: int = 0
    at_name: int = 0
    at_memo1: int = 0
    at_memo2: int = 0
    at_fork: int = 0
    at_memo4: int = 0
    at_memo3: int = 0
    pending: int = 0
    approved: int = 0
    rejected: int = 0
    anonymous: int = 0
    blocked: int = 0  # students of the class who blocked the bot
    stuck: int = 0  # unfinished, at their step since before the cut-off
    expected: int = 0  # the class sizes given (0: none given)

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(Counts)))


@dataclass(frozen=True, slots=True)
class StuckStudent:
    user_id: int
    class_id: int
    full_name: str | None
    step: str
    since: str  # UTC ISO timestamp


@dataclass(frozen=True, slots=True)
class StalePending:
    """A class whose oldest pending request is older than the cut-off."""

    class_id: int
    count: int
    oldest: str


@dataclass(frozen=True, slots=True)
class Started:
    """The municipality's front of the funnel: before a student chooses a class."""

    users: int  # everyone who wrote to the bot, staff aside
    without_class: int  # consented, no class chosen yet


def _counts(row: Row, blocked: int = 0, stuck: int = 0) -> Counts:
    counted = {name: int(row[name]) for name in COUNTERS}
    return Counts(**counted, blocked=blocked, stuck=stuck, expected=int(row["expected"] or 0))


_SUMS = ", ".join(f"sum(cs.{name}) AS {name}" for name in COUNTERS)
_COLUMNS = ", ".join(f"cs.{name}" for name in COUNTERS)


class StatsRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def of_classes(
        self, class_ids: Sequence[int], stuck_steps: Sequence[str], stuck_before: str
    ) -> dict[int, Counts]:
        """Each of these classes' figures (a teacher's classes, a school's)."""
        if not class_ids:
            return {}
        marks = placeholders(class_ids)
        rows = await self._db.fetchall(
            f"SELECT cs.class_id, {_COLUMNS}, c.expected FROM class_stats cs"
            f" JOIN classes c ON c.id = cs.class_id WHERE cs.class_id IN ({marks})",
            tuple(class_ids),
        )
        blocked = await self._per_class(
            "SELECT s.class_id, count(*) AS n FROM students s JOIN users u ON u.id = s.user_id"
            f" WHERE s.class_id IN ({marks}) AND u.blocked_at IS NOT NULL GROUP BY s.class_id",
            tuple(class_ids),
        )
        steps = placeholders(stuck_steps)
        stuck = await self._per_class(
            "SELECT class_id, count(*) AS n FROM students"
            f" WHERE class_id IN ({marks}) AND step IN ({steps}) AND finished_at IS NULL"
            " AND step_at < ? GROUP BY class_id",
            (*class_ids, *stuck_steps, stuck_before),
        )
        return {
            int(r["class_id"]): _counts(
                r, blocked.get(r["class_id"], 0), stuck.get(r["class_id"], 0)
            )
            for r in rows
        }

    async def per_school(self) -> dict[int, Counts]:
        """Every school's figures (stuck and blocked are the municipality's: see `totals`)."""
        rows = await self._db.fetchall(
            f"SELECT c.school_id, {_SUMS}, coalesce(sum(c.expected), 0) AS expected"
            " FROM class_stats cs JOIN classes c ON c.id = cs.class_id GROUP BY c.school_id"
        )
        return {int(r["school_id"]): _counts(r) for r in rows}

    async def blocked_and_stuck(
        self, stuck_steps: Sequence[str], stuck_before: str
    ) -> tuple[int, int]:
        """The municipality's students who blocked the bot, and those stuck."""
        # users_blocked holds the few who blocked; CROSS JOIN keeps SQLite starting there.
        blocked = await self._db.fetchone(
            "SELECT count(*) AS n FROM users u CROSS JOIN students s ON s.user_id = u.id"
            " WHERE u.blocked_at IS NOT NULL AND s.class_id IS NOT NULL"
        )
        # All the stuck from the index alone, less the few without a class (their own range
        # of students_by_class): reading each row's class would take ~50 ms at 100k students.
        where = f"step IN ({placeholders(stuck_steps)}) AND finished_at IS NULL AND step_at < ?"
        stuck = await self._db.fetchone(
            f"SELECT (SELECT count(*) FROM students WHERE {where})"
            f" - (SELECT count(*) FROM students WHERE class_id IS NULL AND {where}) AS n",
            (*stuck_steps, stuck_before) * 2,
        )
        return int(blocked["n"]) if blocked else 0, int(stuck["n"]) if stuck else 0

    async def started(self, super_admins: Sequence[int]) -> Started:
        """Who wrote to the bot, staff aside, and who consented without choosing a class."""
        everyone = await self._db.fetchone("SELECT count(*) AS n FROM users")
        rest = await self._db.fetchone(
            f"""
            SELECT (SELECT count(*) FROM users WHERE id IN (SELECT user_id FROM roles)
                        OR id IN ({placeholders(super_admins)})) AS staff,
                   (SELECT count(*) FROM students WHERE class_id IS NULL) AS without_class
            """,
            tuple(super_admins),
        )
        assert everyone is not None  # an aggregate always has its row
        assert rest is not None
        return Started(int(everyone["n"]) - int(rest["staff"]), int(rest["without_class"]))

    async def stuck_students(
        self, class_ids: Sequence[int], stuck_steps: Sequence[str], stuck_before: str
    ) -> list[StuckStudent]:
        """Who is stuck where in these classes, the longest stuck first."""
        rows = await self._db.fetchall(
            "SELECT user_id, class_id, full_name, step, step_at FROM students"
            f" WHERE class_id IN ({placeholders(class_ids)}) AND finished_at IS NULL"
            f" AND step IN ({placeholders(stuck_steps)}) AND step_at < ?"
            " ORDER BY step_at, user_id",
            (*class_ids, *stuck_steps, stuck_before),
        )
        return [
            StuckStudent(
                int(r["user_id"]), int(r["class_id"]), r["full_name"], r["step"], r["step_at"]
            )
            for r in rows
        ]

    async def finished_per_day(
        self, days: Sequence[tuple[str, str]], class_ids: Sequence[int] | None
    ) -> list[int]:
        """How many finished within each [start, end) of `days` (UTC ISO bounds of local days);
        None: in every class."""
        if not days:
            return []
        values = ", ".join("(?, ?)" for _ in days)
        where = "finished_at >= lo AND finished_at < hi"
        params: list[object] = [bound for day in days for bound in day]
        if class_ids is not None:
            where += f" AND class_id IN ({placeholders(class_ids)})"
            params += class_ids
        rows = await self._db.fetchall(
            f"WITH days(lo, hi) AS (VALUES {values})"
            f" SELECT (SELECT count(*) FROM students WHERE {where}) AS n FROM days",
            tuple(params),
        )
        return [int(r["n"]) for r in rows]

    async def stale_pending(self, class_ids: Sequence[int], before: str) -> list[StalePending]:
        """These classes' pending requests older than `before`, a line a class, oldest first."""
        rows = await self._db.fetchall(
            "SELECT class_id, count(*) AS n, min(created_at) AS oldest FROM join_requests"
            f" WHERE class_id IN ({placeholders(class_ids)}) AND status = 'pending'"
            " AND created_at < ? GROUP BY class_id ORDER BY oldest",
            (*class_ids, before),
        )
        return [StalePending(int(r["class_id"]), int(r["n"]), r["oldest"]) for r in rows]

    async def schools_without_teachers(self) -> list[int]:
        rows = await self._db.fetchall(
            "SELECT id FROM schools s WHERE NOT EXISTS (SELECT 1 FROM roles r"
            " WHERE r.school_id = s.id AND r.role = 'teacher') ORDER BY name"
        )
        return [int(r["id"]) for r in rows]

    async def _per_class(self, sql: str, params: tuple[object, ...]) -> dict[int, int]:
        return {int(r["class_id"]): int(r["n"]) for r in await self._db.fetchall(sql, params)}
