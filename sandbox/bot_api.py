"""A local Telegram Bot API server: the real bot process polls it over HTTP; people play the users.

The sandbox page (`sandbox.web`) and the end-to-end tests both drive it: they act as users and
read the chats back.

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
* optionally Telegram's flood limits (`rate_limits`): a send beyond them is answered 429 with
  ``retry_after``; a user who blocked the bot (`blocked`) makes every send to them 403.

Everything is kept for the tests: every call with its parameters (`calls`), every chat's messages
with their buttons and photos (`chat`), the callback queries and their answers, the command menus.

The test's side: `user_sends(user_id, text)`, `user_presses(user_id, label)` (the newest bot
message with that button), `user_presses_data(...)` (forged data); `wait_for_reply(user_id,
predicate)` (a bot message sent or edited since the user's last action), `wait_for_call`,
`wait_for_answer`, `wait_for_delivery`, `wait_until_listening`; `answered_callbacks`,
`failed_calls()`, `commands`; and faults: `reject_token`, `delays`, `inject_error`, `blocked`,
`rate_limits`.
"""

from __future__ import annotations

import asyncio
import itertools
import re
import time
from collections.abc import Callable, Iterator

from aiohttp import web

from sandbox.errors import JSON, BotApiError, bad_request
from sandbox.flood_limits import FloodLimits
from sandbox.formatting import parse_html, utf16_len
from sandbox.models import (
    ApiCall,
    CallbackNotice,
    CallbackQueryRecord,
    ChatMessage,
    ChatUser,
    NoSuchButtonError,
    Predicate,
    ReplyTimeoutError,
)
from sandbox.params import Params, image_size, read_params

MESSAGE_MAX = 4096
CAPTION_MAX = 1024
CALLBACK_DATA_MAX = 64  # bytes
CALLBACK_ANSWER_MAX = 200
UPDATES_LIMIT = 100
SANDBOX_TOKEN = "123456:SANDBOX"  # noqa: S105 - not a secret: the local server's own token
CLIENT_CLOSED = 499  # recorded for requests whose client went away (no answer is sent)
# Update types Telegram sends when allowed_updates was never set.
_NOT_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})

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


def _blocked() -> BotApiError:
    """Sends, edits and deletions in the chat of a user who blocked the bot."""
    return BotApiError(403, "Forbidden: bot was blocked by the user")


class BotApiServer:
    """The server and the world behind it: users, chats, the update queue.

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
        self.token = token
        self.bot_id = int(token.split(":")[0])
        self.bot_username = bot_username
        self.bot_name = bot_name

        # What tests may read (and some of it set).
        self.calls: list[ApiCall] = []
        self.users: dict[int, ChatUser] = {}
        self.chats: dict[int, list[ChatMessage]] = {}
        self.callback_queries: dict[str, CallbackQueryRecord] = {}
        self.notices: list[CallbackNotice] = []  # what answerCallbackQuery showed the users
        self.commands: dict[tuple[str, str], list[JSON]] = {}  # (scope, language) -> commands
        self.deliveries: dict[int, int] = {}  # update_id -> times returned by getUpdates
        self.confirmed_offset = 0  # every update below this was confirmed
        self.reject_token = False  # True: every request is answered 401 Unauthorized
        self.webhook_url = ""  # non-empty: getUpdates is refused with 409, as with a webhook
        self.blocked: set[int] = set()  # users who blocked the bot: sending to them is 403
        self.flood_limits: FloodLimits | None = None  # None: no 429s
        self.delays: dict[str, float] = {}  # method -> seconds to hold each call before answering
        self.allowed_updates: list[str] | None = None
        self.last_update_id = 0  # of the newest update a user action produced

        self._updates: list[JSON] = []  # queued and not yet confirmed, in order
        self._update_ids = itertools.count(700_000_001)
        self._query_ids = itertools.count(4_400_000_000_000_001)
        self._file_ids = itertools.count(1)
        self._chat_message_ids: dict[int, Iterator[int]] = {}
        self._marks: dict[int, int] = {}  # user id -> change counter at their last action
        self._faults: dict[str, list[BotApiError]] = {}
        self._seq = 0
        self.people_seq = 0  # the change counter when a user was last added, blocked, unblocked
        self._changed = asyncio.Event()
        self._poll_generation = 0
        self._held_polls = 0
        self._closing = False
        self._runner: web.AppRunner | None = None
        self.port = 0

    # --- lifecycle ----------------------------------------------------------------------

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

    # --- the users' side ------------------------------------------------------------------

    def add_user(
        self,
        user_id: int,
        first_name: str = "Аня",
        language_code: str | None = "ru",
        username: str | None = None,
    ) -> ChatUser:
        """Describe a user (otherwise one is made up the first time they act)."""
        user = ChatUser(user_id, first_name, language_code, username)
        self.users[user_id] = user
        self.chats.setdefault(user_id, [])
        self._touch()
        self.people_seq = self._seq
        return user

    def _user(self, user_id: int) -> ChatUser:
        return self.users.get(user_id) or self.add_user(user_id)

    async def user_sends(self, user_id: int, text: str) -> ChatMessage:
        """The user writes `text` to the bot in their private chat; queues a message update."""
        message = self._user_message(user_id)
        message.text = message.source = text
        if text.startswith("/"):
            command = text.split()[0]
            message.entities = [{"type": "bot_command", "offset": 0, "length": utf16_len(command)}]
        return self._user_sent(message)

    async def user_sends_photo(self, user_id: int, image: bytes, caption: str = "") -> ChatMessage:
        """The user sends a photo (PNG or JPEG bytes), with an optional caption."""
        message = self._user_message(user_id)
        width, height = image_size(image)
        number = next(self._file_ids)
        message.photo = image
        message.photo_sizes = [
            {
                "file_id": f"AgACAgIAAxkBAAU{number:08d}",
                "file_unique_id": f"AQAE{number:08d}",
                "width": width,
                "height": height,
                "file_size": len(image),
            }
        ]
        message.text = message.source = caption
        return self._user_sent(message)

    async def user_sends_sticker(self, user_id: int, emoji: str = "👍") -> ChatMessage:
        """The user sends a sticker."""
        message = self._user_message(user_id)
        number = next(self._file_ids)
        message.sticker = {
            "file_id": f"CAACAgIAAxkBAAU{number:08d}",
            "file_unique_id": f"AgAE{number:08d}",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }
        return self._user_sent(message)

    def _user_message(self, user_id: int) -> ChatMessage:
        self._user(user_id)
        return ChatMessage(user_id, self._next_message_id(user_id), False, int(time.time()))

    def _user_sent(self, message: ChatMessage) -> ChatMessage:
        self._store(message)
        self._mark(message.chat_id)
        self._queue("message", self._message_payload(message))
        return message

    def user_blocks(self, user_id: int, *, blocked: bool = True) -> None:
        """The user blocks (or unblocks) the bot: sends to them fail with 403 until unblocked.
        Telegram tells the bot with a my_chat_member update; so does this server."""
        user = self._user(user_id)
        if (user_id in self.blocked) == blocked:
            return
        member: JSON = {"status": "member", "user": self._bot_user()}
        kicked: JSON = {"status": "kicked", "user": self._bot_user(), "until_date": 0}
        old, new = (member, kicked) if blocked else (kicked, member)
        if blocked:
            self.blocked.add(user_id)
        else:
            self.blocked.discard(user_id)
        self._mark(user_id)
        self.people_seq = self._seq
        self._queue(
            "my_chat_member",
            {
                "chat": user.as_chat(),
                "from": user.as_user(),
                "date": int(time.time()),
                "old_chat_member": old,
                "new_chat_member": new,
            },
        )

    async def user_presses(
        self, user_id: int, button_text: str, *, message_id: int | None = None
    ) -> str:
        """The user presses the button labelled `button_text` (exactly) in the newest bot message
        that has it (or in message `message_id`); queues a callback query, returns its id."""
        for message in reversed(self.chat(user_id)):
            if not message.from_bot or message.deleted:
                continue
            if message_id is not None and message.message_id != message_id:
                continue
            button = message.button(button_text)
            if button is None:
                continue
            data = button.get("callback_data")
            if not isinstance(data, str):
                raise AssertionError(f"button {button_text!r} is not a callback button: {button}")
            return await self.user_presses_data(user_id, data, message.message_id)
        shown = self.last_bot_message(user_id)
        raise NoSuchButtonError(
            f"user {user_id} sees no button {button_text!r};"
            f" the last bot message has {shown.buttons if shown else []}\n{self.describe(user_id)}"
        )

    async def user_presses_data(self, user_id: int, data: str, message_id: int) -> str:
        """A callback query with any data (a forged or an outdated button) on a bot message."""
        user = self._user(user_id)
        message = self._find_message(user_id, message_id)
        if message is None:
            raise AssertionError(f"no message {message_id} in chat {user_id}")
        query_id = str(next(self._query_ids))
        payload: JSON = {
            "id": query_id,
            "from": user.as_user(),
            "message": self._message_payload(message),
            "chat_instance": f"-{user_id}42",
            "data": data,
        }
        self._mark(user_id)
        update_id = self._queue("callback_query", payload)
        self.callback_queries[query_id] = CallbackQueryRecord(
            query_id, user_id, message_id, data, update_id
        )
        return query_id

    # --- what the tests wait for and read -----------------------------------------------

    def chat(self, user_id: int) -> list[ChatMessage]:
        return self.chats.get(user_id, [])

    def bot_messages(self, user_id: int) -> list[ChatMessage]:
        return [m for m in self.chat(user_id) if m.from_bot and not m.deleted]

    def last_bot_message(self, user_id: int) -> ChatMessage | None:
        messages = self.bot_messages(user_id)
        return messages[-1] if messages else None

    def mark(self, user_id: int) -> int:
        """The change counter at the user's last action: replies are what changed after it."""
        return self._marks.get(user_id, 0)

    async def wait_for_reply(
        self,
        user_id: int,
        predicate: Predicate | None = None,
        *,
        timeout: float = 10.0,
        since: int | None = None,
    ) -> ChatMessage:
        """The newest bot message in the chat sent or edited since the user's last action (or
        since the change counter `since`) that satisfies `predicate`; waits for one to appear."""
        after = self.mark(user_id) if since is None else since

        def found() -> ChatMessage | None:
            for message in reversed(self.bot_messages(user_id)):
                if message.seq > after and (predicate is None or predicate(message)):
                    return message
            return None

        if not await self.wait_until(lambda: found() is not None, timeout):
            raise ReplyTimeoutError(
                f"no matching reply to user {user_id} within {timeout}s\n{self.describe(user_id)}"
            )
        message = found()
        assert message is not None
        return message

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

    async def wait_for_answer(self, query_id: str, *, timeout: float = 10.0) -> JSON:
        """The first answer to callback query `query_id`."""
        record = self.callback_queries[query_id]
        if not await self.wait_until(lambda: bool(record.answers), timeout):
            raise ReplyTimeoutError(f"callback query {query_id} ({record.data}) not answered")
        return record.answers[0]

    async def wait_for_delivery(self, update_id: int, *, timeout: float = 10.0) -> None:
        """Until a getUpdates answer carried update `update_id`."""
        if not await self.wait_until(lambda: self.deliveries.get(update_id, 0) > 0, timeout):
            raise ReplyTimeoutError(f"update {update_id} not fetched within {timeout}s")

    @property
    def seq(self) -> int:
        """The change counter: every call, message, edit and user action moves it on."""
        return self._seq

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

    @property
    def pending_updates(self) -> list[JSON]:
        """Queued updates not yet confirmed by an offset."""
        return list(self._updates)

    def is_confirmed(self, update_id: int) -> bool:
        return update_id < self.confirmed_offset

    @property
    def answered_callbacks(self) -> dict[str, int]:
        """How many times each callback query was answered (0: never)."""
        return {qid: len(record.answers) for qid, record in self.callback_queries.items()}

    def calls_to(self, method: str) -> list[ApiCall]:
        name = CANONICAL.get(method.lower(), method)
        return [call for call in self.calls if call.method == name]

    def failed_calls(self) -> list[ApiCall]:
        """Calls answered with an error (not the long polls a stopping bot walked away from)."""
        return [call for call in self.calls if call.done and not call.ok and not call.cancelled]

    def inject_error(
        self, method: str, code: int, description: str, *, retry_after: int | None = None
    ) -> None:
        """The next call of `method` fails with this error (call again to queue more)."""
        name = CANONICAL.get(method.lower(), method)
        self._faults.setdefault(name, []).append(BotApiError(code, description, retry_after))

    def summary(self, last: int = 15) -> str:
        lines = []
        for call in self.calls[-last:]:
            status = "..." if not call.done else ("ok" if call.ok else call.description)
            lines.append(f"  {call.method}: {status}")
        return "\n" + "\n".join(lines)

    def describe(self, user_id: int, last: int = 3) -> str:
        """The end of a chat and of the call log, for failure messages."""
        parts = [f"last messages in chat {user_id}:"]
        for message in self.chat(user_id)[-last:]:
            who = "bot" if message.from_bot else "user"
            text = message.text if len(message.text) < 300 else message.text[:300] + "…"
            parts.append(f"  [{who} #{message.message_id}] {text!r} {message.buttons}")
        parts.append("last calls:" + self.summary())
        return "\n".join(parts)

    # --- internals: state changes --------------------------------------------------------

    def _touch(self) -> None:
        self._seq += 1
        event, self._changed = self._changed, asyncio.Event()
        event.set()

    async def wait_until(self, condition: Callable[[], bool], timeout: float) -> bool:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not condition():
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            try:
                await asyncio.wait_for(self._changed.wait(), remaining)
            except TimeoutError:
                return condition()
        return True

    def _mark(self, user_id: int) -> None:
        self._touch()
        self._marks[user_id] = self._seq

    def _next_message_id(self, chat_id: int) -> int:
        # A private chat numbers both sides' messages in one sequence.
        ids = self._chat_message_ids.setdefault(chat_id, itertools.count(1))
        return next(ids)

    def _store(self, message: ChatMessage) -> None:
        self._touch()
        message.seq = self._seq
        self.chats.setdefault(message.chat_id, []).append(message)

    def _changed_message(self, message: ChatMessage) -> None:
        self._touch()
        message.seq = self._seq

    def _queue(self, kind: str, payload: JSON) -> int:
        update_id = next(self._update_ids)
        self.last_update_id = update_id
        # Telegram does not keep what the bot did not ask for; an empty list means the default.
        wanted = (
            kind in self.allowed_updates if self.allowed_updates else kind not in _NOT_BY_DEFAULT
        )
        if not wanted:
            return update_id
        self._updates.append({"update_id": update_id, kind: payload})
        self._touch()
        return update_id

    def _find_message(self, chat_id: int, message_id: int) -> ChatMessage | None:
        for message in self.chat(chat_id):
            if message.message_id == message_id and not message.deleted:
                return message
        return None

    def _bot_user(self) -> JSON:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_name,
            "username": self.bot_username,
        }

    def _message_payload(self, message: ChatMessage) -> JSON:
        user = self._user(message.chat_id)
        payload: JSON = {
            "message_id": message.message_id,
            "from": self._bot_user() if message.from_bot else user.as_user(),
            "chat": user.as_chat(),
            "date": message.date,
        }
        if message.edits:
            payload["edit_date"] = int(time.time())
        key = "caption" if message.has_caption else "text"
        if message.text:
            payload[key] = message.text
        if message.entities:
            payload["caption_entities" if message.has_caption else "entities"] = message.entities
        if message.photo_sizes is not None:
            payload["photo"] = message.photo_sizes
        if message.document is not None:
            payload["document"] = message.document
        if message.sticker is not None:
            payload["sticker"] = message.sticker
        if message.keyboard is not None:
            payload["reply_markup"] = {"inline_keyboard": message.keyboard}
        return payload

    # --- internals: HTTP ------------------------------------------------------------------

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

    # --- internals: the methods (named _api_<canonical name>) --------------------------

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

    def _chat_for_send(self, p: Params) -> ChatUser:
        if not p.has("chat_id"):
            raise bad_request("chat_id is empty")
        try:
            chat_id = int(str(p.values["chat_id"]))
        except ValueError:
            raise bad_request("chat not found") from None
        user = self.users.get(chat_id)
        if user is None:
            raise bad_request("chat not found")
        if chat_id in self.blocked:
            raise _blocked()
        return user

    def _formatted(self, p: Params, name: str, entities_name: str) -> tuple[str, str, list[JSON]]:
        """A text parameter as the user will see it: (plain text, source, entities)."""
        source = p.text(name) or ""
        mode = p.text("parse_mode")
        if mode is None:
            given = p.obj(entities_name)
            return source, source, given if isinstance(given, list) else []
        if mode.lower() == "html":
            text, entities = parse_html(source)
            return text, source, entities
        if mode.lower() in ("markdown", "markdownv2"):
            return source, source, []  # not parsed here: the bot writes HTML
        raise bad_request("unsupported parse_mode")

    def _keyboard(self, p: Params) -> list[list[JSON]] | None:
        markup = p.obj("reply_markup")
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise bad_request("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" not in markup:
            # Reply keyboards and keyboard removal are accepted but not shown as buttons here.
            return None
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise bad_request('field "inline_keyboard" must be an Array of Arrays')
        for row in rows:
            for button in row:
                if not isinstance(button, dict) or not str(button.get("text", "")):
                    raise bad_request("can't parse inline keyboard button: Text must be non-empty")
                kinds = {
                    "callback_data",
                    "url",
                    "switch_inline_query",
                    "web_app",
                    "pay",
                    "login_url",
                    "copy_text",
                    "callback_game",
                    "switch_inline_query_current_chat",
                    "switch_inline_query_chosen_chat",
                } & button.keys()
                if not kinds:
                    raise bad_request("text buttons are unallowed in the inline keyboard")
                if len(kinds) > 1:
                    raise bad_request(
                        "can't parse inline keyboard button: exactly one field must be set"
                    )
                data = button.get("callback_data")
                if "callback_data" in button and (
                    not isinstance(data, str) or not 1 <= len(data.encode()) <= CALLBACK_DATA_MAX
                ):
                    raise bad_request("BUTTON_DATA_INVALID")
                url = button.get("url")
                if "url" in button and not (
                    isinstance(url, str) and re.match(r"^(https?|tg)://\S+$", url)
                ):
                    raise bad_request("BUTTON_URL_INVALID")
        return [[dict(button) for button in row] for row in rows]

    async def _api_sendMessage(self, p: Params) -> JSON:
        user = self._chat_for_send(p)
        text, source, entities = self._formatted(p, "text", "entities")
        if not text.strip():
            raise bad_request("message text is empty")
        if utf16_len(text) > MESSAGE_MAX:
            raise bad_request("message is too long")
        keyboard = self._keyboard(p)
        message = ChatMessage(user.id, self._next_message_id(user.id), True, int(time.time()))
        message.text, message.source, message.entities = text, source, entities
        message.keyboard = keyboard
        self._store(message)
        return self._message_payload(message)

    def _input_file(self, p: Params, name: str) -> bytes | ChatMessage | None:
        """An InputFile parameter: the uploaded bytes, the earlier message that carries a
        file_id (the same file again), or None for a URL (nothing is downloaded here)."""
        reference = p.text(name)
        if name in p.files:
            return p.files[name]
        if reference and reference.startswith("attach://"):
            key = reference.removeprefix("attach://")  # aiogram's way: a random field name
            data = p.files.get(key)
            if data is None:
                raise bad_request("wrong file identifier/HTTP URL specified")
            p.files_names.setdefault(name, p.files_names.get(key, name))
            return data
        if reference is None:
            raise bad_request(f"there is no {name} in the request")
        if re.match(r"^https?://", reference):
            return None
        earlier = self._message_with_file(reference)
        if earlier is None:
            raise bad_request("wrong file identifier/HTTP URL specified")
        return earlier

    def _caption(self, p: Params) -> tuple[str, str, list[JSON]]:
        caption, source, entities = self._formatted(p, "caption", "caption_entities")
        if utf16_len(caption) > CAPTION_MAX:
            raise bad_request("message caption is too long")
        return caption, source, entities

    def _new_bot_message(self, user: ChatUser) -> ChatMessage:
        return ChatMessage(user.id, self._next_message_id(user.id), True, int(time.time()))

    async def _api_sendPhoto(self, p: Params) -> JSON:
        user = self._chat_for_send(p)
        given = self._input_file(p, "photo")
        caption, source, entities = self._caption(p)
        keyboard = self._keyboard(p)
        message = self._new_bot_message(user)
        if isinstance(given, ChatMessage) and given.photo_sizes is not None:
            message.photo, message.photo_sizes = given.photo, given.photo_sizes  # the same file
        elif isinstance(given, ChatMessage):
            raise bad_request("wrong file identifier/HTTP URL specified")  # not a photo's id
        else:
            width, height = image_size(given) if given is not None else (320, 320)
            number = next(self._file_ids)
            message.photo = given
            message.photo_sizes = [
                {
                    "file_id": f"AgACAgIAAxkBAAI{number:08d}",
                    "file_unique_id": f"AQAD{number:08d}",
                    "width": width,
                    "height": height,
                    "file_size": len(given or b""),
                }
            ]
        message.text, message.source, message.entities = caption, source, entities
        message.keyboard = keyboard
        self._store(message)
        return self._message_payload(message)

    async def _api_sendDocument(self, p: Params) -> JSON:
        user = self._chat_for_send(p)
        given = self._input_file(p, "document")
        caption, source, entities = self._caption(p)
        keyboard = self._keyboard(p)
        message = self._new_bot_message(user)
        if isinstance(given, ChatMessage) and given.document is not None:
            message.document, message.document_data = given.document, given.document_data
        elif isinstance(given, ChatMessage):
            raise bad_request("wrong file identifier/HTTP URL specified")
        else:
            number = next(self._file_ids)
            message.document_data = given
            message.document = {
                "file_id": f"BQACAgIAAxkBAAI{number:08d}",
                "file_unique_id": f"AgAD{number:08d}",
                "file_name": p.files_names.get("document", "document"),
                "file_size": len(given or b""),
            }
        message.text, message.source, message.entities = caption, source, entities
        message.keyboard = keyboard
        self._store(message)
        return self._message_payload(message)

    async def _api_copyMessage(self, p: Params) -> JSON:
        user = self._chat_for_send(p)
        if not p.has("from_chat_id"):
            raise bad_request("chat_id is empty")
        message_id = p.integer("message_id", missing="message identifier is not specified")
        assert message_id is not None
        original = self._find_message(p.integer("from_chat_id") or 0, message_id)
        if original is None:
            raise bad_request("message to copy not found")
        copy = self._new_bot_message(user)
        copy.text, copy.source, copy.entities = original.text, original.source, original.entities
        copy.photo, copy.photo_sizes = original.photo, original.photo_sizes
        copy.document, copy.document_data = original.document, original.document_data
        copy.sticker = original.sticker
        if p.has("caption"):
            if not copy.has_caption:
                raise bad_request("there is no caption in the message")
            copy.text, copy.source, copy.entities = self._caption(p)
        copy.keyboard = self._keyboard(p)
        self._store(copy)
        return {"message_id": copy.message_id}

    def _message_with_file(self, file_id: str) -> ChatMessage | None:
        """The first message that carried the file `file_id`."""
        for messages in self.chats.values():
            for m in messages:
                if file_id in {size["file_id"] for size in m.photo_sizes or []}:
                    return m
                if m.document is not None and m.document["file_id"] == file_id:
                    return m
        return None

    def _message_to_edit(self, p: Params) -> ChatMessage:
        if p.has("inline_message_id"):
            raise bad_request("MESSAGE_ID_INVALID")  # the bot sends no inline messages
        if not p.has("chat_id"):
            raise bad_request("chat_id is empty")
        message_id = p.integer("message_id", missing="message identifier is not specified")
        assert message_id is not None
        try:
            chat_id = int(str(p.values["chat_id"]))
        except ValueError:
            raise bad_request("chat not found") from None
        if chat_id not in self.users:
            raise bad_request("chat not found")
        if chat_id in self.blocked:
            raise _blocked()
        message = self._find_message(chat_id, message_id)
        if message is None:
            raise bad_request("message to edit not found")
        if not message.from_bot:
            raise bad_request("message can't be edited")
        return message

    _NOT_MODIFIED = (
        "message is not modified: specified new message content and reply markup are exactly"
        " the same as a current content and reply markup of the message"
    )

    async def _api_editMessageText(self, p: Params) -> JSON:
        message = self._message_to_edit(p)
        if message.has_caption:
            raise bad_request("there is no text in the message to edit")
        text, source, entities = self._formatted(p, "text", "entities")
        if not text.strip():
            raise bad_request("message text is empty")
        if utf16_len(text) > MESSAGE_MAX:
            raise bad_request("MESSAGE_TOO_LONG")
        keyboard = self._keyboard(p)
        if (text, entities, keyboard) == (message.text, message.entities, message.keyboard):
            raise bad_request(self._NOT_MODIFIED)
        message.text, message.source, message.entities = text, source, entities
        message.keyboard = keyboard
        message.edits += 1
        self._changed_message(message)
        return self._message_payload(message)

    async def _api_editMessageReplyMarkup(self, p: Params) -> JSON:
        message = self._message_to_edit(p)
        keyboard = self._keyboard(p)
        if keyboard == message.keyboard:
            raise bad_request(self._NOT_MODIFIED)
        message.keyboard = keyboard
        message.edits += 1
        self._changed_message(message)
        return self._message_payload(message)

    async def _api_deleteMessage(self, p: Params) -> bool:
        if not p.has("chat_id"):
            raise bad_request("chat_id is empty")
        message_id = p.integer("message_id", missing="message identifier is not specified")
        assert message_id is not None
        chat_id = p.integer("chat_id")
        if chat_id in self.blocked:
            raise _blocked()
        message = self._find_message(chat_id or 0, message_id)
        if message is None:
            raise bad_request("message to delete not found")
        message.deleted = True
        self._changed_message(message)
        return True

    async def _api_answerCallbackQuery(self, p: Params) -> bool:
        query_id = p.text("callback_query_id")
        if query_id is None:
            raise bad_request("QUERY_ID_INVALID")
        text = p.text("text") or ""
        if utf16_len(text) > CALLBACK_ANSWER_MAX:
            raise bad_request("MESSAGE_TOO_LONG")  # not an answer: the query may be answered
        record = self.callback_queries.get(query_id)
        answered_before = record is not None and bool(record.answers)
        if record is not None:
            record.answers.append(dict(p.values))  # a second answer is recorded, and refused
        if record is None or answered_before:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        if text:
            self._touch()
            self.notices.append(
                CallbackNotice(record.user_id, text, p.flag("show_alert"), self._seq)
            )
        return True
