"""Logging set-up that can never print the bot token."""

from __future__ import annotations

import logging


class RedactSecret(logging.Filter):
    """Replaces the secret anywhere in a formatted record (aiohttp errors may carry the URL)."""

    def __init__(self, secret: str) -> None:
        super().__init__()
        self._secret = secret

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._secret:
            return True
        message = record.getMessage()
        if self._secret in message:
            record.msg = message.replace(self._secret, "<BOT_TOKEN>")
            record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            text = logging.Formatter().formatException(record.exc_info)
            if self._secret in text:
                record.exc_info = None
                record.exc_text = text.replace(self._secret, "<BOT_TOKEN>")
        return True


def setup_logging(secret: str = "", level: int = logging.INFO) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecret(secret))
    logging.basicConfig(level=level, handlers=[handler], force=True)
