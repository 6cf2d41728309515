"""Users: every Telegram user who wrote to the bot in a private chat, with their language and
consent.

Every statement that writes the users table is here: `UsersRepo`'s, and the few that other
repositories' units of work need (a role granted to someone not seen yet, a chat found
unreachable, a person erased), as functions of a plain sqlite3 connection for Database.run.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, replace

from storage.cache import shared, without_oldest
from storage.db import Database, Row, placeholders, utcnow

# Every update needs its user's row, and only this repository writes it: a write-through cache
# saves a database round trip per update. Bounded: when full, the tenth cached longest ago leaves
# at once. An entry is ~150 B (~230 B once they consented): 3-4.5 MB when full, measured by
# benchmarks/user_caches.py; 20 000 holds a whole burst of that many users (benchmarks/burst.py).
CACHE_SIZE = 20_000

_COLUMNS = "id, locale, consent_at, consent_version, app_locale, username, tg_name"


@dataclass(frozen=True, slots=True)
class User:
    id: int
    locale: str | None  # chosen with /lang
    consent_at: str | None
    consent_version: int | None
    app_locale: str | None = None  # the language of their Telegram app, as last seen
    username: str | None = None  # kept for staff and consenting students only
    staff_name: str | None = None  # the Telegram name of a staff member, from their invite

    @property
    def consented(self) -> bool:
        return self.consent_at is not None

    @property
    def language(self) -> str | None:
        """The language to write to them in: the one they chose, else their app's."""
        return self.locale or self.app_locale


@dataclass(frozen=True, slots=True)
class Seen:
    """What Telegram tells about a user with each update."""

    app_locale: str | None
    username: str | None


def _user(row: Row) -> User:
    return User(
        row["id"],
        shared(row["locale"]),
        row["consent_at"],
        row["consent_version"],
        shared(row["app_locale"]),
        row["username"],
        row["tg_name"],
    )


class UsersRepo:
    def __init__(self, db: Database, cache_size: int = CACHE_SIZE) -> None:
        self._db = db
        self._cache: dict[int, User] = {}
        self._cache_size = cache_size

    async def get(self, user_id: int) -> User | None:
        user = self._cache.get(user_id)
        if user is None:
            row = await self._db.fetchone(f"SELECT {_COLUMNS} FROM users WHERE id = ?", (user_id,))
            if row is None:
                return None
            user = self._remember(_user(row))
        return user

    async def get_or_create(self, user_id: int, seen: Seen | None = None) -> User:
        """The user's row, created at first contact; the app's language (and, for staff and
        consenting students, the @username) refreshed when Telegram reports a change."""
        user = await self.get(user_id)
        if user is None:
            app_locale = shared(seen.app_locale) if seen else None
            created = await self._db.execute(
                "INSERT OR IGNORE INTO users (id, created_at, app_locale) VALUES (?, ?, ?)",
                (user_id, utcnow(), app_locale),
            )
            if created:
                return self._remember(User(user_id, None, None, None, app_locale))
            user = await self.get(user_id)  # another update of this user created it meanwhile
            assert user is not None
        if seen is not None:
            user = await self._refresh(user, seen)
        return user

    async def _refresh(self, user: User, seen: Seen) -> User:
        keeps_username = user.consented or user.staff_name is not None
        username = seen.username if keeps_username else user.username
        if seen.app_locale == user.app_locale and username == user.username:
            return user  # nearly always: no write
        app_locale = shared(seen.app_locale)
        await self._db.execute(
            "UPDATE users SET app_locale = ?, username = ? WHERE id = ?",
            (app_locale, username, user.id),
        )
        fresh = replace(user, app_locale=app_locale, username=username)
        self._update(user.id, app_locale=app_locale, username=username)
        return fresh

    async def set_staff_name(self, user_id: int, name: str, username: str | None) -> None:
        """A staff member's Telegram name and @username, as they were when they took the invite."""
        await self._db.execute(
            "UPDATE users SET tg_name = ?, username = ? WHERE id = ?", (name, username, user_id)
        )
        self._update(user_id, staff_name=name, username=username)

    async def staff_names(self, user_ids: list[int]) -> dict[int, User]:
        """The rows of these users (for their names), by id; unknown ids are absent."""
        if not user_ids:
            return {}
        marks = placeholders(user_ids)
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM users WHERE id IN ({marks})", tuple(user_ids)
        )
        return {int(r["id"]): _user(r) for r in rows}

    async def set_locale(self, user_id: int, locale: str) -> None:
        await self._db.execute("UPDATE users SET locale = ? WHERE id = ?", (locale, user_id))
        self._update(user_id, locale=shared(locale))

    async def set_consent(self, user_id: int, version: int, username: str | None = None) -> str:
        """Record consent to the notice of `version` (which names the @username as kept);
        returns when it was given."""
        now = utcnow()
        await self._db.execute(
            "UPDATE users SET consent_at = ?, consent_version = ?, username = ? WHERE id = ?",
            (now, version, username, user_id),
        )
        self._update(user_id, consent_at=now, consent_version=version, username=username)
        return now

    async def withdraw_consent(self, user_id: int) -> None:
        """Consent taken back: the student's record and open requests go with it."""

        def withdraw(conn: sqlite3.Connection) -> None:
            clear_consent(conn, [user_id])
            conn.execute("DELETE FROM students WHERE user_id = ?", (user_id,))
            conn.execute(
                "DELETE FROM join_requests WHERE student_id = ? AND status = 'pending'", (user_id,)
            )

        await self._db.run(withdraw)
        cached = self._cache.get(user_id)
        username = cached.username if cached and cached.staff_name else None
        self._update(user_id, consent_at=None, consent_version=None, username=username)

    async def set_blocked(self, user_id: int, blocked: bool) -> bool:
        """Telegram's word that they blocked the bot (left out of broadcasts and reminders at
        once) or unblocked it (in again); False if nothing changed."""
        if blocked:
            return await self._db.run(lambda conn: mark_blocked(conn, user_id, utcnow()))
        return await self._db.run(lambda conn: mark_active(conn, user_id))

    async def is_blocked(self, user_id: int) -> bool:
        row = await self._db.fetchone(
            "SELECT 1 FROM users WHERE id = ? AND blocked_at IS NOT NULL", (user_id,)
        )
        return row is not None

    def forget_cached(self, user_ids: Sequence[int]) -> None:
        """Rows erased elsewhere (the retention job) must not be served from the cache."""
        for user_id in user_ids:
            self._cache.pop(user_id, None)

    @property
    def cached(self) -> int:
        """Users in the cache now."""
        return len(self._cache)

    def _remember(self, user: User) -> User:
        if len(self._cache) >= self._cache_size:
            self._cache = without_oldest(self._cache, self._cache_size)
        self._cache[user.id] = user
        return user

    def _update(self, user_id: int, **changes: str | int | None) -> User | None:
        cached = self._cache.get(user_id)
        if cached is None:
            return None
        fresh = self._cache[user_id] = replace(cached, **changes)  # type: ignore[arg-type]
        return fresh


# --- statements for other repositories' units of work ------------------------------------------


def ensure_user(conn: sqlite3.Connection, user_id: int) -> None:
    """A row for someone the bot has not heard from yet (a role given by id)."""
    conn.execute("INSERT OR IGNORE INTO users (id, created_at) VALUES (?, ?)", (user_id, utcnow()))


def mark_blocked(conn: sqlite3.Connection, user_id: int, now: str) -> bool:
    """Unreachable (blocked the bot, deactivated): left out of later broadcasts; False if they
    were marked already."""
    return (
        conn.execute(
            "UPDATE users SET blocked_at = ? WHERE id = ? AND blocked_at IS NULL", (now, user_id)
        ).rowcount
        > 0
    )


def mark_active(conn: sqlite3.Connection, user_id: int) -> bool:
    """They wrote again: reachable; False if they were not marked."""
    return (
        conn.execute(
            "UPDATE users SET blocked_at = NULL WHERE id = ? AND blocked_at IS NOT NULL",
            (user_id,),
        ).rowcount
        > 0
    )


def set_reminders_off(conn: sqlite3.Connection, user_id: int, off: bool) -> None:
    conn.execute("UPDATE users SET reminders_off = ? WHERE id = ?", (int(off), user_id))


def clear_consent(conn: sqlite3.Connection, user_ids: Sequence[int]) -> None:
    """Consent gone; the @username with it, unless they are staff (a staff name is kept)."""
    conn.execute(
        "UPDATE users SET consent_at = NULL, consent_version = NULL,"
        " username = CASE WHEN tg_name IS NULL THEN NULL ELSE username END"
        f" WHERE id IN ({placeholders(user_ids)})",
        tuple(user_ids),
    )


def delete_users(conn: sqlite3.Connection, user_ids: Sequence[int]) -> None:
    conn.execute(f"DELETE FROM users WHERE id IN ({placeholders(user_ids)})", tuple(user_ids))
