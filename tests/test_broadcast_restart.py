"""A broadcast interrupted by a crash: after the restart its progress message goes on updating
and the admin gets the final report, once; a broadcast that ended while the bot was down is
reported at the next start."""

from __future__ import annotations

import asyncio

from aiogram.methods import CopyMessage

from storage.db import Database
from tests.conftest import StartBot
from tests.support.people import Harness, Person
from tests.support.session import RecordingSession, SentMessage
from tests.support.staff import SUPER_ADMIN
from tests.test_broadcast_ui import enrol, last_broadcast, numbers

STUDENTS = range(5000, 5060)
WAIT = 20.0


async def confirm_class_broadcast(harness: Harness) -> tuple[Person, SentMessage]:
    """The super admin sends a message to 5А; returns the admin and the progress message."""
    admin = Person(harness, SUPER_ADMIN, "Глеб")
    await admin.send("/broadcast")
    await admin.press("🎒 Классу…")
    await admin.press("МБОУ СОШ № 1")
    await admin.press("5А")
    await admin.send("Завтра собрание в 10:00")
    await admin.press("✅ Отправить")
    return admin, admin.last


def delivered(session: RecordingSession) -> list[int]:
    """The students' copies (the admin's own preview left out)."""
    return [
        int(r.chat_id)
        for r in session.requests
        if isinstance(r, CopyMessage) and r.chat_id != SUPER_ADMIN
    ]


def reports(admin: Person, progress: SentMessage) -> list[str]:
    """Final reports the admin has: the progress message turned into one, or new messages."""
    texts = [m.text for m in admin.messages if m.message_id >= progress.message_id]
    return [t for t in texts if "Рассылка завершена" in t]


async def test_after_a_crash_the_progress_resumes_and_the_report_comes_once(
    start_bot: StartBot, db: Database, structure: dict[str, int]
) -> None:
    await enrol(db, structure["5А"], STUDENTS)
    first = await start_bot()
    first.dp["broadcast_progress"].interval = 0.05
    admin, progress = await confirm_class_broadcast(first)
    async with asyncio.timeout(WAIT):  # the first sends went out
        await first.session.until(lambda: len(delivered(first.session)) >= 5)
    await first.crash()
    assert "Рассылка завершена" not in progress.text  # frozen mid-way
    edits_before = progress.edits

    # Telegram keeps the admin's chat: the restarted bot talks to the same one.
    second = await start_bot(first.session)
    broadcast_id = await last_broadcast(db)
    assert broadcast_id is not None
    task = second.dp["broadcast_progress"].task(broadcast_id)
    assert task is not None, "the restarted bot does not follow the progress"
    await asyncio.wait_for(task, WAIT)

    assert progress.edits > edits_before  # the same message went on updating
    assert reports(admin, progress) == [progress.text]  # and became the report, once
    got = numbers(progress.text)
    assert (got["Доставлено"], got["Всего"]) == (len(STUDENTS), len(STUDENTS))
    sent = delivered(first.session)
    assert set(sent) == set(STUDENTS)
    assert len(sent) - len(STUDENTS) <= 4  # at most max_in_flight sent twice by the crash

    third = await start_bot(first.session)  # reported: not again
    assert third.dp["broadcast_progress"].task(broadcast_id) is None
    assert reports(admin, progress) == [progress.text]


async def test_a_broadcast_that_ended_while_the_bot_was_down_is_reported_at_start(
    start_bot: StartBot, db: Database, structure: dict[str, int]
) -> None:
    await enrol(db, structure["5А"], STUDENTS[:3])
    first = await start_bot()
    admin, progress = await confirm_class_broadcast(first)
    await first.dp["broadcast_progress"].stop()  # the progress dies, the engine goes on
    broadcast_id = await last_broadcast(db)
    assert broadcast_id is not None and first.engine is not None
    await asyncio.wait_for(first.engine.wait(broadcast_id), WAIT)
    await first.crash()
    assert reports(admin, progress) == []

    second = await start_bot(first.session)
    task = second.dp["broadcast_progress"].task(broadcast_id)
    assert task is not None
    await asyncio.wait_for(task, WAIT)
    assert reports(admin, progress) == [progress.text]
    assert numbers(progress.text)["Доставлено"] == 3
