"""What a content test reads: every text the bot sent or edited, per chat, and the rules a text
must keep whatever the deployment (no other platform's facts, no unfilled placeholder, page ranges
only next to the guide they are for)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from aiogram.methods import EditMessageCaption, EditMessageText, SendMessage, SendPhoto
from fluent.syntax import ast as fl
from fluent.syntax import parse

from bot.i18n import LOCALES_DIR
from bot.platform_profile import PlatformProfile
from tests.support.session import RecordingSession

# Telegram allows 4096; a child on a phone reads far less than that in one message.
MAX_LENGTH = 700

# The `vk` profile's facts, as they must never show under another platform.
VK_WORDS = re.compile(r"\bVK\b|ВКонтакте|VKontakte|vk\.me|vk\.com")
PLACEHOLDERS = ("{$", "{ $", "{???}")
# "(стр. 4–9)", "стр. 34–38", "(pp. 10–13)": the range itself is group 1.
PAGES = re.compile(r"(?:стр\.|pp\.)\s*([0-9][0-9–\-, ]*[0-9])")
_HREF = re.compile(r'href="([^"]*)"')


@dataclass(frozen=True, slots=True)
class Shown:
    """One text as it went out: a new message, an edit, or a photo's caption."""

    chat_id: int
    method: str
    text: str

    def __str__(self) -> str:
        keys = "+".join(dict.fromkeys(keys_in(self.text))) or "?"
        return (
            f"[{self.method} to {self.chat_id}, {len(self.text)} chars, {keys}] {self.text[:80]!r}"
        )


def shown(session: RecordingSession) -> Iterator[Shown]:
    """Every text of the recorded Bot API requests, in order (edits included, not just the last
    state of a message as `session.chats` keeps it)."""
    for request in session.requests:
        text: Any
        if isinstance(request, SendMessage | EditMessageText):
            text = request.text
        elif isinstance(request, SendPhoto | EditMessageCaption):
            text = request.caption
        else:
            continue
        chat_id = getattr(request, "chat_id", None)
        if text is None or not isinstance(chat_id, int | str):
            continue
        yield Shown(int(chat_id), type(request).__name__, str(text))


def vk_leaks(text: str) -> list[str]:
    return VK_WORDS.findall(text)


def placeholders(text: str) -> list[str]:
    return [p for p in PLACEHOLDERS if p in text]


def guides(platform: PlatformProfile) -> dict[str, set[str]]:
    """Guide URL -> the page ranges the profile gives for it (one URL may serve two guides)."""
    found: dict[str, set[str]] = {}
    for guide in (
        platform.student_guide_phone,
        platform.student_guide_computer,
        platform.ejournal_guide,
        platform.admin_guide_structure,
        platform.admin_guide_invite,
    ):
        found.setdefault(guide.url, set())
        if guide.pages:
            found[guide.url].add(guide.pages)
    return found


def stray_pages(text: str, platform: PlatformProfile) -> list[str]:
    """Page ranges not standing right after a link to a guide the profile gives those pages for:
    what is left is a range the reader would look up in the wrong document (or in none)."""
    known = guides(platform)
    stray = []
    for match in PAGES.finditer(text):
        links = _HREF.findall(text, 0, match.start())
        link = links[-1] if links else None
        if link is None or match[1] not in known.get(link, set()):
            stray.append(f"{match[0]} after {link!r}")
    return stray


def _pieces(node: Any) -> Iterator[str]:
    """The literal lines of a Fluent message (its variants' too)."""
    if isinstance(node, fl.TextElement):
        yield from (line.strip() for line in node.value.split("\n"))
    elif isinstance(node, fl.BaseNode):
        for value in vars(node).values():
            for child in value if isinstance(value, list) else [value]:
                yield from _pieces(child)


@lru_cache(maxsize=4)
def _fingerprints(locale: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    found = []
    for path in sorted((LOCALES_DIR / locale).glob("*.ftl")):
        for entry in parse(path.read_text(encoding="utf-8")).body:
            if isinstance(entry, fl.Message):
                pieces = tuple(p for p in _pieces(entry) if len(p) >= 30)
                found.append((entry.id.name, pieces))
    return tuple(found)


def keys_in(text: str) -> list[str]:
    """Which catalogue messages a sent text seems made of (for failure reports)."""
    return [
        key
        for locale in ("ru", "en")
        for key, pieces in _fingerprints(locale)
        if any(piece in text for piece in pieces)
    ]
