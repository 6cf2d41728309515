"""One broadcast by the real bot to a rate-limited Bot API on 127.0.0.1, students replying.

The sandbox's Bot API server on 127.0.0.1 allows `--server-limit` sends in any sliding
one-second window (429 with retry_after above that, as Telegram does) and answers each send
`--latency-ms` later (Telegram's round trip is ~50 ms). The real bot (app.factory's dispatcher,
polling that server, a temporary SQLite database) sends one text to `--recipients` users through
its delivery engine at its configured rate (its default, or `--rate`, `--in-flight`). While it
runs, `--reply-share` of the recipients write back once they have it, and the bot answers them
(its real handlers): Telegram's limit is per bot, so those answers share the budget.

Progress lines go to stdout; the last line is one JSON object: recipients, sent (the engine's
record), lost and duplicates (the server's count of the broadcast per chat), msgs_per_s (the
broadcast's accepted sends / seconds from its first to its last), all_sends_per_s, replies and
reply_sends (the bot's answers), reply_p95_ms (a student's message to the bot's first answer),
http_429 and http_429_pct (over all sends, broadcast and answers), limit_per_s, latency_ms,
max_in_flight.

    python benchmarks/broadcast.py [--recipients 10000] [--rate 28] [--server-limit 30]
        [--latency-ms 50] [--in-flight 4] [--reply-share 0.1]
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

from app.config import DeliverySettings, Settings
from app.factory import build_bot, build_dispatcher
from benchmarks.rate_limited_api import SEND_METHODS, RateLimitedBotApi
from bot.delivery import FREE_RATE_LIMIT, DeliveryEngine
from sandbox.models import ApiCall
from storage.broadcasts import TextPayload
from storage.db import Database, utcnow

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
            f" | server: accepted {api.sent} (answers {api.other_sends}), 429 {api.rejected_429},"
            f" {rate:.2f} msg/s",
            flush=True,
        )


class Repliers:
    """The recipients who write back once the broadcast reached them, each once; and how long
    each waited for the bot's first answer."""

    def __init__(self, api: RateLimitedBotApi, chats: list[int]) -> None:
        self.api, self.waiting = api, set(chats)
        self.asked: dict[int, float] = {}  # chat -> time.monotonic() of the student's message
        self.latencies: list[float] = []
        self.answered = asyncio.Event()  # every replier got the broadcast and an answer
        self._seen = 0  # server calls already looked at

    async def run(self) -> None:
        calls = self.api.server.calls
        while True:
            while self._seen < len(calls):
                call = calls[self._seen]
                if call.method in SEND_METHODS and not call.done:
                    break  # looked at once answered (sends are answered in order of latency)
                self._seen += 1
                if call.method in SEND_METHODS and call.ok:
                    await self._look(call)
            await asyncio.sleep(0.005)  # the benchmark's own pace, not a synchronisation

    async def _look(self, call: ApiCall) -> None:
        chat = int(call.params["chat_id"])
        if self.api.is_broadcast(call) and chat in self.waiting:
            self.waiting.discard(chat)
            self.asked[chat] = time.monotonic()
            await self.api.server.user_sends(chat, "Спасибо! А куда нажимать?")
        elif not self.api.is_broadcast(call) and chat in self.asked:
            self.latencies.append(call.at - self.asked.pop(chat))
            if not self.asked and not self.waiting:
                self.answered.set()


def _settings(base: str, workdir: Path) -> Settings:
    return Settings(
        _env_file=None,
        bot_token=TOKEN,
        telegram_api_url=base,
        database_path=workdir / "bench.sqlite3",
    )


async def run(
    recipients: int,
    rate: float | None,
    server_limit: int,
    workdir: Path,
    latency_ms: float = 0.0,
    in_flight: int | None = None,
    reply_share: float = 0.0,
) -> Any:
    overrides: dict[str, Any] = {} if rate is None else {"rate": rate}
    if in_flight is not None:
        overrides["max_in_flight"] = in_flight
    if rate is not None and rate > FREE_RATE_LIMIT:
        overrides["allow_paid_broadcast"] = True
    delivery = DeliverySettings(_env_file=None, **overrides)
    chat_ids = list(range(FIRST_CHAT, FIRST_CHAT + recipients))
    api = RateLimitedBotApi(
        TOKEN, chat_ids, limit=server_limit, latency=latency_ms / 1000, broadcast_text=TEXT
    )
    settings = _settings(await api.start(), workdir)
    bot = build_bot(settings)
    db = await Database.open(settings.database_path)
    await insert_users(db, chat_ids)
    dp = build_dispatcher(settings, db, delivery_limits=delivery.limits)
    engine: DeliveryEngine = dp["delivery"]
    repliers = Repliers(api, chat_ids[:: max(1, round(1 / reply_share))] if reply_share else [])
    tasks: list[asyncio.Task[Any]] = []
    try:
        print(
            f"server {api.server.url} (limit {server_limit}/s, {latency_ms:g} ms latency),"
            f" engine rate {delivery.rate:g}/s, max_in_flight {delivery.max_in_flight},"
            f" {len(repliers.waiting)} students replying",
            flush=True,
        )
        tasks.append(asyncio.create_task(dp.start_polling(bot, handle_signals=False)))
        await api.server.wait_until_listening()  # the bot polls: its start-up is done
        tasks.append(asyncio.create_task(repliers.run()))
        broadcast_id, count = await engine.broadcast(0, "benchmark", TextPayload(TEXT), chat_ids)
        print(f"broadcast {broadcast_id}: {count} recipients", flush=True)
        tasks.append(asyncio.create_task(report(engine, api, broadcast_id)))
        # Bounded: three times the ideal duration plus a minute, then give up.
        deadline = 3 * recipients / min(delivery.rate, server_limit) + 60
        started = time.monotonic()
        try:
            final = await asyncio.wait_for(engine.wait(broadcast_id), deadline)
        except TimeoutError:
            print(f"timed out after {deadline:.0f}s", flush=True)
            final = None
        elapsed = time.monotonic() - started
        if repliers.waiting or repliers.asked:  # the last answers to the last replies
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(repliers.answered.wait(), 10)
        counts = await engine.counts(broadcast_id)
    finally:
        for task in tasks[1:]:
            task.cancel()
        with contextlib.suppress(RuntimeError):  # polling had not started
            await dp.stop_polling()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await bot.session.close()
        await db.close()
        await api.stop()

    span = api.span()
    delivered = sum(1 for chat in chat_ids if api.deliveries[chat] > 0)
    pct_429 = 100 * api.rejected_429 / max(api.requests, 1)
    print(
        f"done: status {final.status if final else 'unfinished'} in {elapsed:.1f}s;"
        f" engine sent {counts.sent}, failed {counts.failed}, blocked {counts.blocked},"
        f" pending {counts.pending}; server accepted {api.sent} broadcast sends in {span:.1f}s"
        f" and {api.other_sends} answers; {api.rejected_429} answered 429 of {api.requests}"
        f" send requests ({pct_429:.2f}%), at most {api.max_in_window} in one window",
        flush=True,
    )
    waits = sorted(repliers.latencies)
    return {
        "recipients": recipients,
        "sent": counts.sent,
        "lost": recipients - delivered,
        "duplicates": api.duplicates,
        "msgs_per_s": round(api.sent / span, 2) if span > 0 else 0.0,
        "all_sends_per_s": round((api.sent + api.other_sends) / span, 2) if span > 0 else 0.0,
        "replies": len(repliers.asked) + len(waits),
        "reply_sends": api.other_sends,
        "reply_p95_ms": round(1000 * waits[int(0.95 * (len(waits) - 1))]) if waits else None,
        "limit_per_s": server_limit,
        "http_429": api.rejected_429,
        "http_429_pct": round(pct_429, 2),
        "latency_ms": latency_ms,
        "max_in_flight": delivery.max_in_flight,
        "reply_share": reply_share,
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
    parser.add_argument(
        "--reply-share", type=float, default=0.0, help="of the recipients, who write back"
    )
    args = parser.parse_args()
    if args.recipients < 1 or args.server_limit < 1:
        parser.error("--recipients and --server-limit must be positive")
    if not 0 <= args.reply_share <= 1:
        parser.error("--reply-share is a share: 0 to 1")
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
                args.reply_share,
            )
        )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
