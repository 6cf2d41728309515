"""Broadcasts and each recipient's delivery state, written as it changes.

Recipients are written in chunks of `FILL_CHUNK`, each chunk its own short transaction, so that
100 000 of them never hold the database while students press buttons. Until the last chunk is
in, the broadcast is `filling` (nothing is sent) and keeps where its recipients come from: an
audience (storage/audiences.Selection), read in id order from where the last chunk ended, so a
restart between two chunks completes the list with nobody lost and nobody twice; or a list
handed over whole, written in chunks too (a restart in between sends to those written: the
list itself was in memory). A list of at most one chunk is created with its broadcast in one
unit. A recipient moves from `pending` to exactly one final state: `sent` (with the
delivered message's id), `failed` (with the reason) or `blocked` (the user blocked the bot, was
deactivated, or the chat does not exist; the user is then marked inactive and left out of later
broadcasts). Every transition is guarded by `state = 'pending'`, so a repeated write changes
nothing.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any, Literal

from storage.audiences import Selection
from storage.db import Database, Row, utcnow
from storage.users import mark_blocked

log = logging.getLogger(__name__)

Status = Literal["pending", "running", "done", "cancelled"]
State = Literal["pending", "sent", "failed", "blocked"]
STATES: tuple[State, ...] = ("pending", "sent", "failed", "blocked")
UNFINISHED: tuple[Status, ...] = ("pending", "running")
ERROR_MAX = 500  # characters of a failure reason kept
# Recipients written per transaction: ~5 ms each at a region's size (benchmarks/scale.py,
# longest_db_hold_ms), so a student's press never waits long behind one.
FILL_CHUNK = 2000
_HANDED_OVER = "[]"  # `filling` of a list handed over whole (nothing to read it from again)


@dataclass(frozen=True, slots=True)
class CopyPayload:
    """copyMessage of a message the admin sent to the bot: text, photo, document, anything."""

    from_chat_id: int
    message_id: int


@dataclass(frozen=True, slots=True)
class TextPayload:
    """sendMessage with this text (the bot's default parse mode applies)."""

    text: str


@dataclass(frozen=True, slots=True)
class QrPhotoPayload:
    """sendPhoto of a QR code of `link` with this caption; the sender draws the QR code when it
    sends, so only the link is stored."""

    link: str
    caption: str


Payload = CopyPayload | TextPayload | QrPhotoPayload


def payload_to_json(payload: Payload) -> str:
    body: dict[str, Any]
    if isinstance(payload, CopyPayload):
        body = {"copy": {"from_chat_id": payload.from_chat_id, "message_id": payload.message_id}}
    elif isinstance(payload, QrPhotoPayload):
        body = {"qr_photo": {"link": payload.link, "caption": payload.caption}}
    else:
        body = {"text": payload.text}
    return json.dumps(body, ensure_ascii=False)


def payload_from_json(text: str) -> Payload:
    body = json.loads(text)
    if "copy" in body:
        copy = body["copy"]
        return CopyPayload(int(copy["from_chat_id"]), int(copy["message_id"]))
    if "qr_photo" in body:
        photo = body["qr_photo"]
        return QrPhotoPayload(str(photo["link"]), str(photo["caption"]))
    if "text" in body:
        return TextPayload(str(body["text"]))
    raise ValueError(f"unknown broadcast message: {text[:100]}")


@dataclass(frozen=True, slots=True)
class Broadcast:
    id: int
    created_by: int
    audience: str
    payload: Payload
    status: Status
    created_at: str
    finished_at: str | None
    filling: bool = False  # recipients still being written: nothing is sent yet


@dataclass(frozen=True, slots=True)
class Recipient:
    chat_id: int
    attempts: int


@dataclass(frozen=True, slots=True)
class Counts:
    pending: int = 0
    sent: int = 0
    failed: int = 0
    blocked: int = 0

    @property
    def total(self) -> int:
        return self.pending + self.sent + self.failed + self.blocked

    @property
    def finished(self) -> int:
        return self.sent + self.failed + self.blocked


def _broadcast(row: Row) -> Broadcast:
    return Broadcast(
        id=row["id"],
        created_by=row["created_by"],
        audience=row["audience"],
        payload=payload_from_json(row["message"]),
        status=row["status"],
        created_at=row["created_at"],
        finished_at=row["finished_at"],
        filling=row["filling"] is not None,
    )


_COLUMNS = "id, created_by, audience, message, status, created_at, finished_at, filling"
_NEW = (
    "INSERT INTO broadcasts (created_by, audience, message, status, created_at, filling)"
    " VALUES (?, ?, ?, 'pending', ?, ?)"
)
_ADD_UNBLOCKED = (  # the chats of a JSON list, in one statement
    "INSERT OR IGNORE INTO broadcast_recipients (broadcast_id, chat_id, updated_at)"
    " SELECT ?, chat.value, ? FROM json_each(?) AS chat WHERE NOT EXISTS"
    " (SELECT 1 FROM users WHERE id = chat.value AND blocked_at IS NOT NULL)"
)
_FILLED = "UPDATE broadcasts SET filling = NULL WHERE id = ?"


def _add_list(conn: sqlite3.Connection, broadcast_id: int, chats: list[int], last: bool) -> int:
    """One chunk of a list handed over; the last one ends the filling. Returns rows added."""
    added = conn.execute(_ADD_UNBLOCKED, (broadcast_id, utcnow(), json.dumps(chats))).rowcount
    if last:
        conn.execute(_FILLED, (broadcast_id,))
    return added


def _add_chunk(conn: sqlite3.Connection, broadcast_id: int, limit: int) -> tuple[int, bool]:
    """The next chunk of a broadcast's audience, from where the last one ended; returns (rows
    added, whether every recipient is now written)."""
    row = conn.execute("SELECT filling FROM broadcasts WHERE id = ?", (broadcast_id,)).fetchone()
    if row is None or row[0] is None:
        return 0, True
    if row[0] == _HANDED_OVER:  # the rest of the list was lost with the process
        log.warning("broadcast %s: sent to the recipients written before a restart", broadcast_id)
        conn.execute(_FILLED, (broadcast_id,))
        return 0, True
    selection = Selection.from_json(row[0])
    (after,) = conn.execute(
        "SELECT coalesce(max(chat_id), 0) FROM broadcast_recipients WHERE broadcast_id = ?",
        (broadcast_id,),
    ).fetchone()
    added = conn.execute(
        "INSERT OR IGNORE INTO broadcast_recipients (broadcast_id, updated_at, chat_id)"
        f" SELECT ?, ?, chunk.* FROM ({selection.chunk_sql(limit)}) AS chunk",
        (broadcast_id, utcnow(), *selection.params, after),
    ).rowcount
    done = added < limit
    if done:
        conn.execute(_FILLED, (broadcast_id,))
    return added, done


class BroadcastsRepo:
    def __init__(self, db: Database, chunk: int = FILL_CHUNK) -> None:
        self._db = db
        self.chunk = chunk  # recipients written per transaction

    async def create(
        self, created_by: int, audience: str, payload: Payload, chat_ids: Iterable[int]
    ) -> tuple[int, int]:
        """A new pending broadcast to these chats; returns (id, recipients written).

        Duplicate chat ids count once; users marked blocked are left out. Up to one chunk of
        chats: one unit with the broadcast; more: one transaction per chunk.
        """
        chats, size = list(dict.fromkeys(chat_ids)), self.chunk
        first, rest = chats[:size], chats[size:]
        message = payload_to_json(payload)
        filling = _HANDED_OVER if rest else None

        def open_(conn: sqlite3.Connection) -> tuple[int, int]:
            cursor = conn.execute(_NEW, (created_by, audience, message, utcnow(), filling))
            broadcast_id = int(cursor.lastrowid or 0)
            return broadcast_id, _add_list(conn, broadcast_id, first, last=False)

        broadcast_id, total = await self._db.run(open_)
        for start in range(0, len(rest), size):
            part, last = rest[start : start + size], start + size >= len(rest)
            add = partial(_add_list, broadcast_id=broadcast_id, chats=part, last=last)
            total += await self._db.run(add)
        return broadcast_id, total

    async def create_filling(
        self, created_by: int, audience: str, payload: Payload, selection: Selection
    ) -> int:
        """A new broadcast whose recipients are still to be read from `selection` (fill)."""
        return await self._db.insert(
            _NEW, (created_by, audience, payload_to_json(payload), utcnow(), selection.to_json())
        )

    async def fill(self, broadcast_id: int) -> tuple[int, bool]:
        """Writes the next chunk of a filling broadcast's recipients, in one transaction;
        returns (rows added, whether all are written now)."""
        return await self._db.run(lambda c: _add_chunk(c, broadcast_id, self.chunk))

    async def get(self, broadcast_id: int) -> Broadcast | None:
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM broadcasts WHERE id = ?", (broadcast_id,)
        )
        return None if row is None else _broadcast(row)

    async def unfinished(self) -> list[Broadcast]:
        """Broadcasts still to deliver (pending or running), oldest first."""
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM broadcasts WHERE status IN ('pending', 'running') ORDER BY id"
        )
        return [_broadcast(row) for row in rows]

    async def mark_running(self, broadcast_id: int) -> bool:
        changed = await self._db.execute(
            "UPDATE broadcasts SET status = 'running' WHERE id = ? AND status = 'pending'",
            (broadcast_id,),
        )
        return changed > 0

    async def finish(self, broadcast_id: int) -> bool:
        """Marks a running broadcast done, if no recipient is pending any more."""
        changed = await self._db.execute(
            "UPDATE broadcasts SET status = 'done', finished_at = ?"
            " WHERE id = ? AND status IN ('pending', 'running') AND filling IS NULL AND NOT EXISTS"
            " (SELECT 1 FROM broadcast_recipients WHERE broadcast_id = ? AND state = 'pending')",
            (utcnow(), broadcast_id, broadcast_id),
        )
        return changed > 0

    async def cancel(self, broadcast_id: int) -> bool:
        """Stops an unfinished broadcast; its pending recipients stay pending (never sent)."""
        changed = await self._db.execute(
            "UPDATE broadcasts SET status = 'cancelled', finished_at = ?"
            " WHERE id = ? AND status IN ('pending', 'running')",
            (utcnow(), broadcast_id),
        )
        return changed > 0

    async def next_batch(self, broadcast_id: int, limit: int) -> list[Recipient]:
        """Pending recipients in the order they were added."""
        rows = await self._db.fetchall(
            "SELECT chat_id, attempts FROM broadcast_recipients"
            " WHERE broadcast_id = ? AND state = 'pending' ORDER BY rowid LIMIT ?",
            (broadcast_id, limit),
        )
        return [Recipient(row["chat_id"], row["attempts"]) for row in rows]

    async def mark_sent(self, broadcast_id: int, chat_id: int, message_id: int) -> bool:
        changed = await self._db.execute(
            "UPDATE broadcast_recipients SET state = 'sent', message_id = ?,"
            " attempts = attempts + 1, error = NULL, updated_at = ?"
            " WHERE broadcast_id = ? AND chat_id = ? AND state = 'pending'",
            (message_id, utcnow(), broadcast_id, chat_id),
        )
        return changed > 0

    async def note_attempt(self, broadcast_id: int, chat_id: int, error: str) -> bool:
        """A failed attempt that will be retried: the count survives a restart."""
        changed = await self._db.execute(
            "UPDATE broadcast_recipients SET attempts = attempts + 1, error = ?, updated_at = ?"
            " WHERE broadcast_id = ? AND chat_id = ? AND state = 'pending'",
            (error[:ERROR_MAX], utcnow(), broadcast_id, chat_id),
        )
        return changed > 0

    async def mark_failed(self, broadcast_id: int, chat_id: int, error: str) -> bool:
        changed = await self._db.execute(
            "UPDATE broadcast_recipients SET state = 'failed', attempts = attempts + 1,"
            " error = ?, updated_at = ?"
            " WHERE broadcast_id = ? AND chat_id = ? AND state = 'pending'",
            (error[:ERROR_MAX], utcnow(), broadcast_id, chat_id),
        )
        return changed > 0

    async def mark_blocked(self, broadcast_id: int, chat_id: int, error: str) -> bool:
        """The recipient is unreachable for good: blocked here, in every other unfinished
        broadcast (never retried), and the user is marked inactive — in one unit."""
        reason = error[:ERROR_MAX]

        def work(conn: sqlite3.Connection) -> bool:
            now = utcnow()
            changed = conn.execute(
                "UPDATE broadcast_recipients SET state = 'blocked', attempts = attempts + 1,"
                " error = ?, updated_at = ?"
                " WHERE broadcast_id = ? AND chat_id = ? AND state = 'pending'",
                (reason, now, broadcast_id, chat_id),
            ).rowcount
            conn.execute(
                "UPDATE broadcast_recipients SET state = 'blocked', error = ?, updated_at = ?"
                " WHERE chat_id = ? AND state = 'pending' AND broadcast_id IN"
                " (SELECT id FROM broadcasts WHERE status IN ('pending', 'running'))",
                (reason, now, chat_id),
            )
            mark_blocked(conn, chat_id, now)
            return changed > 0

        return await self._db.run(work)

    async def states(self, broadcast_id: int) -> dict[int, State]:
        """Each recipient's delivery state, by chat id."""
        rows = await self._db.fetchall(
            "SELECT chat_id, state FROM broadcast_recipients WHERE broadcast_id = ?",
            (broadcast_id,),
        )
        return {int(row["chat_id"]): row["state"] for row in rows}

    async def counts(self, broadcast_id: int) -> Counts:
        rows = await self._db.fetchall(
            "SELECT state, count(*) AS n FROM broadcast_recipients"
            " WHERE broadcast_id = ? GROUP BY state",
            (broadcast_id,),
        )
        found = {row["state"]: int(row["n"]) for row in rows}
        return Counts(**{state: found.get(state, 0) for state in STATES})
