"""The teacher's tools: /requests, /class, /setlink, /setchat, /qr."""

from __future__ import annotations

from math import ceil

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    User,
)
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.access import Access, AccessControl
from bot.approvals import Approvals
from bot.i18n import Text
from bot.teacher_tools import (
    CLASS_BUTTONS_MAX,
    REQUESTS_PER_PAGE,
    Purpose,
    classes_of,
    requests_scope,
    roster_messages,
)
from storage.join_requests import JoinRequestsRepo
from storage.schools import SchoolClass, SchoolsRepo
from storage.students import StudentRecord, StudentsRepo
from ui.callbacks import ClassPickCb, RequestsPageCb
from ui.cards import card_text, decision_keyboard
from ui.class_links import ALLOWED_HOSTS, ClassLinks, LinkKind, LinkProblem, check_link
from ui.notifier import send_qr

_KIND_OF = {Purpose.INVITE: LinkKind.INVITE, Purpose.CHAT: LinkKind.CHAT}


def _state_key(kind: LinkKind) -> str:
    """Where a link waits (in the FSM data) while the teacher picks one of several classes."""
    return f"tt_link_{kind.value}"


def _pick_keyboard(classes: list[SchoolClass], purpose: Purpose) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for klass in classes[:CLASS_BUTTONS_MAX]:
        builder.button(
            text=f"{klass.name} — {klass.school_name}",
            callback_data=ClassPickCb(purpose=purpose, class_id=klass.id).pack(),
        )
    builder.adjust(2)
    return builder.as_markup()


async def _one_or_ask(
    message: Message, t: Text, classes: list[SchoolClass], purpose: Purpose
) -> SchoolClass | None:
    """The only class, or None after asking which one (or refusing when there is none)."""
    if not classes:
        await message.answer(t("tt-not-staff"))
        return None
    if len(classes) == 1:
        return classes[0]
    text = t("tt-pick-class")
    if len(classes) > CLASS_BUTTONS_MAX:
        text += "\n" + t("tt-too-many-classes", count=CLASS_BUTTONS_MAX)
    await message.answer(text, reply_markup=_pick_keyboard(classes, purpose))
    return None


def _names(t: Text, students: list[StudentRecord]) -> str:
    return ", ".join(s.full_name or t("tt-roster-no-name") for s in students)


# --- /requests -----------------------------------------------------------------------------


async def _send_requests(
    bot: Bot,
    chat_id: int,
    t: Text,
    access: Access,
    page: int,
    schools: SchoolsRepo,
    requests: JoinRequestsRepo,
    approvals: Approvals,
) -> None:
    classes = await classes_of(access, schools)
    if not classes and not access.super_admin:
        await bot.send_message(chat_id, t("tt-not-staff"))
        return
    scope = requests_scope(access, classes)
    page = max(0, page)
    found, total = await requests.pending_page(scope, page * REQUESTS_PER_PAGE, REQUESTS_PER_PAGE)
    pages = max(1, ceil(total / REQUESTS_PER_PAGE))
    if not found and total:  # a page button of a longer, older list
        page = pages - 1
        found, total = await requests.pending_page(
            scope, page * REQUESTS_PER_PAGE, REQUESTS_PER_PAGE
        )
        pages = max(1, ceil(total / REQUESTS_PER_PAGE))
    if not found:
        await bot.send_message(chat_id, t("tt-requests-none"))
        return
    for request in found:
        card = await approvals.card(request.id)
        if card is not None:  # decided with the same buttons as the notification
            await bot.send_message(
                chat_id, card_text(t, card), reply_markup=decision_keyboard(t, request.id)
            )
    nav: list[InlineKeyboardButton] = []
    if page > 0:
        nav.append(
            InlineKeyboardButton(
                text=t("btn-prev-page"), callback_data=RequestsPageCb(page=page - 1).pack()
            )
        )
    if page < pages - 1:
        nav.append(
            InlineKeyboardButton(
                text=t("btn-next-page"), callback_data=RequestsPageCb(page=page + 1).pack()
            )
        )
    await bot.send_message(
        chat_id,
        t("tt-requests-page", count=total, page=page + 1, pages=pages),
        reply_markup=InlineKeyboardMarkup(inline_keyboard=[nav]) if nav else None,
    )


async def on_requests(
    message: Message,
    bot: Bot,
    t: Text,
    access_control: AccessControl,
    schools: SchoolsRepo,
    requests: JoinRequestsRepo,
    approvals: Approvals,
) -> None:
    access = await access_control.of(message.chat.id)
    await _send_requests(bot, message.chat.id, t, access, 0, schools, requests, approvals)


async def on_requests_page(
    query: CallbackQuery,
    callback_data: RequestsPageCb,
    bot: Bot,
    t: Text,
    access_control: AccessControl,
    schools: SchoolsRepo,
    requests: JoinRequestsRepo,
    approvals: Approvals,
) -> None:
    await query.answer()
    if isinstance(query.message, Message):  # the next page comes as new messages
        await query.message.edit_reply_markup(reply_markup=None)
    access = await access_control.of(query.from_user.id)
    await _send_requests(
        bot, query.from_user.id, t, access, callback_data.page, schools, requests, approvals
    )


# --- /class --------------------------------------------------------------------------------


async def _send_roster(
    bot: Bot, chat_id: int, t: Text, klass: SchoolClass, students: StudentsRepo
) -> None:
    for text in roster_messages(t, klass, await students.of_class(klass.id)):
        await bot.send_message(chat_id, text)


async def on_class(
    message: Message,
    bot: Bot,
    t: Text,
    access_control: AccessControl,
    schools: SchoolsRepo,
    students: StudentsRepo,
) -> None:
    classes = await classes_of(await access_control.of(message.chat.id), schools)
    klass = await _one_or_ask(message, t, classes, Purpose.ROSTER)
    if klass is not None:
        await _send_roster(bot, message.chat.id, t, klass, students)


# --- /setlink, /setchat --------------------------------------------------------------------


async def _apply_link(
    bot: Bot,
    sender: User,
    t: Text,
    klass: SchoolClass,
    kind: LinkKind,
    link: str,
    links: ClassLinks,
) -> None:
    chat_id = sender.id
    klass = await links.store(klass, kind, link)
    delivery = await links.deliver(bot, klass, kind, sender.id, sender.full_name)
    saved = "tt-invite-saved" if kind is LinkKind.INVITE else "tt-chat-saved"
    lines = [t(saved, count=len(delivery.delivered), **{"class": klass.name})]
    if delivery.failed:
        lines.append(t("tt-link-undelivered", names=_names(t, delivery.failed)))
    if kind is LinkKind.INVITE and delivery.delivered and not klass.chat_link:
        lines.append(
            t("tt-add-to-chat", names=_names(t, delivery.delivered), **{"class": klass.name})
        )
    await bot.send_message(chat_id, "\n\n".join(lines))


async def _on_set(
    kind: LinkKind,
    message: Message,
    command: CommandObject,
    bot: Bot,
    t: Text,
    state: FSMContext,
    access_control: AccessControl,
    schools: SchoolsRepo,
    links: ClassLinks,
) -> None:
    classes = await classes_of(await access_control.of(message.chat.id), schools)
    if not classes:
        await message.answer(t("tt-not-staff"))
        return
    if not (command.args or "").strip():
        await message.answer(
            t("tt-setlink-usage" if kind is LinkKind.INVITE else "tt-setchat-usage")
        )
        return
    link = check_link(command.args or "")
    if isinstance(link, LinkProblem):
        await message.answer(t("tt-link-bad", reason=link.value, hosts=", ".join(ALLOWED_HOSTS)))
        return
    purpose = Purpose.INVITE if kind is LinkKind.INVITE else Purpose.CHAT
    if len(classes) > 1:
        await state.update_data({_state_key(kind): link})
    klass = await _one_or_ask(message, t, classes, purpose)
    if klass is not None and message.from_user is not None:
        await _apply_link(bot, message.from_user, t, klass, kind, link, links)


async def on_set_link(
    message: Message,
    command: CommandObject,
    bot: Bot,
    t: Text,
    state: FSMContext,
    access_control: AccessControl,
    schools: SchoolsRepo,
    class_links: ClassLinks,
) -> None:
    """/setlink and /setchat: the same steps for the class invite link and the chat link."""
    kind = LinkKind.INVITE if command.command == "setlink" else LinkKind.CHAT
    await _on_set(kind, message, command, bot, t, state, access_control, schools, class_links)


# --- /qr -----------------------------------------------------------------------------------


async def _send_qr_codes(bot: Bot, chat_id: int, t: Text, klass: SchoolClass) -> None:
    me = await bot.me()
    poster = f"https://t.me/{me.username}?start=c_{klass.code}"
    await send_qr(
        bot,
        chat_id,
        poster,
        t("tt-qr-poster", link=poster, school=klass.school_name, **{"class": klass.name}),
    )
    if klass.invite_link:
        caption = t("tt-qr-invite", link=klass.invite_link, **{"class": klass.name})
        await send_qr(bot, chat_id, klass.invite_link, caption)
    else:
        await bot.send_message(chat_id, t("tt-qr-no-invite"))


async def on_qr(
    message: Message, bot: Bot, t: Text, access_control: AccessControl, schools: SchoolsRepo
) -> None:
    classes = await classes_of(await access_control.of(message.chat.id), schools)
    klass = await _one_or_ask(message, t, classes, Purpose.QR)
    if klass is not None:
        await _send_qr_codes(bot, message.chat.id, t, klass)


# --- "which class?" ------------------------------------------------------------------------


async def on_class_pick(
    query: CallbackQuery,
    callback_data: ClassPickCb,
    bot: Bot,
    t: Text,
    state: FSMContext,
    access_control: AccessControl,
    schools: SchoolsRepo,
    students: StudentsRepo,
    class_links: ClassLinks,
) -> None:
    klass = await schools.get_class(callback_data.class_id)
    # The class id comes from the button: checked against the presser's rights, never trusted.
    if klass is None or not (await access_control.of(query.from_user.id)).may_decide(klass):
        await query.answer(t("tt-class-forbidden"), show_alert=True)
        return
    chat_id = query.from_user.id
    purpose = callback_data.purpose
    if purpose is Purpose.ROSTER:
        await query.answer()
        await _send_roster(bot, chat_id, t, klass, students)
    elif purpose is Purpose.QR:
        await query.answer()
        await _send_qr_codes(bot, chat_id, t, klass)
    else:
        kind = _KIND_OF[purpose]
        data = await state.get_data()
        stored = data.pop(_state_key(kind), None)
        link = check_link(stored) if isinstance(stored, str) else LinkProblem.EMPTY
        if isinstance(link, LinkProblem):
            await query.answer(t("tt-link-expired"), show_alert=True)
            return
        await state.set_data(data)
        await query.answer()
        if isinstance(query.message, Message):  # one link, one class
            await query.message.edit_reply_markup(reply_markup=None)
        await _apply_link(bot, query.from_user, t, klass, kind, link, class_links)


def make_router() -> Router:
    """A fresh router (a router joins one dispatcher only; tests build several)."""
    router = Router(name=__name__)
    router.message.register(on_requests, Command("requests"))
    router.message.register(on_class, Command("class"))
    router.message.register(on_set_link, Command("setlink", "setchat"))
    router.message.register(on_qr, Command("qr"))
    router.callback_query.register(on_class_pick, ClassPickCb.filter())
    router.callback_query.register(on_requests_page, RequestsPageCb.filter())
    return router
