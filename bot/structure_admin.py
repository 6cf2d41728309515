"""Admins managing a school's structure in the bot: its schools and classes, its staff's roles.

The buttons' data only names what was pressed; who may do it is decided here, on every press,
from the database (bot/access.py), so a stale or forged button changes nothing. Every method
returns a plain result; ui/admin_screens.py turns it into a message.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.access import Access
from storage.join_requests import JoinRequestsRepo
from storage.roles import Grant, Role, RolesRepo
from storage.schools import School, SchoolClass, SchoolsRepo
from storage.students import StudentsRepo
from storage.users import UsersRepo

CLASS_NAME_MAX = 20
SCHOOL_NAME_MAX = 200
SCHOOLS_MAX = 50  # buttons in a school picker; larger structures use the CSV import


class AdminView(StrEnum):
    CLASSES = "c"
    TEACHERS = "t"
    NEW_CLASS = "n"  # /newclass NAME by an admin of several schools: which school


class ClassAction(StrEnum):
    ADD = "add"  # target: a school id
    RENAME = "ren"
    REMOVE = "rem"  # asks to confirm


class Refusal(StrEnum):
    """Why nothing was done: the presser may not, or what was pressed is gone."""

    FORBIDDEN = "forbidden"
    SCHOOL_GONE = "school-gone"
    CLASS_GONE = "class-gone"
    CHANGED = "changed"  # a removal's confirmation no longer tells the truth
    ROLE_GONE = "role-gone"


def class_name(text: str) -> str | None:
    """A class name as typed (spaces collapsed), or None if it is empty or too long."""
    name = " ".join(text.split())
    return name if name and len(name) <= CLASS_NAME_MAX else None


def school_name(text: str) -> str | None:
    name = " ".join(text.split())
    return name if name and len(name) <= SCHOOL_NAME_MAX else None


@dataclass(frozen=True, slots=True)
class Created:
    name: str  # the name as created, or the one an existing school/class already has
    created: bool


@dataclass(frozen=True, slots=True)
class NameClash:
    existing: str  # the school's class already called so (in any letter case)


@dataclass(frozen=True, slots=True)
class ClassesOverview:
    school: School
    classes: list[tuple[SchoolClass, int]]  # with the count of students in each


@dataclass(frozen=True, slots=True)
class Person:
    """A staff member as people know them: their Telegram name and @username, when known."""

    user_id: int
    name: str | None
    username: str | None = None


@dataclass(frozen=True, slots=True)
class StaffOverview:
    school: School
    admins: list[tuple[Grant, Person]]
    teachers: list[tuple[Grant, Person, SchoolClass]]


@dataclass(frozen=True, slots=True)
class Removal:
    """What removing a class would take away."""

    klass: SchoolClass
    students: int
    requests: int
    teachers: int


@dataclass(frozen=True, slots=True)
class RoleInPlace:
    grant: Grant
    person: Person
    school: str
    class_name: str


async def managed_schools(access: Access, schools: SchoolsRepo) -> list[School]:
    """The schools whose structure this person manages: all for a super admin."""
    if access.super_admin:
        return (await schools.search("", 0, SCHOOLS_MAX))[0]
    found = [await schools.get(school_id) for school_id in access.admin_schools]
    return sorted((s for s in found if s is not None), key=lambda s: (s.name.casefold(), s.id))


class StructureAdmin:
    def __init__(
        self,
        schools: SchoolsRepo,
        students: StudentsRepo,
        requests: JoinRequestsRepo,
        roles: RolesRepo,
        users: UsersRepo,
    ) -> None:
        self._schools = schools
        self._students = students
        self._requests = requests
        self._roles = roles
        self._users = users

    # --- which school -----------------------------------------------------------------------

    async def managed_schools(self, access: Access) -> list[School]:
        return await managed_schools(access, self._schools)

    async def school(self, access: Access, school_id: int) -> School | Refusal:
        if not access.admin_of(school_id):
            return Refusal.FORBIDDEN
        return await self._schools.get(school_id) or Refusal.SCHOOL_GONE

    async def school_class(self, access: Access, class_id: int) -> SchoolClass | Refusal:
        klass = await self._schools.get_class(class_id)
        if klass is None:
            return Refusal.CLASS_GONE
        return klass if access.admin_of(klass.school_id) else Refusal.FORBIDDEN

    # --- creating -----------------------------------------------------------------------------

    async def create_school(self, name: str) -> Created:
        _, created = await self._schools.create_school(name)
        return Created(name, created)

    async def create_class(self, access: Access, school_id: int, name: str) -> Created | Refusal:
        school = await self.school(access, school_id)  # rights may be gone by now
        if isinstance(school, Refusal):
            return school
        existing = await self._name_taken(school.id, name)
        if existing is not None:
            return Created(existing, False)
        _, created = await self._schools.create_class(school.id, name)
        return Created(name, created)

    async def rename_class(
        self, access: Access, class_id: int, name: str
    ) -> tuple[SchoolClass, str] | NameClash | Refusal:
        """(the class as it was, its new name), or the class whose name it already is."""
        klass = await self.school_class(access, class_id)
        if isinstance(klass, Refusal):
            return klass
        clash = await self._name_taken(klass.school_id, name, except_id=klass.id)
        if clash is not None or not await self._schools.rename_class(klass.id, name):
            return NameClash(clash or name)
        return klass, name

    async def _name_taken(self, school_id: int, name: str, except_id: int = 0) -> str | None:
        """The school's class already called `name`, in any letter case (SQLite's NOCASE folds
        ASCII only, so "5б" and "5Б" are compared here)."""
        wanted = name.casefold()
        for klass in await self._schools.classes(school_id):
            if klass.id != except_id and klass.name.casefold() == wanted:
                return klass.name
        return None

    # --- overviews ----------------------------------------------------------------------------

    async def classes(self, school: School) -> ClassesOverview:
        counts = await self._students.counts_in_school(school.id)
        classes = await self._schools.classes(school.id)
        return ClassesOverview(school, [(k, counts.get(k.id, 0)) for k in classes])

    async def staff(self, school: School, presser: Person) -> StaffOverview:
        grants = await self._roles.of_school(school.id)
        people = await self._people(sorted({g.user_id for g in grants}), presser)
        admins = [(g, people[g.user_id]) for g in grants if g.role is Role.SCHOOL_ADMIN]
        teachers = [
            (g, people[g.user_id], k)
            for g in grants
            if g.role is Role.TEACHER
            and (k := await self._schools.get_class(g.class_id or 0)) is not None
        ]
        teachers.sort(key=lambda row: (len(row[2].name), row[2].name, row[0].user_id))
        return StaffOverview(school, admins, teachers)

    async def _people(self, user_ids: list[int], presser: Person) -> dict[int, Person]:
        """Their Telegram names from their invites; the presser's own name Telegram tells."""
        rows = await self._users.staff_names(user_ids)
        people = {}
        for user_id in user_ids:
            user = rows.get(user_id)
            if user is not None and user.staff_name:
                people[user_id] = Person(user_id, user.staff_name, user.username)
            else:
                people[user_id] = presser if user_id == presser.user_id else Person(user_id, None)
        return people

    # --- removing a class, revoking a role -------------------------------------------------

    async def removal(self, klass: SchoolClass) -> Removal:
        count = await self._students.count_in_class(klass.id)
        if not count:
            return Removal(klass, 0, 0, 0)
        pending = await self._requests.pending_in_class(klass.id)
        return Removal(klass, count, pending, len(await self._roles.teachers_of(klass.id)))

    async def remove_class(
        self, access: Access, class_id: int, confirmed_students: int
    ) -> SchoolClass | Removal | Refusal:
        """The removed class; a fresh Removal when the confirmed count is out of date (nothing is
        removed: the admin is asked again)."""
        klass = await self.school_class(access, class_id)
        if isinstance(klass, Refusal):
            return klass
        removal = await self.removal(klass)
        if removal.students != confirmed_students:
            return removal
        await self._schools.remove_class(klass.id)
        return klass

    async def role(self, access: Access, grant: Grant, presser: Person) -> RoleInPlace | Refusal:
        """The role as it stands, if this person manages its school and it still exists."""
        if not access.admin_of(grant.school_id):
            return Refusal.FORBIDDEN
        if grant not in await self._roles.of_school(grant.school_id):
            return Refusal.ROLE_GONE
        school = await self._schools.get(grant.school_id)
        klass = await self._schools.get_class(grant.class_id) if grant.class_id else None
        person = (await self._people([grant.user_id], presser))[grant.user_id]
        return RoleInPlace(
            grant, person, school.name if school else "", klass.name if klass else ""
        )

    async def revoke(self, access: Access, grant: Grant, presser: Person) -> RoleInPlace | Refusal:
        role = await self.role(access, grant, presser)
        if not isinstance(role, Refusal):
            await self._roles.revoke(grant.user_id, grant.role, grant.school_id, grant.class_id)
        return role
