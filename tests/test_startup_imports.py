"""Start-up imports only what it needs: the QR library (and Pillow under it) waits for the first
QR code, matplotlib and openpyxl for the first /stats chart and Excel report
(benchmarks/startup.py measures the whole start-up).

A fresh interpreter does what `python -m bot` does before polling: imports its entry point,
loads the settings, opens the database and builds the bot and the dispatcher. Then it draws one
QR code, which must still work with the library imported on the spot, and brings in only it.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path

from tests.support.e2e import START_TIMEOUT, bot_env, decode_qr

QR = ("qrcode", "PIL")
LAZY = (*QR, "matplotlib", "openpyxl")
LINK = "https://t.me/+AbCdEf123456"

START_UP = f"""
import asyncio, base64, json, sys

import bot.__main__  # the entry point's imports; main() does not run
from app.config import load_all
from app.factory import build_bot, build_dispatcher
from storage.db import Database

LAZY = {LAZY!r}


def loaded():
    return sorted(name for name in LAZY if name in sys.modules)


async def start_up():
    settings = load_all()
    bot = build_bot(settings.main)
    db = await Database.open(settings.main.database_path)
    try:
        build_dispatcher(settings.main, db)
    finally:
        await bot.session.close()
        await db.close()


asyncio.run(start_up())
at_start_up = loaded()
from bot.qr import qr_png

png = qr_png({LINK!r})
print(json.dumps({{
    "at_start_up": at_start_up,
    "after_qr": loaded(),
    "png": base64.b64encode(png).decode(),
}}))
"""


def test_start_up_leaves_qr_library_for_first_code(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", START_UP],
        cwd=tmp_path,  # no .env here
        env=bot_env("http://127.0.0.1:9", tmp_path / "bot.sqlite3"),
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.splitlines()[-1])
    assert report["at_start_up"] == [], f"imported at start-up: {report['at_start_up']}"
    assert report["after_qr"] == sorted(QR)
    assert decode_qr(base64.b64decode(report["png"])) == LINK
