"""A broadcast's recipients are written in chunks, each its own transaction, so that 100 000 of
them never hold the database; a process killed between two chunks loses nobody and sends to
nobody twice once it is back."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
import subprocess
import sys
import textwrap
from collections import Counter
from itertools import pairwise
from pathlib import Path

from aiogram import Bot

from bot.delivery import DeliveryEngine, DeliveryLimits
from bot.pacing import OutboundLimiter
from storage import audiences as who
from storage.broadcasts import BroadcastsRepo, TextPayload
from storage.db import Database, utcnow
from tests.support.faulty_session import FaultySession
from ui.telegram_sender import TelegramSender

ROOT = Path(__file__).resolve().parent.parent
TEXT = TextPayload("Собрание в пятницу")
FAST = DeliveryLimits(rate=1000.0, per_chat_interval=0, batch_size=50)
WAIT = 20.0  # seconds before a test gives up on a child process or a broadcast
CHUNK = 7


async def add_users(db: Database, chat_ids: range, blocked: frozenset[int] = frozenset()) -> None:
    def work(conn: sqlite3.Connection) -> None:
        conn.executemany(
            "INSERT INTO users (id, created_at, blocked_at) VALUES (?, ?, ?)",
            [(c, utcnow(), utcnow() if c in blocked else None) for c in chat_ids],
        )

    await db.run(work)


def engine_on(db: Database, chunk: int = CHUNK) -> DeliveryEngine:
    return DeliveryEngine(
        BroadcastsRepo(db, chunk), FAST, limiter=OutboundLimiter(1000.0, per_chat_interval=0)
    )


async def deliver_all(db: Database, broadcast_id: int) -> list[int]:
    """Starts an engine as a restarted bot would, and returns every chat it delivered to."""
    session = FaultySession()
    engine = engine_on(db)
    await engine.start(TelegramSender(Bot(token="42:TEST", session=session)))
    try:
        final = await asyncio.wait_for(engine.wait(broadcast_id), WAIT)
    finally:
        await engine.stop(timeout=1)
    assert final is not None and final.status == "done"
    return session.delivered


async def test_an_audience_is_written_chunk_by_chunk_each_its_own_transaction(
    db: Database,
) -> None:
    await add_users(db, range(1, 51), blocked=frozenset({10, 20}))
    statements: list[str] = []
    await db.run(lambda conn: conn.set_trace_callback(statements.append))

    broadcast_id, total = await engine_on(db).broadcast(1, "everyone", TEXT, who.everyone())

    await db.run(lambda conn: conn.set_trace_callback(None))
    assert total == 48  # 50 users, two of them blocked the bot
    chunks = [i for i, s in enumerate(statements) if "INTO broadcast_recipients" in s]
    assert len(chunks) == 7  # 48 recipients in chunks of 7: the last one is short
    for before, after in pairwise(chunks):
        assert "COMMIT" in statements[before:after], "two chunks in one transaction"
    rows = await db.fetchall(
        "SELECT chat_id FROM broadcast_recipients WHERE broadcast_id = ? ORDER BY chat_id",
        (broadcast_id,),
    )
    assert [r["chat_id"] for r in rows] == [c for c in range(1, 51) if c not in (10, 20)]
    broadcast = await BroadcastsRepo(db).get(broadcast_id)
    assert broadcast is not None and not broadcast.filling and broadcast.status == "pending"


async def test_nothing_is_sent_while_the_recipients_are_being_written(db: Database) -> None:
    await add_users(db, range(1, 30))
    repo = BroadcastsRepo(db, CHUNK)
    broadcast_id = await repo.create_filling(1, "everyone", TEXT, who.everyone())
    await repo.fill(broadcast_id)  # one chunk in: then the process "stops" here
    session = FaultySession()
    engine = engine_on(db)
    engine._filling.add(broadcast_id)  # the confirmation is still writing the rest
    await engine.start(TelegramSender(Bot(token="42:TEST", session=session)))
    for _ in range(20):
        await asyncio.sleep(0)
    await engine.stop(timeout=1)
    assert session.delivered == []
    assert not await repo.finish(broadcast_id)  # and it can't be marked done half-written


_CHILD = """
import asyncio, os, signal, sys
sys.path.insert(0, {root!r})
from storage import audiences as who
from storage.broadcasts import BroadcastsRepo, TextPayload
from storage.db import Database

async def main() -> None:
    db = await Database.open({path!r})
    repo = BroadcastsRepo(db, {chunk})
    broadcast_id = await repo.create_filling(1, "everyone", TextPayload("x"), {selection})
    for _ in range({chunks}):
        await repo.fill(broadcast_id)
    print(broadcast_id, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)  # between two chunks, with no chance to tidy up

asyncio.run(main())
"""


def killed_between_chunks(path: Path, selection: str, chunks: int) -> int:
    """Runs a bot-like process that writes `chunks` chunks of a broadcast, then is killed -9."""
    code = _CHILD.format(
        root=str(ROOT), path=str(path), chunk=CHUNK, selection=selection, chunks=chunks
    )
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=WAIT,
        check=False,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    return int(proc.stdout.split()[0])


async def test_a_kill_between_two_chunks_loses_nobody_and_doubles_nobody(
    tmp_path: Path,
) -> None:
    path = tmp_path / "bot.db"
    db = await Database.open(path)
    await add_users(db, range(1, 61))
    await db.close()

    broadcast_id = await asyncio.to_thread(killed_between_chunks, path, "who.everyone()", 3)

    db = await Database.open(path)
    try:
        written = await db.fetchone(
            "SELECT count(*) FROM broadcast_recipients WHERE broadcast_id = ?", (broadcast_id,)
        )
        assert written is not None and written[0] == 3 * CHUNK  # died with the list unfinished
        delivered = await deliver_all(db, broadcast_id)
    finally:
        await db.close()
    assert Counter(delivered) == Counter(range(1, 61))  # each of the 60 once


async def test_a_list_handed_over_whole_is_written_in_chunks_too(db: Database) -> None:
    await add_users(db, range(1, 24), blocked=frozenset({5}))
    repo = BroadcastsRepo(db, CHUNK)
    broadcast_id, total = await repo.create(1, "reminder", TEXT, [*range(1, 24), 3, 3])
    assert total == 22  # duplicates once, the blocked one left out
    broadcast = await repo.get(broadcast_id)
    assert broadcast is not None and broadcast.filling is False
    assert Counter(await deliver_all(db, broadcast_id)) == Counter(set(range(1, 24)) - {5})


async def test_a_list_cut_off_by_a_restart_goes_to_those_written(db: Database) -> None:
    """A list handed over lived in the crashed process: those written get it, nobody twice,
    and the broadcast does not wait forever for the rest."""
    await add_users(db, range(1, 15))
    repo = BroadcastsRepo(db, CHUNK)
    broadcast_id, _ = await repo.create(1, "reminder", TEXT, range(1, 15))
    # As the first transaction left it: the second chunk never came.
    await db.execute(
        "DELETE FROM broadcast_recipients WHERE broadcast_id = ? AND chat_id > ?",
        (broadcast_id, CHUNK),
    )
    await db.execute("UPDATE broadcasts SET filling = '[]' WHERE id = ?", (broadcast_id,))
    assert sorted(await deliver_all(db, broadcast_id)) == list(range(1, CHUNK + 1))
