"""The platform facts of a deployment: which messenger Sferum lives in, what its buttons are called,
where its guides are. Texts never name a platform: they take these values as placeholders.

`vk` is the memo as written (`../shared/seed/`); `max` is the MAX messenger, where Sferum moved in
many regions in 2025. A fact that could not be checked is None: the texts then describe the
button instead of inventing its name, and a page range is shown only next to the guide it is for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ProfileName = Literal["vk", "max"]


@dataclass(frozen=True, slots=True)
class Guide:
    url: str
    pages: str | None = None  # "4–9": shown only with this very URL


@dataclass(frozen=True, slots=True)
class PlatformProfile:
    name: ProfileName
    messenger_ru: str
    messenger_en: str
    messenger_web: str
    app_stores: str | None  # where the mobile app is downloaded from (memo step 1)
    # Memo step 2: the button that creates the educational profile, in the app / on a computer.
    profile_button_phone: str | None
    profile_button_computer: str | None
    # Memo step 2: the account system the profile is made with, and the registration not needed.
    account: str | None
    not_needed_ru: str | None
    not_needed_en: str | None
    # Memo step 4: the e-journal's button that links the educational profile.
    ejournal_button: str | None
    # Memo instructions 2 and 3 (student, phone / computer), 5 (linking), 1 and 4 (admin).
    student_guide_phone: Guide
    student_guide_computer: Guide
    ejournal_guide: Guide
    admin_guide_structure: Guide
    admin_guide_invite: Guide
    # How a chat invite link of this messenger starts: the example in /setchat's help.
    chat_link_example: str


_STUDENT_PDF = "https://sferum.ru/static/instructions/other/Instrukciya_dlya_uchenika.pdf"
_ADMIN_PDF = "https://sferum.ru/static/instructions/other/Instrukciya_dlya_administratora.pdf"
_MAX_GUIDES = "https://prof.sferum.ru"

# Every fact below is the memo's own (../shared/seed/sferum-student-onboarding-memo.ru.md).
VK = PlatformProfile(
    name="vk",
    messenger_ru="VK Мессенджер",
    messenger_en="VK Messenger",
    messenger_web="https://web.vk.me",
    app_stores="App Store, Google Play, RuStore",
    profile_button_phone="Добавить учебный аккаунт",
    profile_button_computer="Войти в Сферум",
    account="VK ID",
    not_needed_ru="в соцсети ВКонтакте",
    not_needed_en="on the VKontakte social network",
    ejournal_button="Привязать учебный профиль VK ID",
    student_guide_phone=Guide(_STUDENT_PDF, "4–9"),
    student_guide_computer=Guide(_STUDENT_PDF, "10–13"),
    ejournal_guide=Guide(
        "https://sferum.ru/static/instructions/ejd/epos/studentsParents/"
        "Svyazka_akkaunta_elektronnogo_zhurnala_s_uchebnym_profilem_VK_ID.pdf"
    ),
    admin_guide_structure=Guide(_ADMIN_PDF, "32–33, 54"),
    admin_guide_invite=Guide(_ADMIN_PDF, "34–38"),
    chat_link_example="https://vk.me/join/…",
)

# MAX, from public pages read through the project's search tool on 2026-12-02 (none of them an
# official Sferum or MAX page we could open ourselves; re-check at prof.sferum.ru and help.max.ru):
# - name "MAX" (news.mail.ru/society/67947921, 1obl.ru "«Сферум» в MAX"); web version
#   https://web.max.ru (third-party code that opens it, with its help link to help.max.ru);
# - sign-up by phone number, no VK ID (norilsk-news.ru/society/2025/08/19/35608.html, quoting the
#   Krasnoyarsk region's government; astera.ru);
# - Sferum's instructions for MAX at https://prof.sferum.ru (a college site's links): no page
#   ranges known, so none are shown;
# - chat invite links https://max.ru/join/<token> (many public repositories).
# Not found, so left out rather than invented: the names of the buttons that add the educational
# profile (phone, computer), the e-journal's linking button, which app stores carry MAX.
MAX = PlatformProfile(
    name="max",
    messenger_ru="MAX",
    messenger_en="MAX",
    messenger_web="https://web.max.ru",
    app_stores=None,
    profile_button_phone=None,
    profile_button_computer=None,
    account=None,
    not_needed_ru=None,
    not_needed_en=None,
    ejournal_button=None,
    student_guide_phone=Guide(_MAX_GUIDES),
    student_guide_computer=Guide(_MAX_GUIDES),
    ejournal_guide=Guide(_MAX_GUIDES),
    admin_guide_structure=Guide(_MAX_GUIDES),
    admin_guide_invite=Guide(_MAX_GUIDES),
    chat_link_example="https://max.ru/join/…",
)

PROFILES: dict[ProfileName, PlatformProfile] = {"vk": VK, "max": MAX}


def link_text(url: str) -> str:
    """A URL as people write it: a bare host without the "/" a URL parser adds (the memo writes
    https://web.vk.me)."""
    _, sep, rest = url.partition("://")
    if sep and rest.endswith("/") and rest.count("/") == 1:
        return url[:-1]
    return url


def guide_at(guide: Guide, url: str | None) -> Guide:
    """The guide, or another document in its place: that one's page numbers are unknown, so an
    overridden URL shows no page range."""
    if url is None or url == guide.url:
        return guide
    return Guide(url)
