"""Filters for the routers, as async Filter classes.

aiogram runs a synchronous filter, magic filters (`F....`) included, through asyncio.to_thread
on every event: a thread-pool hop per check. On the hot path these plain async filters do the
same checks inline.
"""

from __future__ import annotations

import re
from typing import Any

from aiogram.dispatcher.event.handler import HandlerObject
from aiogram.filters import Command, Filter, StateFilter
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


Word = tuple[str, str]  # a command's prefix and name


class _Needs:
    """What one handler needs of a message before its other filters are even asked: one of
    its commands (each Command filter it has), and its states (each StateFilter)."""

    __slots__ = ("commands", "states")

    def __init__(self, commands: list[Command], states: list[StateFilter]) -> None:
        self.commands = commands
        self.states = states

    async def met(self, message: Message, word: Word | None, raw_state: str | None) -> bool:
        if any(not _names(command, word) for command in self.commands):
            return False
        for state in self.states:
            if not await state(message, raw_state=raw_state):
                return False
        return True


def _first_word(message: Message) -> Word | None:
    """A command's prefix and name as aiogram's Command reads them: `/name@bot args`."""
    text = message.text or message.caption
    words = text.split(maxsplit=1) if text else []
    if not words:
        return None
    return words[0][0], words[0][1:].partition("@")[0]


def _names(command: Command, word: Word | None) -> bool:
    """Whether `command` could match `word` (a pattern, a mention or a deep link aside)."""
    if word is None:
        return False
    prefix, name = word
    if prefix not in command.prefix:
        return False
    if command.ignore_case:
        name = name.casefold()
    return any(isinstance(known, re.Pattern) or known == name for known in command.commands)


class HandlersGate(Filter):
    """A router's first check of a message: could any of its message handlers take it?

    aiogram tries a message against each handler of each router in turn, and every Command
    filter asked does real work (it splits the text, checks the prefix, the mention, the
    name): a command, or text no state awaits, reaches the last routers after some 30 of
    them. The gate is made from the router's own handlers once they are registered (`of`),
    and only ever lets too much through, never too little: a handler with Command filters
    takes only the commands they name; one with a StateFilter only messages in its states;
    a handler with neither may take anything, and such a router gets no gate."""

    def __init__(self, needs: list[_Needs]) -> None:
        self._needs = needs

    @classmethod
    def of(cls, handlers: list[HandlerObject]) -> HandlersGate | None:
        needs = []
        for handler in handlers:
            checks = [f.callback for f in handler.filters or ()]
            commands = [c for c in checks if isinstance(c, Command)]
            states = [c for c in checks if isinstance(c, StateFilter)]
            if not commands and not states:
                return None  # it may take any message
            needs.append(_Needs(commands, states))
        return cls(needs) if needs else None

    async def __call__(self, message: Message, raw_state: str | None = None) -> bool:
        word = _first_word(message)
        for need in self._needs:
            if await need.met(message, word, raw_state):
                return True
        return False
