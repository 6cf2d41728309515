"""A broadcast's audience is checked first, counted for what the admin is shown, and listed once,
at the confirmation; the live progress message is edited one way (ui/replies.edit_or_keep).

Through the real dispatcher, with the real repositories under a spy that records each count and
each list read (a broadcast written from an audience)."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, cast

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramRetryAfter
from aiogram.methods import EditMessageText

from bot.broadcast_audience import Kind, Menu
from bot.broadcasts import Broadcasts
from bot.delivery import DeliveryEngine, DeliveryLimits
from bot.i18n import Catalog
from bot.pacing import OutboundLimiter
from bot.wizard import STUCK_STEPS
from storage import audiences as who
from storage.audiences import AudiencesRepo, Selection
from storage.broadcast_reports import BroadcastReportsRepo, Watch
from storage.broadcasts import Broadcast, BroadcastsRepo, Counts, Payload, TextPayload
from storage.db import Database, utcnow
from storage.roles import Role, grant
from tests.support.inspect import members
from tests.support.people import Harness, Person
from tests.support.staff import ADMIN_SCHOOL_1, SCHOOL_1, SCHOOL_2, SUPER_ADMIN, appoint_staff
from tests.test_broadcast_ui import FORBIDDEN, copied_to, enrol, finish, last_broadcast, numbers
from ui.broadcast_progress import BroadcastProgress
from ui.callbacks import BcAudienceCb, BcMenuCb
from ui.telegram_sender import TelegramSender

ROOT = Path(__file__).resolve().parent.parent
LISTS = ("everyone", "school", "school_class", "teachers", "stuck", "unfinished")


class SpyAudiences(AudiencesRepo):
    """The real repository; every count is recorded as it runs ("count_school_class" for a
    class counted), and every audience a broadcast is written from (`SpyBroadcasts`:
    "school_class" for a class listed)."""

    def __init__(self, db: Database) -> None:
        super().__init__(db)
        self.calls: list[str] = []

    async def count(self, selection: Selection) -> int:
        self.calls.append(f"count_{selection.name}")
        return await super().count(selection)

    def lists(self) -> list[str]:
        return [c for c in self.calls if c in LISTS]


class SpyBroadcasts(BroadcastsRepo):
    def __init__(self, db: Database, calls: list[str]) -> None:
        super().__init__(db)
        self.calls = calls

    async def create_filling(
        self, created_by: int, audience: str, payload: Payload, selection: Selection
    ) -> int:
        self.calls.append(selection.name)
        return await super().create_filling(created_by, audience, payload, selection)


@pytest.fixture
async def spy(harness: Harness, db: Database) -> AsyncIterator[SpyAudiences]:
    """A running engine and the broadcasts service built on it, over the spied repository."""
    settings = DeliveryLimits(rate=1000.0, allow_paid_broadcast=True, per_chat_interval=0)
    audiences = SpyAudiences(db)
    engine = DeliveryEngine(
        SpyBroadcasts(db, audiences.calls),
        settings,
        limiter=OutboundLimiter(1000.0, per_chat_interval=0),
    )
    await engine.start(TelegramSender(harness.bot))
    dp = harness.dp
    dp["broadcast_progress"].interval = 0.05
    dp["delivery"] = engine
    dp["broadcasts"] = Broadcasts(dp["schools"], audiences, engine)
    dp["broadcast_progress"].delivery = engine
    yield audiences
    await dp["broadcast_progress"].stop()
    await engine.stop(timeout=1)


async def test_counted_for_the_pick_and_the_preview_listed_once_at_the_confirmation(
    harness: Harness, db: Database, structure: dict[str, int], spy: SpyAudiences
) -> None:
    await enrol(db, structure["5А"], [5000, 5001, 5002])
    await enrol(db, structure["5А"], [5003], blocked=True)
    await enrol(db, structure["5Б"], [5100])
    admin = Person(harness, SUPER_ADMIN, "Глеб")

    await admin.send("/broadcast")
    await admin.press("🎒 Классу…")
    await admin.press("МБОУ СОШ № 1")
    assert spy.calls == []  # menus count nobody
    await admin.press("5А")
    assert "3 получателя" in admin.last_text
    assert spy.calls == ["count_school_class"]
    await admin.send("Завтра собрание в 10:00")
    assert "3 получателя" in admin.last_text and "Так получатели увидят" in admin.last_text
    assert spy.calls == ["count_school_class", "count_school_class"]  # the preview: no list

    await admin.press("✅ Отправить")
    await finish(db, harness)
    assert spy.calls == ["count_school_class", "count_school_class", "school_class"]
    assert copied_to(harness, SUPER_ADMIN) == [5000, 5001, 5002]
    got = numbers(admin.last_text)
    assert "Рассылка завершена" in admin.last_text
    assert (got["Доставлено"], got["Всего"]) == (3, 3)


async def test_a_forged_audience_is_refused_before_anyone_is_counted(
    harness: Harness, db: Database, structure: dict[str, int], spy: SpyAudiences
) -> None:
    await appoint_staff(db, structure)
    await enrol(db, structure["9В"], [5200])
    admin = Person(harness, ADMIN_SCHOOL_1, "Ольга")
    await admin.send("/broadcast")
    forged = [
        BcAudienceCb(kind=Kind.SCHOOL, target=SCHOOL_2),  # someone else's school
        BcAudienceCb(kind=Kind.CLASS, target=structure["9В"]),
        BcAudienceCb(kind=Kind.SCHOOL, target=999),  # no such school
        BcAudienceCb(kind=Kind.EVERYONE),
        BcAudienceCb(kind=Kind.TEACHERS),
        BcAudienceCb(kind=Kind.STUCK, step="nonsense"),
    ]
    for data in forged:
        await admin.press_data(data.pack())
        assert admin.last_callback_answer is not None
        assert FORBIDDEN in str(admin.last_callback_answer.text), data
    await admin.press_data(BcMenuCb(menu=Menu.CLASSES, target=SCHOOL_2).pack())
    assert admin.last_callback_answer is not None
    assert FORBIDDEN in str(admin.last_callback_answer.text)
    assert spy.calls == []
    assert await last_broadcast(db) is None


async def test_rights_gone_before_the_confirmation_list_nobody(
    harness: Harness, db: Database, structure: dict[str, int], spy: SpyAudiences
) -> None:
    await appoint_staff(db, structure)
    await db.run(lambda conn: grant(conn, ADMIN_SCHOOL_1, Role.SCHOOL_ADMIN, SCHOOL_2, None))
    await enrol(db, structure["5А"], [5000, 5001])
    admin = Person(harness, ADMIN_SCHOOL_1, "Ольга")
    await admin.send("/broadcast")
    await admin.press("🏫 Школе…")
    await admin.press("МБОУ СОШ № 1")
    await admin.send("Собрание")
    assert "2 получателя" in admin.last_text

    # Still an admin (of the other school): the router lets the press in, the service refuses.
    await db.execute(
        "DELETE FROM roles WHERE user_id = ? AND school_id = ?", (ADMIN_SCHOOL_1, SCHOOL_1)
    )
    await admin.press("✅ Отправить")
    assert admin.last_callback_answer is not None
    assert FORBIDDEN in str(admin.last_callback_answer.text)
    assert spy.lists() == []
    assert await last_broadcast(db) is None
    assert copied_to(harness, ADMIN_SCHOOL_1) == []


# --- the counts are the lists' own statements --------------------------------------------------


async def test_every_count_matches_its_list(db: Database, structure: dict[str, int]) -> None:
    await appoint_staff(db, structure)
    await enrol(db, structure["5А"], [5000, 5001], step="profile")
    await enrol(db, structure["5А"], [5002], step="profile", blocked=True)
    await enrol(db, structure["5Б"], [5100], step="device")
    await enrol(db, structure["9В"], [5200], step="profile")
    await enrol(db, None, [5300], step="profile")  # no class yet
    await enrol(db, structure["5Б"], [5400], step="done", finished=True)

    def second_class(conn: sqlite3.Connection) -> None:  # one teacher, two classes
        conn.execute("INSERT INTO users (id, created_at) VALUES (2100, ?)", (utcnow(),))
        grant(conn, 2100, Role.TEACHER, SCHOOL_1, structure["5А"])
        grant(conn, 2100, Role.TEACHER, SCHOOL_1, structure["5Б"])

    await db.run(second_class)
    repo = AudiencesRepo(db)  # counts; `members` reads each list as a broadcast does, in chunks
    scopes: list[list[int] | None] = [None, [SCHOOL_1], [SCHOOL_1, SCHOOL_2], []]
    selections = [
        who.everyone(),
        who.teachers(),
        *[who.school(s) for s in (SCHOOL_1, SCHOOL_2, 999)],
        *[who.school_class(c) for c in structure.values()],
        *[who.unfinished(s) for s in scopes],
        *[who.stuck(step.value, s) for step in STUCK_STEPS for s in scopes],
    ]
    for selection in selections:
        ids = await members(db, selection)
        assert len(ids) == len(set(ids)) == await repo.count(selection), selection.name
    assert await members(db, who.teachers()) == [2001, 2002, 2100]
    assert await members(db, who.stuck("profile", None)) == [5000, 5001, 5200, 5300]
    # blocked and classless left out
    assert await repo.count(who.stuck("profile", [SCHOOL_1])) == 2
    assert 5002 not in await members(db, who.everyone())


# --- the live progress, edited one way ---------------------------------------------------------


class FakeBot:
    """Answers progress edits from `script` (an exception to raise, or None: edited)."""

    def __init__(self, script: list[Exception | None]) -> None:
        self.script = script
        self.edits: list[str] = []
        self.sent: list[str] = []

    async def edit_message_text(self, text: str, **_: Any) -> bool:
        fault = self.script.pop(0) if self.script else None
        if fault is not None:
            raise fault
        self.edits.append(text)
        return True

    async def send_message(self, chat_id: int, text: str, **_: Any) -> None:
        self.sent.append(text)


class FakeDelivery:
    """A broadcast that ends when `done` is set, with counts moving on each read."""

    def __init__(self) -> None:
        self.done = asyncio.Event()
        self.reads = 0

    async def wait(self, broadcast_id: int) -> Broadcast | None:
        await self.done.wait()
        return Broadcast(broadcast_id, 1, "x", TextPayload("x"), "done", utcnow(), utcnow())

    async def counts(self, broadcast_id: int) -> Counts:
        self.reads += 1
        return Counts(pending=max(0, 100 - self.reads), sent=min(100, self.reads))


class NoReports:
    """Where the progress message would be stored: nowhere (these tests restart nothing)."""

    async def watch(self, watch: Watch) -> None:
        pass

    async def reported(self, broadcast_id: int) -> None:
        pass


def _edit() -> EditMessageText:
    return EditMessageText(text="x", chat_id=1, message_id=7)


async def _follow(script: list[Exception | None], rounds: int) -> FakeBot:
    bot, delivery = FakeBot(script), FakeDelivery()
    progress = BroadcastProgress(
        cast(DeliveryEngine, delivery), cast(BroadcastReportsRepo, NoReports()), Catalog("ru", {})
    )
    progress.interval = 0.01
    await progress.follow(cast(Bot, bot), Watch(1, 1, 7, "ru", "5А"))
    for _ in range(500):
        if delivery.reads >= rounds:
            break
        await asyncio.sleep(0.01)
    delivery.done.set()
    task = progress.task(1)
    assert task is not None
    await asyncio.wait_for(task, 5)
    return bot


not_modified = TelegramBadRequest(_edit(), "Bad Request: message is not modified: same content")
gone = TelegramBadRequest(_edit(), "Bad Request: message to edit not found")
flood = TelegramRetryAfter(_edit(), "Too Many Requests: retry after 0", 0)


@pytest.mark.parametrize(
    ("script", "edited_live", "report_sent"),
    [
        ([not_modified], True, False),  # "not modified" is success: live updates go on
        ([flood], True, False),  # flood control: this round skipped, the next one edits
        ([gone], False, True),  # the message is gone: no more edits, the report is new
    ],
)
async def test_the_progress_message_is_edited_through_edit_or_keep(
    script: list[Exception | None], edited_live: bool, report_sent: bool
) -> None:
    bot = await _follow(script, rounds=4)
    live_edits = [e for e in bot.edits if "Идёт рассылка" in e]
    assert bool(live_edits) is edited_live
    reports = bot.sent if report_sent else bot.edits
    assert any("Рассылка завершена" in r for r in reports)
    assert not any("Рассылка завершена" in r for r in (bot.edits if report_sent else bot.sent))
