"""Filters for the routers, as async Filter classes.

aiogram runs a synchronous filter, magic filters (`F....`) included, through asyncio.to_thread
on every event: a thread-pool hop per check. On the hot path these plain async filters do the
same checks inline.
"""

from __future__ import annotations

from typing import Any

from aiogram.filters import Filter
from aiogram.types import Message

from bot.access import AccessControl


class PrivateChat(Filter):
    """The bot talks to people one to one; in groups it stays silent."""

    async def __call__(self, message: Message) -> bool:
        return message.chat.type == "private"


class TypedAnswer(Filter):
    """Text that is not a command: a name, a school to search for, a class."""

    async def __call__(self, message: Message) -> bool:
        return message.text is not None and not message.text.startswith("/")


class InvitePayload(Filter):
    """/start i_<token>: an invite link, not a class poster."""

    async def __call__(self, message: Message) -> bool:
        parts = (message.text or "").split(maxsplit=1)
        return len(parts) == 2 and parts[1].startswith("i_")


class IsCommand(Filter):
    """A command (known or not): a typed state answers the unknown ones with what it awaits."""

    async def __call__(self, message: Message) -> bool:
        return message.text is not None and message.text.startswith("/")


class StaffMember(Filter):
    """A teacher, a school admin or a super admin; passes their `access` on. Anyone else falls
    through to the student's handler of the same command."""

    async def __call__(
        self, message: Message, access_control: AccessControl
    ) -> bool | dict[str, Any]:
        access = await access_control.of(message.chat.id)
        if access.is_staff():
            return {"access": access}
        return False


class NotText(Filter):
    """A sticker, a photo, a voice message...: anything but text."""

    async def __call__(self, message: Message) -> bool:
        return message.text is None
