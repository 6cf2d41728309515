"""Roles granted inside the bot: school admins (per school) and class teachers (per class).

Super admins are not stored: they are the ADMIN_IDS setting.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from enum import StrEnum

from storage.db import Database, Row, utcnow
from storage.users import ensure_user


class Role(StrEnum):
    SCHOOL_ADMIN = "school_admin"
    TEACHER = "teacher"


@dataclass(frozen=True, slots=True)
class Grant:
    user_id: int
    role: Role
    school_id: int
    class_id: int | None


def _grant(row: Row) -> Grant:
    return Grant(row["user_id"], Role(row["role"]), row["school_id"], row["class_id"])


def grant(
    conn: sqlite3.Connection, user_id: int, role: Role, school_id: int, class_id: int | None
) -> bool:
    """Give a role (for Database.run); False if the user already had it."""
    ensure_user(conn, user_id)
    cur = conn.execute(
        "INSERT OR IGNORE INTO roles (user_id, role, school_id, class_id, granted_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (user_id, role.value, school_id, class_id, utcnow()),
    )
    return cur.rowcount == 1


class RolesRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def of_user(self, user_id: int) -> list[Grant]:
        rows = await self._db.fetchall(
            "SELECT * FROM roles WHERE user_id = ? ORDER BY role, school_id, class_id", (user_id,)
        )
        return [_grant(r) for r in rows]

    async def revoke(self, user_id: int, role: Role, school_id: int, class_id: int | None) -> bool:
        changed = await self._db.execute(
            "DELETE FROM roles WHERE user_id = ? AND role = ? AND school_id = ?"
            " AND coalesce(class_id, 0) = coalesce(?, 0)",
            (user_id, role.value, school_id, class_id),
        )
        return changed > 0

    async def of_school(self, school_id: int) -> list[Grant]:
        """Every role in the school: its admins and the teachers of its classes."""
        rows = await self._db.fetchall(
            "SELECT * FROM roles WHERE school_id = ? ORDER BY role, class_id, user_id",
            (school_id,),
        )
        return [_grant(r) for r in rows]

    async def teachers_of(self, class_id: int) -> list[int]:
        rows = await self._db.fetchall(
            "SELECT user_id FROM roles WHERE class_id = ? AND role = 'teacher' ORDER BY user_id",
            (class_id,),
        )
        return [int(r["user_id"]) for r in rows]

    async def admins_of(self, school_id: int) -> list[int]:
        rows = await self._db.fetchall(
            "SELECT user_id FROM roles WHERE school_id = ? AND role = 'school_admin'"
            " ORDER BY user_id",
            (school_id,),
        )
        return [int(r["user_id"]) for r in rows]
