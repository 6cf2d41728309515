"""Broadcast audiences: who an admin may reach, how many people that is, and which statement
lists them.

Rules (decided from the database on every press, never from a button's data):
- a super admin: everyone, any school, any class, all teachers, and students stuck at a step or
  not finished in any school;
- a school admin: their own school(s) or one of its classes, and students stuck at a step or not
  finished in their own school(s);
- anyone else: nothing.
Users who blocked the bot (users.blocked_at) are never in an audience (storage/audiences.py).

An audience is checked first (`check`: cheap, the rights and whether the school or class is still
there), and only a checked one is counted (`count`, for a preview) or handed, as its `selection`,
to the delivery engine, which lists it once, in chunks, when the broadcast starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.access import Access
from bot.wizard import STUCK_STEPS
from storage import audiences
from storage.audiences import AudiencesRepo
from storage.schools import SchoolsRepo


class Kind(StrEnum):
    EVERYONE = "all"
    SCHOOL = "s"  # target: a school id
    CLASS = "c"  # target: a class id
    TEACHERS = "t"
    STUCK = "st"  # step: a wizard step
    UNFINISHED = "u"


class Menu(StrEnum):
    ROOT = "root"
    SCHOOLS = "s"  # pick a school as the audience
    CLASS_SCHOOLS = "cs"  # pick the school whose classes to list
    CLASSES = "c"  # target: a school id
    STEPS = "st"


@dataclass(frozen=True, slots=True)
class Audience:
    kind: Kind
    target: int = 0
    step: str = ""

    def to_data(self) -> dict[str, object]:
        return {"kind": self.kind.value, "target": self.target, "step": self.step}

    @classmethod
    def from_data(cls, data: object) -> Audience | None:
        if not isinstance(data, dict):
            return None
        try:
            return cls(Kind(data["kind"]), int(data["target"]), str(data["step"]))
        except (KeyError, ValueError, TypeError):
            return None


@dataclass(frozen=True, slots=True)
class Target:
    """An audience this person may reach, checked: what to call it and where its people are.

    Who is in it is not here: `count` (a preview) and `chat_ids` (a broadcast started) ask."""

    audience: Audience
    school: str = ""  # the school's name (SCHOOL, CLASS)
    class_name: str = ""  # the class's name (CLASS)
    scope: tuple[int, ...] | None = None  # STUCK, UNFINISHED: a school admin's schools

    @property
    def description(self) -> str:
        """Stored with the broadcast (broadcasts.audience): for people reading the database."""
        a = self.audience
        match a.kind:
            case Kind.SCHOOL:
                return f"school:{a.target} {self.school}"
            case Kind.CLASS:
                return f"class:{a.target} {self.class_name}, {self.school}"
            case Kind.STUCK:
                return f"stuck:{a.step}"
            case _:
                return a.kind.name.lower()


def is_admin(access: Access) -> bool:
    return access.super_admin or bool(access.admin_schools)


def may_cancel(access: Access, created_by: int) -> bool:
    """Who may see and cancel a running broadcast: its author while an admin, a super admin."""
    return access.super_admin or (is_admin(access) and access.user_id == created_by)


async def check(access: Access, audience: Audience, schools: SchoolsRepo) -> Target | None:
    """The audience if this person may reach it and it is still there, else None.

    The cheap step, done before anyone in the audience is counted or listed: at most one
    lookup of the school or class."""
    if not is_admin(access):
        return None
    scope = None if access.super_admin else tuple(sorted(set(access.admin_schools)))
    match audience.kind:
        case Kind.EVERYONE | Kind.TEACHERS if access.super_admin:
            return Target(audience)
        case Kind.SCHOOL:
            school = await schools.get(audience.target)
            if school is None or not access.admin_of(school.id):
                return None
            return Target(audience, school=school.name)
        case Kind.CLASS:
            klass = await schools.get_class(audience.target)
            if klass is None or not access.admin_of(klass.school_id):
                return None
            return Target(audience, school=klass.school_name, class_name=klass.name)
        case Kind.STUCK if audience.step in {s.value for s in STUCK_STEPS}:
            return Target(audience, scope=scope)
        case Kind.UNFINISHED:
            return Target(audience, scope=scope)
    return None


def selection(target: Target) -> audiences.Selection:
    """Who a checked audience is, as one statement to count or to list."""
    a = target.audience
    match a.kind:
        case Kind.EVERYONE:
            return audiences.everyone()
        case Kind.TEACHERS:
            return audiences.teachers()
        case Kind.SCHOOL:
            return audiences.school(a.target)
        case Kind.CLASS:
            return audiences.school_class(a.target)
        case Kind.STUCK:
            return audiences.stuck(a.step, target.scope)
        case _:
            return audiences.unfinished(target.scope)


async def count(target: Target, repo: AudiencesRepo) -> int:
    """How many people a checked audience reaches now (one count query, no ids fetched)."""
    return await repo.count(selection(target))
