"""Commands available at every moment: /start /help /status /restart /cancel /lang /epos /forget."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import CallbackQuery, Message

from bot.i18n import Catalog
from bot.wizard import Device
from ui.callbacks import FaqCb, ForgetCb, LangCb
from ui.cards import Gone
from ui.command_screens import (
    faq_keyboard,
    faq_screen,
    forget_keyboard,
    help_text,
    language_keyboard,
)
from ui.conversation import Conversation
from ui.notifier import Notifier
from ui.replies import replace_pressed
from ui.screens import summary_text


async def on_start(
    message: Message, command: CommandObject, conversation: Conversation, notifier: Notifier
) -> None:
    current = await conversation.progress()
    outcome = await conversation.onboarding.start(conversation.user, current, command.args)
    progress = await conversation.apply(current, outcome)
    await conversation.show(progress, await notifier.settle(conversation.bot, outcome))


async def on_restart(message: Message, conversation: Conversation) -> None:
    await conversation.progress()  # the old step's keyboard is taken off when the new one shows
    progress = await conversation.onboarding.restart(conversation.user)
    await conversation.state.clear()
    await conversation.save(None, progress)
    await conversation.show(progress, [("restart-done", {})])


async def on_cancel(message: Message, conversation: Conversation) -> None:
    progress = await conversation.progress()
    if progress is None:
        await conversation.say("cancel-nothing")
    else:
        await conversation.show(progress, [("cancel-done", {})])


async def on_status(message: Message, conversation: Conversation) -> None:
    progress = await conversation.progress()
    if progress is None:
        await conversation.say("status-none")
        return
    view = await conversation.onboarding.summary(conversation.user, progress)
    await message.answer(summary_text(conversation.t, view, finished=False))


async def on_help(message: Message, conversation: Conversation) -> None:
    t = conversation.t
    progress = await conversation.progress()
    view = await conversation.onboarding.summary(conversation.user, progress) if progress else None
    await message.answer(help_text(t, view), reply_markup=faq_keyboard(t))


async def on_faq(query: CallbackQuery, callback_data: FaqCb, conversation: Conversation) -> None:
    await query.answer()
    await conversation.redraw(query.message, faq_screen(conversation.t, callback_data.topic))


async def on_epos(message: Message, conversation: Conversation) -> None:
    t = conversation.t
    progress = await conversation.progress()
    device = (progress.device if progress else None) or Device.PHONE
    await message.answer(f"{t('epos-info')}\n\n{t('step-epos', device=device.value)}")


async def on_lang(message: Message, conversation: Conversation) -> None:
    t = conversation.t
    await message.answer(t("lang-choose"), reply_markup=language_keyboard(t))


async def on_lang_chosen(
    query: CallbackQuery, callback_data: LangCb, conversation: Conversation, catalog: Catalog
) -> None:
    await conversation.onboarding.users.set_locale(conversation.user.id, callback_data.locale)
    t = conversation.t = catalog.bind(callback_data.locale)
    await query.answer(t("lang-set"))
    progress = await conversation.progress()
    if progress is None:
        await conversation.bot.send_message(
            conversation.chat_id, f"{t('lang-set')}\n\n{t('hint-start')}"
        )
    else:
        await conversation.show(progress, header=t("lang-set"))


async def on_forget(message: Message, conversation: Conversation) -> None:
    t = conversation.t
    await message.answer(t("forget-confirm"), reply_markup=forget_keyboard(t))


async def on_forget_confirmed(
    query: CallbackQuery, conversation: Conversation, notifier: Notifier
) -> None:
    await conversation.state.clear()  # first, so the FSM storage's cache forgets too
    withdrawn = await conversation.onboarding.forget(conversation.user.id)
    await query.answer()
    # Open cards lose their buttons and the child's name.
    await notifier.requests_withdrawn(conversation.bot, withdrawn, Gone.FORGOTTEN)
    await _close_prompt(query, conversation, "forget-done")


async def on_forget_declined(query: CallbackQuery, conversation: Conversation) -> None:
    await query.answer()
    await _close_prompt(query, conversation, "forget-kept")


async def _close_prompt(query: CallbackQuery, conversation: Conversation, key: str) -> None:
    """Replace a confirmation prompt by its outcome, so its buttons cannot be pressed again."""
    await replace_pressed(query, conversation.bot, conversation.t(key))


def make_router() -> Router:
    """A fresh router (a router joins one dispatcher only; tests build several)."""
    router = Router(name=__name__)
    router.message.register(on_start, CommandStart())
    router.message.register(on_restart, Command("restart"))
    router.message.register(on_cancel, Command("cancel"))
    router.message.register(on_status, Command("status"))
    router.message.register(on_help, Command("help"))
    router.callback_query.register(on_faq, FaqCb.filter())
    router.message.register(on_epos, Command("epos"))
    router.message.register(on_lang, Command("lang"))
    router.callback_query.register(on_lang_chosen, LangCb.filter())
    router.message.register(on_forget, Command("forget"))
    router.callback_query.register(on_forget_confirmed, ForgetCb.filter(F.confirm))
    router.callback_query.register(on_forget_declined, ForgetCb.filter(~F.confirm))
    return router
