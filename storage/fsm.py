"""aiogram FSM storage on the project's SQLite database (JSON-encoded, never pickled)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from aiogram.exceptions import DataNotDictLikeError
from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, StateType, StorageKey

from storage.db import Database


def _key(key: StorageKey) -> str:
    # Every field takes part, so two keys that differ anywhere (thread, destiny, business
    # connection, bot) never share a record.
    return json.dumps(
        [
            key.bot_id,
            key.chat_id,
            key.user_id,
            key.thread_id,
            key.business_connection_id,
            key.destiny,
        ],
        separators=(",", ":"),
    )


def _state_name(state: StateType) -> str | None:
    return state.state if isinstance(state, State) else state


class SQLiteStorage(BaseStorage):
    """State and data of one key share a row; an empty record is deleted, not kept."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        name = _state_name(state)
        await self._db.execute(
            """
            INSERT INTO fsm (key, user_id, state) VALUES (?, ?, ?)
            ON CONFLICT (key) DO UPDATE SET state = excluded.state
            """,
            (_key(key), key.user_id, name),
        )
        if name is None:
            await self._drop_if_empty(key)

    async def get_state(self, key: StorageKey) -> str | None:
        row = await self._db.fetchone("SELECT state FROM fsm WHERE key = ?", (_key(key),))
        return row["state"] if row else None

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        if not isinstance(data, dict):
            msg = f"Data must be a dict or dict-like object, got {type(data).__name__}"
            raise DataNotDictLikeError(msg)
        encoded = json.dumps(data, ensure_ascii=False, separators=(",", ":")) if data else None
        await self._db.execute(
            """
            INSERT INTO fsm (key, user_id, data) VALUES (?, ?, ?)
            ON CONFLICT (key) DO UPDATE SET data = excluded.data
            """,
            (_key(key), key.user_id, encoded),
        )
        if encoded is None:
            await self._drop_if_empty(key)

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        row = await self._db.fetchone("SELECT data FROM fsm WHERE key = ?", (_key(key),))
        if row is None or row["data"] is None:
            return {}
        data: dict[str, Any] = json.loads(row["data"])
        return data

    async def close(self) -> None:
        """The database belongs to the application, which closes it after the dispatcher stops."""

    async def _drop_if_empty(self, key: StorageKey) -> None:
        await self._db.execute(
            "DELETE FROM fsm WHERE key = ? AND state IS NULL AND data IS NULL", (_key(key),)
        )
