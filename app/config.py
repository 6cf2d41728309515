"""Every setting the bot runs with, from the environment and `.env`, checked in one place.

`load_all()` reads them all before anything starts; a bad value is one line naming the variable
(`SettingsError`), never a traceback. The rules in bot/ never see pydantic: they get plain values
(`DeliveryLimits`, `ReminderPolicy`, the `PlatformProfile`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Annotated, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AnyHttpUrl, Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.delivery import FREE_RATE_LIMIT, PAID_RATE_LIMIT, DeliveryLimits
from bot.i18n import Locale
from bot.platform_profile import PROFILES, PlatformProfile, ProfileName, guide_at, link_text
from bot.reminders import ReminderPolicy


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
    # Updates handled at once; polling fetches no more while this many are in hand, so a burst
    # (a restart after downtime, the replies to a broadcast) waits at Telegram, not in memory.
    polling_concurrency: int = Field(default=100, ge=1, le=10_000)

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
        profile = PROFILES[self.platform_profile]
        web, student, ejournal, admin = (
            _text(self.messenger_web_url),
            _text(self.student_guide_url),
            _text(self.ejournal_link_guide_url),
            _text(self.admin_guide_url),
        )
        return replace(
            profile,
            messenger_ru=self.messenger_name or profile.messenger_ru,
            messenger_en=self.messenger_name_en or self.messenger_name or profile.messenger_en,
            messenger_web=web or profile.messenger_web,
            student_guide_phone=guide_at(profile.student_guide_phone, student),
            student_guide_computer=guide_at(profile.student_guide_computer, student),
            ejournal_guide=guide_at(profile.ejournal_guide, ejournal),
            admin_guide_structure=guide_at(profile.admin_guide_structure, admin),
            admin_guide_invite=guide_at(profile.admin_guide_invite, admin),
        )

    @property
    def ejournal_en(self) -> str:
        """The e-journal's name in English texts: Latin letters for the memo's ЭПОС."""
        if self.ejournal_name_en:
            return self.ejournal_name_en
        return "EPOS" if self.ejournal_name == "ЭПОС" else self.ejournal_name

    @property
    def api_base(self) -> str:
        return str(self.telegram_api_url).rstrip("/")


def _text(url: AnyHttpUrl | None) -> str | None:
    return link_text(str(url)) if url is not None else None


class DeliverySettings(BaseSettings):
    """DELIVERY_RATE, DELIVERY_ALLOW_PAID_BROADCAST, ...: the engine's `DeliveryLimits`."""

    model_config = env_settings("DELIVERY_")

    # Before the rate: the rate's check reads it.
    allow_paid_broadcast: bool = False
    rate: float = Field(default=28.0, gt=0, le=PAID_RATE_LIMIT)
    per_chat_interval: float = Field(default=1.0, ge=0)
    max_attempts: int = Field(default=3, ge=1, le=20)
    backoff_base: float = Field(default=1.0, ge=0)
    backoff_max: float = Field(default=30.0, ge=0)
    batch_size: int = Field(default=200, ge=1, le=10_000)
    max_in_flight: int = Field(default=4, ge=1, le=100)

    @field_validator("rate")
    @classmethod
    def _within_telegram_limits(cls, rate: float, info: ValidationInfo) -> float:
        # A field's own check, so that the one-line error names DELIVERY_RATE.
        if not info.data.get("allow_paid_broadcast") and rate > FREE_RATE_LIMIT:
            raise ValueError(
                f"{rate:g}/s is above Telegram's {FREE_RATE_LIMIT:g}/s: "
                "lower it or set DELIVERY_ALLOW_PAID_BROADCAST=true"
            )
        return rate

    @property
    def limits(self) -> DeliveryLimits:
        return DeliveryLimits(**self.model_dump())


class RemindersSettings(BaseSettings):
    """REMINDERS_STUCK_DAYS, REMINDERS_INTERVAL_SECONDS, ...: the reminders' `ReminderPolicy`."""

    model_config = env_settings("REMINDERS_")

    stuck_days: float = Field(default=3, gt=0)
    interval_seconds: float = Field(default=3600, gt=0)
    monthly_days: float = Field(default=30, gt=0)
    # "H-H" in local hours: from the first (inclusive) to the second (exclusive), may wrap
    # midnight; "0-0" (any equal pair: an empty window) or empty means no quiet hours.
    quiet_hours: str = "21-9"

    @field_validator("quiet_hours")
    @classmethod
    def _hours(cls, value: str) -> str:
        value = value.strip()
        if not value:
            return value
        match = re.fullmatch(r"(\d{1,2})\s*-\s*(\d{1,2})", value)
        if match is None or int(match[1]) > 23 or int(match[2]) > 23:
            raise ValueError("expected local hours START-END from 0 to 23, such as 21-9, or 0-0")
        return f"{int(match[1])}-{int(match[2])}"

    @property
    def quiet_window(self) -> tuple[int, int] | None:
        """(start, end) local hours, or None without quiet hours."""
        start, _, end = self.quiet_hours.partition("-")
        if not start or int(start) == int(end):
            return None
        return int(start), int(end)

    @property
    def policy(self) -> ReminderPolicy:
        return ReminderPolicy(
            self.stuck_days, self.interval_seconds, self.monthly_days, self.quiet_window
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


@dataclass(frozen=True, slots=True)
class AllSettings:
    """Every setting the bot runs with, loaded (and checked) together before anything starts."""

    main: Settings
    reminders: RemindersSettings
    delivery: DeliverySettings


def load_all() -> AllSettings:
    return AllSettings(
        load_settings(Settings), load_settings(RemindersSettings), load_settings(DeliverySettings)
    )
