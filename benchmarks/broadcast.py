"""One broadcast through the delivery engine to a rate-limited Bot API on 127.0.0.1.

The sandbox's Bot API server on 127.0.0.1 allows `--server-limit` sends in any sliding
one-second window (429 with retry_after above that, as Telegram does). The real DeliveryEngine,
with a real aiogram Bot and a temporary SQLite database, sends one text to `--recipients` users
at its configured rate (its default, or `--rate`). Progress lines go to stdout; the last line is
one JSON object: recipients, sent (the engine's record), lost and duplicates (the server's count
per chat), msgs_per_s (sent / seconds from the first accepted send to the last), limit_per_s and
http_429.

    python benchmarks/broadcast.py [--recipients 10000] [--rate 28] [--server-limit 30]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from app.config import DeliverySettings
from benchmarks.rate_limited_api import RateLimitedBotApi
from bot.delivery import FREE_RATE_LIMIT, DeliveryEngine
from storage.broadcasts import BroadcastsRepo, TextPayload
from storage.db import Database, utcnow
from ui.telegram_sender import TelegramSender

TOKEN = "42:BENCH"
FIRST_CHAT = 100_000
TEXT = "Завтра в 10:00 — вход в Сферум. Инструкция в боте: /start"
PROGRESS_EVERY = 5.0  # seconds between progress lines


async def insert_users(db: Database, chat_ids: list[int]) -> None:
    now = utcnow()
    await db.run(
        lambda conn: conn.executemany(
            "INSERT INTO users (id, created_at) VALUES (?, ?)", ((c, now) for c in chat_ids)
        )
    )


async def report(engine: DeliveryEngine, api: RateLimitedBotApi, broadcast_id: int) -> None:
    started = time.monotonic()
    while True:
        await asyncio.sleep(PROGRESS_EVERY)
        counts = await engine.counts(broadcast_id)
        span = api.span()
        rate = (api.sent - 1) / span if span > 0 else 0.0
        print(
            f"[{time.monotonic() - started:6.1f}s] sent {counts.sent}/{counts.total}"
            f" failed {counts.failed} blocked {counts.blocked} pending {counts.pending}"
            f" | server: accepted {api.sent}, 429 {api.rejected_429}, {rate:.2f} msg/s",
            flush=True,
        )


async def run(
    recipients: int,
    rate: float | None,
    server_limit: int,
    workdir: Path,
    latency_ms: float = 0.0,
    in_flight: int | None = None,
) -> Any:
    overrides: dict[str, Any] = {} if rate is None else {"rate": rate}
    if in_flight is not None:
        overrides["max_in_flight"] = in_flight
    if rate is not None and rate > FREE_RATE_LIMIT:
        overrides["allow_paid_broadcast"] = True
    settings = DeliverySettings(_env_file=None, **overrides)
    chat_ids = list(range(FIRST_CHAT, FIRST_CHAT + recipients))
    api = RateLimitedBotApi(TOKEN, chat_ids, limit=server_limit, latency=latency_ms / 1000)
    base = await api.start()
    bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(base)))
    db = await Database.open(workdir / "bench.sqlite3")
    engine = DeliveryEngine(BroadcastsRepo(db), settings.limits)
    reporter: asyncio.Task[None] | None = None
    try:
        me = await bot.get_me()
        print(
            f"server {base} (limit {server_limit}/s, {latency_ms:g} ms latency),"
            f" bot @{me.username}, engine rate"
            f" {settings.rate:g}/s, max_in_flight {settings.max_in_flight}",
            flush=True,
        )
        await insert_users(db, chat_ids)
        await engine.start(TelegramSender(bot))
        broadcast_id, count = await engine.broadcast(0, "benchmark", TextPayload(TEXT), chat_ids)
        print(f"broadcast {broadcast_id}: {count} recipients", flush=True)
        reporter = asyncio.create_task(report(engine, api, broadcast_id))
        # Bounded: three times the ideal duration plus a minute, then give up.
        deadline = 3 * recipients / min(settings.rate, server_limit) + 60
        started = time.monotonic()
        try:
            final = await asyncio.wait_for(engine.wait(broadcast_id), deadline)
        except TimeoutError:
            print(f"timed out after {deadline:.0f}s", flush=True)
            final = None
        elapsed = time.monotonic() - started
        counts = await engine.counts(broadcast_id)
    finally:
        if reporter is not None:
            reporter.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reporter
        await engine.stop()
        await bot.session.close()
        await db.close()
        await api.stop()

    span = api.span()
    delivered = sum(1 for chat in chat_ids if api.deliveries[chat] > 0)
    print(
        f"done: status {final.status if final else 'unfinished'} in {elapsed:.1f}s;"
        f" engine sent {counts.sent}, failed {counts.failed}, blocked {counts.blocked},"
        f" pending {counts.pending}; server accepted {api.sent} in {span:.1f}s"
        f" ({(api.sent - 1) / span if span > 0 else 0:.2f} msg/s over intervals),"
        f" {api.rejected_429} answered 429 of {api.requests} send requests"
        f" ({100 * api.rejected_429 / max(api.requests, 1):.2f}%),"
        f" at most {api.max_in_window} in one window",
        flush=True,
    )
    return {
        "recipients": recipients,
        "sent": counts.sent,
        "lost": recipients - delivered,
        "duplicates": api.duplicates,
        "msgs_per_s": round(api.sent / span, 2) if span > 0 else 0.0,
        "limit_per_s": server_limit,
        "http_429": api.rejected_429,
        "http_429_pct": round(100 * api.rejected_429 / max(api.requests, 1), 2),
        "latency_ms": latency_ms,
        "max_in_flight": settings.max_in_flight,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=None, help="the engine's (default: its own)")
    parser.add_argument("--server-limit", type=int, default=30)
    parser.add_argument("--latency-ms", type=float, default=0.0, help="each send's round trip")
    parser.add_argument(
        "--in-flight", type=int, default=None, help="the engine's (default: its own)"
    )
    args = parser.parse_args()
    if args.recipients < 1 or args.server_limit < 1:
        parser.error("--recipients and --server-limit must be positive")
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        result = asyncio.run(
            run(
                args.recipients,
                args.rate,
                args.server_limit,
                Path(tmp),
                args.latency_ms,
                args.in_flight,
            )
        )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
