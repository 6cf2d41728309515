"""What the bot tells students and teachers is true when it says it: the chat link reaches the
students who joined, variant 2 reads in the order things happened, a rejection can be acted on,
every reader gets their own language and local time, namesakes are told apart."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from aiogram.types import Chat, Message, User

from app.config import Settings
from app.factory import profile_args
from bot.delivery import DeliveryEngine, DeliveryLimits
from bot.i18n import Catalog
from bot.local_time import local_time
from bot.reminders import ReminderPolicy, Reminders
from bot.wizard import Step
from storage.audiences import everyone
from storage.broadcasts import BroadcastsRepo
from storage.db import Database
from storage.reminders import RemindersRepo
from tests.support.inspect import members, requests_of
from tests.support.people import Harness, Person
from tests.support.session import SentMessage
from tests.support.staff import TEACHER_5A, appoint_staff
from tests.support.walk import IN_CHAT, JOINED, SENT, VARIANT1, walk_to
from ui.telegram_sender import TelegramSender

INVITE = "https://sferum.ru/?invite=abc123"
CHAT = "https://web.vk.me/join/chat_5a"
APPROVE, REJECT = "✅ Подтвердить", "❌ Отклонить"


@pytest.fixture
async def staff(db: Database, structure: dict[str, int]) -> None:
    await appoint_staff(db, structure)


@pytest.fixture
def teacher(harness: Harness, staff: None) -> Person:
    return Person(harness, TEACHER_5A, "Марина")


def photos(messages: list[SentMessage]) -> list[SentMessage]:
    return [m for m in messages if m.photo is not None]


async def request_variant1(student: Person) -> None:
    await walk_to(student, Step.VARIANT1)
    await student.press(SENT)


# --- the class chat link reaches variant 1 students ---------------------------------------


async def test_setchat_reaches_approved_variant1_students_with_the_real_count(
    harness: Harness, teacher: Person, db: Database
) -> None:
    anna = Person(harness, 1001)
    await request_variant1(anna)
    await teacher.press(APPROVE)
    assert "Когда учитель сохранит ссылку на чат класса, я пришлю её сюда" in anna.last_text
    epos = Person(harness, 1002)  # memo step 4: in the chat through the e-journal already
    await walk_to(epos, Step.DONE)
    waiting = Person(harness, 1003)  # sent the request, not approved yet
    await request_variant1(waiting)
    before = {p.user.id: len(p.messages) for p in (anna, epos, waiting)}

    await teacher.send(f"/setchat {CHAT}")
    [photo] = photos(anna.sent_since(before[anna.user.id]))
    assert CHAT in photo.text
    assert epos.sent_since(before[epos.user.id]) == []
    assert waiting.sent_since(before[waiting.user.id]) == []
    assert "отправлено: 1" in teacher.last_text

    # Approved after the link was set: the approval brings the link along.
    card = next(m for m in reversed(teacher.messages) if "Заявка в класс 5А" in m.text)
    await teacher.press(APPROVE, in_message=card)
    [late] = photos(waiting.sent_since(before[waiting.user.id]))
    assert CHAT in late.text
    assert "Ссылка на чат класса — в следующем сообщении" in waiting.messages[-2].text


# --- variant 2 in the order things happened -----------------------------------------------


async def test_variant2_card_setlink_status_and_final_screen_agree(
    harness: Harness, teacher: Person, db: Database
) -> None:
    anna = Person(harness, 1001)
    await walk_to(anna, Step.VARIANT2)
    card = teacher.last
    assert "Просьба о ссылке-приглашении в класс 5А" in card.text
    assert "/setlink" in card.text and "стр. 34–38" in card.text and "«Ученик»" in card.text
    await anna.send("/status")
    assert "Ссылка-приглашение: ссылки от учителя пока нет" in anna.last_text

    await teacher.send(f"/setlink {INVITE}")
    # Delivering the link fulfils the request: its card says so, /status says received.
    assert "Ссылка отправлена: Марина" in card.text and teacher.buttons(card) == []
    [request] = await requests_of(db, anna.user.id)
    assert request["status"] == "approved"
    await anna.send("/status")
    assert "Ссылка-приглашение: получена ✅" in anna.last_text
    assert "ждёт подтверждения" not in anna.last_text
    assert not any("пришлёт ссылку" in m.text for m in anna.messages)

    await walk_to_chat_and_finish(anna)
    final = anna.last_text
    assert "вы в чате класса" in final and "может пригласить" not in final


async def walk_to_chat_and_finish(student: Person) -> None:
    await student.press(JOINED)
    await student.press(IN_CHAT)


# --- a rejection a child can act on -------------------------------------------------------


async def test_other_reason_is_typed_escaped_and_shown_to_the_student(
    harness: Harness, student: Person, teacher: Person, db: Database
) -> None:
    await request_variant1(student)
    card = teacher.last
    await teacher.press(REJECT)
    await teacher.press("Другая причина")
    assert "Напишите причину" in teacher.last_text
    assert teacher.buttons(card) == ["◀️ Назад"]
    await teacher.send_sticker()
    assert "Жду причину" in teacher.last_text
    await teacher.send("x" * 201)
    assert "до 200 символов" in teacher.last_text
    [request] = await requests_of(db, student.user.id)
    assert request["status"] == "pending"  # nothing decided while typing

    await teacher.send("Сначала <b>зайди</b> в Сферум")
    [request] = await requests_of(db, student.user.id)
    assert (request["status"], request["reason_text"]) == (
        "rejected",
        "Сначала <b>зайди</b> в Сферум",
    )
    told = student.last_text
    assert "«Сначала &lt;b&gt;зайди&lt;/b&gt; в Сферум»" in told  # escaped, never markup
    assert "«Сначала &lt;b&gt;зайди&lt;/b&gt; в Сферум»" in card.text
    assert teacher.buttons(card) == []


async def test_cancel_while_typing_the_reason_keeps_the_card_undecided(
    harness: Harness, student: Person, teacher: Person, db: Database
) -> None:
    await request_variant1(student)
    card = teacher.last
    await teacher.press(REJECT)
    await teacher.press("Другая причина")
    await teacher.send("/cancel")
    assert "не отклонена" in teacher.last_text
    assert teacher.buttons(card) == [APPROVE, REJECT]
    [request] = await requests_of(db, student.user.id)
    assert request["status"] == "pending"
    await teacher.send("просто текст")  # no longer taken for a reason
    [request] = await requests_of(db, student.user.id)
    assert request["status"] == "pending"
    await teacher.press(APPROVE, in_message=card)
    assert "подтвердил(а) вашу заявку" in student.last_text


async def test_after_a_rejection_the_student_sends_again_from_the_variant_step(
    harness: Harness, student: Person, teacher: Person, db: Database
) -> None:
    await request_variant1(student)
    await teacher.press(REJECT)
    await teacher.press("Заявки нет в Сферуме")
    assert student.buttons() == ["Отправить заявку снова 🔁"]
    await student.send("/status")
    status = student.last_text
    assert "отклонена ❌" in status and "всё готово" not in status
    await student.press("Отправить заявку снова 🔁")
    assert "Шаг 3. Без Госуслуг" in student.last_text  # the choice of variant, not /restart
    await student.press(VARIANT1)
    await student.press(SENT)
    assert "Заявка отправлена классному руководителю 5А" in student.last_text
    statuses = sorted(r["status"] for r in await requests_of(db, student.user.id))
    assert statuses == ["pending", "rejected"]


# --- double taps and bad buttons ----------------------------------------------------------


async def test_a_double_tap_on_approve_is_harmless(
    harness: Harness, student: Person, teacher: Person, caplog: pytest.LogCaptureFixture
) -> None:
    await request_variant1(student)
    card = teacher.last
    stale = SentMessage(card.chat_id, card.message_id, card.text, card.keyboard)
    with caplog.at_level(logging.WARNING):
        await teacher.press(APPROVE, in_message=stale)
        await teacher.press(APPROVE, in_message=stale)  # the second tap of a double tap
    assert "Уже решено: Марина" in str(teacher.last_callback_answer.text)  # type: ignore[union-attr]
    assert not any("Что-то пошло не так" in m.text for m in teacher.messages)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


# --- the reader's language and local time -------------------------------------------------


async def test_each_reader_gets_their_own_language(
    harness: Harness, teacher: Person, db: Database
) -> None:
    student = Person(harness, 1001, "Ann", language="en-GB")  # an English Telegram app
    await student.send("/start")
    assert "Hello" in student.last_text  # the greeting in English
    row = await db.fetchone("SELECT locale, app_locale FROM users WHERE id = 1001")
    assert row is not None and (row["locale"], row["app_locale"]) == (None, "en")
    for label in ("I give my consent ✅", "МБОУ СОШ № 1", "5А"):
        await student.press(label)
    await student.send("Ann Smith")
    for label in (
        "📱 Installed on my phone ✅",
        "Done ✅",
        "No ❌",
        "Option 1: request on the Sferum website",
    ):
        await student.press(label)
    await student.press("I've sent the request ✅")
    card = teacher.last
    assert "Заявка в класс 5А" in card.text  # the Russian teacher reads Russian
    await teacher.press(APPROVE)
    assert "approved your request" in student.last_text  # the English student reads English


async def test_the_card_buttons_stay_in_the_cards_language(
    harness: Harness, student: Person, teacher: Person
) -> None:
    await request_variant1(student)
    card = teacher.last
    await teacher.send("/lang")
    await teacher.press("English 🇬🇧")
    await teacher.press(REJECT, in_message=card)
    assert teacher.buttons(card)[0] == "Заявки нет в Сферуме"


async def test_the_app_language_is_refreshed_unless_one_was_chosen(
    harness: Harness, db: Database, structure: dict[str, int]
) -> None:
    person = Person(harness, 1001, language="de")
    await person.send("/start")
    assert "Здравствуйте" in person.last_text  # neither ru nor en: the default
    person.user = person.user.model_copy(update={"language_code": "en"})
    await person.send("/start")
    row = await db.fetchone("SELECT app_locale FROM users WHERE id = 1001")
    assert row is not None and row["app_locale"] == "en"
    await person.send("/lang")
    await person.press("Русский 🇷🇺")
    await person.send("/help")
    assert "Помощь" in person.last_text  # the choice wins over the app's language


async def test_card_times_are_local_in_the_readers_format(
    harness: Harness, student: Person, teacher: Person, db: Database, structure: dict[str, int]
) -> None:
    await request_variant1(student)
    [request] = await requests_of(db, student.user.id)
    card = teacher.last.text
    expected = local_time(request["created_at"], "ru", ZoneInfo("Europe/Moscow"))
    assert f"Время: {expected}" in card and "UTC" not in card
    months = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
              "сентября", "октября", "ноября", "декабря")  # fmt: skip
    assert any(month in expected for month in months)


# --- namesakes ------------------------------------------------------------------------------


async def test_namesakes_are_told_apart_on_cards_and_in_the_roster(
    harness: Harness, teacher: Person, db: Database
) -> None:
    first, second = Person(harness, 1001), Person(harness, 1002)
    second.user = second.user.model_copy(update={"username": "anya_2012"})
    await request_variant1(first)
    assert "ещё ученик с таким именем" not in teacher.last_text
    await request_variant1(second)  # also «Анна Иванова»
    card = teacher.last.text
    assert "(@anya_2012)" in card and "ещё ученик с таким именем" in card and "в боте с" in card
    await teacher.send("/class")
    roster = teacher.last_text
    assert roster.count("в боте с") == 2 and "@anya_2012" in roster


# --- /forget and who is a user ------------------------------------------------------------


async def test_forget_closes_open_cards_without_the_name(
    harness: Harness, student: Person, teacher: Person
) -> None:
    await request_variant1(student)
    card = teacher.last
    await student.send("/forget")
    await student.press("Да, удалить мои данные")
    assert "удалена учеником" in card.text and "Анна Иванова" not in card.text
    assert teacher.buttons(card) == []


async def test_a_user_seen_only_in_a_group_is_nobody_to_broadcast_to(
    harness: Harness, db: Database
) -> None:
    await harness.feed(
        message=Message(
            message_id=1,
            date=datetime.now(UTC),
            chat=Chat(id=-100123, type="supergroup", title="5А родители"),
            from_user=User(id=7777, is_bot=False, first_name="Гость"),
            text="/start",
        )
    )
    assert await db.fetchone("SELECT 1 FROM users WHERE id = 7777") is None
    assert 7777 not in await members(db, everyone())
    assert harness.session.chats.get(-100123) is None  # and the bot stays silent there


async def test_a_reminder_goes_out_in_the_language_of_the_students_app(
    harness: Harness, db: Database, settings: Settings
) -> None:
    now = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)  # 12:00 in Moscow: outside quiet hours
    long_ago = (now - timedelta(days=10)).isoformat(timespec="seconds")
    await db.execute(
        "INSERT INTO users (id, app_locale, consent_at, consent_version, created_at)"
        " VALUES (1001, 'en', ?, 2, ?)",
        (long_ago, long_ago),
    )
    await db.execute(
        "INSERT INTO students (user_id, step, step_at, created_at) VALUES (1001, 'install', ?, ?)",
        (long_ago, long_ago),
    )
    engine = DeliveryEngine(BroadcastsRepo(db), DeliveryLimits())
    await engine.start(TelegramSender(harness.bot))
    try:
        catalog = Catalog("ru", profile_args(settings))
        reminders = Reminders(RemindersRepo(db), engine, catalog, ReminderPolicy())
        [broadcast] = await reminders.run_once(now)
        await engine.wait(broadcast)
    finally:
        await engine.stop(timeout=1)
    [nudge] = harness.session.chats[1001]
    assert "A reminder" in nudge.text and "Напоминание" not in nudge.text
