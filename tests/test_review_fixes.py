"""Regressions found in review: each was a wrong or missing answer a student could meet."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from aiogram.types import Message

from bot.wizard import Action, Step
from storage.db import Database
from storage.users import UsersRepo
from tests.support.inspect import requests_of, student_row
from tests.support.people import Harness, Person
from tests.support.walk import AGREE, DECLINE, DONE, NAME, NO, PHONE, SENT, VARIANT1, walk_to
from ui.callbacks import WizardCb


async def class_code(db: Database, class_id: int) -> str:
    row = await db.fetchone("SELECT code FROM classes WHERE id = ?", (class_id,))
    assert row is not None
    return str(row["code"])


async def test_declining_after_a_restart_withdraws_consent(
    student: Person, structure: dict[str, int], db: Database
) -> None:
    await walk_to(student, Step.DEVICE)  # consented, named, in 5А
    await student.send("/restart")
    await student.press(DECLINE)
    for press in (PHONE, DONE, NO, VARIANT1, SENT):
        await student.press(press)
    assert "заявка учителю не уходит" in student.last_text
    assert await student_row(db, student.user.id) is None
    assert await requests_of(db, student.user.id) == []
    user = await db.fetchone("SELECT consent_at FROM users WHERE id = ?", (student.user.id,))
    assert user is not None and user["consent_at"] is None


async def test_a_removed_class_does_not_block_the_student(
    harness: Harness, student: Person, structure: dict[str, int], db: Database
) -> None:
    await walk_to(student, Step.DEVICE)
    await harness.dp["schools"].remove_class(structure["5А"])  # as an admin would, in the bot
    await student.press(PHONE)
    assert "Создайте «Учебный профиль Сферум»" in student.last_text
    record = await student_row(db, student.user.id)
    assert record is not None and record["class_id"] is None and record["step"] == "profile"


async def test_no_class_chosen_is_not_called_no_consent(
    student: Person, structure: dict[str, int]
) -> None:
    await walk_to(student, Step.SCHOOL)
    await student.press("Моей школы нет в списке")
    for press in (PHONE, DONE, NO, VARIANT1, SENT):
        await student.press(press)
    assert "Класс не выбран" in student.last_text
    assert "Без согласия" not in student.last_text
    assert "после подтверждения заявки" in student.last_text  # not "joined" yet


async def test_a_class_link_later_on_asks_for_the_missing_name(
    student: Person, structure: dict[str, int], db: Database
) -> None:
    await walk_to(student, Step.SCHOOL)
    await student.press("Моей школы нет в списке")
    await student.press(PHONE)
    await student.send(f"/start c_{await class_code(db, structure['5А'])}")
    assert "Как вас зовут?" in student.last_text
    await student.send(NAME)
    record = await student_row(db, student.user.id)
    assert (
        record is not None and record["full_name"] == NAME and record["class_id"] == structure["5А"]
    )


async def test_a_second_plain_start_keeps_the_class_from_the_link(
    student: Person, structure: dict[str, int], db: Database
) -> None:
    await student.send(f"/start c_{await class_code(db, structure['5А'])}")
    await student.send("/start")
    await student.press(AGREE)
    assert "Как вас зовут?" in student.last_text and "класс 5А" in student.last_text


async def test_an_old_page_button_after_a_search_still_lists_schools(
    student: Person, db: Database
) -> None:
    for n in range(1, 21):
        await db.execute(
            "INSERT INTO schools (name, created_at) VALUES (?, '2026-01-01')", (f"Лицей № {n}",)
        )
    await student.send("/start")
    await student.press(AGREE)
    old_list = student.last
    await student.send("Лицей № 1")  # 11 matches: 2 pages
    await student.press_data(
        WizardCb(step=Step.SCHOOL, action=Action.PAGE, value=2).pack(), old_list
    )
    assert old_list.keyboard is not None
    assert any(
        b.text.startswith("Лицей № 1") for row in old_list.keyboard.inline_keyboard for b in row
    )


async def test_edited_messages_get_an_answer(harness: Harness, student: Person) -> None:
    await student.send("/start")
    await harness.feed(
        edited_message=Message(
            message_id=1,
            date=datetime.now(UTC),
            edit_date=1,
            chat=student.chat,
            from_user=student.user,
            text="Анна",
        )
    )
    assert "Исправленные сообщения я не читаю" in student.last_text


async def test_a_failure_before_the_language_is_known_is_still_answered(
    student: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def locked(self: UsersRepo, user_id: int) -> None:
        raise RuntimeError("database is locked")

    monkeypatch.setattr(UsersRepo, "get_or_create", locked)
    await student.send("/start")
    assert "Что-то пошло не так" in student.last_text


def test_formatted_texts_are_not_escaped_twice() -> None:
    from app.config import Settings
    from app.factory import profile_args
    from bot.i18n import Catalog

    settings = Settings(_env_file=None, bot_token="1:x", ejournal_name='Дневник "Школа" & Co')
    t = Catalog("ru", profile_args(settings)).bind("ru")
    text = t("summary-step", step=t.html("step-name-epos"))
    assert "Дневник &quot;Школа&quot; &amp; Co" in text
    assert "&amp;quot;" not in text
