"""A class's two links (the Sferum class invite link and the class chat link): which addresses are
accepted, and who receives a link once a teacher stores it (variant 2 of memo step 3)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

from aiogram import Bot

from bot.wizard import Step
from storage.join_requests import JoinRequestsRepo, RequestStatus
from storage.schools import SchoolClass, SchoolsRepo
from storage.students import StudentRecord, StudentsRepo
from ui.notifier import Notifier, send_qr

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


@dataclass(frozen=True, slots=True)
class Delivery:
    """Who a newly stored link reached, and who it could not reach."""

    delivered: list[StudentRecord]
    failed: list[StudentRecord]


class ClassLinks:
    """Stores a class's links and hands them to the students who wait for them."""

    def __init__(
        self,
        schools: SchoolsRepo,
        students: StudentsRepo,
        requests: JoinRequestsRepo,
        notifier: Notifier,
    ) -> None:
        self._schools = schools
        self._students = students
        self._requests = requests
        self._notifier = notifier

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
        self, bot: Bot, klass: SchoolClass, kind: LinkKind, sender_id: int, sender_name: str
    ) -> Delivery:
        """Send the class's stored link with its QR code to everyone waiting for it, each in
        their own language. A student's open request for the invite link is then fulfilled:
        it is marked done by the sender, and its cards say so."""
        link = klass.invite_link if kind is LinkKind.INVITE else klass.chat_link
        if not link:
            return Delivery([], [])
        delivered: list[StudentRecord] = []
        failed: list[StudentRecord] = []
        for student in await self.waiting(klass, kind):
            t = await self._notifier.text_for(student.user_id)
            caption = t(f"tt-student-{kind.value}-link", link=link, **{"class": klass.name})
            sent = await send_qr(bot, student.user_id, link, caption)
            (delivered if sent else failed).append(student)
            if sent and kind is LinkKind.INVITE:
                await self._fulfil(bot, student.user_id, sender_id, sender_name)
        return Delivery(delivered, failed)

    async def _fulfil(self, bot: Bot, student_id: int, sender_id: int, sender_name: str) -> None:
        request = await self._requests.pending_of(student_id, 2)
        if request is None or not await self._requests.decide(
            request.id, RequestStatus.APPROVED, None, sender_id, sender_name
        ):
            return
        card = await self._notifier.card(request.id)
        if card is not None:
            await self._notifier.close_cards(bot, card)
