"""Every hot query finds its rows through an index: at a region's size (100 000 students) a scan
of students, join_requests or users on a press is what freezes the bot for everyone.

The statements are not listed by hand: they are recorded (SQLite's trace, parameters bound) while
people use the bot through the real dispatcher — a student's /status, /help and /forget, a
teacher's /class and /requests, a school admin's /classes and /teachers, /stats for a class, a
school and the municipality, every broadcast audience
counted and listed, a reminders round — and each one's EXPLAIN QUERY PLAN is read."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime, timedelta

from app.config import Settings
from app.factory import profile_args
from bot.delivery import DeliveryEngine, DeliveryLimits
from bot.i18n import Catalog
from bot.reminders import ReminderPolicy, Reminders
from bot.wizard import STUCK_STEPS, Step
from storage import audiences as who
from storage.audiences import AudiencesRepo
from storage.broadcasts import BroadcastsRepo
from storage.db import Database
from storage.reminders import RemindersRepo
from tests.support.inspect import members
from tests.support.people import Harness, Person
from tests.support.staff import (
    ADMIN_SCHOOL_1,
    SCHOOL_1,
    SUPER_ADMIN,
    TEACHER_5A,
    appoint_staff,
)
from tests.support.walk import SENT, walk_to
from tests.test_broadcast_ui import enrol

HOT_TABLES = ("students", "join_requests", "users")
# Scans that are the point of the statement, each with its reason.
JUSTIFIED = {
    # "Everyone" is every user who has not blocked the bot: the whole table, by definition.
    "SELECT count(*) FROM users WHERE blocked_at IS NULL",
    # /stats for the municipality: "wrote to the bot" is every user, by definition.
    "SELECT count(*) AS n FROM users",
}
_TABLE = re.compile(r"\b(?:FROM|JOIN|UPDATE|INTO)\s+(\w+)(?:\s+(?:AS\s+)?(\w+))?", re.I)
_KEYWORDS = {"where", "join", "left", "on", "set", "order", "group", "limit", "values", "inner"}


def aliases(sql: str) -> dict[str, str]:
    """What each name in a plan's SCAN line stands for: a table, by its own name or its alias."""
    found: dict[str, str] = {}
    for table, alias in _TABLE.findall(sql):
        found[table] = table
        if alias and alias.lower() not in _KEYWORDS:
            found[alias] = table
    return found


def partial_indexes(conn: sqlite3.Connection) -> set[str]:
    rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql NOT NULL")
    return {name for name, sql in rows if re.search(r"\bWHERE\b", sql, re.I)}


def scans(conn: sqlite3.Connection, sql: str) -> list[str]:
    """The hot tables this statement reads from end to end. Reading all of a partial index is
    not that: its rows are the ones its condition names (the unfinished students, say), which
    is the answer the statement asks for, not the whole table."""
    plan = [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}")]
    names, partial = aliases(sql), partial_indexes(conn)
    found = []
    for detail in plan:
        match = re.match(r"SCAN (\w+)(?: USING (?:COVERING )?INDEX (\w+))?", detail)
        if match and names.get(match[1], match[1]) in HOT_TABLES and match[2] not in partial:
            found.append(f"{detail} [{names.get(match[1], match[1])}]")
    return found


def recorded(statements: list[str]) -> list[str]:
    """The reads and changes of data (not transactions, not the schema), each once."""
    wanted = re.compile(r"^\s*(SELECT|UPDATE|DELETE|INSERT|WITH)\b", re.I)
    return list(dict.fromkeys(s for s in statements if wanted.match(s)))


async def test_hot_queries_use_indexes(
    harness: Harness, db: Database, structure: dict[str, int], settings: Settings
) -> None:
    await appoint_staff(db, structure)
    await enrol(db, structure["5А"], range(5000, 5040), step="profile")
    await enrol(db, structure["5Б"], range(5100, 5120), step="done", finished=True)
    await enrol(db, None, range(5200, 5210), step="device")
    statements: list[str] = []
    bot_db = harness.database
    assert bot_db is not None
    for database in (db, bot_db):
        await database.run(lambda conn: conn.set_trace_callback(statements.append))

    student = Person(harness, 1001, "Аня")
    await walk_to(student, Step.VARIANT1)
    await student.press(SENT)  # a join request for 5А's teacher
    for command in ("/status", "/help"):
        await student.send(command)
    teacher = Person(harness, TEACHER_5A, "Марина")
    for command in ("/class", "/requests"):
        await teacher.send(command)
    admin = Person(harness, ADMIN_SCHOOL_1, "Олег")
    for command in ("/classes", "/teachers"):
        await admin.send(command)
    for person in (teacher, admin, Person(harness, SUPER_ADMIN, "Ирина")):
        await person.send("/stats")

    repo = AudiencesRepo(db)
    schools: list[list[int] | None] = [None, [SCHOOL_1]]
    for selection in [
        who.everyone(),
        who.teachers(),
        who.school(SCHOOL_1),
        who.school_class(structure["5А"]),
        *[who.unfinished(s) for s in schools],
        *[who.stuck(step.value, s) for step in STUCK_STEPS for s in schools],
    ]:
        await repo.count(selection)
        await members(db, selection)

    engine = DeliveryEngine(BroadcastsRepo(db), DeliveryLimits())
    catalog = Catalog("ru", profile_args(settings))
    reminders = Reminders(RemindersRepo(db), engine, catalog, ReminderPolicy(quiet_window=None))
    await reminders.run_once(datetime.now(UTC) + timedelta(days=40))

    await student.send("/forget")
    await student.press("Да, удалить мои данные")
    for database in (db, bot_db):
        await database.run(lambda conn: conn.set_trace_callback(None))

    found = recorded(statements)
    assert any("FROM join_requests" in s for s in found)  # the recording works
    assert any("reminders" in s for s in found)
    assert any("GROUP BY c.school_id" in s for s in found)  # the municipality's /stats
    assert any("finished_at >= lo" in s for s in found)
    assert {s.strip() for s in found} >= JUSTIFIED  # every exception is still a real statement

    def check(conn: sqlite3.Connection) -> dict[str, list[str]]:
        return {
            sql: found_scans
            for sql in found
            if sql.strip() not in JUSTIFIED and (found_scans := scans(conn, sql))
        }

    offenders = await db.run(check)
    assert offenders == {}, "\n\n".join(f"{sql}\n  -> {s}" for sql, s in offenders.items())


def test_a_scan_is_recognised_through_an_alias() -> None:
    conn = sqlite3.connect(":memory:")
    conn.executescript(
        "CREATE TABLE students (user_id INTEGER PRIMARY KEY, step TEXT);"
        "CREATE TABLE join_requests (id INTEGER PRIMARY KEY, student_id INT);"
        "CREATE INDEX jr ON join_requests(student_id);"
    )
    assert scans(conn, "SELECT * FROM students s WHERE s.step = 'x'") == ["SCAN s [students]"]
    assert scans(conn, "SELECT * FROM join_requests WHERE student_id = 3") == []
    joined = "SELECT 1 FROM join_requests j JOIN students s ON s.user_id = j.student_id"
    assert scans(conn, joined) == ["SCAN j [join_requests]"]
    conn.execute("CREATE INDEX open_steps ON students(step) WHERE step <> 'done'")
    assert scans(conn, "SELECT count(*) FROM students WHERE step <> 'done'") == []
