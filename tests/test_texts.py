"""The catalogues: complete in both languages, every key the code uses exists, nothing breaks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fluent.syntax import parse
from fluent.syntax.ast import Junk, Message

from app.config import Settings
from app.factory import profile_args
from bot.i18n import LOCALES, LOCALES_DIR, Catalog
from bot.wizard import Device, NameProblem, Step

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [p for package in ("app", "bot", "ui", "handlers") for p in ROOT.glob(f"{package}/*.py")]


def messages(locale: str) -> dict[str, Message]:
    found: dict[str, Message] = {}
    for path in sorted((LOCALES_DIR / locale).glob("*.ftl")):
        resource = parse(path.read_text(encoding="utf-8"))
        junk = [entry for entry in resource.body if isinstance(entry, Junk)]
        assert not junk, f"{path}: syntax error near {str(junk[0].content)[:80]!r}"
        found.update({e.id.name: e for e in resource.body if isinstance(e, Message)})
    return found


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    settings = Settings(_env_file=None, bot_token="42:TEST")
    return Catalog("ru", profile_args(settings))


def test_every_message_exists_in_every_language() -> None:
    ru, en = messages("ru"), messages("en")
    assert set(ru) == set(en), f"missing in en: {set(ru) - set(en)}; in ru: {set(en) - set(ru)}"


def test_no_message_is_empty() -> None:
    for locale in LOCALES:
        for key, message in messages(locale).items():
            assert message.value is not None, f"{locale}/{key} is empty"


def keys_used_in_code() -> set[str]:
    """Literal keys in t("..."), notices ("key", {...}) and the f-string families."""
    keys: set[str] = set()
    families = {
        "step-{step.value}": [f"step-{s.value}" for s in Step if s not in _DYNAMIC_STEPS],
        "help-{step.value}": [f"help-{s.value}" for s in Step],
        "help-{progress.step.value}": [f"help-{s.value}" for s in Step],
        "step-name-{progress.step.value}": [f"step-name-{s.value}" for s in Step],
        "step-name-{p.step.value}": [f"step-name-{s.value}" for s in Step],
        "name-error-{name.value}": [f"name-error-{p.value}" for p in NameProblem],
        "cmd-{c}": [f"cmd-{c}" for c in ("start", "status", "help", "epos", "restart")],
        "lang-name-{code}": [f"lang-name-{code}" for code in LOCALES],
        "invite-{redemption.result.value}": ["invite-unknown", "invite-used", "invite-expired"],
        "invite-{redemption.role.value": ["invite-school_admin", "invite-teacher"],
        "admin-invite-{callback_data.role.value}": [
            "admin-invite-school_admin",
            "admin-invite-teacher",
        ],
        "btn-reason-{reason.value}": [
            "btn-reason-not-found",
            "btn-reason-not-my-class",
            "btn-reason-other",
        ],
    }
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        keys |= set(re.findall(r"""\b(?:t|say)\(\s*["']([a-z0-9]+(?:-[a-z0-9]+)+)["']""", text))
        keys |= set(re.findall(r"""_close_prompt\([^)]*["']([a-z0-9]+(?:-[a-z0-9]+)+)["']""", text))
        keys |= set(re.findall(r"""\(\s*["']([a-z][a-z0-9]*(?:-[a-z0-9]+)+)["']\s*,\s*\{""", text))
        keys |= set(re.findall(r"""return ["']((?:hint|help)-[a-z0-9-]+)["']""", text))
        for pattern, expanded in families.items():
            if pattern in text:
                keys |= set(expanded)
    return keys


# Steps whose screen is chosen among several keys (step-school-found, step-variant2-link...).
_DYNAMIC_STEPS = {Step.SCHOOL, Step.CLASS, Step.VARIANT2, Step.CHAT}


def test_every_key_the_code_uses_exists() -> None:
    used = keys_used_in_code()
    assert len(used) > 60, "the scan found the keys"
    missing = used - set(messages("ru"))
    assert not missing, f"used in code but not in locales: {sorted(missing)}"


SAMPLE_ARGS = {
    "name": "Анна Иванова",
    "school": "МБОУ СОШ № 1",
    "class": "5А",
    "query": "лицей",
    "page": 1,
    "pages": 3,
    "link": "https://sferum.ru/?invite=x",
    "step": "шаг 1",
    "status": "pending",
    "branch": "variant1",
    "device": "computer",
    "variant": 1,
    "who": "Мария Петровна",
    "time": "2026-09-01 09:00 UTC",
    "reason": "not-found",
    "place": "5А, МБОУ СОШ № 1",
    "days": 7,
}


@pytest.mark.parametrize("locale", LOCALES)
def test_every_message_formats_without_errors(catalog: Catalog, locale: str) -> None:
    for key in messages(locale):
        text = catalog.format(locale, key, SAMPLE_ARGS)
        assert text.strip(), key
        assert "{" not in text, f"{locale}/{key} left a placeholder: {text[:80]}"


@pytest.mark.parametrize("locale", LOCALES)
def test_device_wording_differs(catalog: Catalog, locale: str) -> None:
    for key in ("step-install", "step-profile", "help-install", "help-profile"):
        phone = catalog.format(locale, key, {"device": Device.PHONE.value})
        computer = catalog.format(locale, key, {"device": Device.COMPUTER.value})
        assert phone != computer, key


def test_arguments_are_html_escaped(catalog: Catalog) -> None:
    text = catalog.format("ru", "name-saved", {"name": "<script>alert(1)</script> & Co"})
    assert "<script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in text


def test_profile_settings_reach_the_texts() -> None:
    settings = Settings(
        _env_file=None,
        bot_token="42:TEST",
        messenger_name="MAX",
        messenger_web_url="https://web.max.ru",
        ejournal_name="Дневник.ру",
        ejournal_url="https://dnevnik.ru",
    )
    t = Catalog("ru", profile_args(settings)).bind("ru")
    install = t("step-install", device="computer")
    assert "MAX" in install and "https://web.max.ru" in install
    epos = t("step-epos")
    assert "Дневник.ру" in epos and 'href="https://dnevnik.ru"' in epos
    default = Catalog("ru", profile_args(Settings(_env_file=None, bot_token="1:x"))).bind("ru")
    assert "href" not in default("step-epos").split("\n")[2]  # no e-journal address by default
