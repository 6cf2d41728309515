"""How long a finished student's data is kept, and the daily job that anonymises it.

The personal-data notice promises: kept until the end of the school year the student finished
in (SCHOOL_YEAR_END, month-day) plus DATA_RETENTION_DAYS, then anonymised. `keep_until` is
that rule (pure); `Retention` runs it at start-up and then daily. What is kept afterwards
(storage/retention.py) says nothing about who the student was.
"""

from __future__ import annotations

import asyncio
import calendar
import logging
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from time import monotonic
from zoneinfo import ZoneInfo

from bot.local_time import DEFAULT_ZONE
from bot.periodic import Periodic
from storage.retention import RetentionRepo

log = logging.getLogger(__name__)

Now = Callable[[], datetime]
DAY_SECONDS = 86_400.0
CHUNK = 500  # at most this many students per unit of work
FIRST_CHUNK = 50
CHUNK_SECONDS = 0.1  # what one unit of work should take at most


def year_end(year: int, month_day: str) -> date:
    """The school year's end in `year`; a day the month lacks (02-29, 04-31) is its last day."""
    month, day = (int(part) for part in month_day.split("-"))
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def keep_until(finished: date, school_year_end: str, days: int) -> date:
    """The last day a student who finished on `finished` is kept: the first school-year end on
    or after that day, plus `days`."""
    end = year_end(finished.year, school_year_end)
    if end < finished:
        end = year_end(finished.year + 1, school_year_end)
    return end + timedelta(days=days)


def due_end(today: date, school_year_end: str, days: int) -> date:
    """The latest school-year end E with E + days < today: every student who finished on or
    before E is past their keep-until date; nobody who finished after E is."""
    year = today.year
    while True:
        end = year_end(year, school_year_end)
        if end + timedelta(days=days) < today:
            return end
        year -= 1


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


class Retention:
    """run_once() anonymises whoever is due; start()/stop() run it at start-up, then daily.

    `forget_cached` is told the ids erased in each chunk, so in-memory caches (the users' rows,
    the FSM records) drop them too: else the next update of such a person would be served from
    the cache as if nothing had happened.
    """

    def __init__(
        self,
        repo: RetentionRepo,
        school_year_end: str,
        days: int,
        *,
        zone: ZoneInfo = DEFAULT_ZONE,
        clock: Now = _utcnow,
        interval_seconds: float = DAY_SECONDS,
        chunk: int = CHUNK,
        forget_cached: Callable[[Sequence[int]], object] | None = None,
    ) -> None:
        self.repo = repo
        self.school_year_end = school_year_end
        self.days = days
        self.zone = zone
        self.interval_seconds = interval_seconds
        self.chunk = chunk
        self._clock = clock
        self._forget_cached = forget_cached
        self._job = Periodic(
            "retention", lambda: self.run_once(self._clock()), lambda: self.interval_seconds
        )
        self._lock = asyncio.Lock()

    def cutoff(self, now: datetime) -> str:
        """Students who finished before this instant (ISO UTC) are due: the start of the day
        after the due school-year end, in the deployment's zone."""
        end = due_end(now.astimezone(self.zone).date(), self.school_year_end, self.days)
        start = datetime.combine(end + timedelta(days=1), time(), tzinfo=self.zone)
        return _iso(start)

    async def run_once(self, now: datetime) -> int:
        """Anonymises every student due at `now`, a chunk at a time; returns how many."""
        async with self._lock:  # the scheduler and a manual run never overlap
            before, stamp = self.cutoff(now), _iso(now)
            total, size = 0, min(FIRST_CHUNK, self.chunk)
            while True:
                started = monotonic()
                ids = await self.repo.anonymise_due(before, stamp, size)
                took = monotonic() - started
                total += len(ids)
                if ids and self._forget_cached is not None:
                    self._forget_cached(ids)
                if len(ids) < size:
                    break
                # Chunks grow while they are quick and shrink when they are not (a large
                # database without the indexes this relies on), so none holds the others long.
                if took < CHUNK_SECONDS / 2:
                    size = min(size * 2, self.chunk)
                elif took > CHUNK_SECONDS:
                    size = max(size // 2, 1)
                await asyncio.sleep(0)  # let the updates waiting meanwhile go first
            log.info("retention: %s finished students anonymised", total)
            return total

    # --- the scheduler -------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._job.running

    async def start(self, bot: object = None) -> None:
        """`bot` is accepted so every job starts alike; this one sends nothing."""
        self._job.start()

    async def stop(self) -> None:
        await self._job.stop()
