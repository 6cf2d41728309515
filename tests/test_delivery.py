"""The delivery engine against a Bot API that answers 429, 403, 400, 5xx and network errors."""

from __future__ import annotations

import asyncio
import sqlite3
from collections import Counter
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from itertools import pairwise
from pathlib import Path

import pytest
from aiogram import Bot
from aiogram.methods import CopyMessage, SendMessage
from pydantic import ValidationError

from app.config import DeliverySettings
from bot.delivery import DeliveryEngine, DeliveryLimits
from bot.pacing import OutboundLimiter
from storage.broadcasts import BroadcastsRepo, CopyPayload, TextPayload
from storage.db import Database, utcnow
from storage.users import UsersRepo
from tests.support.faulty_session import (
    BAD_REQUEST,
    BLOCKED,
    CHAT_NOT_FOUND,
    DEACTIVATED,
    NETWORK,
    SERVER_ERROR,
    FaultySession,
)
from ui.flood_wait import WaitOutFloodControl
from ui.telegram_sender import TelegramSender

TEXT = TextPayload("Завтра в 10:00 — собрание")
ADMIN = 7
FAST = DeliveryLimits(backoff_base=0.01, batch_size=7)
WAIT = 8.0  # seconds before a test gives up on a broadcast that never ends

MakeEngine = Callable[..., DeliveryEngine]


@pytest.fixture
async def make_engine() -> AsyncIterator[MakeEngine]:
    started: list[DeliveryEngine] = []

    def make(
        db: Database,
        settings: DeliveryLimits = FAST,
        rate: float = 1000.0,
        per_chat: float = 0.0,
    ) -> DeliveryEngine:
        engine = DeliveryEngine(
            BroadcastsRepo(db), settings, limiter=OutboundLimiter(rate, per_chat)
        )
        started.append(engine)
        return engine

    yield make
    for engine in started:
        await engine.stop(timeout=0)


def bot_on(session: FaultySession) -> Bot:
    """As in production: replies wait out short 429s, the engine's sends see them (bulk)."""
    session.middleware(WaitOutFloodControl())
    return Bot(token="42:TEST", session=session)


async def add_users(db: Database, chat_ids: range | list[int]) -> None:
    def work(conn: sqlite3.Connection) -> None:
        conn.executemany(
            "INSERT INTO users (id, created_at) VALUES (?, ?)",
            [(chat, utcnow()) for chat in chat_ids],
        )

    await db.run(work)


async def states(db: Database, broadcast_id: int) -> dict[int, sqlite3.Row]:
    rows = await db.fetchall(
        "SELECT chat_id, state, message_id, attempts, error FROM broadcast_recipients"
        " WHERE broadcast_id = ?",
        (broadcast_id,),
    )
    return {row["chat_id"]: row for row in rows}


async def finish(engine: DeliveryEngine, broadcast_id: int) -> str:
    broadcast = await asyncio.wait_for(engine.wait(broadcast_id), WAIT)
    assert broadcast is not None
    return broadcast.status


async def test_every_recipient_ends_in_one_final_state(
    db: Database, make_engine: MakeEngine
) -> None:
    chats = list(range(1, 41))
    await add_users(db, chats)
    session = FaultySession(
        script={
            3: [BLOCKED],
            4: [DEACTIVATED],
            5: [CHAT_NOT_FOUND],
            6: [BAD_REQUEST],
            7: [SERVER_ERROR] * 10,  # never recovers: failed after max_attempts
            8: [NETWORK, SERVER_ERROR],  # recovers on the third send
            9: [NETWORK] * 10,
        }
    )
    engine = make_engine(db)
    await engine.start(TelegramSender(bot_on(session)))
    broadcast_id, total = await engine.broadcast(ADMIN, "everyone", TEXT, chats)
    assert total == 40

    assert await finish(engine, broadcast_id) == "done"
    rows = await states(db, broadcast_id)
    assert set(rows) == set(chats)
    by_state = Counter(row["state"] for row in rows.values())
    assert by_state == {"sent": 34, "failed": 3, "blocked": 3}
    counts = await engine.counts(broadcast_id)
    assert (counts.sent, counts.failed, counts.blocked, counts.pending) == (34, 3, 3, 0)
    assert counts.sent + counts.failed + counts.blocked == counts.total == total

    assert {chat for chat, row in rows.items() if row["state"] == "blocked"} == {3, 4, 5}
    assert {chat for chat, row in rows.items() if row["state"] == "failed"} == {6, 7, 9}
    assert "message text is empty" in rows[6]["error"]
    assert "Bad Gateway" in rows[7]["error"]
    assert "TelegramNetworkError" in rows[9]["error"]
    # Permanent errors are never retried; 5xx / network retries are bounded.
    for chat in (3, 4, 5, 6):
        assert len(session.outcomes(chat)) == 1
    assert session.outcomes(7) == ["500"] * FAST.max_attempts
    assert len(session.outcomes(9)) == FAST.max_attempts
    assert session.outcomes(8) == ["network", "500", "ok"]
    assert rows[8]["state"] == "sent"
    assert rows[8]["attempts"] == 3
    # Sent ones carry the delivered message's id; each chat got the message once.
    sent = {chat for chat, row in rows.items() if row["state"] == "sent"}
    assert all(rows[chat]["message_id"] is not None for chat in sent)
    assert sorted(session.delivered) == sorted(sent)

    # Blocked users are marked inactive and left out of the next broadcast.
    users = UsersRepo(db)
    assert [await users.is_blocked(chat) for chat in (3, 4, 5, 6, 7)] == [
        True,
        True,
        True,
        False,
        False,
    ]
    session.calls.clear()
    session.script.clear()
    second, second_total = await engine.broadcast(ADMIN, "everyone", TEXT, chats)
    assert second_total == 37
    assert await finish(engine, second) == "done"
    assert not {3, 4, 5} & {call.chat_id for call in session.calls}
    assert (await engine.counts(second)).sent == 37

    # A user who writes again is included again.
    assert await users.set_blocked(3, False)
    assert (await engine.repo.create(ADMIN, "one", TEXT, [3]))[1] == 1


@pytest.mark.parametrize("in_flight", [1, 4])
async def test_429_pauses_the_whole_sender_and_resends(
    db: Database, make_engine: MakeEngine, caplog: pytest.LogCaptureFixture, in_flight: int
) -> None:
    session = FaultySession(script={2: ["429:1"]})
    engine = make_engine(db, replace(FAST, max_in_flight=in_flight))
    await engine.start(TelegramSender(bot_on(session)))
    broadcast_id, _ = await engine.broadcast(ADMIN, "five", TEXT, [1, 2, 3, 4, 5])

    assert await finish(engine, broadcast_id) == "done"
    calls = [(call.chat_id, call.outcome) for call in session.calls]
    refused = calls.index((2, "429:1"))
    resent = calls.index((2, "ok"))
    assert sorted(calls) == [(1, "ok"), (2, "429:1"), (2, "ok"), (3, "ok"), (4, "ok"), (5, "ok")]
    if in_flight == 1:  # the very next request is the same message: nobody else in between
        assert resent == refused + 1
    # The refused message waits retry_after exactly (scheduling can only add), and no slot is
    # handed out meanwhile: only sends already under way (at most in_flight - 1) go through.
    paused_at = session.calls[refused].at
    assert session.calls[resent].at - paused_at >= 1.0 - 0.01
    during = [c for c in session.calls[refused + 1 :] if c.at - paused_at < 1.0 - 0.01]
    assert len(during) <= in_flight - 1
    rows = await states(db, broadcast_id)
    assert rows[2]["state"] == "sent"
    assert rows[2]["attempts"] == 1  # the 429 is not an attempt
    assert rows[2]["error"] is None
    counts = await engine.counts(broadcast_id)
    assert (counts.sent, counts.failed, counts.blocked) == (5, 0, 0)
    # The engine itself saw the 429 (not hidden by the flood-wait middleware) and paused.
    assert "429 from Telegram: pausing the sender 1s" in caplog.text


async def test_copy_message_and_paid_broadcast_opt_in(
    db: Database, make_engine: MakeEngine
) -> None:
    session = FaultySession()
    engine = make_engine(db)
    await engine.start(TelegramSender(bot_on(session)))
    copy = CopyPayload(from_chat_id=ADMIN, message_id=55)
    first, _ = await engine.broadcast(ADMIN, "two", copy, [11, 12])
    assert await finish(engine, first) == "done"
    methods = [call.method for call in session.calls]
    assert all(isinstance(m, CopyMessage) for m in methods)
    assert all(isinstance(m, CopyMessage) and m.allow_paid_broadcast is None for m in methods)
    assert [(m.from_chat_id, m.message_id) for m in methods if isinstance(m, CopyMessage)] == [
        (ADMIN, 55),
        (ADMIN, 55),
    ]
    stored = await engine.repo.get(first)
    assert stored is not None
    assert stored.payload == copy

    paid_settings = DeliveryLimits(allow_paid_broadcast=True, rate=1000)
    paid = make_engine(db, paid_settings)
    await engine.stop()
    session.calls.clear()
    await paid.start(TelegramSender(bot_on(session)))
    second, _ = await paid.broadcast(ADMIN, "one", TEXT, [13])
    assert await finish(paid, second) == "done"
    (method,) = [call.method for call in session.calls]
    assert isinstance(method, SendMessage)
    assert method.allow_paid_broadcast is True


def test_settings_keep_within_telegram_limits() -> None:
    assert DeliverySettings(_env_file=None).rate == 28
    with pytest.raises(ValidationError, match="ALLOW_PAID_BROADCAST"):
        DeliverySettings(_env_file=None, rate=100)
    with pytest.raises(ValidationError):
        DeliverySettings(_env_file=None, allow_paid_broadcast=True, rate=1001)


async def test_limiter_spacing_on_a_fake_clock() -> None:
    now = [100.0]

    async def sleep(seconds: float) -> None:
        now[0] += seconds
        await asyncio.sleep(0)

    limiter = OutboundLimiter(28, 1.0, clock=lambda: now[0], sleep=sleep)
    slots = [await limiter.acquire(chat) for chat in range(10)]
    gaps = [b - a for a, b in pairwise(slots)]
    assert all(gap == pytest.approx(1 / 28) for gap in gaps)

    # One chat: at most one message per second.
    again = await limiter.acquire(0)
    assert again - slots[0] >= 1.0 - 1e-9

    # Idle time is not saved up: after a long pause the slots are spaced again.
    now[0] += 60
    burst = [await limiter.acquire(chat) for chat in range(100, 105)]
    assert all(b - a == pytest.approx(1 / 28) for a, b in pairwise(burst))

    # A 429 holds every slot back by exactly retry_after.
    limiter.pause(3)
    paused_at = now[0]
    assert await limiter.acquire(200) == pytest.approx(paused_at + 3)


async def test_sends_are_paced_evenly(db: Database, make_engine: MakeEngine) -> None:
    rate, n = 50.0, 30
    session = FaultySession()
    engine = make_engine(db, rate=rate, per_chat=1.0)
    await engine.start(TelegramSender(bot_on(session)))
    broadcast_id, _ = await engine.broadcast(ADMIN, "paced", TEXT, range(1, n + 1))
    assert await finish(engine, broadcast_id) == "done"

    times = [call.at for call in session.calls]
    assert len(times) == n
    interval = 1 / rate
    # Never ahead of the even schedule (no burst); slowness only adds, so generous above.
    for i, at in enumerate(times):
        assert at - times[0] >= i * interval - 0.005
    assert times[-1] - times[0] < (n - 1) * interval + 2.0


async def test_cancel_stops_the_broadcast(db: Database, make_engine: MakeEngine) -> None:
    session = FaultySession()
    engine = make_engine(db, rate=100.0)
    await engine.start(TelegramSender(bot_on(session)))
    broadcast_id, total = await engine.broadcast(ADMIN, "many", TEXT, range(1, 51))
    await asyncio.wait_for(session.wait_delivered(5), WAIT)

    assert await engine.cancel(broadcast_id)
    assert await finish(engine, broadcast_id) == "cancelled"
    delivered = len(session.delivered)
    await asyncio.sleep(0.1)
    assert len(session.delivered) <= delivered + 1  # at most the send in flight completes
    counts = await engine.counts(broadcast_id)
    assert counts.sent == len(session.delivered) < total
    assert counts.sent + counts.pending == total
    assert not await engine.cancel(broadcast_id)  # already over
    assert await engine.resume() == []  # a cancelled broadcast is not resumed


async def test_crash_mid_broadcast_and_a_new_engine_finishes_it(
    db_path: Path, make_engine: MakeEngine
) -> None:
    chats = list(range(1, 31))
    first_db = await Database.open(db_path)
    # The 11th message reaches Telegram, then the process "dies" before the answer is stored.
    crashed = FaultySession(hang_after=10)
    engine = make_engine(first_db)
    await engine.start(TelegramSender(bot_on(crashed)))
    broadcast_id, _ = await engine.broadcast(ADMIN, "everyone", TEXT, chats)
    await asyncio.wait_for(crashed.hanging.wait(), WAIT)
    await engine.stop(timeout=0)  # cancels the task mid-send
    assert not engine.running
    await first_db.close()

    second_db = await Database.open(db_path)
    try:
        resumed = FaultySession()
        new_engine = make_engine(second_db)
        assert await new_engine.resume() == [broadcast_id]
        await new_engine.start(TelegramSender(bot_on(resumed)))
        assert await finish(new_engine, broadcast_id) == "done"
        counts = await new_engine.counts(broadcast_id)
        assert (counts.sent, counts.pending, counts.total) == (30, 0, 30)
    finally:
        await new_engine.stop()
        await second_db.close()

    deliveries = Counter(crashed.delivered + resumed.delivered)
    assert set(deliveries) == set(chats)  # nobody lost
    duplicates = sum(n - 1 for n in deliveries.values())
    assert duplicates <= 1
    assert len(crashed.delivered) == 11
