"""A job that runs in the bot process: a round at start-up, then one every `interval` seconds.

A failing round (a database hiccup) is logged and the next one tries again; stop() cancels it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)


class Periodic:
    def __init__(
        self, name: str, round_: Callable[[], Awaitable[object]], interval: Callable[[], float]
    ) -> None:
        self._name = name
        self._round = round_
        self._interval = interval  # read each time: tests shorten it on a running job
        self._task: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        if not self.running:
            self._task = asyncio.create_task(self._loop(), name=self._name)

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is None:
            return
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    async def _loop(self) -> None:
        while True:
            try:
                await self._round()
            except asyncio.CancelledError:
                raise
            except Exception:  # the next round tries again
                log.exception("%s round failed", self._name)
            await asyncio.sleep(self._interval())
