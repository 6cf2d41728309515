"""Fixtures of the end-to-end tests: a sandbox Bot API server, a database, the bot process."""

from __future__ import annotations

import asyncio
import shutil
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from sandbox.bot_api import SANDBOX_TOKEN, BotApiServer
from tests.support.e2e import (
    START_TIMEOUT,
    STRUCTURE_CSV,
    BotProcess,
    Launch,
    Student,
    bot_env,
)
from tests.support.sandbox_process import (
    SANDBOX_STOP_TIMEOUT,
    ProcessOutput,
    Sandbox,
    clean_env,
    wait_for_url,
)


@pytest.fixture(scope="module")
def structure_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with examples/structure.csv imported by the CLI, once for the module
    (each start of the interpreter costs seconds); every test works on its own copy."""
    directory = tmp_path_factory.mktemp("structure")
    database = directory / "bot.sqlite3"
    result = subprocess.run(
        [sys.executable, "-m", "bot", "import-structure", str(STRUCTURE_CSV)],
        cwd=directory,
        env=bot_env("http://127.0.0.1:9", database),
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "МБОУ СОШ № 1 / 5А" in result.stdout, result.stdout
    assert not Path(f"{database}-wal").exists() or Path(f"{database}-wal").stat().st_size == 0
    return database


@pytest.fixture
def bot_db(structure_db: Path, tmp_path: Path) -> Path:
    database = tmp_path / "bot.sqlite3"
    shutil.copyfile(structure_db, database)
    return database


@pytest.fixture
async def api() -> AsyncIterator[BotApiServer]:
    server = BotApiServer(SANDBOX_TOKEN)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


@pytest.fixture
async def launch(api: BotApiServer, bot_db: Path, tmp_path: Path) -> AsyncIterator[Launch]:
    """Starts `python -m bot` on the test's database; whatever is still running at the end is
    killed."""
    processes: list[BotProcess] = []

    async def start(**settings: str) -> BotProcess:
        log_path = tmp_path / f"bot-{len(processes)}.log"
        with log_path.open("wb") as log:
            proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                cwd=tmp_path,  # no .env here
                env={**bot_env(api.url, bot_db), **settings},
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        process = BotProcess(proc, log_path)
        processes.append(process)
        return process

    try:
        yield start
    finally:
        for process in processes:
            if process.proc.returncode is None:
                process.proc.kill()
                await process.proc.wait()  # SIGKILL can't be refused: reaped before the next test


@pytest.fixture
async def bot(launch: Launch, api: BotApiServer) -> BotProcess:
    process = await launch()
    await process.wait_polling(api)
    return process


@pytest.fixture
def student(api: BotApiServer) -> Student:
    return Student(api)


@pytest.fixture
async def sandbox(tmp_path: Path) -> AsyncIterator[Sandbox]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "sandbox",
        "--bot-if-token",  # as `make run` calls it
        "--port",
        "0",
        cwd=tmp_path,  # no .env here
        env=clean_env(),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output = ProcessOutput(proc)
    try:
        url = await wait_for_url(output)
        async with aiohttp.ClientSession() as http:
            yield Sandbox(proc, url, output, http)
    finally:
        # Ctrl-C, so the sandbox stops its bot (a process of its own) before it goes.
        if proc.returncode is None:
            proc.send_signal(signal.SIGINT)
            try:
                await asyncio.wait_for(proc.wait(), SANDBOX_STOP_TIMEOUT)
            except TimeoutError:
                proc.kill()
                await proc.wait()
        await output.close()
