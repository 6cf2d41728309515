"""/stats as messages: the funnel for the reader's scope, then its table (classes or schools)
or who is stuck where, split at Telegram's limit."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import Html, Text
from bot.stats import (
    ClassStats,
    Day,
    MunicipalityStats,
    Report,
    SchoolStats,
    StatsAction,
    scope_of,
)
from bot.stats_chart import funnel_chart
from bot.teacher_tools import split_messages
from storage.stats import Counts
from ui.callbacks import StatsCb
from ui.roster_screens import step_name


def _funnel(t: Text, counts: Counts, per_day: list[Day], days: int | float) -> list[str]:
    today = per_day[-1].finished if per_day else 0
    percent = round(100 * counts.finished / counts.students) if counts.students else 0
    students = (
        t("stats-students-of", count=counts.students, expected=counts.expected)
        if counts.expected
        else t("stats-students", count=counts.students)
    )
    lines = [
        students,
        t("stats-named", count=counts.named),
        t("stats-finished", count=counts.finished, percent=percent),
        t("stats-now"),
        t("stats-at-name", count=counts.at_name),
        t("stats-at-memo1", count=counts.at_memo1),
        t("stats-at-memo2", count=counts.at_memo2),
        t("stats-at-fork", count=counts.at_fork),
        t("stats-at-memo4", count=counts.at_memo4),
        t("stats-at-memo3", count=counts.at_memo3),
        t("stats-paths", epos=counts.epos, variant1=counts.variant1, variant2=counts.variant2),
        t(
            "stats-requests",
            pending=counts.pending,
            approved=counts.approved,
            rejected=counts.rejected,
        ),
        t("stats-linked", count=counts.linked),
        t("stats-blocked", count=counts.blocked),
        t("stats-stuck", days=days, count=counts.stuck),
        t("stats-days", count=sum(d.finished for d in per_day), today=today),
    ]
    if counts.anonymous:
        lines.insert(1, t("stats-anonymous", count=counts.anonymous))
    return lines


def _class_messages(t: Text, report: ClassStats, days: int | float) -> list[str]:
    klass = report.klass
    title = t("stats-class-title", school=klass.school_name, **{"class": klass.name})
    head = "\n".join([title, "", *_funnel(t, report.counts, report.days, days)])
    if not report.stuck:
        return split_messages(head, ["", t("stats-stuck-none", days=days)])
    lines = ["", t("stats-stuck-title", days=days)]
    for number, student in enumerate(report.stuck, start=1):
        name = student.full_name or t("stats-stuck-no-name")
        step = step_name(t, student.step)
        lines.append(
            t("stats-stuck-line", number=number, name=name, step=step, since=t.time(student.since))
        )
    return split_messages(head, lines)


def _school_messages(t: Text, report: SchoolStats, days: int | float) -> list[str]:
    title = t("stats-school-title", school=report.school.name)
    head = "\n".join([title, "", *_funnel(t, report.counts, report.days, days)])
    lines = ["", t("stats-classes-title")]
    for klass, counts in report.classes:
        lines.append(
            t(
                "stats-class-line",
                finished=counts.finished,
                students=counts.students,
                expected=counts.expected,
                pending=counts.pending,
                stuck=counts.stuck,
                **{"class": klass.name},
            )
        )
    lines += ["", t("stats-waiting-title") if report.waiting else t("stats-waiting-none")]
    for waiting in report.waiting:
        teachers = ", ".join(waiting.teachers) or t("stats-waiting-no-teacher")
        lines.append(
            t(
                "stats-waiting-line",
                teachers=teachers,
                count=waiting.count,
                since=t.time(waiting.oldest),
                **{"class": waiting.klass.name},
            )
        )
    return split_messages(head, lines)


def _municipality_messages(t: Text, report: MunicipalityStats, days: int | float) -> list[str]:
    started = report.started
    funnel = _funnel(t, report.counts, report.days, days)
    first = t(
        "stats-started",
        users=started.users,
        consented=report.counts.students - report.counts.anonymous + started.without_class,
        without_class=started.without_class,
    )
    head = "\n".join([t("stats-municipality-title"), "", first, *funnel])
    lines = ["", t("stats-schools-title")]
    for school, counts in report.schools:
        lines.append(
            t(
                "stats-school-line",
                school=school.name,
                finished=counts.finished,
                students=counts.students,
                pending=counts.pending,
            )
        )
    lines.append("")
    if report.without_teachers:
        lines.append(t("stats-without-teachers", count=len(report.without_teachers)))
        lines += [t("stats-list-item", name=s.name) for s in report.without_teachers]
    else:
        lines.append(t("stats-without-teachers-none"))
    return split_messages(head, lines)


def stats_messages(t: Text, report: Report, days: int | float) -> list[str]:
    """One report as messages, each within Telegram's limit; `days`: REMINDERS_STUCK_DAYS as
    a text says it (Statistics.stuck_days_shown)."""
    if isinstance(report, ClassStats):
        return _class_messages(t, report, days)
    if isinstance(report, SchoolStats):
        return _school_messages(t, report, days)
    return _municipality_messages(t, report, days)


def stats_keyboard(t: Text, report: Report) -> InlineKeyboardMarkup:
    """Under a report: its Excel file, and for a class with stuck students, the nudge."""
    kind, target = scope_of(report)
    builder = InlineKeyboardBuilder()
    if isinstance(report, ClassStats) and report.stuck:
        nudge = StatsCb(action=StatsAction.NUDGE, scope=kind, target=target)
        builder.button(text=t("stats-btn-nudge", count=len(report.stuck)), callback_data=nudge)
    xlsx = StatsCb(action=StatsAction.XLSX, scope=kind, target=target)
    builder.button(text=t("stats-btn-xlsx"), callback_data=xlsx)
    builder.adjust(1)
    return builder.as_markup()


def _bars(t: Text, report: Report) -> list[tuple[str, int]]:
    counts = report.counts
    bars = [
        (t("stats-bar-students"), counts.students),
        (t("stats-bar-named"), counts.named),
        (t("stats-bar-path"), counts.epos + counts.variant1 + counts.variant2),
        (t("stats-bar-finished"), counts.finished),
    ]
    if isinstance(report, MunicipalityStats):
        consented = counts.students - counts.anonymous + report.started.without_class
        bars[:0] = [
            (t("stats-bar-users"), report.started.users),
            (t("stats-bar-consented"), consented),
        ]
    return bars


def _scope_name(t: Text, report: Report) -> str:
    if isinstance(report, ClassStats):
        return f"{report.klass.name}, {report.klass.school_name}"
    if isinstance(report, SchoolStats):
        return report.school.name
    return t("stats-scope-all")


def chart_png(t: Text, report: Report) -> bytes:
    """The funnel and the finishes per day as one picture (slow: call it off the loop)."""
    # A picture, not HTML: the scope's name goes in as it is (Html: not escaped).
    return funnel_chart(
        t("stats-chart-title", scope=Html(_scope_name(t, report))),
        _bars(t, report),
        t("stats-chart-days"),
        [(day.day, day.finished) for day in report.days],
        t("stats-chart-empty"),
    )
