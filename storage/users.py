"""Users: every Telegram user who wrote to the bot, with their language and consent."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace

from storage.db import Database, Row, utcnow

# Every update needs its user's row, and only this repository writes it: a write-through cache
# saves a database round trip per update. Bounded, oldest entries leave first.
CACHE_SIZE = 50_000


@dataclass(frozen=True, slots=True)
class User:
    id: int
    locale: str | None
    consent_at: str | None
    consent_version: int | None

    @property
    def consented(self) -> bool:
        return self.consent_at is not None


def _user(row: Row) -> User:
    return User(row["id"], row["locale"], row["consent_at"], row["consent_version"])


class UsersRepo:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._cache: dict[int, User] = {}

    async def get(self, user_id: int) -> User | None:
        user = self._cache.get(user_id)
        if user is None:
            row = await self._db.fetchone(
                "SELECT id, locale, consent_at, consent_version FROM users WHERE id = ?",
                (user_id,),
            )
            if row is None:
                return None
            user = self._remember(_user(row))
        return user

    async def get_or_create(self, user_id: int) -> User:
        user = await self.get(user_id)
        if user is None:
            created = await self._db.execute(
                "INSERT OR IGNORE INTO users (id, created_at) VALUES (?, ?)", (user_id, utcnow())
            )
            if created:
                return self._remember(User(user_id, None, None, None))
            user = await self.get(user_id)  # another update of this user created it meanwhile
            assert user is not None
        return user

    async def set_locale(self, user_id: int, locale: str) -> None:
        await self._db.execute("UPDATE users SET locale = ? WHERE id = ?", (locale, user_id))
        self._update(user_id, locale=locale)

    async def set_consent(self, user_id: int, version: int) -> str:
        """Record consent to the notice of `version`; returns when it was given."""
        now = utcnow()
        await self._db.execute(
            "UPDATE users SET consent_at = ?, consent_version = ? WHERE id = ?",
            (now, version, user_id),
        )
        self._update(user_id, consent_at=now, consent_version=version)
        return now

    async def withdraw_consent(self, user_id: int) -> None:
        """Consent taken back: the student's record and open requests go with it."""

        def withdraw(conn: sqlite3.Connection) -> None:
            conn.execute(
                "UPDATE users SET consent_at = NULL, consent_version = NULL WHERE id = ?",
                (user_id,),
            )
            conn.execute("DELETE FROM students WHERE user_id = ?", (user_id,))
            conn.execute(
                "DELETE FROM join_requests WHERE student_id = ? AND status = 'pending'", (user_id,)
            )

        await self._db.run(withdraw)
        self._update(user_id, consent_at=None, consent_version=None)

    async def delete(self, user_id: int) -> None:
        """Forget the user: cascades to their student record and join requests; FSM rows too."""

        def delete(conn: sqlite3.Connection) -> None:
            conn.execute("DELETE FROM fsm WHERE user_id = ?", (user_id,))
            conn.execute("DELETE FROM users WHERE id = ?", (user_id,))

        self._cache.pop(user_id, None)
        await self._db.run(delete)
        self._cache.pop(user_id, None)  # a read may have cached it while the delete was queued

    def _remember(self, user: User) -> User:
        if len(self._cache) >= CACHE_SIZE:
            del self._cache[next(iter(self._cache))]
        self._cache[user.id] = user
        return user

    def _update(self, user_id: int, **changes: str | int | None) -> None:
        cached = self._cache.get(user_id)
        if cached is not None:
            self._cache[user_id] = replace(cached, **changes)  # type: ignore[arg-type]
