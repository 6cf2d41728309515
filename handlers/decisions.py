"""Teachers and admins deciding join requests on the request card: ✅, ❌ with a reason, or a
reason typed in their own words. The router lets only staff in; whether this person may decide
this request is the service's check (bot/approvals.py), made once per press."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.access import Access
from bot.approvals import Approvals, Card, Decision, Reason, Verdict, clean_reason
from bot.i18n import Catalog, Text
from storage.join_requests import RequestStatus
from ui.callbacks import DecisionAction, DecisionCb
from ui.cards import (
    REASON_OF,
    already_text,
    card_text,
    decision_keyboard,
    reasons_keyboard,
    typing_keyboard,
)
from ui.filters import NotText, TypedAnswer
from ui.middlewares import RequireAccess
from ui.notifier import Notifier
from ui.replies import edit_or_keep
from ui.states import RejectReason
from ui.subflow import enter, leave, payload

_REASON = "reject_reason"  # the reason-typing side conversation's data in the FSM data
_DECIDING = (DecisionAction.APPROVE, DecisionAction.NOT_FOUND, DecisionAction.NOT_MY_CLASS)


async def _card_language(
    chat_id: int, t: Text, approvals: Approvals, catalog: Catalog, request_id: int
) -> Text:
    """A card, its buttons and its edits stay in the language the card was sent in (a copy
    from /requests: the reader's)."""
    locale = await approvals.requests.notice_locale(request_id, chat_id)
    return catalog.bind(locale) if locale else t


async def _show_card(query: CallbackQuery, bot: Bot, t: Text, card: Card) -> None:
    if query.message is not None:
        message = query.message
        await edit_or_keep(bot, message.chat.id, message.message_id, card_text(t, card))


async def _refused(query: CallbackQuery, bot: Bot, t: Text, decision: Decision) -> bool:
    """Answers a press that decides nothing (and shows the outcome someone else chose)."""
    card = decision.card
    if decision.verdict is Verdict.FORBIDDEN:
        await query.answer(t("decision-forbidden"), show_alert=True)
    elif card is None:
        await query.answer(t("decision-unknown"), show_alert=True)
    elif decision.verdict is Verdict.ALREADY:
        await query.answer(already_text(t, card.request), show_alert=True)
        await _show_card(query, bot, t, card)  # this copy may still show the buttons
    else:
        return False
    return True


async def on_decision(
    query: CallbackQuery,
    callback_data: DecisionCb,
    bot: Bot,
    t: Text,
    catalog: Catalog,
    state: FSMContext,
    approvals: Approvals,
    notifier: Notifier,
    access: Access,
) -> None:
    action, request_id = callback_data.action, callback_data.request_id
    t = await _card_language(query.from_user.id, t, approvals, catalog, request_id)
    if action is not DecisionAction.OTHER and await state.get_state() == RejectReason.text.state:
        await leave(state, _REASON)  # another button instead of typing the reason
    if action in _DECIDING:
        await _decide(query, bot, t, access, request_id, REASON_OF.get(action), approvals, notifier)
        return
    pending = await approvals.pending(access, request_id)
    if await _refused(query, bot, t, pending) or query.message is None:
        return
    await _open(query, bot, t, state, action, request_id, query.message.message_id)


async def _open(
    query: CallbackQuery,
    bot: Bot,
    t: Text,
    state: FSMContext,
    action: DecisionAction,
    request_id: int,
    card_id: int,
) -> None:
    """OTHER asks for the teacher's own words; REJECT opens the reasons, BACK returns to ✅ / ❌:
    nothing is decided yet."""
    chat_id = query.from_user.id
    if action is DecisionAction.OTHER:
        await enter(state, RejectReason.text, _REASON, {"request": request_id, "card": card_id})
        await query.answer()
        await edit_or_keep(bot, chat_id, card_id, None, typing_keyboard(t, request_id))
        await bot.send_message(chat_id, t("reject-type-reason"))
        return
    reject = action is DecisionAction.REJECT
    await query.answer(t("reject-ask-reason") if reject else None)
    keyboard = reasons_keyboard(t, request_id) if reject else decision_keyboard(t, request_id)
    await edit_or_keep(bot, chat_id, card_id, None, keyboard)


async def _decide(
    query: CallbackQuery,
    bot: Bot,
    t: Text,
    access: Access,
    request_id: int,
    reason: Reason | None,
    approvals: Approvals,
    notifier: Notifier,
) -> None:
    status = RequestStatus.APPROVED if reason is None else RequestStatus.REJECTED
    name = query.from_user.full_name
    decision = await approvals.decide(access, request_id, name, status, reason)
    if await _refused(query, bot, t, decision) or decision.card is None:
        return
    await query.answer(t("decision-saved"))
    edited = await notifier.request_decided(bot, decision.card)
    pressed = query.message
    # A copy from /requests is no notification: it shows the outcome all the same.
    if pressed is not None and (pressed.chat.id, pressed.message_id) not in edited:
        await _show_card(query, bot, t, decision.card)


# --- "other": the reason typed (not guarded: a teacher whose role went meanwhile is told so) ---


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
    access: Access,
) -> None:
    reason = clean_reason(message.text or "")
    if reason is None:
        await message.answer(t("reject-reason-invalid"))  # the place is kept: type again
        return
    request_id, card_id = await _end_reason(state)
    who = message.from_user.full_name if message.from_user else ""
    status = RequestStatus.REJECTED
    decision = await approvals.decide(access, request_id, who, status, Reason.OTHER, reason)
    card = decision.card
    if decision.verdict is Verdict.DECIDED and card is not None:
        edited = await notifier.request_decided(bot, card)
        await message.answer(t("decision-saved"))
        if card_id and (message.chat.id, card_id) not in edited:  # a copy from /requests
            card_t = await _card_language(message.chat.id, t, approvals, catalog, request_id)
            await edit_or_keep(bot, message.chat.id, card_id, card_text(card_t, card))
    elif decision.verdict is Verdict.ALREADY and card is not None:
        await message.answer(already_text(t, card.request))
    else:
        await message.answer(t("decision-forbidden" if card else "decision-unknown"))


async def on_reason_cancel(
    message: Message, bot: Bot, t: Text, catalog: Catalog, state: FSMContext, approvals: Approvals
) -> None:
    """/cancel while typing the reason: nothing is decided, the card offers ✅ / ❌ again."""
    request_id, card_id = await _end_reason(state)
    card_t = await _card_language(message.chat.id, t, approvals, catalog, request_id)
    request = await approvals.requests.get(request_id)
    if card_id and request is not None and request.status is RequestStatus.PENDING:
        keyboard = decision_keyboard(card_t, request_id)
        await edit_or_keep(bot, message.chat.id, card_id, None, keyboard)
    await message.answer(t("reject-cancelled"))


async def on_reason_other(message: Message, t: Text) -> None:
    """A sticker, a photo, a voice message... while the reason is awaited (an unknown command
    gets the same reminder from the fallback router, after every known command had its turn)."""
    await message.answer(t("reject-reason-expected"))


def make_router() -> Router:
    """A fresh router (a router joins one dispatcher only; tests build several)."""
    router = Router(name=__name__)
    guard = RequireAccess(Access.is_staff, "decision-forbidden")
    router.message.middleware(guard)
    router.callback_query.middleware(guard)
    router.callback_query.register(
        on_decision, DecisionCb.filter(), flags={"requires_access": True}
    )
    # One typed answer: /cancel and the reason; other commands pass on to their handlers.
    router.message.register(on_reason_cancel, StateFilter(RejectReason.text), Command("cancel"))
    router.message.register(on_reason_typed, StateFilter(RejectReason.text), TypedAnswer())
    router.message.register(on_reason_other, StateFilter(RejectReason.text), NotText())
    return router
