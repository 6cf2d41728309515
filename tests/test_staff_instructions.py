"""The memo's instructions for the staff reach them, through the real dispatcher: instruction 1
(the class structure) to a school admin who joins and in the admins' /help, instruction 4 (the
class invite link, role «Ученик») on the variant-2 card and in the teachers' /help; the legal
basis in every staff /help; a student's /help stays the student's. Under the `max` profile no
VK fact and no page range appears."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from pathlib import Path

import pytest

from app.config import Settings
from bot.platform_profile import PROFILES, ProfileName
from bot.wizard import Step
from storage.db import Database
from storage.invites import InvitesRepo
from storage.roles import Role
from tests.support.content import vk_leaks
from tests.support.people import Harness, Person
from tests.support.staff import ADMIN_SCHOOL_1, SUPER_ADMIN, TEACHER_5A, appoint_staff
from tests.support.walk import VARIANT2, walk_to
from ui.callbacks import FaqCb, FaqTopic

PROFILE_NAMES: tuple[ProfileName, ...] = ("vk", "max")
PAGES = re.compile(r"стр\.|pp\.")
STAFF_HELP_MAX = 900

Start = Callable[[ProfileName], Awaitable[Harness]]


@pytest.fixture
async def start(db_path: Path) -> AsyncIterator[Start]:
    """A bot under the given platform profile, on the test database."""
    opened: list[Database] = []
    running: list[Harness] = []

    async def start(profile: ProfileName) -> Harness:
        settings = Settings(
            _env_file=None,
            bot_token="42:TEST",
            platform_profile=profile,
            database_path=db_path,
            admin_ids={SUPER_ADMIN},
        )
        database = await Database.open(db_path)
        opened.append(database)
        running.append(harness := await Harness.start(settings, database))
        return harness

    yield start
    for harness in running:
        await harness.stop()
    for database in opened:
        await database.close()


def href(url: str) -> str:
    return f'<a href="{url}">'


def assert_platform_neutral(text: str, profile: ProfileName) -> None:
    """Under `max`: nothing of VK and no page range (the profile defines none)."""
    if profile == "max":
        assert not vk_leaks(text), text
        assert "ВКонтакте" not in text and "vk.me" not in text, text
        assert not PAGES.search(text), text


def assert_structure(text: str, profile: ProfileName, locale: str = "ru") -> None:
    """Memo instruction 1 with its guide (and, under `vk`, its pages)."""
    guide = PROFILES[profile].admin_guide_structure
    assert href(guide.url) in text, text
    if locale == "ru":
        assert "Создание классов" in text and "структуру классов" in text, text
        assert "ЭПОС" in text and "классных руководителей" in text, text
        assert "вариант 1 не сработает ни у одного ученика школы" in text, text
        pages = ", стр. 32–33, 54"
    else:
        assert "Creating classes" in text and "class structure" in text, text
        assert "EPOS" in text and "option 1 fails for every student" in text, text
        pages = ", pp. 32–33, 54"
    if profile == "vk":
        assert pages in text, text
    assert_platform_neutral(text, profile)


def assert_invite_instruction(text: str, profile: ProfileName, locale: str = "ru") -> None:
    """Memo instruction 4: the class invite link with the role «Ученик», its pages under `vk`."""
    assert "«Ученик»" in text, text
    assert "/setlink" in text, text
    if profile == "vk":
        assert ("стр. 34–38" if locale == "ru" else "pp. 34–38") in text, text
    assert_platform_neutral(text, profile)


def assert_legal_basis(text: str, locale: str = "ru") -> None:
    assert "ИКОП «Сферум»" in text and "3¹" in text, text
    assert "13.06.2022 № 1241" in text or "No. 1241 of 13.06.2022" in text, text
    assert "22.09.2023 № 1545" in text or "No. 1545 of 22.09.2023" in text, text
    assert "/status" in text and "/start" in text, text


async def invite(db: Database, role: Role, class_id: int | None) -> str:
    token = await InvitesRepo(db).create(role, 1, class_id, SUPER_ADMIN, timedelta(days=1))
    return f"/start i_{token}"


@pytest.mark.parametrize("profile", PROFILE_NAMES)
async def test_a_school_admin_who_joins_is_told_to_create_the_classes(
    start: Start, db: Database, structure: dict[str, int], profile: ProfileName
) -> None:
    harness = await start(profile)
    admin = Person(harness, ADMIN_SCHOOL_1, "Олег")
    await admin.send(await invite(db, Role.SCHOOL_ADMIN, None))
    texts = [m.text for m in admin.messages]
    assert any("администратор школы «МБОУ СОШ № 1»" in t for t in texts), texts
    [told] = [t for t in texts if "Создание классов" in t]
    assert_structure(told, profile)
    for text in texts:
        assert_platform_neutral(text, profile)


async def test_a_teacher_who_joins_is_not_given_the_admins_instruction(
    start: Start, db: Database, structure: dict[str, int]
) -> None:
    harness = await start("vk")
    teacher = Person(harness, TEACHER_5A, "Марина")
    await teacher.send(await invite(db, Role.TEACHER, structure["5А"]))
    assert not any("Создание классов" in m.text for m in teacher.messages)
    assert "/help" in teacher.last_text


@pytest.mark.parametrize("profile", PROFILE_NAMES)
async def test_the_variant2_card_says_how_to_make_the_class_link(
    start: Start, db: Database, structure: dict[str, int], profile: ProfileName
) -> None:
    await appoint_staff(db, structure)
    harness = await start(profile)
    student = Person(harness, 1001, "Аня")
    await walk_to(student, Step.VARIANT)
    await student.press(VARIANT2)
    teacher = Person(harness, TEACHER_5A)
    [card] = [m.text for m in teacher.messages if "Просьба о ссылке-приглашении" in m.text]
    assert "Создайте в Сферуме ссылку-приглашение в класс с ролью «Ученик»" in card
    assert href(PROFILES[profile].admin_guide_invite.url) in card
    assert_invite_instruction(card, profile)
    if profile == "vk":
        assert "</a>, стр. 34–38)" in card


@pytest.mark.parametrize("profile", PROFILE_NAMES)
@pytest.mark.parametrize("locale", ["ru", "en"])
async def test_the_staff_help_gives_each_role_its_instructions(
    start: Start, db: Database, structure: dict[str, int], profile: ProfileName, locale: str
) -> None:
    await appoint_staff(db, structure)
    harness = await start(profile)
    teacher = Person(harness, TEACHER_5A, language=locale)
    admin = Person(harness, ADMIN_SCHOOL_1, language=locale)
    municipal = Person(harness, SUPER_ADMIN, language=locale)
    for person in (teacher, admin, municipal):
        await person.send("/help")
        text = person.last_text
        assert len(text) <= STAFF_HELP_MAX, (len(text), text)
        assert_legal_basis(text, locale)
        assert_platform_neutral(text, profile)
        assert person.last.keyboard is None  # not the student's questions
    structure_title = "Создание классов" if locale == "ru" else "Creating classes"

    assert "/requests" in teacher.last_text and "/setlink" in teacher.last_text
    assert_invite_instruction(teacher.last_text, profile, locale)
    assert href(PROFILES[profile].admin_guide_invite.url) in teacher.last_text
    assert structure_title not in teacher.last_text

    assert "/invite_teacher" in admin.last_text and "/classes" in admin.last_text
    assert_structure(admin.last_text, profile, locale)
    assert_invite_instruction(admin.last_text, profile, locale)

    assert "/newschool" in municipal.last_text and "/invite_admin" in municipal.last_text
    assert_structure(municipal.last_text, profile, locale)
    assert "«Ученик»" not in municipal.last_text


@pytest.mark.parametrize("profile", PROFILE_NAMES)
async def test_a_student_still_gets_the_student_help(
    start: Start, db: Database, structure: dict[str, int], profile: ProfileName
) -> None:
    await appoint_staff(db, structure)
    harness = await start(profile)
    student = Person(harness, 1001, "Аня")
    await student.send("/help")
    text = student.last_text
    assert "Создание классов" not in text and "«Ученик»" not in text and "№ 1241" not in text
    keyboard = student.last.keyboard
    assert keyboard is not None
    data = [b.callback_data for row in keyboard.inline_keyboard for b in row]
    assert FaqCb(topic=FaqTopic.COMMANDS).pack() in data  # the student's common questions
    assert_platform_neutral(text, profile)
