"""WAL checkpoints happen off the bot's connection (storage/checkpoint.py), and still happen."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

import storage.checkpoint
from storage.db import Database

PAGE = 4096
ROWS = 400  # a transaction of ~400 pages; several of them pass SQLite's default 1 000-page mark


def wal(path: Path) -> int:
    return Path(f"{path}-wal").stat().st_size


async def write(db: Database, transactions: int) -> None:
    for _ in range(transactions):
        await db.execute("INSERT INTO ballast (b) SELECT randomblob(4000) FROM generate_rows")


async def open_with_ballast(path: Path) -> Database:
    db = await Database.open(path)
    await db.execute("CREATE TABLE ballast (b BLOB)")
    await db.execute(
        "CREATE VIEW generate_rows AS WITH RECURSIVE n(i) AS"
        f" (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {ROWS}) SELECT i FROM n"
    )
    return db


async def test_the_bots_commits_never_checkpoint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The checkpointer waits an hour: whatever reaches the database file, a commit put there.
    monkeypatch.setattr(storage.checkpoint, "INTERVAL", 3600.0)
    path = tmp_path / "bot.sqlite3"
    db = await open_with_ballast(path)
    size_before = path.stat().st_size
    await write(db, 5)  # ~2 000 pages: SQLite alone would have checkpointed in a commit
    assert wal(path) > 1500 * PAGE
    assert path.stat().st_size == size_before
    await db.close()


async def test_the_checkpointer_moves_the_wal_into_the_database_and_keeps_it_small(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage.checkpoint, "INTERVAL", 0.01)
    path = tmp_path / "bot.sqlite3"
    db = await open_with_ballast(path)
    checkpointer = db._checkpointer
    assert checkpointer is not None
    for _ in range(6):
        await write(db, 1)
        await asyncio.wait_for(checkpointer.next_run(), 30)  # a bound, not a pause
    # Each round went into the file, and the WAL started over instead of growing six-fold.
    assert path.stat().st_size > 6 * ROWS * PAGE
    assert wal(path) < 3 * ROWS * PAGE
    row = await db.fetchone("SELECT count(*) FROM ballast")
    assert row is not None and row[0] == 6 * ROWS
    await db.close()
    reopened = await Database.open(path)
    row = await reopened.fetchone("SELECT count(*) FROM ballast")
    assert row is not None and row[0] == 6 * ROWS
    await reopened.close()
