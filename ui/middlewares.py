"""Per-update context: the user's row and the catalogue bound to their language."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.dispatcher.flags import get_flag
from aiogram.enums import ChatType
from aiogram.types import CallbackQuery, Chat, Message, TelegramObject
from aiogram.types import User as TelegramUser

from bot.access import Access, AccessControl
from bot.i18n import LOCALES, Catalog
from bot.onboarding import Onboarding
from storage.users import Seen, UsersRepo
from ui.conversation import Conversation

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


def app_locale(language_code: str | None) -> str | None:
    """The bot's language for a Telegram app's language (`ru`, `ru-RU`, `en-GB`...); None for
    any other (the deployment's default then applies)."""
    code = (language_code or "").split("-")[0].lower()
    return code if code in LOCALES else None


def seen(telegram_user: TelegramUser) -> Seen:
    return Seen(app_locale(telegram_user.language_code), telegram_user.username)


class ConversationMiddleware(BaseMiddleware):
    """Loads (or creates) the user's row; injects `user`, `t` and `conversation`.

    Registered after aiogram's FSM middleware, so the FSM context is there to build on.
    """

    def __init__(self, users: UsersRepo, catalog: Catalog, onboarding: Onboarding) -> None:
        self._users = users
        self._catalog = catalog
        self._onboarding = onboarding

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        telegram_user: TelegramUser | None = data.get("event_from_user")
        chat: Chat | None = data.get("event_chat")
        if telegram_user is None or telegram_user.is_bot:
            return await handler(event, data)
        if chat is not None and chat.type != ChatType.PRIVATE:
            return await handler(event, data)  # the bot talks to people one to one only
        user = await self._users.get_or_create(telegram_user.id, seen(telegram_user))
        t = self._catalog.bind(user.language or self._catalog.default_locale)
        data["user"], data["t"] = user, t
        state = data.get("state")
        if state is not None:
            data["conversation"] = Conversation(
                data["bot"], telegram_user.id, user, t, self._onboarding, state, data["raw_state"]
            )
        return await handler(event, data)


class RequireAccess(BaseMiddleware):
    """A router's guard: the presser's rights, looked up on every event (never taken from the
    button), are injected as `access`. For the handlers flagged `requires_access`, anyone not
    `allowed` gets the `refusal` text (`button_refusal` for a pressed button, if given) and the
    handler does not run."""

    def __init__(
        self, allowed: Callable[[Access], bool], refusal: str, button_refusal: str | None = None
    ) -> None:
        self._allowed = allowed
        self._refusal = refusal
        self._button_refusal = button_refusal or refusal

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        access_control: AccessControl = data["access_control"]
        access = await access_control.of(data["event_from_user"].id)
        if get_flag(data, "requires_access") and not self._allowed(access):
            t = data["t"]
            if isinstance(event, CallbackQuery):
                await event.answer(t(self._button_refusal), show_alert=True)
            elif isinstance(event, Message):
                await event.answer(t(self._refusal))
            return None
        data["access"] = access
        return await handler(event, data)
