"""The Bot API methods on messages, as the sandbox server answers them: send (text, photo,
document, copy), edit, delete, and answer a button press; each checks its parameters and limits
as Telegram does (texts parsed in HTML mode, lengths in UTF-16 code units).

`BotApiServer` (sandbox/bot_api.py) routes the HTTP calls here (`_api_<method>`); the chats they
change are the world's (`sandbox.world.ChatWorld`).
"""

from __future__ import annotations

import re
import time

from sandbox.errors import JSON, BotApiError, bad_request
from sandbox.formatting import parse_html, utf16_len
from sandbox.models import CallbackNotice, ChatMessage, ChatUser
from sandbox.params import Params
from sandbox.world import ChatWorld

MESSAGE_MAX = 4096
CAPTION_MAX = 1024
CALLBACK_DATA_MAX = 64  # bytes
CALLBACK_ANSWER_MAX = 200


def _blocked() -> BotApiError:
    """Sends, edits and deletions in the chat of a user who blocked the bot."""
    return BotApiError(403, "Forbidden: bot was blocked by the user")


class MessageMethods(ChatWorld):
    """sendMessage, sendPhoto, sendDocument, copyMessage, editMessageText,
    editMessageReplyMarkup, deleteMessage, answerCallbackQuery."""

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

    def _captioned(self, p: Params, user: ChatUser) -> ChatMessage:
        """A new bot message with the call's caption and keyboard (a photo's, a document's)."""
        caption, source, entities = self._caption(p)
        keyboard = self._keyboard(p)
        message = self._new_bot_message(user)
        message.text, message.source, message.entities = caption, source, entities
        message.keyboard = keyboard
        return message

    async def _api_sendPhoto(self, p: Params) -> JSON:
        user = self._chat_for_send(p)
        given = self._input_file(p, "photo")
        message = self._captioned(p, user)
        if isinstance(given, ChatMessage) and given.photo_sizes is not None:
            message.photo, message.photo_sizes = given.photo, given.photo_sizes  # the same file
        elif isinstance(given, ChatMessage):
            raise bad_request("wrong file identifier/HTTP URL specified")  # not a photo's id
        else:
            message.photo, message.photo_sizes = given, self._new_photo(given)
        self._store(message)
        return self._message_payload(message)

    async def _api_sendDocument(self, p: Params) -> JSON:
        user = self._chat_for_send(p)
        given = self._input_file(p, "document")
        message = self._captioned(p, user)
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
