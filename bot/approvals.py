"""Join requests from the teacher's side: who is told, who may decide, and deciding once."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from enum import StrEnum

from bot.access import Access
from bot.wizard import Step
from storage.join_requests import JoinRequest, JoinRequestsRepo, RequestStatus
from storage.roles import RolesRepo
from storage.schools import SchoolClass, SchoolsRepo
from storage.students import StudentsRepo
from storage.users import UsersRepo


class Reason(StrEnum):
    NOT_FOUND = "not-found"  # not found in Sferum's «Заявки»
    NOT_MY_CLASS = "not-my-class"
    OTHER = "other"


# A teacher's own words for a rejection: short, one message, shown to a child.
REASON_TEXT_MAX = 200


class Reach(StrEnum):
    """Who received a request's card: the class's teachers, the school's admins, the super
    admins (the municipality), or nobody yet (it waits for the first of them to join)."""

    TEACHER = "teacher"
    SCHOOL = "school"
    MUNICIPALITY = "municipality"
    NOBODY = "nobody"


def reach_of(request: JoinRequest) -> Reach:
    return Reach(request.reached) if request.reached else Reach.NOBODY


def clean_reason(text: str) -> str | None:
    """A typed rejection reason as it will be stored, or None if it can't be one."""
    reason = " ".join(text.split())
    if not reason or len(reason) > REASON_TEXT_MAX:
        return None
    if any(unicodedata.category(c) in ("Cc", "Cf", "Co", "Cs") for c in reason):
        return None
    if not any(c.isalnum() for c in reason):
        return None
    return reason


class Verdict(StrEnum):
    DECIDED = "decided"  # this press decided it
    ALREADY = "already"  # someone decided before: nothing changed
    FORBIDDEN = "forbidden"  # the presser may not decide this request
    UNKNOWN = "unknown"  # no such request (forged, or the student used /forget)
    PENDING = "pending"  # nothing decided yet: the presser may decide it


@dataclass(frozen=True, slots=True)
class Card:
    """What a notification about a request shows."""

    request: JoinRequest
    klass: SchoolClass
    student_name: str
    username: str | None = None  # the student's @username, when they have one
    # When the class has another student of the same name: since when this one is in the bot,
    # so that the teacher approves the right child.
    namesake_since: str | None = None


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
        super_admins: frozenset[int],
        users: UsersRepo,
    ) -> None:
        self.requests = requests
        self._users = users
        self._schools = schools
        self._students = students
        self._roles = roles
        self._super_admins = super_admins

    async def card(self, request_id: int) -> Card | None:
        request = await self.requests.get(request_id)
        if request is None:
            return None
        klass = await self._schools.get_class(request.class_id)
        student = await self._students.get(request.student_id)
        if klass is None or student is None:
            return None
        name = student.full_name or ""
        user = await self._users.get(request.student_id)
        namesakes = await self._students.namesakes(klass.id, name) if name else 0
        return Card(
            request,
            klass,
            name,
            user.username if user else None,
            student.created_at if namesakes > 1 else None,
        )

    async def class_of(self, class_id: int) -> SchoolClass | None:
        return await self._schools.get_class(class_id)

    async def student_step(self, student_id: int) -> Step | None:
        """The wizard step the student's record is at (None without a record)."""
        record = await self._students.get(student_id)
        try:
            return Step(record.step) if record else None
        except ValueError:  # a step of an older version of the bot
            return None

    async def decided_by_teacher(self, card: Card) -> bool:
        """Whether one of the class's own teachers decided (else a school or super admin)."""
        decider = card.request.decided_by
        return decider is not None and decider in await self._roles.teachers_of(card.klass.id)

    async def recipient_tiers(self, klass: SchoolClass) -> list[tuple[Reach, list[int]]]:
        """Who decides the class's requests, in order: its teachers, its school's admins, the
        super admins. A card goes to the first tier it can reach."""
        tiers = [
            (Reach.TEACHER, await self._roles.teachers_of(klass.id)),
            (Reach.SCHOOL, await self._roles.admins_of(klass.school_id)),
            (Reach.MUNICIPALITY, sorted(self._super_admins)),
        ]
        return [(reach, ids) for reach, ids in tiers if ids]

    async def pending(self, access: Access, request_id: int) -> Decision:
        """The card of a request this person may still decide (verdict PENDING), or why not."""
        card = await self.card(request_id)
        if card is None:
            return Decision(Verdict.UNKNOWN)
        if not access.may_decide(card.klass):
            return Decision(Verdict.FORBIDDEN)
        if card.request.status is not RequestStatus.PENDING:
            return Decision(Verdict.ALREADY, card)
        return Decision(Verdict.PENDING, card)

    async def decide(
        self,
        access: Access,
        request_id: int,
        presser_name: str,
        status: RequestStatus,
        reason: Reason | None = None,
        reason_text: str | None = None,
    ) -> Decision:
        """Decide the request, if this person may: the card is loaded once, and only the
        request (its new status) is read again."""
        card = await self.card(request_id)
        if card is None:
            return Decision(Verdict.UNKNOWN)
        if not access.may_decide(card.klass):
            return Decision(Verdict.FORBIDDEN)
        decided = await self.requests.decide(
            request_id,
            status,
            reason.value if reason else None,
            access.user_id,
            presser_name,
            reason_text,
        )
        fresh = await self.requests.get(request_id)
        card = replace(card, request=fresh) if fresh is not None else card
        return Decision(Verdict.DECIDED if decided else Verdict.ALREADY, card)
