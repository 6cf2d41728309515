"""PLATFORM_PROFILE: a region on VK Messenger or on MAX gets the facts of its own messenger."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.config import Settings
from app.factory import profile_args
from bot.i18n import Catalog
from bot.wizard import Step
from storage.db import Database
from tests.support.people import Person
from tests.support.staff import SUPER_ADMIN
from tests.support.walk import COMPUTER, PHONE, walk_to
from tests.test_settings import run_bot

VK_FACTS = re.compile(r"\bVK\b|ВКонтакте|VKontakte|vk\.me|vk\.com")


def catalog(**overrides: str) -> Catalog:
    settings = Settings.model_validate({"bot_token": "1:x", **overrides})
    return Catalog("ru", profile_args(settings))


def test_the_default_profile_is_the_memo_as_written() -> None:
    t = catalog().bind("ru")
    profile = t("step-profile", device="phone")
    assert "«Добавить учебный аккаунт»" in profile and "<b>VK ID</b>" in profile
    assert "ВКонтакте <b>не нужно</b>" in profile
    assert "«Войти в Сферум»" in t("step-profile", device="computer")
    assert "https://web.vk.me" in t("step-device") and "VK Мессенджер" in t("step-device")
    assert "«Привязать учебный профиль VK ID»" in t("step-epos")
    assert "(стр. 4–9)" in t("help-device") and "(стр. 10–13)" in t("help-device")


def test_max_names_its_own_messenger_and_invents_no_button() -> None:
    t = catalog(platform_profile="max").bind("ru")
    device, epos = t("step-device"), t("step-epos")
    assert "MAX" in device and "https://web.max.ru" in device
    phone = t("step-profile", device="phone")
    assert "кнопку создания учебного профиля" in phone and "номер телефона" in phone
    assert "кнопку привязки учебного профиля" in epos
    for text in (device, phone, t("step-profile", device="computer"), epos, t("help-device")):
        assert not VK_FACTS.search(text), text
        assert "стр." not in text  # no page range of a guide the profile does not define


def test_english_texts_name_the_messenger_and_the_e_journal_in_latin_letters() -> None:
    t = catalog().bind("en")
    assert "VK Messenger" in t("step-device") and "Мессенджер" not in t("step-device")
    assert "EPOS" in t("step-epos") and "ЭПОС" not in t("step-epos")
    named = catalog(ejournal_name="Дневник.ру", ejournal_name_en="Dnevnik.ru").bind("en")
    assert "Dnevnik.ru" in named("step-epos")


def test_single_settings_override_a_profile_and_drop_pages_of_another_guide() -> None:
    t = catalog(
        platform_profile="max",
        messenger_name="МАКС",
        student_guide_url="https://example.org/guide.pdf",
    ).bind("ru")
    assert "МАКС" in t("step-device")
    vk = catalog(student_guide_url="https://example.org/guide.pdf").bind("ru")
    help_device = vk("help-device")
    assert 'href="https://example.org/guide.pdf"' in help_device
    assert "стр." not in help_device  # the memo's page numbers belong to the memo's PDF
    same = catalog(
        student_guide_url="https://sferum.ru/static/instructions/other/Instrukciya_dlya_uchenika.pdf"
    ).bind("ru")
    assert "(стр. 4–9)" in same("help-device")


def test_an_unknown_profile_stops_start_up_with_one_line(tmp_path: Path) -> None:
    result = run_bot(tmp_path, BOT_TOKEN="1:x", PLATFORM_PROFILE="telegram")
    assert result.returncode == 2
    assert "Setting PLATFORM_PROFILE " in result.stderr and "Traceback" not in result.stderr


@pytest.fixture
def settings(db_path: Path) -> Settings:
    return Settings(
        _env_file=None,
        bot_token="42:TEST",
        database_path=db_path,
        admin_ids={SUPER_ADMIN},
        platform_profile="max",
    )


@pytest.mark.parametrize("device", [PHONE, COMPUTER])
async def test_a_max_student_walks_the_memo_without_a_vk_word(
    student: Person, structure: dict[str, int], db: Database, device: str
) -> None:
    await walk_to(student, Step.DEVICE)
    await student.press(device)
    await student.send("/help")
    texts = [message.text for message in student.messages]
    assert any("MAX" in text for text in texts)
    for text in texts:
        assert not VK_FACTS.search(text), text
