"""A burst of users is taken in POLLING_CONCURRENCY at a time: the real `python -m bot` over HTTP
fetches no more updates while that many are in hand, so a burst waits at Telegram, not in the
bot's memory — and every one of them is still answered."""

from __future__ import annotations

import asyncio

from sandbox.bot_api import BotApiServer
from sandbox.models import contains
from tests.support.e2e import REPLY_TIMEOUT, Launch

USERS = range(7001, 7013)
LIMIT = 3


async def test_a_burst_is_handled_a_few_at_a_time(api: BotApiServer, launch: Launch) -> None:
    bot = await launch(POLLING_CONCURRENCY=str(LIMIT))
    await bot.wait_polling(api)
    api.delays["sendMessage"] = 0.5  # each reply held at the server: updates pile up in hand
    for user_id in USERS:
        await api.user_sends(user_id, "/start")

    def open_sends() -> int:
        return sum(1 for c in api.calls if c.method == "sendMessage" and c.status == 0)

    most = 0

    async def watch() -> None:  # a measurement taken while the replies come, not a wait
        nonlocal most
        while True:
            most = max(most, open_sends())
            await asyncio.sleep(0.01)

    watcher = asyncio.ensure_future(watch())
    try:
        for user_id in USERS:
            await api.wait_for_reply(user_id, contains("Здравствуйте"), timeout=REPLY_TIMEOUT)
    finally:
        watcher.cancel()
    assert 1 <= most <= LIMIT
    assert bot.proc.returncode is None
