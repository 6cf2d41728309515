"""The teacher's tools: which classes a person looks after (and whether a pressed button's class
is one of them), a page of /requests, the class roster, long texts split for Telegram, and the
buttons of /requests and of "which class?"."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from math import ceil

from bot.access import Access
from bot.approvals import Approvals, Card
from bot.i18n import Text
from bot.wizard import Progress, Step, branch
from storage.join_requests import JoinRequestsRepo
from storage.schools import SchoolClass, SchoolsRepo
from storage.students import RosterEntry, same_name

REQUESTS_PER_PAGE = 5
MESSAGE_MAX = 4096  # Telegram's limit for a message's text, in UTF-16 code units
CLASS_BUTTONS_MAX = 60
ALL_SCHOOLS = 100_000


class Purpose(StrEnum):
    ROSTER = "roster"
    QR = "qr"
    INVITE = "invite"  # /setlink
    CHAT = "chat"  # /setchat


async def classes_of(access: Access, schools: SchoolsRepo) -> list[SchoolClass]:
    """The classes a person looks after: taught, of a school they administer, or all (super)."""
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


async def picked_class(access: Access, class_id: int, schools: SchoolsRepo) -> SchoolClass | None:
    """The class of a pressed "which class?" button, if the presser looks after it: the id
    comes from the button, so it is checked against the presser's rights, never trusted."""
    klass = await schools.get_class(class_id)
    return klass if klass is not None and access.may_decide(klass) else None


def requests_scope(access: Access, classes: Sequence[SchoolClass]) -> list[int] | None:
    """Class ids whose requests the person sees; None: every class (a super admin)."""
    return None if access.super_admin else [c.id for c in classes]


@dataclass(frozen=True, slots=True)
class RequestsPage:
    """One page of /requests: the cards on it, which page of how many (from 0), the total."""

    cards: list[Card]
    page: int
    pages: int
    total: int


async def requests_page(
    access: Access,
    page: int,
    schools: SchoolsRepo,
    requests: JoinRequestsRepo,
    approvals: Approvals,
) -> RequestsPage | None:
    """The pending requests the person may decide, one page of them (the last one for a page
    button of a longer, older list); None: they look after no class."""
    classes = await classes_of(access, schools)
    if not classes and not access.super_admin:
        return None
    scope = requests_scope(access, classes)
    page = max(0, page)
    found, total = await requests.pending_page(scope, page * REQUESTS_PER_PAGE, REQUESTS_PER_PAGE)
    pages = max(1, ceil(total / REQUESTS_PER_PAGE))
    if not found and total:
        page = pages - 1
        found, total = await requests.pending_page(
            scope, page * REQUESTS_PER_PAGE, REQUESTS_PER_PAGE
        )
        pages = max(1, ceil(total / REQUESTS_PER_PAGE))
    if not found:
        return RequestsPage([], 0, 1, 0)
    cards = [card for r in found if (card := await approvals.card(r.id)) is not None]
    return RequestsPage(cards, page, pages, total)


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


def _branch(entry: RosterEntry) -> str:
    record = entry.record
    return branch(Progress(gosuslugi=record.gosuslugi, variant=record.variant))


def _step_name(t: Text, step: str) -> str:
    try:
        return t.html(f"step-name-{Step(step).value}")
    except ValueError:  # a step of an older version of the bot
        return step


def roster_messages(t: Text, klass: SchoolClass, entries: Sequence[RosterEntry]) -> list[str]:
    """/class: a header with the counts, then one line per student, split for Telegram."""
    counts = roster_counts(entries)
    header = t(
        "tt-roster-header",
        school=klass.school_name,
        count=counts.students,
        done=counts.finished,
        waiting=counts.waiting,
        **{"class": klass.name},
    )
    if not entries:
        return [f"{header}\n\n{t('tt-roster-empty')}"]
    ordered = sorted(
        entries, key=lambda e: ((e.record.full_name or "").casefold(), e.record.user_id)
    )
    names = Counter(same_name(e.record.full_name) for e in entries if e.record.full_name)
    lines = []
    for number, entry in enumerate(ordered, start=1):
        line = t(
            "tt-roster-line",
            number=number,
            name=entry.record.full_name or t("tt-roster-no-name"),
            step=_step_name(t, entry.record.step),
            branch=_branch(entry),
            status=entry.request_status or "none",
        )
        name = entry.record.full_name
        if name and names[same_name(name)] > 1:  # namesakes: told apart, never confused
            line += " " + t(
                "tt-roster-namesake",
                username=entry.username or "none",
                since=t.time(entry.record.created_at),
            )
        lines.append(line)
    return split_messages(f"{header}\n", lines)
