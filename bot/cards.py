"""What teachers and admins see: a join request's card, its buttons, its outcome."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.approvals import Card, Reason
from bot.callbacks import DecisionAction, DecisionCb
from bot.i18n import Text
from storage.join_requests import RequestStatus

REASON_OF: dict[DecisionAction, Reason] = {
    DecisionAction.NOT_FOUND: Reason.NOT_FOUND,
    DecisionAction.NOT_MY_CLASS: Reason.NOT_MY_CLASS,
    DecisionAction.OTHER: Reason.OTHER,
}


def when(iso: str | None) -> str:
    """Stored UTC timestamps, shown to the minute."""
    return f"{iso[:16].replace('T', ' ')} UTC" if iso else ""


def card_text(t: Text, card: Card) -> str:
    request = card.request
    text = t(
        "request-card",
        name=card.student_name,
        school=card.klass.school_name,
        variant=request.variant,
        time=when(request.created_at),
        **{"class": card.klass.name},
    )
    if request.status is RequestStatus.PENDING:
        return text
    return f"{text}\n\n{outcome_text(t, card)}"


def outcome_text(t: Text, card: Card) -> str:
    request = card.request
    return t(
        "decision-approved" if request.status is RequestStatus.APPROVED else "decision-rejected",
        who=request.decided_by_name or "",
        time=when(request.decided_at),
        reason=request.reason or Reason.OTHER.value,
    )


def _button(t: Text, key: str, request_id: int, action: DecisionAction) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=t(key), callback_data=DecisionCb(request_id=request_id, action=action).pack()
    )


def decision_keyboard(t: Text, request_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                _button(t, "btn-approve", request_id, DecisionAction.APPROVE),
                _button(t, "btn-reject", request_id, DecisionAction.REJECT),
            ]
        ]
    )


def reasons_keyboard(t: Text, request_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_button(t, f"btn-reason-{reason.value}", request_id, action)]
            for action, reason in REASON_OF.items()
        ]
        + [[_button(t, "btn-back", request_id, DecisionAction.BACK)]]
    )
