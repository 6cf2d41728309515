"""Broadcast audiences: who an admin may reach, and the chat ids an audience resolves to.

Rules (decided from the database on every press, never from a button's data):
- a super admin: everyone, any school, any class, all teachers, and students stuck at a step or
  not finished in any school;
- a school admin: their own school(s) or one of its classes, and students stuck at a step or not
  finished in their own school(s);
- anyone else: nothing.
Users who blocked the bot (users.blocked_at) are never in an audience (storage/audiences.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.access import Access
from bot.wizard import Step
from storage.audiences import AudiencesRepo
from storage.schools import SchoolsRepo

# Steps a student can be stuck at: a record exists from the school choice on (after consent).
STUCK_STEPS: tuple[Step, ...] = tuple(
    s for s in Step if s not in (Step.WELCOME, Step.CONSENT, Step.DONE)
)


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
class Resolved:
    """An audience the person may reach: what to call it and who is in it."""

    audience: Audience
    school: str = ""  # the school's name (SCHOOL, CLASS)
    class_name: str = ""  # the class's name (CLASS)
    chat_ids: tuple[int, ...] = ()

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


async def resolve(
    access: Access, audience: Audience, schools: SchoolsRepo, audiences: AudiencesRepo
) -> Resolved | None:
    """The audience with its chat ids, or None if this person may not reach it (or it is gone)."""
    if not is_admin(access):
        return None
    scope = None if access.super_admin else sorted(set(access.admin_schools))
    match audience.kind:
        case Kind.EVERYONE if access.super_admin:
            return Resolved(audience, chat_ids=tuple(await audiences.everyone()))
        case Kind.TEACHERS if access.super_admin:
            return Resolved(audience, chat_ids=tuple(await audiences.teachers()))
        case Kind.SCHOOL:
            school = await schools.get(audience.target)
            if school is None or not access.admin_of(school.id):
                return None
            ids = await audiences.school(school.id)
            return Resolved(audience, school=school.name, chat_ids=tuple(ids))
        case Kind.CLASS:
            klass = await schools.get_class(audience.target)
            if klass is None or not access.admin_of(klass.school_id):
                return None
            ids = await audiences.school_class(klass.id)
            return Resolved(
                audience, school=klass.school_name, class_name=klass.name, chat_ids=tuple(ids)
            )
        case Kind.STUCK if audience.step in {s.value for s in STUCK_STEPS}:
            ids = await audiences.stuck(audience.step, scope)
            return Resolved(audience, chat_ids=tuple(ids))
        case Kind.UNFINISHED:
            return Resolved(audience, chat_ids=tuple(await audiences.unfinished(scope)))
    return None
