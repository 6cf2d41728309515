from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Awaitable
from pathlib import Path
from typing import Protocol

import pytest

from app.config import Settings
from storage.db import Database
from storage.schools import ensure_class, ensure_school
from tests.support.people import Harness, Person
from tests.support.session import RecordingSession
from tests.support.staff import SUPER_ADMIN


class StartBot(Protocol):
    """Starts a bot; given the session of one that crashed, it talks to the same chats (as
    Telegram keeps them across the bot's restarts)."""

    def __call__(self, session: RecordingSession | None = None) -> Awaitable[Harness]: ...


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "bot.sqlite3"


@pytest.fixture
async def db(db_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(db_path)
    yield database
    await database.close()


@pytest.fixture
def settings(db_path: Path) -> Settings:
    # _env_file=None: a developer's .env must not change what the tests see.
    return Settings(
        _env_file=None, bot_token="42:TEST", database_path=db_path, admin_ids={SUPER_ADMIN}
    )


@pytest.fixture
async def start_bot(settings: Settings) -> AsyncIterator[StartBot]:
    """Starts a bot process stand-in on the test database; call again to "restart" it."""
    opened: list[Database] = []
    running: list[Harness] = []

    async def start(session: RecordingSession | None = None) -> Harness:
        database = await Database.open(settings.database_path)
        opened.append(database)
        running.append(harness := await Harness.start(settings, database, session))
        return harness

    yield start
    for harness in running:
        await harness.stop()
    for database in opened:
        await database.close()


@pytest.fixture
async def harness(start_bot: StartBot) -> Harness:
    return await start_bot()


@pytest.fixture
async def structure(db: Database) -> dict[str, int]:
    """Two schools; the first with classes 5А and 5Б, the second with 9В. Returns class ids."""

    def create(conn: sqlite3.Connection) -> dict[str, int]:
        first, _ = ensure_school(conn, "МБОУ СОШ № 1")
        second, _ = ensure_school(conn, "Гимназия № 3")
        return {
            "5А": ensure_class(conn, first, "5А")[0],
            "5Б": ensure_class(conn, first, "5Б")[0],
            "9В": ensure_class(conn, second, "9В")[0],
        }

    return await db.run(create)


@pytest.fixture
def student(harness: Harness) -> Person:
    return Person(harness, 1001, "Аня")
