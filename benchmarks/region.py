"""A region's database: 100 000 students in 200 schools and 4 000 classes, built with the
project's own migrations, as the bot would have it some weeks into the school year.

Each class has its teacher, each school its admin. Of the students, about half have finished
(variant 1 with an approved request, variant 2, or memo step 4), a tenth wait at variant 1 with
a pending request, and the rest are spread over the wizard's steps, reached at some moment in
the last 20 days; earlier reminder rounds have nudged those stuck for more than four days, and
the monthly e-journal reminder went to those due. Everyone has an FSM record at their step.

`region_db(path)` copies a cached build to `path`: the build (~10 s) is kept under
benchmarks/.cache/, named by a hash of the migrations and of this generator, so a second run
starts at once and a schema change builds anew.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import random
import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.wizard import STUCK_STEPS, Step
from storage.db import Database
from storage.migrations import MIGRATIONS

SCHOOLS = 200
CLASSES_PER_SCHOOL = 20
STUDENTS = 100_000
BOT_ID = 42  # the benchmarks' token is "42:BENCH"
TEACHER_BASE = 2_000_000  # a class's teacher: TEACHER_BASE + class id
ADMIN_BASE = 3_000_000  # a school's admin: ADMIN_BASE + school id
STUDENT_BASE = 10_000_000  # students: STUDENT_BASE + 0 .. STUDENTS - 1
CACHE = Path(__file__).resolve().parent / ".cache"
NOW = datetime(2026, 10, 15, 12, tzinfo=UTC)  # "some weeks into the school year"


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def schema_hash() -> str:
    digest = hashlib.sha256("\n".join(MIGRATIONS).encode())
    digest.update(Path(__file__).read_bytes())
    return digest.hexdigest()[:16]


def _fsm_key(user_id: int) -> str:
    return json.dumps([BOT_ID, user_id, user_id, None, None, "default"], separators=(",", ":"))


def _structure(conn: sqlite3.Connection) -> list[tuple[int, int]]:
    """Schools, classes, teachers and admins; returns (class id, school id) pairs."""
    now = _iso(NOW - timedelta(days=60))
    classes: list[tuple[int, int]] = []
    for school in range(1, SCHOOLS + 1):
        conn.execute(
            "INSERT INTO schools (id, name, created_at) VALUES (?, ?, ?)",
            (school, f"МБОУ СОШ № {school}", now),
        )
        admin = ADMIN_BASE + school
        conn.execute(
            "INSERT INTO users (id, created_at, tg_name) VALUES (?, ?, ?)",
            (admin, now, f"Завуч {school}"),
        )
        conn.execute(
            "INSERT INTO roles (user_id, role, school_id, granted_at)"
            " VALUES (?, 'school_admin', ?, ?)",
            (admin, school, now),
        )
        for number in range(CLASSES_PER_SCHOOL):
            class_id = len(classes) + 1
            name = f"{5 + number // 4}{'АБВГ'[number % 4]}"
            conn.execute(
                "INSERT INTO classes (id, school_id, name, code, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (class_id, school, name, f"c{class_id:06d}", now),
            )
            teacher = TEACHER_BASE + class_id
            conn.execute(
                "INSERT INTO users (id, created_at, tg_name) VALUES (?, ?, ?)",
                (teacher, now, f"Учитель {class_id}"),
            )
            conn.execute(
                "INSERT INTO roles (user_id, role, school_id, class_id, granted_at)"
                " VALUES (?, 'teacher', ?, ?, ?)",
                (teacher, school, class_id, now),
            )
            classes.append((class_id, school))
    return classes


def _students(conn: sqlite3.Connection, classes: list[tuple[int, int]]) -> None:
    rng = random.Random(2026)  # noqa: S311 - test data, the same on every build
    stuck_steps = [s for s in STUCK_STEPS if s is not Step.VARIANT1]
    users: list[tuple[object, ...]] = []
    students: list[tuple[object, ...]] = []
    fsm: list[tuple[object, ...]] = []
    requests: list[tuple[object, ...]] = []
    reminders: list[tuple[object, ...]] = []
    for n in range(STUDENTS):
        user_id = STUDENT_BASE + n
        class_id, _ = classes[n % len(classes)]
        started = NOW - timedelta(days=rng.uniform(1, 40))
        users.append((user_id, "ru", _iso(started), 3, _iso(started), f"st{n}"))
        roll = rng.random()
        variant = gosuslugi = None
        finished = since = None  # since: what the monthly reminder counts from
        if roll < 0.5:  # finished
            step, variant = Step.DONE, rng.choice((1, 2, None))
            gosuslugi = 1 if variant is None else 0
            finished = started + timedelta(hours=rng.uniform(0.1, 24))
            step_at, since = finished, _iso(finished)
            if variant == 1:
                requests.append((user_id, class_id, 1, "approved", _iso(started), since))
            if variant is not None and finished < NOW - timedelta(days=30):
                since = _iso(NOW - timedelta(days=rng.uniform(1, 29)))
                reminders.append((user_id, "monthly", None, since))
        elif roll < 0.6:  # waiting at variant 1, the request pending
            step, variant, gosuslugi = Step.VARIANT1, 1, 0
            step_at = started + timedelta(hours=1)
            requests.append((user_id, class_id, 1, "pending", _iso(step_at), None))
        else:  # somewhere on the way
            step = rng.choice(stuck_steps)
            step_at = NOW - timedelta(days=rng.uniform(0, 20))
        nudged = step is not Step.DONE and step_at < NOW - timedelta(days=4)
        if nudged:
            reminders.append((user_id, "stuck", step.value, _iso(step_at + timedelta(days=3))))
        in_class = step not in (Step.SCHOOL, Step.CLASS)
        students.append(
            (
                user_id,
                class_id if in_class else None,
                f"Ученик {n}",
                step.value,
                variant,
                gosuslugi,
                _iso(step_at),
                None if finished is None else _iso(finished),
                _iso(started),
                step.value if nudged else None,
                since,
            )
        )
        fsm.append((_fsm_key(user_id), user_id, f"Wizard:{step.value}"))
    conn.executemany(
        "INSERT INTO users (id, locale, created_at, consent_version, consent_at, username)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        users,
    )
    conn.executemany(
        "INSERT INTO students (user_id, class_id, full_name, step, variant, gosuslugi, step_at,"
        " finished_at, created_at, nudged_step, monthly_since)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        students,
    )
    conn.executemany("INSERT INTO fsm (key, user_id, state) VALUES (?, ?, ?)", fsm)
    conn.executemany(
        "INSERT INTO join_requests (student_id, class_id, variant, status, created_at,"
        " decided_at, reached) VALUES (?, ?, ?, ?, ?, ?, 'teacher')",
        requests,
    )
    conn.executemany(
        "INSERT INTO reminders (user_id, kind, step, sent_at) VALUES (?, ?, ?, ?)", reminders
    )


def _fill(conn: sqlite3.Connection) -> None:
    conn.execute("BEGIN")
    _students(conn, _structure(conn))
    conn.execute("COMMIT")
    conn.execute("ANALYZE")


async def _build(path: Path) -> None:
    db = await Database.open(path)  # the project's migrations
    await db.close()
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        _fill(conn)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def region_db(path: Path) -> bool:
    """Copies the region's database to `path`; True if it had to be built first. Call it
    outside an event loop (the build runs its own)."""
    CACHE.mkdir(exist_ok=True)
    cached = CACHE / f"region-{schema_hash()}.db"
    built = not cached.exists()
    if built:
        for old in CACHE.glob("region-*.db*"):
            old.unlink()
        partial = cached.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        asyncio.run(_build(partial))
        for leftover in (Path(f"{partial}-wal"), Path(f"{partial}-shm")):
            leftover.unlink(missing_ok=True)
        partial.rename(cached)
    shutil.copyfile(cached, path)
    return built
