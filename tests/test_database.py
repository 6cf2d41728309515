"""Database: migrations, connection pragmas, foreign keys and units of work."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import threading
from pathlib import Path
from typing import Any

import aiosqlite
import pytest

import storage.db
from storage.db import Database, NewerDatabaseError, utcnow
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
    for _ in range(2):
        again = await Database.open(db_path)
        try:
            assert await user_version(again) == len(MIGRATIONS)
            assert await user_ids(again) == {1}
            reopened = await again.fetchall(
                "SELECT type, name, sql FROM sqlite_master ORDER BY name"
            )
            assert [tuple(row) for row in reopened] == [tuple(row) for row in schema]
        finally:
            await again.close()


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
    for _ in range(2):  # the second open must not insert into extra again
        again = await Database.open(db_path)
        try:
            assert await user_version(again) == len(MIGRATIONS) + 1
            assert await count(again, "extra") == 1
            assert await user_ids(again) == {1}
        finally:
            await again.close()


async def test_a_failing_migration_leaves_nothing_behind(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = await Database.open(db_path)
    try:
        await add_user(first, 1)
    finally:
        await first.close()

    # Database.open does not close its connection when a migration fails; close it here, or
    # its worker thread would keep the test process alive.
    connections: list[aiosqlite.Connection] = []
    connect = aiosqlite.connect

    def recording_connect(*args: Any, **kwargs: Any) -> aiosqlite.Connection:
        connection = connect(*args, **kwargs)
        connections.append(connection)
        return connection

    monkeypatch.setattr(aiosqlite, "connect", recording_connect)
    broken = "CREATE TABLE half_done (id INTEGER); INSERT INTO no_such_table VALUES (1);"
    monkeypatch.setattr("storage.db.MIGRATIONS", (*MIGRATIONS, broken))
    try:
        with pytest.raises(sqlite3.OperationalError, match="no_such_table"):
            await Database.open(db_path)
    finally:
        for connection in connections:
            await connection.close()

    monkeypatch.setattr("storage.db.MIGRATIONS", MIGRATIONS)
    db = await Database.open(db_path)
    try:
        assert await user_version(db) == len(MIGRATIONS)
        assert "half_done" not in await tables(db)
        assert await user_ids(db) == {1}
    finally:
        await db.close()


async def test_a_database_is_copied_aside_before_its_schema_is_migrated(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    first = await Database.open(db_path)
    try:
        await add_user(first, 1)
    finally:
        await first.close()
    assert list(db_path.parent.glob("*.bak")) == []  # a fresh file had nothing to keep

    monkeypatch.setattr("storage.db.MIGRATIONS", (*MIGRATIONS, "CREATE TABLE extra (id INTEGER);"))
    caplog.set_level("INFO", logger="storage.db")
    again = await Database.open(db_path)
    await again.close()
    backup = db_path.with_name(f"{db_path.name}.v{len(MIGRATIONS)}.bak")
    with contextlib.closing(sqlite3.connect(backup)) as copy:
        assert copy.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert copy.execute("SELECT id FROM users").fetchall() == [(1,)]
    assert any(str(backup) in r.getMessage() for r in caplog.records)


async def test_a_database_newer_than_the_code_is_refused(db_path: Path) -> None:
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    with pytest.raises(NewerDatabaseError, match="newer than this bot knows"):
        await Database.open(db_path)
    with contextlib.closing(sqlite3.connect(db_path)) as conn:  # and left as it was
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) + 1


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
    assert await count(db, "students") == 0


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


# --- units of work (Database.run) ----------------------------------------------------------


class Boom(Exception):
    pass


def insert_user(conn: sqlite3.Connection, user_id: int) -> None:
    conn.execute("INSERT INTO users (id, created_at) VALUES (?, ?)", (user_id, utcnow()))


async def test_unit_commits_when_the_work_succeeds(db: Database, db_path: Path) -> None:
    def work(conn: sqlite3.Connection) -> list[int]:
        insert_user(conn, 1)
        conn.executemany(
            "INSERT INTO users (id, created_at) VALUES (?, ?)", [(2, utcnow()), (3, utcnow())]
        )
        return [row[0] for row in conn.execute("SELECT id FROM users ORDER BY id")]

    assert await db.run(work) == [1, 2, 3]
    assert await user_ids(db) == {1, 2, 3}

    other = await Database.open(db_path)  # committed: visible to another connection
    try:
        assert await user_ids(other) == {1, 2, 3}
    finally:
        await other.close()


async def test_unit_rolls_back_everything_when_the_work_raises(db: Database) -> None:
    def work(conn: sqlite3.Connection) -> None:
        insert_user(conn, 2)
        conn.execute("INSERT INTO schools (name, created_at) VALUES (?, ?)", ("№5", utcnow()))
        conn.execute("UPDATE users SET locale = 'ru' WHERE id = 1")
        conn.execute("DELETE FROM users WHERE id = 1")
        assert [row[0] for row in conn.execute("SELECT id FROM users")] == [2]
        raise Boom

    await add_user(db, 1)
    with pytest.raises(Boom):
        await db.run(work)

    assert await user_ids(db) == {1}
    row = await db.fetchone("SELECT locale FROM users WHERE id = 1")
    assert row is not None
    assert row["locale"] is None
    assert await count(db, "schools") == 0
    await add_user(db, 3)  # and the database goes on working
    assert await user_ids(db) == {1, 3}


async def test_unit_rolls_back_when_a_statement_fails(db: Database) -> None:
    def work(conn: sqlite3.Connection) -> None:
        insert_user(conn, 1)
        insert_user(conn, 1)

    with pytest.raises(sqlite3.IntegrityError):
        await db.run(work)
    assert await user_ids(db) == set()


async def test_statements_issued_alongside_a_failing_unit_are_kept(db: Database) -> None:
    def failing(conn: sqlite3.Connection) -> None:
        insert_user(conn, 2)
        raise Boom

    # Issued in one loop turn, so the database gets them together, in this order.
    results = await asyncio.gather(
        db.execute("INSERT INTO users (id, created_at) VALUES (?, ?)", (1, utcnow())),
        db.run(failing),
        db.fetchall("SELECT id FROM users ORDER BY id"),
        db.execute("INSERT INTO users (id, created_at) VALUES (?, ?)", (3, utcnow())),
        return_exceptions=True,
    )
    assert results[0] == 1
    assert isinstance(results[1], Boom)
    seen = results[2]
    assert isinstance(seen, list)
    assert [row[0] for row in seen] == [1]  # not the failing unit's user 2
    assert results[3] == 1
    assert await user_ids(db) == {1, 3}


async def test_concurrent_statement_is_not_part_of_a_rolled_back_unit(db: Database) -> None:
    started, proceed = threading.Event(), threading.Event()
    order: list[str] = []

    def unit(conn: sqlite3.Connection) -> None:
        insert_user(conn, 1)
        started.set()
        # Keep the unit open until the other task has issued its statement.
        assert proceed.wait(timeout=10)
        order.append("unit")
        raise Boom

    async def outsider() -> None:
        await add_user(db, 2)
        order.append("outsider")

    unit_task = asyncio.create_task(db.run(unit))
    assert await asyncio.to_thread(started.wait, 10)
    outsider_task = asyncio.create_task(outsider())
    await asyncio.sleep(0.05)  # the outsider has issued its INSERT while the unit is open
    assert not outsider_task.done()
    proceed.set()

    with pytest.raises(Boom):
        await asyncio.wait_for(unit_task, 10)
    await asyncio.wait_for(outsider_task, 10)
    assert order == ["unit", "outsider"]
    assert await user_ids(db) == {2}


async def test_a_long_batch_is_cut_so_nobody_waits_behind_it_and_nothing_is_lost(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ops queued together share a transaction until it has run BATCH_BUDGET; the rest go in
    the next ones, in order, each caller still getting its own result."""
    statements: list[str] = []
    await db.run(lambda conn: conn.set_trace_callback(statements.append))

    async def five_inserts(first: int) -> list[int]:
        return list(
            await asyncio.gather(
                *(
                    db.insert("INSERT INTO users (id, created_at) VALUES (?, ?)", (n, utcnow()))
                    for n in range(first, first + 5)
                )
            )
        )

    statements.clear()
    assert await five_inserts(1) == [1, 2, 3, 4, 5]
    assert statements.count("COMMIT") == 1  # together: one transaction

    monkeypatch.setattr(storage.db, "BATCH_BUDGET", 0.0)  # every op is "long enough"
    statements.clear()
    assert await five_inserts(6) == [6, 7, 8, 9, 10]
    assert statements.count("COMMIT") == 5  # cut after each op, none lost, order kept
    await db.run(lambda conn: conn.set_trace_callback(None))
    rows = await db.fetchall("SELECT id FROM users ORDER BY rowid")
    assert [r["id"] for r in rows] == list(range(1, 11))
