"""Replies and broadcasts share Telegram's per-bot budget: every reply the bot sends takes a slot
of the delivery engine's limiter, without waiting for one; the engine's own sends are not
counted twice."""

from __future__ import annotations

import asyncio

import pytest
from aiogram.methods import SendMessage

from bot.pacing import MAX_OWED, OutboundLimiter
from storage.broadcasts import TextPayload
from storage.db import Database
from tests.support.people import Harness, Person
from tests.test_broadcast_ui import enrol


def fake_clock() -> tuple[list[float], OutboundLimiter]:
    now = [100.0]

    async def sleep(seconds: float) -> None:
        now[0] += seconds
        await asyncio.sleep(0)

    return now, OutboundLimiter(10, 0, clock=lambda: now[0], sleep=sleep)


async def test_a_reply_takes_the_engines_next_slot_without_waiting() -> None:
    now, limiter = fake_clock()
    first = await limiter.acquire(1)  # the engine sends: the next slot is 0.1 s later
    limiter.spend()  # a reply meanwhile, sent at once
    limiter.spend()
    assert now[0] == first  # spending never waits
    assert await limiter.acquire(2) == pytest.approx(first + 0.3)  # two slots went to replies


async def test_replies_owe_at_most_a_second_of_slots() -> None:
    _, limiter = fake_clock()
    for _ in range(100):  # ten seconds' worth of replies at 10/s
        limiter.spend()
    assert await limiter.acquire(1) == pytest.approx(100.0 + MAX_OWED)


async def test_the_bots_replies_are_counted_and_its_broadcast_sends_are_not(
    harness: Harness, db: Database
) -> None:
    engine = harness.engine
    assert engine is not None
    limiter = engine.limiter
    spent: list[str] = []
    spend = limiter.spend

    def counting() -> None:
        spent.append("reply")
        spend()

    limiter.spend = counting  # type: ignore[method-assign]
    student = Person(harness, 1001, "Аня")
    before = len(harness.session.requests)
    await student.send("/start")
    sends = [r for r in harness.session.requests[before:] if isinstance(r, SendMessage)]
    assert sends and len(spent) == len(sends)  # every reply counted, once

    await enrol(db, None, [5000, 5001, 5002])
    spent.clear()
    broadcast_id, _ = await engine.broadcast(0, "three", TextPayload("Собрание"), [5000, 5001])
    final = await asyncio.wait_for(engine.wait(broadcast_id), 10)
    assert final is not None and final.status == "done"
    assert spent == []  # the engine's own sends already took their slots
