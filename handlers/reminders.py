"""/reminders switches reminders on or off; /epos_done stops the monthly e-journal reminder."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message

from bot.i18n import Text
from bot.reminders import Reminders
from storage.users import User
from ui.callbacks import RemindersCb
from ui.command_screens import reminders_keyboard, reminders_status
from ui.replies import replace_pressed


async def on_reminders(message: Message, t: Text, user: User, reminders: Reminders) -> None:
    """Toggles: a single command switches them off, the same command on again."""
    off = await reminders.toggle(user.id)
    await message.answer(reminders_status(t, off), reply_markup=reminders_keyboard(t, off))


async def on_reminders_button(
    query: CallbackQuery,
    callback_data: RemindersCb,
    bot: Bot,
    t: Text,
    user: User,
    reminders: Reminders,
) -> None:
    off = callback_data.off
    await reminders.switch(user.id, off)
    await query.answer(reminders_status(t, off))
    # A double tap: the pressed message already says it, and is kept.
    await replace_pressed(query, bot, reminders_status(t, off), reminders_keyboard(t, off))


async def on_epos_done(message: Message, t: Text, user: User, reminders: Reminders) -> None:
    linked = await reminders.epos_linked(user.id)
    await message.answer(t("rem-epos-done") if linked else t("rem-epos-no-record"))


def make_router() -> Router:
    router = Router(name=__name__)
    router.message.register(on_reminders, Command("reminders"))
    router.message.register(on_epos_done, Command("epos_done"))
    router.callback_query.register(on_reminders_button, RemindersCb.filter())
    return router
