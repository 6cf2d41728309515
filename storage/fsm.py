"""aiogram FSM storage on the project's SQLite database (JSON-encoded, never pickled)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from typing import Any

from aiogram.exceptions import DataNotDictLikeError
from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, StateType, StorageKey

from storage.db import Database

# Built once: json.dumps() with non-default options constructs a new encoder on every call.
_encode_key = json.JSONEncoder(separators=(",", ":")).encode
_encode_data = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

_GET_STATE = "SELECT state FROM fsm WHERE key = ?"
_GET_DATA = "SELECT data FROM fsm WHERE key = ?"
_SET_STATE = """
    INSERT INTO fsm (key, user_id, state) VALUES (?, ?, ?)
    ON CONFLICT (key) DO UPDATE SET state = excluded.state
"""
_SET_DATA = """
    INSERT INTO fsm (key, user_id, data) VALUES (?, ?, ?)
    ON CONFLICT (key) DO UPDATE SET data = excluded.data
"""
# Clearing one half touches nothing when there is nothing to clear (no record, or that half is
# already empty), and returns the other half, so the record is deleted exactly when it empties.
_CLEAR_STATE = "UPDATE fsm SET state = NULL WHERE key = ? AND state IS NOT NULL RETURNING data"
_CLEAR_DATA = "UPDATE fsm SET data = NULL WHERE key = ? AND data IS NOT NULL RETURNING state"
_DELETE = "DELETE FROM fsm WHERE key = ?"


def _key(key: StorageKey) -> str:
    # Every field takes part, so two keys that differ anywhere (thread, destiny, business
    # connection, bot) never share a record. The format is stored data: never change it.
    return _encode_key(
        [
            key.bot_id,
            key.chat_id,
            key.user_id,
            key.thread_id,
            key.business_connection_id,
            key.destiny,
        ]
    )


def _state_name(state: StateType) -> str | None:
    return state.state if isinstance(state, State) else state


class SQLiteStorage(BaseStorage):
    """State and data of one key share a row; an empty record is deleted, not kept.

    Every method is a single trip to the database thread: one statement, or one unit of work
    (Database.run) where a method needs several, which also makes update_data atomic.
    """

    def __init__(self, db: Database) -> None:
        self._db = db

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        name = _state_name(state)
        if name is None:
            await self._clear(_key(key), _CLEAR_STATE)
        else:
            await self._db.execute(_SET_STATE, (_key(key), key.user_id, name))

    async def get_state(self, key: StorageKey) -> str | None:
        row = await self._db.fetchone(_GET_STATE, (_key(key),))
        return row[0] if row else None

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        if not isinstance(data, dict):
            msg = f"Data must be a dict or dict-like object, got {type(data).__name__}"
            raise DataNotDictLikeError(msg)
        if data:
            await self._db.execute(_SET_DATA, (_key(key), key.user_id, _encode_data(data)))
        else:
            await self._clear(_key(key), _CLEAR_DATA)

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        row = await self._db.fetchone(_GET_DATA, (_key(key),))
        return _decode_data(row[0] if row else None)

    async def update_data(self, key: StorageKey, data: Mapping[str, Any]) -> dict[str, Any]:
        db_key, user_id, update = _key(key), key.user_id, dict(data)

        def work(conn: sqlite3.Connection) -> dict[str, Any]:
            # Read, merge and write in one unit: no other update can slip in between.
            row = conn.execute(_GET_DATA, (db_key,)).fetchone()
            current = _decode_data(row[0] if row else None)
            current.update(update)
            if current:
                conn.execute(_SET_DATA, (db_key, user_id, _encode_data(current)))
            return current

        merged: dict[str, Any] = await self._db.run(work)
        return merged

    async def close(self) -> None:
        """The database belongs to the application, which closes it after the dispatcher stops."""

    async def _clear(self, db_key: str, clear_sql: str) -> None:
        def work(conn: sqlite3.Connection) -> None:
            row = conn.execute(clear_sql, (db_key,)).fetchone()
            if row is not None and row[0] is None:  # the other half was empty too
                conn.execute(_DELETE, (db_key,))

        await self._db.run(work)


def _decode_data(text: str | None) -> dict[str, Any]:
    if text is None:
        return {}
    data: dict[str, Any] = json.loads(text)
    return data
