"""Teachers and admins deciding join requests; invite links; /whoami; the staff's /help."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject, CommandStart, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.access import Access, AccessControl
from bot.approvals import Approvals, Card, Reason, Verdict, clean_reason
from bot.i18n import Catalog, Text
from bot.platform_profile import PlatformProfile
from storage.invites import InvitesRepo, Redeemed
from storage.join_requests import RequestStatus
from storage.roles import Role
from storage.schools import SchoolsRepo
from storage.users import UsersRepo
from ui.callbacks import DecisionAction, DecisionCb
from ui.cards import (
    REASON_OF,
    already_text,
    card_text,
    decision_keyboard,
    reasons_keyboard,
    staff_help_text,
    typing_keyboard,
)
from ui.filters import InvitePayload, NotText, StaffMember, TypedAnswer
from ui.notifier import Notifier
from ui.replies import edit_or_keep
from ui.states import RejectReason
from ui.subflow import enter, leave, payload

_REASON = "reject_reason"  # the reason-typing side conversation's data in the FSM data


async def _card_language(
    chat_id: int, t: Text, approvals: Approvals, catalog: Catalog, request_id: int
) -> Text:
    """A card, its buttons and its edits stay in the language the card was sent in (a copy
    from /requests: the reader's)."""
    locale = await approvals.requests.notice_locale(request_id, chat_id)
    return catalog.bind(locale) if locale else t


async def _pending_card(
    query: CallbackQuery,
    t: Text,
    approvals: Approvals,
    access_control: AccessControl,
    request_id: int,
) -> Card | None:
    """The card of a request this presser may still decide; else the press is answered why not."""
    card = await approvals.card(request_id)
    if card is None or not (await access_control.of(query.from_user.id)).may_decide(card.klass):
        await query.answer(t("decision-forbidden" if card else "decision-unknown"), show_alert=True)
        return None
    if card.request.status is not RequestStatus.PENDING:
        await query.answer(already_text(t, card.request), show_alert=True)
        await _show_card(query, t, card)  # this copy may still show the buttons
        return None
    return card


async def _show_card(query: CallbackQuery, t: Text, card: Card) -> None:
    if query.message is not None and query.bot is not None:
        await edit_or_keep(
            query.bot, query.message.chat.id, query.message.message_id, card_text(t, card)
        )


async def on_decision(
    query: CallbackQuery,
    callback_data: DecisionCb,
    bot: Bot,
    t: Text,
    catalog: Catalog,
    state: FSMContext,
    approvals: Approvals,
    notifier: Notifier,
    access_control: AccessControl,
) -> None:
    action, request_id = callback_data.action, callback_data.request_id
    t = await _card_language(query.from_user.id, t, approvals, catalog, request_id)
    if action is not DecisionAction.OTHER and await state.get_state() == RejectReason.text.state:
        await leave(state, _REASON)  # another button instead of typing the reason
    if action in (DecisionAction.APPROVE, DecisionAction.NOT_FOUND, DecisionAction.NOT_MY_CLASS):
        await _decide(query, bot, t, request_id, REASON_OF.get(action), approvals, notifier)
        return
    card = await _pending_card(query, t, approvals, access_control, request_id)
    if card is None or query.message is None:
        return
    chat_id, message_id = query.message.chat.id, query.message.message_id
    if action is DecisionAction.OTHER:  # the teacher's own words, typed next
        await enter(state, RejectReason.text, _REASON, {"request": request_id, "card": message_id})
        await query.answer()
        await edit_or_keep(bot, chat_id, message_id, None, typing_keyboard(t, request_id))
        await bot.send_message(chat_id, t("reject-type-reason"))
        return
    # REJECT opens the reasons, BACK returns to ✅ / ❌: nothing is decided yet.
    reject = action is DecisionAction.REJECT
    await query.answer(t("reject-ask-reason") if reject else None)
    keyboard = reasons_keyboard(t, request_id) if reject else decision_keyboard(t, request_id)
    await edit_or_keep(bot, chat_id, message_id, None, keyboard)


async def _decide(
    query: CallbackQuery,
    bot: Bot,
    t: Text,
    request_id: int,
    reason: Reason | None,
    approvals: Approvals,
    notifier: Notifier,
) -> None:
    status = RequestStatus.APPROVED if reason is None else RequestStatus.REJECTED
    presser = query.from_user
    decision = await approvals.decide(request_id, presser.id, presser.full_name, status, reason)
    card = decision.card
    if decision.verdict is Verdict.FORBIDDEN:
        await query.answer(t("decision-forbidden"), show_alert=True)
    elif decision.verdict is Verdict.UNKNOWN or card is None:
        await query.answer(t("decision-unknown"), show_alert=True)
    elif decision.verdict is Verdict.ALREADY:
        await query.answer(already_text(t, card.request), show_alert=True)
        await _show_card(query, t, card)  # this copy may still show the buttons
    else:
        await query.answer(t("decision-saved"))
        edited = await notifier.request_decided(bot, card)
        pressed = query.message
        # A copy from /requests is no notification: it shows the outcome all the same.
        if pressed is not None and (pressed.chat.id, pressed.message_id) not in edited:
            await _show_card(query, t, card)


# --- "other": the reason typed ----------------------------------------------------------------


async def _end_reason(state: FSMContext) -> tuple[int, int]:
    """Leaves the typed reason: the request it was for, and the card it was typed from."""
    found = await payload(state, _REASON)
    await leave(state, _REASON)
    return int(found.get("request") or 0), int(found.get("card") or 0)


async def on_reason_typed(
    message: Message,
    bot: Bot,
    t: Text,
    catalog: Catalog,
    state: FSMContext,
    approvals: Approvals,
    notifier: Notifier,
) -> None:
    reason = clean_reason(message.text or "")
    if reason is None:
        await message.answer(t("reject-reason-invalid"))  # the place is kept: type again
        return
    request_id, card_id = await _end_reason(state)
    who = message.from_user.full_name if message.from_user else ""
    decision = await approvals.decide(
        request_id, message.chat.id, who, RequestStatus.REJECTED, Reason.OTHER, reason
    )
    if decision.verdict is Verdict.DECIDED and decision.card is not None:
        edited = await notifier.request_decided(bot, decision.card)
        await message.answer(t("decision-saved"))
        if card_id and (message.chat.id, card_id) not in edited:  # a copy from /requests
            card_t = await _card_language(message.chat.id, t, approvals, catalog, request_id)
            await edit_or_keep(bot, message.chat.id, card_id, card_text(card_t, decision.card))
    elif decision.verdict is Verdict.ALREADY and decision.card is not None:
        await message.answer(already_text(t, decision.card.request))
    else:
        await message.answer(t("decision-forbidden" if decision.card else "decision-unknown"))


async def on_reason_cancel(
    message: Message,
    bot: Bot,
    t: Text,
    catalog: Catalog,
    state: FSMContext,
    approvals: Approvals,
) -> None:
    """/cancel while typing the reason: nothing is decided, the card offers ✅ / ❌ again."""
    request_id, card_id = await _end_reason(state)
    card_t = await _card_language(message.chat.id, t, approvals, catalog, request_id)
    request = await approvals.requests.get(request_id)
    if card_id and request is not None and request.status is RequestStatus.PENDING:
        await edit_or_keep(
            bot, message.chat.id, card_id, None, decision_keyboard(card_t, request_id)
        )
    await message.answer(t("reject-cancelled"))


async def on_reason_other(message: Message, t: Text) -> None:
    """A sticker, a photo, a voice message... while the reason is awaited (an unknown command
    gets the same reminder from the fallback router, after every known command had its turn)."""
    await message.answer(t("reject-reason-expected"))


# --- invites, /whoami -------------------------------------------------------------------------


async def on_invite(
    message: Message,
    command: CommandObject,
    bot: Bot,
    t: Text,
    invites: InvitesRepo,
    schools: SchoolsRepo,
    users: UsersRepo,
    notifier: Notifier,
) -> None:
    token = (command.args or "").removeprefix("i_")
    redemption = await invites.redeem(token, message.chat.id)
    if redemption.result in (Redeemed.UNKNOWN, Redeemed.USED, Redeemed.EXPIRED):
        await message.answer(t(f"invite-{redemption.result.value}"))
        return
    if message.from_user is not None:  # /teachers shows people, not numbers
        await users.set_staff_name(
            message.chat.id, message.from_user.full_name, message.from_user.username
        )
    school = await schools.get(redemption.school_id or 0)
    klass = await schools.get_class(redemption.class_id) if redemption.class_id else None
    role = redemption.role or Role.TEACHER
    await message.answer(
        t(
            f"invite-{role.value}",
            school=school.name if school else "",
            **{"class": klass.name if klass else ""},
        )
    )
    if role is Role.SCHOOL_ADMIN:  # memo instruction 1: without the classes, variant 1 fails
        await message.answer(t("staff-help-structure"))
    # Requests that reached nobody so far come to the one who has just joined.
    class_ids = (
        [klass.id] if klass else [k.id for k in await schools.classes(school.id if school else 0)]
    )
    await notifier.deliver_waiting(bot, class_ids)


async def on_whoami(
    message: Message,
    t: Text,
    access_control: AccessControl,
    schools: SchoolsRepo,
    approvals: Approvals,
) -> None:
    access = await access_control.of(message.chat.id)
    lines = [t("whoami-title")]
    if access.super_admin:
        lines.append(t("whoami-super-admin"))
    for school_id in access.admin_schools:
        school = await schools.get(school_id)
        lines.append(t("whoami-school-admin", school=school.name if school else "?"))
    for class_id in access.teacher_classes:
        klass = await schools.get_class(class_id)
        if klass:
            lines.append(t("whoami-teacher", school=klass.school_name, **{"class": klass.name}))
    if len(lines) == 1:
        lines.append(t("whoami-student"))
    # Staff commands stay out of the menu every student sees; each role is told its own here.
    if access.teacher_classes:
        lines += ["", t("whoami-teacher-commands")]
    if access.admin_schools or access.super_admin:
        lines += ["", t("whoami-admin-commands")]
    if access.super_admin:
        lines += ["", t("whoami-super-commands")]
        waiting = await approvals.requests.count_unreached()
        lines += ["", t("whoami-unreached", count=waiting)]
    await message.answer("\n".join(lines))


async def on_staff_help(
    message: Message, t: Text, access: Access, platform: PlatformProfile
) -> None:
    one_guide = platform.admin_guide_structure.url == platform.admin_guide_invite.url
    await message.answer(staff_help_text(t, access, one_guide))


def make_router() -> Router:
    """A fresh router (a router joins one dispatcher only; tests build several)."""
    router = Router(name=__name__)
    router.callback_query.register(on_decision, DecisionCb.filter())
    router.message.register(on_invite, CommandStart(deep_link=True), InvitePayload())
    router.message.register(on_whoami, Command("whoami"))
    router.message.register(on_staff_help, Command("help"), StaffMember())
    # One typed answer: /cancel and the reason; other commands pass on to their handlers.
    router.message.register(on_reason_cancel, StateFilter(RejectReason.text), Command("cancel"))
    router.message.register(on_reason_typed, StateFilter(RejectReason.text), TypedAnswer())
    router.message.register(on_reason_other, StateFilter(RejectReason.text), NotText())
    return router
