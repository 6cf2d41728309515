"""The student's wizard: button presses and typed answers at each step."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.callbacks import WizardCb
from bot.filters import TypedAnswer
from bot.i18n import Text
from bot.onboarding import Onboarding
from bot.states import Wizard
from bot.wizard import TEXT_MAX, Action, accepts
from handlers.replies import (
    edit_screen,
    load_progress,
    save_progress,
    send_screen,
    show_step,
    step_screen,
)
from storage.users import User


async def on_wizard_button(
    query: CallbackQuery,
    callback_data: WizardCb,
    state: FSMContext,
    raw_state: str | None,
    bot: Bot,
    user: User,
    t: Text,
    onboarding: Onboarding,
) -> None:
    progress = await load_progress(state, raw_state)
    chat_id = query.from_user.id
    if progress is None:
        await query.answer(t("hint-outdated-button"))
        await bot.send_message(chat_id, t("hint-start"))
        return
    if callback_data.step is not progress.step or not accepts(progress.step, callback_data.action):
        # A button of an earlier step, or a forged one: nothing changes, the step is shown again.
        await query.answer(t("hint-outdated-button"))
        await show_step(bot, chat_id, t, onboarding, user, progress)
        return

    outcome = await onboarding.press(user, progress, callback_data.action, callback_data.value)
    await save_progress(state, progress, outcome.progress)
    await query.answer()
    if not outcome.in_place:
        await show_step(
            bot, chat_id, t, onboarding, outcome.user, outcome.progress, outcome.notices
        )
        return
    # Help, "what is that?" and paging redraw the pressed message; the step stays.
    screen = await step_screen(
        t,
        onboarding,
        outcome.user,
        outcome.progress,
        help_open=callback_data.action in (Action.HELP, Action.WHAT),
    )
    message = query.message
    if isinstance(message, Message) and await edit_screen(message, screen):
        return
    await send_screen(bot, chat_id, screen)  # too old to edit: send it anew


async def on_typed_answer(
    message: Message,
    state: FSMContext,
    raw_state: str | None,
    bot: Bot,
    user: User,
    t: Text,
    onboarding: Onboarding,
) -> None:
    progress = await load_progress(state, raw_state)
    assert progress is not None  # the state filter guarantees a wizard step
    text = message.text or ""
    if len(text) > TEXT_MAX:
        await show_step(
            bot, message.chat.id, t, onboarding, user, progress, [("hint-too-long", {})]
        )
        return
    outcome = await onboarding.type_text(user, progress, text)
    await save_progress(state, progress, outcome.progress)
    await show_step(
        bot, message.chat.id, t, onboarding, outcome.user, outcome.progress, outcome.notices
    )


def make_router() -> Router:
    """A fresh router (a router joins one dispatcher only; tests build several)."""
    router = Router(name=__name__)
    router.callback_query.register(on_wizard_button, WizardCb.filter())
    # Steps that take typed text; everywhere else text gets a hint from the fallback router.
    router.message.register(
        on_typed_answer,
        StateFilter(Wizard.school, Wizard.class_, Wizard.name),
        TypedAnswer(),
    )
    return router
