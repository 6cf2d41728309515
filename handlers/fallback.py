"""Last in line: whatever no other handler took gets a short hint, and the step is shown again."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.i18n import Text
from bot.onboarding import Onboarding
from bot.wizard import TEXT_MAX, Step
from handlers.replies import load_progress, show_step
from storage.users import User


def _hint_for(message: Message) -> str:
    if message.text is None:
        return "hint-not-text"  # stickers, photos, voice, files, locations...
    if message.text.startswith("/"):
        return "hint-unknown-command"
    if len(message.text) > TEXT_MAX:
        return "hint-too-long"
    return "hint-press-button"


async def on_unexpected_message(
    message: Message,
    state: FSMContext,
    raw_state: str | None,
    bot: Bot,
    user: User,
    t: Text,
    onboarding: Onboarding,
) -> None:
    progress = await load_progress(state, raw_state)
    if progress is None:
        await message.answer(t("hint-start"))
        return
    if progress.step is Step.DONE:
        await message.answer(t("hint-done"))
        return
    await show_step(bot, message.chat.id, t, onboarding, user, progress, [(_hint_for(message), {})])


async def on_unknown_button(
    query: CallbackQuery,
    state: FSMContext,
    raw_state: str | None,
    bot: Bot,
    user: User,
    t: Text,
    onboarding: Onboarding,
) -> None:
    """Callback data we cannot parse: a forged button or one from an older version of the bot."""
    await query.answer(t("hint-unknown-button"))
    progress = await load_progress(state, raw_state)
    if progress is None:
        await bot.send_message(query.from_user.id, t("hint-start"))
        return
    await show_step(bot, query.from_user.id, t, onboarding, user, progress)


def make_router() -> Router:
    """A fresh router (a router joins one dispatcher only; tests build several)."""
    router = Router(name=__name__)
    router.message.register(on_unexpected_message)
    router.callback_query.register(on_unknown_button)
    return router
