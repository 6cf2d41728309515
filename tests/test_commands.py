"""Commands a student can use at any moment."""

from __future__ import annotations

from aiogram.methods import SetMyCommands

from bot.wizard import Step
from storage.db import Database
from tests.conftest import StartBot
from tests.support.inspect import count, requests_of, wizard_step
from tests.support.people import Harness, Person
from tests.support.walk import AGREE, DECLINE, DETAILS, DONE, NAME, NO, SENT, TROUBLE, walk_to


async def test_status_shows_progress(student: Person, structure: dict[str, int]) -> None:
    await student.send("/status")
    assert "Вы ещё не начали" in student.last_text
    await walk_to(student, Step.VARIANT1)
    await student.send("/status")
    text = student.last_text
    assert "шаг 3, вариант 1" in text
    assert "МБОУ СОШ № 1" in text and "5А" in text and NAME in text
    assert "телефон" in text


async def test_help_explains_the_current_step(student: Person, structure: dict[str, int]) -> None:
    await student.send("/help")
    assert "/start" in student.last_text and len(student.last_text) <= 500
    await student.press("Команды бота")  # the common questions answer in place, one each
    assert "/forget" in student.last_text and "/reminders" in student.last_text
    await student.press("Нужна ли регистрация в соцсети ВКонтакте?")
    assert "VK ID" in student.last_text and "не нужно" in student.last_text
    await student.press("Родителям и учителям")
    assert "№ 1241" in student.last_text and "№ 1545" in student.last_text
    await walk_to(student, Step.PROFILE)
    await student.send("/help")
    text = student.last_text
    assert "шаг 2: учебный профиль" in text
    assert "Не получается создать учебный профиль" in text
    assert "Ваш класс: 5А, МБОУ СОШ № 1" in text


async def test_epos_shows_memo_step_4_at_any_time(
    student: Person, structure: dict[str, int]
) -> None:
    await walk_to(student, Step.VARIANT1)
    await student.send("/epos")
    assert "«Чаты»" in student.last_text and "Привязать учебный профиль VK ID" in student.last_text
    await student.press(SENT)  # the wizard is where it was
    assert "Готово" in student.last_text


async def test_restart_starts_over_and_keeps_requests(
    student: Person, structure: dict[str, int], db: Database
) -> None:
    await walk_to(student, Step.VARIANT1)
    await student.press(SENT)
    await student.send("/restart")
    assert "Начинаем заново" in student.last_text and student.buttons() == [AGREE, DECLINE, DETAILS]
    assert await wizard_step(db, student.user.id) == "welcome"
    assert len(await requests_of(db, student.user.id)) == 1


async def test_cancel_returns_to_the_current_step(
    student: Person, structure: dict[str, int], db: Database
) -> None:
    await student.send("/cancel")
    assert "Отменять нечего" in student.last_text
    await walk_to(student, Step.PROFILE)
    await student.press(TROUBLE)
    await student.send("/cancel")
    assert "Действие отменено" in student.last_text and student.buttons()[0] == DONE
    assert await wizard_step(db, student.user.id) == "profile"


async def test_start_again_resumes(student: Person, structure: dict[str, int]) -> None:
    await walk_to(student, Step.FORK)
    await student.send("/start")
    assert "С возвращением" in student.last_text and "зависит от Госуслуг" in student.last_text
    await student.press(NO)
    assert "два способа" in student.last_text


async def test_language_switch_is_remembered(
    start_bot: StartBot, structure: dict[str, int], db: Database
) -> None:
    student = Person(await start_bot(), 1001)
    await walk_to(student, Step.PROFILE)
    await student.send("/lang")
    await student.press("English 🇬🇧")
    assert "Language: English" in student.last_text
    assert "Create a Sferum study profile" in student.last_text and "Done ✅" in student.buttons()
    again = Person(await start_bot(), 1001)  # the choice survives a restart
    await again.send("hello")
    assert "Please choose an option with a button" in again.last_text
    row = await db.fetchone("SELECT locale FROM users WHERE id = 1001")
    assert row is not None and row["locale"] == "en"


async def test_telegram_language_is_used_until_one_is_chosen(
    harness: Harness, structure: dict[str, int]
) -> None:
    english = Person(harness, 2002, "Ann", language="en")
    await english.send("/start")
    assert "Hello!" in english.last_text
    unknown = Person(harness, 2003, "Kai", language="de")
    await unknown.send("/start")
    assert "Здравствуйте!" in unknown.last_text  # DEFAULT_LOCALE


async def test_forget_deletes_everything_after_confirmation(
    student: Person, structure: dict[str, int], db: Database
) -> None:
    await walk_to(student, Step.VARIANT1)
    await student.press(SENT)
    await student.send("/forget")
    await student.press("Нет, оставить")
    assert "ничего не удалено" in student.last_text
    assert await count(db, "students", "user_id", student.user.id) == 1
    await student.send("/forget")
    prompt = student.last
    await student.press("Да, удалить мои данные")
    assert "ваши данные удалены" in prompt.text and student.buttons(prompt) == []
    for table, column in (
        ("users", "id"),
        ("students", "user_id"),
        ("join_requests", "student_id"),
        ("fsm", "user_id"),
    ):
        assert await count(db, table, column, student.user.id) == 0, table
    await student.send("привет")
    assert "/start" in student.last_text
    assert await count(db, "students", "user_id", student.user.id) == 0


async def test_group_chats_get_no_answer(harness: Harness, structure: dict[str, int]) -> None:
    from datetime import UTC, datetime

    from aiogram.types import Chat, Message, User

    await harness.feed(
        message=Message(
            message_id=1,
            date=datetime.now(UTC),
            chat=Chat(id=-100, type="supergroup", title="5А"),
            from_user=User(id=3003, is_bot=False, first_name="Kid"),
            text="/start",
        )
    )
    assert harness.session.requests == []


async def test_commands_are_registered_in_both_languages(harness: Harness) -> None:
    await harness.dp.emit_startup(bot=harness.bot, **harness.dp.workflow_data)
    calls = [r for r in harness.session.requests if isinstance(r, SetMyCommands)]
    by_language = {c.language_code: {b.command: b.description for b in c.commands} for c in calls}
    assert by_language["ru"]["forget"] == "Удалить мои данные"
    assert by_language["en"]["forget"] == "Delete my data"
    assert None in by_language  # the fallback list for every other language
    assert set(by_language["ru"]) == {
        "start",
        "status",
        "help",
        "epos",
        "restart",
        "cancel",
        "lang",
        "forget",
        "reminders",
        "whoami",
    }
