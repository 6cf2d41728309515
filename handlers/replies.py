"""Sending a step's screen: shared by every router that shows the wizard."""

from __future__ import annotations

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, Message

from bot.i18n import Text
from bot.onboarding import Notice, Onboarding
from bot.qr import qr_png
from bot.screens import Screen, render, render_help
from bot.states import STATE_OF, step_of
from bot.wizard import Progress
from storage.users import User


async def load_progress(state: FSMContext, raw_state: str | None) -> Progress | None:
    """The student's place in the wizard, or None if they are not in it."""
    step = step_of(raw_state)
    if step is None:
        return None
    return Progress.from_data(step, await state.get_data())


async def save_progress(state: FSMContext, before: Progress | None, after: Progress) -> None:
    """Write only what changed: most presses change the step or the data, seldom both."""
    if before is None or before.step is not after.step:
        await state.set_state(STATE_OF[after.step])
    data = after.to_data()
    if data != (before.to_data() if before else {}):
        await state.set_data(data)


def with_notices(t: Text, notices: list[Notice], text: str) -> str:
    if not notices:
        return text
    return "\n\n".join([*(t(key, **args) for key, args in notices), text])


async def send_screen(bot: Bot, chat_id: int, screen: Screen, header: str = "") -> None:
    for image in screen.qr:
        await bot.send_photo(
            chat_id,
            BufferedInputFile(qr_png(image.url), filename="qr.png"),
            caption=image.caption,
        )
    text = f"{header}\n\n{screen.text}" if header else screen.text
    await bot.send_message(chat_id, text, reply_markup=screen.keyboard)


async def edit_screen(message: Message, screen: Screen) -> bool:
    """Redraw a message in place; False if Telegram no longer lets us (too old, deleted)."""
    try:
        await message.edit_text(screen.text, reply_markup=screen.keyboard)
    except TelegramBadRequest as exc:
        # Pressing a button that redraws the same content is not an error worth a new message.
        return "not modified" in exc.message
    return True


async def show_step(
    bot: Bot,
    chat_id: int,
    t: Text,
    onboarding: Onboarding,
    user: User,
    progress: Progress,
    notices: list[Notice] | None = None,
    *,
    header: str = "",
) -> None:
    """Send the current step as a new message, after any notices."""
    screen = await step_screen(t, onboarding, user, progress)
    await send_screen(bot, chat_id, screen, with_notices(t, notices or [], header).strip())


async def step_screen(
    t: Text, onboarding: Onboarding, user: User, progress: Progress, *, help_open: bool = False
) -> Screen:
    """The current step's screen, or its help page."""
    view = await onboarding.view(user, progress)
    return render_help(t, view) if help_open else render(t, view)
