"""Throughput of the student wizard against a bare aiogram echo bot, in one process.

N simulated students walk the whole wizard (variant 1 path, 12 updates each) through the real
dispatcher, the real SQLite database and FSM storage; then an echo bot handles the same number of
updates on the same kind of recording session. The last line printed is one JSON object.

    python benchmarks/wizard.py [--students 2000] [--concurrency 100]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.enums import ParseMode
from aiogram.types import CallbackQuery, Chat, Message, Update, User

from app import heap
from app.config import Settings
from app.factory import build_bot, build_dispatcher
from bot.wizard import Action, Step
from storage.db import Database
from storage.schools import ensure_class, ensure_school
from tests.support.session import RecordingSession
from ui.callbacks import WizardCb

_ids = itertools.count(1)
Raw = dict[str, Any]
NOW = datetime.now(UTC)


def _message(user: User, text: str) -> Update:
    chat = Chat(id=user.id, type="private")
    return Update(
        update_id=next(_ids),
        message=Message(message_id=next(_ids), date=NOW, chat=chat, from_user=user, text=text),
    )


def _press(user: User, step: Step, action: Action, value: int = 0) -> Update:
    chat = Chat(id=user.id, type="private")
    return Update(
        update_id=next(_ids),
        callback_query=CallbackQuery(
            id=str(next(_ids)),
            from_user=user,
            chat_instance="bench",
            data=WizardCb(step=step, action=action, value=value).pack(),
            message=Message(message_id=next(_ids), date=NOW, chat=chat, text="step"),
        ),
    )


def student_updates(user_id: int, school_id: int, class_id: int) -> list[Raw]:
    user = User(id=user_id, is_bot=False, first_name="Student", language_code="ru")
    updates = [
        _message(user, "/start"),
        _press(user, Step.WELCOME, Action.AGREE),
        _press(user, Step.SCHOOL, Action.SCHOOL, school_id),
        _press(user, Step.CLASS, Action.CLASS, class_id),
        _message(user, "Анна Иванова"),
        _press(user, Step.DEVICE, Action.PHONE),
        _press(user, Step.PROFILE, Action.DONE),
        _press(user, Step.FORK, Action.NO),
        _press(user, Step.VARIANT, Action.V1),
        _press(user, Step.VARIANT1, Action.SENT),
    ]
    return [_json(update) for update in updates]


def rounds(per_student: list[list[Raw]]) -> Iterator[list[Raw]]:
    """Students progress side by side: round k holds every student's k-th update."""
    yield from (list(batch) for batch in zip(*per_student, strict=True))


def _json(update: Update) -> Raw:
    """An update as it arrives from the Bot API: JSON, parsed by aiogram for each bot alike."""
    return update.model_dump(mode="json", exclude_none=True)


async def feed_all(dp: Dispatcher, bot: Bot, batches: list[list[Raw]], concurrency: int) -> float:
    """Feed updates with `concurrency` in flight, as long polling does; returns seconds."""
    started = time.perf_counter()
    for batch in batches:
        for i in range(0, len(batch), concurrency):
            chunk = batch[i : i + concurrency]
            await asyncio.gather(*(dp.feed_raw_update(bot, raw) for raw in chunk))
    return time.perf_counter() - started


async def run_wizard(students: int, concurrency: int, workdir: Path) -> tuple[int, float]:
    settings = Settings(
        _env_file=None, bot_token="42:BENCH", database_path=workdir / "bench.sqlite3"
    )
    db = await Database.open(settings.database_path)
    school_id, _ = await db.run(lambda conn: ensure_school(conn, "МБОУ СОШ № 1"))
    class_id, _ = await db.run(lambda conn: ensure_class(conn, school_id, "5А"))
    session = RecordingSession(record=False)
    dp, bot = build_dispatcher(settings, db), build_bot(settings, session)
    heap.settle()  # as `python -m bot` does once it has started
    per_student = [student_updates(10_000 + n, school_id, class_id) for n in range(students)]
    batches = list(rounds(per_student))
    del per_student
    seconds = await feed_all(dp, bot, batches, concurrency)
    finished = await db.fetchone("SELECT count(*) AS n FROM students WHERE step = 'done'")
    await db.close()
    if finished is None or finished["n"] != students:
        raise SystemExit(f"only {finished and finished['n']} of {students} students finished")
    return sum(len(b) for b in batches), seconds


async def run_echo(updates: int, concurrency: int) -> float:
    """aiogram's own examples/echo_bot.py: a default Dispatcher and send_copy."""
    dp = Dispatcher()

    @dp.message()
    async def echo(message: Message) -> None:
        await message.send_copy(chat_id=message.chat.id)

    bot = Bot(
        "42:BENCH",
        session=RecordingSession(record=False),
        default=DefaultBotProperties(parse_mode=ParseMode.HTML),
    )
    users = (User(id=10_000 + n, is_bot=False, first_name="Student") for n in range(updates))
    batch = [_json(_message(user, "Анна Иванова")) for user in users]
    return await feed_all(dp, bot, [batch], concurrency)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=100)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        updates, wizard_s = asyncio.run(run_wizard(args.students, args.concurrency, Path(tmp)))
    echo_s = asyncio.run(run_echo(updates, args.concurrency))
    wizard_rate, echo_rate = updates / wizard_s, updates / echo_s
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"wizard: {updates} updates from {args.students} students in {wizard_s:.2f}s")
    print(f"echo:   {updates} updates in {echo_s:.2f}s")
    print(
        json.dumps(
            {
                "wizard_updates_per_s": round(wizard_rate, 1),
                "echo_updates_per_s": round(echo_rate, 1),
                "ratio": round(wizard_rate / echo_rate, 3),
                "peak_rss_mb": round(peak_rss_mb, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
