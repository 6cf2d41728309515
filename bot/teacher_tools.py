"""The teacher's tools as a service: which classes a person looks after (and whether a pressed
button's class is one of them), a page of /requests, a class's roster and its counts, long texts
split for Telegram. The screens are ui/roster_screens.py's and ui/class_links.py's."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from math import ceil

from bot.access import Access
from bot.approvals import Approvals, Card
from bot.wizard import Step
from storage.join_requests import JoinRequest, JoinRequestsRepo
from storage.schools import SchoolClass, SchoolsRepo
from storage.students import RosterEntry, StudentsRepo

REQUESTS_PER_PAGE = 5
MESSAGE_MAX = 4096  # Telegram's limit for a message's text, in UTF-16 code units
CLASS_BUTTONS_MAX = 60
ALL_SCHOOLS = 100_000


class Purpose(StrEnum):
    ROSTER = "roster"
    QR = "qr"
    INVITE = "invite"  # /setlink
    CHAT = "chat"  # /setchat


@dataclass(frozen=True, slots=True)
class RequestsPage:
    """One page of /requests: the cards on it, which page of how many (from 0), the total."""

    cards: list[Card]
    page: int
    pages: int
    total: int


class TeacherTools:
    """What the teacher's tools read, for a person's rights (`Access`, from the database): the
    classes they look after, a page of their pending requests, a class's roster."""

    def __init__(
        self,
        schools: SchoolsRepo,
        requests: JoinRequestsRepo,
        students: StudentsRepo,
        approvals: Approvals,
    ) -> None:
        self._schools = schools
        self._requests = requests
        self._students = students
        self._approvals = approvals

    async def classes(self, access: Access) -> list[SchoolClass]:
        """The classes a person looks after: taught, of a school they administer, or all
        (super)."""
        schools = self._schools
        found: dict[int, SchoolClass] = {}
        if access.super_admin:
            all_schools, _ = await schools.search("", 0, ALL_SCHOOLS)
            school_ids = [s.id for s in all_schools]
        else:
            school_ids = access.admin_schools
        for school_id in school_ids:
            found.update((c.id, c) for c in await schools.classes(school_id))
        for class_id in access.teacher_classes:
            if class_id not in found:
                klass = await schools.get_class(class_id)
                if klass is not None:
                    found[class_id] = klass
        return sorted(found.values(), key=lambda c: (c.school_name, len(c.name), c.name))

    async def picked(self, access: Access, class_id: int) -> SchoolClass | None:
        """The class of a pressed "which class?" button, if the presser looks after it: the id
        comes from the button, so it is checked against the presser's rights, never trusted."""
        klass = await self._schools.get_class(class_id)
        return klass if klass is not None and access.may_decide(klass) else None

    async def requests_page(self, access: Access, page: int) -> RequestsPage | None:
        """The pending requests the person may decide, one page of them (the last one for a
        page button of a longer, older list); None: they look after no class."""
        scope: list[int] | None = None  # a super admin: every class, none loaded to say so
        if not access.super_admin:
            scope = [c.id for c in await self.classes(access)]
            if not scope:
                return None
        page = max(0, page)
        found, total = await self._page(scope, page)
        pages = max(1, ceil(total / REQUESTS_PER_PAGE))
        if not found and total:
            page = pages - 1
            found, total = await self._page(scope, page)
            pages = max(1, ceil(total / REQUESTS_PER_PAGE))
        if not found:
            return RequestsPage([], 0, 1, 0)
        cards = [card for r in found if (card := await self._approvals.card(r.id)) is not None]
        return RequestsPage(cards, page, pages, total)

    async def _page(self, scope: list[int] | None, page: int) -> tuple[list[JoinRequest], int]:
        offset = page * REQUESTS_PER_PAGE
        return await self._requests.pending_page(scope, offset, REQUESTS_PER_PAGE)

    async def roster(self, klass: SchoolClass) -> list[RosterEntry]:
        """/class: the class's students with their steps and requests."""
        return await self._students.of_class(klass.id)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def split_messages(header: str, lines: Sequence[str], limit: int = MESSAGE_MAX) -> list[str]:
    """The header and the lines as few messages as possible, none longer than `limit`; a line
    is never cut between two messages."""
    messages: list[str] = []
    current = header
    for line in lines:
        if utf16_len(line) > limit:  # cannot happen with names of 100 characters; never send it
            line = line[: limit // 2]
        candidate = f"{current}\n{line}" if current else line
        if utf16_len(candidate) <= limit:
            current = candidate
        else:
            messages.append(current)
            current = line
    if current:
        messages.append(current)
    return messages


@dataclass(frozen=True, slots=True)
class RosterCounts:
    students: int
    finished: int
    waiting: int  # an open request: the teacher's confirmation awaited


def roster_counts(entries: Sequence[RosterEntry]) -> RosterCounts:
    return RosterCounts(
        len(entries),
        sum(1 for e in entries if e.record.step == Step.DONE.value),
        sum(1 for e in entries if e.request_status == "pending"),
    )
