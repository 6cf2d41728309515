"""Admins managing a school's structure in the bot: its classes and its staff's roles.

The buttons' data only names what was pressed; who may do it is decided here, on every press,
from the database (bot/access.py), so a stale or forged button changes nothing.
"""

from __future__ import annotations

from enum import StrEnum

from bot.access import Access
from storage.roles import Grant, RolesRepo
from storage.schools import School, SchoolClass, SchoolsRepo

CLASS_NAME_MAX = 20
SCHOOLS_MAX = 50  # buttons in a school picker; larger structures use the CSV import


class AdminView(StrEnum):
    CLASSES = "c"
    TEACHERS = "t"
    NEW_CLASS = "n"  # /newclass NAME by an admin of several schools: which school


class ClassAction(StrEnum):
    ADD = "add"  # target: a school id
    RENAME = "ren"
    REMOVE = "rem"  # asks to confirm


def class_name(text: str) -> str | None:
    """A class name as typed (spaces collapsed), or None if it is empty or too long."""
    name = " ".join(text.split())
    return name if name and len(name) <= CLASS_NAME_MAX else None


async def name_taken(
    schools: SchoolsRepo, school_id: int, name: str, except_id: int = 0
) -> str | None:
    """The school's class already called `name`, in any letter case (SQLite's NOCASE folds
    ASCII only, so "5б" and "5Б" are compared here)."""
    wanted = name.casefold()
    for klass in await schools.classes(school_id):
        if klass.id != except_id and klass.name.casefold() == wanted:
            return klass.name
    return None


async def managed_schools(access: Access, schools: SchoolsRepo) -> list[School]:
    """The schools whose structure this person manages: all for a super admin."""
    if access.super_admin:
        return (await schools.search("", 0, SCHOOLS_MAX))[0]
    found = [await schools.get(school_id) for school_id in access.admin_schools]
    return sorted((s for s in found if s is not None), key=lambda s: (s.name.casefold(), s.id))


async def managed_school(access: Access, schools: SchoolsRepo, school_id: int) -> School | None:
    """The school, if it exists and this person manages it."""
    if not access.admin_of(school_id):
        return None
    return await schools.get(school_id)


async def managed_class(access: Access, schools: SchoolsRepo, class_id: int) -> SchoolClass | None:
    """The class, if it exists and this person manages its school."""
    klass = await schools.get_class(class_id)
    return klass if klass is not None and access.admin_of(klass.school_id) else None


async def revocable(access: Access, roles: RolesRepo, grant: Grant) -> bool | None:
    """None: this person may not manage the school; False: no such role (any more)."""
    if not access.admin_of(grant.school_id):
        return None
    return grant in await roles.of_school(grant.school_id)
