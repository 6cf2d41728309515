"""Join requests from the teacher's side: who is told, who may decide, and deciding once."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.access import AccessControl
from storage.join_requests import JoinRequest, JoinRequestsRepo, RequestStatus
from storage.roles import RolesRepo
from storage.schools import SchoolClass, SchoolsRepo
from storage.students import StudentsRepo


class Reason(StrEnum):
    NOT_FOUND = "not-found"  # not found in Sferum's «Заявки»
    NOT_MY_CLASS = "not-my-class"
    OTHER = "other"


class Verdict(StrEnum):
    DECIDED = "decided"  # this press decided it
    ALREADY = "already"  # someone decided before: nothing changed
    FORBIDDEN = "forbidden"  # the presser may not decide this request
    UNKNOWN = "unknown"  # no such request (forged, or the student used /forget)


@dataclass(frozen=True, slots=True)
class Card:
    """What a notification about a request shows."""

    request: JoinRequest
    klass: SchoolClass
    student_name: str


@dataclass(frozen=True, slots=True)
class Decision:
    verdict: Verdict
    card: Card | None = None


class Approvals:
    def __init__(
        self,
        requests: JoinRequestsRepo,
        schools: SchoolsRepo,
        students: StudentsRepo,
        roles: RolesRepo,
        access: AccessControl,
        super_admins: frozenset[int],
    ) -> None:
        self.requests = requests
        self._schools = schools
        self._students = students
        self._roles = roles
        self._access = access
        self._super_admins = super_admins

    async def card(self, request_id: int) -> Card | None:
        request = await self.requests.get(request_id)
        if request is None:
            return None
        klass = await self._schools.get_class(request.class_id)
        student = await self._students.get(request.student_id)
        if klass is None or student is None:
            return None
        return Card(request, klass, student.full_name or "")

    async def decided_by_teacher(self, card: Card) -> bool:
        """Whether one of the class's own teachers decided (else a school or super admin)."""
        decider = card.request.decided_by
        return decider is not None and decider in await self._roles.teachers_of(card.klass.id)

    async def recipient_tiers(self, klass: SchoolClass) -> list[list[int]]:
        """Who decides the class's requests, in order: its teachers, its school's admins, the
        super admins. A card goes to the first tier it can reach."""
        tiers = [
            await self._roles.teachers_of(klass.id),
            await self._roles.admins_of(klass.school_id),
            sorted(self._super_admins),
        ]
        return [tier for tier in tiers if tier]

    async def decide(
        self,
        request_id: int,
        presser_id: int,
        presser_name: str,
        status: RequestStatus,
        reason: Reason | None = None,
    ) -> Decision:
        card = await self.card(request_id)
        if card is None:
            return Decision(Verdict.UNKNOWN)
        if not (await self._access.of(presser_id)).may_decide(card.klass):
            return Decision(Verdict.FORBIDDEN)
        decided = await self.requests.decide(
            request_id, status, reason.value if reason else None, presser_id, presser_name
        )
        fresh = await self.card(request_id)
        return Decision(Verdict.DECIDED if decided else Verdict.ALREADY, fresh or card)
