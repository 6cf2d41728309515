"""The school staff most role tests start from (super admin: the settings' ADMIN_IDS)."""

from __future__ import annotations

import sqlite3

from storage.db import Database
from storage.roles import Role, grant

SUPER_ADMIN = 9000
TEACHER_5A, TEACHER_5B, ADMIN_SCHOOL_1, ADMIN_SCHOOL_2 = 2001, 2002, 2003, 2004
SCHOOL_1, SCHOOL_2 = 1, 2


async def appoint_staff(db: Database, structure: dict[str, int]) -> None:
    """A teacher each for 5А and 5Б, an admin for each school (see the `structure` fixture)."""

    def appoint(conn: sqlite3.Connection) -> None:
        grant(conn, TEACHER_5A, Role.TEACHER, SCHOOL_1, structure["5А"])
        grant(conn, TEACHER_5B, Role.TEACHER, SCHOOL_1, structure["5Б"])
        grant(conn, ADMIN_SCHOOL_1, Role.SCHOOL_ADMIN, SCHOOL_1, None)
        grant(conn, ADMIN_SCHOOL_2, Role.SCHOOL_ADMIN, SCHOOL_2, None)

    await db.run(appoint)
