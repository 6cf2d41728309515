"""A Bot API session that answers like Telegram without a network, and records every call."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, cast

from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError, TelegramServerError
from aiogram.methods import (
    CopyMessage,
    EditMessageReplyMarkup,
    EditMessageText,
    GetMe,
    SendDocument,
    SendMessage,
    SendPhoto,
    TelegramMethod,
)
from aiogram.methods.base import TelegramType
from aiogram.types import (
    Chat,
    Document,
    InlineKeyboardMarkup,
    Message,
    MessageId,
    PhotoSize,
    User,
)

BOT_ID = 42


@dataclass
class SentMessage:
    """What one chat shows: the latest text (or caption) and buttons of a message."""

    chat_id: int
    message_id: int
    text: str
    keyboard: InlineKeyboardMarkup | None
    photo: bytes | None = None
    edits: int = 0
    document: bytes | None = None  # a file sent as a document (its name: `filename`)
    filename: str | None = None


class OfflineSession(BaseSession):
    """A session with no network to close and nothing to download: the bot downloads nothing."""

    async def close(self) -> None:
        pass

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:
        raise NotImplementedError  # the bot downloads nothing
        yield b""  # pragma: no cover


@dataclass
class RecordingSession(OfflineSession):
    requests: list[TelegramMethod[Any]] = field(default_factory=list)
    chats: dict[int, list[SentMessage]] = field(default_factory=dict)
    record: bool = True  # benchmarks switch recording off to measure the bot, not the list
    # Sends to these chats fail as Telegram fails them: blocked the bot (403), or a passing
    # server error (500).
    blocked: set[int] = field(default_factory=set)
    server_errors: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        super().__init__()
        self._ids = itertools.count(1)
        self._requested = asyncio.Event()

    async def until(self, condition: Callable[[], bool]) -> None:
        """Waits until `condition()` holds, checked again after every request the bot makes."""
        while not condition():
            self._requested.clear()
            await self._requested.wait()

    async def make_request(
        self, bot: Bot, method: TelegramMethod[TelegramType], timeout: int | None = None
    ) -> TelegramType:
        self._requested.set()
        if self.record:
            self.requests.append(method)
        chat_id = getattr(method, "chat_id", None)
        if chat_id in self.blocked:
            raise TelegramForbiddenError(method, "Forbidden: bot was blocked by the user")
        if chat_id in self.server_errors:
            raise TelegramServerError(method, "Internal Server Error")
        return cast(TelegramType, self._answer(method))

    def _answer(self, method: TelegramMethod[Any]) -> Any:
        if isinstance(method, SendMessage):
            return self._new_message(int(method.chat_id), method.text, method.reply_markup)
        if isinstance(method, SendPhoto):
            photo = getattr(method.photo, "data", None)
            return self._new_message(
                int(method.chat_id), method.caption or "", method.reply_markup, photo=photo
            )
        if isinstance(method, SendDocument):
            return self._document(method)
        if isinstance(method, EditMessageText | EditMessageReplyMarkup):
            return self._edit(method)
        if isinstance(method, CopyMessage):
            return MessageId(message_id=next(self._ids))
        if isinstance(method, GetMe):
            return User(id=BOT_ID, is_bot=True, first_name="Sferum bot", username="sferum_test_bot")
        return True

    def _new_message(
        self, chat_id: int, text: str, markup: Any, photo: bytes | None = None
    ) -> Message:
        keyboard = markup if isinstance(markup, InlineKeyboardMarkup) else None
        message_id = next(self._ids)
        if self.record:
            self.chats.setdefault(chat_id, []).append(
                SentMessage(chat_id, message_id, text, keyboard, photo)
            )
        return Message(
            message_id=message_id,
            date=datetime.now(UTC),
            chat=Chat(id=chat_id, type="private"),
            text=text if photo is None else None,
            caption=text if photo is not None else None,
            photo=[PhotoSize(file_id="qr", file_unique_id="qr", width=1, height=1)]
            if photo is not None
            else None,
            reply_markup=keyboard,
        )

    def _document(self, method: SendDocument) -> Message:
        data, name = (
            getattr(method.document, "data", None),
            getattr(method.document, "filename", None),
        )
        message_id = next(self._ids)
        if self.record:
            sent = SentMessage(int(method.chat_id), message_id, method.caption or "", None)
            sent.document, sent.filename = data, name
            self.chats.setdefault(int(method.chat_id), []).append(sent)
        return Message(
            message_id=message_id,
            date=datetime.now(UTC),
            chat=Chat(id=int(method.chat_id), type="private"),
            caption=method.caption,
            document=Document(file_id="doc", file_unique_id="doc", file_name=name),
        )

    def _edit(self, method: EditMessageText | EditMessageReplyMarkup) -> Message | bool:
        chat_id = int(method.chat_id or 0)
        for sent in reversed(self.chats.get(chat_id, [])):
            if sent.message_id == method.message_id:
                markup = method.reply_markup
                keyboard = markup if isinstance(markup, InlineKeyboardMarkup) else None
                text = str(method.text) if isinstance(method, EditMessageText) else sent.text
                if text == sent.text and keyboard == sent.keyboard:
                    # Telegram refuses an edit that changes nothing.
                    raise TelegramBadRequest(
                        method,
                        "Bad Request: message is not modified: specified new message content"
                        " and reply markup are exactly the same as a current content and reply"
                        " markup of the message",
                    )
                sent.text = text
                sent.keyboard = keyboard
                sent.edits += 1
                return Message(
                    message_id=sent.message_id,
                    date=datetime.now(UTC),
                    chat=Chat(id=chat_id, type="private"),
                    text=sent.text,
                    reply_markup=sent.keyboard,
                )
        return True
