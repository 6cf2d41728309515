"""`make run` without a token: `python -m sandbox --bot-if-token` as a process, used through the
page's own HTTP API, then stopped with Ctrl-C (SIGINT)."""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

import psutil
import pytest

from sandbox.__main__ import token_configured
from tests.support.e2e import START_TIMEOUT
from tests.support.sandbox_process import SANDBOX_STOP_TIMEOUT, Sandbox, clean_env


async def test_make_run_without_a_token_starts_a_working_sandbox(sandbox: Sandbox) -> None:
    await sandbox.output.wait_for("Ctrl-C stops it.", START_TIMEOUT)  # the banner's last line
    banner = "\n".join(sandbox.output.lines)
    assert "teacher of МБОУ СОШ № 1 / 5А: Марина Петровна" in banner
    assert "Ctrl-C stops it." in banner

    state = await sandbox.get("/sandbox/state")
    roles = [(p["name"], p["role"]) for p in state["people"]]
    assert roles == [
        ("Аня Смирнова", "student"),
        ("Борис Ковалёв", "student"),
        ("Марина Петровна", "teacher"),
        ("Олег Викторович", "admin"),
    ]
    ids = {p["role"] + str(i): p["id"] for i, p in enumerate(state["people"])}
    student, teacher, admin = ids["student0"], ids["teacher2"], ids["admin3"]

    welcome = await sandbox.reply_to(student, "/start", "Здравствуйте")
    assert welcome["buttons"][0][0]["text"] == "Даю согласие ✅"
    # The sandbox's staff are real staff of the sample class and school.
    whoami = await sandbox.reply_to(teacher, "/whoami", "5А")
    assert "/requests" in whoami["text"]
    whoami = await sandbox.reply_to(admin, "/whoami", "МБОУ СОШ № 1")
    assert "/broadcast" in whoami["text"]

    added = await sandbox.post("/sandbox/people")
    assert added["role"] == "student" and added["id"] not in {student, teacher, admin}
    await sandbox.reply_to(added["id"], "/start", "Здравствуйте")

    async with sandbox.http.get(sandbox.url + "/") as resp:
        assert resp.status == 200
        assert resp.content_type == "text/html"

    sandbox.proc.send_signal(signal.SIGINT)  # Ctrl-C
    code = await asyncio.wait_for(sandbox.proc.wait(), SANDBOX_STOP_TIMEOUT)
    log = await sandbox.output.ended(SANDBOX_STOP_TIMEOUT)  # up to its last line
    assert code == 0, log
    assert log.rstrip().endswith("The bot stopped.\nSandbox stopped."), log  # not killed
    assert "Received SIGTERM signal" in log  # the bot was told once and drained
    assert "Traceback" not in log


async def test_with_a_token_make_run_runs_the_real_bot(tmp_path: Path) -> None:
    # A malformed token: the real bot refuses it at once, which shows which program ran.
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "sandbox",
        "--bot-if-token",
        cwd=tmp_path,
        env=clean_env(BOT_TOKEN="not-a-token"),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(proc.communicate(), START_TIMEOUT)
    assert proc.returncode == 2
    assert "BOT_TOKEN" in out.decode()
    assert "Sandbox" not in out.decode()


def test_a_token_counts_from_the_environment_or_from_dotenv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BOT_TOKEN", raising=False)
    assert not token_configured()
    (tmp_path / ".env").write_text("BOT_TOKEN=\n", encoding="utf-8")
    assert not token_configured()  # an empty value is no token
    (tmp_path / ".env").write_text("BOT_TOKEN=123456:ABC\n", encoding="utf-8")
    assert token_configured()
    (tmp_path / ".env").unlink()
    monkeypatch.setenv("BOT_TOKEN", "123456:ABC")
    assert token_configured()


@pytest.mark.skipif(sys.platform != "linux", reason="PR_SET_PDEATHSIG is Linux's")
async def test_a_killed_sandbox_takes_its_bot_with_it(sandbox: Sandbox) -> None:
    [bot] = psutil.Process(sandbox.proc.pid).children()
    assert "bot" in bot.cmdline()
    sandbox.proc.kill()  # no chance to stop the bot itself
    await sandbox.proc.wait()
    gone, alive = await asyncio.to_thread(psutil.wait_procs, [bot], SANDBOX_STOP_TIMEOUT)
    assert gone and not alive, "the bot outlived its sandbox"
