"""Replies someone is waiting for survive Telegram's flood control (429 with retry_after).

Telegram allows about one message a second in a private chat (short bursts pass) and answers a
faster one with 429 and `retry_after`. A student who taps quickly must get late replies, not
none: a request refused with a short `retry_after` waits it out and is sent again. Bulk senders
(the delivery engine) pace themselves and must see the 429 as it is: they send inside
`bulk_sending()`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import TelegramMethod
from aiogram.methods.base import Response, TelegramType

if TYPE_CHECKING:
    from aiogram import Bot

MAX_WAIT = 5  # seconds: a longer wait is a real flood ban, and the update fails as it is
ATTEMPTS = 3

_bulk: ContextVar[bool] = ContextVar("bulk_sending", default=False)


@contextmanager
def bulk_sending() -> Iterator[None]:
    """Requests made inside see 429 themselves (the caller paces and retries)."""
    token = _bulk.set(True)
    try:
        yield
    finally:
        _bulk.reset(token)


def is_bulk() -> bool:
    """Whether the request being made is a bulk sender's (inside `bulk_sending()`)."""
    return _bulk.get()


class WaitOutFloodControl(BaseRequestMiddleware):
    def __init__(self, max_wait: int = MAX_WAIT, attempts: int = ATTEMPTS) -> None:
        self.max_wait = max_wait
        self.attempts = attempts

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        for attempt in range(1, self.attempts + 1):
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as exc:
                if _bulk.get() or exc.retry_after > self.max_wait or attempt == self.attempts:
                    raise
                await asyncio.sleep(exc.retry_after)
        raise AssertionError("unreachable: the last attempt returns or raises")
