"""Graceful shutdown: updates taken from Telegram are finished before the database closes."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.types import Update

log = logging.getLogger(__name__)


class GracefulDispatcher(Dispatcher):
    """Counts updates from the moment they enter the dispatcher; `drain()` waits for them.

    aiogram's polling stops fetching on SIGINT/SIGTERM but does not wait for the handler tasks
    it has started, and Telegram already counts those updates as delivered. Counting in
    feed_update (not in a middleware) includes updates still waiting for a user's lock.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._in_flight = 0
        self._idle = asyncio.Event()
        self._idle.set()

    async def feed_update(self, bot: Bot, update: Update, **kwargs: Any) -> Any:
        self._in_flight += 1
        self._idle.clear()
        try:
            return await super().feed_update(bot, update, **kwargs)
        finally:
            self._in_flight -= 1
            if self._in_flight == 0:
                self._idle.set()

    async def drain(self, timeout: float = 30.0) -> None:
        # Tasks that polling created just before it stopped start on the next loop turn.
        await asyncio.sleep(0)
        if self._in_flight:
            log.info("waiting for %d update(s) in flight", self._in_flight)
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
        except TimeoutError:
            log.warning("%d update(s) still in flight after %.0fs", self._in_flight, timeout)
