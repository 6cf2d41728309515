"""The bot at a region's size: 100 000 students, 200 schools, 4 000 classes (benchmarks/region.py).

In one process, through the real dispatcher (a recording session stands in for Telegram), on a
copy of the region's database:

- class_ms, requests_ms (a teacher's /class and /requests), classes_ms (a school admin's
  /classes), status_ms (a student's /status): each the median of 5;
- broadcast_press_ms (the super admin picks "everyone": a count), broadcast_preview_ms (the
  message typed: the preview, counted again), broadcast_confirm_ms (✅: the 100 000 recipients
  read and written in chunks): medians of 5 broadcasts, each cancelled afterwards;
- reminders_round_ms: the first reminders round after start-up (what became due since the last
  rounds), the median of 5 (what a round recorded is undone before the next);
- press_p95_ms, press_max_ms: while each confirmation and each reminders round runs, 100 new
  students walk the wizard and then ask /status at a person's pace (a press every 0.5-1.5 s),
  each update timed from its arrival to its answer; the worse of the two phases;
- longest_db_hold_ms: the longest single database transaction over the whole run;
- burst_peak_rss_mb: benchmarks/burst.py's (the real `python -m bot`, 20 000 users at once),
  run in its own process afterwards (--no-burst leaves it out).

The last line printed is one JSON object.

    python benchmarks/scale.py [--no-burst] [--burst-users 20000]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiogram import Bot, Dispatcher
from aiogram.types import CallbackQuery, Chat, Message, Update, User

import storage.db
from app import heap
from app.config import Settings
from app.factory import build_bot, build_dispatcher, start_delivery
from benchmarks import region
from bot.broadcast_audience import Kind
from bot.delivery import DeliveryEngine
from bot.reminders import Reminders
from bot.wizard import Action, Step
from tests.support.session import RecordingSession
from ui.callbacks import BcAudienceCb, BcConfirmCb, WizardCb

REPEATS = 5
WALKERS = 100
THINK = (0.5, 1.5)  # seconds a student takes between two presses
SUPER_ADMIN = 9_000
ROOT = Path(__file__).resolve().parent.parent
_ids = itertools.count(1)


class HoldMeter:
    """Times every transaction the database's worker thread runs (storage.db._run_batch)."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._run_batch = storage.db._run_batch

    def install(self) -> None:
        original = self._run_batch

        def timed(conn: Any, ops: Any) -> Any:
            started = time.perf_counter()
            try:
                return original(conn, ops)
            finally:
                self.longest = max(self.longest, time.perf_counter() - started)

        storage.db._run_batch = timed


def _user(user_id: int) -> User:
    return User(id=user_id, is_bot=False, first_name="Аня", language_code="ru")


def message(user_id: int, text: str) -> Update:
    return Update(
        update_id=next(_ids),
        message=Message(
            message_id=next(_ids),
            date=datetime.now(UTC),
            chat=Chat(id=user_id, type="private"),
            from_user=_user(user_id),
            text=text,
        ),
    )


def press(user_id: int, data: str) -> Update:
    return Update(
        update_id=next(_ids),
        callback_query=CallbackQuery(
            id=str(next(_ids)),
            from_user=_user(user_id),
            chat_instance="scale",
            data=data,
            message=Message(
                message_id=next(_ids),
                date=datetime.now(UTC),
                chat=Chat(id=user_id, type="private"),
                text="…",
            ),
        ),
    )


def walk(user_id: int) -> list[Update]:
    """A new student's wizard to a join request in the first class of the first school."""

    def w(step: Step, action: Action, value: int = 0) -> Update:
        return press(user_id, WizardCb(step=step, action=action, value=value).pack())

    return [
        message(user_id, "/start"),
        w(Step.WELCOME, Action.AGREE),
        w(Step.SCHOOL, Action.SCHOOL, 1),
        w(Step.CLASS, Action.CLASS, 1),
        message(user_id, "Анна Иванова"),
        w(Step.DEVICE, Action.PHONE),
        w(Step.PROFILE, Action.DONE),
        w(Step.FORK, Action.NO),
        w(Step.VARIANT, Action.V1),
        w(Step.VARIANT1, Action.SENT),
    ]


class Bench:
    def __init__(self, dp: Dispatcher, bot: Bot) -> None:
        self.dp, self.bot = dp, bot
        self._walkers = itertools.count(50_000_000, 1000)

    async def timed(self, update: Update) -> float:
        started = time.perf_counter()
        await self.dp.feed_update(self.bot, update)
        return 1000 * (time.perf_counter() - started)

    async def median(self, make: Callable[[], Update]) -> float:
        return statistics.median([await self.timed(make()) for _ in range(REPEATS)])

    async def while_running(self, work: Awaitable[Any]) -> tuple[float, list[float]]:
        """Runs `work` while 100 students use the bot at a person's pace (a press every 0.5 to
        1.5 s: reading the screen in between); returns (its ms, their answers' ms)."""
        done = asyncio.Event()
        latencies: list[float] = []
        first = next(self._walkers)
        pace = random.Random(first)  # noqa: S311 - a benchmark's pacing

        async def student(user_id: int) -> None:
            updates = itertools.chain(
                walk(user_id), iter(lambda: message(user_id, "/status"), None)
            )
            await asyncio.sleep(pace.uniform(0, THINK[1]))  # they arrive spread out
            for update in updates:
                if done.is_set():
                    return
                latencies.append(await self.timed(update))
                with contextlib.suppress(TimeoutError):  # reading; or the work is over
                    await asyncio.wait_for(done.wait(), pace.uniform(*THINK))

        students = [asyncio.create_task(student(first + n)) for n in range(WALKERS)]
        started = time.perf_counter()
        await work
        elapsed = 1000 * (time.perf_counter() - started)
        done.set()
        await asyncio.gather(*students)
        return elapsed, latencies


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


async def broadcasts(bench: Bench, engine: DeliveryEngine) -> tuple[dict[str, float], list[float]]:
    everyone = BcAudienceCb(kind=Kind.EVERYONE).pack()
    confirm = BcConfirmCb(go=True).pack()
    picks, previews, confirms, presses = [], [], [], []
    for n in range(REPEATS):
        await bench.timed(message(SUPER_ADMIN, "/broadcast"))
        picks.append(await bench.timed(press(SUPER_ADMIN, everyone)))
        previews.append(await bench.timed(message(SUPER_ADMIN, f"Собрание № {n} в пятницу")))
        elapsed, latencies = await bench.while_running(bench.timed(press(SUPER_ADMIN, confirm)))
        confirms.append(elapsed)
        presses += latencies
        for broadcast in await engine.repo.unfinished():
            await engine.cancel(broadcast.id)
    return {
        "broadcast_press_ms": statistics.median(picks),
        "broadcast_preview_ms": statistics.median(previews),
        "broadcast_confirm_ms": statistics.median(confirms),
    }, presses


async def reminder_rounds(
    bench: Bench, reminders: Reminders, engine: DeliveryEngine
) -> tuple[float, list[float]]:
    rounds, presses = [], []
    at = region.NOW
    for _ in range(REPEATS):
        elapsed, latencies = await bench.while_running(reminders.run_once(at))
        rounds.append(elapsed)
        presses += latencies
        for broadcast in await engine.repo.unfinished():
            await engine.cancel(broadcast.id)
        # Undone, so the next round finds the same students due (the first round again): their
        # nudges forgotten, and the marks that keep the nudged out of the next rounds' reading.
        sent_at = at.isoformat(timespec="seconds")
        await reminders.repo._db.execute(
            "UPDATE students SET nudged_step = NULL WHERE user_id IN"
            " (SELECT user_id FROM reminders WHERE sent_at = ? AND step IS NOT NULL)",
            (sent_at,),
        )
        await reminders.repo._db.execute("DELETE FROM reminders WHERE sent_at = ?", (sent_at,))
    return statistics.median(rounds), presses


async def measure(path: Path) -> dict[str, Any]:
    meter = HoldMeter()
    meter.install()
    settings = Settings(
        _env_file=None, bot_token="42:BENCH", database_path=path, admin_ids={SUPER_ADMIN}
    )
    db = await storage.db.Database.open(path)
    session = RecordingSession(record=False)
    dp, bot = build_dispatcher(settings, db), build_bot(settings, session)
    engine: DeliveryEngine = dp["delivery"]
    await start_delivery(bot, engine, dp["broadcast_progress"])
    heap.settle()
    bench = Bench(dp, bot)
    teacher = region.TEACHER_BASE + 1
    admin = region.ADMIN_BASE + 1
    waiting = await db.fetchone(
        "SELECT student_id FROM join_requests WHERE status = 'pending' ORDER BY id LIMIT 1"
    )
    assert waiting is not None
    result: dict[str, Any] = {
        "class_ms": await bench.median(lambda: message(teacher, "/class")),
        "requests_ms": await bench.median(lambda: message(teacher, "/requests")),
        "classes_ms": await bench.median(lambda: message(admin, "/classes")),
        "status_ms": await bench.median(lambda: message(waiting[0], "/status")),
    }
    figures, during_confirm = await broadcasts(bench, engine)
    result |= figures
    result["reminders_round_ms"], during_round = await reminder_rounds(
        bench, dp["reminders"], engine
    )
    result["press_p95_ms"] = max(p95(during_confirm), p95(during_round))
    result["press_p95_confirm_ms"] = p95(during_confirm)
    result["press_p95_round_ms"] = p95(during_round)
    result["press_max_ms"] = max(max(during_confirm), max(during_round))
    result["presses"] = len(during_confirm) + len(during_round)
    await dp["broadcast_progress"].stop()
    await engine.stop()
    await db.close()
    result["longest_db_hold_ms"] = 1000 * meter.longest
    return {k: round(v, 1) if isinstance(v, float) else v for k, v in result.items()}


def burst(users: int) -> float | None:
    """benchmarks/burst.py in its own process: the real bot's peak RSS under a burst."""
    proc = subprocess.run(  # noqa: S603 - our own script, by its path
        [sys.executable, str(ROOT / "benchmarks" / "burst.py"), "--users", str(users)],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        print(f"burst.py failed ({proc.returncode}):\n{proc.stderr[-2000:]}", file=sys.stderr)
        return None
    return float(json.loads(lines[-1])["burst_peak_rss_mb"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-burst", action="store_true", help="leave burst_peak_rss_mb out")
    parser.add_argument("--burst-users", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "region.sqlite3"
        started = time.perf_counter()
        built = region.region_db(path)
        how = "built" if built else "copied from benchmarks/.cache"
        print(f"region database {how} in {time.perf_counter() - started:.1f}s", flush=True)
        result = asyncio.run(measure(path))
    if not args.no_burst:
        result["burst_peak_rss_mb"] = burst(args.burst_users)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
