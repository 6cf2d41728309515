"""Throughput of the student wizard against its peers, on one update stream, in one process.

N simulated students walk the whole wizard (variant 1 path, 10 updates each) through the real
dispatcher, the real SQLite database and FSM storage. The same updates go to the peers of
benchmarks/reference_bots.py, each on the same kind of recording session: a reference aiogram
FSM bot on a plain SQLite storage that commits every write (`ref_sqlite`), the same bot on
aiogram's MemoryStorage (`ref_memory`), and the ceiling: the project's routers and middlewares
with handlers that only answer and send one prebuilt message (`ceiling`); aiogram's echo bot
(`echo`) handles as many text messages. Every bot parses each update from JSON, as polling
does, under the same collector settings (app/heap.py).

The bots take turns, one after another, a round each (round k: every student's k-th update;
the echo bot a tenth of its messages), the order rotating from round to round: on a machine
whose load changes from minute to minute, each bot then meets the same conditions. The last
line printed is one JSON object; each `ratio_vs_*` is the wizard's updates/s divided by that
bot's, `p95_ms` the wizard's time per update from its arrival to its end, `*_cpu_ms` the
process's CPU time per update (both threads), less swayed by other processes than the rates.

    python benchmarks/wizard.py [--students 1000] [--concurrency 100] [--class-size 25]
                                [--classes-per-school 20] [--only BOT ...]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from math import ceil
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.enums import ParseMode
from aiogram.fsm.storage.base import StorageKey
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.types import CallbackQuery, Chat, Message, Update, User

from app import heap
from app.config import Settings
from app.factory import build_bot, build_dispatcher
from benchmarks.reference_bots import (
    MemoryRegistrations,
    SQLiteRegistrations,
    SQLiteStorage,
    ceiling_dispatcher,
    reference_dispatcher,
)
from bot.wizard import Action, Step
from storage.db import Database
from storage.schools import ensure_class, ensure_school
from tests.support.session import RecordingSession
from ui.callbacks import WizardCb
from ui.states import Wizard

_ids = itertools.count(1)
Raw = dict[str, Any]
NOW = datetime.now(UTC)
FIRST_USER = 10_000
Choice = tuple[int, str]  # a school's or a class's id and name


@dataclass(frozen=True)
class Region:
    """Where the students go: schools of `classes_per_school` classes of `class_size` each
    (issue 12's region: 100 000 students in 4 000 classes of 200 schools, 25 and 20). Ids are
    those a fresh database gives: schools first, then their classes in order."""

    students: int
    class_size: int
    classes_per_school: int

    @property
    def classes(self) -> int:
        return ceil(self.students / self.class_size)

    def schools(self) -> list[Choice]:
        count = ceil(self.classes / self.classes_per_school)
        return [(school_id, f"МБОУ СОШ № {school_id}") for school_id in range(1, count + 1)]

    def classes_of(self, school_id: int) -> list[Choice]:
        first = (school_id - 1) * self.classes_per_school
        last = min(first + self.classes_per_school, self.classes)
        return [
            (index + 1, f"{index % 11 + 1}{'АБВГДЕЖЗИК'[index // 11 % 10]}")
            for index in range(first, last)
        ]

    def place(self, student: int) -> tuple[int, int]:
        """The school id and class id of the n-th student."""
        index = student // self.class_size
        return index // self.classes_per_school + 1, index + 1


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


class Run:
    """One bot's rounds, added up."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.cpu_seconds = 0.0  # the process's, both threads
        self.latencies: list[float] = []  # seconds, one per update

    @property
    def updates(self) -> int:
        return len(self.latencies)

    @property
    def rate(self) -> float:
        return self.updates / self.seconds

    @property
    def p95_ms(self) -> float:
        return statistics.quantiles(self.latencies, n=20)[-1] * 1000

    @property
    def cpu_ms(self) -> float:
        """CPU time per update."""
        return self.cpu_seconds / self.updates * 1000


@dataclass
class Contender:
    """A bot ready to be fed, round by round."""

    dp: Dispatcher
    bot: Bot
    batches: list[list[Raw]]
    run: Run

    async def feed(self, batch: list[Raw], concurrency: int) -> None:
        """Feed one round with `concurrency` in flight, as long polling does."""
        latencies = self.run.latencies

        async def one(raw: Raw, arrived: float) -> None:
            await self.dp.feed_raw_update(self.bot, raw)
            latencies.append(time.perf_counter() - arrived)

        started, cpu_started = time.perf_counter(), time.process_time()
        for i in range(0, len(batch), concurrency):
            arrived = time.perf_counter()
            await asyncio.gather(*(one(raw, arrived) for raw in batch[i : i + concurrency]))
        self.run.seconds += time.perf_counter() - started
        self.run.cpu_seconds += time.process_time() - cpu_started


def _session_bot(settings: Settings) -> Bot:
    """The project's Bot (its session middleware included) on a recording session."""
    return build_bot(settings, RecordingSession(record=False))


def _plain_bot() -> Bot:
    """A Bot as aiogram's examples make it, on the same kind of recording session."""
    return Bot(
        "42:BENCH",
        session=RecordingSession(record=False),
        default=DefaultBotProperties(parse_mode=ParseMode.HTML),
    )


@asynccontextmanager
async def _database(settings: Settings, region: Region) -> AsyncIterator[Database]:
    """A fresh database with the region's schools and classes, as the stream's buttons name
    them; closed whatever happens (its worker thread would keep the process alive)."""
    db = await Database.open(settings.database_path)
    try:
        await db.run(lambda conn: _build(conn, region))
        yield db
    finally:
        await db.close()


def _build(conn: sqlite3.Connection, region: Region) -> None:
    for school_id, school in region.schools():
        if ensure_school(conn, school)[0] != school_id:
            raise SystemExit(f"{school} did not get id {school_id}")
    for school_id, _ in region.schools():
        for class_id, name in region.classes_of(school_id):
            if ensure_class(conn, school_id, name)[0] != class_id:
                raise SystemExit(f"class {name} of school {school_id} did not get id {class_id}")


@dataclass(frozen=True)
class Stream:
    """The updates every bot gets, in rounds, and how many are in flight at once."""

    region: Region
    batches: list[list[Raw]]
    concurrency: int
    workdir: Path

    @classmethod
    def of(cls, region: Region, concurrency: int, workdir: Path) -> Stream:
        per_student = [
            student_updates(FIRST_USER + n, *region.place(n)) for n in range(region.students)
        ]
        return cls(region, list(rounds(per_student)), concurrency, workdir)

    @property
    def updates(self) -> int:
        return sum(len(batch) for batch in self.batches)

    def settings(self, name: str) -> Settings:
        return Settings(
            _env_file=None, bot_token="42:BENCH", database_path=self.workdir / f"{name}.sqlite3"
        )


Entrant = AbstractAsyncContextManager[Contender]


@asynccontextmanager
async def wizard(stream: Stream) -> AsyncIterator[Contender]:
    settings = stream.settings("wizard")
    async with _database(settings, stream.region) as db:
        dp, bot = build_dispatcher(settings, db), _session_bot(settings)
        yield Contender(dp, bot, stream.batches, Run())
        finished = await db.fetchone("SELECT count(*) AS n FROM students WHERE step = 'done'")
    students = stream.region.students
    if finished is None or finished["n"] != students:
        raise SystemExit(f"only {finished and finished['n']} of {students} students finished")


@asynccontextmanager
async def ref_sqlite(stream: Stream) -> AsyncIterator[Contender]:
    storage = await SQLiteStorage.open(stream.workdir / "ref.sqlite3")
    try:
        registrations = SQLiteRegistrations(storage.conn)
        await registrations.create_table()
        dp = reference_dispatcher(storage, registrations, *_choices(stream.region))
        yield Contender(dp, _plain_bot(), stream.batches, Run())
        rows = await storage.conn.execute_fetchall("SELECT count(*) FROM registrations")
    finally:
        await storage.close()
    _check_registered(next(iter(rows))[0], stream.region)


@asynccontextmanager
async def ref_memory(stream: Stream) -> AsyncIterator[Contender]:
    registrations = MemoryRegistrations({})
    dp = reference_dispatcher(MemoryStorage(), registrations, *_choices(stream.region))
    yield Contender(dp, _plain_bot(), stream.batches, Run())
    _check_registered(len(registrations.saved), stream.region)


def _choices(region: Region) -> tuple[list[Choice], dict[int, list[Choice]]]:
    schools = region.schools()
    return schools, {school_id: region.classes_of(school_id) for school_id, _ in schools}


def _check_registered(count: int, region: Region) -> None:
    if count != region.students:
        raise SystemExit(f"the reference bot registered {count} of {region.students} students")


@asynccontextmanager
async def ceiling(stream: Stream) -> AsyncIterator[Contender]:
    settings = stream.settings("ceiling")
    async with _database(settings, stream.region) as db:
        dp, bot = ceiling_dispatcher(settings, db), _session_bot(settings)
        # Its handlers set no state: each student waits at the name step from the start, so
        # the typed name takes the wizard's route (the first router), not the fallback's.
        for n in range(stream.region.students):
            user_id = FIRST_USER + n
            await dp.storage.set_state(StorageKey(bot.id, user_id, user_id), Wizard.name)
        yield Contender(dp, bot, stream.batches, Run())


@asynccontextmanager
async def echo(stream: Stream) -> AsyncIterator[Contender]:
    """aiogram's own examples/echo_bot.py: a default Dispatcher and send_copy, as many text
    messages as the wizard's stream has updates, in as many rounds."""
    dp = Dispatcher()

    @dp.message()
    async def repeat(message: Message) -> None:
        await message.send_copy(chat_id=message.chat.id)

    users = [
        User(id=FIRST_USER + n, is_bot=False, first_name="Student") for n in range(stream.updates)
    ]
    messages = [_json(_message(user, "Анна Иванова")) for user in users]
    size = ceil(len(messages) / len(stream.batches))
    batches = [messages[i : i + size] for i in range(0, len(messages), size)]
    yield Contender(dp, _plain_bot(), batches, Run())


BOTS: dict[str, Callable[[Stream], Entrant]] = {
    "wizard": wizard,
    "ref_sqlite": ref_sqlite,
    "ref_memory": ref_memory,
    "ceiling": ceiling,
    "echo": echo,
}


async def race(stream: Stream, names: list[str]) -> dict[str, Run]:
    """Every bot gets its rounds in turn, the order rotating: round k starts with bot k."""
    async with AsyncExitStack() as stack:
        contenders = {name: await stack.enter_async_context(BOTS[name](stream)) for name in names}
        heap.settle()  # as `python -m bot` does once it has started
        for k in range(len(stream.batches)):
            order = names[k % len(names) :] + names[: k % len(names)]
            for name in order:
                contender = contenders[name]
                if k < len(contender.batches):
                    await contender.feed(contender.batches[k], stream.concurrency)
    return {name: contender.run for name, contender in contenders.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=100)
    parser.add_argument("--class-size", type=int, default=25)
    parser.add_argument("--classes-per-school", type=int, default=20)
    parser.add_argument("--only", choices=list(BOTS), action="append", help="run these bots only")
    args = parser.parse_args()

    region = Region(args.students, args.class_size, args.classes_per_school)
    with tempfile.TemporaryDirectory() as tmp:
        stream = Stream.of(region, args.concurrency, Path(tmp))
        runs = asyncio.run(race(stream, args.only or list(BOTS)))
    for name, run in runs.items():
        print(
            f"{name:<10} {run.updates} updates in {run.seconds:6.2f}s: {run.rate:7.1f}/s,"
            f" p95 {run.p95_ms:6.1f} ms, CPU {run.cpu_ms:.3f} ms an update"
        )
    result: dict[str, float] = {}
    if "wizard" in runs:
        wizard_rate = runs["wizard"].rate
        result |= {
            f"ratio_vs_{name}": round(wizard_rate / run.rate, 3)
            for name, run in runs.items()
            if name != "wizard"
        }
        result |= {"p95_ms": round(runs["wizard"].p95_ms, 1)}
    result |= {"peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}
    result |= {f"{name}_updates_per_s": round(run.rate, 1) for name, run in runs.items()}
    result |= {f"{name}_p95_ms": round(run.p95_ms, 1) for name, run in runs.items()}
    result |= {f"{name}_cpu_ms": round(run.cpu_ms, 3) for name, run in runs.items()}
    if "ratio_vs_echo" in result:
        result["ratio"] = result["ratio_vs_echo"]  # the name this figure had before
    result |= {"students": args.students, "updates": stream.updates}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
