"""Reminders: a nudge per step for stuck students, the monthly e-journal one, both switchable."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.config import RemindersSettings, Settings
from app.factory import profile_args
from bot.delivery import DeliveryEngine, DeliveryLimits
from bot.i18n import Catalog
from bot.pacing import OutboundLimiter
from bot.reminders import Reminders, is_quiet
from storage.broadcasts import BroadcastsRepo
from storage.db import Database
from storage.reminders import RemindersRepo
from tests.support.people import Harness, Person
from ui.telegram_sender import TelegramSender

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)  # 15:00 in Moscow
MOSCOW = ZoneInfo("Europe/Moscow")
FAST = DeliveryLimits(rate=1000.0, allow_paid_broadcast=True, per_chat_interval=0)
RunOnce = Callable[..., Awaitable[list[int]]]
MakeReminders = Callable[..., Reminders]


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
            # As StudentsRepo.save_progress writes a finish: the monthly count starts there.
            "INSERT INTO students (user_id, step, gosuslugi, variant, step_at, finished_at,"
            " monthly_since, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                user_id,
                step,
                None if gosuslugi is None else int(gosuslugi),
                variant,
                ago(days),
                None if finished_days is None else ago(finished_days),
                None if finished_days is None else ago(finished_days),
                ago(90),
            ),
        )

    await db.run(work)


@pytest.fixture
async def make_reminders(
    harness: Harness, db: Database, settings: Settings
) -> AsyncIterator[MakeReminders]:
    engine = DeliveryEngine(BroadcastsRepo(db), FAST, limiter=OutboundLimiter(1000.0, 0))
    await engine.start(TelegramSender(harness.bot))
    catalog = Catalog("ru", profile_args(settings))

    def make(quiet_hours: str = "21-9", zone: ZoneInfo = MOSCOW) -> Reminders:
        # A new instance on the same database: a "restart".
        policy = RemindersSettings(_env_file=None, quiet_hours=quiet_hours).policy
        return Reminders(RemindersRepo(db), engine, catalog, policy, zone=zone)

    yield make
    await engine.stop(timeout=1)


@pytest.fixture
def run_once(harness: Harness, make_reminders: MakeReminders) -> RunOnce:
    async def run(at: datetime = NOW, reminders: Reminders | None = None) -> list[int]:
        service = reminders or make_reminders()
        ids = await service.run_once(at)
        for broadcast_id in ids:
            done = await service.delivery.wait(broadcast_id)
            assert done is not None and done.status == "done"
        return ids

    return run


def texts(harness: Harness, user_id: int) -> list[str]:
    return [m.text for m in harness.session.chats.get(user_id, [])]


async def test_a_stuck_student_gets_one_nudge_per_step(
    harness: Harness, db: Database, run_once: RunOnce, make_reminders: MakeReminders
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


async def test_a_round_nudges_each_student_about_their_own_step_once(
    harness: Harness, db: Database, run_once: RunOnce, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("storage.reminders.CLAIM_CHUNK", 2)  # the claims span transactions
    steps = {11: "install", 12: "profile", 13: "install", 14: "chat", 15: "profile", 16: "chat"}
    for user_id, step in steps.items():
        await add(db, user_id, step, locale="en" if user_id % 2 else "ru")
    # Another process has just nudged student 16 about this step (not yet marked as read).
    await db.execute(
        "INSERT INTO reminders (user_id, kind, step, sent_at) VALUES (16, 'stuck', 'chat', ?)",
        (ago(0),),
    )
    await run_once()
    names = {
        "install": ("step 1", "шаг 1"),
        "profile": ("step 2", "шаг 2"),
        "chat": ("step 4", "шаг 4"),
    }
    for user_id, step in steps.items():
        if user_id == 16:
            assert texts(harness, user_id) == []
            continue
        [text] = texts(harness, user_id)
        name = names[step][0] if user_id % 2 else names[step][1]
        assert name in text, (user_id, text)
    await run_once()  # nothing twice, the one nudged elsewhere included
    assert sum(len(texts(harness, user_id)) for user_id in steps) == 5


async def test_two_rounds_at_once_claim_each_nudge_once(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("storage.reminders.CLAIM_CHUNK", 2)  # each claim in several transactions
    for user_id in (21, 22, 23, 24, 25):
        await add(db, user_id, "profile")
    repo, now = RemindersRepo(db), ago(0)
    first, second = await asyncio.gather(
        repo.claim_stuck([21, 22, 23, 24], "profile", now),
        repo.claim_stuck([24, 25, 21, 22], "profile", now),
    )
    assert not set(first) & set(second)
    assert sorted(first + second) == [21, 22, 23, 24, 25]  # all of them, none twice
    assert await repo.claim_stuck([22, 25], "profile", now) == []
    assert await repo.claim_stuck([22], "chat", now) == [22]  # a new step: a new nudge


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


def moscow(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of November 2026 on Moscow's clock."""
    return datetime(2026, 11, day, hour, minute, tzinfo=MOSCOW)


async def test_nothing_is_sent_at_night_and_it_waits_for_the_morning(
    harness: Harness, db: Database, run_once: RunOnce
) -> None:
    await add(db, 1, "install", days=5)
    await add(db, 2, "done", finished_days=31, variant=1, gosuslugi=False)
    await add(db, 3, "profile", days=5, locale="en")
    for night in (moscow(29, 21), moscow(29, 22), moscow(30, 3), moscow(30, 8, 59)):
        assert await run_once(night) == [], night
    for user_id in (1, 2, 3):
        assert texts(harness, user_id) == [], user_id
    # Nothing was recorded either: the nudges were not used up at night.
    assert await db.fetchall("SELECT * FROM reminders") == []
    assert await db.fetchall("SELECT * FROM broadcasts") == []

    assert len(await run_once(moscow(30, 9))) == 3  # the first round after the quiet hours
    assert len(texts(harness, 1)) == 1 and "шаг 1" in texts(harness, 1)[0]
    assert len(texts(harness, 2)) == 1 and "/epos_done" in texts(harness, 2)[0]
    assert len(texts(harness, 3)) == 1 and "step 2" in texts(harness, 3)[0]
    await run_once(moscow(30, 10))
    assert [len(texts(harness, user_id)) for user_id in (1, 2, 3)] == [1, 1, 1]


async def test_quiet_hours_are_the_deployment_zones(
    harness: Harness, db: Database, run_once: RunOnce, make_reminders: MakeReminders
) -> None:
    await add(db, 1, "install", days=5)
    # 12:00 UTC is 15:00 in Moscow but 22:00 in Vladivostok.
    vladivostok = make_reminders(zone=ZoneInfo("Asia/Vladivostok"))
    assert await run_once(NOW, vladivostok) == []
    assert texts(harness, 1) == []
    assert len(await run_once(NOW, make_reminders())) == 1
    assert len(texts(harness, 1)) == 1


@pytest.mark.parametrize("quiet_hours", ["0-0", "", "7-7"])
async def test_no_quiet_hours(
    harness: Harness,
    db: Database,
    run_once: RunOnce,
    make_reminders: MakeReminders,
    quiet_hours: str,
) -> None:
    await add(db, 1, "install", days=5)
    assert len(await run_once(moscow(30, 3), make_reminders(quiet_hours))) == 1
    assert len(texts(harness, 1)) == 1


@pytest.mark.parametrize(
    ("window", "quiet", "not_quiet"),
    [
        ("21-9", (21, 22, 23, 0, 3, 8), (9, 12, 20)),  # wraps midnight
        ("22-7", (22, 23, 0, 6), (7, 8, 21)),
        ("13-15", (13, 14), (12, 15, 16, 0)),  # within one day
        ("0-6", (0, 5), (6, 23)),
        ("20-0", (20, 23), (0, 19)),  # until midnight
    ],
)
async def test_quiet_windows(
    harness: Harness,
    db: Database,
    run_once: RunOnce,
    make_reminders: MakeReminders,
    window: str,
    quiet: tuple[int, ...],
    not_quiet: tuple[int, ...],
) -> None:
    service = make_reminders(window)
    window_hours = service.policy.quiet_window
    assert all(is_quiet(hour, window_hours) for hour in quiet), window
    assert not any(is_quiet(hour, window_hours) for hour in not_quiet), window
    # And through a round: the first quiet hour sends nothing, the first hour after does.
    await add(db, 1, "install", days=5)
    assert await run_once(moscow(30, quiet[0], 30), service) == []
    assert len(await run_once(moscow(30, not_quiet[0], 30), service)) == 1


@pytest.mark.parametrize("bad", ["abc", "21", "21-", "9-24", "-1-5", "21-9-3", "nine-five"])
def test_a_bad_quiet_hours_setting_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="21-9"):
        RemindersSettings(_env_file=None, quiet_hours=bad)


def test_quiet_hours_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REMINDERS_QUIET_HOURS", " 22 - 7 ")
    assert RemindersSettings(_env_file=None).quiet_window == (22, 7)
    monkeypatch.delenv("REMINDERS_QUIET_HOURS")
    assert RemindersSettings(_env_file=None).quiet_window == (21, 9)  # the default
