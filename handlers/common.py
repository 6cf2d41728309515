"""Commands available at every moment: /start /help /status /restart /cancel /lang /epos /forget."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.callbacks import ForgetCb, LangCb
from bot.config import LOCALES, Settings
from bot.i18n import Catalog, Text
from bot.onboarding import Onboarding
from bot.screens import summary_text
from bot.wizard import Device
from handlers.replies import load_progress, save_progress, show_step
from storage.users import User


async def on_start(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    raw_state: str | None,
    bot: Bot,
    user: User,
    t: Text,
    onboarding: Onboarding,
) -> None:
    current = await load_progress(state, raw_state)
    outcome = await onboarding.start(user, current, command.args)
    await save_progress(state, current, outcome.progress)
    await show_step(bot, message.chat.id, t, onboarding, user, outcome.progress, outcome.notices)


async def on_restart(
    message: Message, state: FSMContext, bot: Bot, user: User, t: Text, onboarding: Onboarding
) -> None:
    progress = await onboarding.restart(user)
    await state.clear()
    await save_progress(state, None, progress)
    await show_step(bot, message.chat.id, t, onboarding, user, progress, [("restart-done", {})])


async def on_cancel(
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
        await message.answer(t("cancel-nothing"))
        return
    await show_step(bot, message.chat.id, t, onboarding, user, progress, [("cancel-done", {})])


async def on_status(
    message: Message,
    state: FSMContext,
    raw_state: str | None,
    user: User,
    t: Text,
    onboarding: Onboarding,
) -> None:
    progress = await load_progress(state, raw_state)
    if progress is None:
        await message.answer(t("status-none"))
        return
    view = await onboarding.summary(user, progress)
    await message.answer(summary_text(t, view, finished=False))


async def on_help(
    message: Message,
    state: FSMContext,
    raw_state: str | None,
    user: User,
    t: Text,
    onboarding: Onboarding,
    settings: Settings,
) -> None:
    parts = [t("help-general")]
    progress = await load_progress(state, raw_state)
    if progress is not None:
        device = progress.device.value if progress.device else Device.PHONE.value
        parts += [
            t("help-current-step", step=t(f"step-name-{progress.step.value}")),
            t(f"help-{progress.step.value}", device=device),
        ]
        view = await onboarding.summary(user, progress)
        if view.klass:
            parts.append(
                t("help-class-info", school=view.klass.school_name, **{"class": view.klass.name})
            )
    if settings.support_contact:
        parts.append(t("help-support"))
    await message.answer("\n\n".join(parts))


async def on_epos(message: Message, state: FSMContext, raw_state: str | None, t: Text) -> None:
    progress = await load_progress(state, raw_state)
    device = progress.device.value if progress and progress.device else Device.PHONE.value
    await message.answer(f"{t('epos-info')}\n\n{t('step-epos', device=device)}")


async def on_lang(message: Message, t: Text) -> None:
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=t(f"lang-name-{code}"), callback_data=LangCb(locale=code).pack()
                )
                for code in LOCALES
            ]
        ]
    )
    await message.answer(t("lang-choose"), reply_markup=keyboard)


async def on_lang_chosen(
    query: CallbackQuery,
    callback_data: LangCb,
    state: FSMContext,
    raw_state: str | None,
    bot: Bot,
    user: User,
    onboarding: Onboarding,
    catalog: Catalog,
) -> None:
    await onboarding.users.set_locale(user.id, callback_data.locale)
    t = catalog.bind(callback_data.locale)
    await query.answer(t("lang-set"))
    progress = await load_progress(state, raw_state)
    if progress is None:
        await bot.send_message(query.from_user.id, f"{t('lang-set')}\n\n{t('hint-start')}")
        return
    await show_step(bot, query.from_user.id, t, onboarding, user, progress, header=t("lang-set"))


async def on_forget(message: Message, t: Text) -> None:
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=t("btn-forget-yes"), callback_data=ForgetCb(confirm=True).pack()
                )
            ],
            [
                InlineKeyboardButton(
                    text=t("btn-forget-no"), callback_data=ForgetCb(confirm=False).pack()
                )
            ],
        ]
    )
    await message.answer(t("forget-confirm"), reply_markup=keyboard)


async def on_forget_confirmed(
    query: CallbackQuery, state: FSMContext, user: User, t: Text, onboarding: Onboarding
) -> None:
    await state.clear()
    await onboarding.forget(user.id)
    await query.answer()
    await _close_prompt(query, t("forget-done"))


async def on_forget_declined(query: CallbackQuery, t: Text) -> None:
    await query.answer()
    await _close_prompt(query, t("forget-kept"))


async def _close_prompt(query: CallbackQuery, text: str) -> None:
    """Replace a confirmation prompt by its outcome, so its buttons cannot be pressed again."""
    if isinstance(query.message, Message):
        await query.message.edit_text(text)
    else:
        await query.bot.send_message(query.from_user.id, text)  # type: ignore[union-attr]


def make_router() -> Router:
    """A fresh router (a router joins one dispatcher only; tests build several)."""
    router = Router(name=__name__)
    router.message.register(on_start, CommandStart())
    router.message.register(on_restart, Command("restart"))
    router.message.register(on_cancel, Command("cancel"))
    router.message.register(on_status, Command("status"))
    router.message.register(on_help, Command("help"))
    router.message.register(on_epos, Command("epos"))
    router.message.register(on_lang, Command("lang"))
    router.callback_query.register(on_lang_chosen, LangCb.filter())
    router.message.register(on_forget, Command("forget"))
    router.callback_query.register(on_forget_confirmed, ForgetCb.filter(F.confirm))
    router.callback_query.register(on_forget_declined, ForgetCb.filter(~F.confirm))
    return router
