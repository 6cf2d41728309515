"""/forget erases a person from every table: what they did as a student and as staff.

The check reads the schema itself (sqlite_master), so a table or column added later that keeps a
user's id or name is caught without this test being touched.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import timedelta

from aiogram.types import User

from bot.wizard import Step
from storage.broadcasts import BroadcastsRepo, CopyPayload, TextPayload
from storage.db import Database, utcnow
from storage.erasure import erase_people
from storage.invites import InvitesRepo
from storage.reminders import RemindersRepo
from storage.roles import Role
from tests.support.inspect import count, requests_of
from tests.support.people import Harness, Person
from tests.support.staff import ADMIN_SCHOOL_1, SCHOOL_1, TEACHER_5A, appoint_staff
from tests.support.walk import AGREE, DONE, NO, PHONE, SCHOOL, SENT, VARIANT1, walk_to

PERSON = 770_001_234  # an id that no message id, count or other user shares
NAME = "Уникальное Имяфамилия"
OTHER_STUDENT = 1002


def identifies(value: object, user_id: int, name: str) -> bool:
    if isinstance(value, int) and not isinstance(value, bool):
        return value == user_id
    if isinstance(value, str):
        # The id as a whole number anywhere (JSON included), or the name in any case.
        return bool(re.search(rf"(?<!\d){user_id}(?!\d)", value)) or name.casefold() in (
            value.casefold()
        )
    return False


def traces(conn: sqlite3.Connection, user_id: int, name: str) -> list[str]:
    """Every cell of every table that names or identifies the user, as "table.column"."""
    found = []
    tables = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    for (table,) in tables:
        columns = [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')]
        for row in conn.execute(f'SELECT * FROM "{table}"'):
            found += [
                f"{table}.{column}"
                for column, value in zip(columns, tuple(row), strict=True)
                if identifies(value, user_id, name)
            ]
    return found


async def become_everything(harness: Harness, db: Database, structure: dict[str, int]) -> Person:
    """A student of 5А who is also the teacher of 5Б, with a trace in every table."""
    await appoint_staff(db, structure)
    person = Person(harness, PERSON)
    first, last = NAME.split()
    person.user = User(
        id=PERSON, is_bot=False, first_name=first, last_name=last, language_code="ru"
    )
    # As a student: consent, school, class, the name, a variant 1 request to 5А's teacher.
    await walk_to(person, Step.NAME)
    await person.send(NAME)
    for button in (PHONE, DONE, NO, VARIANT1, SENT):
        await person.press(button)
    assert len(await requests_of(db, PERSON)) == 1
    assert await count(db, "fsm", "user_id", PERSON) == 1
    await RemindersRepo(db).claim_stuck([PERSON], "variant1", utcnow())
    # As staff: the teacher of 5Б by an invite link, deciding another student's request.
    invites = InvitesRepo(db)
    token = await invites.create(
        Role.TEACHER, SCHOOL_1, structure["5Б"], ADMIN_SCHOOL_1, timedelta(days=7)
    )
    await person.send(f"/start i_{token}")
    assert await count(db, "roles", "user_id", PERSON) == 1
    assert await count(db, "invites", "used_by", PERSON) == 1
    other = Person(harness, OTHER_STUDENT, "Петя")
    await other.send("/start")
    for button in (AGREE, SCHOOL):
        await other.press(button)
    await other.press("5Б")
    await other.send("Пётр Петров")
    for button in (PHONE, DONE, NO, VARIANT1, SENT):
        await other.press(button)
    await person.press("✅ Подтвердить")
    [decided] = await requests_of(db, OTHER_STUDENT)
    assert decided["status"] == "approved" and decided["decided_by"] == PERSON
    assert await count(db, "request_notices", "chat_id", PERSON) == 1
    # As an admin would (repositories directly): an invite made, a broadcast sent and received.
    await invites.create(Role.TEACHER, SCHOOL_1, structure["5А"], PERSON, timedelta(days=7))
    broadcasts = BroadcastsRepo(db)
    sent, _ = await broadcasts.create(PERSON, "5Б", CopyPayload(PERSON, 7), [OTHER_STUDENT])
    await broadcasts.mark_sent(sent, OTHER_STUDENT, 99)
    assert await broadcasts.finish(sent)
    await broadcasts.create(TEACHER_5A, "5А", TextPayload("Привет"), [PERSON, OTHER_STUDENT])
    return person


async def test_forget_leaves_no_trace_in_any_table(
    harness: Harness, db: Database, structure: dict[str, int]
) -> None:
    person = await become_everything(harness, db, structure)
    before = await db.run(lambda c: traces(c, PERSON, NAME))
    for table in ("users", "students", "join_requests", "roles", "reminders", "fsm", "invites"):
        assert any(t.startswith(f"{table}.") for t in before), table
    for table in ("broadcasts", "broadcast_recipients", "request_notices"):
        assert any(t.startswith(f"{table}.") for t in before), table

    await person.send("/forget")
    await person.press("Да, удалить мои данные")

    left = await db.run(lambda c: traces(c, PERSON, NAME))
    assert left == [], left
    # What others own stays: the other student's request and its decision, the invite links
    # (a spent one still spent), the broadcasts and their other recipients.
    [decided] = await requests_of(db, OTHER_STUDENT)
    assert decided["status"] == "approved" and decided["decided_by"] is None
    invites = await db.fetchall("SELECT used_by, used_at FROM invites ORDER BY created_at")
    assert [r["used_by"] for r in invites if r["used_at"]] == [0]
    assert await count(db, "broadcast_recipients", "chat_id", OTHER_STUDENT) == 2
    assert await count(db, "roles", "user_id", TEACHER_5A) == 1


async def test_a_spent_invite_stays_spent(
    harness: Harness, db: Database, structure: dict[str, int]
) -> None:
    invites = InvitesRepo(db)
    token = await invites.create(
        Role.TEACHER, SCHOOL_1, structure["5А"], ADMIN_SCHOOL_1, timedelta(days=7)
    )
    await invites.redeem(token, PERSON)
    await db.run(lambda c: erase_people(c, [PERSON]))
    assert (await invites.redeem(token, 4242)).result == "used"


async def test_an_unfinished_broadcast_keeps_its_source(db: Database) -> None:
    broadcasts = BroadcastsRepo(db)
    running, _ = await broadcasts.create(PERSON, "all", CopyPayload(PERSON, 7), [OTHER_STUDENT])
    await db.run(lambda c: erase_people(c, [PERSON]))
    broadcast = await broadcasts.get(running)
    assert broadcast is not None and broadcast.created_by == 0
    assert broadcast.payload == CopyPayload(PERSON, 7)  # still deliverable to who is left
