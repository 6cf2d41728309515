"""/class: a class's roster as messages, a header with the counts, then one line per student
(namesakes told apart), split at Telegram's limit."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from bot.i18n import Text
from bot.teacher_tools import roster_counts, split_messages
from bot.wizard import Progress, Step, branch
from storage.schools import SchoolClass
from storage.students import RosterEntry, same_name


def _branch(entry: RosterEntry) -> str:
    record = entry.record
    return branch(Progress(gosuslugi=record.gosuslugi, variant=record.variant))


def step_name(t: Text, step: str) -> str:
    """A step as /class and /stats name it (a step of an older version: as stored)."""
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
            step=step_name(t, entry.record.step),
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
