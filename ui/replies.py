"""Editing a message the bot sent: the one place that knows what Telegram's edit errors mean."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

Say = Callable[[str], Awaitable[object]]  # shows a text: message.answer, or replacer(...)

# Telegram's words for a message that can no longer be edited: deleted, or too old.
_GONE = ("message to edit not found", "message can't be edited", "message_id_invalid")


async def edit_or_keep(
    bot: Bot,
    chat_id: int,
    message_id: int,
    text: str | None,
    markup: InlineKeyboardMarkup | None = None,
) -> bool:
    """Show `text` (None: keep the text, change only the buttons) and `markup` in the message.

    Editing a message to what it already shows (a double tap, a second copy of a decision) is
    refused by Telegram with "message is not modified": that is success here. False when the
    message can't be edited any more; any other refusal is a bug and is raised."""
    try:
        if text is None:
            await bot.edit_message_reply_markup(
                chat_id=chat_id, message_id=message_id, reply_markup=markup
            )
        else:
            await bot.edit_message_text(
                text, chat_id=chat_id, message_id=message_id, reply_markup=markup
            )
    except TelegramBadRequest as exc:
        reason = exc.message.lower()
        if "not modified" in reason:
            return True
        if any(gone in reason for gone in _GONE):
            return False
        raise
    return True


async def replace_pressed(
    query: CallbackQuery, bot: Bot, text: str, markup: InlineKeyboardMarkup | None = None
) -> int:
    """Shows `text` in place of the pressed message, so its old buttons can't be pressed again
    (a new message when the pressed one is too old to edit); returns the shown message's id."""
    pressed = query.message
    if isinstance(pressed, Message) and await edit_or_keep(
        bot, pressed.chat.id, pressed.message_id, text, markup
    ):
        return pressed.message_id
    return (await bot.send_message(query.from_user.id, text, reply_markup=markup)).message_id


def replacer(query: CallbackQuery, bot: Bot) -> Say:
    """replace_pressed as a one-argument function, for code that just says something."""

    async def say(text: str) -> int:
        return await replace_pressed(query, bot, text)

    return say
