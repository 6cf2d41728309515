"""aiogram FSM storage on the project's SQLite database (JSON-encoded, never pickled).

Reads come from a bounded write-through cache whose entries are kept small, because every user
seen lately has one (benchmarks/user_caches.py measures them): a private chat's key is cached
under the user's id, not its JSON text; state names are shared, not one string per user; a
record without data is a shared tuple.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from typing import Any

from aiogram.exceptions import DataNotDictLikeError
from aiogram.fsm.state import State
from aiogram.fsm.storage.base import DEFAULT_DESTINY, BaseStorage, StateType, StorageKey

from storage.cache import shared, without_oldest
from storage.db import Database

# Built once: json.dumps() with non-default options constructs a new encoder on every call.
_encode_key = json.JSONEncoder(separators=(",", ":")).encode
_encode_data = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

_GET_RECORD = "SELECT state, data FROM fsm WHERE key = ?"
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


Record = tuple[str | None, str | None]  # (state, data as JSON)
CacheKey = int | str  # a private chat's user id, or the key as stored
# An entry is ~90 B without data, up to ~230 B with a finished wizard's: 2-4.5 MB when full.
CACHE_SIZE = 20_000
_BARE_MAX = 1024  # shared records of a state without data (the bot has a few dozen states)


class SQLiteStorage(BaseStorage):
    """State and data of one key share a row; an empty record is deleted, not kept.

    Every write is a single trip to the database thread: one statement, or one unit of work
    (Database.run) where a method needs several, which also makes update_data atomic.
    Reads come from a write-through cache of at most `cache_size` keys (when it is full, the
    tenth cached longest ago leaves): aiogram reads the state on every update, and this
    process is the only writer of the table (UsersRepo.delete aside, which /forget precedes
    with FSMContext.clear()).
    """

    def __init__(self, db: Database, cache_size: int = CACHE_SIZE) -> None:
        self._db = db
        self._cache: dict[CacheKey, Record] = {}
        self._cache_size = cache_size
        # Keys being read from the database: [readers, writes seen meanwhile]. A read that
        # raced a write to its key must not cache what it read.
        self._loading: dict[CacheKey, list[int]] = {}
        self._bot_id: int | None = None  # the first bot seen: its private chats are keyed by id
        self._bare: dict[str | None, Record] = {None: (None, None)}

    @property
    def cached(self) -> int:
        """Records in the cache now."""
        return len(self._cache)

    def _cache_key(self, key: StorageKey) -> CacheKey:
        """The user's id for the one shape nearly every key has (a private chat with the bot,
        no thread, no business connection, the default destiny); the stored key otherwise."""
        if self._bot_id is None:
            self._bot_id = key.bot_id
        plain = (
            key.chat_id == key.user_id
            and key.bot_id == self._bot_id
            and key.thread_id is None
            and key.business_connection_id is None
            and key.destiny == DEFAULT_DESTINY
        )
        return key.user_id if plain else _key(key)

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        cache_key, db_key, name = self._cache_key(key), _key(key), _state_name(state)
        self._wrote(cache_key)
        if name is None:
            await self._clear(db_key, _CLEAR_STATE)
        else:
            await self._db.execute(_SET_STATE, (db_key, key.user_id, name))
        self._refresh(cache_key, 0, name)

    async def get_state(self, key: StorageKey) -> str | None:
        return (await self._record(key))[0]

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        if not isinstance(data, dict):
            msg = f"Data must be a dict or dict-like object, got {type(data).__name__}"
            raise DataNotDictLikeError(msg)
        cache_key, db_key = self._cache_key(key), _key(key)
        encoded = _encode_data(data) if data else None
        self._wrote(cache_key)
        if encoded is None:
            await self._clear(db_key, _CLEAR_DATA)
        else:
            await self._db.execute(_SET_DATA, (db_key, key.user_id, encoded))
        self._refresh(cache_key, 1, encoded)

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        # Decoded afresh each time: callers may change the dict they get.
        return _decode_data((await self._record(key))[1])

    async def update_data(self, key: StorageKey, data: Mapping[str, Any]) -> dict[str, Any]:
        cache_key, db_key = self._cache_key(key), _key(key)
        user_id, update = key.user_id, dict(data)

        def work(conn: sqlite3.Connection) -> dict[str, Any]:
            # Read, merge and write in one unit: no other update can slip in between.
            row = conn.execute(_GET_DATA, (db_key,)).fetchone()
            current = _decode_data(row[0] if row else None)
            current.update(update)
            if current:
                conn.execute(_SET_DATA, (db_key, user_id, _encode_data(current)))
            return current

        self._wrote(cache_key)
        merged: dict[str, Any] = await self._db.run(work)
        self._refresh(cache_key, 1, _encode_data(merged) if merged else None)
        return merged

    async def close(self) -> None:
        """The database belongs to the application, which closes it after the dispatcher stops."""

    async def _record(self, key: StorageKey) -> Record:
        cache_key = self._cache_key(key)
        record = self._cache.get(cache_key)
        if record is not None:
            return record
        loading = self._loading.setdefault(cache_key, [0, 0])
        loading[0] += 1
        writes_before = loading[1]
        try:
            row = await self._db.fetchone(_GET_RECORD, (_key(key),))
        finally:
            loading[0] -= 1
            if loading[0] == 0:
                del self._loading[cache_key]
        record = self._shared(row[0], row[1]) if row else self._shared(None, None)
        if loading[1] == writes_before:
            if len(self._cache) >= self._cache_size:
                self._cache = without_oldest(self._cache, self._cache_size)
            self._cache[cache_key] = record
        return record

    def _shared(self, state: str | None, data: str | None) -> Record:
        """The record, with its state name shared (State.state builds a new string each time, a
        row brings one of its own); without data, one record shared by every key in that state."""
        state = shared(state)
        if data is not None:
            return (state, data)
        record = self._bare.get(state)
        if record is None:
            record = (state, None)
            if len(self._bare) < _BARE_MAX:
                self._bare[state] = record
        return record

    def _wrote(self, cache_key: CacheKey) -> None:
        loading = self._loading.get(cache_key)
        if loading is not None:
            loading[1] += 1

    def _refresh(self, cache_key: CacheKey, half: int, value: str | None) -> None:
        """After a write: a cached record takes the new half; an uncached one stays uncached."""
        cached = self._cache.get(cache_key)
        if cached is not None:
            state, data = (value, cached[1]) if half == 0 else (cached[0], value)
            self._cache[cache_key] = self._shared(state, data)

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
