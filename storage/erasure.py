"""Erasure: every row that names or identifies a Telegram user goes, or loses what identifies them.

For Database.run (plain sqlite3 on the worker thread, inside the caller's unit of work).
Set-based: one statement per table for a whole chunk of users, so erasing 500 people costs a
few statements, not thousands.

Where a person's id appears, table by table (a new table that names users must be added here;
tests/test_erasure.py scans every table and column, so a forgotten one fails it):

- users (the row) and what cascades from it: students, join_requests as the student (and their
  cards' copies in request_notices), roles, reminders;
- fsm rows keyed on them;
- broadcast_recipients, request_notices and broadcast_reports where their chat received
  something;
- invites they created (created_by NOT NULL: 0) or used (used_by 0, not NULL: NULL means
  "unused" and would make a spent link redeemable again);
- join_requests they decided as staff: decided_by and decided_by_name NULL (status and time stay);
- broadcasts they created: created_by 0, and a finished broadcast's copied message no longer
  points at their chat. An unfinished one keeps its source until it ends: the engine copies from
  it, and a source of 0 would fail every remaining recipient as "chat not found".
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from storage.db import Database, placeholders
from storage.users import UsersRepo, clear_consent, delete_users


def erase_person(conn: sqlite3.Connection, user_id: int) -> None:
    """Forget one Telegram user entirely (/forget)."""
    erase_people(conn, [user_id])


def erase_people(conn: sqlite3.Connection, user_ids: Sequence[int]) -> None:
    """Forget these Telegram users entirely: their own rows deleted, their traces as staff
    anonymised."""
    ids = tuple(dict.fromkeys(user_ids))
    if not ids:
        return
    marks = placeholders(ids)
    erase_student_data(conn, ids)
    conn.execute(f"DELETE FROM broadcast_recipients WHERE chat_id IN ({marks})", ids)
    conn.execute(f"DELETE FROM request_notices WHERE chat_id IN ({marks})", ids)
    conn.execute(f"DELETE FROM broadcast_reports WHERE chat_id IN ({marks})", ids)
    conn.execute(f"UPDATE invites SET created_by = 0 WHERE created_by IN ({marks})", ids)
    conn.execute(f"UPDATE invites SET used_by = 0 WHERE used_by IN ({marks})", ids)
    conn.execute(
        "UPDATE join_requests SET decided_by = NULL, decided_by_name = NULL"
        f" WHERE decided_by IN ({marks})",
        ids,
    )
    conn.execute(
        "UPDATE broadcasts SET message = json_set(message, '$.copy.from_chat_id', 0)"
        f" WHERE created_by IN ({marks}) AND status IN ('done', 'cancelled')"
        " AND json_extract(message, '$.copy.from_chat_id') = created_by",
        ids,
    )
    conn.execute(f"UPDATE broadcasts SET created_by = 0 WHERE created_by IN ({marks})", ids)
    conn.execute(f"DELETE FROM roles WHERE user_id IN ({marks})", ids)
    delete_users(conn, ids)


def erase_student_data(conn: sqlite3.Connection, user_ids: Sequence[int]) -> None:
    """What these users are as students: the record, their join requests (with the cards'
    copies), reminders, conversation state and consent. Their users row stays, and with it
    whatever they are as staff (roles, the staff name and @username)."""
    ids = tuple(dict.fromkeys(user_ids))
    if not ids:
        return
    marks = placeholders(ids)
    conn.execute(f"DELETE FROM students WHERE user_id IN ({marks})", ids)
    conn.execute(f"DELETE FROM join_requests WHERE student_id IN ({marks})", ids)
    conn.execute(f"DELETE FROM reminders WHERE user_id IN ({marks})", ids)
    conn.execute(f"DELETE FROM fsm WHERE user_id IN ({marks})", ids)
    clear_consent(conn, ids)


class ErasureRepo:
    """/forget as one unit of work; the users' cache never serves the erased row."""

    def __init__(self, db: Database, users: UsersRepo) -> None:
        self._db = db
        self._users = users

    async def forget(self, user_id: int) -> None:
        self._users.forget_cached([user_id])
        await self._db.run(lambda conn: erase_person(conn, user_id))
        self._users.forget_cached([user_id])  # a read may have cached it while this was queued
