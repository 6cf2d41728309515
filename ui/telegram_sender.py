"""The delivery engine's Sender for Telegram: one message through aiogram's Bot, its errors
mapped onto the engine's failure kinds."""

from __future__ import annotations

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import BufferedInputFile

from bot.delivery import Rejected, RetryAfter, SendFailure, Transient, Unreachable
from bot.qr import qr_png
from storage.broadcasts import CopyPayload, Payload, QrPhotoPayload
from ui.flood_wait import bulk_sending


class TelegramSender:
    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send(self, chat_id: int, payload: Payload, *, paid: bool) -> int:
        try:
            with bulk_sending():  # a 429 reaches the engine, which pauses the whole sender
                return await self._send(chat_id, payload, paid)
        except TelegramRetryAfter as exc:
            raise RetryAfter(_reason(exc), exc.retry_after) from exc
        except TelegramAPIError as exc:
            raise _failure(exc) from exc

    async def _send(self, chat_id: int, payload: Payload, paid: bool) -> int:
        flag = True if paid else None  # omitted unless paid broadcasts are on
        if isinstance(payload, CopyPayload):
            copied = await self.bot.copy_message(
                chat_id=chat_id,
                from_chat_id=payload.from_chat_id,
                message_id=payload.message_id,
                allow_paid_broadcast=flag,
            )
            return copied.message_id
        if isinstance(payload, QrPhotoPayload):  # drawn now: the broadcast keeps the link only
            photo = await self.bot.send_photo(
                chat_id=chat_id,
                photo=BufferedInputFile(qr_png(payload.link), filename="qr.png"),
                caption=payload.caption,
                allow_paid_broadcast=flag,
            )
            return photo.message_id
        sent = await self.bot.send_message(
            chat_id=chat_id, text=payload.text, allow_paid_broadcast=flag
        )
        return sent.message_id


def _failure(exc: TelegramAPIError) -> SendFailure:
    reason = _reason(exc)
    if isinstance(exc, TelegramForbiddenError):
        return Unreachable(reason)
    if isinstance(exc, TelegramBadRequest):
        return Unreachable(reason) if "chat not found" in exc.message.lower() else Rejected(reason)
    if isinstance(exc, TelegramServerError | TelegramNetworkError):
        return Transient(reason)
    return Rejected(reason)


def _reason(exc: TelegramAPIError) -> str:
    return f"{type(exc).__name__}: {exc.message}"
