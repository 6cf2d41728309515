"""Reading what the bot stored, as an auditor would: straight from the database."""

from __future__ import annotations

from typing import Any

from storage.audiences import Selection
from storage.broadcasts import BroadcastsRepo, TextPayload
from storage.db import Database


async def wizard_step(db: Database, user_id: int) -> str | None:
    row = await db.fetchone("SELECT state FROM fsm WHERE user_id = ?", (user_id,))
    return str(row["state"]).removeprefix("Wizard:") if row and row["state"] else None


async def student_row(db: Database, user_id: int) -> dict[str, Any] | None:
    row = await db.fetchone("SELECT * FROM students WHERE user_id = ?", (user_id,))
    return dict(row) if row else None


async def requests_of(db: Database, user_id: int) -> list[dict[str, Any]]:
    rows = await db.fetchall("SELECT * FROM join_requests WHERE student_id = ?", (user_id,))
    return [dict(r) for r in rows]


async def count(db: Database, table: str, user_column: str, user_id: int) -> int:
    row = await db.fetchone(
        f"SELECT count(*) AS n FROM {table} WHERE {user_column} = ?", (user_id,)
    )
    return int(row["n"]) if row else 0


async def members(db: Database, selection: Selection, chunk: int = 2) -> list[int]:
    """Who an audience reaches, read the way a broadcast reads it (in chunks of `chunk`, small
    so that the paging itself is exercised), from a broadcast created and deleted for this."""
    repo = BroadcastsRepo(db, chunk)
    broadcast_id = await repo.create_filling(0, "members", TextPayload("-"), selection)
    done = False
    while not done:
        _, done = await repo.fill(broadcast_id)
    rows = await db.fetchall(
        "SELECT chat_id FROM broadcast_recipients WHERE broadcast_id = ? ORDER BY rowid",
        (broadcast_id,),
    )
    await db.execute("DELETE FROM broadcasts WHERE id = ?", (broadcast_id,))
    return [int(row["chat_id"]) for row in rows]
