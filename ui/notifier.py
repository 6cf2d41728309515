"""Messages to people other than the one who pressed: teachers about requests, students about
decisions. Each in the recipient's own language, never the sender's."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
)
from aiogram.types import BufferedInputFile, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.approvals import Approvals, Card, Reach
from bot.i18n import Catalog, Text
from bot.onboarding import Notice as OnboardingNotice
from bot.onboarding import Outcome
from bot.qr import qr_png
from bot.wizard import AFTER_REQUEST, Action
from storage.join_requests import Notice, RequestStatus, Withdrawn
from storage.users import UsersRepo
from ui.callbacks import WizardCb
from ui.cards import Gone, card_text, decision_keyboard, gone_text
from ui.replies import edit_or_keep

log = logging.getLogger(__name__)


class Notifier:
    def __init__(self, approvals: Approvals, users: UsersRepo, catalog: Catalog) -> None:
        self._approvals = approvals
        self._users = users
        self._catalog = catalog

    async def text_for(self, user_id: int) -> Text:
        """The catalogue in the language of `user_id`: chosen with /lang, else their app's."""
        user = await self._users.get(user_id)
        return self._catalog.bind((user.language if user else None) or self._catalog.default_locale)

    # --- what a student's step set off ----------------------------------------------------

    async def settle(self, bot: Bot, outcome: Outcome) -> list[OnboardingNotice]:
        """Close the cards of requests the step withdrew, deliver the one it opened; returns
        what the student must be told about it (who really got the request)."""
        moved = outcome.moved
        if moved is not None and moved.withdrawn:
            why = Gone.MOVED if moved.to_class else Gone.FORGOTTEN
            await self.requests_withdrawn(bot, moved.withdrawn, why, moved.to_class)
        opened = outcome.to_deliver
        if opened is None:
            return list(outcome.notices)
        reach = await self.request_opened(bot, opened.request_id)
        notices = list(outcome.notices)
        if opened.variant == 1 or outcome.opened is None:  # variant 2's screen says it itself
            args = {"reached": reach.value, "variant": opened.variant, "class": opened.class_name}
            notices.append(("request-sent", args))
        return notices

    # --- a new request --------------------------------------------------------------------

    async def request_opened(self, bot: Bot, request_id: int) -> Reach:
        """Send the request's card to everyone who should decide it: the class's teachers, or,
        if none of them can ever be reached (none yet, or all blocked the bot or never started
        it), the school's admins, then the super admins. A passing failure (network, Telegram's
        5xx) moves nothing up. Returns, and records, who got it; NOBODY leaves the request to
        the first teacher or admin who joins (deliver_waiting)."""
        card = await self._approvals.card(request_id)
        if card is None:
            return Reach.NOBODY
        for reach, tier in await self._approvals.recipient_tiers(card.klass):
            delivered, unreachable = await self._send_card(bot, card, tier)
            if delivered:
                await self._approvals.requests.set_reached(request_id, reach.value)
                return reach
            if unreachable < len(tier):
                break  # someone may get it later: not moved up, and not claimed as delivered
        return Reach.NOBODY

    async def deliver_waiting(self, bot: Bot, class_ids: Sequence[int]) -> int:
        """Requests to these classes that reached nobody go out now (a teacher or an admin has
        just joined); each student hears who has it. Returns how many were delivered."""
        delivered = 0
        for request_id in await self._approvals.requests.unreached(class_ids):
            reach = await self.request_opened(bot, request_id)
            if reach is Reach.NOBODY:
                continue
            delivered += 1
            request = await self._approvals.requests.get(request_id)
            klass = await self._approvals.class_of(request.class_id) if request else None
            if request is not None and klass is not None:
                t = await self.text_for(request.student_id)
                text = t(
                    "request-now-reached",
                    reached=reach.value,
                    variant=request.variant,
                    **{"class": klass.name},
                )
                await self._tell(bot, request.student_id, text)
        return delivered

    async def _send_card(self, bot: Bot, card: Card, recipients: list[int]) -> tuple[int, int]:
        """(how many got the card, how many can't get anything from the bot)."""
        request_id = card.request.id
        delivered = unreachable = 0
        for recipient in recipients:
            t = await self.text_for(recipient)
            try:
                sent = await bot.send_message(
                    recipient, card_text(t, card), reply_markup=decision_keyboard(t, request_id)
                )
            except TelegramAPIError as exc:
                log.warning("request card not delivered: %s", type(exc).__name__)
                unreachable += _unreachable(exc)
                continue
            await self._approvals.requests.add_notice(
                request_id, Notice(recipient, sent.message_id, t.locale)
            )
            delivered += 1
        return delivered, unreachable

    # --- a decision -----------------------------------------------------------------------

    async def card(self, request_id: int) -> Card | None:
        return await self._approvals.card(request_id)

    async def close_cards(self, bot: Bot, card: Card) -> set[tuple[int, int]]:
        """Every copy of the card shows the outcome, in its reader's language, without buttons.
        Returns the (chat id, message id) of every copy it could edit."""
        edited: set[tuple[int, int]] = set()
        for notice in await self._approvals.requests.notices(card.request.id):
            t = self._catalog.bind(notice.locale)
            try:
                if await edit_or_keep(bot, notice.chat_id, notice.message_id, card_text(t, card)):
                    edited.add((notice.chat_id, notice.message_id))
            except TelegramAPIError as exc:  # blocked the bot since
                log.warning("request card not updated: %s", type(exc).__name__)
        return edited

    async def request_decided(self, bot: Bot, card: Card) -> set[tuple[int, int]]:
        """The cards show the outcome; the student hears it in their language: after a
        rejection with a button to send the request again, after a variant-1 approval with the
        class chat's link if the class has one. Returns the copies edited."""
        edited = await self.close_cards(bot, card)
        request, klass = card.request, card.klass
        student = request.student_id
        t = await self.text_for(student)
        approved = request.status is RequestStatus.APPROVED
        by = "teacher" if await self._approvals.decided_by_teacher(card) else "school"
        chat = "link" if klass.chat_link else "none"
        invite = klass.invite_link or "none"
        common = {"class": klass.name, "variant": request.variant, "by": by}
        if approved:
            text = t("student-approved", chat=chat, link=invite, **common)
            await self._tell(bot, student, text)
            if klass.chat_link and request.variant == 1:
                caption = t("tt-student-chat-link", link=klass.chat_link, **{"class": klass.name})
                await send_qr(bot, student, klass.chat_link, caption)
            return edited
        text = t(
            "student-rejected",
            reason=request.reason or "other",
            text=request.reason_text or "none",
            **common,
        )
        await self._tell(bot, student, text, await self._retry_keyboard(t, student))
        return edited

    async def _retry_keyboard(self, t: Text, student_id: int) -> InlineKeyboardMarkup | None:
        """ "Send it again": a button of the step the student is on, so it is never stale."""
        step = await self._approvals.student_step(student_id)
        if step is None or step not in AFTER_REQUEST:
            return None
        builder = InlineKeyboardBuilder()
        builder.button(
            text=t("btn-retry-request"), callback_data=WizardCb(step=step, action=Action.RETRY)
        )
        return builder.as_markup()

    # --- a request taken back -------------------------------------------------------------

    async def requests_withdrawn(
        self, bot: Bot, withdrawn: Sequence[Withdrawn], why: Gone, moved_to: str = ""
    ) -> None:
        """The cards of withdrawn requests lose their buttons and say why (with no name left
        when the student erased their data)."""
        for item in withdrawn:
            klass = await self._approvals.class_of(item.request.class_id)
            name = klass.name if klass else ""
            for notice in item.notices:
                t = self._catalog.bind(notice.locale)
                text = gone_text(t, name, why, moved_to)
                try:
                    await edit_or_keep(bot, notice.chat_id, notice.message_id, text)
                except TelegramAPIError as exc:
                    log.warning("withdrawn card not updated: %s", type(exc).__name__)

    async def _tell(
        self, bot: Bot, chat_id: int, text: str, markup: InlineKeyboardMarkup | None = None
    ) -> None:
        try:
            await bot.send_message(chat_id, text, reply_markup=markup)
        except TelegramAPIError as exc:
            log.warning("message to a student not delivered: %s", type(exc).__name__)


async def send_qr(bot: Bot, chat_id: int, link: str, caption: str) -> bool:
    """A QR code of `link` as a photo, sent now to one person (the teacher's own /qr, a student
    just approved): a short flood wait is waited out by the session (ui/flood_wait.py); any
    other failure is logged and given up. Bulk sends go through the delivery engine instead."""
    try:
        await bot.send_photo(
            chat_id, BufferedInputFile(qr_png(link), filename="qr.png"), caption=caption
        )
    except TelegramAPIError as exc:  # blocked the bot, deleted the account...
        log.warning("QR code not delivered: %s", type(exc).__name__)
        return False
    return True


def _unreachable(exc: TelegramAPIError) -> bool:
    """The recipient blocked the bot, deleted the account, or never started the bot."""
    if isinstance(exc, TelegramForbiddenError):
        return True
    return isinstance(exc, TelegramBadRequest) and "chat not found" in exc.message.lower()
