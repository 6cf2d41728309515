"""Settings from the environment and `.env`; the deployment profile with the memo's values."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal, TypeVar

from pydantic import AnyHttpUrl, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

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

    # Deployment profile: regions differ and the platform moves, so names and links are settings.
    messenger_name: str = "VK Мессенджер"
    messenger_web_url: AnyHttpUrl = AnyHttpUrl("https://web.vk.me")
    sferum_url: AnyHttpUrl = AnyHttpUrl("https://sferum.ru")
    ejournal_name: str = "ЭПОС"
    ejournal_url: AnyHttpUrl | None = None
    student_guide_url: AnyHttpUrl = AnyHttpUrl(
        "https://sferum.ru/static/instructions/other/Instrukciya_dlya_uchenika.pdf"
    )
    ejournal_link_guide_url: AnyHttpUrl = AnyHttpUrl(
        "https://sferum.ru/static/instructions/ejd/epos/studentsParents/"
        "Svyazka_akkaunta_elektronnogo_zhurnala_s_uchebnym_profilem_VK_ID.pdf"
    )
    support_contact: str = ""

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

    @property
    def api_base(self) -> str:
        return str(self.telegram_api_url).rstrip("/")


S = TypeVar("S", bound=StorageSettings)


class SettingsError(Exception):
    """One line for the operator: which setting is wrong and how to fix it."""


def load_settings(kind: type[S]) -> S:
    try:
        return kind()
    except ValidationError as exc:
        error = exc.errors()[0]
        name = str(error["loc"][0]).upper() if error["loc"] else "settings"
        if error["type"] == "missing":
            hint = "is not set: put it in the environment or in .env (see .env.example)"
        else:
            hint = f"is invalid ({error['msg']}): fix it in the environment or in .env"
        raise SettingsError(f"Setting {name} {hint}") from None
