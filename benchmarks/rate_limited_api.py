"""A minimal Bot API on 127.0.0.1 that enforces a global send rate, as Telegram does.

It answers `/bot<token>/getMe`, `/bot<token>/sendMessage` and `/bot<token>/copyMessage` with
`{"ok": true, "result": ...}`. Every send is counted against one global limit of `limit` messages
in any sliding one-second window: a send that would exceed it is answered 429 with
`retry_after` (and not delivered). Accepted sends are counted per chat, so a benchmark can tell
lost recipients and duplicates apart.
"""

from __future__ import annotations

import collections
import itertools
import socket
import time
from typing import Any

from aiohttp import web

JSON = dict[str, Any]
SEND_METHODS = frozenset({"sendmessage", "copymessage"})


class RateLimitedBotApi:
    """Start with `await api.start()` (returns the base URL), stop with `await api.stop()`."""

    def __init__(self, limit: int = 30, retry_after: int = 1, window: float = 1.0) -> None:
        self.limit = limit
        self.retry_after = retry_after
        self.window = window
        self.deliveries: collections.Counter[int] = collections.Counter()  # chat id -> sends
        self.accepted: list[float] = []  # time.monotonic() of every accepted send, in order
        self.rejected_429 = 0
        self.requests = 0  # send requests, answered 200 or 429
        self.max_in_window = 0  # the most accepted sends seen in one window
        self._recent: collections.deque[float] = collections.deque()
        self._message_ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._app = app

    async def start(self) -> str:
        """Listens on a free port of 127.0.0.1 only; returns the server's base URL."""
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
        self._runner = web.AppRunner(self._app, access_log=None)
        await self._runner.setup()
        await web.SockSite(self._runner, sock).start()
        return f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # --- what the benchmark reads ----------------------------------------------------------

    @property
    def sent(self) -> int:
        return len(self.accepted)

    @property
    def duplicates(self) -> int:
        return sum(count - 1 for count in self.deliveries.values() if count > 1)

    def span(self) -> float:
        """Seconds from the first accepted send to the last."""
        return self.accepted[-1] - self.accepted[0] if len(self.accepted) > 1 else 0.0

    # --- the API ---------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"].lower()
        params: dict[str, str] = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                body = await request.json()
                params.update({k: str(v) for k, v in body.items()})
            else:
                form = await request.post()
                params.update({k: str(v) for k, v in form.items()})
        if method == "getme":
            return _ok({"id": 42, "is_bot": True, "first_name": "Bench", "username": "bench_bot"})
        if method not in SEND_METHODS:
            return _error(404, "Not Found")
        try:
            chat_id = int(params["chat_id"])
        except (KeyError, ValueError):
            return _error(400, "Bad Request: chat_id is empty")
        self.requests += 1
        now = time.monotonic()
        recent = self._recent
        while recent and recent[0] <= now - self.window:
            recent.popleft()
        if len(recent) >= self.limit:
            self.rejected_429 += 1
            return _error(
                429,
                f"Too Many Requests: retry after {self.retry_after}",
                {"retry_after": self.retry_after},
            )
        recent.append(now)
        self.max_in_window = max(self.max_in_window, len(recent))
        self.accepted.append(now)
        self.deliveries[chat_id] += 1
        message_id = next(self._message_ids)
        if method == "copymessage":
            return _ok({"message_id": message_id})
        return _ok(
            {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private", "first_name": "Student"},
                "text": params.get("text", ""),
            }
        )


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})


def _error(code: int, description: str, parameters: JSON | None = None) -> web.Response:
    body: JSON = {"ok": False, "error_code": code, "description": description}
    if parameters is not None:
        body["parameters"] = parameters
    return web.json_response(body, status=code)
