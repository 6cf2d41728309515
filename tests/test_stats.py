"""/stats through the real dispatcher: each role sees the funnel of its own scope and nothing
beyond it, and every number agrees with /class and /requests for the same scope."""

from __future__ import annotations

import io
import re
import sqlite3
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest
from PIL import Image

from app.config import Settings
from bot.reminders import ReminderPolicy, Reminders
from bot.stats import ScopeKind, StatsAction
from bot.wizard import Step
from storage.db import Database, utcnow
from storage.reminders import RemindersRepo
from storage.roles import Role, grant
from tests.support.people import Harness, Person
from tests.support.staff import (
    ADMIN_SCHOOL_1,
    ADMIN_SCHOOL_2,
    SCHOOL_1,
    SUPER_ADMIN,
    TEACHER_5A,
    TEACHER_5B,
    appoint_staff,
)
from tests.support.walk import SENT, walk_to
from tests.test_broadcast_ui import enrol
from tests.test_teacher_tools import add_students
from ui.callbacks import StatsCb

EN_TEACHER_5A = 2005
LONG_AGO = (datetime.now(UTC) - timedelta(days=10)).isoformat(timespec="seconds")


@pytest.fixture
async def staff(db: Database, structure: dict[str, int]) -> None:
    await appoint_staff(db, structure)

    def appoint(conn: sqlite3.Connection) -> None:
        grant(conn, EN_TEACHER_5A, Role.TEACHER, SCHOOL_1, structure["5А"])
        conn.execute("UPDATE users SET locale = 'en' WHERE id = ?", (EN_TEACHER_5A,))

    await db.run(appoint)


async def stuck_since(db: Database, user_ids: list[int], since: str) -> None:
    marks = ", ".join("?" for _ in user_ids)
    await db.execute(
        f"UPDATE students SET step_at = ? WHERE user_id IN ({marks})", (since, *user_ids)
    )


async def ask_stats(person: Person) -> str:
    """/stats' texts (the chart's photo and the rest aside), all of its messages joined."""
    before = len(person.messages)
    await person.send("/stats")
    return "\n".join(m.text for m in person.sent_since(before) if m.text)


def figure(text: str, label: str) -> int:
    """The number after `label` in a /stats message ("Прошли все шаги памятки: 3 (25 %)")."""
    match = re.search(re.escape(label) + r"\D*?(\d[\d\s\u00a0]*)", text)
    assert match, f"{label!r} not in {text!r}"
    return int(re.sub(r"\D", "", match[1]))


async def test_a_teacher_sees_their_class_and_who_is_stuck_where(
    harness: Harness, staff: None, db: Database, structure: dict[str, int]
) -> None:
    stuck = await add_students(db, structure["5А"], ["Борис Петров", "Вера Сидорова"])
    await stuck_since(db, stuck, LONG_AGO)
    await add_students(db, structure["5А"], ["Галя Новая"], step="profile", first_id=5100)
    await add_students(db, structure["5А"], ["Дима Готов"], step="done", first_id=5200)
    await db.execute("UPDATE students SET finished_at = ? WHERE user_id = 5200", (utcnow(),))
    await add_students(db, structure["5Б"], ["Чужой Ученик"], first_id=6000)
    await stuck_since(db, [6000], LONG_AGO)

    teacher = Person(harness, TEACHER_5A, "Марина")
    text = await ask_stats(teacher)
    assert "Класс 5А" in text and "МБОУ СОШ № 1" in text
    assert figure(text, "Учеников выбрали класс:") == 4
    assert figure(text, "Прошли все шаги памятки:") == 1
    assert figure(text, "шаг 1, мессенджер:") == 2
    assert figure(text, "шаг 2, учебный профиль:") == 1
    assert figure(text, "дольше 3 дней:") == 2
    assert figure(text, "из них сегодня:") == 1
    # who is stuck, by name, the step as /class names it and since when
    assert "Борис Петров — шаг 1: мессенджер, с " in text
    assert "Вера Сидорова" in text
    assert "Галя Новая" not in text  # at her step since today: not stuck
    assert "Чужой" not in text  # another class's student, never shown


async def test_a_student_and_a_stranger_are_refused(
    harness: Harness, student: Person, structure: dict[str, int]
) -> None:
    await walk_to(student, Step.PROFILE)
    before = len(student.messages)
    await student.send("/stats")
    assert len(student.messages) == before + 1
    assert "для учителей и администраторов" in student.last_text
    assert "📊" not in student.last_text
    stranger = Person(harness, 4242, "Кто-то")
    await stranger.send("/stats")
    assert "для учителей и администраторов" in stranger.last_text


async def test_a_school_admin_sees_their_school_the_worst_class_first(
    harness: Harness, staff: None, db: Database, structure: dict[str, int]
) -> None:
    await add_students(db, structure["5А"], ["А Один", "Б Два"], step="done")
    await db.execute(
        "UPDATE students SET finished_at = ? WHERE class_id = ?", (utcnow(), structure["5А"])
    )
    await add_students(db, structure["5Б"], ["В Три", "Г Четыре"], first_id=5100, pending=True)
    await db.execute("UPDATE join_requests SET created_at = ?", (LONG_AGO,))
    await add_students(db, structure["9В"], ["Другая Школа"], first_id=6000)

    admin = Person(harness, ADMIN_SCHOOL_1, "Олег")
    text = await ask_stats(admin)
    assert "МБОУ СОШ № 1" in text and "Гимназия № 3" not in text and "9В" not in text
    assert figure(text, "Учеников выбрали класс:") == 4
    assert figure(text, "ждут решения —") == 2
    table = text[text.index("<b>Классы</b>") :]
    assert table.index("5Б: 0 / 2") < table.index("5А: 2 / 2")  # the one behind first
    # the requests waiting for more than two days, with whose they are
    assert "5Б — " in text and ": 2, самая давняя с " in text


async def test_the_municipality_sees_every_school_and_where_no_teacher_is(
    harness: Harness, staff: None, db: Database, structure: dict[str, int]
) -> None:
    await add_students(db, structure["5А"], ["А Один"], step="done")
    await add_students(db, structure["9В"], ["Б Два", "В Три"], first_id=5100)
    await enrol(db, None, [5200], step="device")
    super_admin = Person(harness, SUPER_ADMIN, "Ирина")
    text = await ask_stats(super_admin)
    assert "Все школы" in text
    assert figure(text, "Учеников выбрали класс:") == 3
    assert figure(text, "ещё не выбрали класс:") == 1
    assert figure(text, "дали согласие:") == 4
    assert "МБОУ СОШ № 1: " in text and "Гимназия № 3: 0 / 2" in text
    without = text[text.index("ни одного учителя") :]
    assert "Гимназия № 3" in without and "МБОУ СОШ № 1" not in without
    assert "А Один" not in text  # no names at this level


async def test_stats_in_english_for_an_english_teacher(
    harness: Harness, staff: None, db: Database, structure: dict[str, int]
) -> None:
    stuck = await add_students(db, structure["5А"], ["Boris Petrov"])
    await stuck_since(db, stuck, LONG_AGO)
    teacher = Person(harness, EN_TEACHER_5A, "Mary", language="en")
    text = await ask_stats(teacher)
    assert "Class 5А" in text
    assert figure(text, "Students who chose the class:") == 1
    assert "Boris Petrov — " in text and ", since " in text
    assert not re.search("[а-яё]{4,}", text.replace("МБОУ СОШ", "").replace("Boris", ""), re.I)


async def test_numbers_agree_with_class_and_requests(
    harness: Harness, staff: None, db: Database, structure: dict[str, int]
) -> None:
    student = Person(harness, 1001, "Аня")
    await walk_to(student, Step.VARIANT1)
    await student.press(SENT)  # a real request, through the wizard
    await add_students(db, structure["5А"], ["Борис Петров", "Вера Сидорова"], pending=True)
    await add_students(db, structure["5А"], ["Галя Готова"], step="done", first_id=5100)
    await db.execute("UPDATE students SET finished_at = ? WHERE user_id = 5100", (utcnow(),))
    teacher = Person(harness, TEACHER_5A, "Марина")
    await teacher.press("✅ Подтвердить")  # the wizard's request approved from its card
    await add_students(db, structure["5Б"], ["Чужой Ученик"], first_id=6000, pending=True)

    await teacher.send("/class")
    roster = teacher.last_text
    count, done, waiting = (
        int(n) for n in re.findall(r"(\d+) учени\w*: (\d+) заверш\S+, (\d+) жд", roster)[0]
    )
    await teacher.send("/requests")
    requests_total = figure(
        teacher.last_text
        if "Заявок ждут" in teacher.last_text
        else next(m.text for m in reversed(teacher.messages) if "Заявок ждут" in m.text),
        "Заявок ждут решения:",
    )
    stats = await ask_stats(teacher)
    assert figure(stats, "Учеников выбрали класс:") == count == 4
    assert figure(stats, "Прошли все шаги памятки:") == done == 2
    assert figure(stats, "ждут решения —") == waiting == requests_total == 2
    assert figure(stats, "подтверждены —") == roster.count("заявка: ✅ подтверждена") == 1


async def test_a_teacher_of_two_classes_gets_each(
    harness: Harness, db: Database, structure: dict[str, int]
) -> None:
    await db.run(lambda c: grant(c, TEACHER_5B, Role.TEACHER, SCHOOL_1, structure["5А"]))
    await db.run(lambda c: grant(c, TEACHER_5B, Role.TEACHER, SCHOOL_1, structure["5Б"]))
    teacher = Person(harness, TEACHER_5B, "Олег")
    await teacher.send("/stats")
    texts = [m.text for m in teacher.messages]
    assert any("Класс 5А" in t for t in texts) and any("Класс 5Б" in t for t in texts)
    assert not any("9В" in t for t in texts)


async def test_an_admin_of_another_school_sees_only_theirs(
    harness: Harness, staff: None, db: Database, structure: dict[str, int]
) -> None:
    await add_students(db, structure["5А"], ["Секрет Ученик"])
    admin = Person(harness, ADMIN_SCHOOL_2, "Пётр")
    text = await ask_stats(admin)
    assert "Гимназия № 3" in text and "МБОУ СОШ № 1" not in text and "5А" not in text
    assert figure(text, "Учеников выбрали класс:") == 0


# --- the chart, the Excel report, the nudge --------------------------------------------------


async def test_stats_come_with_a_chart_readable_on_a_phone(
    harness: Harness, staff: None, db: Database, structure: dict[str, int]
) -> None:
    await add_students(db, structure["5А"], ["Борис Петров"], step="done")
    await db.execute("UPDATE students SET finished_at = ?", (utcnow(),))
    teacher = Person(harness, TEACHER_5A, "Марина")
    await teacher.send("/stats")
    photo = teacher.last.photo
    assert photo is not None
    image = Image.open(io.BytesIO(photo))
    assert image.format == "PNG" and image.width >= 1080
    assert len(set(image.convert("L").getdata())) > 16  # bars, text, a line: not blank


async def test_the_excel_report_holds_the_funnels_numbers(
    harness: Harness, staff: None, db: Database, structure: dict[str, int]
) -> None:
    await add_students(db, structure["5А"], ["Анна Иванова", "=cmd()"], step="done")
    await db.execute("UPDATE students SET finished_at = ?", (utcnow(),))
    await add_students(db, structure["5Б"], ["Борис Петров"], first_id=5100, pending=True)
    await add_students(db, structure["9В"], ["Чужая Школа"], first_id=6000)
    admin = Person(harness, ADMIN_SCHOOL_1, "Олег")
    text = await ask_stats(admin)
    await admin.press("📥 Отчёт Excel")
    document = admin.last.document
    assert document is not None and admin.last.filename
    assert admin.last.filename.endswith(".xlsx") and "МБОУ СОШ № 1" in admin.last.text
    book = openpyxl.load_workbook(io.BytesIO(document))
    summary = {row[0]: row[1] for row in book["Итоги"].iter_rows(min_row=2, values_only=True)}
    assert summary["Выбрали класс"] == figure(text, "Учеников выбрали класс:") == 3
    assert summary["Прошли все шаги"] == figure(text, "Прошли все шаги памятки:") == 2
    assert summary["Заявки ждут"] == figure(text, "ждут решения —") == 1
    classes = list(book["Классы"].iter_rows(min_row=2, values_only=True))
    assert [(r[1], r[2]) for r in classes] == [("5А", 2), ("5Б", 1)]
    students = list(book["Ученики"].iter_rows(min_row=2, values_only=True))
    assert sorted(str(r[2]) for r in students) == ["=cmd()", "Анна Иванова", "Борис Петров"]
    assert all(isinstance(r[6], datetime) for r in students)  # "at the step since": a date
    assert "Итоги" in book.sheetnames and "Школы" not in book.sheetnames  # a school's report


async def test_a_forged_stats_button_shows_nothing(
    harness: Harness, staff: None, db: Database, structure: dict[str, int]
) -> None:
    await add_students(db, structure["5Б"], ["Секрет Ученик"])
    teacher = Person(harness, TEACHER_5A, "Марина")
    await teacher.send("/stats")
    for scope, target in [(ScopeKind.CLASS, structure["5Б"]), (ScopeKind.SCHOOL, SCHOOL_1),
                          (ScopeKind.ALL, 0), (ScopeKind.CLASS, 999_999)]:  # fmt: skip
        for action in StatsAction:
            before = len(teacher.messages)
            data = StatsCb(action=action, scope=scope, target=target).pack()
            await teacher.press_data(data)
            assert teacher.last_callback_answer is not None
            assert "не вашего класса" in str(teacher.last_callback_answer.text)
            assert teacher.sent_since(before) == []
    other_admin = Person(harness, ADMIN_SCHOOL_2, "Пётр")
    await other_admin.send("/stats")
    await other_admin.press_data(StatsCb(action=StatsAction.XLSX, scope=ScopeKind.SCHOOL,
                                         target=SCHOOL_1).pack())  # fmt: skip
    assert not any(m.document for m in other_admin.messages)


def clocked(harness: Harness, settings: Settings, at: datetime) -> Reminders:
    """The bot's reminders on a clock of the test's (quiet hours 21–9 Moscow)."""
    assert harness.database is not None
    reminders = Reminders(
        RemindersRepo(harness.database),
        harness.dp["delivery"],
        harness.dp["catalog"],
        ReminderPolicy(),
        zone=settings.zone,
        clock=lambda: at,
    )
    harness.dp["reminders"] = reminders
    return reminders


async def test_the_nudge_reaches_the_stuck_once_a_day_and_never_at_night(
    harness: Harness, staff: None, db: Database, structure: dict[str, int], settings: Settings
) -> None:
    stuck = await add_students(db, structure["5А"], ["Борис Петров", "Вера Сидорова"])
    await stuck_since(db, stuck, LONG_AGO)
    await db.execute("UPDATE users SET reminders_off = 1 WHERE id = ?", (stuck[1],))
    teacher = Person(harness, TEACHER_5A, "Марина")
    await teacher.send("/stats")
    night = datetime(2026, 12, 3, 20, 30, tzinfo=UTC)  # 23:30 in Moscow
    clocked(harness, settings, night)
    await teacher.press("🔔 Напомнить стоящим на шаге (2)")
    assert "тихие часы" in teacher.last_text
    assert await reminders_sent(db) == 0

    clocked(harness, settings, night + timedelta(hours=10))  # 09:30 the next morning
    await teacher.press("🔔 Напомнить стоящим на шаге (2)")
    assert "уходит 1 ученику" in teacher.last_text and "Не отправлено 1" in teacher.last_text
    student = Person(harness, stuck[0], "Борис")
    await harness.session.until(lambda: bool(student.messages))
    assert "Классный руководитель напоминает" in student.last_text
    assert "шаг 1: мессенджер" in student.last_text
    assert not Person(harness, stuck[1], "Вера").messages  # she switched reminders off

    clocked(harness, settings, night + timedelta(hours=20))  # the same day, later
    await teacher.press("🔔 Напомнить стоящим на шаге (2)")
    assert "уходит 0 ученикам" in teacher.last_text
    clocked(harness, settings, night + timedelta(hours=35))  # the next day
    await teacher.press("🔔 Напомнить стоящим на шаге (2)")
    assert "уходит 1 ученику" in teacher.last_text
    assert await reminders_sent(db) == 2


async def reminders_sent(db: Database) -> int:
    row = await db.fetchone("SELECT count(*) AS n FROM reminders WHERE kind = 'teacher'")
    return int(row["n"]) if row else 0
