"""Teachers and admins decide join requests: the right people are asked, once, in their language."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.wizard import Step
from storage.db import Database
from storage.invites import InvitesRepo
from storage.roles import Role, grant
from tests.support.inspect import requests_of
from tests.support.people import Harness, Person
from tests.support.staff import (
    ADMIN_SCHOOL_1,
    ADMIN_SCHOOL_2,
    SUPER_ADMIN,
    TEACHER_5A,
    TEACHER_5B,
    appoint_staff,
)
from tests.support.walk import SENT, walk_to
from ui.callbacks import DecisionAction, DecisionCb

CO_TEACHER_5A = 2005


@pytest.fixture
async def staff(db: Database, structure: dict[str, int]) -> None:
    await appoint_staff(db, structure)
    await db.execute("UPDATE users SET locale = 'en' WHERE id = ?", (TEACHER_5A,))


def card_of(person: Person) -> str:
    cards = [
        m for m in person.messages if "5А" in m.text and ("Request" in m.text or "Заявка" in m.text)
    ]
    assert cards, f"no request card in chat {person.user.id}"
    return cards[-1].text


async def request_variant1(student: Person) -> None:
    await walk_to(student, Step.VARIANT1)
    await student.press(SENT)


async def test_teacher_gets_the_card_in_their_own_language(
    harness: Harness, student: Person, staff: None
) -> None:
    teacher = Person(harness, TEACHER_5A, "Mary", language="ru")  # Telegram app in Russian...
    await request_variant1(student)
    text = card_of(teacher)
    assert "Request to join class 5А" in text  # ...but the language chosen in the bot is English
    assert "Анна Иванова" in text and "«Заявки»" in text
    assert teacher.buttons(teacher.last) == ["✅ Approve", "❌ Reject"]
    # Nobody else of the school is bothered while the class has its teacher.
    assert Person(harness, ADMIN_SCHOOL_1).messages == []
    assert Person(harness, TEACHER_5B).messages == []


async def test_approval_reaches_the_student_and_every_copy(
    harness: Harness, student: Person, staff: None, db: Database
) -> None:
    await db.run(lambda c: grant(c, CO_TEACHER_5A, Role.TEACHER, 1, 1))
    teacher, co_teacher = (
        Person(harness, TEACHER_5A, "Mary"),
        Person(harness, CO_TEACHER_5A, "Олег"),
    )
    await request_variant1(student)
    await teacher.press("✅ Approve")
    [request] = await requests_of(db, student.user.id)
    assert request["status"] == "approved" and request["decided_by"] == TEACHER_5A
    assert "подтвердил(а) вашу заявку" in student.last_text  # the student's language
    assert "Approved: Mary" in card_of(teacher) and teacher.buttons(teacher.last) == []
    assert "Подтверждено: Mary" in card_of(co_teacher)  # the other copy, in its reader's language
    await co_teacher.press_data(
        DecisionCb(request_id=request["id"], action=DecisionAction.APPROVE).pack()
    )
    assert co_teacher.last_callback_answer is not None
    assert "Уже решено: Mary" in str(co_teacher.last_callback_answer.text)
    [again] = await requests_of(db, student.user.id)
    assert again["decided_by"] == TEACHER_5A


async def test_two_simultaneous_decisions_make_exactly_one(
    harness: Harness, student: Person, staff: None, db: Database
) -> None:
    await db.run(lambda c: grant(c, CO_TEACHER_5A, Role.TEACHER, 1, 1))
    teacher, admin = Person(harness, TEACHER_5A, "Mary"), Person(harness, ADMIN_SCHOOL_1, "Ольга")
    await request_variant1(student)
    [request] = await requests_of(db, student.user.id)
    approve = DecisionCb(request_id=request["id"], action=DecisionAction.APPROVE).pack()
    reject = DecisionCb(request_id=request["id"], action=DecisionAction.NOT_FOUND).pack()
    card = teacher.messages[-1]
    await asyncio.gather(teacher.press_data(approve, card), admin.press_data(reject, card))
    [decided] = await requests_of(db, student.user.id)
    assert decided["status"] in ("approved", "rejected")
    answers = [teacher.last_callback_answer, admin.last_callback_answer]
    assert all(a is not None for a in answers)  # both presses were answered
    told = [
        m.text
        for m in student.messages
        if "заявку" in m.text and ("подтвердил" in m.text or "отклонили" in m.text)
    ]
    assert len(told) == 1  # the student hears one decision


@pytest.mark.parametrize(
    "presser",
    [1001, TEACHER_5B, ADMIN_SCHOOL_2, 424242],
    ids=["the student", "teacher of 5Б", "admin of another school", "a stranger"],
)
async def test_no_one_else_may_decide(
    harness: Harness, student: Person, staff: None, db: Database, presser: int
) -> None:
    await request_variant1(student)
    [request] = await requests_of(db, student.user.id)
    intruder = Person(harness, presser, "X")
    for action in (DecisionAction.APPROVE, DecisionAction.REJECT, DecisionAction.OTHER):
        await intruder.press_data(
            DecisionCb(request_id=request["id"], action=action).pack(), student.last
        )
        assert intruder.last_callback_answer is not None
        assert "только учитель этого класса" in str(intruder.last_callback_answer.text)
    [unchanged] = await requests_of(db, student.user.id)
    assert unchanged["status"] == "pending"


@pytest.mark.parametrize(
    "presser", [ADMIN_SCHOOL_1, SUPER_ADMIN], ids=["school admin", "super admin"]
)
async def test_admins_of_the_school_may_decide(
    harness: Harness, student: Person, staff: None, db: Database, presser: int
) -> None:
    await request_variant1(student)
    [request] = await requests_of(db, student.user.id)
    admin = Person(harness, presser, "Ольга")
    await admin.press_data(
        DecisionCb(request_id=request["id"], action=DecisionAction.APPROVE).pack(), student.last
    )
    [decided] = await requests_of(db, student.user.id)
    assert decided["status"] == "approved"
    # Not the class teacher: the student is told who did decide.
    assert "Школа подтвердила вашу заявку в класс 5А!" in student.last_text
    assert "Классный руководитель" not in student.last_text


async def test_rejection_asks_a_reason_and_passes_it_on(
    harness: Harness, student: Person, staff: None, db: Database
) -> None:
    teacher = Person(harness, TEACHER_5A, "Mary")
    await request_variant1(student)
    await teacher.press("❌ Reject")
    assert teacher.buttons(teacher.last) == [
        "Request not found in Sferum",
        "Not a student of my class",
        "Another reason",
        "◀️ Back",
    ]
    await teacher.press("◀️ Back")
    assert teacher.buttons(teacher.last) == ["✅ Approve", "❌ Reject"]
    await teacher.press("❌ Reject")
    await teacher.press("Not a student of my class")
    [request] = await requests_of(db, student.user.id)
    assert (request["status"], request["reason"]) == ("rejected", "not-my-class")
    assert "вы не из этого класса" in student.last_text and "/restart" in student.last_text
    assert "Reason: not a student of this class" in card_of(teacher)


async def test_a_forged_request_id_changes_nothing(harness: Harness, staff: None) -> None:
    teacher = Person(harness, TEACHER_5A, "Mary")
    await teacher.send("/whoami")
    await teacher.press_data(DecisionCb(request_id=999_999, action=DecisionAction.APPROVE).pack())
    assert teacher.last_callback_answer is not None
    assert "not found" in str(teacher.last_callback_answer.text)


async def test_without_teachers_the_admins_are_asked_then_the_super_admins(
    harness: Harness, student: Person, structure: dict[str, int], db: Database
) -> None:
    await request_variant1(student)
    assert "Заявка в класс 5А" in card_of(Person(harness, SUPER_ADMIN))
    await db.run(lambda c: grant(c, ADMIN_SCHOOL_1, Role.SCHOOL_ADMIN, 1, None))
    other = Person(harness, 1002, "Петя")
    await request_variant1(other)
    assert "Петя" not in "".join(m.text for m in Person(harness, SUPER_ADMIN).messages[1:])
    assert "Заявка в класс 5А" in card_of(Person(harness, ADMIN_SCHOOL_1))


async def test_a_card_goes_up_only_when_no_teacher_can_ever_be_reached(
    harness: Harness, student: Person, staff: None, db: Database
) -> None:
    admin = Person(harness, ADMIN_SCHOOL_1, "Ольга")
    harness.session.blocked.add(TEACHER_5A)  # the only teacher of 5А blocked the bot
    await request_variant1(student)
    assert "Анна Иванова" in card_of(admin)
    assert admin.buttons(admin.last) == ["✅ Подтвердить", "❌ Отклонить"]

    # A passing server error is no reason to bother the school: the request waits in /requests.
    harness.session.blocked.clear()
    harness.session.server_errors.add(TEACHER_5A)
    shown = len(admin.messages)
    other = Person(harness, 1002, "Петя")
    await request_variant1(other)
    assert len(admin.messages) == shown
    assert [r["status"] for r in await requests_of(db, 1002)] == ["pending"]


async def test_invite_links_grant_once(
    harness: Harness, staff: None, db: Database, structure: dict[str, int]
) -> None:
    admin = Person(harness, ADMIN_SCHOOL_1, "Ольга")
    await admin.send("/invite_teacher")
    await admin.press("5Б — МБОУ СОШ № 1")
    link = next(word for word in admin.last_text.split() if "?start=i_" in word)
    token = link.split("?start=")[1]
    newcomer = Person(harness, 3001, "Ирина")
    await newcomer.send(f"/start {token}")
    assert "классный руководитель 5Б" in newcomer.last_text
    await newcomer.send("/whoami")
    assert "классный руководитель: 5Б, МБОУ СОШ № 1" in newcomer.last_text
    assert "/requests" in newcomer.last_text and "/invite_teacher" not in newcomer.last_text
    thief = Person(harness, 3002, "Вор")
    await thief.send(f"/start {token}")
    assert "уже использована" in thief.last_text
    await thief.send("/start i_AAAAAAAAAAAAAAAAAAAAAA")
    assert "не распознана" in thief.last_text
    await thief.send("/whoami")
    assert "• ученик" in thief.last_text
    stored = await db.fetchall("SELECT token_hash FROM invites")
    assert token.removeprefix("i_") not in {r[0] for r in stored}  # only its hash is kept


async def test_expired_invites_grant_nothing(
    harness: Harness, db: Database, structure: dict[str, int]
) -> None:
    token = await InvitesRepo(db).create(
        Role.TEACHER, 1, structure["5А"], SUPER_ADMIN, timedelta(seconds=-1)
    )
    late = Person(harness, 3003, "Пётр")
    await late.send(f"/start i_{token}")
    assert "истёк" in late.last_text
    assert await db.fetchone("SELECT 1 FROM roles WHERE user_id = 3003") is None


async def test_only_admins_make_invites(harness: Harness, student: Person, staff: None) -> None:
    await student.send("/invite_teacher")
    assert "для администраторов школы" in student.last_text
    await student.send("/invite_admin")
    assert "администраторов муниципалитета" in student.last_text
    super_admin = Person(harness, SUPER_ADMIN, "Глава")
    await super_admin.send("/newschool Лицей № 7")
    assert "Школа «Лицей № 7» создана" in super_admin.last_text
    await super_admin.send("/invite_admin")
    await super_admin.press("Лицей № 7")
    assert "?start=i_" in super_admin.last_text
