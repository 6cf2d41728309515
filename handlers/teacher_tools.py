"""The teacher's tools: /requests, /class, /setlink, /setchat, /qr.

Every tool is for staff (a teacher, a school admin, a super admin): the router's one guard
(RequireAccess) refuses anyone else and hands the handlers the presser's `access`. Which
classes a person may see or change is the services' check (bot/teacher_tools.py)."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, User

from bot.access import Access
from bot.class_links import LinkKind, LinkProblem, check_link
from bot.i18n import Text
from bot.teacher_tools import Purpose, TeacherTools
from storage.schools import SchoolClass
from ui.callbacks import ClassPickCb, RequestsPageCb
from ui.class_links import (
    LinkPublisher,
    class_question,
    link_problem_text,
    link_report,
    requests_screens,
    send_qr_codes,
)
from ui.middlewares import RequireAccess
from ui.roster_screens import roster_messages

_KIND_OF = {Purpose.INVITE: LinkKind.INVITE, Purpose.CHAT: LinkKind.CHAT}
_PURPOSE_OF = {kind: purpose for purpose, kind in _KIND_OF.items()}


def _state_key(kind: LinkKind) -> str:
    """Where a link waits (in the FSM data) while the teacher picks one of several classes."""
    return f"tt_link_{kind.value}"


async def _one_or_ask(
    message: Message, t: Text, classes: list[SchoolClass], purpose: Purpose
) -> SchoolClass | None:
    """The only class, or None after asking which one (or refusing when there is none)."""
    if not classes:
        await message.answer(t("tt-not-staff"))
        return None
    if len(classes) == 1:
        return classes[0]
    text, markup = class_question(t, classes, purpose)
    await message.answer(text, reply_markup=markup)
    return None


# --- /requests -----------------------------------------------------------------------------


async def _send_requests(
    bot: Bot, chat_id: int, t: Text, access: Access, page: int, tools: TeacherTools
) -> None:
    found = await tools.requests_page(access, page)
    for text, markup in requests_screens(t, found):  # the cards are decided as notifications
        await bot.send_message(chat_id, text, reply_markup=markup)


async def on_requests(
    message: Message, bot: Bot, t: Text, access: Access, teacher_tools: TeacherTools
) -> None:
    await _send_requests(bot, message.chat.id, t, access, 0, teacher_tools)


async def on_requests_page(
    query: CallbackQuery,
    callback_data: RequestsPageCb,
    bot: Bot,
    t: Text,
    access: Access,
    teacher_tools: TeacherTools,
) -> None:
    await query.answer()
    if isinstance(query.message, Message):  # the next page comes as new messages
        await query.message.edit_reply_markup(reply_markup=None)
    page = callback_data.page
    await _send_requests(bot, query.from_user.id, t, access, page, teacher_tools)


# --- /class --------------------------------------------------------------------------------


async def _send_roster(
    bot: Bot, chat_id: int, t: Text, klass: SchoolClass, tools: TeacherTools
) -> None:
    for text in roster_messages(t, klass, await tools.roster(klass)):
        await bot.send_message(chat_id, text)


async def on_class(
    message: Message, bot: Bot, t: Text, access: Access, teacher_tools: TeacherTools
) -> None:
    classes = await teacher_tools.classes(access)
    klass = await _one_or_ask(message, t, classes, Purpose.ROSTER)
    if klass is not None:
        await _send_roster(bot, message.chat.id, t, klass, teacher_tools)


# --- /setlink, /setchat --------------------------------------------------------------------


async def _publish(
    bot: Bot,
    sender: User,
    t: Text,
    klass: SchoolClass,
    kind: LinkKind,
    link: str,
    publisher: LinkPublisher,
) -> None:
    published = await publisher.publish(bot, klass, kind, link, sender.id, sender.full_name)
    await bot.send_message(sender.id, link_report(t, published))


async def on_set_link(
    message: Message,
    command: CommandObject,
    bot: Bot,
    t: Text,
    state: FSMContext,
    access: Access,
    teacher_tools: TeacherTools,
    class_links: LinkPublisher,
) -> None:
    """/setlink and /setchat: the same steps for the class invite link and the chat link."""
    kind = LinkKind.INVITE if command.command == "setlink" else LinkKind.CHAT
    classes = await teacher_tools.classes(access)
    link = check_link(command.args or "")
    if not classes:
        await message.answer(t("tt-not-staff"))
    elif isinstance(link, LinkProblem):
        await message.answer(link_problem_text(t, kind, link))
    else:
        if len(classes) > 1:  # kept for the button of the class picked
            await state.update_data({_state_key(kind): link})
        klass = await _one_or_ask(message, t, classes, _PURPOSE_OF[kind])
        if klass is not None and message.from_user is not None:
            await _publish(bot, message.from_user, t, klass, kind, link, class_links)


# --- /qr -----------------------------------------------------------------------------------


async def on_qr(
    message: Message, bot: Bot, t: Text, access: Access, teacher_tools: TeacherTools
) -> None:
    klass = await _one_or_ask(message, t, await teacher_tools.classes(access), Purpose.QR)
    if klass is not None:
        await send_qr_codes(bot, message.chat.id, t, klass)


# --- "which class?" ------------------------------------------------------------------------


async def _link_picked(
    query: CallbackQuery,
    bot: Bot,
    t: Text,
    state: FSMContext,
    klass: SchoolClass,
    kind: LinkKind,
    publisher: LinkPublisher,
) -> None:
    """The link typed with /setlink or /setchat goes to the class picked; used once."""
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
    await _publish(bot, query.from_user, t, klass, kind, link, publisher)


async def on_class_pick(
    query: CallbackQuery,
    callback_data: ClassPickCb,
    bot: Bot,
    t: Text,
    state: FSMContext,
    access: Access,
    teacher_tools: TeacherTools,
    class_links: LinkPublisher,
) -> None:
    klass = await teacher_tools.picked(access, callback_data.class_id)
    purpose = callback_data.purpose
    if klass is None:
        await query.answer(t("tt-class-forbidden"), show_alert=True)
    elif purpose in _KIND_OF:
        await _link_picked(query, bot, t, state, klass, _KIND_OF[purpose], class_links)
    else:
        await query.answer()
        if purpose is Purpose.ROSTER:
            await _send_roster(bot, query.from_user.id, t, klass, teacher_tools)
        else:
            await send_qr_codes(bot, query.from_user.id, t, klass)


def make_router() -> Router:
    """A fresh router (a router joins one dispatcher only; tests build several)."""
    router = Router(name=__name__)
    # Staff only, checked on every command and press from the database; anyone else hears
    # that these tools are for class teachers and school admins.
    staff_only = RequireAccess(Access.is_staff, "tt-not-staff")
    router.message.middleware(staff_only)
    router.callback_query.middleware(staff_only)
    flags = {"requires_access": True}
    router.message.register(on_requests, Command("requests"), flags=flags)
    router.message.register(on_class, Command("class"), flags=flags)
    router.message.register(on_set_link, Command("setlink", "setchat"), flags=flags)
    router.message.register(on_qr, Command("qr"), flags=flags)
    router.callback_query.register(on_class_pick, ClassPickCb.filter(), flags=flags)
    router.callback_query.register(on_requests_page, RequestsPageCb.filter(), flags=flags)
    return router
