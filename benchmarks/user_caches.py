"""Memory held per user after many distinct users, in one process, by structure.

`--users` distinct users (100 000 by default) pass through the real dispatcher
(app.factory.build_dispatcher, a real SQLite database in a temporary directory, the recording
session of the tests): each sends /start, or presses the greeting's consent button, once; 100
at a time, as polling hands them out. Then every per-user structure the bot keeps is measured:

* the isolation's locks (ui/isolation.py: one per user only while they have an update in hand);
* UsersRepo's cache (storage/users.py) and the FSM storage's cache (storage/fsm.py);
* the delivery engine's per-chat map (bot/pacing.py, OutboundLimiter._chat_next) and waiters.

How: a deep walk from each structure (sys.getsizeof of every object reachable through
gc.get_referents, each counted once across all structures; classes, modules, functions and the
event loop are not followed, so only what the structure itself holds is counted). As a
cross-check for per-user memory held anywhere else, the last `--traced` users are fed under
tracemalloc (it slows the bot ~5x, so not all of them): what they allocated and is still held at
the end is reported in total and by the lines that allocated the most. With the caches full by
then, that is their new entries (each replacing an evicted one) plus anything else that grows
per user. Also printed: the process's RSS growth after the warm-up (`--warmup` users), and the
rate of the untraced part. The last line printed is one JSON object.

    python benchmarks/user_caches.py [--users 100000] [--warmup 2000] [--traced 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import itertools
import json
import sys
import tempfile
import time
import tracemalloc
import types
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiogram import Bot, Dispatcher

from app import heap
from app.config import Settings
from app.factory import build_bot, build_dispatcher
from bot.delivery import DeliveryEngine
from bot.wizard import Action, Step
from storage.db import Database
from storage.fsm import SQLiteStorage
from storage.schools import ensure_class, ensure_school
from storage.users import UsersRepo
from tests.support.session import RecordingSession
from ui.callbacks import WizardCb
from ui.isolation import PerUserIsolation

FIRST_USER = 20_000_000
CONCURRENCY = 100
MB = 1024 * 1024
Raw = dict[str, Any]
_ids = itertools.count(1)
_NOT_FOLLOWED = (
    bool,
    type,
    types.ModuleType,
    types.FunctionType,
    types.BuiltinFunctionType,
    types.MethodType,
    asyncio.AbstractEventLoop,
)


def raw_update(user_id: int) -> Raw:
    """Even ids send /start, odd ones press "I agree" under the greeting (as JSON from the API)."""
    user = {"id": user_id, "is_bot": False, "first_name": "Ученик", "language_code": "ru"}
    chat = {"id": user_id, "type": "private", "first_name": "Ученик"}
    date = int(datetime.now(UTC).timestamp())
    message: Raw = {"message_id": next(_ids), "date": date, "chat": chat}
    if user_id % 2 == 0:
        message.update(
            {
                "from": user,
                "text": "/start",
                "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
            }
        )
        return {"update_id": next(_ids), "message": message}
    data = WizardCb(step=Step.WELCOME, action=Action.AGREE).pack()
    query: Raw = {
        "id": str(next(_ids)),
        "from": user,
        "chat_instance": "bench",
        "data": data,
        "message": {**message, "text": "greeting"},
    }
    return {"update_id": next(_ids), "callback_query": query}


def chunks(first: int, count: int) -> Iterator[range]:
    for start in range(first, first + count, CONCURRENCY):
        yield range(start, min(start + CONCURRENCY, first + count))


async def feed(dp: Dispatcher, bot: Bot, first: int, count: int) -> None:
    for ids in chunks(first, count):
        await asyncio.gather(*(dp.feed_raw_update(bot, raw_update(u)) for u in ids))


def deep_size(root: object, seen: set[int]) -> int:
    """Bytes of `root` and of everything it holds that `seen` has not counted yet."""
    total, stack = 0, [root]
    while stack:
        obj = stack.pop()
        if id(obj) in seen or obj is None or isinstance(obj, _NOT_FOLLOWED):
            continue
        seen.add(id(obj))
        total += sys.getsizeof(obj)
        if not isinstance(obj, str | bytes | int | float):
            stack.extend(gc.get_referents(obj))
    return total


def structures(dp: Dispatcher) -> dict[str, tuple[object, int]]:
    """Name -> (the structure, its entries)."""
    isolation = dp.fsm.events_isolation
    storage, users, delivery = dp.fsm.storage, dp["users"], dp["delivery"]
    assert isinstance(isolation, PerUserIsolation)
    assert isinstance(storage, SQLiteStorage)
    assert isinstance(users, UsersRepo)
    assert isinstance(delivery, DeliveryEngine)
    found: dict[str, object] = {
        "isolation_locks": isolation._slots,
        "users_cache": users._cache,
        "fsm_cache": storage._cache,
        "fsm_loading": storage._loading,
        "delivery_chat_next": delivery.limiter._chat_next,
        "delivery_waiters": delivery._waiters,
    }
    return {name: (obj, len(obj)) for name, obj in found.items() if isinstance(obj, dict)}


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def run(users: int, warmup: int, traced: int, workdir: Path) -> dict[str, Any]:
    settings = Settings(
        _env_file=None, bot_token="42:BENCH", database_path=workdir / "bench.sqlite3"
    )
    db = await Database.open(settings.database_path)
    school_id, _ = await db.run(lambda conn: ensure_school(conn, "МБОУ СОШ № 1"))
    await db.run(lambda conn: ensure_class(conn, school_id, "5А"))
    session = RecordingSession(record=False)
    dp, bot = build_dispatcher(settings, db), build_bot(settings, session)
    heap.settle()  # as `python -m bot` does once it has started
    try:
        warmup = min(warmup, users)
        traced = min(traced, users - warmup)
        untraced = users - warmup - traced
        await feed(dp, bot, FIRST_USER, warmup)
        gc.collect()
        rss_before = rss_mb()
        started = time.perf_counter()
        await feed(dp, bot, FIRST_USER + warmup, untraced)
        seconds = time.perf_counter() - started
        if traced:
            tracemalloc.start(1)
            await feed(dp, bot, FIRST_USER + warmup + untraced, traced)
        gc.collect()
        snapshot = tracemalloc.take_snapshot() if traced else None
        tracemalloc.stop()
        rss_after = rss_mb()
        seen: set[int] = set()
        by_structure: dict[str, Any] = {}
        for name, (obj, entries) in structures(dp).items():
            size = deep_size(obj, seen)
            by_structure[name] = {"mb": round(size / MB, 2), "entries": entries}
        total = sum(s["mb"] for s in by_structure.values())
        result: dict[str, Any] = {
            "users": users,
            "per_user_caches_mb": round(total, 2),
            "by_structure": by_structure,
            "method": "deep sys.getsizeof over gc.get_referents, shared objects counted once",
            "updates_per_s": round(untraced / seconds, 1) if untraced else None,
            "rss_growth_mb": round(rss_after - rss_before, 1),
        }
        if snapshot is not None:
            stats = snapshot.statistics("lineno")
            result["tracemalloc_last_users"] = traced
            result["tracemalloc_held_mb"] = round(sum(s.size for s in stats) / MB, 2)
            result["tracemalloc_top"] = [
                f"{s.traceback[0].filename.split('site-packages/')[-1]}:{s.traceback[0].lineno}"
                f" {s.size / MB:.2f} MB / {s.count}"
                for s in stats[:12]
            ]
        return result
    finally:
        await db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--warmup", type=int, default=2000)
    parser.add_argument(
        "--traced", type=int, default=10_000, help="the last users fed under tracemalloc (0: none)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="user-caches-") as tmp:
        result = asyncio.run(run(args.users, args.warmup, args.traced, Path(tmp)))
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
