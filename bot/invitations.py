"""One-time invite links for staff: a super admin invites a school's admins, a school admin (or a
super admin) a class's teachers. The target a button names is checked against the presser's
rights again when the link is made."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.access import Access
from storage.invites import InvitesRepo
from storage.roles import Role
from storage.schools import School, SchoolClass, SchoolsRepo

TARGETS_MAX = 50  # buttons in a picker; larger structures use the CSV import


@dataclass(frozen=True, slots=True)
class Invitation:
    role: Role
    token: str  # shown once in the link, never stored (storage keeps its hash)
    place: str  # "School" or "5A, School": what the invitee will be given
    days: int  # how long the link stays valid


class Invitations:
    def __init__(self, schools: SchoolsRepo, invites: InvitesRepo, ttl_days: int) -> None:
        self._schools = schools
        self._invites = invites
        self._ttl_days = ttl_days

    async def schools(self) -> list[School]:
        """Whose admins a super admin may invite."""
        return (await self._schools.search("", 0, TARGETS_MAX))[0]

    async def classes(self, access: Access) -> list[SchoolClass]:
        """Whose teachers this admin may invite: their schools' classes (any for a super admin)."""
        school_ids = access.admin_schools or [s.id for s in await self.schools()]
        found = [k for school_id in school_ids for k in await self._schools.classes(school_id)]
        return found[:TARGETS_MAX]

    async def create(self, access: Access, role: Role, target: int) -> Invitation | None:
        """A new link for the school (SCHOOL_ADMIN) or class (TEACHER) `target`; None when it is
        gone or this person may not invite to it."""
        if role is Role.SCHOOL_ADMIN:
            school = await self._schools.get(target)
            if school is None or not access.super_admin:
                return None
            school_id, class_id, place = school.id, None, school.name
        else:
            klass = await self._schools.get_class(target)
            if klass is None or not access.admin_of(klass.school_id):
                return None
            school_id, class_id = klass.school_id, klass.id
            place = f"{klass.name}, {klass.school_name}"
        ttl = timedelta(days=self._ttl_days)
        token = await self._invites.create(role, school_id, class_id, access.user_id, ttl)
        return Invitation(role, token, place, self._ttl_days)
