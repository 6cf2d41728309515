"""WAL checkpoints off the bot's connection.

SQLite's automatic checkpoint runs inside the commit that fills the WAL past 1 000 pages, on the
one connection every update waits for: at a region's size that is ~25 ms added to one commit in
two of a reminders round (benchmarks/scale.py). The bot's connection turns it off
(`wal_autocheckpoint=0`) and this task checkpoints instead, PASSIVE (it never waits for the
writer, and the writer never waits for it), on a connection of its own in a thread of its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from pathlib import Path

log = logging.getLogger(__name__)

INTERVAL = 1.0  # seconds between two checkpoints; the WAL grows by at most what one second writes


class Checkpointer:
    def __init__(self, path: Path, interval: float | None = None) -> None:
        self._path = path
        self._interval = INTERVAL if interval is None else interval
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._waiters: list[asyncio.Future[None]] = []

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="wal-checkpoint")

    async def next_run(self) -> None:
        """Returns once a checkpoint begun after this call is done."""
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        await waiter

    async def stop(self) -> None:
        """Lets a checkpoint under way finish (its thread must not lose its connection)."""
        self._stop.set()
        if self._task is not None:
            await self._task

    async def _loop(self) -> None:
        conn = await asyncio.to_thread(_connect, self._path)
        try:
            while not self._stop.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stop.wait(), self._interval)
                waiting, self._waiters = self._waiters, []
                try:
                    await asyncio.to_thread(_checkpoint, conn)
                except sqlite3.Error as error:  # busy or I/O: the next one tries again
                    log.warning("WAL checkpoint failed: %s", error)
                for waiter in waiting:
                    if not waiter.done():
                        waiter.set_result(None)
        finally:
            await asyncio.to_thread(conn.close)


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA busy_timeout=1000")
    return conn


def _checkpoint(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
