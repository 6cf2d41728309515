"""A class link stored with /setlink or /setchat reaches the waiting students through the one
delivery engine (durable, paced, 429-aware), through aiogram's real dispatcher: the teacher's
report says truthfully who got it, a student who blocked the bot is marked like a broadcast's
recipient, a 429 is waited out without losing anyone, and a big broadcast does not hold the
link back."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import SendPhoto, TelegramMethod
from aiogram.methods.base import TelegramType

from app.config import Settings
from bot.delivery import DeliveryEngine, DeliveryLimits
from bot.pacing import OutboundLimiter
from bot.wizard import Step
from storage.broadcasts import (
    QrPhotoPayload,
    TextPayload,
    payload_from_json,
    payload_to_json,
)
from storage.db import Database
from tests.support.inspect import requests_of
from tests.support.people import Harness, Person
from tests.support.session import RecordingSession
from tests.support.staff import SUPER_ADMIN, TEACHER_5A, appoint_staff
from tests.support.walk import walk_to
from ui.telegram_sender import TelegramSender

INVITE = "https://sferum.ru/?invite=abc123"
SECOND = "https://sferum.ru/?invite=second"
WAIT = 20.0  # seconds a command may take before the test calls it hung


@dataclass
class FloodedSession(RecordingSession):
    """Telegram's flood control on cue: the next photo to a chat is refused with a 429."""

    flood: dict[int, int] = field(default_factory=dict)  # chat id -> retry_after, once

    async def make_request(
        self, bot: Bot, method: TelegramMethod[TelegramType], timeout: int | None = None
    ) -> TelegramType:
        if isinstance(method, SendPhoto):
            wait = self.flood.pop(int(method.chat_id), None)
            if wait is not None:
                self.requests.append(method)
                raise TelegramRetryAfter(method, f"Too Many Requests: retry after {wait}", wait)
        return await super().make_request(bot, method, timeout)


@pytest.fixture
async def staff(db: Database, structure: dict[str, int]) -> None:
    await appoint_staff(db, structure)


@pytest.fixture
async def engine(harness: Harness) -> AsyncIterator[DeliveryEngine]:
    """The dispatcher's own engine (the one /setlink sends through), stopped afterwards."""
    delivery: DeliveryEngine = harness.dp["delivery"]
    yield delivery
    await delivery.stop(timeout=1)


async def waiting_students(harness: Harness, db: Database, names: list[str]) -> list[Person]:
    """Students who asked for the invite link (variant 2), with these names."""
    people = []
    for number, name in enumerate(names):
        person = Person(harness, 1001 + number, name)
        await walk_to(person, Step.VARIANT2)
        await db.execute(
            "UPDATE students SET full_name = ? WHERE user_id = ?", (name, person.user.id)
        )
        people.append(person)
    return people


def photos_to(session: RecordingSession, chat_id: int) -> list[SendPhoto]:
    return [r for r in session.requests if isinstance(r, SendPhoto) and r.chat_id == chat_id]


async def class_link_broadcasts(db: Database) -> list[dict[str, Any]]:
    rows = await db.fetchall(
        "SELECT id, created_by, audience, message, status FROM broadcasts"
        " WHERE audience LIKE 'class-link:%' ORDER BY id"
    )
    return [dict(row) for row in rows]


def test_the_photo_payload_keeps_the_link_and_the_caption_not_the_picture() -> None:
    payload = QrPhotoPayload(INVITE, "🔗 <b>5А</b>: ссылка")
    stored = payload_to_json(payload)
    assert json.loads(stored) == {"qr_photo": {"link": INVITE, "caption": "🔗 <b>5А</b>: ссылка"}}
    assert payload_from_json(stored) == payload


async def test_a_student_who_blocked_the_bot_is_reported_and_marked_blocked(
    harness: Harness,
    staff: None,
    engine: DeliveryEngine,
    db: Database,
    structure: dict[str, int],
) -> None:
    anna, boris = await waiting_students(harness, db, ["Анна Иванова", "Борис Петров"])
    await boris.send("/lang")
    await boris.press("English 🇬🇧")  # his link comes in his language: a broadcast of its own
    harness.session.blocked.add(boris.user.id)
    teacher = Person(harness, TEACHER_5A, "Мария")

    await asyncio.wait_for(teacher.send(f"/setlink {INVITE}"), WAIT)
    report = teacher.last_text
    assert "отправлено: 1" in report
    assert "Не удалось отправить" in report and "Борис Петров" in report
    assert "Борис Петров" not in report.split("Добавьте в чат класса сами:")[-1]
    # Boris is marked as a broadcast's blocked recipient is; his request stays open.
    row = await db.fetchone("SELECT blocked_at FROM users WHERE id = ?", (boris.user.id,))
    assert row is not None and row["blocked_at"] is not None
    [anna_request] = await requests_of(db, anna.user.id)
    [boris_request] = await requests_of(db, boris.user.id)
    assert (anna_request["status"], boris_request["status"]) == ("approved", "pending")
    # One broadcast per language, each a photo of the link's QR code with its own caption.
    broadcasts = await class_link_broadcasts(db)
    assert [b["audience"] for b in broadcasts] == [f"class-link:{structure['5А']} invite"] * 2
    assert {b["created_by"] for b in broadcasts} == {TEACHER_5A}
    assert {b["status"] for b in broadcasts} == {"done"}
    captions = {
        payload.caption
        for b in broadcasts
        if isinstance(payload := payload_from_json(b["message"]), QrPhotoPayload)
    }
    assert len(captions) == 2 and any("sent the class" in c for c in captions)
    states = await db.fetchall("SELECT chat_id, state FROM broadcast_recipients ORDER BY chat_id")
    assert [(r["chat_id"], r["state"]) for r in states] == [
        (anna.user.id, "sent"),
        (boris.user.id, "blocked"),
    ]

    # Marked blocked, Boris is left out of the next link as out of any broadcast, and the
    # report says he did not get it.
    harness.session.blocked.clear()
    before = len(photos_to(harness.session, boris.user.id))
    await asyncio.wait_for(teacher.send(f"/setlink {SECOND}"), WAIT)
    assert len(photos_to(harness.session, boris.user.id)) == before
    assert "отправлено: 1" in teacher.last_text and "Борис Петров" in teacher.last_text


async def test_a_429_is_waited_out_and_no_student_is_lost(
    settings: Settings, db: Database, staff: None
) -> None:
    session = FloodedSession()
    harness = await Harness.start(settings, db, session)
    delivery: DeliveryEngine = harness.dp["delivery"]
    try:
        anna, boris = await waiting_students(harness, db, ["Анна Иванова", "Борис Петров"])
        session.flood[anna.user.id] = 1
        teacher = Person(harness, TEACHER_5A, "Мария")
        started = time.monotonic()
        await asyncio.wait_for(teacher.send(f"/setlink {INVITE}"), WAIT)
        assert time.monotonic() - started >= 1.0 - 0.01  # retry_after, waited out
    finally:
        await delivery.stop(timeout=1)
    assert "отправлено: 2" in teacher.last_text and "Не удалось" not in teacher.last_text
    assert len(photos_to(session, anna.user.id)) == 2  # refused once, then sent
    states = await db.fetchall("SELECT chat_id, state, attempts FROM broadcast_recipients")
    # Through the engine: a 429 is no failed attempt.
    assert sorted(tuple(r) for r in states) == [
        (anna.user.id, "sent", 1),
        (boris.user.id, "sent", 1),
    ]
    for person in (anna, boris):
        assert sum(m.photo is not None for m in person.messages) == 1
        [request] = await requests_of(db, person.user.id)
        assert request["status"] == "approved"


async def test_a_big_broadcast_does_not_hold_the_link_back(
    harness: Harness, staff: None, engine: DeliveryEngine, db: Database
) -> None:
    engine.limits = DeliveryLimits(batch_size=20, per_chat_interval=0)
    engine.limiter = OutboundLimiter(100.0, per_chat_interval=0)
    await engine.start(TelegramSender(harness.bot))
    [anna] = await waiting_students(harness, db, ["Анна Иванова"])
    big, total = await engine.broadcast(
        SUPER_ADMIN, "everyone", TextPayload("Новости школы"), range(100_000, 103_000)
    )  # 30 s at this rate
    assert total == 3000
    teacher = Person(harness, TEACHER_5A, "Мария")
    await asyncio.wait_for(teacher.send(f"/setlink {INVITE}"), 5.0)
    assert "отправлено: 1" in teacher.last_text
    assert sum(m.photo is not None for m in anna.messages) == 1
    assert (await engine.counts(big)).pending > 2000  # the big one is far from done
    await engine.cancel(big)
