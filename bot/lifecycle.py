"""Graceful shutdown: let the updates being handled finish before the database closes."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject

from bot.middlewares import Handler

log = logging.getLogger(__name__)


class InFlightUpdates(BaseMiddleware):
    """Counts updates inside handlers; `drain()` waits until none is left.

    aiogram's polling stops taking updates on SIGINT/SIGTERM but does not wait for handler tasks
    it already started, so the shutdown hook waits here.
    """

    def __init__(self) -> None:
        self._count = 0
        self._idle = asyncio.Event()
        self._idle.set()

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        self._count += 1
        self._idle.clear()
        try:
            return await handler(event, data)
        finally:
            self._count -= 1
            if self._count == 0:
                self._idle.set()

    async def drain(self, timeout: float = 30.0) -> None:
        if self._count:
            log.info("waiting for %d update(s) in flight", self._count)
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
        except TimeoutError:
            log.warning("%d update(s) still in flight after %.0fs; stopping", self._count, timeout)
