"""`python -m sandbox`: the whole bot on a laptop, with no bot token and no internet.

It starts the local Bot API server with the sandbox page, loads the sample schools into a fresh
database, makes the sandbox's teacher and admin the teacher and admin of a sample class, starts
`python -m bot` against the server (as a separate process, exactly as it runs against Telegram)
and prints the page's address. Ctrl-C stops the bot, then the server; the database goes too.

`--bot-if-token` (what `make run` uses): when BOT_TOKEN is set, in the environment or in .env,
run the real bot against Telegram instead.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ctypes
import os
import signal
import sys
import tempfile
from pathlib import Path

from pydantic_settings import BaseSettings

from app.config import env_settings
from sandbox.bot_api import SANDBOX_TOKEN, BotApiServer
from sandbox.flood_limits import FloodLimits
from sandbox.sample_school import SampleClass, load_sample_school
from sandbox.web import ADMIN, TEACHER, Person, SandboxPage

DEFAULT_PORT = 8080
START_TIMEOUT = 60.0  # the bot's imports and start-up: seconds here, more on a slow laptop
STOP_TIMEOUT = 15.0  # the bot drains what it is doing on SIGTERM
# Ctrl-C, kill, a closed terminal: each stops the bot too, which runs in a session of its own.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
PR_SET_PDEATHSIG = 1  # prctl(2)

TEACHER_ID, ADMIN_ID = 2001, 3001
SANDBOX_STUDENTS = (("Аня Смирнова", "ru"), ("Борис Ковалёв", "ru"))
SANDBOX_STAFF = (
    Person(TEACHER_ID, "Марина Петровна", TEACHER, "учитель", "ru"),
    Person(ADMIN_ID, "Олег Викторович", ADMIN, "админ школы", "ru"),
)


class _TokenOnly(BaseSettings):
    """Reads BOT_TOKEN where the bot would (environment, then .env), and nothing else."""

    model_config = env_settings()
    bot_token: str = ""


def token_configured() -> bool:
    return bool(_TokenOnly().bot_token.strip())


def bot_environment(api_url: str, database: Path) -> dict[str, str]:
    """The bot's environment in the sandbox: its token, server and database are the sandbox's
    (the environment outranks .env, so a real token or database can't be mixed in); every other
    setting, such as a region's profile, comes from the environment or .env as usual."""
    env = dict(os.environ)
    env.update(
        BOT_TOKEN=SANDBOX_TOKEN,
        TELEGRAM_API_URL=api_url,
        DATABASE_PATH=str(database),
        PYTHONUNBUFFERED="1",
    )
    return env


def banner(url: str, page: SandboxPage, sample: SampleClass) -> str:
    students = ", ".join(p.name for p in page.people.values() if p.role == "student")
    return "\n".join(
        [
            "",
            f"Sandbox is running: open {url}/ in a browser",
            f"  students: {students} (add more on the page)",
            f"  teacher of {sample.school} / {sample.name}: {SANDBOX_STAFF[0].name}",
            f"  admin of {sample.school}: {SANDBOX_STAFF[1].name}",
            f"  class poster link: /start c_{sample.code}",
            "Ctrl-C stops it.",
            "",
        ]
    )


async def run_sandbox(port: int, flood_limits: FloodLimits | None = None) -> int:
    with tempfile.TemporaryDirectory(prefix="sferum-sandbox-") as directory:
        database = Path(directory) / "bot.sqlite3"
        sample = await load_sample_school(
            database, TEACHER_ID, ADMIN_ID, names={p.id: p.name for p in SANDBOX_STAFF}
        )
        api = BotApiServer(
            SANDBOX_TOKEN, bot_username="sferum_sandbox_bot", bot_name="Сферум · песочница"
        )
        api.flood_limits = flood_limits
        page = SandboxPage(api)
        for name, language in SANDBOX_STUDENTS:
            page.add_student(name, language)
        for person in SANDBOX_STAFF:
            page.add_person(person)
        try:
            await api.start(port, add_routes=page.add_routes)
        except OSError:
            print(f"Port {port} is busy; taking a free one.", flush=True)
            await api.start(0, add_routes=page.add_routes)
        try:
            return await _run_bot(api, database, page, sample)
        finally:
            await api.stop()


def _die_with_parent() -> None:
    """In the bot's process, before it starts (Linux): the kernel sends it SIGTERM should the
    sandbox die without stopping it (kill -9, out of memory), so no bot outlives its server."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


async def _run_bot(
    api: BotApiServer, database: Path, page: SandboxPage, sample: SampleClass
) -> int:
    signals = asyncio.Queue[int]()
    loop = asyncio.get_running_loop()
    for signum in STOP_SIGNALS:
        loop.add_signal_handler(signum, signals.put_nowait, signum)
    # Its own session: a terminal's Ctrl-C reaches this process only, which stops the bot once.
    bot = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        env=bot_environment(api.url, database),
        stdin=asyncio.subprocess.DEVNULL,
        start_new_session=True,
        preexec_fn=_die_with_parent if sys.platform == "linux" else None,
    )
    exited = asyncio.ensure_future(bot.wait())
    stopping = asyncio.ensure_future(signals.get())
    polling = asyncio.ensure_future(api.wait_until_listening(timeout=START_TIMEOUT))
    try:
        await asyncio.wait({exited, stopping, polling}, return_when=asyncio.FIRST_COMPLETED)
        if polling.done() and polling.exception() is None and not exited.done():
            print(banner(api.url, page, sample), flush=True)
            await asyncio.wait({exited, stopping}, return_when=asyncio.FIRST_COMPLETED)
        elif not exited.done() and not stopping.done():
            print(f"The bot did not start polling within {START_TIMEOUT:.0f} s.", flush=True)
    finally:
        stopped_by_signal = stopping.done()
        for task in (stopping, polling):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, AssertionError):
                await task
        if bot.returncode is None:
            print("Stopping the bot (Ctrl-C again to kill it)...", flush=True)
            bot.send_signal(signal.SIGTERM)
            again = asyncio.ensure_future(signals.get())
            await asyncio.wait(
                {exited, again}, timeout=STOP_TIMEOUT, return_when=asyncio.FIRST_COMPLETED
            )
            again.cancel()
            if bot.returncode is None:
                bot.kill()
                await bot.wait()
                print("The bot did not stop in time: killed.", flush=True)
            else:
                print("The bot stopped.", flush=True)
        for signum in STOP_SIGNALS:
            loop.remove_signal_handler(signum)
    if stopped_by_signal:
        print("Sandbox stopped.", flush=True)
        return 0
    print(
        f"The bot stopped by itself (exit code {bot.returncode}); so does the sandbox.", flush=True
    )
    return bot.returncode or 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sandbox", description=__doc__)
    parser.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("SANDBOX_PORT", DEFAULT_PORT)),
        help=f"the page's port on 127.0.0.1 (SANDBOX_PORT, default {DEFAULT_PORT}; 0: any free)",
    )
    parser.add_argument(
        "--flood-limit",
        type=int,
        metavar="N",
        help="answer sends beyond N a second with 429 retry_after, as Telegram does",
    )
    parser.add_argument(
        "--flood-limit-per-chat",
        type=int,
        metavar="N",
        help="the same for sends to one chat (Telegram: about 1 a second)",
    )
    parser.add_argument(
        "--bot-if-token",
        action="store_true",
        help="run the real bot instead when BOT_TOKEN is set (environment or .env)",
    )
    args = parser.parse_args(argv)
    if args.bot_if_token and token_configured():
        os.execv(sys.executable, [sys.executable, "-m", "bot"])  # noqa: S606 - our own module
    flood_limits = None
    if args.flood_limit is not None or args.flood_limit_per_chat is not None:
        try:
            flood_limits = FloodLimits(
                30 if args.flood_limit is None else args.flood_limit, args.flood_limit_per_chat
            )
        except ValueError as exc:
            parser.error(str(exc))
    return asyncio.run(run_sandbox(args.port, flood_limits))


if __name__ == "__main__":
    sys.exit(main())
