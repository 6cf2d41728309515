"""Database: migrations, connection pragmas, foreign keys and transactions."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from storage.db import Database, utcnow
from storage.migrations import MIGRATIONS

TABLES = {"users", "schools", "classes", "students", "join_requests", "fsm"}


async def user_version(db: Database) -> int:
    row = await db.fetchone("PRAGMA user_version")
    assert row is not None
    return int(row[0])


async def tables(db: Database) -> set[str]:
    rows = await db.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'")
    return {row["name"] for row in rows}


async def count(db: Database, table: str) -> int:
    row = await db.fetchone(f"SELECT count(*) FROM {table}")
    assert row is not None
    return int(row[0])


async def add_user(db: Database, user_id: int) -> None:
    await db.execute("INSERT INTO users (id, created_at) VALUES (?, ?)", (user_id, utcnow()))


async def user_ids(db: Database) -> set[int]:
    return {row["id"] for row in await db.fetchall("SELECT id FROM users")}


# --- migrations ----------------------------------------------------------------------------


async def test_migrations_apply_on_a_fresh_file(db_path: Path) -> None:
    db = await Database.open(db_path)
    try:
        assert await tables(db) >= TABLES
        assert await user_version(db) == len(MIGRATIONS)
    finally:
        await db.close()


async def test_open_creates_missing_parent_directories(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "bot.sqlite3"
    db = await Database.open(path)
    try:
        assert await user_version(db) == len(MIGRATIONS)
    finally:
        await db.close()


async def test_user_version_equals_number_of_migrations(db: Database) -> None:
    assert len(MIGRATIONS) >= 1
    assert await user_version(db) == len(MIGRATIONS)


async def test_reopening_applies_nothing_again_and_keeps_data(db_path: Path) -> None:
    first = await Database.open(db_path)
    try:
        await add_user(first, 1)
        schema = await first.fetchall("SELECT type, name, sql FROM sqlite_master ORDER BY name")
    finally:
        await first.close()

    # Migration 1 uses plain CREATE TABLE: running it again would raise "already exists".
    second = await Database.open(db_path)
    try:
        assert await user_version(second) == len(MIGRATIONS)
        assert await user_ids(second) == {1}
        reopened = await second.fetchall("SELECT type, name, sql FROM sqlite_master ORDER BY name")
        assert [tuple(row) for row in reopened] == [tuple(row) for row in schema]
        await second.migrate()  # and so does migrating an up-to-date connection again
        assert await user_version(second) == len(MIGRATIONS)
        assert await user_ids(second) == {1}
    finally:
        await second.close()


async def test_reopening_applies_only_newer_migrations(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = await Database.open(db_path)
    try:
        await add_user(first, 1)
    finally:
        await first.close()

    newer = "CREATE TABLE extra (id INTEGER PRIMARY KEY); INSERT INTO extra (id) VALUES (1);"
    monkeypatch.setattr("storage.db.MIGRATIONS", (*MIGRATIONS, newer))
    second = await Database.open(db_path)
    try:
        assert await user_version(second) == len(MIGRATIONS) + 1
        assert await count(second, "extra") == 1
        assert await user_ids(second) == {1}
    finally:
        await second.close()


async def test_a_failing_migration_leaves_nothing_behind(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = "CREATE TABLE half_done (id INTEGER); INSERT INTO no_such_table VALUES (1);"
    monkeypatch.setattr("storage.db.MIGRATIONS", (*MIGRATIONS, broken))
    with pytest.raises(sqlite3.OperationalError, match="no_such_table"):
        await db.migrate()
    assert await user_version(db) == len(MIGRATIONS)
    assert "half_done" not in await tables(db)
    await add_user(db, 1)  # the connection is usable, and not stuck inside a transaction
    assert await user_ids(db) == {1}


# --- connection settings -------------------------------------------------------------------


async def test_journal_mode_is_wal(db: Database) -> None:
    row = await db.fetchone("PRAGMA journal_mode")
    assert row is not None
    assert row[0] == "wal"


async def test_foreign_keys_are_on(db: Database) -> None:
    row = await db.fetchone("PRAGMA foreign_keys")
    assert row is not None
    assert row[0] == 1
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        await db.execute(
            "INSERT INTO students (user_id, step, step_at, created_at) VALUES (?, ?, ?, ?)",
            (404, "start", utcnow(), utcnow()),
        )


async def test_deleting_a_user_cascades_to_students_and_join_requests(db: Database) -> None:
    now = utcnow()
    school = await db.insert("INSERT INTO schools (name, created_at) VALUES (?, ?)", ("№1", now))
    class_id = await db.insert(
        "INSERT INTO classes (school_id, name, code, created_at) VALUES (?, ?, ?, ?)",
        (school, "7Б", "c7b", now),
    )
    for user_id in (1, 2):
        await add_user(db, user_id)
        await db.execute(
            "INSERT INTO students (user_id, class_id, step, step_at, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (user_id, class_id, "memo", now, now),
        )
        await db.insert(
            "INSERT INTO join_requests (student_id, class_id, variant, created_at)"
            " VALUES (?, ?, ?, ?)",
            (user_id, class_id, 1, now),
        )
    assert await count(db, "students") == 2
    assert await count(db, "join_requests") == 2

    assert await db.execute("DELETE FROM users WHERE id = ?", (1,)) == 1

    students = await db.fetchall("SELECT user_id FROM students")
    requests = await db.fetchall("SELECT student_id FROM join_requests")
    assert [row["user_id"] for row in students] == [2]
    assert [row["student_id"] for row in requests] == [2]


# --- transactions --------------------------------------------------------------------------


class Boom(Exception):
    pass


async def test_transaction_commits_when_the_body_succeeds(db: Database, db_path: Path) -> None:
    async with db.transaction() as tx:
        await tx.execute("INSERT INTO users (id, created_at) VALUES (?, ?)", (1, utcnow()))
        await tx.executemany(
            "INSERT INTO users (id, created_at) VALUES (?, ?)", [(2, utcnow()), (3, utcnow())]
        )
        assert [tuple(r) for r in await tx.fetchall("SELECT id FROM users")] == [(1,), (2,), (3,)]
    assert await user_ids(db) == {1, 2, 3}

    other = await Database.open(db_path)  # committed: visible to another connection
    try:
        assert await user_ids(other) == {1, 2, 3}
    finally:
        await other.close()


async def test_transaction_rolls_back_everything_when_the_body_raises(db: Database) -> None:
    async def body() -> None:
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO users (id, created_at) VALUES (?, ?)", (2, utcnow()))
            school = await tx.insert(
                "INSERT INTO schools (name, created_at) VALUES (?, ?)", ("№5", utcnow())
            )
            assert school > 0
            await tx.execute("UPDATE users SET locale = 'ru' WHERE id = 1")
            await tx.execute("DELETE FROM users WHERE id = 1")
            assert [tuple(r) for r in await tx.fetchall("SELECT id FROM users")] == [(2,)]
            raise Boom

    await add_user(db, 1)
    with pytest.raises(Boom):
        await body()

    assert await user_ids(db) == {1}
    row = await db.fetchone("SELECT locale FROM users WHERE id = 1")
    assert row is not None
    assert row["locale"] is None
    assert await count(db, "schools") == 0
    await add_user(db, 3)  # the lock was released and no transaction is left open
    assert await user_ids(db) == {1, 3}


async def test_transaction_rolls_back_when_a_statement_fails(db: Database) -> None:
    async def body() -> None:
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO users (id, created_at) VALUES (?, ?)", (1, utcnow()))
            await tx.execute("INSERT INTO users (id, created_at) VALUES (?, ?)", (1, utcnow()))

    with pytest.raises(sqlite3.IntegrityError):
        await body()
    assert await user_ids(db) == set()


async def test_transaction_rolls_back_when_cancelled(db: Database) -> None:
    inside = asyncio.Event()

    async def body() -> None:
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO users (id, created_at) VALUES (?, ?)", (1, utcnow()))
            inside.set()
            await asyncio.Event().wait()

    task = asyncio.create_task(body())
    await inside.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await user_ids(db) == set()


async def test_concurrent_statement_is_not_part_of_a_rolled_back_transaction(
    db: Database,
) -> None:
    order: list[str] = []
    tasks: list[asyncio.Task[None]] = []

    async def outsider() -> None:
        await add_user(db, 2)
        order.append("outsider")

    async def body() -> None:
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO users (id, created_at) VALUES (?, ?)", (1, utcnow()))
            tasks.append(asyncio.create_task(outsider()))
            # Ample time for the statement to reach the connection if nothing held it back.
            await asyncio.sleep(0.2)
            assert not tasks[0].done()
            assert [tuple(r) for r in await tx.fetchall("SELECT id FROM users")] == [(1,)]
            order.append("rollback")
            raise Boom

    with pytest.raises(Boom):
        await body()
    await tasks[0]
    assert order == ["rollback", "outsider"]
    assert await user_ids(db) == {2}
