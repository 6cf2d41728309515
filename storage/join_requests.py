"""Join requests: a student asks to be confirmed in (or sent the link to) their class."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from enum import StrEnum

from storage.db import Database, Row, utcnow


class RequestStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class JoinRequest:
    id: int
    student_id: int
    class_id: int
    variant: int
    status: RequestStatus
    reason: str | None
    created_at: str
    decided_at: str | None


def _request(row: Row) -> JoinRequest:
    return JoinRequest(
        row["id"],
        row["student_id"],
        row["class_id"],
        row["variant"],
        RequestStatus(row["status"]),
        row["reason"],
        row["created_at"],
        row["decided_at"],
    )


class JoinRequestsRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def open_pending(self, student_id: int, class_id: int, variant: int) -> tuple[int, bool]:
        """Record a pending request unless one is already open for this class.

        Returns the request id and whether it was created now; repeated taps create nothing.
        """

        def open_pending(conn: sqlite3.Connection) -> tuple[int, bool]:
            created = conn.execute(
                """
                INSERT INTO join_requests (student_id, class_id, variant, created_at)
                VALUES (?, ?, ?, ?)
                ON CONFLICT (student_id, class_id) WHERE status = 'pending' DO NOTHING
                """,
                (student_id, class_id, variant, utcnow()),
            ).rowcount
            row = conn.execute(
                "SELECT id FROM join_requests"
                " WHERE student_id = ? AND class_id = ? AND status = 'pending'",
                (student_id, class_id),
            ).fetchone()
            return int(row["id"]), created == 1

        return await self._db.run(open_pending)

    async def latest_for_student(self, student_id: int) -> JoinRequest | None:
        row = await self._db.fetchone(
            "SELECT * FROM join_requests WHERE student_id = ? ORDER BY id DESC LIMIT 1",
            (student_id,),
        )
        return _request(row) if row else None
