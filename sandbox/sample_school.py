"""The sandbox's sample data: examples/structure.csv, and a teacher and an admin of one class."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.structure_import import import_structure, parse_structure
from storage.db import Database
from storage.roles import Role, grant
from storage.schools import SchoolsRepo
from storage.users import UsersRepo

STRUCTURE_CSV = Path(__file__).resolve().parents[1] / "examples" / "structure.csv"
SAMPLE_SCHOOL = "МБОУ СОШ № 1"
SAMPLE_CLASS = "5А"


@dataclass(frozen=True)
class SampleClass:
    school: str
    name: str
    code: str  # the class's deep link is /start c_<code>


async def load_sample_school(
    db_path: Path,
    teacher_id: int,
    admin_id: int,
    csv_path: Path = STRUCTURE_CSV,
    *,
    names: Mapping[int, str] | None = None,
) -> SampleClass:
    """Imports the sample structure into the database at `db_path` and makes `teacher_id` the
    teacher of the sample class and `admin_id` the admin of its school (as invites would,
    keeping the Telegram `names` an invite would keep)."""
    parsed = parse_structure(await asyncio.to_thread(csv_path.read_text, encoding="utf-8-sig"))
    db = await Database.open(db_path)
    try:
        result = await import_structure(db, parsed)
        if result.errors:
            raise ValueError(f"{csv_path}: {result.errors}")
        schools = SchoolsRepo(db)
        found, _ = await schools.search(SAMPLE_SCHOOL, 0, 1)
        school = found[0]
        sample = next(c for c in await schools.classes(school.id) if c.name == SAMPLE_CLASS)
        await db.run(lambda conn: grant(conn, teacher_id, Role.TEACHER, school.id, sample.id))
        await db.run(lambda conn: grant(conn, admin_id, Role.SCHOOL_ADMIN, school.id, None))
        users = UsersRepo(db)
        for user_id, name in (names or {}).items():
            await users.set_staff_name(user_id, name, None)
    finally:
        await db.close()
    return SampleClass(school.name, sample.name, sample.code)
