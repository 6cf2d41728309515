"""One-time invite links for staff: a super admin invites a school's admins, a school admin (or a
super admin) a class's teachers. The target a button names is checked against the presser's
rights again when the link is made."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.access import Access
from storage.invites import InvitesRepo, Redeemed
from storage.roles import Role
from storage.schools import School, SchoolClass, SchoolsRepo
from storage.users import UsersRepo

TARGETS_MAX = 50  # buttons in a picker; larger structures use the CSV import


@dataclass(frozen=True, slots=True)
class Invitation:
    role: Role
    token: str  # shown once in the link, never stored (storage keeps its hash)
    place: str  # "School" or "5A, School": what the invitee will be given
    days: int  # how long the link stays valid


@dataclass(frozen=True, slots=True)
class Joined:
    """An invite taken: the role now held, where, and the classes whose waiting requests now
    come to this person."""

    role: Role
    school: str
    class_name: str
    class_ids: list[int]


class Invitations:
    def __init__(
        self, schools: SchoolsRepo, invites: InvitesRepo, users: UsersRepo, ttl_days: int
    ) -> None:
        self._schools = schools
        self._invites = invites
        self._users = users
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

    async def redeem(
        self, token: str, user_id: int, name: str, username: str | None
    ) -> Joined | Redeemed:
        """Take the invite (once); the person's Telegram name is kept so that /teachers shows
        people, not numbers. A Redeemed value says why nothing was granted."""
        redemption = await self._invites.redeem(token, user_id)
        if redemption.result in (Redeemed.UNKNOWN, Redeemed.USED, Redeemed.EXPIRED):
            return redemption.result
        await self._users.set_staff_name(user_id, name, username)
        school = await self._schools.get(redemption.school_id or 0)
        klass = await self._schools.get_class(redemption.class_id or 0)
        if klass is not None:
            class_ids = [klass.id]
        else:
            class_ids = [k.id for k in await self._schools.classes(school.id if school else 0)]
        return Joined(
            redemption.role or Role.TEACHER,
            school.name if school else "",
            klass.name if klass else "",
            class_ids,
        )
