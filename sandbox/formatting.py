"""Telegram's HTML parse mode: the plain text a user reads and its entities.

Offsets and lengths are in UTF-16 code units, as the Bot API counts them; only the tags Telegram
supports are accepted, and a malformed text fails as Telegram fails it ("can't parse entities").
"""

from __future__ import annotations

import re

from sandbox.errors import JSON, BotApiError, bad_request

_ENTITY_OF_TAG = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_START_TAG = re.compile(
    r"<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z_-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>\"']+))?)*)\s*>"
)
_ATTRIBUTE = re.compile(r"([a-zA-Z_-]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>\"']+)))?")
_END_TAG = re.compile(r"</([a-zA-Z][a-zA-Z0-9-]*)\s*>")
_CHAR_REF = re.compile(r"&(?:(lt|gt|amp|quot)|#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6}));")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


def utf16_len(text: str) -> int:
    # surrogatepass: a lone surrogate (JSON allows "\ud800") counts as the one unit it is
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _unescape(value: str) -> str:
    return _CHAR_REF.sub(
        lambda m: _NAMED[m[1]] if m[1] else chr(int(m[2]) if m[2] else int(m[3], 16)), value
    )


def parse_html(source: str) -> tuple[str, list[JSON]]:
    """Telegram's HTML parse mode: the plain text and its entities (offsets in UTF-16 units)."""

    def fail(reason: str, at: int) -> BotApiError:
        offset = len(source[:at].encode())
        return bad_request(f"can't parse entities: {reason} at byte offset {offset}")

    out: list[str] = []
    length = 0  # of the plain text so far, in UTF-16 code units
    open_tags: list[tuple[str, int, dict[str, str]]] = []
    entities: list[JSON] = []
    i = 0
    while i < len(source):
        char = source[i]
        if char == "&":
            ref = _CHAR_REF.match(source, i)
            piece = _unescape(ref[0]) if ref else "&"
            i = ref.end() if ref else i + 1
        elif char == "<":
            if source.startswith("</", i):
                end = _END_TAG.match(source, i)
                if end is None:
                    raise fail("Unexpected end tag", i)
                name = end[1].lower()
                if not open_tags or open_tags[-1][0] != name:
                    expected = f'"</{open_tags[-1][0]}>"' if open_tags else "nothing"
                    raise fail(f'Unmatched end tag, expected {expected}, found "</{name}>"', i)
                _, begin, attrs = open_tags.pop()
                if length > begin:
                    entities.append(_entity(name, begin, length - begin, attrs))
                i = end.end()
                continue
            start = _START_TAG.match(source, i)
            if start is None:
                raise fail('Unsupported start tag ""', i)
            name = start[1].lower()
            if name not in _ENTITY_OF_TAG:
                raise fail(f'Unsupported start tag "{name}"', i)
            attrs = {
                a[1].lower(): _unescape(a[2] or a[3] or a[4] or "")
                for a in _ATTRIBUTE.finditer(start[2])
            }
            if name == "span" and attrs.get("class") != "tg-spoiler":
                raise fail('Tag "span" must have class "tg-spoiler"', i)
            open_tags.append((name, length, attrs))
            i = start.end()
            continue
        else:
            piece = char
            i += 1
        out.append(piece)
        length += utf16_len(piece)
    if open_tags:
        raise bad_request(
            "can't parse entities: Can't find end tag corresponding to start tag"
            f' "{open_tags[-1][0]}"'
        )
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _entity(tag: str, offset: int, length: int, attrs: dict[str, str]) -> JSON:
    entity: JSON = {"type": _ENTITY_OF_TAG[tag], "offset": offset, "length": length}
    if tag == "a":
        href = attrs.get("href", "")
        if href.startswith("tg://user?id="):
            entity["type"] = "text_mention"
        else:
            entity["url"] = href
    elif tag == "pre" and "language" in attrs:
        entity["language"] = attrs["language"]
    return entity
