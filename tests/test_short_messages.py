"""Short, calm screens: one live keyboard, consent as its own press, QR wording by device."""

from __future__ import annotations

from aiogram.fsm.storage.base import StorageKey

from bot.wizard import Step
from storage.db import Database
from tests.support.inspect import wizard_step
from tests.support.people import Harness, Person
from tests.support.walk import AGREE, COMPUTER, DETAILS, DONE, NO, PHONE, VARIANT2, walk_to


async def test_only_the_current_step_keeps_its_buttons(
    student: Person, structure: dict[str, int]
) -> None:
    await walk_to(student, Step.VARIANT1)
    await student.send("стикер?")  # a hint shows the step again: the earlier copy goes quiet
    with_buttons = [m for m in student.messages if m.keyboard and m.keyboard.inline_keyboard]
    assert with_buttons == [student.last]


async def test_reading_the_notice_is_not_consenting(
    student: Person, structure: dict[str, int], db: Database
) -> None:
    await student.send("/start")
    await student.press(DETAILS)
    row = await db.fetchone("SELECT consent_at FROM users WHERE id = ?", (student.user.id,))
    assert row is not None and row["consent_at"] is None
    assert await wizard_step(db, student.user.id) == "welcome"
    await student.press(AGREE)
    row = await db.fetchone("SELECT consent_at FROM users WHERE id = ?", (student.user.id,))
    assert row is not None and row["consent_at"] is not None


async def _class_link_screen(student: Person, db: Database, class_id: int, device: str) -> str:
    link = "https://sferum.ru/?p=messages&join=abc"
    await db.execute("UPDATE classes SET invite_link = ? WHERE id = ?", (link, class_id))
    await walk_to(student, Step.DEVICE)
    for press in (device, DONE, NO, VARIANT2):
        await student.press(press)
    return student.last_text


async def test_on_a_phone_the_link_is_the_action_and_the_qr_is_for_a_classmate(
    student: Person, structure: dict[str, int], db: Database
) -> None:
    text = await _class_link_screen(student, db, structure["5А"], PHONE)
    assert "Нажмите на неё на этом телефоне" in text and "показать однокласснику" in text
    assert "Отсканируйте" not in text


async def test_on_a_computer_the_phone_scans_the_qr(
    student: Person, structure: dict[str, int], db: Database
) -> None:
    text = await _class_link_screen(student, db, structure["5А"], COMPUTER)
    assert "Отсканируйте QR-код выше камерой телефона" in text


async def test_the_wizard_keeps_a_side_conversations_data(
    harness: Harness, student: Person, structure: dict[str, int], db: Database
) -> None:
    await walk_to(student, Step.DEVICE)
    key = StorageKey(bot_id=harness.bot.id, chat_id=student.user.id, user_id=student.user.id)
    storage = harness.dp.storage
    await storage.update_data(key, {"admin_new_class": "7В"})  # an admin's pending /newclass
    await student.press(PHONE)  # the wizard moves on and saves its own keys
    data = await storage.get_data(key)
    assert data["admin_new_class"] == "7В" and data["device"] == "phone"
    assert await wizard_step(db, student.user.id) == "profile"
