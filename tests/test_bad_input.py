"""Whatever a child sends at any step: a kind hint, the same step, nothing stored wrongly."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from bot.wizard import Action, NameProblem, Step, clean_name
from storage.db import Database
from tests.support.people import Harness, Person
from tests.support.staff import TEACHER_5A, appoint_staff
from tests.support.walk import BACK, NAME, NO, SENT, walk_to
from ui.callbacks import WizardCb

# The steps on today's route (the full notice and the one-device step 1 are shown only to
# students who were at them before the greeting asked for consent: tests/test_memo_content.py).
STEPS = [s for s in Step if s not in (Step.DONE, Step.CONSENT, Step.INSTALL)]
TEXT_STEPS = {Step.SCHOOL, Step.CLASS, Step.NAME}  # where typed text is an answer

BadInput = Callable[[Person], Awaitable[None]]


async def sticker(p: Person) -> None:
    await p.send_sticker()


async def photo(p: Person) -> None:
    await p.send_photo()


async def voice(p: Person) -> None:
    await p.send_voice()


async def unknown_command(p: Person) -> None:
    await p.send("/teleport")


async def huge_text(p: Person) -> None:
    await p.send("я" * 5000)


async def html_and_sql(p: Person) -> None:
    await p.send("<b>Robert</b>'); DROP TABLE students;--")


async def plain_text(p: Person) -> None:
    await p.send("привет")


NOT_TEXT = "Я понимаю только текст и кнопки"
BAD_INPUTS: dict[str, tuple[BadInput, str]] = {
    "sticker": (sticker, NOT_TEXT),
    "photo": (photo, NOT_TEXT),
    "voice": (voice, NOT_TEXT),
    "unknown command": (unknown_command, "Такой команды нет"),
    "5000 characters": (huge_text, "слишком длинн"),
}


def _without_screen(row: dict[str, Any]) -> dict[str, Any]:
    # Which message holds the live keyboard changes with every message shown; the rest may not.
    if row.get("data"):
        data = json.loads(row["data"])
        data.pop("screen", None)
        row = {**row, "data": data}
    return row


async def snapshot(db: Database, user_id: int) -> dict[str, Any]:
    """Everything stored about the user (but which message shows the step)."""
    tables = {
        "users": "SELECT * FROM users WHERE id = ?",
        "fsm": "SELECT state, data FROM fsm WHERE user_id = ?",
        "students": "SELECT * FROM students WHERE user_id = ?",
        "requests": "SELECT * FROM join_requests WHERE student_id = ?",
    }
    return {
        name: [_without_screen(dict(r)) for r in await db.fetchall(sql, (user_id,))]
        for name, sql in tables.items()
    }


@pytest.mark.parametrize("step", STEPS, ids=[s.value for s in STEPS])
@pytest.mark.parametrize("bad", BAD_INPUTS, ids=list(BAD_INPUTS))
async def test_unexpected_input_gets_a_hint_and_the_same_step(
    student: Person, structure: dict[str, int], db: Database, step: Step, bad: str
) -> None:
    await walk_to(student, step)
    buttons = student.buttons()
    before = await snapshot(db, student.user.id)
    sent_before = len(student.messages)
    send, hint = BAD_INPUTS[bad]
    await send(student)
    assert len(student.messages) == sent_before + 1, "exactly one reply"
    assert hint in student.last_text
    if hint == NOT_TEXT:  # and what to do instead: type, or press a button
        wanted = "Напишите ответ" if step in TEXT_STEPS else "Выберите вариант кнопкой"
        assert wanted in student.last_text
    assert student.buttons() == buttons, "the step is shown again"
    assert await snapshot(db, student.user.id) == before


@pytest.mark.parametrize("step", sorted(set(STEPS) - TEXT_STEPS), ids=lambda s: s.value)
@pytest.mark.parametrize("send", [plain_text, html_and_sql], ids=["text", "html-sql"])
async def test_text_where_a_button_is_expected(
    student: Person, structure: dict[str, int], db: Database, step: Step, send: BadInput
) -> None:
    await walk_to(student, step)
    buttons = student.buttons()
    before = await snapshot(db, student.user.id)
    await send(student)
    assert "выберите вариант кнопкой" in student.last_text.lower()
    assert student.buttons() == buttons
    assert await snapshot(db, student.user.id) == before


async def test_html_and_sql_in_the_name_are_refused_and_stored_nowhere(
    student: Person, structure: dict[str, int], db: Database
) -> None:
    await walk_to(student, Step.NAME)
    await html_and_sql(student)
    assert "только буквы, пробелы и дефисы" in student.last_text
    assert "<b>Robert" not in student.last_text
    record = await db.fetchone(
        "SELECT full_name FROM students WHERE user_id = ?", (student.user.id,)
    )
    assert record is not None and record["full_name"] is None
    assert await db.fetchone("SELECT count(*) FROM students") is not None  # table still there


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("Аня", "Нужны и имя, и фамилия"),
        ("А", "от 2 до 100 символов"),
        ("Анна " + "о" * 100, "от 2 до 100 символов"),
        ("Анна 1ванова", "только буквы"),
        ("Анна_Иванова", "только буквы"),
    ],
)
async def test_name_validation_explains_what_is_wrong(
    student: Person, structure: dict[str, int], db: Database, typed: str, problem: str
) -> None:
    await walk_to(student, Step.NAME)
    await student.send(typed)
    assert problem in student.last_text
    assert "Как вас зовут" in student.last_text
    assert (
        await db.fetchone(
            "SELECT 1 FROM students WHERE user_id = ? AND full_name IS NOT NULL", (student.user.id,)
        )
        is None
    )


@pytest.mark.parametrize("typed", ["Анна-Мария   Петрова-Водкина", "Zoë O Brien", "ёж Ёжиков"])
async def test_names_of_many_shapes_are_accepted(
    student: Person, structure: dict[str, int], db: Database, typed: str
) -> None:
    await walk_to(student, Step.NAME)
    await student.send(typed)
    assert "Приятно познакомиться" in student.last_text
    row = await db.fetchone("SELECT full_name FROM students WHERE user_id = ?", (student.user.id,))
    assert row is not None and row["full_name"] == " ".join(typed.split())


# Names whose letters a teacher could not read: blank "letters" (the Hangul fillers are category
# Lo), the braille blank, zero-width characters, combining marks alone.
INVISIBLE_NAMES = {
    "hangul filler": "\u3164\u3164 \u3164\u3164",
    "hangul choseong and jungseong fillers": "\u115f\u1160 \u115f\u1160",
    "halfwidth hangul filler": "Анна \uffa0",
    "braille blank": "\u2800\u2800 \u2800\u2800",
    "zero-width space": "Анна \u200b",
    "zero-width joiners": "\u200c\u200d \u200d",
    "word joiner and bom": "\u2060 \ufeff",
    "combining marks alone": "\u0301\u0308 Иванова",
    "filler inside a name": "Ан\u3164на Иванова",
}


@pytest.mark.parametrize("raw", INVISIBLE_NAMES.values(), ids=list(INVISIBLE_NAMES))
def test_a_name_without_visible_letters_is_refused(raw: str) -> None:
    assert clean_name(raw) is NameProblem.INVISIBLE


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("Але\u0308на Петрова", "Алёна Петрова"),  # decomposed ё: stored composed
        ("Е\u0308\u200bлена Ё\u200bжикова", "Ёлена Ёжикова"),
        ("\ufeffАнна\u200e Иванова\u00ad", "Анна Иванова"),  # format characters dropped
        ("Ан\u200bна Ива\u2060нова", "Анна Иванова"),
        ("राहुल शर्मा", "राहुल शर्मा"),  # vowel signs are combining marks
    ],
)
def test_names_are_normalised_and_format_characters_dropped(raw: str, stored: str) -> None:
    assert clean_name(raw) == stored


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("А\u0301\u0301\u0301\u0301 Иванова", NameProblem.CHARACTERS),  # a pile of accents
        ("Ⅻ Иванова", NameProblem.CHARACTERS),  # a Roman numeral is no letter
        ("½ Иванова", NameProblem.CHARACTERS),
        ("Анна \u0301Иванова", NameProblem.CHARACTERS),  # a mark before any letter
        ("\u200bА", NameProblem.LENGTH),
    ],
)
def test_other_bad_names_keep_their_problem(raw: str, problem: NameProblem) -> None:
    assert clean_name(raw) is problem


async def test_a_decomposed_name_is_stored_composed(
    student: Person, structure: dict[str, int], db: Database
) -> None:
    await walk_to(student, Step.NAME)
    await student.send("Але\u0308на Петрова")
    assert "Приятно познакомиться, Алёна Петрова" in student.last_text
    row = await db.fetchone("SELECT full_name FROM students WHERE user_id = ?", (student.user.id,))
    assert row is not None and row["full_name"] == "Алёна Петрова"


@pytest.mark.parametrize(
    "raw", ["\u3164\u3164 \u3164\u3164", "Анна \u200b"], ids=["filler", "zwsp"]
)
async def test_an_invisible_name_is_explained_and_not_stored(
    student: Person, structure: dict[str, int], db: Database, raw: str
) -> None:
    await walk_to(student, Step.NAME)
    await student.send(raw)
    assert "В имени не видно букв" in student.last_text
    assert "Как вас зовут" in student.last_text
    row = await db.fetchone("SELECT full_name FROM students WHERE user_id = ?", (student.user.id,))
    assert row is not None and row["full_name"] is None


# A teacher typing a rejection reason: an unknown command is answered with what is awaited.
async def test_an_unknown_command_while_a_reason_is_typed_gets_a_reminder(
    student: Person, structure: dict[str, int], db: Database, harness: Harness
) -> None:
    await appoint_staff(db, structure)
    teacher = Person(harness, TEACHER_5A, "Марина")
    await walk_to(student, Step.VARIANT1)
    await student.press(SENT)
    await teacher.press("❌ Отклонить")
    await teacher.press("Другая причина")
    assert "Напишите причину" in teacher.last_text
    await teacher.send("/foo")
    assert "Жду причину отказа" in teacher.last_text
    assert "/start" not in teacher.last_text
    await teacher.send("Ошибся классом")  # the reason is still awaited, and taken
    assert "Решение сохранено" in teacher.last_text
    assert any("Ошибся классом" in m.text for m in student.messages)


async def test_text_after_the_end_points_to_status(
    student: Person, structure: dict[str, int]
) -> None:
    await walk_to(student, Step.DONE)
    for send in (plain_text, sticker, unknown_command):
        await send(student)
        assert "/status" in student.last_text


async def test_anything_before_start_asks_to_start(student: Person, db: Database) -> None:
    for send in (plain_text, sticker, unknown_command):
        await send(student)
        assert "/start" in student.last_text
    assert await db.fetchone("SELECT 1 FROM fsm WHERE user_id = ?", (student.user.id,)) is None


@pytest.mark.parametrize("step", STEPS[2:], ids=lambda s: s.value)
async def test_a_button_of_an_earlier_step_changes_nothing(
    student: Person, structure: dict[str, int], db: Database, step: Step
) -> None:
    await walk_to(student, step)
    buttons = student.buttons()
    before = await snapshot(db, student.user.id)
    # The greeting's consent button, as a client that missed the keyboard's removal still shows it.
    greeting = WizardCb(step=Step.WELCOME, action=Action.AGREE).pack()
    await student.press_data(greeting, student.messages[0])
    assert student.last_callback_answer is not None
    assert student.last_callback_answer.text == "Эта кнопка устарела. Вот ваш текущий шаг 👇"
    assert student.buttons() == buttons
    assert await snapshot(db, student.user.id) == before


FORGED = {
    "garbage": "%%%",
    "unknown prefix": "zz:1",
    "not a number": "w1:fork:yes:abc",
    "unknown step": "w1:moon:done:0",
    "wrong step": WizardCb(step=Step.INSTALL, action=Action.DONE).pack(),
    "action the step lacks": WizardCb(step=Step.FORK, action=Action.SENT).pack(),
}


@pytest.mark.parametrize("data", FORGED.values(), ids=list(FORGED))
async def test_forged_buttons_change_nothing(
    student: Person, structure: dict[str, int], db: Database, data: str
) -> None:
    await walk_to(student, Step.FORK)
    buttons = student.buttons()
    before = await snapshot(db, student.user.id)
    await student.press_data(data)  # asserts the query was answered exactly once
    assert student.last_callback_answer is not None and student.last_callback_answer.text
    assert student.buttons() == buttons
    assert await snapshot(db, student.user.id) == before


async def test_forged_school_and_class_ids_are_checked_against_the_database(
    student: Person, structure: dict[str, int], db: Database
) -> None:
    await walk_to(student, Step.SCHOOL)
    await student.press_data(WizardCb(step=Step.SCHOOL, action=Action.SCHOOL, value=999_999).pack())
    assert "Этой школы больше нет в списке" in student.last_text
    await student.press("МБОУ СОШ № 1")
    other_school_class = structure["9В"]
    await student.press_data(
        WizardCb(step=Step.CLASS, action=Action.CLASS, value=other_school_class).pack()
    )
    assert "Этого класса больше нет в списке" in student.last_text
    row = await db.fetchone("SELECT class_id FROM students WHERE user_id = ?", (student.user.id,))
    assert row is not None and row["class_id"] is None


async def test_two_fast_taps_move_one_step(
    student: Person, structure: dict[str, int], db: Database
) -> None:
    import asyncio

    await walk_to(student, Step.FORK)
    fork = student.last
    no = WizardCb(step=Step.FORK, action=Action.NO).pack()
    await asyncio.gather(student.press_data(no, fork), student.press_data(no, fork))
    assert await db.fetchone("SELECT state FROM fsm WHERE user_id = ?", (student.user.id,)) == (
        await db.fetchone("SELECT 'Wizard:variant' AS state")
    )
    answers = [m.text for m in student.messages if "два способа" in m.text]
    assert len(answers) == 2  # the step itself, then shown again for the outdated second tap
    await student.press(BACK)
    await student.press(NO)
    assert "два способа" in student.last_text


async def test_no_personal_data_in_logs(
    student: Person, structure: dict[str, int], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await walk_to(student, Step.VARIANT1)
    await html_and_sql(student)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert logged, "the dispatcher logs every update"
    for personal in (NAME, str(student.user.id), "Robert"):
        assert personal not in logged


async def test_an_internal_error_is_answered_not_swallowed(
    student: Person,
    structure: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from bot.onboarding import Onboarding

    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    await walk_to(student, Step.FORK)
    monkeypatch.setattr(Onboarding, "press", broken)
    await student.press(NO)  # asserts the query was answered exactly once
    assert student.last_callback_answer is not None
    assert (
        student.last_callback_answer.text
        == "Что-то пошло не так 😔 Попробуйте ещё раз или отправьте /start."
    )
    assert any("RuntimeError" in r.getMessage() for r in caplog.records)
    monkeypatch.undo()
    await student.press(NO)  # the step was kept
    assert "два способа" in student.last_text
