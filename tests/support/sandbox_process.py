"""The sandbox as `make run` starts it: `python -m sandbox --bot-if-token` in its own process,
used through the page's HTTP API (the fixture `sandbox` is in `tests/e2e/conftest.py`)."""

from __future__ import annotations

import asyncio
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


@dataclass
class Sandbox:
    proc: asyncio.subprocess.Process
    url: str
    output: list[str]
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


async def read_output(proc: asyncio.subprocess.Process, lines: list[str]) -> None:
    assert proc.stdout is not None
    async for line in proc.stdout:
        lines.append(line.decode(errors="replace").rstrip())


async def wait_for_url(proc: asyncio.subprocess.Process, output: list[str]) -> str:
    deadline = asyncio.get_running_loop().time() + START_TIMEOUT
    while asyncio.get_running_loop().time() < deadline and proc.returncode is None:
        for line in output:
            found = re.search(r"open (http://127\.0\.0\.1:\d+)/ in a browser", line)
            if found:
                return found.group(1)
        await asyncio.sleep(0.1)
    raise AssertionError("the sandbox printed no URL:\n" + "\n".join(output))
