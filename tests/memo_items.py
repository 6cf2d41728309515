"""The memo (../shared/seed/sferum-student-onboarding-memo.ru.md) item by item, as data: which
message keys carry each item of ../shared/memo-checklist.md, to whom, and the phrase that proves
the item is in the rendered text, per language and per platform profile where the fact differs.

A proof is a tuple of regular expressions (searched with re.DOTALL); each must match some
message: one per device, say, when the item is worded for the phone and for the computer. An
item that does not exist under a profile is NotApplicable, with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from bot.i18n import Locale
from bot.platform_profile import MAX, VK, ProfileName

Audience = Literal["student", "staff"]


@dataclass(frozen=True, slots=True)
class NotApplicable:
    why: str


Proof = tuple[str, ...] | NotApplicable


@dataclass(frozen=True, slots=True)
class Carrier:
    """The messages that bring an item to one audience, and how to recognise it in them."""

    keys: tuple[str, ...]
    proofs: Mapping[tuple[Locale, ProfileName], Proof]

    def proof(self, locale: Locale, profile: ProfileName) -> Proof:
        return self.proofs[(locale, profile)]


@dataclass(frozen=True, slots=True)
class MemoItem:
    id: str
    summary: str
    student: Carrier | None = None
    staff: Carrier | None = None

    @property
    def audience(self) -> frozenset[Audience]:
        found: set[Audience] = set()
        if self.student:
            found.add("student")
        if self.staff:
            found.add("staff")
        return frozenset(found)


def lit(*texts: str) -> tuple[str, ...]:
    return tuple(re.escape(t) for t in texts)


def same(keys: tuple[str, ...], *, ru: Proof, en: Proof) -> Carrier:
    """The same wording under both profiles."""
    return Carrier(keys, {("ru", "vk"): ru, ("ru", "max"): ru, ("en", "vk"): en, ("en", "max"): en})


def split(
    keys: tuple[str, ...], *, ru_vk: Proof, ru_max: Proof, en_vk: Proof, en_max: Proof
) -> Carrier:
    """Wording that follows the platform profile."""
    return Carrier(
        keys,
        {("ru", "vk"): ru_vk, ("ru", "max"): ru_max, ("en", "vk"): en_vk, ("en", "max"): en_max},
    )


def _href(url: str, label: str, pages: str | None = None, pp: str = "стр.") -> str:
    """A guide link as the texts write it, with its page range only if the profile has one."""
    text = f'<a href="{url}">{label}</a>'
    return re.escape(text + (f" ({pp} {pages})" if pages else ""))


_NO_VK_ACCOUNT = NotApplicable(
    "MAX has no separate social-network account to warn about: the profile is made with a phone"
    " number right in the app, so the bot says nothing about VKontakte there"
)

ITEMS: tuple[MemoItem, ...] = (
    MemoItem(
        "P",
        "join Sferum if you use, or will use, the chat with your class teacher",
        student=same(
            ("step-welcome",),
            ru=lit("если вы общаетесь или будете общаться с классным руководителем в чате"),
            en=lit("if you use, or will use, the chat with your class teacher"),
        ),
    ),
    MemoItem(
        "1a",
        "download the messenger's mobile app",
        student=split(
            ("step-device", "step-install"),
            ru_vk=(r"[Сс]качайте приложение (<b>)?VK Мессенджер",),
            ru_max=(r"[Сс]качайте приложение (<b>)?MAX",),
            en_vk=(r"[Dd]ownload the (<b>)?VK Messenger(</b>)? app",),
            en_max=(r"[Dd]ownload the (<b>)?MAX(</b>)? app",),
        ),
    ),
    MemoItem(
        "1b",
        "or open its web version on a computer",
        student=split(
            ("step-device", "step-install"),
            ru_vk=(r'в браузере (адрес )?<a href="https://web\.vk\.me">',),
            ru_max=(r'в браузере (адрес )?<a href="https://web\.max\.ru">',),
            en_vk=(r'<a href="https://web\.vk\.me">https://web\.vk\.me</a>',),
            en_max=(r'<a href="https://web\.max\.ru">https://web\.max\.ru</a>',),
        ),
    ),
    MemoItem(
        "2a",
        "create «Учебный профиль Сферум»",
        student=same(
            ("step-profile",),
            ru=lit("Создайте «Учебный профиль Сферум»"),
            en=lit("Create a Sferum study profile («Учебный профиль Сферум»)"),
        ),
    ),
    MemoItem(
        "2b",
        "in the app «Добавить учебный аккаунт», on a computer «Войти в Сферум» (MAX: its own)",
        student=split(
            ("step-profile", "help-profile"),
            ru_vk=lit("«Добавить учебный аккаунт»", "«Войти в Сферум»"),
            ru_max=lit("кнопку создания учебного профиля Сферум", "кнопку входа в учебный профиль"),
            en_vk=lit("«Добавить учебный аккаунт»", "«Войти в Сферум»"),
            en_max=lit(
                "the button that creates the Sferum study profile",
                "the button that opens the Sferum study profile",
            ),
        ),
    ),
    MemoItem(
        "2c",
        "the profile is created through VK ID registration (MAX: with a phone number)",
        student=split(
            ("step-profile",),
            ru_vk=lit("создаётся через регистрацию <b>VK ID</b>"),
            ru_max=lit("понадобится номер телефона"),
            en_vk=lit("created by signing up for <b>VK ID</b>"),
            en_max=lit("you'll need a phone number"),
        ),
    ),
    MemoItem(
        "2d",
        "a VKontakte account is not needed and is not created",
        student=split(
            ("step-profile", "help-profile", "faq-account"),
            ru_vk=lit("Регистрироваться в соцсети ВКонтакте <b>не нужно</b>"),
            ru_max=_NO_VK_ACCOUNT,
            en_vk=lit("You <b>don't need</b> to sign up on the VKontakte social network"),
            en_max=_NO_VK_ACCOUNT,
        ),
    ),
    MemoItem(
        "F",
        "step 3 or 4 depending on the student's OWN confirmed Госуслуги account",
        student=same(
            ("step-fork",),
            ru=lit("У вас есть <b>своя</b> подтверждённая учётная запись на Госуслугах?"),
            en=lit("Do you have <b>your own</b> confirmed Gosuslugi account?"),
        ),
    ),
    MemoItem(
        "3.1",
        "variant 1 click path on sferum.ru",
        student=same(
            ("step-variant1",),
            ru=(
                r'<a href="https://sferum\.ru">',
                r"«Войти как администратор».*профиль.*«Организации».*«Добавить организацию»"
                r".*населённый пункт.*организацию.*«Продолжить».*«ученик».*класс"
                r".*«Отправить заявку»",
            ),
            en=(
                r'<a href="https://sferum\.ru">',
                r"«Войти как администратор».*profile.*«Организации».*«Добавить организацию»"
                r".*town.*organisation.*«Продолжить».*«ученик».*class.*«Отправить заявку»",
            ),
        ),
    ),
    MemoItem(
        "3.1z",
        "the teacher confirms the request in «Заявки»",
        student=same(
            ("step-variant1",),
            ru=lit("Учитель подтвердит её в разделе «Заявки»"),
            en=lit("Your teacher approves it in «Заявки»"),
        ),
        staff=same(
            ("request-card",),
            ru=lit("подтвердите заявку в Сферуме, раздел «Заявки»"),
            en=lit("confirm the request in Sferum, section «Заявки»"),
        ),
    ),
    MemoItem(
        "3.2a",
        "variant 2: the class teacher creates an invite link (or QR); the student receives it",
        student=same(
            ("step-variant",),
            ru=lit("Учитель присылает ссылку-приглашение (или QR-код) в класс"),
            en=lit("Your teacher sends you an invitation link (or a QR code) to the class"),
        ),
        staff=same(
            ("request-card",),
            ru=lit("Создайте в Сферуме ссылку-приглашение в класс с ролью «Ученик»"),
            en=lit("Create a class invite link in Sferum with the role «Ученик»"),
        ),
    ),
    MemoItem(
        "3.2b",
        "the student opens the link on a computer or a phone and joins the class",
        student=same(
            ("step-variant2-link", "step-variant2-ask", "step-variant2-given"),
            ru=(
                r"(на телефоне или компьютере|на этом телефоне|откройте ссылку здесь)"
                r" и присоединитесь к классу",
            ),
            en=(r"(on your phone or computer|on this phone|open the link here,) and join",),
        ),
    ),
    MemoItem(
        "3.2c",
        "the class teacher creates the class chat and adds the students, or sends a chat link",
        student=same(
            ("step-chat-teacher",),
            ru=lit(
                "Классный руководитель создаст чат класса в Сферуме и либо сам добавит вас в него,"
                " либо пришлёт ссылку-приглашение"
            ),
            en=lit(
                "Your class teacher will create a class chat in Sferum and either add you to it"
                " or send you an invitation link"
            ),
        ),
        staff=same(
            ("tt-add-to-chat", "tt-setchat-usage"),
            ru=lit("Добавьте в чат класса сами"),
            en=lit("Add them to the class chat yourself"),
        ),
    ),
    MemoItem(
        "R3a",
        "result: joined the school and the class",
        student=same(
            ("done-result", "done-result-variant2", "done-result-pending"),
            ru=lit("вы присоединены к школе и классу"),
            en=lit("you've joined your school and class"),
        ),
    ),
    MemoItem(
        "R3b",
        "result: the student's activity counts in the school's statistics",
        student=same(
            ("done-result", "done-result-variant2", "done-result-pending", "done-result-epos"),
            ru=lit("ваша активность учитывается в статистике школы"),
            en=lit("your activity counts in the school's statistics"),
        ),
        staff=same(
            ("tt-roster-header",),
            ru=(r"\d+ учени\w*: \d+ заверши",),
            en=(r"\d+ students?: \d+ finished",),
        ),
    ),
    MemoItem(
        "R3c",
        "result: the teacher can invite the student to the chat by a link (and they get it)",
        student=same(
            ("done-result", "done-result-pending", "tt-student-chat-link", "step-chat-link"),
            ru=(
                r"[Уу]читель (может|сможет) пригласить вас в чат класса",
                r"Ссылка на чат класса|Ссылка для входа в чат класса|Чат класса: <a",
            ),
            en=(
                r"[Yy]our teacher can invite you to the class chat",
                r"[Tt]he link to the class chat|[Tt]he chat link of class|Class chat: <a",
            ),
        ),
    ),
    MemoItem(
        "4a",
        "step 4: log in to ЭПОС with your OWN Госуслуги account",
        student=same(
            ("step-epos",),
            ru=(r"Войдите в ЭПОС.{0,80} через <b>свою</b> учётную запись Госуслуг",),
            en=(r"Log in to EPOS.{0,80} with <b>your own</b> Gosuslugi account",),
        ),
    ),
    MemoItem(
        "4b",
        "a parent's Госуслуги account must not be used (fork, step 4, help)",
        student=same(
            ("step-fork", "step-epos", "help-epos", "fork-what", "faq-parent"),
            ru=lit(
                "Учётная запись родителя не подходит",
                "Учётную запись родителя использовать нельзя!",
                "Входите через <b>свою</b> учётную запись Госуслуг, не родительскую",
            ),
            en=lit(
                "A parent's account won't do",
                "You can't use a parent's account!",
                "Log in with <b>your own</b> Gosuslugi account, not a parent's",
            ),
        ),
    ),
    MemoItem(
        "4c",
        "in ЭПОС open «Чаты» and press the button that links the educational profile",
        student=split(
            ("step-epos",),
            ru_vk=lit("Откройте раздел <b>«Чаты»</b>", "«Привязать учебный профиль VK ID»"),
            ru_max=lit("Откройте раздел <b>«Чаты»</b>", "кнопку привязки учебного профиля"),
            en_vk=lit("<b>«Чаты»</b> (“Chats”)", "«Привязать учебный профиль VK ID»"),
            en_max=lit("<b>«Чаты»</b> (“Chats”)", "the button that links the Sferum study profile"),
        ),
    ),
    MemoItem(
        "R4",
        "result: school, class, statistics, automatically in the class chat, removed on moving",
        student=same(
            ("step-epos", "done-result-epos"),
            ru=(
                r"ваша активность учитывается в статистике школы",
                r"автоматически (попадёте )?в чате? класса",
                r"при переходе в другую школу",
                r"по зачислению в ЭПОС",
            ),
            en=(
                r"your activity counts in the school's statistics",
                r"class chat automatically",
                r"mov(e|ing) (to another school|schools)",
                r"as enrolled in EPOS",
            ),
        ),
    ),
    MemoItem(
        "L",
        "joined by link, later a confirmed Госуслуги account: linking ЭПОС and Sferum is a must",
        student=same(
            ("done-gosuslugi-later", "epos-info", "rem-monthly"),
            # A must, and why: without it the student is not moved on changing schools.
            ru=lit("обязательно свяжите ЭПОС и Сферум", "Сферум не переведёт вас сам"),
            en=lit("be sure to link EPOS and Sferum", "Sferum won't move you by itself"),
        ),
    ),
    MemoItem(
        "V1",
        "Sferum is part of the federal information system «Моя школа»",
        student=same(
            ("step-welcome",),
            ru=lit("часть федеральной государственной информационной системы «Моя школа»"),
            en=lit("part of the federal state information system “My School”"),
        ),
    ),
    MemoItem(
        "V1'",
        "legal basis: п. 3¹, decree № 1241 of 13.06.2022 as amended by № 1545 of 22.09.2023",
        # Staff: their /help; parents: the student's /help → «Родителям и учителям».
        staff=same(
            ("faq-parents", "staff-help-legal"),
            ru=(
                r"ИКОП «Сферум»",
                r"пункт 3¹ Положения о ФГИС «Моя школа».*13\.06\.2022 № 1241"
                r".*22\.09\.2023 № 1545",
            ),
            en=(
                r"ИКОП «Сферум»",
                r"clause 3¹.*No\. 1241 of 13\.06\.2022.*No\. 1545 of 22\.09\.2023",
            ),
        ),
    ),
    MemoItem(
        "V2",
        "secure; for schools; domestic messenger and video; not a social network; no ads; ЭПОС",
        student=same(
            ("step-welcome",),
            ru=(
                r"защищённая платформа",
                r"для (школ|образовательных организаций)",
                r"отечественный мессенджер",
                r"видео",
                r"не (является )?социальн\w+ сет",
                r"реклам",
                r"(связан|интегрирован)\w* с (электронным )?журналом ЭПОС",
            ),
            en=(
                r"secure platform",
                r"for schools",
                r"(Russian|domestic) messenger",
                r"video",
                r"not a social network",
                r"no ads|no advertising",
                r"(connected|integrated) (to|with) EPOS",
            ),
        ),
    ),
    MemoItem(
        "I1",
        "admin: create the class structure and assign class teachers (admin guide pp. 32–33, 54)",
        # The staff's /help (school and municipal admins), and on redeeming a school-admin invite.
        staff=split(
            ("staff-help-structure",),
            ru_vk=(re.escape(f'<a href="{VK.admin_guide_structure.url}">') + r".*32–33, 54",),
            ru_max=(re.escape(f'<a href="{MAX.admin_guide_structure.url}">'),),
            en_vk=(re.escape(f'<a href="{VK.admin_guide_structure.url}">') + r".*32–33, 54",),
            en_max=(re.escape(f'<a href="{MAX.admin_guide_structure.url}">'),),
        ),
    ),
    MemoItem(
        "I2",
        "student guide, phone: installing the app and creating the profile (pp. 4–9)",
        student=split(
            ("help-device", "help-install", "help-profile"),
            ru_vk=(r">для (телефона|ученика, с телефона)</a> \(стр\. 4–9\)",),
            ru_max=(re.escape(f'<a href="{MAX.student_guide_phone.url}">для ') + r"[^<]+</a>",),
            en_vk=(r">(for a phone|student guide, phone)</a> \(pp\. 4–9\)",),
            en_max=(re.escape(f'<a href="{MAX.student_guide_phone.url}">') + r"[^<]*phone</a>",),
        ),
    ),
    MemoItem(
        "I3",
        "student guide, computer: creating the profile (pp. 10–13)",
        student=split(
            ("help-device", "help-install", "help-profile"),
            ru_vk=(r">для (компьютера|ученика, с компьютера)</a> \(стр\. 10–13\)",),
            ru_max=(re.escape(f'<a href="{MAX.student_guide_computer.url}">') + r"[^<]*компьют",),
            en_vk=(r">(for a computer|student guide, computer)</a> \(pp\. 10–13\)",),
            en_max=(re.escape(f'<a href="{MAX.student_guide_computer.url}">') + r"[^<]*computer",),
        ),
    ),
    MemoItem(
        "I4",
        "class invite link (class teacher, admin): admin guide pp. 34–38, role «Ученик»",
        staff=split(
            ("request-card", "staff-help-invite"),
            ru_vk=(
                re.escape(f'<a href="{VK.admin_guide_invite.url}">') + r"[^<]+</a>, стр\. 34–38",
            ),
            ru_max=(re.escape(f'<a href="{MAX.admin_guide_invite.url}">') + r"[^<]+</a>",),
            en_vk=(
                re.escape(f'<a href="{VK.admin_guide_invite.url}">') + r"[^<]+</a>, pp\. 34–38",
            ),
            en_max=(re.escape(f'<a href="{MAX.admin_guide_invite.url}">') + r"[^<]+</a>",),
        ),
    ),
    MemoItem(
        "I5",
        "linking the Sferum educational profile with the ЭПОС account (guide)",
        student=split(
            ("step-epos", "help-epos"),
            ru_vk=(_href(VK.ejournal_guide.url, "связывание с учебным профилем"),),
            ru_max=(_href(MAX.ejournal_guide.url, "связывание с учебным профилем"),),
            en_vk=(_href(VK.ejournal_guide.url, "linking to your study profile"),),
            en_max=(_href(MAX.ejournal_guide.url, "linking to your study profile"),),
        ),
    ),
)

BY_ID: dict[str, MemoItem] = {item.id: item for item in ITEMS}
CHECKLIST_IDS = [
    "P",
    "1a",
    "1b",
    "2a",
    "2b",
    "2c",
    "2d",
    "F",
    "3.1",
    "3.1z",
    "3.2a",
    "3.2b",
    "3.2c",
    "R3a",
    "R3b",
    "R3c",
    "4a",
    "4b",
    "4c",
    "R4",
    "L",
    "V1",
    "V1'",
    "V2",
    "I1",
    "I2",
    "I3",
    "I4",
    "I5",
]
assert list(BY_ID) == CHECKLIST_IDS, "one entry per checklist item, in the checklist's order"
