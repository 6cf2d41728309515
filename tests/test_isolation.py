"""Two fast presses of one user are still handled one after the other, different users at once,
and no user's lock outlives their updates (aiogram's own isolation kept one per user forever)."""

from __future__ import annotations

import asyncio
import itertools
from datetime import UTC, datetime

from aiogram import Bot, Dispatcher
from aiogram.fsm.storage.base import StorageKey
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.types import Chat, Message, Update, User

from tests.support.people import Harness, Person
from tests.support.session import RecordingSession
from ui.isolation import PerUserIsolation

_ids = itertools.count(1)


def _text_from(user_id: int, text: str) -> Update:
    return Update(
        update_id=next(_ids),
        message=Message(
            message_id=next(_ids),
            date=datetime.now(UTC),
            chat=Chat(id=user_id, type="private"),
            from_user=User(id=user_id, is_bot=False, first_name="Аня"),
            text=text,
        ),
    )


class Gate:
    """A handler that records when it starts and ends, and ends only when let go."""

    def __init__(self) -> None:
        self.log: list[str] = []
        self.started = asyncio.Event()
        self.go = asyncio.Event()

    async def handle(self, message: Message) -> None:
        self.log.append(f"start {message.text}")
        self.started.set()
        await self.go.wait()
        self.log.append(f"end {message.text}")


def _dispatcher(isolation: PerUserIsolation, gate: Gate) -> Dispatcher:
    dp = Dispatcher(storage=MemoryStorage(), events_isolation=isolation)
    dp.message.register(gate.handle)
    return dp


async def _two_from_one_user(
    isolation: PerUserIsolation, gate: Gate
) -> tuple[asyncio.Future[object], asyncio.Future[object]]:
    """User 7's "a" being handled (held at the gate), and their "b" arriving meanwhile."""
    dp, bot = _dispatcher(isolation, gate), Bot("42:TEST", session=RecordingSession())
    first = asyncio.ensure_future(dp.feed_update(bot, _text_from(7, "a")))
    await asyncio.wait_for(gate.started.wait(), 10)
    return first, asyncio.ensure_future(dp.feed_update(bot, _text_from(7, "b")))


async def test_one_users_updates_wait_for_each_other() -> None:
    isolation, gate = PerUserIsolation(), Gate()
    first, second = await _two_from_one_user(isolation, gate)
    for _ in range(20):  # the second update runs as far as it can: up to the user's lock
        await asyncio.sleep(0)
    assert gate.log == ["start a"]
    assert isolation.held == 1  # one lock, held by the first and waited for by the second
    gate.go.set()
    await asyncio.wait_for(asyncio.gather(first, second), 10)
    assert gate.log == ["start a", "end a", "start b", "end b"]
    assert isolation.held == 0


async def test_different_users_are_handled_at_once() -> None:
    isolation, gate = PerUserIsolation(), Gate()
    dp, bot = _dispatcher(isolation, gate), Bot("42:TEST", session=RecordingSession())
    tasks = [asyncio.ensure_future(dp.feed_update(bot, _text_from(u, str(u)))) for u in (1, 2)]
    for _ in range(20):
        await asyncio.sleep(0)
    assert sorted(gate.log) == ["start 1", "start 2"]
    assert isolation.held == 2
    gate.go.set()
    await asyncio.wait_for(asyncio.gather(*tasks), 10)
    assert isolation.held == 0


async def test_no_lock_is_kept_for_users_seen_once() -> None:
    isolation = PerUserIsolation()
    for user_id in range(100_000):
        async with isolation.lock(StorageKey(bot_id=42, chat_id=user_id, user_id=user_id)):
            pass
    assert isolation.held == 0


async def test_a_failing_update_frees_its_lock() -> None:
    isolation = PerUserIsolation()
    key = StorageKey(bot_id=42, chat_id=7, user_id=7)
    try:
        async with isolation.lock(key):
            raise ValueError
    except ValueError:
        pass
    assert isolation.held == 0
    async with asyncio.timeout(10), isolation.lock(key):  # and the user is not locked out
        assert isolation.held == 1


async def test_closing_at_shutdown_leaves_the_updates_in_flight_alone() -> None:
    """aiogram closes the isolation when polling stops; the app then drains what is in flight."""
    isolation, gate = PerUserIsolation(), Gate()
    first, second = await _two_from_one_user(isolation, gate)
    await isolation.close()
    gate.go.set()
    await asyncio.wait_for(asyncio.gather(first, second), 10)  # neither fails
    assert gate.log == ["start a", "end a", "start b", "end b"]
    assert isolation.held == 0


async def test_the_bot_uses_it_and_keeps_nothing_after_the_wizard(harness: Harness) -> None:
    isolation = harness.dp.fsm.events_isolation
    assert isinstance(isolation, PerUserIsolation)
    for user_id in range(1001, 1021):
        student = Person(harness, user_id, "Аня")
        await student.send("/start")
        assert "Здравствуйте" in student.last_text
    assert isolation.held == 0
