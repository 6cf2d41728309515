"""The database: one SQLite connection in WAL mode, driven through aiosqlite's worker thread.

Every statement goes to that one thread. Sending each on its own round trip would make the thread
hop (and its wait for the GIL) the cost of every update, so statements issued while the thread is
busy are queued and sent together: one hop and one transaction per batch ("group commit"), cut at
BATCH_BUDGET so no transaction holds the others long. Each caller still awaits its own result, which
arrives only after the batch commits, so nothing is reported written before it is durable, and the
order of statements is kept.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from storage.checkpoint import Checkpointer
from storage.migrations import MIGRATIONS

log = logging.getLogger(__name__)

# A transaction is committed once it has run this long (seconds), even with ops still queued:
# one commit per batch keeps writes cheap, and this bound keeps any one press from waiting
# behind a hundred others' (benchmarks/scale.py: longest_db_hold_ms).
BATCH_BUDGET = 0.02

Params = Sequence[Any] | dict[str, Any]
Row = sqlite3.Row
T = TypeVar("T")
Work = Callable[[sqlite3.Connection], Any]


def placeholders(values: Sequence[object]) -> str:
    """Placeholders for `IN (...)`: one "?" a value; none matches nothing (`IN (NULL)`)."""
    return ", ".join("?" for _ in values) or "NULL"


def utcnow() -> str:
    """Timestamps are stored as ISO-8601 UTC strings: sortable and readable in the sqlite shell."""
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(slots=True)
class _Op:
    work: Work
    atomic: bool  # several statements: run inside a savepoint
    future: asyncio.Future[Any] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


def _run_batch(conn: sqlite3.Connection, ops: list[_Op]) -> list[tuple[bool, Any]]:
    """Runs on the worker thread: ops in order, in one transaction, for at most BATCH_BUDGET
    (then committed: the ops not reached are the caller's to send again, first). Returns one
    result per op run.

    A failing op gets its own exception and leaves the others alone: a single statement is
    atomic by itself, a multi-statement op is rolled back to its savepoint.
    """
    results: list[tuple[bool, Any]] = []
    in_tx: list[int] = []  # indexes of ops whose effects wait for this transaction's commit
    started = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    for op in ops:
        if results and time.perf_counter() - started > BATCH_BUDGET:
            break  # long enough: the others wait for the next transaction, not this one
        try:
            if op.atomic:
                conn.execute("SAVEPOINT op")
                try:
                    value = op.work(conn)
                except BaseException:
                    conn.execute("ROLLBACK TO op")
                    conn.execute("RELEASE op")
                    raise
                conn.execute("RELEASE op")
            else:
                value = op.work(conn)
            results.append((True, value))
            in_tx.append(len(results) - 1)
        except Exception as exc:  # handed to the op's caller, never swallowed
            results.append((False, exc))
            if not conn.in_transaction:
                # SQLite rolled the whole transaction back (I/O error, disk full): the ops
                # before this one are lost too, so their callers must hear about it.
                for index in in_tx:
                    results[index] = (False, exc)
                in_tx.clear()
                conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("COMMIT")
    except Exception as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        for index in in_tx:
            results[index] = (False, exc)
    return results


class Database:
    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn
        self._pending: list[_Op] = []
        self._flusher: asyncio.Task[None] | None = None
        self._checkpointer: Checkpointer | None = None

    @classmethod
    async def open(cls, path: str | Path) -> Database:
        on_disk = str(path) != ":memory:"
        if on_disk:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: transactions are begun and committed here, explicitly.
        conn = await aiosqlite.connect(path, isolation_level=None)
        conn.row_factory = sqlite3.Row
        db = cls(conn)
        try:
            await db._on_worker(_configure)
            await db._on_worker(lambda c: _migrate(c, Path(path)))
        except BaseException:
            await conn.close()  # else its worker thread keeps the process alive
            raise
        if on_disk:
            db._checkpointer = Checkpointer(Path(path))
            db._checkpointer.start()
        return db

    async def close(self) -> None:
        if self._flusher is not None:
            await self._flusher
        if self._checkpointer is not None:
            await self._checkpointer.stop()
        await self._conn.close()

    # --- the statements ------------------------------------------------------------------

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        rows: list[Row] = await self._submit(lambda c: c.execute(sql, params).fetchall())
        return rows

    async def fetchone(self, sql: str, params: Params = ()) -> Row | None:
        row: Row | None = await self._submit(lambda c: c.execute(sql, params).fetchone())
        return row

    async def execute(self, sql: str, params: Params = ()) -> int:
        """One write; returns the number of rows it changed."""
        count: int = await self._submit(lambda c: c.execute(sql, params).rowcount)
        return count

    async def insert(self, sql: str, params: Params = ()) -> int:
        """One INSERT; returns the new row's id."""
        row_id: int = await self._submit(lambda c: c.execute(sql, params).lastrowid or 0)
        return row_id

    async def run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """A unit of several statements (plain sqlite3 calls on the worker thread), all or nothing.

        `work` must only touch the database: it runs on the worker thread, between other ops.
        """
        result: T = await self._submit(work, atomic=True)
        return result

    # --- the pipeline --------------------------------------------------------------------

    def _submit(self, work: Work, *, atomic: bool = False) -> asyncio.Future[Any]:
        op = _Op(work, atomic)
        self._pending.append(op)
        if self._flusher is None:
            # Started on the next loop turn, so every op queued in this turn joins the batch.
            self._flusher = asyncio.get_running_loop().create_task(self._flush())
        return op.future

    async def _flush(self) -> None:
        try:
            while self._pending:
                batch, self._pending = self._pending, []
                try:
                    results = await self._on_worker(_run_batch, batch)
                except Exception as exc:  # BEGIN itself failed: the whole batch did
                    results = [(False, exc)] * len(batch)
                # Ops the transaction's time budget left out go first in the next one.
                self._pending = batch[len(results) :] + self._pending
                batch = batch[: len(results)]
                for op, (ok, value) in zip(batch, results, strict=True):
                    if op.future.done():  # the caller was cancelled
                        continue
                    if ok:
                        op.future.set_result(value)
                    else:
                        op.future.set_exception(value)
        finally:
            self._flusher = None

    async def _on_worker(self, fn: Callable[..., T], *args: Any) -> T:
        # aiosqlite exposes no public way to run a function on its thread; its _execute is the
        # one it uses itself for every call (pinned aiosqlite version, covered by the tests).
        result: T = await self._conn._execute(fn, self._conn._conn, *args)  # type: ignore[no-untyped-call]
        return result


def _configure(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable across process crashes
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=5000")
    conn.execute("PRAGMA wal_autocheckpoint=0")  # storage/checkpoint.py does it, off this thread


class NewerDatabaseError(Exception):
    """The database was written by a newer version of the bot than this one: never guess."""


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Apply every migration newer than the database's user_version, each in one transaction;
    a database that already holds a schema is copied aside first (SQLite's online backup)."""
    current = int(conn.execute("PRAGMA user_version").fetchone()[0])
    latest = len(MIGRATIONS)
    if current > latest:
        raise NewerDatabaseError(
            f"Database {path} has schema version {current}, newer than this bot knows"
            f" ({latest}): run the newer version of the bot, or restore a backup"
        )
    if 0 < current < latest and str(path) != ":memory:":
        _back_up(conn, path.with_name(f"{path.name}.v{current}.bak"))
    for version, script in enumerate(MIGRATIONS, start=1):
        if version <= current:
            continue
        try:
            conn.executescript(
                f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version={version};\nCOMMIT;"
            )
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise


def _back_up(conn: sqlite3.Connection, target: Path) -> None:
    # The online backup API: a consistent copy even with the WAL not yet checkpointed.
    with contextlib.closing(sqlite3.connect(target)) as copy:
        conn.backup(copy)
    log.info("database copied to %s before migrating its schema", target)
