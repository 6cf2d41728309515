"""What teachers and admins see: a join request's card, its buttons, its outcome. Always in the
card recipient's language (`t`), with times in the deployment's zone."""

from __future__ import annotations

from enum import StrEnum

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.access import Access
from bot.approvals import Card, Reason
from bot.i18n import Text
from storage.join_requests import JoinRequest, RequestStatus
from ui.callbacks import DecisionAction, DecisionCb

REASON_OF: dict[DecisionAction, Reason] = {
    DecisionAction.NOT_FOUND: Reason.NOT_FOUND,
    DecisionAction.NOT_MY_CLASS: Reason.NOT_MY_CLASS,
    DecisionAction.OTHER: Reason.OTHER,
}


class Gone(StrEnum):
    """Why a pending request left before anyone decided it."""

    MOVED = "moved"  # the student chose another class
    FORGOTTEN = "forgotten"  # the student erased their data


def card_text(t: Text, card: Card) -> str:
    request = card.request
    text = t(
        "request-card",
        name=card.student_name,
        username=card.username or "none",
        school=card.klass.school_name,
        variant=request.variant,
        time=t.time(request.created_at),
        **{"class": card.klass.name},
    )
    if card.namesake_since:  # a teacher must never approve the wrong child
        text += "\n\n" + t("request-card-namesake", since=t.time(card.namesake_since))
    if request.status is RequestStatus.PENDING:
        return text
    return f"{text}\n\n{outcome_text(t, request)}"


def outcome_text(t: Text, request: JoinRequest) -> str:
    """Who decided and when; for a rejection, why."""
    if request.status is RequestStatus.APPROVED:
        return t(
            "decision-approved",
            who=request.decided_by_name or "",
            time=t.time(request.decided_at),
            variant=request.variant,
        )
    return t(
        "decision-rejected",
        who=request.decided_by_name or "",
        time=t.time(request.decided_at),
        reason=request.reason or Reason.OTHER.value,
        text=request.reason_text or "none",
    )


def already_text(t: Text, request: JoinRequest) -> str:
    """The answer to a press on a request someone has decided."""
    return t("decision-already", who=request.decided_by_name or "", time=t.time(request.decided_at))


def gone_text(t: Text, class_name: str, why: Gone, moved_to: str = "") -> str:
    """A card whose request was withdrawn: no buttons, and no name once the student erased it."""
    return t("request-card-gone", why=why.value, to=moved_to, **{"class": class_name})


def _card_keyboard(
    t: Text, request_id: int, *buttons: tuple[str, DecisionAction], width: int = 1
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for key, action in buttons:
        builder.button(text=t(key), callback_data=DecisionCb(request_id=request_id, action=action))
    builder.adjust(width)
    return builder.as_markup()


def decision_keyboard(t: Text, request_id: int) -> InlineKeyboardMarkup:
    """✅ and ❌ side by side."""
    approve = ("btn-approve", DecisionAction.APPROVE)
    return _card_keyboard(t, request_id, approve, ("btn-reject", DecisionAction.REJECT), width=2)


def reasons_keyboard(t: Text, request_id: int) -> InlineKeyboardMarkup:
    """One reason a row, and the way back to ✅ / ❌."""
    reasons = [(f"btn-reason-{reason.value}", action) for action, reason in REASON_OF.items()]
    return _card_keyboard(t, request_id, *reasons, ("btn-back", DecisionAction.BACK))


def typing_keyboard(t: Text, request_id: int) -> InlineKeyboardMarkup:
    """While the reason is being typed: only the way back to ✅ / ❌."""
    return _card_keyboard(t, request_id, ("btn-back", DecisionAction.BACK))


def staff_help_text(t: Text, access: Access, one_guide: bool) -> str:
    """/help of a teacher or an admin: each role's commands and the memo's instructions for it
    (1, the class structure: school and municipal admins; 4, the class invite link: teachers
    and school admins), the legal basis, and that the student's commands still work.
    `one_guide`: both instructions are in the same document, linked once."""
    teacher, school_admin = bool(access.teacher_classes), bool(access.admin_schools)
    lines = [t("staff-help-title")]
    if teacher:
        lines.append(t("staff-help-teacher"))
    if school_admin:
        lines.append(t("staff-help-school-admin"))
    if access.super_admin:
        lines.append(t("staff-help-super-admin"))
    structure = school_admin or access.super_admin
    if structure:
        lines.append(t("staff-help-structure"))
    if teacher or school_admin:
        lines.append(t("staff-help-invite", shared="yes" if structure and one_guide else "no"))
    lines += [t("staff-help-legal"), t("staff-help-student")]
    return "\n".join(lines)
