"""Last in line: whatever no other handler took gets a short hint, and the step is shown again."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import StateFilter
from aiogram.types import CallbackQuery, Message

from bot.i18n import Text
from bot.wizard import TEXT_MAX, TYPED_STEPS, Step
from ui.conversation import Conversation
from ui.filters import IsCommand
from ui.states import ClassAdmin, RejectReason


def _hint_for(message: Message, step: Step) -> str:
    if message.text is None:  # stickers, photos, voice, files, locations...
        return "hint-type-text" if step in TYPED_STEPS else "hint-not-text"
    if message.text.startswith("/"):
        return "hint-unknown-command"
    if len(message.text) > TEXT_MAX:
        return "hint-too-long"
    return "hint-press-button"


async def on_command_while_typing(message: Message, t: Text, raw_state: str | None) -> None:
    """A command no router took while staff type one answer (a class name, a rejection reason):
    a reminder of what is awaited, not a wizard hint; the state stays, /cancel still leaves."""
    if raw_state == RejectReason.text.state:
        await message.answer(t("reject-reason-expected"))
    else:
        await message.answer(t("adm-name-expected"))


async def on_unexpected_message(message: Message, conversation: Conversation) -> None:
    progress = await conversation.progress()
    if progress is None:
        await conversation.say("hint-start")
    elif progress.step is Step.DONE:
        await conversation.say("hint-done")
    else:
        await conversation.show(progress, [(_hint_for(message, progress.step), {})])


async def on_unknown_button(query: CallbackQuery, conversation: Conversation) -> None:
    """Callback data no handler took: a button of an older version of the bot, or a forged one
    (unknown prefix, a number out of its range...). Answered as any outdated button is."""
    await query.answer(conversation.t("hint-outdated-button"))
    progress = await conversation.progress()
    if progress is None:
        await conversation.say("hint-start")
    else:
        await conversation.show(progress)


async def on_edited_message(message: Message, conversation: Conversation) -> None:
    await conversation.say("hint-edited")


def make_router() -> Router:
    """A fresh router (a router joins one dispatcher only; tests build several)."""
    router = Router(name=__name__)
    router.message.register(
        on_command_while_typing, StateFilter(ClassAdmin, RejectReason.text), IsCommand()
    )
    router.message.register(on_unexpected_message)
    router.edited_message.register(on_edited_message)
    router.callback_query.register(on_unknown_button)
    return router
