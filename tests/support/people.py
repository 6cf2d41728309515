"""People who talk to the bot through aiogram's real dispatcher, as a test would describe them:
"send this text", "press the button labelled X", "read the last reply"."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.methods import AnswerCallbackQuery
from aiogram.types import (
    CallbackQuery,
    Chat,
    Message,
    PhotoSize,
    Sticker,
    Update,
    User,
    Voice,
)

from app.config import Settings
from app.factory import build_bot, build_dispatcher, start_delivery
from bot.delivery import DeliveryEngine
from storage.db import Database
from tests.support.session import RecordingSession, SentMessage

_update_ids = itertools.count(1)
_incoming_ids = itertools.count(1_000_000)
_callback_ids = itertools.count(1)


@dataclass
class Harness:
    """One running bot: a dispatcher and a bot whose session records every Bot API call."""

    dp: Dispatcher
    bot: Bot
    session: RecordingSession
    engine: DeliveryEngine | None = None  # the one `start` started (a test may swap dp's)
    database: Database | None = None  # the connection the bot uses (`start`'s)

    @classmethod
    async def start(
        cls, settings: Settings, database: Database, session: RecordingSession | None = None
    ) -> Harness:
        """A bot as the app starts it: its delivery engine running (bulk sends such as a class's
        link go out through it, and wait for it) and the progress messages of broadcasts a
        restart interrupted followed again. `stop` it before the database closes."""
        session = RecordingSession() if session is None else session
        dp, bot = build_dispatcher(settings, database), build_bot(settings, session)
        engine: DeliveryEngine = dp["delivery"]
        await start_delivery(bot, engine, dp["broadcast_progress"])
        return cls(dp, bot, session, engine, database)

    async def stop(self) -> None:
        await self.dp["broadcast_progress"].stop()
        if self.engine is not None:
            await self.engine.stop()

    async def crash(self) -> None:
        """Stops as a killed process does: nothing in flight is finished or recorded."""
        await self.dp["broadcast_progress"].stop()
        if self.engine is not None:
            await self.engine.stop(timeout=0)

    async def feed(self, **event: Any) -> None:
        await self.dp.feed_update(self.bot, Update(update_id=next(_update_ids), **event))


class NoSuchButtonError(AssertionError):
    pass


class Person:
    def __init__(
        self, harness: Harness, user_id: int, first_name: str = "Аня", language: str = "ru"
    ) -> None:
        self.harness = harness
        self.user = User(id=user_id, is_bot=False, first_name=first_name, language_code=language)
        self.chat = Chat(id=user_id, type="private")
        self.last_callback_answer: AnswerCallbackQuery | None = None

    # --- what the person sees -----------------------------------------------------------

    @property
    def messages(self) -> list[SentMessage]:
        return self.harness.session.chats.get(self.user.id, [])

    @property
    def last(self) -> SentMessage:
        assert self.messages, "the bot has not written to this person"
        return self.messages[-1]

    @property
    def last_text(self) -> str:
        return self.last.text

    def buttons(self, message: SentMessage | None = None) -> list[str]:
        message = message or self.last
        if message.keyboard is None:
            return []
        return [b.text for row in message.keyboard.inline_keyboard for b in row]

    def sent_since(self, count: int) -> list[SentMessage]:
        return self.messages[count:]

    # --- what the person does -----------------------------------------------------------

    async def send(self, text: str) -> None:
        await self._message(text=text)

    async def send_sticker(self) -> None:
        sticker = Sticker(
            file_id="s",
            file_unique_id="s",
            type="regular",
            width=1,
            height=1,
            is_animated=False,
            is_video=False,
        )
        await self._message(sticker=sticker)

    async def send_photo(self) -> None:
        await self._message(photo=[PhotoSize(file_id="p", file_unique_id="p", width=1, height=1)])

    async def send_voice(self) -> None:
        await self._message(voice=Voice(file_id="v", file_unique_id="v", duration=1))

    async def press(self, label: str, *, in_message: SentMessage | None = None) -> None:
        """Press the button labelled `label` (exactly) in the newest message that has it."""
        candidates = [in_message] if in_message else reversed(self.messages)
        for message in candidates:
            for row in message.keyboard.inline_keyboard if message.keyboard else []:
                for button in row:
                    if button.text == label:
                        assert button.callback_data is not None
                        await self.press_data(button.callback_data, message)
                        return
        raise NoSuchButtonError(f"no button {label!r}; last buttons: {self.buttons()}")

    async def press_data(self, data: str, message: SentMessage | None = None) -> None:
        """Send a callback query with arbitrary data (forged buttons included)."""
        message = message or self.last
        query_id = str(next(_callback_ids))
        before = len(self.harness.session.requests)
        await self.harness.feed(
            callback_query=CallbackQuery(
                id=query_id,
                from_user=self.user,
                chat_instance="ci",
                data=data,
                message=Message(
                    message_id=message.message_id,
                    date=datetime.now(UTC),
                    chat=self.chat,
                    text=message.text,
                    reply_markup=message.keyboard,
                ),
            )
        )
        answers = [
            r
            for r in self.harness.session.requests[before:]
            if isinstance(r, AnswerCallbackQuery) and r.callback_query_id == query_id
        ]
        # Telegram keeps the button spinning until the query is answered: exactly once, always.
        assert len(answers) == 1, f"callback answered {len(answers)} times"
        self.last_callback_answer = answers[0]

    async def _message(self, **content: Any) -> None:
        await self.harness.feed(
            message=Message(
                message_id=next(_incoming_ids),
                date=datetime.now(UTC),
                chat=self.chat,
                from_user=self.user,
                **content,
            )
        )
