"""The Bot API's error answers: {"ok": false, "error_code": N, "description": ...}."""

from __future__ import annotations

from typing import Any

JSON = dict[str, Any]


class BotApiError(Exception):
    """An error answer: its HTTP status is its error_code."""

    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> JSON:
        body: JSON = {"ok": False, "error_code": self.code, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(what: str) -> BotApiError:
    return BotApiError(400, f"Bad Request: {what}")
