"""Teachers and admins deciding join requests; invite links; /whoami."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import CallbackQuery, Message

from bot.access import AccessControl
from bot.approvals import Approvals, Verdict
from bot.callbacks import DecisionAction, DecisionCb
from bot.cards import REASON_OF, card_text, decision_keyboard, reasons_keyboard, when
from bot.filters import InvitePayload
from bot.i18n import Text
from bot.notifier import Notifier
from storage.invites import InvitesRepo, Redeemed
from storage.join_requests import RequestStatus
from storage.schools import SchoolsRepo


async def on_decision(
    query: CallbackQuery,
    callback_data: DecisionCb,
    bot: Bot,
    t: Text,
    approvals: Approvals,
    notifier: Notifier,
    access_control: AccessControl,
) -> None:
    action, request_id = callback_data.action, callback_data.request_id
    if action in (DecisionAction.REJECT, DecisionAction.BACK):
        # Only redraws the buttons; the rights are still checked, nothing is decided yet.
        card = await approvals.card(request_id)
        if card is None or not (await access_control.of(query.from_user.id)).may_decide(card.klass):
            await query.answer(
                t("decision-forbidden" if card else "decision-unknown"), show_alert=True
            )
            return
        if card.request.status is not RequestStatus.PENDING:
            await query.answer(
                t(
                    "decision-already",
                    who=card.request.decided_by_name or "",
                    time=when(card.request.decided_at),
                ),
                show_alert=True,
            )
            return
        await query.answer(t("reject-ask-reason") if action is DecisionAction.REJECT else None)
        keyboard = (
            reasons_keyboard(t, request_id)
            if action is DecisionAction.REJECT
            else decision_keyboard(t, request_id)
        )
        if isinstance(query.message, Message):
            await query.message.edit_reply_markup(reply_markup=keyboard)
        return

    approve = action is DecisionAction.APPROVE
    decision = await approvals.decide(
        request_id,
        query.from_user.id,
        query.from_user.full_name,
        RequestStatus.APPROVED if approve else RequestStatus.REJECTED,
        None if approve else REASON_OF[action],
    )
    card = decision.card
    if decision.verdict is Verdict.FORBIDDEN:
        await query.answer(t("decision-forbidden"), show_alert=True)
    elif decision.verdict is Verdict.UNKNOWN or card is None:
        await query.answer(t("decision-unknown"), show_alert=True)
    elif decision.verdict is Verdict.ALREADY:
        request = card.request
        await query.answer(
            t("decision-already", who=request.decided_by_name or "", time=when(request.decided_at)),
            show_alert=True,
        )
        if isinstance(query.message, Message):  # this copy may still show the buttons
            await query.message.edit_text(card_text(t, card))
    else:
        await query.answer(t("decision-saved"))
        edited = await notifier.request_decided(bot, card)
        pressed = query.message
        # A copy from /requests is no notification: it shows the outcome all the same.
        if isinstance(pressed, Message) and (pressed.chat.id, pressed.message_id) not in edited:
            await pressed.edit_text(card_text(t, card))


async def on_invite(
    message: Message, command: CommandObject, t: Text, invites: InvitesRepo, schools: SchoolsRepo
) -> None:
    token = (command.args or "").removeprefix("i_")
    redemption = await invites.redeem(token, message.chat.id)
    if redemption.result in (Redeemed.UNKNOWN, Redeemed.USED, Redeemed.EXPIRED):
        await message.answer(t(f"invite-{redemption.result.value}"))
        return
    school = await schools.get(redemption.school_id or 0)
    klass = await schools.get_class(redemption.class_id) if redemption.class_id else None
    await message.answer(
        t(
            f"invite-{redemption.role.value if redemption.role else 'teacher'}",
            school=school.name if school else "",
            **{"class": klass.name if klass else ""},
        )
    )


async def on_whoami(
    message: Message, t: Text, access_control: AccessControl, schools: SchoolsRepo
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
    await message.answer("\n".join(lines))


def make_router() -> Router:
    """A fresh router (a router joins one dispatcher only; tests build several)."""
    router = Router(name=__name__)
    router.callback_query.register(on_decision, DecisionCb.filter())
    router.message.register(on_invite, CommandStart(deep_link=True), InvitePayload())
    router.message.register(on_whoami, Command("whoami"))
    return router
