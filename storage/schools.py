"""Schools and their classes (the structure students pick from)."""

from __future__ import annotations

import secrets
import sqlite3
from dataclasses import dataclass

from storage.db import Database, Row, utcnow

# Class codes go into deep links (/start c_<code>): short, unambiguous, URL-safe.
_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
CODE_LENGTH = 8


@dataclass(frozen=True, slots=True)
class School:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class SchoolClass:
    id: int
    school_id: int
    school_name: str
    name: str
    code: str
    invite_link: str | None
    chat_link: str | None


def new_class_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(CODE_LENGTH))


_CLASS_COLUMNS = """
    c.id, c.school_id, s.name AS school_name, c.name, c.code, c.invite_link, c.chat_link
    FROM classes c JOIN schools s ON s.id = c.school_id
"""


def _class(row: Row) -> SchoolClass:
    return SchoolClass(
        row["id"],
        row["school_id"],
        row["school_name"],
        row["name"],
        row["code"],
        row["invite_link"],
        row["chat_link"],
    )


class SchoolsRepo:
    """Schools and classes.

    Classes are read on most steps of the wizard, so they are cached by id. The structure import
    only adds classes; whatever changes a class (its links, its name) must do it through this
    repository and drop the cached copy.
    """

    def __init__(self, db: Database) -> None:
        self._db = db
        self._classes: dict[int, SchoolClass] = {}

    async def search(self, query: str, offset: int, limit: int) -> tuple[list[School], int]:
        """One page of schools whose name contains `query` (case-insensitive), and the total.

        SQLite's NOCASE folds ASCII only, so Cyrillic search compares casefolded copies in Python:
        the school list is small (a municipality has tens to hundreds of schools).
        """
        rows = await self._db.fetchall("SELECT id, name FROM schools ORDER BY name, id")
        needle = query.casefold().strip()
        found = [School(r["id"], r["name"]) for r in rows if needle in r["name"].casefold()]
        return found[offset : offset + limit], len(found)

    async def get(self, school_id: int) -> School | None:
        row = await self._db.fetchone("SELECT id, name FROM schools WHERE id = ?", (school_id,))
        return School(row["id"], row["name"]) if row else None

    async def classes(self, school_id: int) -> list[SchoolClass]:
        rows = await self._db.fetchall(
            f"SELECT {_CLASS_COLUMNS} WHERE c.school_id = ? ORDER BY length(c.name), c.name",
            (school_id,),
        )
        return [_class(r) for r in rows]

    async def get_class(self, class_id: int) -> SchoolClass | None:
        cached = self._classes.get(class_id)
        if cached is not None:
            return cached
        row = await self._db.fetchone(f"SELECT {_CLASS_COLUMNS} WHERE c.id = ?", (class_id,))
        if row is None:
            return None
        klass = self._classes[class_id] = _class(row)
        return klass

    async def create_school(self, name: str) -> tuple[int, bool]:
        return await self._db.run(lambda conn: ensure_school(conn, name))

    async def create_class(self, school_id: int, name: str) -> tuple[int, bool]:
        return await self._db.run(lambda conn: ensure_class(conn, school_id, name))

    async def set_links(
        self, class_id: int, *, invite_link: str | None = None, chat_link: str | None = None
    ) -> None:
        """Store the class invite link and/or the class chat link (None leaves one as it is)."""
        await self._db.execute(
            "UPDATE classes SET invite_link = coalesce(?, invite_link),"
            " chat_link = coalesce(?, chat_link) WHERE id = ?",
            (invite_link, chat_link, class_id),
        )
        self._classes.pop(class_id, None)

    async def rename_class(self, class_id: int, name: str) -> bool:
        """False if the school already has a class of that name."""
        try:
            await self._db.execute("UPDATE classes SET name = ? WHERE id = ?", (name, class_id))
        except sqlite3.IntegrityError:
            return False
        finally:
            self._classes.pop(class_id, None)
        return True

    async def remove_class(self, class_id: int) -> None:
        """Deletes the class with its join requests and teachers' roles (cascades); students'
        records keep their progress without a class."""
        await self._db.execute("DELETE FROM classes WHERE id = ?", (class_id,))
        self._classes.pop(class_id, None)

    async def class_by_code(self, code: str) -> SchoolClass | None:
        row = await self._db.fetchone(f"SELECT {_CLASS_COLUMNS} WHERE c.code = ?", (code,))
        return _class(row) if row else None


def ensure_school(conn: sqlite3.Connection, name: str) -> tuple[int, bool]:
    """The school's id, creating it if needed; the flag tells whether it was created.

    For Database.run(): plain sqlite3 on the worker thread, inside the caller's unit of work.
    """
    row = conn.execute("SELECT id FROM schools WHERE name = ?", (name,)).fetchone()
    if row:
        return int(row["id"]), False
    cur = conn.execute("INSERT INTO schools (name, created_at) VALUES (?, ?)", (name, utcnow()))
    return int(cur.lastrowid or 0), True


def class_code_of(conn: sqlite3.Connection, class_id: int) -> str:
    """The class's deep-link code. For Database.run()."""
    row = conn.execute("SELECT code FROM classes WHERE id = ?", (class_id,)).fetchone()
    return str(row["code"])


def ensure_class(conn: sqlite3.Connection, school_id: int, name: str) -> tuple[int, bool]:
    """The class's id, creating it (with a fresh unique code) if needed. For Database.run()."""
    row = conn.execute(
        "SELECT id FROM classes WHERE school_id = ? AND name = ?", (school_id, name)
    ).fetchone()
    if row:
        return int(row["id"]), False
    while True:
        code = new_class_code()
        if not conn.execute("SELECT 1 FROM classes WHERE code = ?", (code,)).fetchone():
            break
    cur = conn.execute(
        "INSERT INTO classes (school_id, name, code, created_at) VALUES (?, ?, ?, ?)",
        (school_id, name, code, utcnow()),
    )
    return int(cur.lastrowid or 0), True
