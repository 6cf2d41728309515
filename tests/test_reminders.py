"""Reminders: a nudge per step for stuck students, the monthly e-journal one, both switchable."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta

import pytest

from bot.app import profile_args
from bot.config import Settings
from bot.delivery import DeliveryEngine, DeliverySettings, OutboundLimiter
from bot.i18n import Catalog
from bot.reminders import Reminders, RemindersSettings
from storage.broadcasts import BroadcastsRepo
from storage.db import Database
from storage.reminders import RemindersRepo
from tests.support.people import Harness, Person

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
FAST = DeliverySettings(_env_file=None, rate=1000.0, allow_paid_broadcast=True, per_chat_interval=0)
RunOnce = Callable[..., Awaitable[list[int]]]


def ago(days: float) -> str:
    return (NOW - timedelta(days=days)).isoformat(timespec="seconds")


async def add(
    db: Database,
    user_id: int,
    step: str = "install",
    *,
    days: float = 5,
    locale: str | None = "ru",
    consent: bool = True,
    blocked: bool = False,
    off: bool = False,
    finished_days: float | None = None,
    variant: int | None = None,
    gosuslugi: bool | None = None,
) -> None:
    def work(conn: sqlite3.Connection) -> None:
        conn.execute(
            "INSERT INTO users (id, locale, consent_at, consent_version, created_at, blocked_at,"
            " reminders_off) VALUES (?, ?, ?, 1, ?, ?, ?)",
            (
                user_id,
                locale,
                ago(90) if consent else None,
                ago(90),
                ago(1) if blocked else None,
                int(off),
            ),
        )
        conn.execute(
            "INSERT INTO students (user_id, step, gosuslugi, variant, step_at, finished_at,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                user_id,
                step,
                None if gosuslugi is None else int(gosuslugi),
                variant,
                ago(days),
                None if finished_days is None else ago(finished_days),
                ago(90),
            ),
        )

    await db.run(work)


@pytest.fixture
async def make_reminders(
    harness: Harness, db: Database, settings: Settings
) -> AsyncIterator[Callable[[], Reminders]]:
    engine = DeliveryEngine(BroadcastsRepo(db), FAST, limiter=OutboundLimiter(1000.0, 0))
    await engine.start(harness.bot)
    catalog = Catalog("ru", profile_args(settings))

    def make() -> Reminders:  # a new instance on the same database: a "restart"
        return Reminders(RemindersRepo(db), engine, catalog, RemindersSettings(_env_file=None))

    yield make
    await engine.stop(timeout=1)


@pytest.fixture
def run_once(harness: Harness, make_reminders: Callable[[], Reminders]) -> RunOnce:
    async def run(at: datetime = NOW, reminders: Reminders | None = None) -> list[int]:
        service = reminders or make_reminders()
        ids = await service.run_once(harness.bot, at)
        for broadcast_id in ids:
            done = await service.delivery.wait(broadcast_id)
            assert done is not None and done.status == "done"
        return ids

    return run


def texts(harness: Harness, user_id: int) -> list[str]:
    return [m.text for m in harness.session.chats.get(user_id, [])]


async def test_a_stuck_student_gets_one_nudge_per_step(
    harness: Harness, db: Database, run_once: RunOnce, make_reminders: Callable[[], Reminders]
) -> None:
    await add(db, 1, "install", days=5)
    await add(db, 2, "install", days=1)  # not stuck yet
    service = make_reminders()
    await run_once(reminders=service)
    await run_once(reminders=service)
    await run_once(NOW + timedelta(days=10))  # a restart, much later
    assert len(texts(harness, 1)) == 1
    assert "шаг 1: мессенджер" in texts(harness, 1)[0] and "/start" in texts(harness, 1)[0]
    assert len(texts(harness, 2)) == 1  # stuck by then: nudged once, too

    await db.execute(
        "UPDATE students SET step = 'profile', step_at = ? WHERE user_id = 1", (ago(0),)
    )
    await run_once(NOW + timedelta(days=1))  # moved on: not stuck on the new step yet
    assert len(texts(harness, 1)) == 1
    await run_once(NOW + timedelta(days=4))
    assert len(texts(harness, 1)) == 2 and "шаг 2: учебный профиль" in texts(harness, 1)[1]


async def test_nobody_is_nudged_who_must_not_be(
    harness: Harness, db: Database, run_once: RunOnce
) -> None:
    await add(db, 1, blocked=True)
    await add(db, 2, off=True)
    await add(db, 3, consent=False)
    await add(db, 4, "done", finished_days=5)
    await add(db, 5, "profile", locale="en")
    await run_once()
    for user_id in (1, 2, 3, 4):
        assert texts(harness, user_id) == [], user_id
    [text] = texts(harness, 5)
    assert "A reminder" in text and "step 2" in text
    rows = await db.fetchall("SELECT audience FROM broadcasts ORDER BY id")
    assert [r["audience"] for r in rows] == ["reminder:stuck:profile"]


async def test_monthly_e_journal_reminder(
    harness: Harness, db: Database, run_once: RunOnce
) -> None:
    await add(db, 1001, "done", finished_days=31, variant=1, gosuslugi=False)
    await add(db, 1002, "done", finished_days=31, variant=2, gosuslugi=False, locale="en")
    await add(db, 1003, "done", finished_days=31, gosuslugi=True)  # the epos way
    await add(db, 1004, "done", finished_days=10, variant=1, gosuslugi=False)  # too soon
    await run_once()
    assert len(texts(harness, 1001)) == 1 and "/epos_done" in texts(harness, 1001)[0]
    assert "Сферум" in texts(harness, 1001)[0] and "/epos" in texts(harness, 1001)[0]
    assert len(texts(harness, 1002)) == 1 and "Sferum" in texts(harness, 1002)[0]
    assert texts(harness, 1003) == [] and texts(harness, 1004) == []

    await run_once(NOW + timedelta(days=10))  # not a month yet
    assert len(texts(harness, 1001)) == 1
    await run_once(NOW + timedelta(days=31))
    assert len(texts(harness, 1001)) == 2 and len(texts(harness, 1004)) == 1

    anna, bob = Person(harness, 1001), Person(harness, 1002, "Bob", "en")
    await anna.send("/epos_done")
    assert "Больше не будем" in anna.last_text
    await bob.send("/reminders")
    assert "Reminders are off" in bob.last_text
    await run_once(NOW + timedelta(days=62))
    assert len(texts(harness, 1001)) == 3  # two reminders and the reply to /epos_done
    assert len(texts(harness, 1002)) == 3  # two reminders and the reply to /reminders
    assert len(texts(harness, 1004)) == 2

    await bob.press("Switch reminders on")
    assert "Reminders are on" in bob.last_text
    await run_once(NOW + timedelta(days=93))
    assert len(texts(harness, 1002)) == 4


async def test_reminders_command_toggles(harness: Harness, db: Database) -> None:
    await add(db, 1001)
    anna = Person(harness, 1001)
    await anna.send("/reminders")
    assert "выключены" in anna.last_text and anna.buttons() == ["Включить напоминания"]
    assert await RemindersRepo(db).is_off(1001)
    await anna.send("/reminders")
    assert "включены" in anna.last_text
    assert not await RemindersRepo(db).is_off(1001)
