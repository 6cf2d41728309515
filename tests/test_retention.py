"""Retention: a finished student is kept until the school year's end plus the grace days, then
only anonymous statistics remain."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.retention import Retention, due_end, keep_until
from storage.db import Database
from storage.join_requests import JoinRequestsRepo, RequestStatus
from storage.retention import RetentionRepo
from storage.roles import Role, RolesRepo, grant
from storage.students import StudentRecord, StudentsRepo
from storage.users import UsersRepo
from tests.test_erasure import traces

LAST_YEAR = "2026-05-20T09:00:00+00:00"  # finished in the school year that ended 2026-08-31
THIS_YEAR = "2026-09-05T09:00:00+00:00"  # finished in the one that ends 2027-08-31
AFTER = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)  # 2026-08-31 + 30 days is behind us
ON_THE_DAY = datetime(2026, 9, 30, 20, 0, tzinfo=UTC)  # still 30 September in Moscow


@pytest.mark.parametrize(
    ("finished", "end", "days", "until"),
    [
        (date(2026, 12, 2), "08-31", 30, date(2027, 9, 30)),
        (date(2027, 9, 10), "08-31", 30, date(2028, 9, 30)),
        (date(2027, 8, 31), "08-31", 30, date(2027, 9, 30)),  # on the end itself: that end
        (date(2027, 9, 1), "08-31", 0, date(2028, 8, 31)),
        (date(2027, 1, 10), "02-29", 0, date(2027, 2, 28)),  # no 29 February: the 28th
        (date(2028, 2, 29), "02-29", 1, date(2028, 3, 1)),
        (date(2027, 3, 1), "02-29", 0, date(2028, 2, 29)),
        (date(2027, 4, 30), "04-31", 0, date(2027, 4, 30)),  # no 31 April: the 30th
        (date(2026, 6, 1), "06-30", 365, date(2027, 6, 30)),
    ],
)
def test_keep_until(finished: date, end: str, days: int, until: date) -> None:
    assert keep_until(finished, end, days) == until


@pytest.mark.parametrize("days", [0, 1, 30, 365])
@pytest.mark.parametrize("end", ["08-31", "02-29", "06-30"])
def test_due_end_agrees_with_keep_until(end: str, days: int) -> None:
    today = date(2028, 3, 15)
    cut = due_end(today, end, days)
    for offset in range(-800, 1):
        finished = today + timedelta(days=offset)
        assert (keep_until(finished, end, days) < today) == (finished <= cut), finished


async def add_student(
    db: Database,
    user_id: int,
    class_id: int,
    name: str,
    *,
    finished_at: str | None,
    approved: bool = False,
) -> None:
    users, students = UsersRepo(db), StudentsRepo(db)
    await users.get_or_create(user_id)
    await users.set_consent(user_id, 1, username=f"nick{user_id}")
    step = "done" if finished_at else "variant1"
    await students.save_progress(
        StudentRecord(
            user_id,
            step,
            class_id,
            device="phone",
            variant=1,
            gosuslugi=False,
            finished_at=finished_at,
        )
    )
    await students.set_name(user_id, name)
    requests = JoinRequestsRepo(db)
    request_id, _ = await requests.open_pending(user_id, class_id, 1)
    if approved:
        await requests.decide(request_id, RequestStatus.APPROVED, None, 5005, "Учитель")


def retention(db: Database, **kwargs: object) -> Retention:
    return Retention(RetentionRepo(db), "08-31", 30, **kwargs)  # type: ignore[arg-type]


async def anonymous(db: Database) -> list[dict[str, object]]:
    return [dict(r) for r in await db.fetchall("SELECT * FROM anonymous_students ORDER BY id")]


async def test_a_student_of_last_year_is_anonymised_after_the_deadline(
    db: Database, structure: dict[str, int], caplog: pytest.LogCaptureFixture
) -> None:
    await add_student(
        db, 4001, structure["5А"], "Старый Выпускник", finished_at=LAST_YEAR, approved=True
    )
    assert await retention(db).run_once(ON_THE_DAY) == 0  # kept until 30 September
    with caplog.at_level(logging.INFO, logger="bot.retention"):
        assert await retention(db).run_once(AFTER) == 1
    assert await db.run(lambda c: traces(c, 4001, "Старый Выпускник")) == []
    [row] = await anonymous(db)
    assert row["class_id"] == structure["5А"] and row["variant"] == 1 and row["joined"] == 1
    assert row["step"] == "done" and row["device"] == "phone" and row["gosuslugi"] == 0
    assert row["finished_at"] == LAST_YEAR and row["anonymised_at"] == "2026-10-01T09:00:00+00:00"
    [line] = [r.getMessage() for r in caplog.records if r.name == "bot.retention"]
    assert "1" in line and "4001" not in line and "Выпускник" not in line
    assert await retention(db).run_once(AFTER) == 0  # done once, never twice
    assert len(await anonymous(db)) == 1


async def test_this_years_and_unfinished_students_are_kept(
    db: Database, structure: dict[str, int]
) -> None:
    await add_student(db, 4002, structure["5А"], "Этот Год", finished_at=THIS_YEAR)
    await add_student(db, 4003, structure["5Б"], "Ещё Идёт", finished_at=None)
    assert await retention(db).run_once(AFTER) == 0
    assert await anonymous(db) == []
    assert await StudentsRepo(db).get(4002) is not None
    assert await StudentsRepo(db).get(4003) is not None
    # A year later the finished one goes; the one still on the way stays.
    assert await retention(db).run_once(AFTER.replace(year=2027)) == 1
    assert await StudentsRepo(db).get(4002) is None
    assert await StudentsRepo(db).get(4003) is not None
    [row] = await anonymous(db)
    assert row["joined"] == 0 and row["class_id"] == structure["5А"]


async def test_a_teacher_who_was_a_student_keeps_the_role(
    db: Database, structure: dict[str, int]
) -> None:
    await add_student(db, 4004, structure["5А"], "Учитель Бывший", finished_at=LAST_YEAR)
    await db.run(lambda c: grant(c, 4004, Role.TEACHER, 1, structure["5Б"]))
    assert await retention(db).run_once(AFTER) == 1
    assert [g.role for g in await RolesRepo(db).of_user(4004)] == [Role.TEACHER]
    user = await UsersRepo(db).get(4004)
    assert user is not None and not user.consented and user.username is None
    assert await StudentsRepo(db).get(4004) is None
    assert await JoinRequestsRepo(db).pending_of(4004, 1) is None
    assert await db.run(lambda c: traces(c, 4004, "Учитель Бывший")) == [
        "users.id",
        "roles.user_id",
    ]
    assert len(await anonymous(db)) == 1


async def test_work_goes_in_chunks_and_caches_hear_of_it(
    db: Database, structure: dict[str, int]
) -> None:
    def many(conn: sqlite3.Connection) -> None:
        for user_id in range(5000, 5012):
            conn.execute("INSERT INTO users (id, created_at) VALUES (?, ?)", (user_id, LAST_YEAR))
            conn.execute(
                "INSERT INTO students (user_id, class_id, step, step_at, finished_at, created_at)"
                " VALUES (?, ?, 'done', ?, ?, ?)",
                (user_id, structure["5А"], LAST_YEAR, LAST_YEAR, LAST_YEAR),
            )

    await db.run(many)
    chunks: list[list[int]] = []
    job = retention(db, chunk=5, forget_cached=lambda ids: chunks.append(list(ids)))
    assert await job.run_once(AFTER) == 12
    assert [len(c) for c in chunks] == [5, 5, 2]
    assert sorted(i for chunk in chunks for i in chunk) == list(range(5000, 5012))


async def test_runs_at_start_up_and_then_every_interval(
    db: Database, structure: dict[str, int]
) -> None:
    await add_student(db, 4005, structure["5А"], "Первый Раз", finished_at=LAST_YEAR)
    job = retention(db, clock=lambda: AFTER, interval_seconds=0.01)
    await job.start(None)
    for _ in range(200):
        if await StudentsRepo(db).get(4005) is None:
            break
        await asyncio.sleep(0.01)
    assert await StudentsRepo(db).get(4005) is None  # the round at start-up
    await add_student(db, 4006, structure["5А"], "Второй Раз", finished_at=LAST_YEAR)
    for _ in range(200):
        if await StudentsRepo(db).get(4006) is None:
            break
        await asyncio.sleep(0.01)
    assert await StudentsRepo(db).get(4006) is None  # a later round
    assert job.running
    await job.stop()
    assert not job.running
    await job.stop()  # twice is harmless
