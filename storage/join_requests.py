"""Join requests: a student asks to be confirmed in (or sent the link to) their class."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from storage.db import Database, Row, placeholders, utcnow


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
    reached: str | None = None  # who got the card: teacher | school | municipality; None: nobody
    reason_text: str | None = None  # the decider's own words, for the reason "other"


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
        row["reached"],
        row["reason_text"],
    )


@dataclass(frozen=True, slots=True)
class Withdrawn:
    """A pending request taken back (the student moved to another class, or erased their data),
    with the copies of its card that must no longer offer ✅ / ❌."""

    request: JoinRequest
    notices: list[Notice]


def _new_id(conn: sqlite3.Connection) -> int:
    """An id no request has ever had, even one deleted since (old buttons carry ids)."""
    allocated = int(conn.execute("INSERT INTO join_request_ids DEFAULT VALUES").lastrowid or 0)
    conn.execute("DELETE FROM join_request_ids")
    top = conn.execute("SELECT coalesce(max(id), 0) FROM join_requests").fetchone()[0]
    if int(top) >= allocated:  # rows written around the counter (imports, tests)
        allocated = int(top) + 1
        conn.execute(
            "UPDATE sqlite_sequence SET seq = ? WHERE name = 'join_request_ids'", (allocated,)
        )
    return allocated


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
                INSERT INTO join_requests (id, student_id, class_id, variant, created_at)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (student_id, class_id) WHERE status = 'pending' DO NOTHING
                """,
                (_new_id(conn), student_id, class_id, variant, utcnow()),
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
        reason_text: str | None = None,
    ) -> bool:
        """Decide a pending request; False if it was no longer pending (someone was first).

        One conditional UPDATE: of two simultaneous decisions exactly one changes the row.
        """
        changed = await self._db.execute(
            "UPDATE join_requests SET status = ?, reason = ?, reason_text = ?, decided_by = ?,"
            " decided_by_name = ?, decided_at = ? WHERE id = ? AND status = 'pending'",
            (status.value, reason, reason_text, decided_by, decided_by_name, utcnow(), request_id),
        )
        return changed == 1

    async def set_reached(self, request_id: int, reached: str) -> None:
        await self._db.execute(
            "UPDATE join_requests SET reached = ? WHERE id = ?", (reached, request_id)
        )

    async def withdraw_pending(
        self, student_id: int, keep_class_id: int | None = None
    ) -> list[Withdrawn]:
        """Delete the student's pending requests (but the one to `keep_class_id`); returns them
        with their cards' copies, so the cards can be closed."""

        def withdraw(conn: sqlite3.Connection) -> list[Withdrawn]:
            rows = conn.execute(
                "SELECT * FROM join_requests WHERE student_id = ? AND status = 'pending'"
                " AND class_id IS NOT ? ORDER BY id",
                (student_id, keep_class_id),
            ).fetchall()
            found = []
            for row in rows:
                notices = conn.execute(
                    "SELECT chat_id, message_id, locale FROM request_notices WHERE request_id = ?",
                    (row["id"],),
                ).fetchall()
                found.append(
                    Withdrawn(
                        _request(row),
                        [Notice(n["chat_id"], n["message_id"], n["locale"]) for n in notices],
                    )
                )
                conn.execute("DELETE FROM join_requests WHERE id = ?", (row["id"],))
            return found

        return await self._db.run(withdraw)

    async def unreached(self, class_ids: Sequence[int]) -> list[int]:
        """Pending requests to these classes that nobody has received yet, oldest first."""
        if not class_ids:
            return []
        marks = placeholders(class_ids)
        rows = await self._db.fetchall(
            "SELECT id FROM join_requests WHERE status = 'pending' AND reached IS NULL"
            f" AND class_id IN ({marks}) ORDER BY id",
            tuple(class_ids),
        )
        return [int(r["id"]) for r in rows]

    async def count_unreached(self) -> int:
        row = await self._db.fetchone(
            "SELECT count(*) AS n FROM join_requests WHERE status = 'pending' AND reached IS NULL"
        )
        return int(row["n"]) if row else 0

    async def notice_locale(self, request_id: int, chat_id: int) -> str | None:
        """The language of the card's copy in this chat (None: no copy was sent there)."""
        row = await self._db.fetchone(
            "SELECT locale FROM request_notices WHERE request_id = ? AND chat_id = ?",
            (request_id, chat_id),
        )
        return str(row["locale"]) if row else None

    async def pending_of(self, student_id: int, variant: int) -> JoinRequest | None:
        row = await self._db.fetchone(
            "SELECT * FROM join_requests WHERE student_id = ? AND variant = ?"
            " AND status = 'pending' ORDER BY id DESC LIMIT 1",
            (student_id, variant),
        )
        return _request(row) if row else None

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
