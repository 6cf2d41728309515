"""One user's updates, one at a time: a lock per FSM key while someone holds or waits for it.

aiogram's `SimpleEventIsolation` keeps every lock it ever made (one per user seen, ~330 B each:
33 MB at 100 000 users, and all of it walked by each full garbage collection). Here a lock lives
only while an update of that user is being handled or waits to be: the count of its holders and
waiters says when it may go. Everything runs on the event loop's thread, and nothing is awaited
between looking a lock up and counting oneself in, so no update can miss a lock being dropped.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager

from aiogram.fsm.storage.base import BaseEventIsolation, StorageKey


class _Slot:
    __slots__ = ("lock", "users")

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.users = 0  # holding or waiting


class PerUserIsolation(BaseEventIsolation):
    def __init__(self) -> None:
        self._slots: dict[StorageKey, _Slot] = {}

    @property
    def held(self) -> int:
        """Locks alive now: the users whose updates are being handled or wait."""
        return len(self._slots)

    @asynccontextmanager
    async def lock(self, key: StorageKey) -> AsyncGenerator[None, None]:
        slot = self._slots.get(key)
        if slot is None:
            slot = self._slots[key] = _Slot()
        slot.users += 1
        try:
            async with slot.lock:
                yield
        finally:
            slot.users -= 1
            if slot.users == 0:
                del self._slots[key]

    async def close(self) -> None:
        """Nothing to free: aiogram closes the isolation at shutdown while the last updates may
        still hold their locks (the app drains them), and each lock goes when its update ends."""
