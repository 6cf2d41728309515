"""/stats as a service: each person's figures for their own scope, and nobody else's.

A super admin sees the municipality (every school in a table), a school admin their school
(every class in a table, the teachers whose requests wait), a teacher their class (who is stuck
where, by name). Which scope a person has comes from `Access` (the database), never from a
button; a class or a school asked for by a button is checked against it here.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.access import Access
from bot.i18n import Text
from bot.stats_report import ReportBuilder
from bot.wizard import STUCK_STEPS
from storage.roles import RolesRepo
from storage.schools import School, SchoolClass, SchoolsRepo
from storage.stats import Counts, StalePending, Started, StatsRepo, StuckStudent
from storage.stats_export import Scope
from storage.users import UsersRepo

DAYS = 30  # "finished per day" looks this far back
STALE_PENDING = timedelta(days=2)  # a school admin hears of requests older than this
_STEPS = tuple(s.value for s in STUCK_STEPS)


@dataclass(frozen=True, slots=True)
class Day:
    day: date  # the deployment's local date
    finished: int


@dataclass(frozen=True, slots=True)
class ClassStats:
    klass: SchoolClass
    counts: Counts
    stuck: list[StuckStudent]
    days: list[Day]


@dataclass(frozen=True, slots=True)
class WaitingTeacher:
    """A class whose requests wait for longer than STALE_PENDING, with who should decide."""

    klass: SchoolClass
    teachers: list[str]  # names as Telegram gave them; empty: the class has no teacher yet
    count: int
    oldest: str


@dataclass(frozen=True, slots=True)
class SchoolStats:
    school: School
    counts: Counts
    classes: list[tuple[SchoolClass, Counts]]  # the worst first
    waiting: list[WaitingTeacher]
    days: list[Day]


@dataclass(frozen=True, slots=True)
class MunicipalityStats:
    counts: Counts
    started: Started
    schools: list[tuple[School, Counts]]  # the worst first
    without_teachers: list[School]
    days: list[Day]


Report = ClassStats | SchoolStats | MunicipalityStats


class ScopeKind(StrEnum):
    CLASS = "class"
    SCHOOL = "school"
    ALL = "all"


class StatsAction(StrEnum):
    XLSX = "xlsx"  # the Excel report of the scope
    NUDGE = "nudge"  # remind the class's stuck students now


def scope_of(report: Report) -> tuple[ScopeKind, int]:
    """A report's scope as a button names it (the id is checked again when pressed)."""
    if isinstance(report, ClassStats):
        return ScopeKind.CLASS, report.klass.id
    if isinstance(report, SchoolStats):
        return ScopeKind.SCHOOL, report.school.id
    return ScopeKind.ALL, 0


def share(counts: Counts) -> float:
    """How far a class or school is: finished of those expected (or of those who came)."""
    base = max(counts.expected, counts.students)
    return counts.finished / base if base else 0.0


def local_days(now: datetime, zone: ZoneInfo, days: int = DAYS) -> list[tuple[date, str, str]]:
    """The last `days` local days, today included: each date with its UTC bounds [start, end)
    as stored timestamps read (ISO, seconds)."""
    today = now.astimezone(zone).date()
    found = []
    for back in range(days - 1, -1, -1):
        day = today - timedelta(days=back)
        start = datetime.combine(day, time(), zone).astimezone(UTC)
        end = datetime.combine(day + timedelta(days=1), time(), zone).astimezone(UTC)
        found.append((day, start.isoformat(timespec="seconds"), end.isoformat(timespec="seconds")))
    return found


class Statistics:
    def __init__(
        self,
        stats: StatsRepo,
        schools: SchoolsRepo,
        roles: RolesRepo,
        users: UsersRepo,
        zone: ZoneInfo,
        stuck_days: float,
        super_admins: Sequence[int],
        database: Path,
    ) -> None:
        self._stats = stats
        self._schools = schools
        self._roles = roles
        self._users = users
        self.zone = zone
        self.stuck_days = stuck_days  # the reminders' REMINDERS_STUCK_DAYS
        self._stuck = timedelta(days=stuck_days)
        self._super_admins = tuple(super_admins)
        self._database = database

    async def reports(self, access: Access, now: datetime | None = None) -> list[Report]:
        """/stats: the widest scope a person has (empty: they are not staff)."""
        now = now or datetime.now(UTC)
        if access.super_admin:
            return [await self.municipality(now)]
        if access.admin_schools:
            found = [await self.school(school_id, now) for school_id in access.admin_schools]
            return [report for report in found if report is not None]
        classes = [await self._schools.get_class(c) for c in access.teacher_classes]
        return [await self.of_class(k, now) for k in classes if k is not None]

    async def class_for(self, access: Access, class_id: int) -> SchoolClass | None:
        """A class asked for by a button, if the presser may see its names."""
        klass = await self._schools.get_class(class_id)
        return klass if klass is not None and access.may_decide(klass) else None

    async def allowed(self, access: Access, kind: ScopeKind, target: int) -> Scope | None:
        """The scope a pressed button names, if the presser may see it; None: refused."""
        if kind is ScopeKind.CLASS:
            klass = await self.class_for(access, target)
            return Scope(class_ids=(klass.id,)) if klass else None
        if kind is ScopeKind.SCHOOL:
            school = await self._schools.get(target)
            return Scope(school_id=target) if school and access.admin_of(target) else None
        return Scope() if access.super_admin else None

    @property
    def stuck_days_shown(self) -> int | float:
        """REMINDERS_STUCK_DAYS as a text says it: 3, not 3.0."""
        days = self.stuck_days
        return int(days) if float(days).is_integer() else days

    async def scope_name(self, scope: Scope, t: Text) -> str:
        if scope.class_ids:
            klass = await self._schools.get_class(scope.class_ids[0])
            return f"{klass.name}, {klass.school_name}" if klass else ""
        if scope.school_id is not None:
            school = await self._schools.get(scope.school_id)
            return school.name if school else ""
        return t("stats-scope-all")

    async def stuck_ids(self, class_id: int, now: datetime | None = None) -> list[int]:
        now = now or datetime.now(UTC)
        stuck = await self._stats.stuck_students([class_id], _STEPS, self._cut(now))
        return [s.user_id for s in stuck]

    async def workbook(self, scope: Scope, t: Text, now: datetime | None = None) -> bytes:
        """The Excel report of `scope`, built in a worker thread from a snapshot of its own:
        the event loop and the bot's connection stay free meanwhile."""
        builder = ReportBuilder(t, self.zone, self.stuck_days)
        buffer = BytesIO()
        moment = now or datetime.now(UTC)
        await asyncio.to_thread(builder.write, self._database, scope, buffer, moment)
        return buffer.getvalue()

    async def of_class(self, klass: SchoolClass, now: datetime) -> ClassStats:
        cut = self._cut(now)
        counts = await self._stats.of_classes([klass.id], _STEPS, cut)
        stuck = await self._stats.stuck_students([klass.id], _STEPS, cut)
        days = await self._days(now, [klass.id])
        return ClassStats(klass, counts.get(klass.id, Counts()), stuck, days)

    async def school(self, school_id: int, now: datetime) -> SchoolStats | None:
        school = await self._schools.get(school_id)
        if school is None:
            return None
        classes = await self._schools.classes(school_id)
        ids = [c.id for c in classes]
        per_class = await self._stats.of_classes(ids, _STEPS, self._cut(now))
        rows = [(c, per_class.get(c.id, Counts())) for c in classes]
        rows.sort(key=lambda row: (share(row[1]), row[1].finished, len(row[0].name), row[0].name))
        stale = await self._stats.stale_pending(ids, _iso(now - STALE_PENDING))
        by_id = {c.id: c for c in classes}
        waiting = [await self._waiting(by_id[s.class_id], s) for s in stale]
        total = sum((counts for _, counts in rows), Counts())
        return SchoolStats(school, total, rows, waiting, await self._days(now, ids))

    async def municipality(self, now: datetime) -> MunicipalityStats:
        per_school = await self._stats.per_school()
        schools, _ = await self._schools.search("", 0, 1_000_000)
        rows = [(s, per_school.get(s.id, Counts())) for s in schools]
        rows.sort(key=lambda row: (share(row[1]), row[1].finished, row[0].name))
        blocked, stuck = await self._stats.blocked_and_stuck(_STEPS, self._cut(now))
        total = sum((counts for _, counts in rows), Counts())
        total = replace(total, blocked=blocked, stuck=stuck)
        names = {s.id: s for s in schools}
        without = [names[i] for i in await self._stats.schools_without_teachers() if i in names]
        started = await self._stats.started(self._super_admins)
        return MunicipalityStats(total, started, rows, without, await self._days(now, None))

    async def _waiting(self, klass: SchoolClass, stale: StalePending) -> WaitingTeacher:
        names = []
        for teacher_id in await self._roles.teachers_of(klass.id):
            user = await self._users.get(teacher_id)
            names.append(user.staff_name if user and user.staff_name else str(teacher_id))
        return WaitingTeacher(klass, names, stale.count, stale.oldest)

    async def _days(self, now: datetime, class_ids: list[int] | None) -> list[Day]:
        bounds = local_days(now, self.zone)
        counts = await self._stats.finished_per_day([(lo, hi) for _, lo, hi in bounds], class_ids)
        return [Day(day, n) for (day, _, _), n in zip(bounds, counts, strict=True)]

    def _cut(self, now: datetime) -> str:
        return _iso(now - self._stuck)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")
