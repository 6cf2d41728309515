"""The sandbox as `make run` starts it: `python -m sandbox --bot-if-token` in its own process,
used through the page's HTTP API (the fixture `sandbox` is in `tests/e2e/conftest.py`)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
from dataclasses import dataclass
from typing import Any

import aiohttp

from app.config import Settings
from tests.support.e2e import REPLY_TIMEOUT, REPO_ROOT, START_TIMEOUT
from tests.support.timing import DEADLINE

_SETTING_NAMES = {name.upper() for name in Settings.model_fields}
SANDBOX_STOP_TIMEOUT = DEADLINE  # Ctrl-C: the bot drains, then the server stops


def clean_env(**extra: str) -> dict[str, str]:
    """No bot settings from the developer's environment: as on a fresh laptop."""
    env = {k: v for k, v in os.environ.items() if k.upper() not in _SETTING_NAMES}
    env.update(PYTHONPATH=str(REPO_ROOT), PYTHONUNBUFFERED="1", **extra)
    return env


class ProcessOutput:
    """A process's output, read line by line as it comes: waits end on a line or on the end of
    the output, never after a fixed pause."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.lines: list[str] = []
        self._changed = asyncio.Condition()
        self._ended = False
        self._reader = asyncio.ensure_future(self._read(proc))

    async def _read(self, proc: asyncio.subprocess.Process) -> None:
        assert proc.stdout is not None
        try:
            async for line in proc.stdout:
                self.lines.append(line.decode(errors="replace").rstrip())
                async with self._changed:
                    self._changed.notify_all()
        finally:
            self._ended = True
            async with self._changed:
                self._changed.notify_all()

    async def wait_for(self, pattern: str, timeout: float) -> re.Match[str]:
        """The first line matching `pattern`; AssertionError with the output if none came."""

        def found() -> re.Match[str] | None:
            return next(filter(None, (re.search(pattern, line) for line in self.lines)), None)

        try:
            async with self._changed:
                await asyncio.wait_for(
                    self._changed.wait_for(lambda: self._ended or found() is not None), timeout
                )
        except TimeoutError:
            pass
        match = found()
        if match is None:
            raise AssertionError(f"no line like {pattern!r} in:\n" + "\n".join(self.lines))
        return match

    async def ended(self, timeout: float) -> str:
        """The whole output, once the process has closed it (it has exited)."""
        await asyncio.wait_for(asyncio.shield(self._reader), timeout)
        return "\n".join(self.lines)

    async def close(self) -> None:
        self._reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._reader


@dataclass
class Sandbox:
    proc: asyncio.subprocess.Process
    url: str
    output: ProcessOutput
    http: aiohttp.ClientSession

    async def get(self, path: str) -> Any:
        async with self.http.get(self.url + path) as resp:
            assert resp.status == 200, await resp.text()
            return await resp.json()

    async def post(self, path: str, **body: Any) -> Any:
        async with self.http.post(self.url + path, json=body) as resp:
            return await resp.json()

    async def reply_to(self, user_id: int, text: str, expect: str) -> dict[str, Any]:
        """Types `text` as the person on the page; the bot's message containing `expect`."""
        seq = (await self.get("/sandbox/state"))["seq"]
        assert await self.post("/sandbox/send", user_id=user_id, text=text) == {"ok": True}
        deadline = asyncio.get_running_loop().time() + REPLY_TIMEOUT
        seen: list[str] = []
        while asyncio.get_running_loop().time() < deadline:
            feed = await self.get(f"/sandbox/events?after={seq}")
            seq = feed["seq"]
            for message in feed["messages"]:
                if message["chat_id"] == user_id and message["from_bot"]:
                    seen.append(message["text"])
                    if expect in message["text"]:
                        return dict(message)
        raise AssertionError(f"no reply with {expect!r} to {user_id}; got {seen}")


async def wait_for_url(output: ProcessOutput) -> str:
    """The page's address, from the banner the sandbox prints once it is up."""
    found = await output.wait_for(r"open (http://127\.0\.0\.1:\d+)/ in a browser", START_TIMEOUT)
    return found.group(1)
