"""/broadcast: an admin picks an audience, sends any message, sees a preview and the recipient
count, confirms; a progress message is edited live (sent / failed / blocked / total, rate, ETA,
a cancel button) and ends as the final report.

Rights are checked on every step and every press from the database (bot/broadcast_audience.py);
the buttons only name what was pressed. The delivery itself is the DeliveryEngine's (`delivery`).

Live progress: one background task per broadcast started here polls the engine every
PROGRESS_INTERVAL seconds and edits the message until the broadcast is done or cancelled. It
keeps nothing in the database: after a restart the broadcast resumes, its progress message is
not updated any more. If the message can't be edited, live updates stop and the final report
is sent as a new message.
"""

from __future__ import annotations

import html

from aiogram import Bot, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.access import Access, AccessControl
from bot.broadcast_audience import (
    STUCK_STEPS,
    Audience,
    Kind,
    Menu,
    Resolved,
    is_admin,
    may_cancel,
    resolve,
)
from bot.delivery import DeliveryEngine
from bot.i18n import Html, Text
from bot.structure_admin import managed_schools
from storage.audiences import AudiencesRepo
from storage.broadcasts import CopyPayload, Counts
from storage.schools import SchoolsRepo
from ui import subflow
from ui.broadcast_progress import BroadcastProgress, progress_text, stop_markup
from ui.callbacks import BcAudienceCb, BcConfirmCb, BcMenuCb, BcStopCb
from ui.filters import IsCommand
from ui.middlewares import RequireAccess
from ui.replies import replace_pressed
from ui.states import BroadcastDraft

BUTTONS_MAX = 50

# The draft (its audience, then the message to copy) under its own key in the FSM data, with the
# state to return to (ui/subflow.py): the wizard's data of an admin who is also a student stays.
_DRAFT = "broadcast_draft"


def _button(text: str, data: str) -> list[InlineKeyboardButton]:
    # Telegram shows a label as is: the catalogue's HTML escaping is undone.
    return [InlineKeyboardButton(text=html.unescape(text), callback_data=data)]


def _label(t: Text, resolved: Resolved) -> Html:
    """The audience's name in the person's language."""
    a = resolved.audience
    match a.kind:
        case Kind.EVERYONE:
            return t.html("bc-audience-everyone")
        case Kind.TEACHERS:
            return t.html("bc-audience-teachers")
        case Kind.SCHOOL:
            return t.html("bc-audience-school", school=resolved.school)
        case Kind.CLASS:
            return t.html(
                "bc-audience-class", school=resolved.school, **{"class": resolved.class_name}
            )
        case Kind.STUCK:
            return t.html("bc-audience-stuck", step=t.html(f"step-name-{a.step}"))
        case _:
            return t.html("bc-audience-unfinished")


async def _enter(state: FSMContext, audience: Audience) -> None:
    await subflow.enter(
        state, BroadcastDraft.message, _DRAFT, {"audience": audience.to_data(), "message": None}
    )


async def _leave(state: FSMContext) -> None:
    await subflow.leave(state, _DRAFT)


# --- choosing the audience ---------------------------------------------------------------------


async def _root_menu(
    t: Text, access: Access, schools: SchoolsRepo
) -> tuple[str, InlineKeyboardMarkup]:
    rows: list[list[InlineKeyboardButton]] = []
    if access.super_admin:
        rows.append(_button(t("bc-btn-everyone"), BcAudienceCb(kind=Kind.EVERYONE).pack()))
    own = await managed_schools(access, schools)
    if len(own) == 1 and not access.super_admin:
        data = BcAudienceCb(kind=Kind.SCHOOL, target=own[0].id).pack()
        rows.append(_button(t("bc-btn-my-school", school=own[0].name), data))
        rows.append(
            _button(t("bc-btn-class"), BcMenuCb(menu=Menu.CLASSES, target=own[0].id).pack())
        )
    else:
        rows.append(_button(t("bc-btn-school"), BcMenuCb(menu=Menu.SCHOOLS).pack()))
        rows.append(_button(t("bc-btn-class"), BcMenuCb(menu=Menu.CLASS_SCHOOLS).pack()))
    if access.super_admin:
        rows.append(_button(t("bc-btn-teachers"), BcAudienceCb(kind=Kind.TEACHERS).pack()))
    rows.append(_button(t("bc-btn-stuck"), BcMenuCb(menu=Menu.STEPS).pack()))
    rows.append(_button(t("bc-btn-unfinished"), BcAudienceCb(kind=Kind.UNFINISHED).pack()))
    return t("bc-choose-audience"), InlineKeyboardMarkup(inline_keyboard=rows)


async def on_broadcast(message: Message, t: Text, access: Access, schools: SchoolsRepo) -> None:
    text, markup = await _root_menu(t, access, schools)
    await message.answer(text, reply_markup=markup)


async def on_menu(
    query: CallbackQuery,
    callback_data: BcMenuCb,
    bot: Bot,
    t: Text,
    access: Access,
    schools: SchoolsRepo,
) -> None:
    back = _button(t("bc-btn-back"), BcMenuCb(menu=Menu.ROOT).pack())
    menu = callback_data.menu
    if menu is Menu.ROOT:
        text, markup = await _root_menu(t, access, schools)
        await query.answer()
        await replace_pressed(query, bot, text, markup)
        return
    if menu in (Menu.SCHOOLS, Menu.CLASS_SCHOOLS):
        choices = (await managed_schools(access, schools))[:BUTTONS_MAX]
        if not choices:
            await query.answer(t("bc-no-schools"), show_alert=True)
            return
        rows = [
            _button(
                s.name,
                BcAudienceCb(kind=Kind.SCHOOL, target=s.id).pack()
                if menu is Menu.SCHOOLS
                else BcMenuCb(menu=Menu.CLASSES, target=s.id).pack(),
            )
            for s in choices
        ]
        key = "bc-pick-school" if menu is Menu.SCHOOLS else "bc-pick-class-school"
        await query.answer()
        await replace_pressed(
            query, bot, t(key), InlineKeyboardMarkup(inline_keyboard=[*rows, back])
        )
        return
    if menu is Menu.CLASSES:
        school = await schools.get(callback_data.target)
        if school is None or not access.admin_of(school.id):
            await query.answer(t("bc-forbidden"), show_alert=True)
            return
        classes = (await schools.classes(school.id))[:BUTTONS_MAX]
        if not classes:
            await query.answer(t("bc-no-classes"), show_alert=True)
            return
        rows = [_button(k.name, BcAudienceCb(kind=Kind.CLASS, target=k.id).pack()) for k in classes]
        await query.answer()
        await replace_pressed(
            query,
            bot,
            t("bc-pick-class", school=school.name),
            InlineKeyboardMarkup(inline_keyboard=[*rows, back]),
        )
        return
    rows = [
        _button(t(f"step-name-{s.value}"), BcAudienceCb(kind=Kind.STUCK, step=s.value).pack())
        for s in STUCK_STEPS
    ]
    await query.answer()
    await replace_pressed(
        query, bot, t("bc-pick-step"), InlineKeyboardMarkup(inline_keyboard=[*rows, back])
    )


async def on_audience(
    query: CallbackQuery,
    callback_data: BcAudienceCb,
    bot: Bot,
    t: Text,
    access: Access,
    schools: SchoolsRepo,
    audiences: AudiencesRepo,
    state: FSMContext,
) -> None:
    audience = Audience(callback_data.kind, callback_data.target, callback_data.step)
    resolved = await resolve(access, audience, schools, audiences)
    if resolved is None:
        await query.answer(t("bc-forbidden"), show_alert=True)
        return
    await query.answer()
    label = _label(t, resolved)
    if not resolved.chat_ids:
        await replace_pressed(query, bot, t("bc-empty", audience=label))
        return
    await _enter(state, audience)
    await replace_pressed(
        query, bot, t("bc-ask-message", audience=label, count=len(resolved.chat_ids))
    )


# --- the message, the preview, the confirmation ------------------------------------------------


def _confirm_markup(t: Text) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=t("bc-btn-confirm"), callback_data=BcConfirmCb(go=True).pack()
                ),
                InlineKeyboardButton(
                    text=t("bc-btn-cancel"), callback_data=BcConfirmCb(go=False).pack()
                ),
            ]
        ]
    )


async def _draft_audience(
    state: FSMContext, access: Access, schools: SchoolsRepo, audiences: AudiencesRepo
) -> Resolved | None:
    """The draft's audience, if it is still there and still within this person's rights."""
    audience = Audience.from_data((await subflow.payload(state, _DRAFT)).get("audience"))
    if audience is None:
        return None
    return await resolve(access, audience, schools, audiences)


async def on_draft_cancel(message: Message, t: Text, state: FSMContext) -> None:
    await _leave(state)
    await message.answer(t("bc-cancelled"))


async def on_draft_command(message: Message, t: Text) -> None:
    await message.answer(t("bc-hint-command"))


async def on_draft_message(
    message: Message,
    bot: Bot,
    t: Text,
    access_control: AccessControl,
    schools: SchoolsRepo,
    audiences: AudiencesRepo,
    state: FSMContext,
) -> None:
    """Any message (text, photo, document...): it is copied back as the preview."""
    access = await access_control.of(message.chat.id)
    resolved = await _draft_audience(state, access, schools, audiences)
    if resolved is None:  # rights gone, class removed...
        await _leave(state)
        await message.answer(t("bc-forbidden"))
        return
    try:
        await bot.copy_message(message.chat.id, message.chat.id, message.message_id)
    except TelegramBadRequest:  # a kind of message Telegram can't copy
        await message.answer(t("bc-cannot-copy"))
        return
    payload = CopyPayload(message.chat.id, message.message_id)
    await subflow.update(
        state,
        _DRAFT,
        {"message": {"from_chat_id": payload.from_chat_id, "message_id": payload.message_id}},
    )
    await message.answer(
        t("bc-preview", audience=_label(t, resolved), count=len(resolved.chat_ids)),
        reply_markup=_confirm_markup(t),
    )


async def on_confirm(
    query: CallbackQuery,
    callback_data: BcConfirmCb,
    bot: Bot,
    t: Text,
    access: Access,
    schools: SchoolsRepo,
    audiences: AudiencesRepo,
    delivery: DeliveryEngine,
    broadcast_progress: BroadcastProgress,
    state: FSMContext,
) -> None:
    raw = (await subflow.payload(state, _DRAFT)).get("message")
    if await state.get_state() != BroadcastDraft.message.state or not isinstance(raw, dict):
        await query.answer(t("bc-stale"), show_alert=True)  # already sent, cancelled, forged
        return
    if not callback_data.go:
        await _leave(state)
        await query.answer()
        await replace_pressed(query, bot, t("bc-cancelled"))
        return
    resolved = await _draft_audience(state, access, schools, audiences)
    if resolved is None:
        await _leave(state)
        await query.answer(t("bc-forbidden"), show_alert=True)
        return
    payload = CopyPayload(int(raw["from_chat_id"]), int(raw["message_id"]))
    if payload.from_chat_id != query.from_user.id:  # the draft belongs to this chat only
        await query.answer(t("bc-stale"), show_alert=True)
        return
    await _leave(state)  # before the send: a second press finds no draft
    broadcast_id, total = await delivery.broadcast(
        query.from_user.id, resolved.description, payload, resolved.chat_ids
    )
    await query.answer()
    label = _label(t, resolved)
    text = progress_text(t, label, Counts(pending=total), 0.0)
    message_id = await replace_pressed(query, bot, text, stop_markup(t, broadcast_id))
    broadcast_progress.follow(bot, delivery, t, label, query.from_user.id, message_id, broadcast_id)


# --- progress, cancel, the final report --------------------------------------------------------


async def on_stop(
    query: CallbackQuery,
    callback_data: BcStopCb,
    t: Text,
    access: Access,
    delivery: DeliveryEngine,
) -> None:
    broadcast = await delivery.repo.get(callback_data.broadcast_id)
    if broadcast is None or not may_cancel(access, broadcast.created_by):
        await query.answer(t("bc-forbidden"), show_alert=True)
        return
    if not await delivery.cancel(broadcast.id):
        await query.answer(t("bc-stop-finished"), show_alert=True)
        return
    await query.answer(t("bc-stop-done"))


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
