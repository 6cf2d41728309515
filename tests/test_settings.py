"""Settings, start-up errors and secrets."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app.__main__ import main
from app.config import DeliverySettings, RemindersSettings, Settings
from app.factory import build_bot
from app.logs import RedactSecret

ROOT = Path(__file__).resolve().parent.parent


def run_bot(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`python -m bot` in an empty directory with only the given settings."""
    clean = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT), **env}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=tmp_path,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


BAD_SETTINGS = [
    ({}, "BOT_TOKEN"),
    ({"BOT_TOKEN": ""}, "BOT_TOKEN"),
    ({"BOT_TOKEN": "notatoken"}, "BOT_TOKEN"),
    ({"BOT_TOKEN": "1:x", "TELEGRAM_API_URL": "not a url"}, "TELEGRAM_API_URL"),
    ({"BOT_TOKEN": "1:x", "ADMIN_IDS": "12,abc"}, "ADMIN_IDS"),
    ({"BOT_TOKEN": "1:x", "DEFAULT_LOCALE": "fr"}, "DEFAULT_LOCALE"),
    ({"BOT_TOKEN": "1:x", "TIMEZONE": "Mars/Base"}, "TIMEZONE"),
    # Settings of their own classes, named with their prefix.
    ({"BOT_TOKEN": "1:x", "REMINDERS_QUIET_HOURS": "abc"}, "REMINDERS_QUIET_HOURS"),
    ({"BOT_TOKEN": "1:x", "REMINDERS_STUCK_DAYS": "-1"}, "REMINDERS_STUCK_DAYS"),
    ({"BOT_TOKEN": "1:x", "DELIVERY_RATE": "abc"}, "DELIVERY_RATE"),
    ({"BOT_TOKEN": "1:x", "DELIVERY_RATE": "50"}, "DELIVERY_RATE"),  # above the free limit
    ({"BOT_TOKEN": "1:x", "DELIVERY_MAX_IN_FLIGHT": "0"}, "DELIVERY_MAX_IN_FLIGHT"),
]


def assert_one_clear_line(code: int, stderr: str, named: str) -> None:
    assert code == 2
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert f"Setting {named} " in lines[0] and ".env" in lines[0]
    assert "Traceback" not in stderr


@pytest.mark.parametrize(("env", "named"), BAD_SETTINGS)
def test_a_bad_setting_stops_start_up_with_one_clear_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    env: dict[str, str],
    named: str,
) -> None:
    """The entry point's own `main`, in this process (an interpreter's start-up costs seconds
    here; the real command is run below for two of these)."""
    for key in list(os.environ):
        if key not in {"PATH", "HOME", "TMPDIR"}:
            monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    code = main([])
    assert_one_clear_line(code, capsys.readouterr().err, named)


@pytest.mark.parametrize(("env", "named"), [BAD_SETTINGS[0], BAD_SETTINGS[-2]])
def test_the_real_command_says_the_same_one_line(
    tmp_path: Path, env: dict[str, str], named: str
) -> None:
    result = run_bot(tmp_path, **env)
    assert_one_clear_line(result.returncode, result.stderr, named)


def test_a_database_newer_than_the_bot_stops_start_up_with_one_line(tmp_path: Path) -> None:
    database = tmp_path / "bot.sqlite3"
    with contextlib.closing(sqlite3.connect(database)) as conn:
        conn.execute("PRAGMA user_version = 999")
    result = run_bot(tmp_path, BOT_TOKEN="1:x", DATABASE_PATH=str(database))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "newer than this bot knows" in lines[0], result.stderr
    assert "Traceback" not in result.stderr


def test_settings_come_from_a_dotenv_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".env").write_text(
        "BOT_TOKEN=123:abc\nADMIN_IDS=5, 6;7\nMESSENGER_NAME=MAX\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    for name in ("BOT_TOKEN", "ADMIN_IDS", "MESSENGER_NAME"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings()
    assert settings.bot_token.get_secret_value() == "123:abc"
    assert settings.admin_ids == {5, 6, 7}
    assert settings.messenger_name == "MAX"
    assert "123:abc" not in repr(settings)


def test_every_bot_api_call_goes_to_the_configured_server() -> None:
    settings = Settings(
        _env_file=None, bot_token="42:SECRET", telegram_api_url="http://127.0.0.1:8081/"
    )
    bot = build_bot(settings)
    assert (
        bot.session.api.api_url("42:SECRET", "getMe") == "http://127.0.0.1:8081/bot42:SECRET/getMe"
    )


def test_the_token_is_redacted_from_logs(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("test.redact")
    logger.addFilter(RedactSecret("42:SECRET"))
    try:
        raise ConnectionError("GET https://api.telegram.org/bot42:SECRET/getUpdates failed")
    except ConnectionError:
        logger.exception("network trouble at %s", "https://api.telegram.org/bot42:SECRET/getMe")
    record = caplog.records[-1]
    formatted = logging.Formatter().format(record)
    assert "42:SECRET" not in formatted
    assert "<BOT_TOKEN>" in formatted


def test_structure_import_needs_no_token(tmp_path: Path) -> None:
    result = run_bot(
        tmp_path,
        "import-structure",
        str(ROOT / "examples" / "structure.csv"),
        DATABASE_PATH=str(tmp_path / "db.sqlite3"),
    )
    assert result.returncode == 0, result.stderr
    assert "c_" in result.stdout


def _variables() -> set[str]:
    """Every environment variable the bot reads, prefix included."""
    return {
        f"{kind.model_config.get('env_prefix') or ''}{name}".upper()
        for kind in (Settings, RemindersSettings, DeliverySettings)
        for name in kind.model_fields
    }


def test_every_setting_is_documented_and_nothing_stale_is() -> None:
    """An operator finds each setting in the README's table and in .env.example."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = {
        name
        for row in readme.splitlines()
        if row.startswith("| `")
        for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row.split("|")[1])
    }
    example = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
    variables = _variables()
    assert {"DELIVERY_RATE", "REMINDERS_QUIET_HOURS", "BOT_TOKEN"} <= variables
    assert variables - table == set(), "missing from the README's settings table"
    assert table - variables == set(), "in the README's table, but read by nothing"
    assert variables - example == set(), "missing from .env.example"
    assert example - variables == set(), "in .env.example, but read by nothing"
