"""The student's wizard: button presses and typed answers at each step."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import StateFilter
from aiogram.types import CallbackQuery, Message

from bot.wizard import TEXT_MAX, Action, accepts
from ui.callbacks import WizardCb
from ui.conversation import Conversation
from ui.filters import TypedAnswer
from ui.notifier import Notifier
from ui.states import Wizard


async def on_wizard_button(
    query: CallbackQuery, callback_data: WizardCb, conversation: Conversation, notifier: Notifier
) -> None:
    t = conversation.t
    progress = await conversation.progress()
    if progress is None:
        await query.answer(t("hint-outdated-button"))
        await conversation.say("hint-start")
        return
    if callback_data.step is not progress.step or not accepts(progress.step, callback_data.action):
        # A button of an earlier step, or a forged one: nothing changes, the step is shown again.
        await query.answer(t("hint-outdated-button"))
        await conversation.show(progress)
        return

    action, value, username = callback_data.action, callback_data.value, query.from_user.username
    outcome = await conversation.onboarding.press(
        conversation.user, progress, action, value, username=username
    )
    progress = await conversation.apply(progress, outcome)
    await query.answer()
    if outcome.in_place:
        # Help, "what is that?" and paging redraw the pressed message; the step stays.
        screen = await conversation.screen(progress, help_open=action in (Action.HELP, Action.WHAT))
        await conversation.redraw(query.message, screen)
    else:
        # The request goes out first: the student is told who really received it.
        await conversation.show(progress, await notifier.settle(conversation.bot, outcome))


async def on_typed_answer(message: Message, conversation: Conversation, notifier: Notifier) -> None:
    progress = await conversation.progress()
    assert progress is not None  # the state filter guarantees a wizard step
    text = message.text or ""
    if len(text) > TEXT_MAX:
        await conversation.show(progress, [("hint-too-long", {})])
        return
    outcome = await conversation.onboarding.type_text(conversation.user, progress, text)
    progress = await conversation.apply(progress, outcome)
    await conversation.show(progress, await notifier.settle(conversation.bot, outcome))


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
