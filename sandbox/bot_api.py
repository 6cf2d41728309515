"""A local Telegram Bot API server: the real bot process polls it over HTTP; people play the users.

The sandbox page (`sandbox.web`) and the end-to-end tests both drive it: they act as users and
read the chats back through the state it inherits from `sandbox.world.ChatWorld`.

It keeps to the documented Bot API contract for what the bot uses (https://core.telegram.org/bots/api):

* routes ``/bot<token>/<method>``, method names case-insensitive; parameters from the query
  string, ``application/json``, ``application/x-www-form-urlencoded`` or ``multipart/form-data``
  (object parameters such as ``reply_markup`` arrive JSON-serialized in forms);
* answers ``{"ok": true, "result": ...}`` or ``{"ok": false, "error_code": N, "description": ...}``
  with the same HTTP status: 401 "Unauthorized" for a wrong token, 404 "Not Found" for an unknown
  method, 400 "Bad Request: ..." for invalid parameters (texts follow Telegram's where known);
* getUpdates long polling: the request is held up to ``timeout`` seconds until an update is
  queued; updates stay queued until a later call confirms them with an ``offset`` above their id;
  a second getUpdates ends a held one with 409 Conflict, as Telegram does;
* texts are parsed in HTML parse mode (the supported tags only), and the limits are checked after
  parsing (4096 for a message, 1024 for a caption, counted in UTF-16 code units);
* optionally Telegram's flood limits (`flood_limits`): a send beyond them is answered 429 with
  ``retry_after``; a user who blocked the bot (`blocked`) makes every send, edit and deletion in
  their chat 403.

Everything is kept for the tests: every call with its parameters (`calls`), every chat's messages
with their buttons and photos (`chat`), the callback queries and their answers, the command menus.

The people's side (in `ChatWorld`): `user_sends`, `user_sends_photo`, `user_sends_sticker`,
`user_presses(user_id, label)` (the newest bot message with that button), `user_presses_data`
(forged data), `user_blocks`; `wait_for_reply(user_id, predicate)` (a bot message sent or edited
since the user's last action), `wait_for_answer`. The server's: `wait_for_call`,
`wait_for_delivery`, `wait_until_listening`, `failed_calls()`, `commands`; and faults:
`reject_token`, `delays`, `inject_error`, `flood_limits`.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable

from aiohttp import web

from sandbox.errors import JSON, BotApiError, bad_request
from sandbox.flood_limits import FloodLimits
from sandbox.message_methods import MessageMethods
from sandbox.models import (
    ApiCall,
    ReplyTimeoutError,
)
from sandbox.params import Params, read_params

UPDATES_LIMIT = 100
SANDBOX_TOKEN = "123456:SANDBOX"  # noqa: S105 - not a secret: the local server's own token
CLIENT_CLOSED = 499  # recorded for requests whose client went away (no answer is sent)

_METHODS = (
    "getMe",
    "getUpdates",
    "deleteWebhook",
    "getWebhookInfo",
    "setMyCommands",
    "sendMessage",
    "editMessageText",
    "editMessageReplyMarkup",
    "answerCallbackQuery",
    "sendPhoto",
    "sendDocument",
    "copyMessage",
    "deleteMessage",
)
CANONICAL: dict[str, str] = {name.lower(): name for name in _METHODS}
_SEND_METHODS = frozenset({"sendMessage", "sendPhoto", "sendDocument", "copyMessage"})

_TOKEN = re.compile(r"^\d+:[\w-]+$")
_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")


# --- the server ---------------------------------------------------------------------------------


class BotApiServer(MessageMethods):
    """The HTTP side: Telegram's Bot API over the world's users and chats.

    Use as ``async with BotApiServer(token) as api:``; point the bot at ``api.url``.
    """

    def __init__(
        self,
        token: str = SANDBOX_TOKEN,
        *,
        bot_username: str = "sferum_test_bot",
        bot_name: str = "Sferum test bot",
    ) -> None:
        if not _TOKEN.match(token):
            raise ValueError("a bot token looks like 123456:ABC")
        super().__init__(token, bot_username, bot_name)
        self.commands: dict[tuple[str, str], list[JSON]] = {}  # (scope, language) -> commands
        self.deliveries: dict[int, int] = {}  # update_id -> times returned by getUpdates
        self.reject_token = False  # True: every request is answered 401 Unauthorized
        self.webhook_url = ""  # non-empty: getUpdates is refused with 409, as with a webhook
        self.flood_limits: FloodLimits | None = None  # None: no 429s
        self.delays: dict[str, float] = {}  # method -> seconds to hold each call before answering
        self._faults: dict[str, list[BotApiError]] = {}
        self._poll_generation = 0
        self._held_polls = 0
        self._closing = False
        self._runner: web.AppRunner | None = None
        self.port = 0

    # --- lifecycle ----------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The value for TELEGRAM_API_URL."""
        return f"http://127.0.0.1:{self.port}"

    async def start(
        self,
        port: int = 0,
        *,
        add_routes: Callable[[web.Application], None] | None = None,
    ) -> None:
        """Listens on 127.0.0.1 only (`port` 0: any free one); `add_routes` may serve more
        (the sandbox page) beside the Bot API."""
        app = web.Application(client_max_size=50 * 1024 * 1024)  # Telegram takes 10 MB photos
        if add_routes is not None:
            add_routes(app)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        # handler_cancellation: a long poll whose client went away stops waiting.
        self._runner = web.AppRunner(
            app, handler_cancellation=True, shutdown_timeout=1.0, access_log=None
        )
        await self._runner.setup()
        try:
            await web.TCPSite(self._runner, "127.0.0.1", port).start()
        except OSError:
            await self._runner.cleanup()  # the port is taken: nothing is left half-started
            self._runner = None
            raise
        self.port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        self._closing = True
        self._touch()  # held polls return an empty list
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> BotApiServer:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # --- what the tests wait for and read -----------------------------------------------------

    async def wait_for_call(
        self,
        method: str,
        predicate: Callable[[ApiCall], bool] | None = None,
        *,
        timeout: float = 10.0,
        done: bool = True,
    ) -> ApiCall:
        """The first call of `method` (answered already, if `done`) satisfying `predicate`."""
        name = CANONICAL.get(method.lower(), method)

        def found() -> ApiCall | None:
            for call in self.calls:
                if call.method != name or (done and not call.done):
                    continue
                if predicate is None or predicate(call):
                    return call
            return None

        if not await self.wait_until(lambda: found() is not None, timeout):
            raise ReplyTimeoutError(f"no {name} call within {timeout}s; calls: {self.summary()}")
        call = found()
        assert call is not None
        return call

    async def wait_for_delivery(self, update_id: int, *, timeout: float = 10.0) -> None:
        """Until a getUpdates answer carried update `update_id`."""
        if not await self.wait_until(lambda: self.deliveries.get(update_id, 0) > 0, timeout):
            raise ReplyTimeoutError(f"update {update_id} not fetched within {timeout}s")

    @property
    def listening(self) -> bool:
        """A getUpdates call is waiting and every update has been confirmed."""
        return self._held_polls > 0 and not self._updates

    async def wait_until_listening(self, *, timeout: float = 10.0) -> None:
        """Until the bot has fetched and confirmed every update and is long polling again."""
        if not await self.wait_until(lambda: self.listening, timeout):
            raise ReplyTimeoutError(
                f"the bot is not polling (held polls: {self._held_polls},"
                f" unconfirmed updates: {len(self._updates)}); calls: {self.summary()}"
            )

    def failed_calls(self) -> list[ApiCall]:
        """Calls answered with an error (not the long polls a stopping bot walked away from)."""
        return [call for call in self.calls if call.done and not call.ok and not call.cancelled]

    def inject_error(
        self, method: str, code: int, description: str, *, retry_after: int | None = None
    ) -> None:
        """The next call of `method` fails with this error (call again to queue more)."""
        name = CANONICAL.get(method.lower(), method)
        self._faults.setdefault(name, []).append(BotApiError(code, description, retry_after))

    # --- internals: HTTP ----------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        path = request.match_info["tail"]
        token, _, method = path.removeprefix("bot").partition("/")
        call = ApiCall(CANONICAL.get(method.lower(), method), {}, {}, time.monotonic())
        self.calls.append(call)
        self._touch()
        status: int = 200
        body: JSON = {}
        try:
            if not path.startswith("bot") or not _TOKEN.match(token) or "/" in method:
                raise BotApiError(404, "Not Found")
            if token != self.token or self.reject_token:
                raise BotApiError(401, "Unauthorized")
            handler = getattr(self, f"_api_{call.method}", None)
            if method.lower() not in CANONICAL or handler is None:
                raise BotApiError(404, "Not Found")
            params = await read_params(request)
            call.params, call.files = params.values, params.files
            self._touch()  # the parameters are in: wait_for_call(done=False) may look at them
            if self.delays.get(call.method):
                await asyncio.sleep(self.delays[call.method])
            faults = self._faults.get(call.method)
            if faults:
                raise faults.pop(0)
            flood_chat = self._flood_chat(call.method, params)
            self._check_flood(flood_chat)
            result = await handler(params)
            if flood_chat is not None and self.flood_limits is not None:
                self.flood_limits.record(flood_chat)  # only accepted sends count
            call.result = result
            body = {"ok": True, "result": result}
        except BotApiError as exc:
            status, body = exc.code, exc.payload()
            call.description = exc.description
        except asyncio.CancelledError:
            # The client went away (a long poll of a stopped bot): nobody reads an answer.
            status, call.cancelled = CLIENT_CLOSED, True
            call.description = "client closed the connection"
            raise
        except Exception as exc:  # a bug in this server: make it loud
            status = 500
            call.description = f"the sandbox Bot API failed: {exc!r}"
            body = {"ok": False, "error_code": 500, "description": call.description}
        finally:
            call.status = status
            self._touch()
        return web.json_response(body, status=status)

    def _flood_chat(self, method: str, p: Params) -> int | None:
        """The chat a send goes to, when flood limits are on; None for everything else."""
        if self.flood_limits is None or method not in _SEND_METHODS:
            return None
        try:
            return int(str(p.values.get("chat_id")))
        except ValueError:
            return None  # the method itself answers that

    def _check_flood(self, chat_id: int | None) -> None:
        if chat_id is None or self.flood_limits is None:
            return
        retry_after = self.flood_limits.check(chat_id)
        if retry_after is not None:
            raise BotApiError(
                429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after
            )

    # --- internals: the methods (named _api_<canonical name>) ---------------------------------

    async def _api_getMe(self, p: Params) -> JSON:
        return {
            **self._bot_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _api_getUpdates(self, p: Params) -> list[JSON]:
        if self.webhook_url:
            raise BotApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active;"
                " use deleteWebhook to delete the webhook first",
            )
        offset = p.integer("offset") or 0
        limit = min(max(p.integer("limit") or UPDATES_LIMIT, 1), UPDATES_LIMIT)
        timeout = max(p.integer("timeout") or 0, 0)
        allowed = p.obj("allowed_updates")
        if allowed is not None:
            if not isinstance(allowed, list) or not all(isinstance(a, str) for a in allowed):
                raise bad_request("can't parse allowed_updates JSON array")
            self.allowed_updates = allowed
        self._confirm(offset)
        self._poll_generation += 1
        generation = self._poll_generation
        self._touch()  # a poll held before this one is now superseded
        if not self._updates and timeout:
            self._held_polls += 1
            self._touch()
            try:
                await self.wait_until(
                    lambda: (
                        bool(self._updates) or self._closing or self._poll_generation != generation
                    ),
                    timeout,
                )
            finally:
                self._held_polls -= 1
                self._touch()
            if self._poll_generation != generation:
                raise BotApiError(
                    409,
                    "Conflict: terminated by other getUpdates request;"
                    " make sure that only one bot instance is running",
                )
        batch = self._updates[:limit]
        for update in batch:
            self.deliveries[update["update_id"]] = self.deliveries.get(update["update_id"], 0) + 1
        return batch

    def _confirm(self, offset: int) -> None:
        if offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            self.confirmed_offset = max(self.confirmed_offset, offset)
        elif offset < 0:
            # -N: the last N updates; every earlier one is forgotten.
            forgotten, self._updates = self._updates[:offset], self._updates[offset:]
            if forgotten:
                self.confirmed_offset = max(self.confirmed_offset, forgotten[-1]["update_id"] + 1)

    async def _api_deleteWebhook(self, p: Params) -> bool:
        self.webhook_url = ""
        if p.flag("drop_pending_updates"):
            self._confirm(next(self._update_ids))
        return True

    async def _api_getWebhookInfo(self, p: Params) -> JSON:
        return {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    async def _api_setMyCommands(self, p: Params) -> bool:
        commands = p.obj("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad_request("can't parse commands JSON array")
        for command in commands:
            if not isinstance(command, dict):
                raise bad_request("can't parse BotCommand")
            if not _COMMAND.match(str(command.get("command", ""))):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", "")).strip()) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        scope = p.obj("scope") or {"type": "default"}
        if not isinstance(scope, dict) or "type" not in scope:
            raise bad_request("can't parse BotCommandScope")
        language = p.text("language_code") or ""
        if language and not re.fullmatch(r"[a-z]{2}", language):
            raise bad_request("invalid language code specified")
        self.commands[(str(scope["type"]), language)] = commands
        return True
