"""Retention: finished students past their keep-until date become anonymous statistics.

Each chunk is one unit of work (Database.run): the students' rows are copied into
anonymous_students without anything that identifies them, then the people are erased
(storage/erasure.py). A student who is also staff keeps their users row and roles; only their
student data goes. A crash between chunks loses nothing and copies nothing twice.
"""

from __future__ import annotations

import sqlite3

from storage.db import Database, placeholders
from storage.erasure import erase_people, erase_student_data

# Oldest first, so a backlog drains in the order it became due.
_DUE = """
    SELECT s.user_id, EXISTS (SELECT 1 FROM roles r WHERE r.user_id = s.user_id) AS staff
    FROM students s
    WHERE s.finished_at IS NOT NULL AND s.finished_at < ?
    ORDER BY s.finished_at, s.user_id
    LIMIT ?
"""


def anonymise_due(conn: sqlite3.Connection, before: str, now: str, limit: int) -> list[int]:
    """Anonymise up to `limit` students who finished before `before` (an ISO UTC timestamp);
    returns their user ids. For Database.run."""
    rows = conn.execute(_DUE, (before, limit)).fetchall()
    if not rows:
        return []
    ids = [int(r["user_id"]) for r in rows]
    marks = placeholders(ids)
    conn.execute(
        f"""
        INSERT INTO anonymous_students (class_id, step, device, gosuslugi, variant, joined,
                                        started_at, finished_at, anonymised_at)
        SELECT s.class_id, s.step, s.device, s.gosuslugi, s.variant,
               EXISTS (SELECT 1 FROM join_requests j
                       WHERE j.student_id = s.user_id AND j.status = 'approved'),
               s.created_at, s.finished_at, ?
        FROM students s WHERE s.user_id IN ({marks})
        ORDER BY s.finished_at, s.user_id
        """,
        (now, *ids),
    )
    erase_student_data(conn, [int(r["user_id"]) for r in rows if r["staff"]])
    erase_people(conn, [int(r["user_id"]) for r in rows if not r["staff"]])
    return ids


class RetentionRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def anonymise_due(self, before: str, now: str, limit: int) -> list[int]:
        """One chunk (see anonymise_due); fewer than `limit` ids means nothing more is due."""
        return await self._db.run(lambda conn: anonymise_due(conn, before, now, limit))
