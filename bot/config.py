"""Settings from the environment and `.env`; the deployment profile with the memo's values."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AnyHttpUrl, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.platform_profile import PROFILES, Guide, PlatformProfile, ProfileName

Locale = Literal["ru", "en"]
LOCALES: tuple[Locale, ...] = ("ru", "en")


def env_settings(prefix: str = "") -> SettingsConfigDict:
    """Where every settings class reads from: the environment, then `.env`; names may share a
    prefix (DELIVERY_RATE); unknown names are someone else's."""
    return SettingsConfigDict(
        env_prefix=prefix, env_file=".env", env_file_encoding="utf-8", extra="ignore", frozen=True
    )


class StorageSettings(BaseSettings):
    """What the command-line tools need: no token."""

    model_config = env_settings()

    database_path: Path = Path("data/bot.sqlite3")


class Settings(StorageSettings):
    bot_token: SecretStr = Field(min_length=1)
    telegram_api_url: AnyHttpUrl = AnyHttpUrl("https://api.telegram.org")
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    default_locale: Locale = "ru"
    invite_ttl_days: int = Field(default=7, ge=1, le=365)

    # Deployment profile: the platform Sferum lives in (bot/platform_profile.py), with any of its
    # facts overridden one by one; the e-journal differs by region.
    platform_profile: ProfileName = "vk"
    messenger_name: str | None = None
    messenger_name_en: str | None = None
    messenger_web_url: AnyHttpUrl | None = None
    sferum_url: AnyHttpUrl = AnyHttpUrl("https://sferum.ru")
    ejournal_name: str = "ЭПОС"
    ejournal_name_en: str | None = None
    ejournal_url: AnyHttpUrl | None = None
    student_guide_url: AnyHttpUrl | None = None
    ejournal_link_guide_url: AnyHttpUrl | None = None
    admin_guide_url: AnyHttpUrl | None = None
    support_contact: str = ""

    # Every time a person reads is shown in this zone (IANA name).
    timezone: str = "Europe/Moscow"

    # The personal-data notice: who processes the data, and until when it is kept. A finished
    # student's record is kept until the end of the school year they finished in (SCHOOL_YEAR_END,
    # month-day) plus DATA_RETENTION_DAYS, then anonymised by a daily job.
    operator_name: str = Field(default="", max_length=200)
    school_year_end: str = "08-31"
    data_retention_days: int = Field(default=30, ge=0, le=365)

    @field_validator("bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr) -> SecretStr:
        # "<bot id>:<secret>", as BotFather gives it; the message never repeats the value.
        bot_id, _, secret = value.get_secret_value().partition(":")
        if not (bot_id.isdigit() and secret and all(c.isalnum() or c in "-_" for c in secret)):
            raise ValueError("expected the form 123456789:ABC... from @BotFather")
        return value

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        # "123, 456" in an env file; a list when constructed in code.
        if isinstance(value, str):
            return frozenset(
                int(part) for part in value.replace(";", ",").split(",") if part.strip()
            )
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("expected an IANA time zone name such as Europe/Moscow") from None
        return value

    @field_validator("school_year_end")
    @classmethod
    def _month_day(cls, value: str) -> str:
        match = re.fullmatch(r"(\d{2})-(\d{2})", value.strip())
        if match is None or not 1 <= int(match[1]) <= 12 or not 1 <= int(match[2]) <= 31:
            raise ValueError("expected MM-DD, such as 08-31")
        return value.strip()

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @cached_property
    def platform(self) -> PlatformProfile:
        """The chosen profile with the individual overrides on top."""
        return apply_overrides(PROFILES[self.platform_profile], self)

    @property
    def ejournal_en(self) -> str:
        """The e-journal's name in English texts: Latin letters for the memo's ЭПОС."""
        if self.ejournal_name_en:
            return self.ejournal_name_en
        return "EPOS" if self.ejournal_name == "ЭПОС" else self.ejournal_name

    @property
    def api_base(self) -> str:
        return str(self.telegram_api_url).rstrip("/")


def link_text(url: AnyHttpUrl) -> str:
    """A URL as people write it: pydantic adds "/" to a bare host; the memo writes https://web.vk.me."""
    text = str(url)
    return text.rstrip("/") if url.path in (None, "/") and not url.query else text


def _guide(guide: Guide, url: AnyHttpUrl | None) -> Guide:
    # Another document's page numbers would be wrong: an overridden URL shows no page range.
    if url is None or link_text(url) == guide.url:
        return guide
    return Guide(link_text(url))


def apply_overrides(profile: PlatformProfile, settings: Settings) -> PlatformProfile:
    web = settings.messenger_web_url
    return replace(
        profile,
        messenger_ru=settings.messenger_name or profile.messenger_ru,
        messenger_en=settings.messenger_name_en or settings.messenger_name or profile.messenger_en,
        messenger_web=link_text(web) if web else profile.messenger_web,
        student_guide_phone=_guide(profile.student_guide_phone, settings.student_guide_url),
        student_guide_computer=_guide(profile.student_guide_computer, settings.student_guide_url),
        ejournal_guide=_guide(profile.ejournal_guide, settings.ejournal_link_guide_url),
        admin_guide_structure=_guide(profile.admin_guide_structure, settings.admin_guide_url),
        admin_guide_invite=_guide(profile.admin_guide_invite, settings.admin_guide_url),
    )


S = TypeVar("S", bound=BaseSettings)


class SettingsError(Exception):
    """One line for the operator: which setting is wrong and how to fix it."""


def load_settings(kind: type[S]) -> S:
    """Any settings class; the error names the environment variable, prefix included
    (REMINDERS_QUIET_HOURS for RemindersSettings.quiet_hours)."""
    try:
        return kind()
    except ValidationError as exc:
        error = exc.errors()[0]
        prefix = kind.model_config.get("env_prefix") or ""
        name = f"{prefix}{error['loc'][0]}".upper() if error["loc"] else "settings"
        if error["type"] == "missing":
            hint = "is not set: put it in the environment or in .env (see .env.example)"
        else:
            hint = f"is invalid ({error['msg']}): fix it in the environment or in .env"
        raise SettingsError(f"Setting {name} {hint}") from None
