"""Join requests: a student asks to be confirmed in (or sent the link to) their class."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
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
    decided_by_name: str | None = None
    decided_by: int | None = None


@dataclass(frozen=True, slots=True)
class Notice:
    """One copy of a request's notification, in one recipient's chat."""

    chat_id: int
    message_id: int
    locale: str


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
        row["decided_by_name"],
        row["decided_by"],
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

    async def get(self, request_id: int) -> JoinRequest | None:
        row = await self._db.fetchone("SELECT * FROM join_requests WHERE id = ?", (request_id,))
        return _request(row) if row else None

    async def decide(
        self,
        request_id: int,
        status: RequestStatus,
        reason: str | None,
        decided_by: int,
        decided_by_name: str,
    ) -> bool:
        """Decide a pending request; False if it was no longer pending (someone was first).

        One conditional UPDATE: of two simultaneous decisions exactly one changes the row.
        """
        changed = await self._db.execute(
            "UPDATE join_requests SET status = ?, reason = ?, decided_by = ?,"
            " decided_by_name = ?, decided_at = ? WHERE id = ? AND status = 'pending'",
            (status.value, reason, decided_by, decided_by_name, utcnow(), request_id),
        )
        return changed == 1

    async def add_notice(self, request_id: int, notice: Notice) -> None:
        await self._db.execute(
            "INSERT OR REPLACE INTO request_notices (request_id, chat_id, message_id, locale)"
            " VALUES (?, ?, ?, ?)",
            (request_id, notice.chat_id, notice.message_id, notice.locale),
        )

    async def notices(self, request_id: int) -> list[Notice]:
        rows = await self._db.fetchall(
            "SELECT chat_id, message_id, locale FROM request_notices WHERE request_id = ?",
            (request_id,),
        )
        return [Notice(r["chat_id"], r["message_id"], r["locale"]) for r in rows]

    async def pending_in_class(self, class_id: int) -> int:
        row = await self._db.fetchone(
            "SELECT count(*) AS n FROM join_requests WHERE class_id = ? AND status = 'pending'",
            (class_id,),
        )
        return int(row["n"]) if row else 0

    async def pending_students(self, class_id: int, variant: int) -> list[int]:
        """Students with an open request of this variant to the class."""
        rows = await self._db.fetchall(
            "SELECT student_id FROM join_requests"
            " WHERE class_id = ? AND variant = ? AND status = 'pending' ORDER BY id",
            (class_id, variant),
        )
        return [int(r["student_id"]) for r in rows]

    async def pending_page(
        self, class_ids: Sequence[int] | None, offset: int, limit: int
    ) -> tuple[list[JoinRequest], int]:
        """One page of pending requests, oldest first, and their total; None: every class."""
        where = "status = 'pending'"
        params: list[object] = []
        if class_ids is not None:
            if not class_ids:
                return [], 0
            where += f" AND class_id IN ({', '.join('?' for _ in class_ids)})"
            params += class_ids
        total = await self._db.fetchone(
            f"SELECT count(*) AS n FROM join_requests WHERE {where}", tuple(params)
        )
        rows = await self._db.fetchall(
            f"SELECT * FROM join_requests WHERE {where} ORDER BY id LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        return [_request(r) for r in rows], int(total["n"]) if total else 0
