"""A Bot API session that fails on cue: 429, 403, 400, 5xx and network errors per chat and attempt.

Every answer goes through aiogram's own `check_response`, so the engine sees exactly the
exceptions aiogram raises for Telegram's real answers.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any, cast

from aiogram import Bot
from aiogram.exceptions import TelegramNetworkError
from aiogram.methods import CopyMessage, SendMessage, TelegramMethod
from aiogram.methods.base import TelegramType

from tests.support.session import OfflineSession

# Fault names for `script`; None (or a chat without a script) answers OK.
RETRY_AFTER = "429"  # "429" waits 1 s; "429:3" waits 3 s
BLOCKED = "403"
DEACTIVATED = "403-deactivated"
CHAT_NOT_FOUND = "400-chat-not-found"
BAD_REQUEST = "400"
SERVER_ERROR = "500"
NETWORK = "network"


@dataclass
class Call:
    chat_id: int
    at: float  # time.monotonic() when the request arrived
    outcome: str  # "ok" or the fault name
    method: TelegramMethod[Any]


@dataclass
class FaultySession(OfflineSession):
    """`script[chat_id]` lists the answers to that chat's successive requests; then OK."""

    script: dict[int, list[str | None]] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    # After this many delivered messages the next delivered one hangs (after counting as
    # delivered) until `release` is set: the moment a crash hurts most.
    hang_after: int | None = None

    def __post_init__(self) -> None:
        super().__init__()
        self._ids = itertools.count(1000)
        self.hanging = asyncio.Event()
        self.release = asyncio.Event()
        self._progress = asyncio.Event()

    @property
    def delivered(self) -> list[int]:
        """Chat ids that got the message, once per delivery (duplicates show twice)."""
        return [call.chat_id for call in self.calls if call.outcome == "ok"]

    async def wait_delivered(self, count: int) -> None:
        while len(self.delivered) < count:
            self._progress.clear()
            await self._progress.wait()

    def outcomes(self, chat_id: int) -> list[str]:
        return [call.outcome for call in self.calls if call.chat_id == chat_id]

    async def make_request(
        self, bot: Bot, method: TelegramMethod[TelegramType], timeout: int | None = None
    ) -> TelegramType:
        chat_id = int(cast(Any, method).chat_id)
        queue = self.script.get(chat_id)
        fault = queue.pop(0) if queue else None
        self.calls.append(Call(chat_id, time.monotonic(), fault or "ok", method))
        self._progress.set()
        await asyncio.sleep(0)  # a request takes at least one loop turn
        if fault == NETWORK:
            raise TelegramNetworkError(method=method, message="ClientConnectorError: reset")
        status, body = self._answer(method, chat_id, fault)
        if fault is None and self.hang_after is not None and len(self.delivered) > self.hang_after:
            self.hang_after = None
            self.hanging.set()
            await self.release.wait()
        response = self.check_response(bot, method, status, json.dumps(body))
        return cast(TelegramType, response.result)

    def _answer(
        self, method: TelegramMethod[Any], chat_id: int, fault: str | None
    ) -> tuple[int, dict[str, Any]]:
        if fault is None:
            message_id = next(self._ids)
            if isinstance(method, CopyMessage):
                return 200, {"ok": True, "result": {"message_id": message_id}}
            assert isinstance(method, SendMessage)
            result = {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private"},
                "text": method.text,
            }
            return 200, {"ok": True, "result": result}
        if fault.startswith(RETRY_AFTER):
            seconds = int(fault.partition(":")[2] or 1)
            return 429, {
                "ok": False,
                "error_code": 429,
                "description": f"Too Many Requests: retry after {seconds}",
                "parameters": {"retry_after": seconds},
            }
        errors = {
            BLOCKED: (403, "Forbidden: bot was blocked by the user"),
            DEACTIVATED: (403, "Forbidden: user is deactivated"),
            CHAT_NOT_FOUND: (400, "Bad Request: chat not found"),
            BAD_REQUEST: (400, "Bad Request: message text is empty"),
            SERVER_ERROR: (502, "Bad Gateway"),
        }
        code, description = errors[fault]
        return code, {"ok": False, "error_code": code, "description": description}
