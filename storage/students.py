"""Students' onboarding records: class, name and how far through the memo they are.

Only students who gave consent have a record; the others' progress lives in the FSM storage alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.db import Database, Row, utcnow


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
    )


class StudentsRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, user_id: int) -> StudentRecord | None:
        row = await self._db.fetchone("SELECT * FROM students WHERE user_id = ?", (user_id,))
        return _record(row) if row else None

    async def save_progress(self, record: StudentRecord) -> None:
        """Insert or update the progress fields (not the name); `step_at` moves only when the
        step itself changes, so "stuck at a step since" stays true."""
        await self._db.execute(
            """
            INSERT INTO students (user_id, class_id, step, device, gosuslugi, variant,
                                  step_at, finished_at, created_at)
            VALUES (:user_id, :class_id, :step, :device, :gosuslugi, :variant,
                    :now, :finished_at, :now)
            ON CONFLICT (user_id) DO UPDATE SET
                class_id = excluded.class_id,
                device = excluded.device,
                gosuslugi = excluded.gosuslugi,
                variant = excluded.variant,
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
