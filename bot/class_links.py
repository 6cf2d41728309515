"""A class's two links (the Sferum class invite link and the class chat link): which addresses are
accepted, who receives a link once a teacher stores it (variant 2 of memo step 3), and its
delivery through the one delivery engine.

Delivery. The waiting students are grouped by their language; each group is one broadcast of
the engine (a photo: the link's QR code with the caption in that language), so the link goes out
paced, 429-aware and durably like any broadcast: a student who blocked the bot is marked so
(`users.blocked_at`) and one marked so already is not sent to. The engine gives every unfinished
broadcast one batch in turn, so these small broadcasts go out between two batches of a big one
(seconds), not after it. Who got the link is read from the broadcasts' records, so the teacher's
report is the truth; the open invite-link requests of those who got it are then fulfilled.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from urllib.parse import urlsplit

from bot.delivery import DeliveryEngine
from bot.i18n import Catalog
from bot.wizard import Step
from storage.broadcasts import QrPhotoPayload
from storage.join_requests import JoinRequestsRepo, RequestStatus
from storage.schools import SchoolClass, SchoolsRepo
from storage.students import StudentRecord, StudentsRepo
from storage.users import UsersRepo

# Sferum and the messengers it lives in (VK Messenger, MAX), with their subdomains.
ALLOWED_HOSTS: tuple[str, ...] = ("sferum.ru", "vk.me", "vk.com", "max.ru")
LINK_MAX = 500  # a caption holds 1024 characters; real invite links are far shorter


class LinkKind(StrEnum):
    INVITE = "invite"  # the class invite link: joins the student to the class
    CHAT = "chat"  # the class chat link


class LinkProblem(StrEnum):
    EMPTY = "empty"
    NOT_URL = "not-url"
    NOT_HTTPS = "not-https"
    HOST = "host"
    TOO_LONG = "too-long"


def host_allowed(host: str) -> bool:
    """One of ALLOWED_HOSTS or a subdomain of one (`web.vk.me`), never `evilvk.me`."""
    host = host.lower().rstrip(".")
    return any(host == allowed or host.endswith(f".{allowed}") for allowed in ALLOWED_HOSTS)


def check_link(text: str) -> str | LinkProblem:
    """The link as it will be stored, or what is wrong with it. Pure: no network, no database."""
    link = text.strip()
    if not link:
        return LinkProblem.EMPTY
    if len(link) > LINK_MAX:
        return LinkProblem.TOO_LONG
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in link) or not link.isascii():
        return LinkProblem.NOT_URL
    try:
        parts = urlsplit(link)
        port = parts.port
    except ValueError:
        return LinkProblem.NOT_URL
    if not parts.scheme or not parts.netloc or not parts.hostname:
        return LinkProblem.NOT_URL
    if parts.scheme.lower() != "https":
        return LinkProblem.NOT_HTTPS
    # user:password@host tricks a reader about where the link leads; other ports are not Sferum.
    if parts.username is not None or parts.password is not None or port not in (None, 443):
        return LinkProblem.HOST
    if not host_allowed(parts.hostname):
        return LinkProblem.HOST
    return link


def audience(klass: SchoolClass, kind: LinkKind) -> str:
    """How the link's broadcasts are described in their records."""
    return f"class-link:{klass.id} {kind.value}"


@dataclass(frozen=True, slots=True)
class Delivery:
    """Who a newly stored link reached, who it could not reach, and the invite-link requests it
    fulfilled (their cards are to be closed)."""

    delivered: list[StudentRecord]
    failed: list[StudentRecord]
    fulfilled: list[int] = field(default_factory=list)


class ClassLinks:
    """Stores a class's links and hands them to the students who wait for them."""

    def __init__(
        self,
        schools: SchoolsRepo,
        students: StudentsRepo,
        requests: JoinRequestsRepo,
        users: UsersRepo,
        catalog: Catalog,
        delivery: DeliveryEngine,
    ) -> None:
        self._schools = schools
        self._students = students
        self._requests = requests
        self._users = users
        self._catalog = catalog
        self.delivery = delivery

    async def store(self, klass: SchoolClass, kind: LinkKind, link: str) -> SchoolClass:
        """Save the link (the caller has checked it with check_link); returns the fresh class."""
        if kind is LinkKind.INVITE:
            await self._schools.set_links(klass.id, invite_link=link)
        else:
            await self._schools.set_links(klass.id, chat_link=link)
        return await self._schools.get_class(klass.id) or klass

    async def waiting(self, klass: SchoolClass, kind: LinkKind) -> list[StudentRecord]:
        """Invite link: students waiting on variant 2 (an open variant-2 request, or at the
        class-link step). Chat link: every student who has joined the class by memo step 3
        (an approved variant-1 request, variant 2 with the link); memo step 4 students are in
        the chat through the e-journal already."""
        if kind is LinkKind.CHAT:
            return await self._students.joined(klass.id)
        found = {r.user_id: r for r in await self._students.at_steps(klass.id, (Step.VARIANT2,))}
        for student_id in await self._requests.pending_students(klass.id, 2):
            if student_id not in found:
                record = await self._students.get(student_id)
                found[student_id] = record or StudentRecord(student_id, Step.VARIANT2.value)
        return [found[k] for k in sorted(found)]

    async def deliver(
        self, klass: SchoolClass, kind: LinkKind, sender_id: int, sender_name: str
    ) -> Delivery:
        """Send the class's stored link with its QR code to everyone waiting for it, each in
        their own language, and wait until the engine has tried each of them. A student's open
        request for the invite link is then fulfilled: marked done by the sender."""
        link = klass.invite_link if kind is LinkKind.INVITE else klass.chat_link
        if not link:
            return Delivery([], [])
        students = await self.waiting(klass, kind)
        broadcasts = [
            await self._queue(klass, kind, link, locale, group, sender_id)
            for locale, group in (await self._by_language(students)).items()
        ]  # all queued before any is waited for: the languages go out side by side
        sent: set[int] = set()
        for broadcast_id in broadcasts:
            await self.delivery.wait(broadcast_id)
            states = await self.delivery.repo.states(broadcast_id)
            sent.update(chat for chat, state in states.items() if state == "sent")
        delivered = [s for s in students if s.user_id in sent]
        failed = [s for s in students if s.user_id not in sent]  # blocked ones too: not sent
        fulfilled: list[int] = []
        if kind is LinkKind.INVITE:
            for student in delivered:
                request_id = await self._fulfil(student.user_id, sender_id, sender_name)
                if request_id is not None:
                    fulfilled.append(request_id)
        return Delivery(delivered, failed, fulfilled)

    async def _by_language(
        self, students: Sequence[StudentRecord]
    ) -> dict[str, list[StudentRecord]]:
        groups: dict[str, list[StudentRecord]] = {}
        for student in students:
            user = await self._users.get(student.user_id)
            language = (user.language if user else None) or self._catalog.default_locale
            locale = self._catalog.bind(language).locale  # as the Notifier picks it
            groups.setdefault(locale, []).append(student)
        return groups

    async def _queue(
        self,
        klass: SchoolClass,
        kind: LinkKind,
        link: str,
        locale: str,
        students: Sequence[StudentRecord],
        sender_id: int,
    ) -> int:
        t = self._catalog.bind(locale)
        caption = t(f"tt-student-{kind.value}-link", link=link, **{"class": klass.name})
        broadcast_id, _ = await self.delivery.broadcast(
            sender_id,
            audience(klass, kind),
            QrPhotoPayload(link, caption),
            [s.user_id for s in students],
        )
        return broadcast_id

    async def _fulfil(self, student_id: int, sender_id: int, sender_name: str) -> int | None:
        """The student's open invite-link request, now done by the sender; None if none."""
        request = await self._requests.pending_of(student_id, 2)
        if request is None or not await self._requests.decide(
            request.id, RequestStatus.APPROVED, None, sender_id, sender_name
        ):
            return None
        return request.id
