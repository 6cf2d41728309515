"""Whole journeys over HTTP with the sandbox's people: `python -m bot` runs as a process against
the sandbox Bot API, on a database prepared as `python -m sandbox` prepares it (the sample
schools; the sandbox teacher teaches 5А, the sandbox admin runs МБОУ СОШ № 1)."""

from __future__ import annotations

import asyncio
import contextlib
import re
import shutil
from pathlib import Path

import pytest

from sandbox.__main__ import ADMIN_ID, TEACHER_ID
from sandbox.bot_api import BotApiServer
from sandbox.models import ChatMessage, contains, has_button
from sandbox.sample_school import load_sample_school
from sandbox.web import sample_photo
from tests.support.e2e import (
    REPLY_TIMEOUT,
    STUDENT_ID,
    BotProcess,
    Student,
    assert_answered_once,
    decode_qr,
    open_db,
)


@pytest.fixture
async def bot_db(structure_db: Path, tmp_path: Path) -> Path:
    database = tmp_path / "bot.sqlite3"
    shutil.copyfile(structure_db, database)
    await load_sample_school(database, TEACHER_ID, ADMIN_ID)
    return database


@pytest.fixture
def teacher(api: BotApiServer) -> int:
    api.add_user(TEACHER_ID, "Марина", language_code="ru")
    return TEACHER_ID


@pytest.fixture
def admin(api: BotApiServer) -> int:
    api.add_user(ADMIN_ID, "Олег", language_code="ru")
    return ADMIN_ID


async def act(api: BotApiServer, user_id: int, text_or_label: str, expect: str) -> ChatMessage:
    """A staff member types a command (or presses a button); the reply that contains `expect`."""
    if text_or_label.startswith("/") or not api.bot_messages(user_id):
        await api.user_sends(user_id, text_or_label)
    else:
        await api.user_presses(user_id, text_or_label)
    return await api.wait_for_reply(user_id, contains(expect), timeout=REPLY_TIMEOUT)


def numbers(report: str) -> dict[str, int]:
    return {k: int(v) for k, v in re.findall(r"^([^:\n]+): (\d+)$", report, flags=re.MULTILINE)}


async def test_variant1_request_is_approved_by_the_class_teacher(
    api: BotApiServer, bot: BotProcess, student: Student, teacher: int, bot_db: Path
) -> None:
    summary = await student.to_variant1_request()
    assert "ждёт подтверждения учителя" in summary.text

    card = await api.wait_for_reply(teacher, has_button("✅ Подтвердить"), timeout=REPLY_TIMEOUT)
    for detail in ("Анна Иванова", "5А", "вариант 1 — заявка на сайте Сферума"):
        assert detail in card.text
    query = await api.user_presses(teacher, "✅ Подтвердить")
    told = await api.wait_for_reply(
        STUDENT_ID, contains("подтвердил(а) вашу заявку"), timeout=REPLY_TIMEOUT
    )
    assert "5А" in told.text
    decided = await api.wait_for_reply(
        teacher, lambda m: m.message_id == card.message_id, timeout=REPLY_TIMEOUT
    )
    assert "✅ Подтвердить" not in decided.buttons  # the card now says who decided
    await api.wait_for_answer(query, timeout=REPLY_TIMEOUT)
    await api.wait_until_listening(timeout=REPLY_TIMEOUT)

    # The student's /status tells the same.
    status = await student.send("/status", expect_text="Ваш прогресс")
    assert "подтверждена" in status.text
    assert_answered_once(api)
    assert api.failed_calls() == []
    await bot.stop_gracefully()
    with contextlib.closing(open_db(bot_db)) as conn:
        row = conn.execute("SELECT variant, status, decided_by FROM join_requests").fetchone()
        assert tuple(row) == (1, "approved", TEACHER_ID)


async def test_a_double_tapped_approval_and_the_chat_link_for_variant1(
    api: BotApiServer, bot: BotProcess, student: Student, teacher: int, bot_db: Path
) -> None:
    await student.to_variant1_request()
    card = await api.wait_for_reply(teacher, has_button("✅ Подтвердить"), timeout=REPLY_TIMEOUT)
    # Two taps on the same button before the first answer: the second changes nothing and
    # says who decided; no error for the teacher, no ERROR line in the log.
    first = await api.user_presses(teacher, "✅ Подтвердить", message_id=card.message_id)
    second = await api.user_presses(teacher, "✅ Подтвердить", message_id=card.message_id)
    await api.wait_for_reply(
        STUDENT_ID, contains("подтвердил(а) вашу заявку"), timeout=REPLY_TIMEOUT
    )
    await api.wait_for_answer(first, timeout=REPLY_TIMEOUT)
    answer = await api.wait_for_answer(second, timeout=REPLY_TIMEOUT)
    assert "Уже решено" in str(answer)
    await api.wait_until_listening(timeout=REPLY_TIMEOUT)
    assert not any("Что-то пошло не так" in m.text for m in api.bot_messages(teacher))

    # The approved variant-1 student gets the class chat link once the teacher saves it.
    chat = "https://web.vk.me/join/chat_5a"
    saved = await act(api, teacher, f"/setchat {chat}", "сохранена")
    assert "отправлено: 1" in saved.text
    photo = await api.wait_for_reply(STUDENT_ID, contains(chat), timeout=REPLY_TIMEOUT)
    assert decode_qr(photo.photo) == chat
    await bot.stop_gracefully()
    assert " ERROR " not in bot.log and "Traceback" not in bot.log, bot.log


async def test_memo_step_4_links_the_e_journal(
    api: BotApiServer, bot: BotProcess, student: Student, bot_db: Path
) -> None:
    await student.to_fork()
    step = await student.press("Да, есть ✅", expect_text="Шаг 3. Через ЭПОС и Госуслуги")
    # The memo's step 4, point by point.
    assert "Войдите в ЭПОС" in step.text and "через свою учётную запись Госуслуг" in step.text
    assert "Учётную запись родителя использовать нельзя" in step.text
    assert "«Чаты»" in step.text and "«Привязать учебный профиль VK ID»" in step.text
    assert "вы автоматически попадёте в чат класса" in step.text
    bold = [step.text[e["offset"] : e["offset"] + e["length"]] for e in step.entities]
    assert "свою" in bold  # the student's own account, stressed as in the memo
    assert any(e["type"] == "text_link" for e in step.entities)  # the picture guide

    helped = await student.press("Не получается ❓", expect_text="Не получается связать")
    assert "не родительскую" in helped.text
    await student.press("◀️ Вернуться к шагу", expect_text="Шаг 3. Через ЭПОС и Госуслуги")
    final = await student.press("Готово ✅", expect_text="🎉 Готово!")
    assert "Путь: своя учётная запись Госуслуг, связывание с ЭПОС" in final.text

    # /epos shows the step again at any time.
    again = await student.send("/epos", expect_text="Шаг 3. Через ЭПОС и Госуслуги")
    assert "«Привязать учебный профиль VK ID»" in again.text
    assert_answered_once(api)
    assert api.failed_calls() == []
    await bot.stop_gracefully()
    with contextlib.closing(open_db(bot_db)) as conn:
        row = conn.execute("SELECT step, gosuslugi FROM students").fetchone()
        assert tuple(row) == ("done", 1)


async def broadcast_to_5a(
    api: BotApiServer, admin: int, text: str, recipients: str, *, photo: bytes | None = None
) -> str:
    """The admin sends `text` (or a photo with it as the caption) to class 5А through
    /broadcast; the final report."""
    await act(api, admin, "/broadcast", "Кому отправить сообщение?")
    await act(api, admin, "🎒 Классу…", "Какому классу")
    asked = await act(api, admin, "5А", "Пришлите сообщение для рассылки")
    assert recipients in asked.text
    if photo is None:
        await api.user_sends(admin, text)
    else:
        await api.user_sends_photo(admin, photo, text)
    preview = await api.wait_for_reply(admin, has_button("✅ Отправить"), timeout=REPLY_TIMEOUT)
    assert "Так получатели увидят сообщение" in preview.text
    await api.user_presses(admin, "✅ Отправить")
    report = await api.wait_for_reply(admin, contains("Рассылка завершена"), timeout=REPLY_TIMEOUT)
    return report.text


async def blocked_at(database: Path, user_id: int, *, expect_blocked: bool) -> None:
    """Until the bot has recorded the user's block (or unblock) in the database."""
    deadline = asyncio.get_running_loop().time() + REPLY_TIMEOUT
    while True:
        with contextlib.closing(open_db(database)) as conn:
            row = conn.execute("SELECT blocked_at FROM users WHERE id = ?", (user_id,)).fetchone()
        if row is not None and (row["blocked_at"] is not None) == expect_blocked:
            return
        assert asyncio.get_running_loop().time() < deadline, f"blocked_at of {user_id}: {row}"
        await asyncio.sleep(0.05)


async def test_a_class_broadcast_leaves_out_whoever_blocked_the_bot_until_they_unblock(
    api: BotApiServer, bot: BotProcess, admin: int, bot_db: Path
) -> None:
    in_class, blocking, other_class = Student(api, 5001), Student(api, 5002), Student(api, 5003)
    for student in (in_class, blocking):
        await student.to_class()
        await student.press("5А", expect_text="Как вас зовут?")
    await other_class.to_class()
    await other_class.press("5Б", expect_text="Как вас зовут?")

    # Telegram tells the bot of the block (my_chat_member): it is out of the audience at once.
    api.user_blocks(blocking.id)
    await blocked_at(bot_db, blocking.id, expect_blocked=True)
    report = numbers(await broadcast_to_5a(api, admin, "Собрание в 18:00.", "1 получатель"))
    assert (report["Доставлено"], report["Заблокировали бота"], report["Всего"]) == (1, 0, 1)
    assert api.bot_messages(in_class.id)[-1].text == "Собрание в 18:00."
    assert not any("Собрание" in m.text for m in api.bot_messages(blocking.id))
    assert not any("Собрание" in m.text for m in api.bot_messages(other_class.id))
    assert [c for c in api.failed_calls() if c.status == 403] == []  # nobody sent to in vain

    # Unblocked: back in the class's audience, and the bot answers as usual.
    api.user_blocks(blocking.id, blocked=False)
    await blocked_at(bot_db, blocking.id, expect_blocked=False)
    await blocking.send("/status", expect_text="Ваш прогресс")
    poster = sample_photo()  # any message goes out as it is: here a photo with a caption
    report = numbers(
        await broadcast_to_5a(api, admin, "Перенесли на 19:00.", "2 получателя", photo=poster)
    )
    assert (report["Доставлено"], report["Всего"]) == (2, 2)
    for student in (in_class, blocking):
        got = api.bot_messages(student.id)[-1]
        assert (got.text, got.photo) == ("Перенесли на 19:00.", poster)
    assert_answered_once(api)
    assert api.failed_calls() == []
    await bot.stop_gracefully()


async def test_a_request_reaches_the_school_admin_when_the_teacher_blocked_the_bot(
    api: BotApiServer, bot: BotProcess, student: Student, teacher: int, admin: int, bot_db: Path
) -> None:
    # Telegram tells the bot nothing here (no my_chat_member): the card's send is refused.
    api.blocked.add(teacher)
    summary = await student.to_variant1_request()
    assert "ждёт подтверждения учителя" in summary.text

    card = await api.wait_for_reply(admin, has_button("✅ Подтвердить"), timeout=REPLY_TIMEOUT)
    assert "Анна Иванова" in card.text
    refused = [c for c in api.failed_calls() if c.method == "sendMessage"]
    assert [(int(c.params["chat_id"]), c.status) for c in refused] == [(teacher, 403)]
    await api.user_presses(admin, "✅ Подтвердить")
    told = contains("Школа подтвердила вашу заявку в класс 5А!")  # not the class teacher
    await api.wait_for_reply(STUDENT_ID, told, timeout=REPLY_TIMEOUT)
    assert_answered_once(api)
    await bot.stop_gracefully()
    with contextlib.closing(open_db(bot_db)) as conn:
        row = conn.execute("SELECT status, decided_by FROM join_requests").fetchone()
        assert tuple(row) == ("approved", ADMIN_ID)
