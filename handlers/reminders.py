"""/reminders switches reminders on or off; /epos_done stops the monthly e-journal reminder."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.i18n import Text
from bot.reminders import Reminders
from storage.db import utcnow
from storage.users import User
from ui.callbacks import RemindersCb
from ui.replies import replace_pressed


def _keyboard(t: Text, off: bool) -> InlineKeyboardMarkup:
    label = t("rem-btn-on") if off else t("rem-btn-off")
    data = RemindersCb(off=not off).pack()
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=label, callback_data=data)]]
    )


def _status(t: Text, off: bool) -> str:
    return t("rem-now-off") if off else t("rem-now-on")


async def on_reminders(message: Message, t: Text, user: User, reminders: Reminders) -> None:
    """Toggles: a single command switches them off, the same command on again."""
    off = not await reminders.repo.is_off(user.id)
    await reminders.repo.set_off(user.id, off)
    await message.answer(_status(t, off), reply_markup=_keyboard(t, off))


async def on_reminders_button(
    query: CallbackQuery,
    callback_data: RemindersCb,
    bot: Bot,
    t: Text,
    user: User,
    reminders: Reminders,
) -> None:
    off = callback_data.off
    await reminders.repo.set_off(user.id, off)
    await query.answer(_status(t, off))
    await replace_pressed(query, bot, _status(t, off), _keyboard(t, off))  # a double tap: kept


async def on_epos_done(message: Message, t: Text, user: User, reminders: Reminders) -> None:
    linked = await reminders.repo.set_epos_linked(user.id, utcnow())
    await message.answer(t("rem-epos-done") if linked else t("rem-epos-no-record"))


def make_router() -> Router:
    router = Router(name=__name__)
    router.message.register(on_reminders, Command("reminders"))
    router.message.register(on_epos_done, Command("epos_done"))
    router.callback_query.register(on_reminders_button, RemindersCb.filter())
    return router
