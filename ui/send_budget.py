"""Replies and broadcasts share one budget: Telegram's ~30 messages a second is per bot.

Every message the bot sends outside the delivery engine (an answer, a card, a class's link)
spends a slot of the engine's limiter without waiting for it (`OutboundLimiter.spend`): the
engine's next send comes one slot later, so the bot's total stays at the engine's rate, and a
reply never queues behind a broadcast. Sends are what Telegram's limit counts; edits and
callback answers are left out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiogram.client.session.base import BaseSession
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.methods import TelegramMethod
from aiogram.methods.base import Response, TelegramType

from bot.pacing import OutboundLimiter
from ui.flood_wait import is_bulk

if TYPE_CHECKING:
    from aiogram import Bot

COUNTED = ("send", "copy", "forward")  # Bot API method names that deliver a message


class SpendOnReplies(BaseRequestMiddleware):
    def __init__(self, limiter: OutboundLimiter) -> None:
        self.limiter = limiter

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        if not is_bulk() and method.__api_method__.startswith(COUNTED):
            self.limiter.spend()
        return await make_request(bot, method)


def share_budget(session: BaseSession, limiter: OutboundLimiter) -> None:
    """Counts the session's replies in `limiter`'s budget; again on a restart with the same
    session: the one middleware now counts for the new limiter."""
    for middleware in session.middleware:
        if isinstance(middleware, SpendOnReplies):
            middleware.limiter = limiter
            return
    session.middleware(SpendOnReplies(limiter))
