"""aiogram FSM storage on the project's SQLite database (JSON-encoded, never pickled)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from aiogram.exceptions import DataNotDictLikeError
from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, StateType, StorageKey

from storage.db import Database

# Built once: json.dumps() with non-default options constructs a new encoder on every call.
_encode_key = json.JSONEncoder(separators=(",", ":")).encode
_encode_data = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

_SET_STATE = """
    INSERT INTO fsm (key, user_id, state) VALUES (?, ?, ?)
    ON CONFLICT (key) DO UPDATE SET state = excluded.state
"""
_SET_DATA = """
    INSERT INTO fsm (key, user_id, data) VALUES (?, ?, ?)
    ON CONFLICT (key) DO UPDATE SET data = excluded.data
"""
# Clearing one half of a record touches nothing when there is nothing to clear (no row, or the
# half is already empty) and reports the other half, so the caller knows whether the record is
# now empty. Every statement is atomic, so whichever clear empties a record sees it empty here.
_CLEAR_STATE = "UPDATE fsm SET state = NULL WHERE key = ? AND state IS NOT NULL RETURNING data"
_CLEAR_DATA = "UPDATE fsm SET data = NULL WHERE key = ? AND data IS NOT NULL RETURNING state"
# Conditional, so a write that landed in between (from another task) is never lost.
_DROP_IF_EMPTY = "DELETE FROM fsm WHERE key = ? AND state IS NULL AND data IS NULL"


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

    Setting a value is one statement; clearing is one statement, plus a delete only when it
    leaves the record empty. A clear of a key without a record writes nothing.
    """

    def __init__(self, db: Database) -> None:
        self._db = db

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        name = _state_name(state)
        if name is None:
            await self._clear(key, _CLEAR_STATE)
        else:
            await self._db.execute(_SET_STATE, (_key(key), key.user_id, name))

    async def get_state(self, key: StorageKey) -> str | None:
        row = await self._db.fetchone("SELECT state FROM fsm WHERE key = ?", (_key(key),))
        return row[0] if row else None

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        if not isinstance(data, dict):
            msg = f"Data must be a dict or dict-like object, got {type(data).__name__}"
            raise DataNotDictLikeError(msg)
        if data:
            await self._db.execute(_SET_DATA, (_key(key), key.user_id, _encode_data(data)))
        else:
            await self._clear(key, _CLEAR_DATA)

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        row = await self._db.fetchone("SELECT data FROM fsm WHERE key = ?", (_key(key),))
        if row is None or row[0] is None:
            return {}
        data: dict[str, Any] = json.loads(row[0])
        return data

    async def close(self) -> None:
        """The database belongs to the application, which closes it after the dispatcher stops."""

    async def _clear(self, key: StorageKey, sql: str) -> None:
        db_key = _key(key)
        other = await self._db.fetchone(sql, (db_key,))
        if other is not None and other[0] is None:
            await self._db.execute(_DROP_IF_EMPTY, (db_key,))
