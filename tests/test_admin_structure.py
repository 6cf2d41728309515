"""Admins manage a school's structure in the bot: classes (list, add, rename, remove) and roles."""

from __future__ import annotations

import sqlite3

import pytest

from bot.structure_admin import AdminView, ClassAction
from bot.wizard import Step
from storage.db import Database, utcnow
from storage.roles import Role, grant
from tests.support.inspect import requests_of, student_row
from tests.support.people import Harness, Person
from tests.support.staff import (
    ADMIN_SCHOOL_1,
    ADMIN_SCHOOL_2,
    SCHOOL_1,
    SCHOOL_2,
    SUPER_ADMIN,
    TEACHER_5A,
    TEACHER_5B,
    appoint_staff,
)
from tests.support.walk import SENT, walk_to
from ui.callbacks import ClassCb, RemoveCb, RevokeCb, SchoolCb

FORBIDDEN = "только администратор этой школы"


@pytest.fixture
async def staff(db: Database, structure: dict[str, int]) -> None:
    await appoint_staff(db, structure)


@pytest.fixture
def admin(harness: Harness, staff: None) -> Person:
    return Person(harness, ADMIN_SCHOOL_1, "Ольга")


async def enrol(db: Database, class_id: int, count: int, first_id: int = 5000) -> None:
    """`count` students who consented and chose the class (as the wizard would record them)."""

    def add(conn: sqlite3.Connection) -> None:
        for user_id in range(first_id, first_id + count):
            conn.execute("INSERT INTO users (id, created_at) VALUES (?, ?)", (user_id, utcnow()))
            conn.execute(
                "INSERT INTO students (user_id, class_id, step, step_at, created_at)"
                " VALUES (?, ?, 'device', ?, ?)",
                (user_id, class_id, utcnow(), utcnow()),
            )

    await db.run(add)


async def class_names(db: Database, school_id: int) -> list[str]:
    rows = await db.fetchall(
        "SELECT name FROM classes WHERE school_id = ? ORDER BY name", (school_id,)
    )
    return [r["name"] for r in rows]


def answer_text(person: Person) -> str:
    assert person.last_callback_answer is not None
    return str(person.last_callback_answer.text)


# --- listing ----------------------------------------------------------------------------------


async def test_classes_are_listed_with_russian_plurals(
    admin: Person, db: Database, structure: dict[str, int]
) -> None:
    await enrol(db, structure["5А"], 21)
    await enrol(db, structure["5Б"], 2, first_id=6000)
    await admin.send("/classes")
    text = admin.last_text
    assert "Классы школы «МБОУ СОШ № 1»" in text
    assert "5А — 21 ученик\n" in text and "5Б — 2 ученика" in text
    assert "9В" not in text  # another school's class
    assert admin.buttons() == [
        "✏️ Переименовать 5А",
        "🗑 Удалить 5А",
        "✏️ Переименовать 5Б",
        "🗑 Удалить 5Б",
        "➕ Добавить класс",
    ]
    await enrol(db, structure["5Б"], 3, first_id=7000)
    await admin.send("/classes")
    assert "5Б — 5 учеников" in admin.last_text


async def test_english_plurals(harness: Harness, staff: None, db: Database) -> None:
    await db.execute("UPDATE users SET locale = 'en' WHERE id = ?", (ADMIN_SCHOOL_2,))
    admin = Person(harness, ADMIN_SCHOOL_2, "Mary", language="en")
    await admin.send("/classes")
    assert "9В — 0 students" in admin.last_text
    await enrol(db, 3, 1)
    await admin.send("/classes")
    assert "9В — 1 student\n" in admin.last_text


async def test_super_admin_picks_the_school_with_buttons(harness: Harness, staff: None) -> None:
    boss = Person(harness, SUPER_ADMIN, "Глава")
    await boss.send("/classes")
    assert boss.buttons() == ["Гимназия № 3", "МБОУ СОШ № 1"]
    await boss.press("Гимназия № 3")
    assert "Классы школы «Гимназия № 3»" in boss.last_text and "9В — 0 учеников" in boss.last_text
    await boss.send("/teachers")
    await boss.press("МБОУ СОШ № 1")
    assert 'href="tg://user?id=2003"' in boss.last_text


# --- adding -------------------------------------------------------------------------------------


async def test_adding_a_class_by_button(admin: Person, db: Database) -> None:
    await admin.send("/classes")
    await admin.press("➕ Добавить класс")
    assert "название нового класса" in admin.last_text
    await admin.send_sticker()
    assert "название класса текстом" in admin.last_text
    await admin.send("x" * 21)
    assert "от 1 до 20 символов" in admin.last_text
    await admin.send("  6   А ")
    assert "Класс 6 А создан" in admin.last_text
    assert await class_names(db, SCHOOL_1) == ["5А", "5Б", "6 А"]
    await admin.send("7Б")  # the answer was taken: this is no class name any more
    assert await class_names(db, SCHOOL_1) == ["5А", "5Б", "6 А"]


async def test_newclass_for_an_admin_of_several_schools(
    harness: Harness, staff: None, db: Database
) -> None:
    await db.run(lambda c: grant(c, ADMIN_SCHOOL_1, Role.SCHOOL_ADMIN, SCHOOL_2, None))
    admin = Person(harness, ADMIN_SCHOOL_1, "Ольга")
    await admin.send("/newclass 7Г")
    assert "В какую школу добавить класс 7Г?" in admin.last_text
    assert admin.buttons() == ["Гимназия № 3", "МБОУ СОШ № 1"]
    picker = admin.last
    await admin.press("Гимназия № 3")
    assert "Класс 7Г создан" in admin.last_text
    assert await class_names(db, SCHOOL_2) == ["7Г", "9В"]
    await admin.press_data(SchoolCb(view=AdminView.NEW_CLASS, school_id=SCHOOL_1).pack(), picker)
    assert "отправьте /newclass" in answer_text(admin)  # a second press creates nothing
    assert await class_names(db, SCHOOL_1) == ["5А", "5Б"]


async def test_newclass_for_one_school_still_works(admin: Person, db: Database) -> None:
    await admin.send("/newclass 8Д")
    assert "Класс 8Д создан" in admin.last_text
    await admin.send("/newclass 8д")
    assert "Класс 8Д уже есть" in admin.last_text
    assert await class_names(db, SCHOOL_1) == ["5А", "5Б", "8Д"]


# --- renaming ----------------------------------------------------------------------------------


async def test_renaming_with_a_clash_and_bad_input(
    admin: Person, db: Database, structure: dict[str, int]
) -> None:
    await admin.send("/classes")
    await admin.press("✏️ Переименовать 5А")
    assert "новое название класса 5А" in admin.last_text
    await admin.send_photo()
    assert "название класса текстом" in admin.last_text
    await admin.send("   ")
    assert "от 1 до 20 символов" in admin.last_text
    await admin.send("5б")  # names compare without case
    assert "уже есть класс 5Б" in admin.last_text
    assert await class_names(db, SCHOOL_1) == ["5А", "5Б"]
    await admin.send("5В")
    assert "Класс 5А переименован в 5В" in admin.last_text
    assert await class_names(db, SCHOOL_1) == ["5Б", "5В"]
    row = await db.fetchone("SELECT name FROM classes WHERE id = ?", (structure["5А"],))
    assert row is not None and row["name"] == "5В"  # the same class: its students stay in it
    await admin.send("/classes")
    assert "5В — 0 учеников" in admin.last_text


async def test_cancel_while_renaming(admin: Person, db: Database) -> None:
    await admin.send("/classes")
    await admin.press("✏️ Переименовать 5Б")
    await admin.send("/cancel")
    assert "Отменено" in admin.last_text
    await admin.send("9Я")
    assert await class_names(db, SCHOOL_1) == ["5А", "5Б"]


@pytest.mark.parametrize("button", ["➕ Добавить класс", "✏️ Переименовать 5А"])
async def test_an_unknown_command_while_a_name_is_typed_gets_a_reminder(
    admin: Person, db: Database, button: str
) -> None:
    await admin.send("/classes")
    await admin.press(button)
    await admin.send("/foo")
    assert "Жду название класса, например <code>5А</code>. /cancel — отменить" in admin.last_text
    assert "/start" not in admin.last_text
    await admin.send("/whoami")  # known commands still work, and the name is still awaited
    assert "Жду название класса" not in admin.last_text
    await admin.send("/help")
    assert "Жду название класса" not in admin.last_text
    await admin.send("/foo@sferum_bot")
    assert "Жду название класса" in admin.last_text
    await admin.send("5В")
    assert "5В" in admin.last_text
    assert "5В" in await class_names(db, SCHOOL_1)


async def test_a_student_in_the_wizard_keeps_their_step(
    harness: Harness, staff: None, db: Database
) -> None:
    """A school admin who is also walking through the wizard returns to their step."""
    admin = Person(harness, ADMIN_SCHOOL_1, "Ольга")
    await walk_to(admin, Step.NAME)
    before = await db.fetchone("SELECT state, data FROM fsm WHERE user_id = ?", (ADMIN_SCHOOL_1,))
    await admin.send("/classes")
    await admin.press("✏️ Переименовать 5Б")
    await admin.send("5Е")
    assert "переименован в 5Е" in admin.last_text
    after = await db.fetchone("SELECT state, data FROM fsm WHERE user_id = ?", (ADMIN_SCHOOL_1,))
    assert before is not None and after is not None
    assert (after["state"], after["data"]) == (before["state"], before["data"])


async def test_rights_are_rechecked_when_the_name_arrives(
    admin: Person, db: Database, structure: dict[str, int]
) -> None:
    await admin.send("/classes")
    await admin.press("✏️ Переименовать 5А")
    await db.execute("DELETE FROM roles WHERE user_id = ?", (ADMIN_SCHOOL_1,))
    await admin.send("5Ж")
    assert FORBIDDEN in admin.last_text
    assert await class_names(db, SCHOOL_1) == ["5А", "5Б"]


# --- removing ----------------------------------------------------------------------------------


async def test_removing_an_empty_class_asks_simply(admin: Person, db: Database) -> None:
    await admin.send("/classes")
    await admin.press("🗑 Удалить 5Б")
    assert "Удалить класс 5Б? В нём нет учеников" in admin.last_text
    prompt = admin.last
    await admin.press("Отмена")
    assert "остался как был" in admin.last_text and admin.buttons() == []
    assert await class_names(db, SCHOOL_1) == ["5А", "5Б"]
    await admin.send("/classes")
    await admin.press("🗑 Удалить 5Б")
    await admin.press("🗑 Да, удалить")
    assert "Класс 5Б удалён" in admin.last_text
    assert await class_names(db, SCHOOL_1) == ["5А"]
    assert await db.fetchone("SELECT 1 FROM roles WHERE user_id = ?", (TEACHER_5B,)) is None
    await admin.press_data(RemoveCb(class_id=2, students=0, confirm=True).pack(), prompt)
    assert "Класс не найден" in answer_text(admin)  # a duplicate press is answered


async def test_removing_a_class_with_students_says_what_is_lost(
    harness: Harness, admin: Person, db: Database, structure: dict[str, int]
) -> None:
    student = Person(harness, 1001, "Аня")
    await walk_to(student, Step.VARIANT1)
    await student.press(SENT)  # a pending request to 5А
    step = (await student_row(db, 1001) or {}).get("step")
    await enrol(db, structure["5А"], 1)
    await admin.send("/classes")
    assert "5А — 2 ученика" in admin.last_text
    await admin.press("🗑 Удалить 5А")
    warning = admin.last_text
    assert "Удалить класс 5А?" in warning
    assert "2 ученика останутся без класса" in warning
    assert "1 ожидающая заявка будет удалена" in warning
    assert "1 роль классного руководителя будет снята" in warning
    assert admin.buttons() == ["🗑 Удалить вместе с данными", "Отмена"]
    await admin.press("Отмена")
    assert await class_names(db, SCHOOL_1) == ["5А", "5Б"]
    assert len(await requests_of(db, 1001)) == 1

    await admin.send("/classes")
    await admin.press("🗑 Удалить 5А")
    await admin.press("🗑 Удалить вместе с данными")
    assert "Класс 5А удалён" in admin.last_text
    assert await class_names(db, SCHOOL_1) == ["5Б"]
    record = await student_row(db, 1001)
    assert record is not None  # the student's progress stays, without a class
    assert record["class_id"] is None and record["step"] == step
    assert record["full_name"] == "Анна Иванова"
    assert await requests_of(db, 1001) == []
    assert await db.fetchone("SELECT 1 FROM roles WHERE user_id = ?", (TEACHER_5A,)) is None
    assert await db.fetchone("SELECT 1 FROM roles WHERE user_id = ?", (TEACHER_5B,)) is not None


async def test_a_stale_confirmation_removes_nothing(
    admin: Person, db: Database, structure: dict[str, int]
) -> None:
    await admin.send("/classes")
    await admin.press("🗑 Удалить 5А")
    prompt = admin.last
    await enrol(db, structure["5А"], 1)  # a student joins while the admin hesitates
    await admin.press("🗑 Да, удалить", in_message=prompt)
    assert "стало больше или меньше учеников" in answer_text(admin)
    assert await class_names(db, SCHOOL_1) == ["5А", "5Б"]
    assert "1 ученик останется без класса" in admin.last_text  # asked again, truthfully


# --- teachers and roles ------------------------------------------------------------------------


async def test_teachers_are_listed_and_a_role_revoked(admin: Person, db: Database) -> None:
    # The teacher of 5А took an invite (the bot kept their Telegram name); 5Б's was appointed
    # some other way and is known by id only.
    await db.execute(
        "UPDATE users SET tg_name = 'Марина Петровна', username = 'marina_p' WHERE id = ?",
        (TEACHER_5A,),
    )
    await admin.send("/teachers")
    text = admin.last_text
    assert "Роли в школе «МБОУ СОШ № 1»" in text
    assert '<a href="tg://user?id=2003">Ольга</a>' in text  # the admin's own name is known
    assert '5А: <a href="tg://user?id=2001">Марина Петровна (@marina_p)</a>' in text
    assert '5Б: <a href="tg://user?id=2002">(имя неизвестно, id 2002)</a>' in text
    assert "2004" not in text  # the other school's admin
    assert admin.buttons() == [
        "✖️ Администратор: Ольга",
        "✖️ 5А: Марина Петровна (@marina_p)",
        "✖️ 5Б: (имя неизвестно, id 2002)",
    ]
    await admin.press("✖️ 5А: Марина Петровна (@marina_p)")
    assert "Снять роль классного руководителя 5А" in admin.last_text
    await admin.press("Отмена")
    assert "Роль осталась" in admin.last_text
    assert await db.fetchone("SELECT 1 FROM roles WHERE user_id = ?", (TEACHER_5A,)) is not None
    await admin.send("/teachers")
    await admin.press("✖️ 5А: Марина Петровна (@marina_p)")
    prompt = admin.last
    await admin.press("✖️ Да, снять роль")
    assert "Роль снята" in admin.last_text and "классный руководитель 5А" in admin.last_text
    assert await db.fetchone("SELECT 1 FROM roles WHERE user_id = ?", (TEACHER_5A,)) is None
    await admin.press_data(
        RevokeCb(
            user_id=TEACHER_5A, role=Role.TEACHER, school_id=SCHOOL_1, class_id=1, step=1
        ).pack(),
        prompt,
    )
    assert "Этой роли уже нет" in answer_text(admin)
    teacher = Person(admin.harness, TEACHER_5A, "Mary")
    await teacher.send("/whoami")
    assert "• ученик" in teacher.last_text


# --- refusals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "presser",
    [1001, TEACHER_5A, ADMIN_SCHOOL_2],
    ids=["a student", "a teacher", "an admin of another school"],
)
async def test_no_one_else_may_change_the_structure(
    harness: Harness, staff: None, db: Database, structure: dict[str, int], presser: int
) -> None:
    await enrol(db, structure["5А"], 1)
    intruder = Person(harness, presser, "X")
    await intruder.send("/teachers")
    if presser != ADMIN_SCHOOL_2:
        assert "для администраторов школы" in intruder.last_text
        await intruder.send("/classes")
        assert "для администраторов школы" in intruder.last_text
    else:
        assert "Гимназия № 3" in intruder.last_text and "2003" not in intruder.last_text
    forged = [
        SchoolCb(view=AdminView.CLASSES, school_id=SCHOOL_1),
        SchoolCb(view=AdminView.TEACHERS, school_id=SCHOOL_1),
        ClassCb(action=ClassAction.ADD, target=SCHOOL_1),
        ClassCb(action=ClassAction.RENAME, target=structure["5А"]),
        ClassCb(action=ClassAction.REMOVE, target=structure["5А"]),
        RemoveCb(class_id=structure["5А"], students=1, confirm=True),
        RemoveCb(class_id=structure["5Б"], students=0, confirm=True),
        RevokeCb(user_id=TEACHER_5B, role=Role.TEACHER, school_id=SCHOOL_1, class_id=2, step=1),
        RevokeCb(
            user_id=ADMIN_SCHOOL_1, role=Role.SCHOOL_ADMIN, school_id=SCHOOL_1, class_id=0, step=1
        ),
    ]
    before = len(intruder.messages)
    for data in forged:
        await intruder.press_data(data.pack())
        assert FORBIDDEN in answer_text(intruder), data
    assert len(intruder.messages) == before  # no prompt, no list, no question
    await intruder.send("5Я")  # no rename was started
    assert await class_names(db, SCHOOL_1) == ["5А", "5Б"]
    roles = await db.fetchall("SELECT user_id FROM roles ORDER BY user_id")
    assert [r["user_id"] for r in roles] == [TEACHER_5A, TEACHER_5B, ADMIN_SCHOOL_1, ADMIN_SCHOOL_2]
    kept = await db.fetchone("SELECT class_id FROM students WHERE user_id = 5000")
    assert kept is not None and kept["class_id"] == structure["5А"]


async def test_unknown_class_buttons_are_answered(admin: Person) -> None:
    await admin.send("/classes")
    for data in (
        ClassCb(action=ClassAction.RENAME, target=999),
        RemoveCb(class_id=999, students=0, confirm=True),
    ):
        await admin.press_data(data.pack())
        assert "Класс не найден" in answer_text(admin)


async def test_names_are_escaped_in_texts_and_plain_on_buttons(admin: Person, db: Database) -> None:
    await admin.send("/newclass 5<b>&")
    await admin.send("/classes")
    assert "5&lt;b&gt;&amp; — 0 учеников" in admin.last_text
    assert "✏️ Переименовать 5<b>&" in admin.buttons()
    assert await class_names(db, SCHOOL_1) == ["5<b>&", "5А", "5Б"]
