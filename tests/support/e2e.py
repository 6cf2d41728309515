"""Driving the real `python -m bot` process over HTTP: its environment, its life, its users.

The end-to-end tests start the bot as a separate process against `sandbox.bot_api` and act as
Telegram users; these are the pieces they share (the fixtures are in `tests/e2e/conftest.py`).
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import signal
import sqlite3
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import zxingcpp
from PIL import Image

from app.config import Settings
from sandbox.bot_api import SANDBOX_TOKEN, BotApiServer
from sandbox.models import ChatMessage, Predicate, both, contains, has_button
from tests.support.timing import DEADLINE

REPO_ROOT = Path(__file__).resolve().parents[2]
STRUCTURE_CSV = REPO_ROOT / "examples" / "structure.csv"
STUDENT_ID = 5001
# Deadlines, not waits (tests/support/timing.py): each ends as soon as what it waits for happens.
START_TIMEOUT = DEADLINE  # interpreter start-up and imports
STOP_TIMEOUT = DEADLINE  # SIGTERM to exit
REPLY_TIMEOUT = DEADLINE

# Every setting the bot reads: a developer's environment must not leak into the bot under test.
_SETTING_NAMES = {name.upper() for name in Settings.model_fields}


def bot_env(api_url: str, database: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k.upper() not in _SETTING_NAMES}
    env.update(
        BOT_TOKEN=SANDBOX_TOKEN,
        TELEGRAM_API_URL=api_url,
        DATABASE_PATH=str(database),
        PYTHONPATH=str(REPO_ROOT),
        PYTHONUNBUFFERED="1",
    )
    return env


# --- the bot process ------------------------------------------------------------------------


@dataclass
class BotProcess:
    proc: asyncio.subprocess.Process
    log_path: Path

    @property
    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    async def wait_polling(self, api: BotApiServer) -> None:
        """Until the bot is long polling with nothing left to fetch; fails if it exits first."""
        polling = asyncio.ensure_future(api.wait_until_listening(timeout=START_TIMEOUT))
        exited = asyncio.ensure_future(self.proc.wait())
        try:
            await asyncio.wait({polling, exited}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (polling, exited):
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, AssertionError):
                    await task
        assert self.proc.returncode is None, f"the bot exited at start-up:\n{self.log}"
        assert api.listening, f"the bot is not polling:\n{self.log}"

    async def terminate(self) -> int:
        """SIGTERM, then the exit code (the `launch` fixture kills a bot that does not exit)."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            return await asyncio.wait_for(self.proc.wait(), STOP_TIMEOUT)
        except TimeoutError:
            raise AssertionError(f"no exit after SIGTERM:\n{self.log}") from None

    async def stop_gracefully(self) -> None:
        code = await self.terminate()
        assert code == 0, f"exit code {code} after SIGTERM:\n{self.log}"
        assert "Traceback" not in self.log, self.log


Launch = Callable[..., Awaitable[BotProcess]]
# --- the users ------------------------------------------------------------------------------


class Student:
    def __init__(self, api: BotApiServer, user_id: int = STUDENT_ID) -> None:
        self.api = api
        self.id = user_id
        api.add_user(user_id, "Аня", language_code="ru")

    @staticmethod
    def _expect(text: str | None, button: str | None) -> Predicate:
        checks = [contains(text)] if text else []
        checks += [has_button(button)] if button else []
        return both(*checks)

    async def send(
        self, text: str, *, expect_text: str | None = None, expect_button: str | None = None
    ) -> ChatMessage:
        await self.api.user_sends(self.id, text)
        return await self.api.wait_for_reply(
            self.id, self._expect(expect_text, expect_button), timeout=REPLY_TIMEOUT
        )

    async def press(
        self, label: str, *, expect_text: str | None = None, expect_button: str | None = None
    ) -> ChatMessage:
        query_id = await self.api.user_presses(self.id, label)
        reply = await self.api.wait_for_reply(
            self.id, self._expect(expect_text, expect_button), timeout=REPLY_TIMEOUT
        )
        await self.api.wait_for_answer(query_id, timeout=REPLY_TIMEOUT)
        return reply

    async def to_class(self) -> None:
        """/start → greeting with consent → school: the class list of МБОУ СОШ № 1 is shown."""
        await self.send("/start", expect_button="Даю согласие ✅")
        await self.press("Даю согласие ✅", expect_button="МБОУ СОШ № 1")
        await self.press("МБОУ СОШ № 1", expect_button="5А")

    async def to_fork(self) -> None:
        """… class 5А → name → phone → memo steps 1 and 2: the Госуслуги question is shown."""
        await self.to_class()
        await self.press("5А", expect_text="Как вас зовут?")
        await self.send("Анна Иванова", expect_button="📱 Установил(а) на телефон ✅")
        await self.press("📱 Установил(а) на телефон ✅", expect_text="Шаг 2. Создайте")
        await self.press("Готово ✅", expect_button="Да, есть ✅")

    async def to_variant1_request(self) -> ChatMessage:
        """… no Госуслуги → variant 1 → "I sent the request": the summary."""
        await self.to_fork()
        await self.press("Нет ❌", expect_button="Вариант 1: заявка на сайте Сферум")
        await self.press(
            "Вариант 1: заявка на сайте Сферум", expect_button="Я отправил(а) заявку ✅"
        )
        return await self.press("Я отправил(а) заявку ✅", expect_text="🎉 Готово!")


def open_db(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    return conn


def assert_answered_once(api: BotApiServer) -> None:
    assert api.callback_queries, "no button was pressed"
    counts = api.answered_callbacks
    wrong = {api.callback_queries[q].data: n for q, n in counts.items() if n != 1}
    assert not wrong, f"callback queries not answered exactly once (data: answers): {wrong}"


def decode_qr(png: bytes | None) -> str:
    assert png is not None
    [result] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    return str(result.text)
