"""A burst of users arriving at once, against the real `python -m bot` process.

The bot runs as a child process on a fresh temporary database, pointed (TELEGRAM_API_URL) at a
minimal Bot API stand-in this script serves on 127.0.0.1. Once the bot is long polling and idle,
`--users` distinct users each send /start at the same moment; getUpdates hands them out as
Telegram does (at most 100 per call, each call confirming the ones below its offset), and every
sendMessage, editMessageText, answerCallbackQuery... is answered at once (or after
`--latency-ms`, a real network's round trip).

Why a stand-in of its own and not the sandbox's server: the sandbox keeps every call, parses
every text's HTML and wakes every waiter on each change, which at 20 000 users would make the
server, not the bot, what is measured on a small machine. This one does only what the bot needs.

Measured: the child's RSS when idle (before the burst), its peak (VmHWM from /proc/PID/status,
cross-checked by sampling VmRSS every 50 ms), the time from the burst to the last user's first
reply (`drain_s`) and first replies per second over it. The bot's CPU time is printed too, so a
run on a loaded machine can be told from a slow bot. The child is stopped by its PID (SIGTERM,
SIGKILL after a timeout) on every path. The last line printed is one JSON object.

    python benchmarks/burst.py [--users 20000] [--concurrency N] [--latency-ms 0]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.config import DeliverySettings, RemindersSettings, Settings

REPO_ROOT = Path(__file__).resolve().parent.parent

TOKEN = "123456:BURST"
BOT_ID = 123456
FIRST_USER = 10_000_000
PAGE = 100  # Telegram's most updates per getUpdates
START_TIMEOUT = 60.0
STOP_TIMEOUT = 15.0
SAMPLE_EVERY = 0.05
SEND_METHODS = frozenset({"sendmessage", "sendphoto", "editmessagetext", "editmessagereplymarkup"})
JSON = dict[str, Any]


# --- the Bot API stand-in ----------------------------------------------------------------------


@dataclass
class StandIn:
    """getUpdates with offset and limit, long polling; every send answered with a message."""

    latency: float = 0.0
    pending: list[JSON] = field(default_factory=list)  # updates not yet confirmed, in order
    first_reply: dict[int, float] = field(default_factory=dict)  # chat id -> time.monotonic()
    calls: dict[str, int] = field(default_factory=dict)  # method -> count
    held_polls: int = 0
    _next_update: int = 1
    _next_message: int = 1
    _queued: asyncio.Event = field(default_factory=asyncio.Event)
    _runner: web.AppRunner | None = None
    url: str = ""

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("POST", "/bot{token}/{method}", self._handle)
        app.router.add_route("GET", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, handler_cancellation=True, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"

    async def stop(self) -> None:
        self._queued.set()
        if self._runner is not None:
            await self._runner.cleanup()

    def queue_starts(self, user_ids: range) -> None:
        now = int(time.time())
        for user_id in user_ids:
            user = {"id": user_id, "is_bot": False, "first_name": "Ученик", "language_code": "ru"}
            chat = {"id": user_id, "type": "private", "first_name": "Ученик"}
            message = {
                "message_id": 1,
                "date": now,
                "chat": chat,
                "from": user,
                "text": "/start",
                "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
            }
            self.pending.append({"update_id": self._next_update, "message": message})
            self._next_update += 1
        self._queued.set()

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != TOKEN:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        method = request.match_info["method"].lower()
        self.calls[method] = self.calls.get(method, 0) + 1
        params: dict[str, Any] = dict(await request.post())
        if request.content_type == "application/json":
            params = await request.json()
        if method == "getupdates":
            result: Any = await self._get_updates(params)
        elif method == "getme":
            result = {"id": BOT_ID, "is_bot": True, "first_name": "Burst", "username": "burst_bot"}
        elif method in SEND_METHODS:
            if self.latency:
                await asyncio.sleep(self.latency)
            result = self._message(params)
        else:  # setMyCommands, answerCallbackQuery, deleteMessage...: true
            result = True
        return web.json_response({"ok": True, "result": result})

    async def _get_updates(self, params: dict[str, Any]) -> list[JSON]:
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or PAGE), 1), PAGE)
        timeout = int(params.get("timeout") or 0)
        if offset > 0:
            confirmed = 0
            while confirmed < len(self.pending) and self.pending[confirmed]["update_id"] < offset:
                confirmed += 1
            del self.pending[:confirmed]
        if not self.pending and timeout:
            self._queued.clear()
            self.held_polls += 1
            try:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._queued.wait(), timeout)
            finally:
                self.held_polls -= 1
        return self.pending[:limit]

    def _message(self, params: dict[str, Any]) -> JSON:
        chat_id = int(params["chat_id"])
        self.first_reply.setdefault(chat_id, time.monotonic())
        message_id = int(params.get("message_id") or 0) or self._next_message
        self._next_message += 1
        return {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Burst"},
            "text": str(params.get("text") or params.get("caption") or "-"),
        }


# --- the bot process -------------------------------------------------------------------------


def bot_env(api_url: str, database: Path, concurrency: int | None) -> dict[str, str]:
    """The environment without any of the developer's bot settings, pointed at the stand-in."""
    own = {name.upper() for name in Settings.model_fields}
    prefixes = tuple(
        str(kind.model_config.get("env_prefix")).upper()
        for kind in (DeliverySettings, RemindersSettings)
    )
    env = {
        k: v for k, v in os.environ.items() if k.upper() not in own and not k.startswith(prefixes)
    }
    env.update(
        BOT_TOKEN=TOKEN,
        TELEGRAM_API_URL=api_url,
        DATABASE_PATH=str(database),
        PYTHONPATH=str(REPO_ROOT),
        PYTHONUNBUFFERED="1",
    )
    if concurrency is not None:
        env["POLLING_CONCURRENCY"] = str(concurrency)
    return env


def proc_status(pid: int) -> dict[str, int]:
    """VmRSS, VmHWM... of /proc/PID/status, in kB."""
    values: dict[str, int] = {}
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            name, _, rest = line.partition(":")
            if rest.strip().endswith("kB"):
                values[name] = int(rest.split()[0])
    return values


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def stop_child(proc: asyncio.subprocess.Process) -> None:
    """SIGTERM by PID, SIGKILL if it has not exited within STOP_TIMEOUT."""
    if proc.returncode is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(proc.pid, signal.SIGTERM)
    try:
        await asyncio.wait_for(proc.wait(), STOP_TIMEOUT)
    except TimeoutError:
        with contextlib.suppress(ProcessLookupError):
            os.kill(proc.pid, signal.SIGKILL)
        await proc.wait()


def read_log(log: Path) -> str:
    return log.read_text(encoding="utf-8", errors="replace")


async def until(check: Any, timeout: float, proc: asyncio.subprocess.Process, log: Path) -> None:
    """Polls `check` until true; fails with the log's tail if the bot exits or time runs out."""
    deadline = time.monotonic() + timeout
    while not check():
        if proc.returncode is not None:
            raise RuntimeError(f"the bot exited ({proc.returncode}):\n{read_log(log)[-4000:]}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out after {timeout:.0f}s:\n{read_log(log)[-4000:]}")
        await asyncio.sleep(SAMPLE_EVERY)


# --- the run -----------------------------------------------------------------------------------


async def run(users: int, concurrency: int | None, latency: float, timeout: float) -> JSON:
    api = StandIn(latency=latency)
    await api.start()
    with tempfile.TemporaryDirectory(prefix="burst-") as tmp:
        workdir = Path(tmp)
        log = workdir / "bot.log"
        with log.open("wb") as out:
            proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                cwd=workdir,  # no .env here
                env=bot_env(api.url, workdir / "bot.sqlite3", concurrency),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=out,
                stderr=asyncio.subprocess.STDOUT,
            )
        try:
            return await measure(api, proc, log, users, timeout, concurrency, latency)
        finally:
            await stop_child(proc)
            await api.stop()


async def measure(
    api: StandIn,
    proc: asyncio.subprocess.Process,
    log: Path,
    users: int,
    timeout: float,
    concurrency: int | None,
    latency: float,
) -> JSON:
    await until(lambda: api.held_polls > 0, START_TIMEOUT, proc, log)
    await asyncio.sleep(1.0)  # start-up's last work (the first reminders round) settles
    idle = proc_status(proc.pid)
    cpu_before = cpu_seconds(proc.pid)
    user_ids = range(FIRST_USER, FIRST_USER + users)
    sampled_peak = idle.get("VmRSS", 0)

    def drained() -> bool:
        nonlocal sampled_peak
        sampled_peak = max(sampled_peak, proc_status(proc.pid).get("VmRSS", 0))
        return len(api.first_reply) >= users

    started = time.monotonic()
    api.queue_starts(user_ids)
    await until(drained, timeout, proc, log)
    last = max(api.first_reply.values())
    drain = last - started
    final = proc_status(proc.pid)
    bot_cpu = cpu_seconds(proc.pid) - cpu_before
    text = read_log(log)
    missing = sum(1 for u in user_ids if u not in api.first_reply)
    return {
        "burst_peak_rss_mb": round(final.get("VmHWM", 0) / 1024, 1),
        "burst_users": users,
        "drain_s": round(drain, 2),
        "replies_per_s": round(users / drain, 1),
        "idle_rss_mb": round(idle.get("VmRSS", 0) / 1024, 1),
        "sampled_peak_rss_mb": round(sampled_peak / 1024, 1),
        "end_rss_mb": round(final.get("VmRSS", 0) / 1024, 1),
        "bot_cpu_s": round(bot_cpu, 2),
        "polling_concurrency": concurrency if concurrency is not None else "default",
        "latency_ms": round(latency * 1000),
        "calls": dict(sorted(api.calls.items())),
        "unanswered": missing,
        "failed_updates": text.count(" failed: "),
        "tracebacks": text.count("Traceback"),
        "load_avg_1m": round(os.getloadavg()[0], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20_000)
    parser.add_argument(
        "--concurrency", type=int, default=None, help="POLLING_CONCURRENCY (the bot's default)"
    )
    parser.add_argument("--latency-ms", type=float, default=0.0, help="each send answered later")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds to drain at most")
    args = parser.parse_args()
    result = asyncio.run(run(args.users, args.concurrency, args.latency_ms / 1000, args.timeout))
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
