"""A router's gate (ui.filters.HandlersGate) only skips what none of its handlers would take:
for every router, every message and every state, when a handler's commands and states would
let a message through (checked by aiogram's own filters), the router's gate lets it through."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from aiogram import Bot
from aiogram.filters import Command, StateFilter
from aiogram.fsm.state import StatesGroup
from aiogram.types import Chat, Message, PhotoSize

import ui.states
from handlers import get_routers
from tests.support.session import RecordingSession
from ui.filters import HandlersGate

ROUTERS = get_routers()


def _gate(router_name: str) -> HandlersGate | None:
    router = next(r for r in ROUTERS if r.name == router_name)
    gates = [f.callback for f in router.message._handler.filters or ()]
    return next((g for g in gates if isinstance(g, HandlersGate)), None)


def _commands() -> set[str]:
    names: set[str] = set()
    for router in ROUTERS:
        for handler in router.message.handlers:
            for check in handler.filters or ():
                if isinstance(check.callback, Command):
                    names |= {c for c in check.callback.commands if isinstance(c, str)}
    return names


def _states() -> list[str | None]:
    groups = [
        g
        for g in vars(ui.states).values()
        if isinstance(g, type) and issubclass(g, StatesGroup) and g is not StatesGroup
    ]
    return [None, "Unknown:state", *(s for g in groups for s in g.__all_states_names__)]


def _texts() -> list[str]:
    texts = ["hello", "Анна Иванова", " ", "/", "/unknown", "  /help", "/START"]
    for name in sorted(_commands()):
        texts += [f"/{name}", f"/{name} i_token", f"/{name}@sferum_test_bot", f"/{name}@other"]
    return texts


def _message(text: str | None, caption: str | None = None) -> Message:
    return Message(
        message_id=1,
        date=datetime.now(UTC),
        chat=Chat(id=7, type="private"),
        text=text,
        caption=caption,
        photo=[PhotoSize(file_id="p", file_unique_id="p", width=1, height=1)] if caption else None,
    )


MESSAGES = [
    *(_message(text) for text in _texts()),
    _message(None),  # a sticker, a photo without a caption...
    _message(None, caption="/status"),  # aiogram's Command reads captions too
    _message(None, caption="a photo"),
]


async def _handler_may_take(
    checks: list[object], message: Message, bot: Bot, state: str | None
) -> bool:
    """What aiogram's own Command and StateFilter filters of one handler say."""
    for check in checks:
        if isinstance(check, Command) and not await check(message, bot):
            return False
        if isinstance(check, StateFilter) and not await check(message, raw_state=state):
            return False
    return True


@pytest.mark.parametrize("router", ROUTERS, ids=[r.name for r in ROUTERS])
async def test_a_gate_lets_through_whatever_a_handler_could_take(router: object) -> None:
    bot = Bot("42:TEST", session=RecordingSession())
    name = getattr(router, "name", "")
    gate = _gate(name)
    handlers = next(r for r in ROUTERS if r.name == name).message.handlers
    if gate is None:
        return  # no gate: every message is tried, as aiogram does
    for message in MESSAGES:
        for state in _states():
            takers = [
                h
                for h in handlers
                if await _handler_may_take(
                    [f.callback for f in h.filters or ()], message, bot, state
                )
            ]
            if takers:
                assert await gate(message, raw_state=state), (name, message.text, state)


def test_routers_whose_handlers_take_anything_get_no_gate() -> None:
    assert _gate("handlers.fallback") is None  # it answers whatever no router took
    assert _gate("handlers.common") is not None


async def test_a_gate_skips_what_no_handler_takes() -> None:
    common = _gate("handlers.common")
    assert common is not None
    assert await common(_message("/status"), raw_state=None)
    assert await common(_message("/status@sferum_test_bot"), raw_state=None)
    assert not await common(_message("/unknown"), raw_state=None)
    assert not await common(_message("Анна Иванова"), raw_state=None)
    student = _gate("handlers.student")
    assert student is not None
    assert await student(_message("Анна Иванова"), raw_state=ui.states.Wizard.name.state)
    assert not await student(_message("Анна Иванова"), raw_state=None)
