"""Students' onboarding records: class, name and how far through the memo they are.

Only students who gave consent have a record; the others' progress lives in the FSM storage alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from storage.db import Database, Row, placeholders, utcnow


@dataclass(frozen=True, slots=True)
class StudentRecord:
    user_id: int
    step: str
    class_id: int | None = None
    full_name: str | None = None
    device: str | None = None
    gosuslugi: bool | None = None
    variant: int | None = None
    step_at: str | None = None
    finished_at: str | None = None
    created_at: str | None = None  # when they gave consent and the record began


@dataclass(frozen=True, slots=True)
class RosterEntry:
    """A student of a class with the status of their latest join request to it."""

    record: StudentRecord
    request_status: str | None
    username: str | None = None


def _record(row: Row) -> StudentRecord:
    gosuslugi = row["gosuslugi"]
    return StudentRecord(
        user_id=row["user_id"],
        step=row["step"],
        class_id=row["class_id"],
        full_name=row["full_name"],
        device=row["device"],
        gosuslugi=None if gosuslugi is None else bool(gosuslugi),
        variant=row["variant"],
        step_at=row["step_at"],
        finished_at=row["finished_at"],
        created_at=row["created_at"],
    )


def same_name(name: str) -> str:
    """Names compared as a teacher reads them: case and runs of spaces aside."""
    return " ".join(name.split()).casefold()


class StudentsRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, user_id: int) -> StudentRecord | None:
        row = await self._db.fetchone("SELECT * FROM students WHERE user_id = ?", (user_id,))
        return _record(row) if row else None

    async def save_progress(self, record: StudentRecord) -> None:
        """Insert or update the progress fields (not the name); `step_at` moves only when the
        step itself changes, so "stuck at a step since" stays true; a new finish restarts the
        monthly reminder's count (`monthly_since`)."""
        await self._db.execute(
            """
            INSERT INTO students (user_id, class_id, step, device, gosuslugi, variant,
                                  step_at, finished_at, monthly_since, created_at)
            VALUES (:user_id, :class_id, :step, :device, :gosuslugi, :variant,
                    :now, :finished_at, :finished_at, :now)
            ON CONFLICT (user_id) DO UPDATE SET
                class_id = excluded.class_id,
                device = excluded.device,
                gosuslugi = excluded.gosuslugi,
                variant = excluded.variant,
                monthly_since = CASE WHEN students.finished_at IS excluded.finished_at
                                     THEN students.monthly_since ELSE excluded.finished_at END,
                finished_at = excluded.finished_at,
                step_at = CASE WHEN students.step = excluded.step
                               THEN students.step_at ELSE excluded.step_at END,
                step = excluded.step
            """,
            {
                "user_id": record.user_id,
                "class_id": record.class_id,
                "step": record.step,
                "device": record.device,
                "gosuslugi": None if record.gosuslugi is None else int(record.gosuslugi),
                "variant": record.variant,
                "finished_at": record.finished_at,
                "now": utcnow(),
            },
        )

    async def set_name(self, user_id: int, full_name: str) -> None:
        await self._db.execute(
            "UPDATE students SET full_name = ? WHERE user_id = ?", (full_name, user_id)
        )

    async def count_in_class(self, class_id: int) -> int:
        row = await self._db.fetchone(
            "SELECT count(*) AS n FROM students WHERE class_id = ?", (class_id,)
        )
        return int(row["n"]) if row else 0

    async def counts_in_school(self, school_id: int) -> dict[int, int]:
        """Students per class of the school (classes without students are absent)."""
        rows = await self._db.fetchall(
            "SELECT s.class_id, count(*) AS n FROM students s"
            " JOIN classes c ON c.id = s.class_id WHERE c.school_id = ? GROUP BY s.class_id",
            (school_id,),
        )
        return {int(r["class_id"]): int(r["n"]) for r in rows}

    async def of_class(self, class_id: int) -> list[RosterEntry]:
        """The class's students, each with their latest request to this class (if any)."""
        rows = await self._db.fetchall(
            """
            SELECT s.*, u.username, (SELECT r.status FROM join_requests r
                         WHERE r.student_id = s.user_id AND r.class_id = s.class_id
                         ORDER BY r.id DESC LIMIT 1) AS request_status
            FROM students s JOIN users u ON u.id = s.user_id
            WHERE s.class_id = ? ORDER BY s.user_id
            """,
            (class_id,),
        )
        return [RosterEntry(_record(r), r["request_status"], r["username"]) for r in rows]

    async def namesakes(self, class_id: int, full_name: str) -> int:
        """How many students of the class go by this name (case and spacing aside)."""
        rows = await self._db.fetchall(
            "SELECT full_name FROM students WHERE class_id = ? AND full_name IS NOT NULL",
            (class_id,),
        )
        wanted = same_name(full_name)
        return sum(1 for r in rows if same_name(r["full_name"]) == wanted)

    async def joined(self, class_id: int) -> list[StudentRecord]:
        """Students who have joined the class in Sferum by memo step 3 and so need the class chat
        link: an approved variant-1 request, or variant 2 past the class link (they said they
        joined). Memo step 4 students are left out: the e-journal adds them to the
        chat by itself."""
        rows = await self._db.fetchall(
            """
            SELECT s.* FROM students s
            WHERE s.class_id = :class AND coalesce(s.gosuslugi, 0) = 0 AND (
                (s.variant = 2 AND s.step IN ('chat', 'done'))
                OR (s.variant = 1 AND EXISTS (
                    SELECT 1 FROM join_requests r
                    WHERE r.student_id = s.user_id AND r.class_id = s.class_id
                      AND r.variant = 1 AND r.status = 'approved')))
            ORDER BY s.user_id
            """,
            {"class": class_id},
        )
        return [_record(r) for r in rows]

    async def at_steps(
        self, class_id: int, steps: Sequence[str], variant: int | None = None
    ) -> list[StudentRecord]:
        """Students of the class at one of `steps` (on memo step 3 `variant`, if given)."""
        if not steps:
            return []
        marks = placeholders(steps)
        sql = f"SELECT * FROM students WHERE class_id = ? AND step IN ({marks})"
        params: list[object] = [class_id, *steps]
        if variant is not None:
            sql += " AND variant = ? AND coalesce(gosuslugi, 0) = 0"
            params.append(variant)
        rows = await self._db.fetchall(sql + " ORDER BY user_id", tuple(params))
        return [_record(r) for r in rows]
