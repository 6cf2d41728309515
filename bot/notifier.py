"""Messages to people other than the one who pressed: teachers about requests, students about
decisions. Each in the recipient's own language, never the sender's."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest, TelegramForbiddenError

from bot.approvals import Approvals, Card
from bot.cards import card_text, decision_keyboard
from bot.i18n import Catalog, Text
from storage.join_requests import Notice, RequestStatus
from storage.users import UsersRepo

log = logging.getLogger(__name__)


class Notifier:
    def __init__(self, approvals: Approvals, users: UsersRepo, catalog: Catalog) -> None:
        self._approvals = approvals
        self._users = users
        self._catalog = catalog

    async def text_for(self, user_id: int) -> Text:
        user = await self._users.get(user_id)
        locale = user.locale if user and user.locale else self._catalog.default_locale
        return self._catalog.bind(locale)

    async def request_opened(self, bot: Bot, request_id: int) -> int:
        """Send the request's card to everyone who should decide it: the class's teachers, or,
        if none of them can ever be reached (none yet, or all blocked the bot or never started
        it), the school's admins, then the super admins. A passing failure (network, Telegram's
        5xx) moves nothing up: the request waits in /requests. Returns how many got it."""
        card = await self._approvals.card(request_id)
        if card is None:
            return 0
        for tier in await self._approvals.recipient_tiers(card.klass):
            delivered, unreachable = await self._send_card(bot, card, tier)
            if unreachable < len(tier):
                return delivered
        return 0

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

    async def request_decided(self, bot: Bot, card: Card) -> set[tuple[int, int]]:
        """Every copy of the card shows the outcome; the student hears it in their language.

        Returns the (chat id, message id) of every copy it edited."""
        edited: set[tuple[int, int]] = set()
        for notice in await self._approvals.requests.notices(card.request.id):
            t = self._catalog.bind(notice.locale)
            try:
                await bot.edit_message_text(
                    card_text(t, card), chat_id=notice.chat_id, message_id=notice.message_id
                )
                edited.add((notice.chat_id, notice.message_id))
            except TelegramAPIError as exc:  # deleted, or too old to edit
                log.warning("request card not updated: %s", type(exc).__name__)
        t = await self.text_for(card.request.student_id)
        approved = card.request.status is RequestStatus.APPROVED
        key = "student-approved" if approved else "student-rejected"
        by = "teacher" if await self._approvals.decided_by_teacher(card) else "school"
        text = t(
            key,
            reason=card.request.reason or "other",
            variant=card.request.variant,
            by=by,
            **{"class": card.klass.name},
        )
        try:
            await bot.send_message(card.request.student_id, text)
        except TelegramAPIError as exc:
            log.warning("decision not delivered to the student: %s", type(exc).__name__)
        return edited


def _unreachable(exc: TelegramAPIError) -> bool:
    """The recipient blocked the bot, deleted the account, or never started the bot."""
    if isinstance(exc, TelegramForbiddenError):
        return True
    return isinstance(exc, TelegramBadRequest) and "chat not found" in exc.message.lower()
