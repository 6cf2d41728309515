"""Answering a button press by replacing the pressed message."""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message


async def replace_pressed(
    query: CallbackQuery, bot: Bot, text: str, markup: InlineKeyboardMarkup | None = None
) -> int:
    """Shows `text` in place of the pressed message, so its old buttons can't be pressed again
    (a new message when the pressed one is too old to edit); returns the shown message's id."""
    if isinstance(query.message, Message):
        shown = await query.message.edit_text(text, reply_markup=markup)
        return shown.message_id if isinstance(shown, Message) else query.message.message_id
    return (await bot.send_message(query.from_user.id, text, reply_markup=markup)).message_id
