"""Users: every Telegram user who wrote to the bot, with their language and consent."""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from storage.db import Database, utcnow


@dataclass(frozen=True, slots=True)
class User:
    id: int
    locale: str | None
    consent_at: str | None
    consent_version: int | None

    @property
    def consented(self) -> bool:
        return self.consent_at is not None


def _user(row: aiosqlite.Row) -> User:
    return User(row["id"], row["locale"], row["consent_at"], row["consent_version"])


class UsersRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, user_id: int) -> User | None:
        row = await self._db.fetchone(
            "SELECT id, locale, consent_at, consent_version FROM users WHERE id = ?", (user_id,)
        )
        return _user(row) if row else None

    async def get_or_create(self, user_id: int) -> User:
        user = await self.get(user_id)
        if user is None:
            await self._db.execute(
                "INSERT OR IGNORE INTO users (id, created_at) VALUES (?, ?)", (user_id, utcnow())
            )
            user = User(user_id, None, None, None)
        return user

    async def set_locale(self, user_id: int, locale: str) -> None:
        await self._db.execute("UPDATE users SET locale = ? WHERE id = ?", (locale, user_id))

    async def set_consent(self, user_id: int, version: int) -> None:
        await self._db.execute(
            "UPDATE users SET consent_at = ?, consent_version = ? WHERE id = ?",
            (utcnow(), version, user_id),
        )

    async def delete(self, user_id: int) -> None:
        """Forget the user: cascades to their student record and join requests; FSM rows too."""
        async with self._db.transaction() as tx:
            await tx.execute("DELETE FROM fsm WHERE user_id = ?", (user_id,))
            await tx.execute("DELETE FROM users WHERE id = ?", (user_id,))
