"""/broadcast as admins use it: audience, message, preview and count, confirm, live progress,
cancel, the final report; and who may not."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from aiogram.methods import CopyMessage

from bot.broadcast_audience import Kind, Menu
from bot.broadcasts import Broadcasts
from bot.delivery import DeliveryEngine, DeliveryLimits
from bot.pacing import OutboundLimiter
from handlers import broadcast
from storage.audiences import AudiencesRepo
from storage.broadcasts import BroadcastsRepo
from storage.db import Database, utcnow
from tests.support.people import Harness, Person
from tests.support.staff import (
    ADMIN_SCHOOL_1,
    ADMIN_SCHOOL_2,
    SCHOOL_2,
    SUPER_ADMIN,
    TEACHER_5A,
    appoint_staff,
)
from ui.callbacks import BcAudienceCb, BcConfirmCb, BcMenuCb, BcStopCb
from ui.filters import PrivateChat
from ui.telegram_sender import TelegramSender

MakeDelivery = Callable[..., Awaitable[DeliveryEngine]]
FORBIDDEN = "аудитория вам недоступна"
WAIT = 10.0


@pytest.fixture
async def make_delivery(harness: Harness, db: Database) -> AsyncIterator[MakeDelivery]:
    """The broadcast router (until it is wired into handlers/__init__.py) and a running engine
    (the broadcasts service built on it)."""
    dp = harness.dp
    dp["broadcast_progress"].interval = 0.05
    if not any(r.name == broadcast.__name__ for r in dp.sub_routers):
        router = broadcast.make_router()
        router.message.filter(PrivateChat())
        router.edited_message.filter(PrivateChat())
        dp.include_router(router)
        dp.sub_routers.remove(router)
        common = next(i for i, r in enumerate(dp.sub_routers) if r.name == "handlers.common")
        dp.sub_routers.insert(common, router)  # before /cancel and the fallbacks
    if "audiences" not in dp.workflow_data:
        dp["audiences"] = AudiencesRepo(db)
    started: list[DeliveryEngine] = []

    async def make(rate: float = 1000.0) -> DeliveryEngine:
        settings = DeliveryLimits(rate=1000.0, allow_paid_broadcast=True, per_chat_interval=0)
        engine = DeliveryEngine(
            BroadcastsRepo(db), settings, limiter=OutboundLimiter(rate, per_chat_interval=0)
        )
        dp["delivery"] = engine
        dp["broadcasts"] = Broadcasts(dp["schools"], dp["audiences"], engine)
        dp["broadcast_progress"].delivery = engine
        await engine.start(TelegramSender(harness.bot))
        started.append(engine)
        return engine

    yield make
    await harness.dp["broadcast_progress"].stop()
    for engine in started:
        await engine.stop(timeout=1)


@pytest.fixture
async def delivery(make_delivery: MakeDelivery) -> DeliveryEngine:
    return await make_delivery()


@pytest.fixture
async def staff(db: Database, structure: dict[str, int]) -> None:
    await appoint_staff(db, structure)


async def enrol(
    db: Database,
    class_id: int | None,
    ids: range | list[int],
    step: str = "device",
    *,
    blocked: bool = False,
    finished: bool = False,
) -> None:
    def add(conn: sqlite3.Connection) -> None:
        for user_id in ids:
            conn.execute(
                "INSERT INTO users (id, created_at, blocked_at) VALUES (?, ?, ?)",
                (user_id, utcnow(), utcnow() if blocked else None),
            )
            conn.execute(
                "INSERT INTO students (user_id, class_id, step, step_at, finished_at, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (user_id, class_id, step, utcnow(), utcnow() if finished else None, utcnow()),
            )

    await db.run(add)


def copies(harness: Harness) -> list[CopyMessage]:
    return [r for r in harness.session.requests if isinstance(r, CopyMessage)]


def copied_to(harness: Harness, sender: int) -> list[int]:
    """Chats that got a copy of `sender`'s message, the preview to the sender left out."""
    return sorted(
        int(c.chat_id) for c in copies(harness) if c.from_chat_id == sender and c.chat_id != sender
    )


async def last_broadcast(db: Database) -> int | None:
    row = await db.fetchone("SELECT max(id) AS id FROM broadcasts")
    return None if row is None or row["id"] is None else int(row["id"])


async def finish(db: Database, harness: Harness) -> int:
    """Waits for the newest broadcast's progress task: its final report is written."""
    broadcast_id = await last_broadcast(db)
    assert broadcast_id is not None, "no broadcast was started"
    task = harness.dp["broadcast_progress"].task(broadcast_id)
    if task is not None:
        await asyncio.wait_for(task, WAIT)
    return broadcast_id


def numbers(text: str) -> dict[str, int]:
    return {k: int(v) for k, v in re.findall(r"(\w[\w ]*?): (\d+)", text)}


async def compose(admin: Person, *path: str, text: str = "Завтра собрание в 10:00") -> None:
    """/broadcast, the buttons of `path`, then the message."""
    await admin.send("/broadcast")
    for label in path:
        await admin.press(label)
    await admin.send(text)


async def test_super_admin_broadcasts_a_text_to_a_class(
    harness: Harness, db: Database, structure: dict[str, int], delivery: DeliveryEngine
) -> None:
    await enrol(db, structure["5А"], [5000, 5001, 5002])
    await enrol(db, structure["5А"], [5003], blocked=True)  # blocked the bot: never in it
    await enrol(db, structure["5Б"], [5100, 5101])
    await enrol(db, structure["9В"], [5200])
    admin = Person(harness, SUPER_ADMIN, "Глеб")

    await admin.send("/broadcast")
    assert "Кому отправить" in admin.last_text
    await admin.press("🎒 Классу…")
    await admin.press("МБОУ СОШ № 1")
    await admin.press("5А")
    assert "3 получателя" in admin.last_text
    await admin.send("Завтра собрание в 10:00")

    preview = copies(harness)
    assert len(preview) == 1 and preview[0].chat_id == SUPER_ADMIN == preview[0].from_chat_id
    assert "3 получателя" in admin.last_text and "Так получатели увидят" in admin.last_text
    assert admin.buttons() == ["✅ Отправить", "✖️ Отменить"]
    assert copied_to(harness, SUPER_ADMIN) == []  # nothing before the confirmation

    await admin.press("✅ Отправить")
    broadcast_id = await finish(db, harness)
    assert copied_to(harness, SUPER_ADMIN) == [5000, 5001, 5002]
    assert {c.message_id for c in copies(harness)} == {preview[0].message_id}
    report = admin.last_text
    assert "Рассылка завершена" in report and admin.buttons() == []
    got = numbers(report)
    assert (got["Доставлено"], got["Ошибки"], got["Заблокировали бота"]) == (3, 0, 0)
    assert got["Не отправлено"] == 0 and got["Всего"] == 3
    row = await db.fetchone(
        "SELECT created_by, audience FROM broadcasts WHERE id = ?", (broadcast_id,)
    )
    assert row is not None and row["created_by"] == SUPER_ADMIN
    assert row["audience"].startswith(f"class:{structure['5А']}")


async def test_stuck_at_a_step_reaches_exactly_those_students(
    harness: Harness, db: Database, structure: dict[str, int], staff: None, delivery: DeliveryEngine
) -> None:
    await enrol(db, structure["5А"], [5000], step="profile")
    await enrol(db, structure["9В"], [5001], step="profile")  # another school
    await enrol(db, structure["5А"], [5002], step="device")  # another step
    await enrol(db, structure["5А"], [5003], step="profile", blocked=True)
    await enrol(db, structure["5Б"], [5004], step="done", finished=True)
    super_admin = Person(harness, SUPER_ADMIN, "Глеб")

    await compose(super_admin, "⏸ Ученикам, застрявшим на шаге…", "шаг 2: учебный профиль")
    assert "2 получателя" in super_admin.last_text
    await super_admin.press("✅ Отправить")
    await finish(db, harness)
    assert copied_to(harness, SUPER_ADMIN) == [5000, 5001]

    # A school admin's "stuck" and "not finished" stay within the own school.
    admin = Person(harness, ADMIN_SCHOOL_1, "Ольга")
    await compose(admin, "⏸ Ученикам, застрявшим на шаге…", "шаг 2: учебный профиль")
    assert "1 получатель" in admin.last_text
    await admin.press("✅ Отправить")
    await finish(db, harness)
    assert copied_to(harness, ADMIN_SCHOOL_1) == [5000]

    await compose(admin, "⏳ Ученикам, не прошедшим до конца")
    await admin.press("✅ Отправить")
    await finish(db, harness)
    assert copied_to(harness, ADMIN_SCHOOL_1) == [5000, 5000, 5002]


async def test_cancel_before_confirming_sends_nothing(
    harness: Harness, db: Database, structure: dict[str, int], delivery: DeliveryEngine
) -> None:
    await enrol(db, structure["5А"], [5000, 5001])
    admin = Person(harness, SUPER_ADMIN, "Глеб")

    await compose(admin, "🎒 Классу…", "МБОУ СОШ № 1", "5А")
    await admin.press("✖️ Отменить")
    assert "ничего не отправлено" in admin.last_text
    await admin.press_data(BcConfirmCb(go=True).pack())  # a stale press: no draft any more
    assert admin.last_callback_answer is not None
    assert "уже отправлена или отменена" in str(admin.last_callback_answer.text)

    # Bad input while the message is awaited: a command gets a hint, /cancel leaves.
    await admin.send("/broadcast")
    await admin.press("🎒 Классу…")
    await admin.press("МБОУ СОШ № 1")
    await admin.press("5А")
    await admin.send("/status")
    assert "жду сообщение для рассылки" in admin.last_text
    await admin.send("/foo")  # an unknown command too: a reminder, not a wizard hint
    assert "жду сообщение для рассылки" in admin.last_text
    assert "/start" not in admin.last_text
    await admin.send("/cancel")
    assert "ничего не отправлено" in admin.last_text
    await admin.send("просто текст")  # no broadcast waits for it now
    assert "Так получатели увидят" not in admin.last_text

    await asyncio.sleep(0.1)
    assert await last_broadcast(db) is None
    assert copied_to(harness, SUPER_ADMIN) == []


async def test_stopping_a_running_broadcast(
    harness: Harness, db: Database, structure: dict[str, int], make_delivery: MakeDelivery
) -> None:
    engine = await make_delivery(rate=20.0)
    await enrol(db, structure["5А"], range(5000, 5060))
    admin = Person(harness, SUPER_ADMIN, "Глеб")
    await compose(admin, "🎒 Классу…", "МБОУ СОШ № 1", "5А")
    await admin.press("✅ Отправить")
    broadcast_id = await last_broadcast(db)
    assert broadcast_id is not None

    progress = admin.last
    for _ in range(200):  # the progress message is edited live while sending
        if (await engine.counts(broadcast_id)).sent >= 3 and progress.edits >= 2:
            break
        await asyncio.sleep(0.02)
    assert "Идёт рассылка" in progress.text and "Всего: 60" in progress.text
    assert "сообщ./с" in progress.text
    await admin.press("⛔ Остановить рассылку", in_message=progress)
    assert admin.last_callback_answer is not None
    assert "остановлена" in str(admin.last_callback_answer.text)

    await finish(db, harness)
    counts = await engine.counts(broadcast_id)
    assert 0 < counts.sent < 60 and counts.pending > 0
    assert counts.sent + counts.failed + counts.blocked + counts.pending == 60
    assert len(copied_to(harness, SUPER_ADMIN)) == counts.sent  # nothing sent after the stop
    got = numbers(progress.text)
    assert "Рассылка остановлена" in progress.text
    assert got["Доставлено"] == counts.sent and got["Не отправлено"] == counts.pending
    assert (
        got["Доставлено"] + got["Ошибки"] + got["Заблокировали бота"] + got["Не отправлено"]
        == got["Всего"]
        == 60
    )
    await asyncio.sleep(0.2)
    assert len(copied_to(harness, SUPER_ADMIN)) == counts.sent


async def test_a_school_admin_stays_within_the_own_school(
    harness: Harness, db: Database, structure: dict[str, int], staff: None, delivery: DeliveryEngine
) -> None:
    await enrol(db, structure["9В"], [5200])
    await enrol(db, structure["5А"], [5000])
    admin = Person(harness, ADMIN_SCHOOL_1, "Ольга")
    await admin.send("/broadcast")
    assert "🏫 Моей школе: МБОУ СОШ № 1" in admin.buttons()
    assert "👥 Всем пользователям бота" not in admin.buttons()
    assert "🧑‍🏫 Учителям" not in admin.buttons()

    forged = [
        BcAudienceCb(kind=Kind.CLASS, target=structure["9В"]).pack(),
        BcAudienceCb(kind=Kind.SCHOOL, target=SCHOOL_2).pack(),
        BcAudienceCb(kind=Kind.EVERYONE).pack(),
        BcAudienceCb(kind=Kind.TEACHERS).pack(),
        BcAudienceCb(kind=Kind.STUCK, step="nonsense").pack(),
        BcMenuCb(menu=Menu.CLASSES, target=SCHOOL_2).pack(),
    ]
    for data in forged:
        await admin.press_data(data)
        assert admin.last_callback_answer is not None
        assert FORBIDDEN in str(admin.last_callback_answer.text), data
    await admin.send("не рассылка")
    assert "Так получатели увидят" not in admin.last_text
    assert await last_broadcast(db) is None

    # Another school's admin can neither stop nor see this school's broadcast.
    await compose(admin, "🏫 Моей школе: МБОУ СОШ № 1")
    await admin.press("✅ Отправить")
    broadcast_id = await finish(db, harness)
    other = Person(harness, ADMIN_SCHOOL_2, "Пётр")
    await other.send("/start")
    await other.press_data(BcStopCb(broadcast_id=broadcast_id).pack())
    assert other.last_callback_answer is not None
    assert FORBIDDEN in str(other.last_callback_answer.text)


async def test_students_and_teachers_cannot_broadcast(
    harness: Harness, db: Database, structure: dict[str, int], staff: None, delivery: DeliveryEngine
) -> None:
    await enrol(db, structure["5А"], [5000])
    for user_id in (5000, TEACHER_5A):
        person = Person(harness, user_id, "Аня")
        await person.send("/broadcast")
        assert "только администраторам" in person.last_text
        await person.press_data(BcAudienceCb(kind=Kind.CLASS, target=structure["5А"]).pack())
        assert person.last_callback_answer is not None
        assert "только администраторам" in str(person.last_callback_answer.text)
        await person.press_data(BcStopCb(broadcast_id=1).pack())
        assert "только администраторам" in str(person.last_callback_answer.text)
    assert await last_broadcast(db) is None
    assert copies(harness) == []
