"""The world behind the sandbox's Bot API: the people, their private chats with the bot, the
updates waiting for it, and what the people do (write, send a photo or a sticker, press a
button, block the bot). The page and the tests act through it and read the chats back; the
HTTP side (`sandbox.bot_api`) serves the bot from the same state.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable, Iterator

from sandbox.errors import JSON
from sandbox.formatting import utf16_len
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
from sandbox.params import image_size

# Update types Telegram sends when allowed_updates was never set.
_NOT_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


class ChatWorld:
    """Users, chats and the update queue, with a change counter everyone can wait on."""

    def __init__(self, token: str, bot_username: str, bot_name: str) -> None:
        self.token = token
        self.bot_id = int(token.split(":")[0])
        self.bot_username = bot_username
        self.bot_name = bot_name

        # What tests may read (and some of it set).
        self.calls: list[ApiCall] = []  # every request the server got
        self.users: dict[int, ChatUser] = {}
        self.chats: dict[int, list[ChatMessage]] = {}
        self.callback_queries: dict[str, CallbackQueryRecord] = {}
        self.notices: list[CallbackNotice] = []  # what answerCallbackQuery showed the users
        self.confirmed_offset = 0  # every update below this was confirmed
        self.blocked: set[int] = set()  # users who blocked the bot: sending to them is 403
        self.allowed_updates: list[str] | None = None
        self.last_update_id = 0  # of the newest update a user action produced
        self.people_seq = 0  # the change counter when a user was last added, blocked, unblocked

        self._updates: list[JSON] = []  # queued and not yet confirmed, in order
        self._update_ids = itertools.count(700_000_001)
        self._query_ids = itertools.count(4_400_000_000_000_001)
        self._file_ids = itertools.count(1)
        self._chat_message_ids: dict[int, Iterator[int]] = {}
        self._marks: dict[int, int] = {}  # user id -> change counter at their last action
        self._seq = 0
        self._changed = asyncio.Event()

    # --- the users' side ----------------------------------------------------------------------

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
        message.photo, message.photo_sizes = image, self._new_photo(image)
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

    def _new_photo(self, image: bytes | None) -> list[JSON]:
        """A new file's PhotoSize list (one size); None: a photo given by URL, not fetched."""
        width, height = image_size(image) if image is not None else (320, 320)
        number = next(self._file_ids)
        return [
            {
                "file_id": f"AgACAgIAAxkBAAI{number:08d}",
                "file_unique_id": f"AQAD{number:08d}",
                "width": width,
                "height": height,
                "file_size": len(image or b""),
            }
        ]

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

    # --- what the tests wait for and read -----------------------------------------------------

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

    async def wait_for_answer(self, query_id: str, *, timeout: float = 10.0) -> JSON:
        """The first answer to callback query `query_id`."""
        record = self.callback_queries[query_id]
        if not await self.wait_until(lambda: bool(record.answers), timeout):
            raise ReplyTimeoutError(f"callback query {query_id} ({record.data}) not answered")
        return record.answers[0]

    @property
    def seq(self) -> int:
        """The change counter: every call, message, edit and user action moves it on."""
        return self._seq

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

    # --- internals: state changes -------------------------------------------------------------

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
