"""The memo's content as the students really get it: every student path walked through aiogram's
real dispatcher, in both languages and under both platform profiles, and every text the bot sends
or edits checked: short enough for a phone, no VK fact under MAX, no unfilled placeholder, page
ranges only next to their own guide, and every memo item (tests/memo_items.py) somewhere."""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import product
from pathlib import Path
from typing import Any

import pytest
from aiogram.fsm.storage.base import StorageKey
from fluent.syntax import ast as fl
from fluent.syntax import parse

from app.config import Settings
from app.factory import profile_args
from bot.i18n import LOCALES, LOCALES_DIR, Catalog, Locale, Text
from bot.platform_profile import PROFILES, PlatformProfile, ProfileName
from storage.db import Database
from storage.roles import Role, grant
from storage.schools import ensure_class, ensure_school
from tests.memo_items import ITEMS, Carrier, MemoItem, NotApplicable
from tests.support.content import (
    MAX_LENGTH,
    Shown,
    placeholders,
    shown,
    stray_pages,
    vk_leaks,
)
from tests.support.people import Harness, Person
from tests.support.staff import ADMIN_SCHOOL_1, SUPER_ADMIN, TEACHER_5A, TEACHER_5B
from tests.test_texts import SAMPLE_ARGS
from ui.states import Wizard

PROFILE_NAMES: tuple[ProfileName, ...] = ("vk", "max")
CASES = [
    pytest.param(loc, prof, id=f"{loc}-{prof}") for loc, prof in product(LOCALES, PROFILE_NAMES)
]

SCHOOL = "МБОУ СОШ № 1"
NAME = "Анна Иванова"
INVITE_A = "https://sferum.ru/?invite=class5a"
INVITE_B = "https://sferum.ru/?invite=class5b"
CHAT_LINKS: dict[ProfileName, tuple[str, str]] = {
    "vk": ("https://web.vk.me/join/chat_5a", "https://web.vk.me/join/chat_5b"),
    "max": ("https://max.ru/join/chat_5a", "https://max.ru/join/chat_5b"),
}
STUDENTS = range(1001, 1020)
STAFF = (TEACHER_5A, TEACHER_5B, ADMIN_SCHOOL_1, SUPER_ADMIN)


def make_settings(profile: ProfileName, database_path: Path) -> Settings:
    return Settings(
        _env_file=None,
        bot_token="42:TEST",
        platform_profile=profile,
        database_path=database_path,
        admin_ids={SUPER_ADMIN},
    )


async def open_harness(settings: Settings, locale: Locale) -> tuple[Harness, Database]:
    """A bot on a fresh database with two schools: 5А and 5Б in the first, each with a teacher
    (staff speaking `locale`), and an admin for the first school."""
    database = await Database.open(settings.database_path)

    def create(conn: sqlite3.Connection) -> None:
        first, _ = ensure_school(conn, SCHOOL)
        second, _ = ensure_school(conn, "Гимназия № 3")
        class_5a, _ = ensure_class(conn, first, "5А")
        class_5b, _ = ensure_class(conn, first, "5Б")
        ensure_class(conn, second, "9В")
        grant(conn, TEACHER_5A, Role.TEACHER, first, class_5a)
        grant(conn, TEACHER_5B, Role.TEACHER, first, class_5b)
        grant(conn, ADMIN_SCHOOL_1, Role.SCHOOL_ADMIN, first, None)
        conn.execute(
            "UPDATE users SET locale = ? WHERE id IN (?, ?, ?)",
            (locale, TEACHER_5A, TEACHER_5B, ADMIN_SCHOOL_1),
        )

    await database.run(create)
    return await Harness.start(settings, database), database


class Actor:
    """A person pressing buttons by their catalogue key, in the language they read."""

    def __init__(self, harness: Harness, user_id: int, locale: Locale, name: str = "Аня") -> None:
        self.person = Person(harness, user_id, name, language=locale)
        catalog: Catalog = harness.dp["catalog"]
        self.t: Text = catalog.bind(locale)

    async def press(self, key: str) -> None:
        await self.person.press(self.t(key))

    async def press_label(self, label: str) -> None:
        await self.person.press(label)

    async def send(self, text: str) -> None:
        await self.person.send(text)

    async def help(self) -> None:
        """«Не получается ❓» and back to the step."""
        await self.press("btn-trouble")
        await self.press("btn-back-to-step")


async def to_fork(
    pupil: Actor, *, consent: bool, device: str, klass: str = "5А", detours: bool = False
) -> None:
    """From /start to the Госуслуги question; with detours, every help page on the way."""
    await pupil.send("/start")
    if detours:
        await pupil.press("btn-consent-details")  # the full personal-data notice, in place
        await pupil.press("btn-back-to-step")
    if consent:
        await pupil.press("btn-agree")
        if detours:
            await pupil.help()
        await pupil.press_label(SCHOOL)
        if detours:
            await pupil.help()
        await pupil.press_label(klass)
        if detours:
            await pupil.help()
        await pupil.send(NAME)
    else:
        await pupil.press("btn-decline")
    if detours:
        await pupil.help()
    device_key = "btn-installed-phone" if device == "phone" else "btn-opened-computer"
    await pupil.press(device_key)
    if detours:
        await pupil.help()
        await pupil.send("/help")
        await pupil.press("btn-back")  # back to the device, and forward again
        await pupil.press(device_key)
    await pupil.press("btn-done")


async def decide(teacher: Actor, key: str, reason: str | None = None, text: str = "") -> None:
    """The teacher presses ✅ or ❌ (with a reason) on the newest card."""
    await teacher.press(key)
    if reason:
        await teacher.press(reason)
    if text:
        await teacher.send(text)


async def walk_everything(harness: Harness, locale: Locale, profile: ProfileName) -> None:
    t5a, t5b = Actor(harness, TEACHER_5A, locale, "Мария"), Actor(harness, TEACHER_5B, locale)
    admin = Actor(harness, ADMIN_SCHOOL_1, locale, "Ольга")
    chat_a, chat_b = CHAT_LINKS[profile]
    pupils = iter(STUDENTS)

    def pupil() -> Actor:
        return Actor(harness, next(pupils), locale)

    # 5Б has both links before anyone comes: the wizard gives them itself.
    await t5b.send(f"/setlink {INVITE_B}")
    await t5b.send(f"/setchat {chat_b}")

    # Own Госуслуги: EPOS, with every detour, then every command.
    a = pupil()
    await a.send("/help")  # before /start: the help outside the wizard
    await to_fork(a, consent=True, device="phone", detours=True)
    await a.press("btn-what")
    await a.press("btn-yes")
    await a.help()
    await a.press("btn-back")
    await a.press("btn-yes")
    await a.send("/epos")
    await a.press("btn-done")
    await a.send("/help")
    for topic in ("gosuslugi", "parent", "account", "school", "data", "contact", "parents"):
        await a.press(f"btn-faq-{topic}")
    await a.press("btn-faq-commands")
    for command in ("/status", "/epos", "/cancel", "/restart", "/status"):
        await a.send(command)
    await a.send("/forget")
    await a.press("btn-forget-no")
    await a.send("/forget")
    await a.press("btn-forget-yes")
    for command in ("/status", "/cancel", "/start"):
        await a.send(command)

    # Variant 1, computer: the teacher approves.
    b = pupil()
    await to_fork(b, consent=True, device="computer", detours=True)
    await b.press("btn-no")
    await b.help()
    await b.press("btn-back")
    await b.press("btn-no")
    await b.press("btn-variant1")
    await b.help()
    await b.send("/help")
    await b.press("btn-sent")
    await b.send("/status")
    await decide(t5a, "btn-approve")
    await b.send("/status")
    await b.send("/start")  # the final screen, now with the result that came true

    # Variant 1, phone: rejected, sent again, rejected again for another reason.
    c = pupil()
    await to_fork(c, consent=True, device="phone")
    await c.press("btn-no")
    await c.press("btn-variant1")
    await c.press("btn-sent")
    await decide(t5a, "btn-reject", "btn-reason-not-found")
    await c.send("/status")
    await c.send("/start")
    await c.press("btn-retry-request")
    await c.press("btn-variant1")
    await c.press("btn-sent")
    await decide(t5a, "btn-reject", "btn-reason-not-my-class")

    # Variant 1 without consent: no request goes out.
    d = pupil()
    await to_fork(d, consent=False, device="phone", detours=True)
    await d.press("btn-no")
    await d.press("btn-variant1")
    await d.press("btn-sent")
    await d.send("/status")

    # Variant 2 in 5А, no link stored: the request reaches the teacher, who says it was given.
    e = pupil()
    await to_fork(e, consent=True, device="computer")
    await e.press("btn-no")
    await e.press("btn-variant2")
    await e.help()
    await e.send("/status")
    await decide(t5a, "btn-approve")
    await e.press("btn-joined")
    await e.help()
    await e.press("btn-back")
    await e.press("btn-joined")

    # Variant 2 in 5А: the teacher saves the link while the student waits (QR comes to them).
    h = pupil()
    await to_fork(h, consent=True, device="phone")
    await h.press("btn-no")
    await h.press("btn-variant2")
    await t5a.send(f"/setlink {INVITE_A}")
    await h.press("btn-joined")
    await h.send("/help")
    # The chat link reaches those already in the class; then they are in the chat.
    await t5a.send(f"/setchat {chat_a}")
    await e.press("btn-joined-chat")
    await h.press("btn-joined-chat")
    await e.send("/status")
    await b.send("/start")  # approved before the chat link existed: now it is there

    # Variant 2 in 5Б, both links stored: the wizard shows them with QR codes.
    f = pupil()
    await to_fork(f, consent=True, device="phone", klass="5Б")
    await f.press("btn-no")
    await f.press("btn-variant2")
    await f.help()
    await f.press("btn-joined")
    await f.help()
    await f.press("btn-joined-chat")

    # Variant 2 without consent and without a class: ask the teacher, no chat link.
    g = pupil()
    await to_fork(g, consent=False, device="computer")
    await g.press("btn-no")
    await g.press("btn-variant2")
    await g.press("btn-joined")
    await g.press("btn-joined-chat")
    await g.send("/help")

    # Variant 1 in 5Б rejected with a reason the teacher types.
    k = pupil()
    await to_fork(k, consent=True, device="computer", klass="5Б")
    await k.press("btn-no")
    await k.press("btn-variant1")
    await k.press("btn-sent")
    await decide(t5b, "btn-reject", "btn-reason-other", "Такого ученика нет в списке")

    # The other language, from the middle of the walk.
    other = next(code for code in LOCALES if code != locale)
    lang = pupil()
    await to_fork(lang, consent=False, device="phone")
    await lang.send("/lang")
    await lang.press(f"lang-name-{other}")

    # The staff side this walk brings about.
    for command in ("/help", "/whoami", "/requests", "/class", "/setlink", "/setchat", "/qr"):
        await t5a.send(command)
    for command in ("/help", "/whoami"):
        await admin.send(command)


class _Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass
class Walk:
    locale: Locale
    profile: ProfileName
    texts: list[Shown]
    errors: list[str] = field(default_factory=list)

    @property
    def platform(self) -> PlatformProfile:
        return PROFILES[self.profile]

    @property
    def student(self) -> list[Shown]:
        return [s for s in self.texts if s.chat_id in STUDENTS]

    @property
    def staff(self) -> list[Shown]:
        return [s for s in self.texts if s.chat_id in STAFF]


async def _walk(locale: Locale, profile: ProfileName, directory: Path) -> Walk:
    settings = make_settings(profile, directory / "bot.sqlite3")
    harness, database = await open_harness(settings, locale)
    errors = _Errors()
    logging.getLogger().addHandler(errors)
    try:
        await walk_everything(harness, locale, profile)
    finally:
        logging.getLogger().removeHandler(errors)
        await harness.stop()
        await database.close()
    walk = Walk(locale, profile, list(shown(harness.session)))
    walk.errors = [f"{r.name}: {r.getMessage()}" for r in errors.records]
    return walk


@pytest.fixture(scope="module")
def walks(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Locale, ProfileName], Walk]:
    """Each walk once per module: the checks below read the same recording."""
    done: dict[tuple[Locale, ProfileName], Walk] = {}

    def get(locale: Locale, profile: ProfileName) -> Walk:
        if (locale, profile) not in done:
            directory = tmp_path_factory.mktemp(f"walk-{locale}-{profile}")
            done[(locale, profile)] = asyncio.run(_walk(locale, profile, directory))
        return done[(locale, profile)]

    return get


def _report(problems: list[str]) -> str:
    return f"{len(problems)} problem(s):\n" + "\n".join(problems)


# --- the walk itself ---------------------------------------------------------------------------


# Screens and pages the walk must have shown (texts without personal arguments).
_EXPECTED_SCREENS: list[tuple[str, dict[str, Any]]] = [
    *[(key, {}) for key in ("step-device", "step-fork", "fork-what", "step-variant")],
    *[(key, {}) for key in ("step-variant1", "step-variant2-ask", "step-chat-teacher")],
    *[
        (f"step-{step}", {"device": d})
        for step in ("profile", "epos")
        for d in ("phone", "computer")
    ][:3],
    *[(f"help-{step}", {}) for step in ("school", "class", "name", "variant", "variant1")],
    *[(f"help-{step}", {}) for step in ("epos", "variant2", "chat", "done", "outside")],
    *[
        (f"help-{step}", {"device": d})
        for step in ("device", "profile")
        for d in ("phone", "computer")
    ],
    *[(f"faq-{topic}", {}) for topic in ("gosuslugi", "parent", "account", "school", "data")],
    *[(key, {}) for key in ("faq-contact", "faq-parents", "help-general", "help-faq-hint")],
    *[(key, {}) for key in ("forget-confirm", "forget-done", "forget-kept", "cancel-done")],
    *[(key, {}) for key in ("cancel-nothing", "status-none", "restart-done", "epos-info")],
    *[(key, {}) for key in ("consent-declined", "request-not-sent", "done-result-variant2")],
    *[(key, {}) for key in ("done-result-epos", "done-result-pending", "done-result-rejected")],
    ("done-result", {"chat": "none", "link": ""}),
]


@pytest.mark.parametrize(("locale", "profile"), CASES)
def test_the_walk_reaches_every_screen(
    walks: Callable[[Locale, ProfileName], Walk], locale: Locale, profile: ProfileName
) -> None:
    walk = walks(locale, profile)
    catalog = Catalog("ru", profile_args(make_settings(profile, Path("unused"))))
    t = catalog.bind(locale)
    missing = [
        f"{key} {args}"
        for key, args in _EXPECTED_SCREENS
        if not any(t(key, **args) in s.text for s in walk.student)
    ]
    other = next(code for code in LOCALES if code != locale)
    if not any(catalog.format(other, "lang-set") in s.text for s in walk.student):
        missing.append(f"lang-set in {other}")
    assert not missing, f"the walk never showed: {missing}"
    photos = [s for s in walk.student if s.method == "SendPhoto"]
    assert len(photos) >= 4, "QR codes of both links, sent by the wizard and by the teachers"
    assert walk.staff, "the staff were asked"


@pytest.mark.parametrize(("locale", "profile"), CASES)
def test_no_student_message_is_too_long(
    walks: Callable[[Locale, ProfileName], Walk], locale: Locale, profile: ProfileName
) -> None:
    too_long = sorted({str(s) for s in walks(locale, profile).student if len(s.text) > MAX_LENGTH})
    assert not too_long, _report(too_long)


@pytest.mark.parametrize("locale", LOCALES)
def test_no_vk_fact_under_max(walks: Callable[[Locale, ProfileName], Walk], locale: Locale) -> None:
    leaks = sorted(
        {f"{vk_leaks(s.text)} in {s}" for s in walks(locale, "max").texts if vk_leaks(s.text)}
    )
    assert not leaks, _report(leaks)


@pytest.mark.parametrize(("locale", "profile"), CASES)
def test_no_unfilled_placeholder_nor_fluent_error(
    walks: Callable[[Locale, ProfileName], Walk], locale: Locale, profile: ProfileName
) -> None:
    walk = walks(locale, profile)
    unfilled = sorted(
        {f"{placeholders(s.text)} in {s}" for s in walk.texts if placeholders(s.text)}
    )
    assert not unfilled + walk.errors, _report(unfilled + sorted(set(walk.errors)))


@pytest.mark.parametrize(("locale", "profile"), CASES)
def test_page_ranges_only_next_to_their_guide(
    walks: Callable[[Locale, ProfileName], Walk], locale: Locale, profile: ProfileName
) -> None:
    walk = walks(locale, profile)
    stray = sorted(
        {
            f"{stray_pages(s.text, walk.platform)} in {s}"
            for s in walk.texts
            if stray_pages(s.text, walk.platform)
        }
    )
    assert not stray, _report(stray)


def _missing(carrier: Carrier, item: MemoItem, walk: Walk, texts: list[Shown]) -> list[str]:
    proof = carrier.proof(walk.locale, walk.profile)
    if isinstance(proof, NotApplicable):
        return []
    return [
        f"{item.id} ({item.summary}): no message matches {pattern!r}; keys {carrier.keys}"
        for pattern in proof
        if not any(re.search(pattern, s.text, re.DOTALL) for s in texts)
    ]


@pytest.mark.parametrize(("locale", "profile"), CASES)
def test_every_student_item_of_the_memo_is_shown(
    walks: Callable[[Locale, ProfileName], Walk], locale: Locale, profile: ProfileName
) -> None:
    walk = walks(locale, profile)
    missing = [
        problem
        for item in ITEMS
        if item.student
        for problem in _missing(item.student, item, walk, walk.student)
    ]
    assert not missing, _report(missing)


# Staff items the walk brings about: the request cards, /class, the chat-link reply, the staff's
# /help (instructions 1 and 4, the legal basis) and the student's /help page for parents.
_WALKED_STAFF_ITEMS = ("3.1z", "3.2a", "3.2c", "R3b", "V1'", "I1", "I4")


@pytest.mark.parametrize(("locale", "profile"), CASES)
def test_the_staff_items_reach_the_staff(
    walks: Callable[[Locale, ProfileName], Walk], locale: Locale, profile: ProfileName
) -> None:
    walk = walks(locale, profile)
    missing = [
        problem
        for item in ITEMS
        if item.staff and item.id in _WALKED_STAFF_ITEMS
        for problem in _missing(item.staff, item, walk, walk.texts)
    ]
    assert not missing, _report(missing)


# --- students stored at the steps of older versions ----------------------------------------


@pytest.mark.parametrize(("locale", "profile"), CASES)
async def test_students_at_legacy_steps_go_on(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, locale: Locale, profile: ProfileName
) -> None:
    caplog.set_level(logging.ERROR)
    settings = make_settings(profile, tmp_path / "bot.sqlite3")
    harness, database = await open_harness(settings, locale)
    try:
        storage = harness.dp.storage
        # Asked for consent on its own screen (before the greeting asked it itself).
        consent = Actor(harness, 1001, locale)
        key = StorageKey(bot_id=harness.bot.id, chat_id=1001, user_id=1001)
        await storage.set_state(key, Wizard.consent)
        await consent.send("/start")
        notice_head = consent.t("step-consent", until="").split("\n")[0]
        assert notice_head in consent.person.last_text
        assert consent.person.buttons() == [consent.t("btn-agree"), consent.t("btn-decline")]
        await consent.press("btn-agree")
        assert SCHOOL in consent.person.buttons()
        await consent.press_label(SCHOOL)
        await consent.press_label("5А")
        await consent.send(NAME)
        assert consent.t("btn-installed-phone") in consent.person.buttons()

        # Memo step 1 for one device, chosen before step 1 named both.
        for user_id, device in ((1002, "phone"), (1003, "computer")):
            pupil = Actor(harness, user_id, locale)
            key = StorageKey(bot_id=harness.bot.id, chat_id=user_id, user_id=user_id)
            await storage.set_state(key, Wizard.install)
            await storage.set_data(key, {"device": device})
            await pupil.send("/start")
            assert pupil.t("step-install", device=device) in pupil.person.last_text
            await pupil.press("btn-trouble")
            assert pupil.t("help-install", device=device) in pupil.person.last_text
            await pupil.press("btn-back-to-step")
            await pupil.press("btn-done")
            assert pupil.t("step-profile", device=device) in pupil.person.last_text
            await pupil.press("btn-done")
            assert pupil.t("step-fork") in pupil.person.last_text
    finally:
        await harness.stop()
        await database.close()
    texts = [s for s in shown(harness.session) if s.chat_id in STUDENTS]
    problems = [f"too long: {s}" for s in texts if len(s.text) > MAX_LENGTH]
    if profile == "max":
        problems += [f"{vk_leaks(s.text)} in {s}" for s in texts if vk_leaks(s.text)]
    problems += [f"{placeholders(s.text)} in {s}" for s in texts if placeholders(s.text)]
    problems += [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert not problems, _report(problems)


# --- every message of the catalogues, statically -------------------------------------------


def _messages(locale: str) -> dict[str, fl.Message]:
    found: dict[str, fl.Message] = {}
    for path in sorted((LOCALES_DIR / locale).glob("*.ftl")):
        resource = parse(path.read_text(encoding="utf-8"))
        found.update({e.id.name: e for e in resource.body if isinstance(e, fl.Message)})
    return found


def _selectors(node: Any) -> Iterator[tuple[str, list[str | int]]]:
    """Each variable a select expression chooses on, with its variants' keys."""
    if isinstance(node, fl.SelectExpression) and isinstance(node.selector, fl.VariableReference):
        keys: list[str | int] = []
        for variant in node.variants:
            if isinstance(variant.key, fl.NumberLiteral):
                keys.append(int(float(variant.key.value)))
            else:
                keys.append(variant.key.name)
        yield node.selector.id.name, keys
    if isinstance(node, fl.BaseNode):
        for value in vars(node).values():
            for child in value if isinstance(value, list) else [value]:
                yield from _selectors(child)


def _variables(node: Any) -> Iterator[str]:
    if isinstance(node, fl.VariableReference):
        yield node.id.name
    if isinstance(node, fl.BaseNode):
        for value in vars(node).values():
            for child in value if isinstance(value, list) else [value]:
                yield from _variables(child)


def renderings(
    catalog: Catalog, locale: Locale, fixed: set[str]
) -> Iterator[tuple[str, dict[str, Any], str]]:
    """Every message with the sample arguments of tests/test_texts.py, then once more for each
    variant of each select expression on an argument (the profile's own facts stay fixed)."""
    for key, message in _messages(locale).items():
        base: dict[str, Any] = {
            name: SAMPLE_ARGS.get(name, 2) for name in _variables(message) if name not in fixed
        }
        yield key, base, catalog.format(locale, key, base)
        for name, variants in _selectors(message):
            if name in fixed:
                continue
            for value in variants:
                args = base | {name: value}
                yield key, args, catalog.format(locale, key, args)


@pytest.fixture(scope="module")
def max_catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    settings = make_settings("max", tmp_path_factory.mktemp("max") / "bot.sqlite3")
    return Catalog("ru", profile_args(settings))


# Under MAX: no VK fact, and no page range at all (the profile defines no pages).
MAX_CHECKS: dict[str, Callable[[str], object]] = {
    "vk-leak": vk_leaks,
    "page-range": lambda text: stray_pages(text, PROFILES["max"]),
}


@pytest.mark.parametrize("check", MAX_CHECKS)
@pytest.mark.parametrize("locale", LOCALES)
def test_no_message_of_the_catalogues_shows_a_vk_fact_under_max(
    max_catalog: Catalog, locale: Locale, check: str
) -> None:
    found = MAX_CHECKS[check]
    fixed = set(profile_args(make_settings("max", Path("unused")))[locale])
    problems = sorted(
        {
            f"{locale}/{key} {found(text)} with {args}"
            for key, args, text in renderings(max_catalog, locale, fixed)
            if found(text)
        }
    )
    assert not problems, _report(problems)


@pytest.mark.parametrize(("locale", "profile"), CASES)
def test_every_staff_item_is_in_its_messages(
    tmp_path: Path, locale: Locale, profile: ProfileName
) -> None:
    """Staff items as their keys render, every variant (the walk shows one of each)."""
    settings = make_settings(profile, tmp_path / "bot.sqlite3")
    catalog = Catalog("ru", profile_args(settings))
    fixed = set(profile_args(settings)[locale])
    rendered: dict[str, list[str]] = {}
    for key, _, text in renderings(catalog, locale, fixed):
        rendered.setdefault(key, []).append(text)
    problems = []
    for item in ITEMS:
        if item.staff is None:
            continue
        proof = item.staff.proof(locale, profile)
        if isinstance(proof, NotApplicable):
            continue
        if not item.staff.keys:
            problems.append(f"{item.id} ({item.summary}): no message carries it")
            continue
        texts = [text for key in item.staff.keys for text in rendered.get(key, [])]
        problems += [
            f"{item.id}: none of {item.staff.keys} matches {pattern!r}"
            for pattern in proof
            if not any(re.search(pattern, text, re.DOTALL) for text in texts)
        ]
    assert not problems, _report(problems)


def test_every_key_named_in_the_memo_items_exists() -> None:
    known = set(_messages("ru")) & set(_messages("en"))
    for item in ITEMS:
        for carrier in (item.student, item.staff):
            missing = set(carrier.keys if carrier else ()) - known
            assert not missing, f"{item.id}: {sorted(missing)}"
