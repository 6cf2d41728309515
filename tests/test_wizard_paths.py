"""The student's paths through the memo, end to end through aiogram's dispatcher."""

from __future__ import annotations

import io

import zxingcpp
from PIL import Image

from bot.wizard import Step
from storage.db import Database
from tests.conftest import StartBot
from tests.support.inspect import requests_of, student_row, wizard_step
from tests.support.people import Person
from tests.support.staff import appoint_staff
from tests.support.walk import (
    AGREE,
    BACK,
    BACK_TO_STEP,
    CLASS,
    COMPUTER,
    DECLINE,
    DETAILS,
    DONE,
    IN_CHAT,
    JOINED,
    NAME,
    NO,
    PHONE,
    SENT,
    TROUBLE,
    VARIANT1,
    VARIANT2,
    WHAT,
    YES,
    walk_to,
)


def decode_qr(png: bytes) -> str:
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert len(results) == 1
    return str(results[0].text)


async def test_greeting_tells_what_sferum_is(student: Person) -> None:
    await student.send("/start")
    text = student.last_text
    for fact in (
        "«Моя школа»",
        "защищённая",
        "отечественный мессенджер",
        "не социальная сеть",
        "ЭПОС",
        "будете общаться с классным руководителем в чате",  # the memo's opening condition
    ):
        assert fact in text
    # Consent is asked in the greeting itself, still as its own press.
    assert student.buttons() == [AGREE, DECLINE, DETAILS]


async def test_consent_notice_says_what_why_how_long_and_how_to_delete(student: Person) -> None:
    await student.send("/start")
    await student.press(DETAILS)
    text = student.last_text
    assert "имя и фамилия" in text and "школа, класс" in text
    assert "Зачем" in text and "Сколько" in text and "/forget" in text
    assert student.buttons() == [AGREE, DECLINE, BACK_TO_STEP]
    await student.press(AGREE)  # consenting from the full notice
    assert "Список школ" in student.last_text  # the next step (no schools in this test)


async def test_memo_step_4_path_with_own_gosuslugi(
    student: Person, structure: dict[str, int], db: Database
) -> None:
    await walk_to(student, Step.FORK)
    assert "своя" in student.last_text
    await student.press(YES)
    text = student.last_text
    assert "«Чаты»" in text and "Привязать учебный профиль VK ID" in text
    assert "родителя использовать нельзя" in text
    await student.press(DONE)
    final = student.last_text
    assert "Готово" in final and "автоматически в чате класса" in final
    assert "/epos" not in final  # the later-Госуслуги reminder is for variants 1 and 2 only
    record = await student_row(db, student.user.id)
    assert record is not None
    assert record["step"] == "done" and record["gosuslugi"] == 1 and record["finished_at"]
    assert record["full_name"] == NAME and record["class_id"] == structure[CLASS]
    assert await requests_of(db, student.user.id) == []


async def test_variant_1_records_one_pending_request(
    student: Person, structure: dict[str, int], db: Database
) -> None:
    await appoint_staff(db, structure)  # the class has its teacher in the bot
    await walk_to(student, Step.VARIANT1)
    text = student.last_text
    for click in (
        "sferum.ru",
        "«Войти как администратор»",
        "профиль",
        "«Организации»",
        "населённый пункт",
        "«ученик»",
        "«Отправить заявку»",
        "«Заявки»",
    ):
        assert click in text
    await student.press(SENT)
    final = student.last_text
    assert "Заявка отправлена классному руководителю 5А" in final
    assert "ждёт подтверждения" in final
    assert "/epos" in final  # reminded to link the e-journal once they have Госуслуги
    [request] = await requests_of(db, student.user.id)
    assert request["status"] == "pending" and request["variant"] == 1
    assert request["class_id"] == structure[CLASS]


async def test_variant_2_sends_the_stored_class_link_with_its_qr(
    student: Person, structure: dict[str, int], db: Database
) -> None:
    link = "https://sferum.ru/?invite=abc123"
    await db.execute("UPDATE classes SET invite_link = ? WHERE id = ?", (link, structure[CLASS]))
    await walk_to(student, Step.VARIANT)
    before = len(student.messages)
    await student.press(VARIANT2)
    photo, text = student.sent_since(before)
    assert photo.photo is not None and decode_qr(photo.photo) == link
    assert link in text.text
    assert await requests_of(db, student.user.id) == []  # nothing to ask the teacher for
    await student.press(JOINED)
    assert "добавит вас" in student.last_text  # no chat link stored: the teacher adds them
    await student.press(IN_CHAT)
    assert "Готово" in student.last_text and "вариант 2" in student.last_text


async def test_variant_2_without_a_link_asks_the_teacher(
    student: Person, structure: dict[str, int], db: Database
) -> None:
    await appoint_staff(db, structure)  # the class has its teacher in the bot
    await walk_to(student, Step.VARIANT2)
    assert "Просьба о ссылке-приглашении отправлена классному руководителю 5А" in student.last_text
    [request] = await requests_of(db, student.user.id)
    assert request["variant"] == 2 and request["status"] == "pending"
    # Going back and choosing variant 2 again records nothing new.
    await student.press(BACK)
    await student.press(VARIANT2)
    assert len(await requests_of(db, student.user.id)) == 1


async def test_class_chat_link_comes_with_its_qr(
    student: Person, structure: dict[str, int], db: Database
) -> None:
    chat = "https://vk.me/join/class5a"
    await db.execute("UPDATE classes SET chat_link = ? WHERE id = ?", (chat, structure[CLASS]))
    await walk_to(student, Step.VARIANT2)
    before = len(student.messages)
    await student.press(JOINED)
    photo, text = student.sent_since(before)
    assert photo.photo is not None and decode_qr(photo.photo) == chat
    assert chat in text.text


async def test_without_consent_every_instruction_but_nothing_stored(
    student: Person, structure: dict[str, int], db: Database
) -> None:
    await student.send("/start")
    await student.press(DECLINE)
    assert "не сохраняются" in student.last_text
    assert student.buttons()[:2] == [PHONE, COMPUTER]  # straight to memo step 1
    for press in (PHONE, DONE, NO, VARIANT1):
        await student.press(press)
    await student.press(SENT)
    assert "заявка учителю не уходит" in student.last_text
    assert await student_row(db, student.user.id) is None
    assert await requests_of(db, student.user.id) == []
    user = await db.fetchone("SELECT consent_at FROM users WHERE id = ?", (student.user.id,))
    assert user is not None and user["consent_at"] is None


async def test_device_choice_changes_the_wording(
    student: Person, structure: dict[str, int]
) -> None:
    await walk_to(student, Step.DEVICE)
    # Memo step 1 for both devices in one message: the press says which one worked.
    assert "https://web.vk.me" in student.last_text and "магазина приложений" in student.last_text
    await student.press(COMPUTER)
    assert (
        "«Войти в Сферум»" in student.last_text and "ВКонтакте <b>не нужно</b>" in student.last_text
    )
    await student.press(BACK)
    await student.press(PHONE)
    assert "«Добавить учебный аккаунт»" in student.last_text


async def test_trouble_opens_help_for_the_step_and_returns_to_it(
    student: Person, structure: dict[str, int], db: Database
) -> None:
    await walk_to(student, Step.PROFILE)
    step_message = student.last
    step_text = step_message.text
    await student.press(TROUBLE)
    assert student.last is step_message  # the same message now shows the help
    assert "Не получается создать учебный профиль" in step_message.text
    assert student.buttons() == [BACK_TO_STEP]
    await student.press(BACK_TO_STEP)
    assert step_message.text == step_text
    assert await wizard_step(db, student.user.id) == "profile"


async def test_what_is_gosuslugi_warns_about_parents_account(
    student: Person, structure: dict[str, int]
) -> None:
    await walk_to(student, Step.FORK)
    await student.press(WHAT)
    assert "родителя использовать <b>нельзя</b>" in student.last_text
    await student.press(NO)
    assert "два способа" in student.last_text


async def test_deep_link_preselects_school_and_class(
    student: Person, structure: dict[str, int], db: Database
) -> None:
    row = await db.fetchone("SELECT code FROM classes WHERE id = ?", (structure[CLASS],))
    assert row is not None
    await student.send(f"/start c_{row['code']}")
    assert "Класс выбран по ссылке: 5А, МБОУ СОШ № 1" in student.last_text
    await student.press(AGREE)
    assert "как вас зовут" in student.last_text.lower() and "класс 5А" in student.last_text
    await student.send(NAME)
    record = await student_row(db, student.user.id)
    assert record is not None and record["full_name"] == NAME


async def test_unknown_deep_link_is_explained_and_the_wizard_starts(student: Person) -> None:
    await student.send("/start c_zzzzzzzz")
    assert "Ссылка класса не распознана" in student.last_text
    assert student.buttons() == [AGREE, DECLINE, DETAILS]


async def test_school_search_and_pages(student: Person, db: Database) -> None:
    for n in range(1, 21):
        await db.execute(
            "INSERT INTO schools (name, created_at) VALUES (?, '2026-01-01')", (f"Школа № {n}",)
        )
    await student.send("/start")
    await student.press(AGREE)
    assert "страница 1 из 3" in student.last_text
    first_page = student.buttons()
    await student.press("▶️")
    assert "страница 2 из 3" in student.last_text
    assert student.buttons() != first_page
    await student.send("№ 17")
    assert "Школы по запросу «№ 17»" in student.last_text
    assert "Школа № 17" in student.buttons()
    await student.send("<b>лицей</b>")
    assert "«&lt;b&gt;лицей&lt;/b&gt;» школ не нашлось" in student.last_text
    await student.send("17")
    await student.press("Школа № 17")
    assert "Школа № 17" in student.last_text


async def test_class_can_be_typed(student: Person, structure: dict[str, int], db: Database) -> None:
    await walk_to(student, Step.CLASS)
    await student.send("5 б")
    assert "Как вас зовут" in student.last_text and "класс 5Б" in student.last_text
    record = await student_row(db, student.user.id)
    assert record is not None and record["class_id"] == structure["5Б"]


async def test_school_not_listed_still_gives_every_instruction(
    student: Person, structure: dict[str, int], db: Database
) -> None:
    await walk_to(student, Step.SCHOOL)
    await student.press("Моей школы нет в списке")
    assert student.buttons()[:2] == [PHONE, COMPUTER]
    await student.press(PHONE)
    for press in (DONE, NO, VARIANT2):
        await student.press(press)
    assert "Попросите у классного руководителя ссылку" in student.last_text
    assert await requests_of(db, student.user.id) == []


async def test_a_restarted_bot_continues_exactly_where_the_student_stopped(
    start_bot: StartBot, structure: dict[str, int], db: Database
) -> None:
    first = await start_bot()
    student = Person(first, 1001)
    await walk_to(student, Step.PROFILE)
    await student.press(TROUBLE)  # even with the help open
    second = await start_bot()  # a new process: new dispatcher, same database file
    again = Person(second, 1001)
    await again.send("привет")
    assert "Создайте «Учебный профиль Сферум»" in again.last_text
    await again.press(DONE)
    assert "Способ зависит от Госуслуг" in again.last_text
    assert await wizard_step(db, 1001) == "fork"
    record = await student_row(db, 1001)
    assert record is not None and record["device"] == "phone" and record["full_name"] == NAME
