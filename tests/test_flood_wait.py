"""Telegram's flood control (429 retry_after) on replies a person waits for, and on bulk sends.

The bot is built as in production (`build_bot`), over a session that answers as Telegram does."""

from __future__ import annotations

import pytest
from aiogram.exceptions import TelegramRetryAfter

from app.config import Settings
from app.factory import build_bot
from tests.support.faulty_session import FaultySession
from ui.flood_wait import MAX_WAIT, bulk_sending


async def test_a_reply_refused_with_429_waits_and_arrives(settings: Settings) -> None:
    session = FaultySession(script={7: ["429:1", "429:1"]})
    bot = build_bot(settings, session)
    sent = await bot.send_message(7, "Привет")

    assert sent.chat.id == 7
    assert session.outcomes(7) == ["429:1", "429:1", "ok"]
    waits = [b.at - a.at for a, b in zip(session.calls, session.calls[1:], strict=False)]
    assert all(wait >= 1.0 - 0.01 for wait in waits)  # retry_after, each time


async def test_a_long_flood_ban_is_not_waited_out(settings: Settings) -> None:
    session = FaultySession(script={7: [f"429:{MAX_WAIT + 1}"]})
    bot = build_bot(settings, session)
    with pytest.raises(TelegramRetryAfter):
        await bot.send_message(7, "Привет")
    assert session.outcomes(7) == [f"429:{MAX_WAIT + 1}"]


async def test_a_persistent_429_gives_up_after_three_tries(settings: Settings) -> None:
    session = FaultySession(script={7: ["429:1"] * 5})
    bot = build_bot(settings, session)
    with pytest.raises(TelegramRetryAfter):
        await bot.send_message(7, "Привет")
    assert len(session.outcomes(7)) == 3


async def test_bulk_senders_see_the_429_themselves(settings: Settings) -> None:
    session = FaultySession(script={7: ["429:1"]})
    bot = build_bot(settings, session)
    with bulk_sending(), pytest.raises(TelegramRetryAfter) as refused:
        await bot.send_message(7, "Рассылка")
    assert refused.value.retry_after == 1
    assert session.outcomes(7) == ["429:1"]  # no wait, no second try: the engine paces
    await bot.send_message(7, "Ответ")  # outside: back to waiting it out
    assert session.outcomes(7) == ["429:1", "ok"]
