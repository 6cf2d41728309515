"""Who may do what. Decided here from the database and settings, never from a button's data."""

from __future__ import annotations

from dataclasses import dataclass

from storage.roles import Grant, Role, RolesRepo
from storage.schools import SchoolClass


@dataclass(frozen=True, slots=True)
class Access:
    user_id: int
    super_admin: bool
    grants: tuple[Grant, ...]

    def admin_of(self, school_id: int) -> bool:
        return self.super_admin or any(
            g.role is Role.SCHOOL_ADMIN and g.school_id == school_id for g in self.grants
        )

    def teacher_of(self, class_id: int) -> bool:
        return any(g.role is Role.TEACHER and g.class_id == class_id for g in self.grants)

    def may_decide(self, klass: SchoolClass) -> bool:
        """A teacher of the class, an admin of its school, or a super admin."""
        return self.teacher_of(klass.id) or self.admin_of(klass.school_id)

    def is_staff(self) -> bool:
        """A teacher, a school admin or a super admin."""
        return self.super_admin or any(
            g.role in (Role.SCHOOL_ADMIN, Role.TEACHER) for g in self.grants
        )

    @property
    def admin_schools(self) -> list[int]:
        return [g.school_id for g in self.grants if g.role is Role.SCHOOL_ADMIN]

    @property
    def teacher_classes(self) -> list[int]:
        return [g.class_id for g in self.grants if g.role is Role.TEACHER and g.class_id]


class AccessControl:
    def __init__(self, roles: RolesRepo, super_admins: frozenset[int]) -> None:
        self._roles = roles
        self._super_admins = super_admins

    async def of(self, user_id: int) -> Access:
        return Access(
            user_id, user_id in self._super_admins, tuple(await self._roles.of_user(user_id))
        )
