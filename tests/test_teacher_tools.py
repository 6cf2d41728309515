"""The teacher's tools at the user's level: /requests, /class, /setlink, /setchat, /qr, and
variant 2 of memo step 3 from the student's request to the link with its QR code."""

from __future__ import annotations

import io
import sqlite3

import pytest
import zxingcpp
from PIL import Image

from bot.class_links import LinkProblem, check_link
from bot.teacher_tools import Purpose, split_messages, utf16_len
from bot.wizard import Step
from storage.db import Database, utcnow
from storage.roles import Role, grant
from tests.support.inspect import requests_of
from tests.support.people import Harness, Person
from tests.support.session import SentMessage
from tests.support.staff import (
    ADMIN_SCHOOL_1,
    ADMIN_SCHOOL_2,
    SCHOOL_1,
    SUPER_ADMIN,
    TEACHER_5A,
    TEACHER_5B,
    appoint_staff,
)
from tests.support.walk import JOINED, SENT, walk_to
from ui.callbacks import ClassPickCb

EN_TEACHER_5A = 2005
INVITE = "https://sferum.ru/?invite=abc123"
CHAT = "https://web.vk.me/join/chat_5a"
BAD_LINK = "⚠️ Ссылка не сохранена"


@pytest.fixture
async def staff(db: Database, structure: dict[str, int]) -> None:
    await appoint_staff(db, structure)

    def appoint(conn: sqlite3.Connection) -> None:
        grant(conn, EN_TEACHER_5A, Role.TEACHER, SCHOOL_1, structure["5А"])
        conn.execute("UPDATE users SET locale = 'en' WHERE id = ?", (EN_TEACHER_5A,))

    await db.run(appoint)


async def add_students(
    db: Database,
    class_id: int,
    names: list[str],
    *,
    step: str = "install",
    pending: bool = False,
    first_id: int = 5000,
) -> list[int]:
    """Students who went part of the way already (stored as the wizard stores them)."""
    ids = list(range(first_id, first_id + len(names)))

    def add(conn: sqlite3.Connection) -> None:
        now = utcnow()
        for user_id, name in zip(ids, names, strict=True):
            conn.execute(
                "INSERT INTO users (id, consent_at, consent_version, created_at)"
                " VALUES (?, ?, 1, ?)",
                (user_id, now, now),
            )
            conn.execute(
                "INSERT INTO students (user_id, class_id, full_name, step, variant, gosuslugi,"
                " step_at, created_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?)",
                (user_id, class_id, name, step, 1 if pending else None, now, now),
            )
            if pending:
                conn.execute(
                    "INSERT INTO join_requests (student_id, class_id, variant, created_at)"
                    " VALUES (?, ?, 1, ?)",
                    (user_id, class_id, now),
                )

    await db.run(add)
    return ids


def decode_qr(png: bytes) -> str:
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert len(results) == 1
    return str(results[0].text)


def photos(messages: list[SentMessage]) -> list[SentMessage]:
    return [m for m in messages if m.photo is not None]


async def stored_links(db: Database, class_id: int) -> tuple[str | None, str | None]:
    row = await db.fetchone("SELECT invite_link, chat_link FROM classes WHERE id = ?", (class_id,))
    assert row is not None
    return row["invite_link"], row["chat_link"]


# --- links: what is accepted -------------------------------------------------------------


@pytest.mark.parametrize(
    "link",
    [
        "https://sferum.ru/?invite=abc",
        "https://web.vk.me/join/xyz",
        "https://vk.me/join/AJQ1d",
        "https://vk.com/join/abc",
        "https://max.ru/join/abc",
        "https://web.max.ru/chat?x=1&y=2",
        "  https://SFERUM.RU/path  ",
    ],
)
def test_links_on_the_allow_list_are_accepted(link: str) -> None:
    assert check_link(link) == link.strip()


@pytest.mark.parametrize(
    ("link", "problem"),
    [
        ("", LinkProblem.EMPTY),
        ("   ", LinkProblem.EMPTY),
        ("http://sferum.ru/?invite=abc", LinkProblem.NOT_HTTPS),
        ("ftp://sferum.ru/x", LinkProblem.NOT_HTTPS),
        ("javascript:alert(1)", LinkProblem.NOT_URL),
        ("sferum.ru/?invite=abc", LinkProblem.NOT_URL),
        ("просто текст", LinkProblem.NOT_URL),
        ("https://sferum.ru/a b", LinkProblem.NOT_URL),
        ("https://evil.com/?sferum.ru", LinkProblem.HOST),
        ("https://evilsferum.ru/", LinkProblem.HOST),
        ("https://sferum.ru.evil.com/", LinkProblem.HOST),
        ("https://sferum.ru@evil.com/", LinkProblem.HOST),
        ("https://vk.me:8443/join", LinkProblem.HOST),
        ("https://t.me/joinchat/x", LinkProblem.HOST),
        ("https://sferum.ru/" + "a" * 600, LinkProblem.TOO_LONG),
        ("https://[::1/", LinkProblem.NOT_URL),
    ],
)
def test_other_links_are_refused(link: str, problem: LinkProblem) -> None:
    assert check_link(link) is problem


@pytest.mark.parametrize(
    ("link", "why"),
    [
        ("http://sferum.ru/?invite=abc", "https://"),
        ("https://evil.com/join", "sferum.ru, vk.me, vk.com, max.ru"),
        ("https://vk.me.evil.com/join", "sferum.ru, vk.me, vk.com, max.ru"),
        ("<b>garbage</b>", "не похоже на ссылку"),
    ],
)
async def test_setlink_refuses_a_bad_link_and_stores_nothing(
    harness: Harness, staff: None, db: Database, structure: dict[str, int], link: str, why: str
) -> None:
    teacher = Person(harness, TEACHER_5A, "Мария")
    for command in ("/setlink", "/setchat"):
        await teacher.send(f"{command} {link}")
        assert BAD_LINK in teacher.last_text and why in teacher.last_text
    assert await stored_links(db, structure["5А"]) == (None, None)


async def test_setlink_without_a_link_explains(harness: Harness, staff: None) -> None:
    teacher = Person(harness, TEACHER_5A, "Мария")
    await teacher.send("/setlink")
    assert "<code>/setlink https://sferum.ru" in teacher.last_text
    await teacher.send("/setchat")
    assert "<code>/setchat https://vk.me" in teacher.last_text


# --- who may -------------------------------------------------------------------------------


async def test_a_student_is_refused_every_tool(
    harness: Harness, student: Person, staff: None, db: Database, structure: dict[str, int]
) -> None:
    await walk_to(student, Step.VARIANT1)
    await student.press(SENT)
    for command in ("/requests", "/class", f"/setlink {INVITE}", f"/setchat {CHAT}", "/qr"):
        before = len(student.messages)
        await student.send(command)
        [reply] = student.sent_since(before)
        assert "для классных руководителей и администраторов школы" in reply.text
    assert await stored_links(db, structure["5А"]) == (None, None)
    [request] = await requests_of(db, student.user.id)
    assert request["status"] == "pending"


@pytest.mark.parametrize("purpose", list(Purpose))
async def test_a_forged_class_button_of_another_class_changes_nothing(
    harness: Harness, staff: None, db: Database, structure: dict[str, int], purpose: Purpose
) -> None:
    await add_students(db, structure["5А"], ["Анна Иванова"])
    other = Person(harness, TEACHER_5B, "Олег")
    await other.send(f"/setlink {INVITE}")  # stored for 5Б, their only class
    assert await stored_links(db, structure["5Б"]) == (INVITE, None)
    before = len(other.messages)
    await other.press_data(ClassPickCb(purpose=purpose, class_id=structure["5А"]).pack())
    assert other.last_callback_answer is not None
    assert "другой учитель" in str(other.last_callback_answer.text)
    assert other.sent_since(before) == []  # no roster, no QR code of 5А
    assert await stored_links(db, structure["5А"]) == (None, None)


async def test_an_admin_of_several_classes_is_asked_which(
    harness: Harness, staff: None, db: Database, structure: dict[str, int]
) -> None:
    admin = Person(harness, ADMIN_SCHOOL_1, "Ольга")
    await admin.send(f"/setchat {CHAT}")
    assert admin.buttons() == ["5А — МБОУ СОШ № 1", "5Б — МБОУ СОШ № 1"]
    await admin.press("5Б — МБОУ СОШ № 1")
    assert "Ссылка на чат класса 5Б сохранена" in admin.last_text
    assert await stored_links(db, structure["5Б"]) == (None, CHAT)
    assert await stored_links(db, structure["5А"]) == (None, None)
    # The link is used once: a second press of the old button stores nothing more.
    await admin.press_data(ClassPickCb(purpose=Purpose.CHAT, class_id=structure["5А"]).pack())
    assert admin.last_callback_answer is not None
    assert "устарела" in str(admin.last_callback_answer.text)
    assert await stored_links(db, structure["5А"]) == (None, None)
    # The admin of another school does not see the classes of this one.
    stranger = Person(harness, ADMIN_SCHOOL_2, "Игорь")
    await stranger.send("/class")
    assert "Класс 9В" in stranger.last_text and "5А" not in stranger.last_text


# --- variant 2 end to end ------------------------------------------------------------------


async def test_variant_2_students_get_the_link_and_qr_once_the_teacher_sets_it(
    harness: Harness, staff: None, db: Database, structure: dict[str, int]
) -> None:
    anna = Person(harness, 1001, "Аня")
    await walk_to(anna, Step.VARIANT2)
    assert "Просьба о ссылке-приглашении отправлена классному руководителю 5А" in anna.last_text
    mary_walk = Person(harness, 1002, "Mary")
    await walk_to(mary_walk, Step.VARIANT2)
    await mary_walk.send("/lang")
    await mary_walk.press("English 🇬🇧")  # the link comes in the student's own language
    elsewhere = Person(harness, 1003, "Петя")
    await walk_to(elsewhere, Step.VARIANT1)  # variant 1: waits for no link
    [request] = await requests_of(db, anna.user.id)
    assert (request["variant"], request["status"]) == (2, "pending")

    teacher = Person(harness, TEACHER_5A, "Мария")
    counts = {p.user.id: len(p.messages) for p in (anna, mary_walk, elsewhere)}
    await teacher.send(f"/setlink {INVITE}")
    for person, words in ((anna, "прислал(а) ссылку-приглашение"), (mary_walk, "sent the class")):
        [photo] = photos(person.sent_since(counts[person.user.id]))
        assert photo.photo is not None and decode_qr(photo.photo) == INVITE
        assert INVITE in photo.text and words in photo.text
    assert elsewhere.sent_since(counts[elsewhere.user.id]) == []
    reply = teacher.last_text
    assert "Ссылка-приглашение для класса 5А сохранена" in reply and "отправлено: 2" in reply
    # No chat link yet: the teacher is told whom to add to the class chat.
    assert "нет ссылки на чат" in reply and "Анна Иванова" in reply
    assert await stored_links(db, structure["5А"]) == (INVITE, None)

    # The student joins the class, then the chat link reaches those already in the class.
    await anna.press(JOINED)
    assert "добавит вас" in anna.last_text
    before = len(anna.messages)
    waiting_before = len(mary_walk.messages)
    await teacher.send(f"/setchat {CHAT}")
    [photo] = photos(anna.sent_since(before))
    assert photo.photo is not None and decode_qr(photo.photo) == CHAT and CHAT in photo.text
    assert mary_walk.sent_since(waiting_before) == []  # not in the class yet: not the chat
    assert "отправлено: 1" in teacher.last_text
    # A student arriving now gets both links from the wizard itself, without a request.
    late = Person(harness, 1004, "Лена")
    await walk_to(late, Step.VARIANT2)
    assert decode_qr(photos(late.messages)[-1].photo or b"") == INVITE
    assert await requests_of(db, late.user.id) == []


async def test_a_new_link_reaches_the_waiting_students_again(
    harness: Harness, staff: None, db: Database, structure: dict[str, int]
) -> None:
    await add_students(db, structure["5А"], ["Анна Иванова"], step="variant2")
    teacher = Person(harness, TEACHER_5A, "Мария")
    await teacher.send(f"/setlink {INVITE}")
    await teacher.send("/setlink https://sferum.ru/?invite=new")
    anna = Person(harness, 5000, "Аня")
    links = [decode_qr(m.photo or b"") for m in photos(anna.messages)]
    assert links == [INVITE, "https://sferum.ru/?invite=new"]


# --- /class --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "russian", "english"),
    [
        (1, "1 ученик:", "1 student:"),
        (2, "2 ученика:", "2 students:"),
        (5, "5 учеников:", "5 students:"),
        (11, "11 учеников:", "11 students:"),
        (21, "21 ученик:", "21 students:"),
    ],
)
async def test_roster_counts_in_both_languages(
    harness: Harness,
    staff: None,
    db: Database,
    structure: dict[str, int],
    count: int,
    russian: str,
    english: str,
) -> None:
    names = [f"Ученик Номер{chr(0x430 + i)}" for i in range(count)]
    await add_students(db, structure["5А"], names, step="done")
    teacher = Person(harness, TEACHER_5A, "Мария")
    await teacher.send("/class")
    assert russian in teacher.last_text
    done = "завершил(а)" if count % 10 == 1 and count != 11 else "завершили"
    assert f"{count} {done}, 0 ждут подтверждения" in teacher.last_text
    english_teacher = Person(harness, EN_TEACHER_5A, "Mary")
    await english_teacher.send("/class")
    assert f"{english} {count} finished, 0 awaiting confirmation" in english_teacher.last_text


async def test_roster_shows_each_students_step_branch_and_request(
    harness: Harness, student: Person, staff: None, db: Database, structure: dict[str, int]
) -> None:
    await walk_to(student, Step.VARIANT1)
    await student.press(SENT)
    await add_students(db, structure["5А"], ["Борис Петров"], step="profile")
    await add_students(db, structure["5Б"], ["Чужой Ученик"], first_id=6000)
    teacher = Person(harness, TEACHER_5A, "Мария")
    await teacher.send("/class")
    text = teacher.last_text
    assert "2 ученика: 1 завершил(а), 1 ждёт подтверждения" in text
    assert "1. <b>Анна Иванова</b> — всё готово; вариант 1; заявка: ⏳ ждёт решения" in text
    assert "2. <b>Борис Петров</b> — шаг 2: учебный профиль; путь не выбран; заявка: нет" in text
    assert "Чужой" not in text
    await teacher.press("✅ Подтвердить")  # the card of the request; the roster follows
    await teacher.send("/class")
    assert "заявка: ✅ подтверждена" in teacher.last_text


async def test_an_empty_class_says_how_to_get_students(harness: Harness, staff: None) -> None:
    teacher = Person(harness, TEACHER_5B, "Олег")
    await teacher.send("/class")
    assert "0 учеников" in teacher.last_text and "/qr" in teacher.last_text


async def test_a_long_roster_is_split_below_telegrams_limit(
    harness: Harness, staff: None, db: Database, structure: dict[str, int]
) -> None:
    names = [f"{'Ы' * 45}-{chr(0x430 + i % 32)}{chr(0x430 + i // 32)} Ивановна" for i in range(150)]
    await add_students(db, structure["5А"], names)
    teacher = Person(harness, TEACHER_5A, "Мария")
    await teacher.send("/class")
    sent = teacher.messages
    assert len(sent) >= 3
    assert all(utf16_len(m.text) <= 4096 for m in sent)
    text = "\n".join(m.text for m in sent)
    assert all(text.count(f"<b>{name}</b>") == 1 for name in names)
    assert "150 учеников" in sent[0].text


def test_splitting_keeps_lines_whole() -> None:
    lines = [f"{i:03} " + "я" * 96 for i in range(100)]
    parts = split_messages("header", lines, limit=1000)
    assert all(utf16_len(p) <= 1000 for p in parts)
    assert "\n".join(parts).split("\n") == ["header", *lines]


# --- /requests -----------------------------------------------------------------------------


async def test_requests_are_paginated_and_decided_from_the_list(
    harness: Harness, staff: None, db: Database, structure: dict[str, int]
) -> None:
    names = [f"Ученик {chr(0x410 + i)}" for i in range(12)]
    ids = await add_students(db, structure["5А"], names, step="done", pending=True)
    teacher = Person(harness, TEACHER_5A, "Мария")
    await teacher.send("/requests")
    cards = teacher.messages[:-1]
    assert len(cards) == 5 and all("Заявка в класс 5А" in c.text for c in cards)
    assert [teacher.buttons(c) for c in cards] == [["✅ Подтвердить", "❌ Отклонить"]] * 5
    assert "Заявок ждут решения: <b>12</b>. Страница 1 из 3." in teacher.last_text
    assert teacher.buttons() == ["▶️"]
    await teacher.press("▶️")
    assert "Страница 2 из 3" in teacher.last_text and teacher.buttons() == ["◀️", "▶️"]
    await teacher.press("▶️")
    last_page = teacher.messages[-3:-1]
    assert [c.text.count("Ученик Л") + c.text.count("Ученик К") for c in last_page] == [1, 1]
    assert "Страница 3 из 3" in teacher.last_text and teacher.buttons() == ["◀️"]
    await teacher.press("◀️")
    assert "Страница 2 из 3" in teacher.last_text

    # Deciding from the list is the notification's own flow: once, the student told.
    first = cards[0]
    await teacher.press("✅ Подтвердить", in_message=first)
    assert "Подтверждено: Мария" in first.text and teacher.buttons(first) == []
    rows = await db.fetchall("SELECT status FROM join_requests WHERE student_id = ?", (ids[0],))
    assert [r["status"] for r in rows] == ["approved"]
    assert "подтвердил(а) вашу заявку" in Person(harness, ids[0]).last_text
    await teacher.send("/requests")
    assert "Заявок ждут решения: <b>11</b>" in teacher.last_text


@pytest.mark.parametrize(
    ("person", "sees"),
    [
        (TEACHER_5B, ["Вера Сидорова"]),
        (ADMIN_SCHOOL_2, ["Глеб Орлов"]),
        (ADMIN_SCHOOL_1, ["Анна Иванова", "Борис Петров", "Вера Сидорова"]),
        (SUPER_ADMIN, ["Анна Иванова", "Борис Петров", "Вера Сидорова", "Глеб Орлов"]),
    ],
    ids=["teacher of 5Б", "admin of another school", "admin of the school", "super admin"],
)
async def test_requests_show_only_ones_own_classes(
    harness: Harness,
    staff: None,
    db: Database,
    structure: dict[str, int],
    person: int,
    sees: list[str],
) -> None:
    viewer = Person(harness, person, "Кто-то")
    await viewer.send("/requests")
    assert "Заявок, ожидающих решения, нет" in viewer.last_text
    await add_students(db, structure["5А"], ["Анна Иванова", "Борис Петров"], pending=True)
    await add_students(db, structure["5Б"], ["Вера Сидорова"], pending=True, first_id=6000)
    await add_students(db, structure["9В"], ["Глеб Орлов"], pending=True, first_id=7000)
    before = len(viewer.messages)
    await viewer.send("/requests")
    *cards, footer = viewer.sent_since(before)
    assert f"Заявок ждут решения: <b>{len(sees)}</b>" in footer.text
    assert [name for card in cards for name in sees if name in card.text] == sees


# --- /qr -----------------------------------------------------------------------------------


async def test_qr_gives_the_class_poster_and_the_invite_link(
    harness: Harness, staff: None, db: Database, structure: dict[str, int]
) -> None:
    code = await db.fetchone("SELECT code FROM classes WHERE id = ?", (structure["5А"],))
    assert code is not None
    poster = f"https://t.me/sferum_test_bot?start=c_{code['code']}"
    teacher = Person(harness, TEACHER_5A, "Мария")
    await teacher.send("/qr")
    [photo] = photos(teacher.messages)
    assert photo.photo is not None and decode_qr(photo.photo) == poster
    assert "Класс 5А, МБОУ СОШ № 1" in photo.text and poster in photo.text
    assert "/setlink" in teacher.last_text  # no invite link yet
    await teacher.send(f"/setlink {INVITE}")
    before = len(teacher.messages)
    await teacher.send("/qr")
    first, second = photos(teacher.sent_since(before))
    assert decode_qr(first.photo or b"") == poster
    assert decode_qr(second.photo or b"") == INVITE and INVITE in second.text
    # The poster's deep link takes a student straight to the class.
    student = Person(harness, 1001, "Аня")
    await student.send(f"/start c_{code['code']}")
    assert "5А" in student.messages[0].text or "5А" in student.last_text
