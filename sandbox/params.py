"""A Bot API request's parameters, from the query string, JSON, a form or a multipart upload."""

from __future__ import annotations

import json
import struct
from typing import Any

from aiohttp import web

from sandbox.errors import JSON, bad_request

# Parameters whose values are objects: JSON-serialized when sent as a form.
OBJECT_PARAMS = frozenset(
    {
        "reply_markup",
        "commands",
        "scope",
        "allowed_updates",
        "link_preview_options",
        "entities",
        "caption_entities",
        "reply_parameters",
    }
)

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_JPEG_SIGNATURE = b"\xff\xd8\xff"


class Params:
    def __init__(
        self, values: JSON, files: dict[str, bytes], files_names: dict[str, str] | None = None
    ) -> None:
        self.values = values
        self.files = files
        self.files_names = files_names or {}

    def has(self, name: str) -> bool:
        return self.values.get(name) not in (None, "")

    def text(self, name: str) -> str | None:
        value = self.values.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, dict | list):
            raise bad_request(f"field {name!r} must be a string")
        return value if isinstance(value, str) else json.dumps(value)

    def integer(self, name: str, *, missing: str | None = None) -> int | None:
        value = self.values.get(name)
        if value is None or value == "":
            if missing is not None:
                raise bad_request(missing)
            return None
        if isinstance(value, bool):
            raise bad_request(f"field {name!r} must be an integer")
        try:
            return int(value)
        except (TypeError, ValueError):
            raise bad_request(f"field {name!r} must be an integer") from None

    def flag(self, name: str) -> bool:
        value = self.values.get(name)
        if isinstance(value, str):
            return value.lower() in ("true", "1")
        return bool(value)

    def obj(self, name: str) -> Any:
        return self.values.get(name)


async def read_params(request: web.Request) -> Params:
    values: JSON = dict(request.query)
    files: dict[str, bytes] = {}
    names: dict[str, str] = {}
    if request.can_read_body:
        if request.content_type == "application/json":
            try:
                body = await request.json()
            except ValueError:
                raise bad_request("can't parse JSON request body") from None
            if not isinstance(body, dict):
                raise bad_request("the request body must be a JSON object")
            values.update(body)
        elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            form = await request.post()
            for name, value in form.items():
                if isinstance(value, web.FileField):
                    files[name] = value.file.read()
                    names[name] = value.filename
                elif isinstance(value, bytes):
                    files[name] = value
                else:
                    values[name] = value
    for name in OBJECT_PARAMS & values.keys():
        value = values[name]
        if isinstance(value, str):
            try:
                values[name] = json.loads(value)
            except ValueError:
                if name == "reply_markup":
                    raise bad_request("can't parse reply keyboard markup JSON object") from None
                raise bad_request(f"can't parse {name} JSON object") from None
    return Params(values, files, names)


def image_size(data: bytes) -> tuple[int, int]:
    if data.startswith(_PNG_SIGNATURE) and len(data) >= 24 and data[12:16] == b"IHDR":
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data.startswith(_JPEG_SIGNATURE):
        return 320, 320  # good enough: the bot only sends PNGs
    raise bad_request("IMAGE_PROCESS_FAILED")
