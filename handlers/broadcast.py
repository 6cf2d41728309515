"""/broadcast: an admin picks an audience, sends any message, sees a preview and the recipient
count, confirms; a progress message is edited live (sent / failed / blocked / total, rate, ETA,
a cancel button) and ends as the final report.

The router lets only admins in (RequireAccess); which audience a press may reach is the service's
check (bot/broadcasts.py), on every step, from the database — the buttons only name what was
pressed. The audience is counted for the pick and the preview and listed once, at the
confirmation, right before the delivery engine gets it. Screens are ui/broadcast_screens.py's;
the live progress is ui/broadcast_progress.py's.
"""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.access import Access
from bot.broadcast_audience import Audience, is_admin
from bot.broadcasts import Broadcasts, Refusal
from bot.i18n import Text
from storage.broadcast_reports import Watch
from storage.broadcasts import CopyPayload
from ui import broadcast_screens as screens
from ui import subflow
from ui.broadcast_progress import BroadcastProgress
from ui.callbacks import BcAudienceCb, BcConfirmCb, BcMenuCb, BcStopCb
from ui.filters import IsCommand
from ui.middlewares import RequireAccess
from ui.replies import replace_pressed
from ui.states import BroadcastDraft

# The draft (its audience, then the message to copy) under its own key in the FSM data, with the
# state to return to (ui/subflow.py): the wizard's data of an admin who is also a student stays.
_DRAFT = "broadcast_draft"


async def _audience(state: FSMContext) -> Audience | None:
    return Audience.from_data((await subflow.payload(state, _DRAFT)).get("audience"))


async def _take_draft(
    state: FSMContext, chat_id: int
) -> tuple[CopyPayload, Audience | None] | None:
    """The draft waiting for its confirmation in this chat, taken (the side conversation is left:
    a second press finds no draft); None if there is none."""
    raw = (await subflow.payload(state, _DRAFT)).get("message")
    if await state.get_state() != BroadcastDraft.message.state or not isinstance(raw, dict):
        return None  # already sent, cancelled, forged
    payload = CopyPayload(int(raw["from_chat_id"]), int(raw["message_id"]))
    if payload.from_chat_id != chat_id:  # the draft belongs to this chat only
        return None
    audience = await _audience(state)
    await subflow.leave(state, _DRAFT)
    return payload, audience


# --- choosing the audience ---------------------------------------------------------------------


async def on_broadcast(message: Message, t: Text, access: Access, broadcasts: Broadcasts) -> None:
    text, markup = screens.menu(t, await broadcasts.root(access))
    await message.answer(text, reply_markup=markup)


async def on_menu(
    query: CallbackQuery,
    callback_data: BcMenuCb,
    bot: Bot,
    t: Text,
    access: Access,
    broadcasts: Broadcasts,
) -> None:
    view = await broadcasts.menu(access, callback_data.menu, callback_data.target)
    if isinstance(view, Refusal):
        await query.answer(t(screens.REFUSAL_KEY[view]), show_alert=True)
        return
    await query.answer()
    await replace_pressed(query, bot, *screens.menu(t, view))


async def on_audience(
    query: CallbackQuery,
    callback_data: BcAudienceCb,
    bot: Bot,
    t: Text,
    access: Access,
    broadcasts: Broadcasts,
    state: FSMContext,
) -> None:
    audience = Audience(callback_data.kind, callback_data.target, callback_data.step)
    preview = await broadcasts.preview(access, audience)  # checked, then counted
    if preview is None:
        await query.answer(t("bc-forbidden"), show_alert=True)
        return
    await query.answer()
    if preview.count:
        draft = {"audience": audience.to_data(), "message": None}
        await subflow.enter(state, BroadcastDraft.message, _DRAFT, draft)
    await replace_pressed(query, bot, screens.audience_chosen(t, preview))


# --- the message, the preview, the confirmation ------------------------------------------------


async def on_draft_cancel(message: Message, t: Text, state: FSMContext) -> None:
    await subflow.leave(state, _DRAFT)
    await message.answer(t("bc-cancelled"))


async def on_draft_command(message: Message, t: Text) -> None:
    await message.answer(t("bc-hint-command"))


async def on_draft_message(
    message: Message, bot: Bot, t: Text, access: Access, broadcasts: Broadcasts, state: FSMContext
) -> None:
    """Any message (text, photo, document...): it is copied back as the preview."""
    preview = await broadcasts.preview(access, await _audience(state))  # checked, then counted
    if preview is None:  # rights gone, class removed...
        await subflow.leave(state, _DRAFT)
        await message.answer(t("bc-forbidden"))
        return
    try:
        await bot.copy_message(message.chat.id, message.chat.id, message.message_id)
    except TelegramBadRequest:  # a kind of message Telegram can't copy
        await message.answer(t("bc-cannot-copy"))
        return
    draft = {"from_chat_id": message.chat.id, "message_id": message.message_id}
    await subflow.update(state, _DRAFT, {"message": draft})
    text, markup = screens.confirmation(t, preview)
    await message.answer(text, reply_markup=markup)


async def on_confirm(
    query: CallbackQuery,
    callback_data: BcConfirmCb,
    bot: Bot,
    t: Text,
    access: Access,
    broadcasts: Broadcasts,
    broadcast_progress: BroadcastProgress,
    state: FSMContext,
) -> None:
    draft = await _take_draft(state, query.from_user.id)  # taken before the send
    if draft is None:
        await query.answer(t("bc-stale"), show_alert=True)
        return
    payload, audience = draft
    if not callback_data.go:
        await query.answer()
        await replace_pressed(query, bot, t("bc-cancelled"))
        return
    started = await broadcasts.start(access, audience, payload)  # checked, listed, handed over
    if started is None:
        await query.answer(t("bc-forbidden"), show_alert=True)
        return
    await query.answer()
    message_id = await replace_pressed(query, bot, *screens.started(t, started))
    label = screens.label(t, started.target)
    watch = Watch(started.broadcast_id, query.from_user.id, message_id, t.locale, label)
    await broadcast_progress.follow(bot, watch)


# --- progress, cancel, the final report --------------------------------------------------------


async def on_stop(
    query: CallbackQuery, callback_data: BcStopCb, t: Text, access: Access, broadcasts: Broadcasts
) -> None:
    key, alert = screens.STOP_ANSWER[await broadcasts.stop(access, callback_data.broadcast_id)]
    await query.answer(t(key), show_alert=alert)


def make_router() -> Router:
    """A fresh router (a router joins one dispatcher only; tests build several)."""
    router = Router(name=__name__)
    # Every step of a broadcast is for admins only; the typed draft below is not flagged, so an
    # admin whose role went meanwhile can still /cancel it.
    admins_only = RequireAccess(is_admin, "bc-only-admins")
    router.message.middleware(admins_only)
    router.callback_query.middleware(admins_only)
    flags = {"requires_access": True}
    router.message.register(on_broadcast, Command("broadcast"), flags=flags)
    router.callback_query.register(on_menu, BcMenuCb.filter(), flags=flags)
    router.callback_query.register(on_audience, BcAudienceCb.filter(), flags=flags)
    router.callback_query.register(on_confirm, BcConfirmCb.filter(), flags=flags)
    router.callback_query.register(on_stop, BcStopCb.filter(), flags=flags)
    # The message to broadcast: /cancel leaves, another command gets a hint, anything else is it.
    router.message.register(on_draft_cancel, StateFilter(BroadcastDraft), Command("cancel"))
    router.message.register(on_draft_command, StateFilter(BroadcastDraft), IsCommand())
    router.message.register(on_draft_message, StateFilter(BroadcastDraft))
    return router
