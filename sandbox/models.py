"""What the sandbox keeps: every Bot API call, the people, their chats and button presses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sandbox.errors import JSON

Predicate = Callable[["ChatMessage"], bool]


class ReplyTimeoutError(AssertionError):
    """The bot did not do what the test waited for; the message says what it did instead."""


class NoSuchButtonError(AssertionError):
    """The user sees no button with that label."""


# --- what the tests look at -------------------------------------------------------------------


@dataclass
class ApiCall:
    """One request to the server, as received, and how it was answered."""

    method: str  # canonical spelling ("sendMessage") if known, else as in the URL
    params: JSON  # object parameters decoded from JSON; files are in `files`
    files: dict[str, bytes]
    at: float  # time.monotonic() at arrival
    status: int = 0  # HTTP status of the answer; 0 while the request is being served
    description: str = ""  # the error description, for failed calls
    result: Any = None
    cancelled: bool = False  # the client closed the connection before the answer

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def done(self) -> bool:
        return self.status != 0


@dataclass
class ChatMessage:
    """A message in a private chat, as the user sees it now."""

    chat_id: int
    message_id: int
    from_bot: bool
    date: int
    text: str = ""  # after parsing the markup: what the user reads (a photo's caption)
    source: str = ""  # as the bot sent it (HTML), or as the user typed it
    entities: list[JSON] = field(default_factory=list)
    keyboard: list[list[JSON]] | None = None  # inline keyboard rows of buttons
    photo: bytes | None = None  # an uploaded photo's bytes
    photo_sizes: list[JSON] | None = None
    document: JSON | None = None  # a sent file's Document object
    document_data: bytes | None = None
    sticker: JSON | None = None  # a user's sticker (its Sticker object)
    edits: int = 0
    deleted: bool = False
    seq: int = 0  # the server's change counter when this message was last sent, edited, deleted

    @property
    def is_photo(self) -> bool:
        return self.photo_sizes is not None

    @property
    def has_caption(self) -> bool:
        """Photos and documents carry a caption (1024 at most) instead of a text."""
        return self.photo_sizes is not None or self.document is not None

    @property
    def buttons(self) -> list[str]:
        return [str(b.get("text", "")) for row in self.keyboard or [] for b in row]

    def button(self, label: str) -> JSON | None:
        for row in self.keyboard or []:
            for button in row:
                if button.get("text") == label:
                    return button
        return None


@dataclass(frozen=True)
class CallbackNotice:
    """A callback answer's text as the user saw it: a toast, or an alert to dismiss."""

    chat_id: int
    text: str
    alert: bool
    seq: int


@dataclass
class CallbackQueryRecord:
    id: str
    user_id: int
    message_id: int
    data: str
    update_id: int
    answers: list[JSON] = field(default_factory=list)  # params of every answerCallbackQuery


@dataclass
class ChatUser:
    id: int
    first_name: str
    language_code: str | None
    username: str | None = None

    def as_user(self) -> JSON:
        user: JSON = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.username:
            user["username"] = self.username
        if self.language_code:
            user["language_code"] = self.language_code
        return user

    def as_chat(self) -> JSON:
        chat: JSON = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.username:
            chat["username"] = self.username
        return chat


# Predicates for wait_for_reply.


def has_button(label: str) -> Predicate:
    return lambda message: message.button(label) is not None


def contains(text: str) -> Predicate:
    return lambda message: text in message.text


def both(*predicates: Predicate) -> Predicate:
    return lambda message: all(p(message) for p in predicates)
