"""A student is told who really received their request; one nobody received waits for the first
teacher or admin who joins; moving to another class takes the request along."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from app.config import Settings
from app.factory import report_unreached
from bot.wizard import Step
from storage.db import Database
from storage.invites import InvitesRepo
from storage.join_requests import JoinRequestsRepo
from storage.roles import Role, grant
from tests.support.inspect import requests_of
from tests.support.people import Harness, Person
from tests.support.staff import ADMIN_SCHOOL_1, SUPER_ADMIN, TEACHER_5A, TEACHER_5B, appoint_staff
from tests.support.walk import SENT, VARIANT2, walk_to
from ui.callbacks import DecisionAction, DecisionCb


@pytest.fixture
async def lonely(db_path: Path, db: Database) -> AsyncIterator[Harness]:
    """A deployment where nobody can approve anything: no staff, ADMIN_IDS empty."""
    settings = Settings(_env_file=None, bot_token="42:TEST", database_path=db_path)
    database = await Database.open(db_path)
    harness = await Harness.start(settings, database)
    yield harness
    await harness.stop()
    await database.close()


async def invite(db: Database, role: Role, class_id: int | None) -> str:
    token = await InvitesRepo(db).create(role, 1, class_id, SUPER_ADMIN, timedelta(days=1))
    return f"/start i_{token}"


async def test_the_class_teacher_gets_it_and_the_student_is_told_so(
    harness: Harness, student: Person, db: Database, structure: dict[str, int]
) -> None:
    await appoint_staff(db, structure)
    await walk_to(student, Step.VARIANT1)
    await student.press(SENT)
    assert "Заявка отправлена классному руководителю 5А" in student.last_text
    assert Person(harness, ADMIN_SCHOOL_1).messages == []


async def test_a_class_without_a_teacher_sends_it_to_the_school_and_says_so(
    harness: Harness, student: Person, db: Database, structure: dict[str, int]
) -> None:
    await db.run(lambda c: grant(c, ADMIN_SCHOOL_1, Role.SCHOOL_ADMIN, 1, None))
    await walk_to(student, Step.VARIANT1)
    await student.press(SENT)
    assert "администрации школы" in student.last_text
    assert "классному руководителю" not in student.last_text
    assert "Заявка в класс 5А" in Person(harness, ADMIN_SCHOOL_1).last_text
    [request] = await requests_of(db, student.user.id)
    assert request["reached"] == "school"


async def test_variant2_says_who_was_asked_for_the_link(
    harness: Harness, student: Person, db: Database, structure: dict[str, int]
) -> None:
    await db.run(lambda c: grant(c, ADMIN_SCHOOL_1, Role.SCHOOL_ADMIN, 1, None))
    await walk_to(student, Step.VARIANT)
    await student.press(VARIANT2)
    assert "просьба о ссылке отправлена администрации школы" in student.last_text
    assert "отправлена классному руководителю" not in student.last_text
    assert "Просьба о ссылке-приглашении в класс 5А" in Person(harness, ADMIN_SCHOOL_1).last_text


async def test_nobody_to_receive_it_is_said_and_the_first_teacher_who_joins_gets_it(
    lonely: Harness, db: Database, structure: dict[str, int], caplog: pytest.LogCaptureFixture
) -> None:
    student = Person(lonely, 1001)
    await walk_to(student, Step.VARIANT1)
    await student.press(SENT)
    told = student.last_text
    assert "получить её пока некому" in told and "скажите классному руководителю лично" in told
    assert "Заявка отправлена классному руководителю" not in told
    [request] = await requests_of(db, student.user.id)
    assert request["status"] == "pending" and request["reached"] is None
    await student.send("/status")
    assert "учителя и администрации школы пока нет в боте" in student.last_text

    # The operator learns it at start-up.
    with caplog.at_level(logging.WARNING):
        await report_unreached(JoinRequestsRepo(db))  # what start-up runs
    assert any("1 join requests have reached nobody" in r.getMessage() for r in caplog.records)

    teacher = Person(lonely, TEACHER_5A, "Марина")
    await teacher.send(await invite(db, Role.TEACHER, structure["5А"]))
    card = next(m for m in teacher.messages if "Заявка в класс 5А" in m.text)
    assert "Анна Иванова" in card.text and teacher.buttons(card) == [
        "✅ Подтвердить",
        "❌ Отклонить",
    ]
    assert "теперь у классного руководителя" in student.last_text
    [request] = await requests_of(db, student.user.id)
    assert request["reached"] == "teacher"
    await teacher.press("✅ Подтвердить", in_message=card)
    assert "подтвердил(а) вашу заявку" in student.last_text


async def test_a_school_admin_who_joins_gets_the_waiting_requests_of_the_school(
    lonely: Harness, db: Database, structure: dict[str, int]
) -> None:
    student = Person(lonely, 1001)
    await walk_to(student, Step.VARIANT1)
    await student.press(SENT)
    admin = Person(lonely, ADMIN_SCHOOL_1, "Олег")
    await admin.send(await invite(db, Role.SCHOOL_ADMIN, None))
    assert any("Заявка в класс 5А" in m.text for m in admin.messages)
    assert "теперь у администрации школы" in student.last_text


async def test_super_admins_whoami_counts_requests_nobody_received(
    harness: Harness, student: Person, db: Database, structure: dict[str, int]
) -> None:
    harness.session.blocked.add(SUPER_ADMIN)  # the only one who could get it blocked the bot
    await walk_to(student, Step.VARIANT1)
    await student.press(SENT)
    assert "получить её пока некому" in student.last_text
    harness.session.blocked.discard(SUPER_ADMIN)
    boss = Person(harness, SUPER_ADMIN, "Глава")
    await boss.send("/whoami")
    assert "пока никто не получил" in boss.last_text and ": 1." in boss.last_text


async def class_code(db: Database, class_id: int) -> str:
    row = await db.fetchone("SELECT code FROM classes WHERE id = ?", (class_id,))
    assert row is not None
    return str(row["code"])


async def test_scanning_another_class_poster_moves_the_pending_request(
    harness: Harness, student: Person, db: Database, structure: dict[str, int]
) -> None:
    await appoint_staff(db, structure)
    old_teacher, new_teacher = Person(harness, TEACHER_5A), Person(harness, TEACHER_5B)
    await walk_to(student, Step.VARIANT1)
    await student.press(SENT)
    [old] = await requests_of(db, student.user.id)
    old_card = old_teacher.last

    await student.send(f"/start c_{await class_code(db, structure['5Б'])}")
    assert "прежняя заявка отозвана" in student.last_text
    assert "Заявка отправлена классному руководителю 5Б" in student.last_text
    # The old teacher's card no longer offers a decision and says why.
    assert "отозвана" in old_card.text and old_teacher.buttons(old_card) == []
    [new] = await requests_of(db, student.user.id)
    assert new["class_id"] == structure["5Б"] and new["status"] == "pending"
    assert new["id"] != old["id"]  # the old card's buttons can never name the new request
    assert any("Заявка в класс 5Б" in m.text for m in new_teacher.messages)

    # A press on the old card (an old copy, say) decides nothing.
    approve_old = DecisionCb(request_id=old["id"], action=DecisionAction.APPROVE).pack()
    await old_teacher.press_data(approve_old, old_card)
    assert "Заявка не найдена" in str(old_teacher.last_callback_answer.text)  # type: ignore[union-attr]
    assert not any("подтвердил" in m.text for m in student.messages)
    await student.send("/status")
    assert "Класс: 5Б" in student.last_text and "ждёт подтверждения учителя" in student.last_text
