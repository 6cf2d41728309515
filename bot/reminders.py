"""Reminders, scheduled inside the bot process and sent through the delivery engine.

- A consented student stuck on one step for longer than `stuck_days` gets one nudge per step.
- A student who joined by variant 1 or 2 (no own Госуслуги account) is reminded every
  `monthly_days` to link the e-journal, until they say it is done (/epos_done) or switch
  reminders off (/reminders).
- Nothing reaches children at night: a round whose time falls inside `quiet_hours` (local hours
  in the deployment's zone) sends and records nothing, so whatever was due goes out with the
  first round after the quiet hours end.

The state lives in SQLite (storage/reminders.py), so a restart never re-sends. A reminder is
recorded before its broadcast is created: a crash between the two loses that reminder rather
than sending it twice (after the broadcast exists, the engine's own guarantees apply).
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.delivery import DeliveryEngine
from bot.i18n import Catalog, MissingMessageError
from bot.local_time import DEFAULT_ZONE
from bot.periodic import Periodic
from bot.wizard import STUCK_STEPS
from storage.broadcasts import TextPayload
from storage.reminders import Due, RemindersRepo

log = logging.getLogger(__name__)

Now = Callable[[], datetime]


@dataclass(frozen=True, slots=True)
class ReminderPolicy:
    """When reminders are due; app/config.py loads it from REMINDERS_*."""

    stuck_days: float = 3
    interval_seconds: float = 3600
    monthly_days: float = 30
    # (start, end) local hours, [start, end), may wrap midnight; None: no quiet hours.
    quiet_window: tuple[int, int] | None = (21, 9)


def is_quiet(hour: int, window: tuple[int, int] | None) -> bool:
    """Whether a local hour falls inside the quiet window [start, end), which may wrap."""
    if window is None:
        return False
    start, end = window
    return start <= hour < end if start < end else hour >= start or hour < end


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Nudged:
    """What a teacher's nudge did: how many it went to, how many it left out (nudged today
    already, reminders off, the bot blocked, finished meanwhile), or nothing in the quiet
    hours."""

    sent: int
    skipped: int
    quiet: bool


TEACHER_NUDGE_EVERY = timedelta(days=1)


class Reminders:
    """run_once() finds who is due and hands them to the engine; start()/stop() schedule it."""

    def __init__(
        self,
        repo: RemindersRepo,
        delivery: DeliveryEngine,
        catalog: Catalog,
        policy: ReminderPolicy,
        *,
        zone: ZoneInfo = DEFAULT_ZONE,
        clock: Now = _utcnow,
    ) -> None:
        self.repo = repo
        self.delivery = delivery
        self.catalog = catalog
        self.policy = policy
        self.zone = zone
        self._clock = clock
        self._job: Periodic | None = None
        self._lock = asyncio.Lock()

    async def run_once(self, now: datetime) -> list[int]:
        """Sends every reminder due at `now`; returns the ids of the broadcasts created.

        Inside the quiet hours nothing is sent or recorded: what is due waits for a later round.
        """
        if self.quiet(now):
            log.debug("reminders round skipped: quiet hours")
            return []
        async with self._lock:  # the scheduler and a manual run never overlap
            created = await self._stuck(now)
            created += await self._monthly(now)
            return created

    async def _stuck(self, now: datetime) -> list[int]:
        since = _iso(now - timedelta(days=self.policy.stuck_days))
        due = await self.repo.stuck(since, [step.value for step in STUCK_STEPS])
        batches: dict[tuple[str, str], list[int]] = defaultdict(list)
        for item in due:
            assert item.step is not None
            batches[(item.step, self._locale(item))].append(item.user_id)
        created = []
        for (step, locale), user_ids in sorted(batches.items()):
            t = self.catalog.bind(locale)
            try:
                step_name = t.html(f"step-name-{step}")
            except MissingMessageError:  # a step this version does not know: no nudge
                log.warning("no name for step %s: not nudged", step)
                continue
            claimed = await self.repo.claim_stuck(user_ids, step, _iso(now))
            if claimed:
                text = t("rem-stuck", step=step_name)
                created.append(await self._send(f"reminder:stuck:{step}", text, claimed))
        return created

    async def _monthly(self, now: datetime) -> list[int]:
        due = await self.repo.monthly(_iso(now - timedelta(days=self.policy.monthly_days)))
        batches: dict[str, list[int]] = defaultdict(list)
        for item in due:
            batches[self._locale(item)].append(item.user_id)
        created = []
        for locale, user_ids in sorted(batches.items()):
            await self.repo.record_monthly(user_ids, _iso(now))
            text = self.catalog.bind(locale)("rem-monthly")
            created.append(await self._send("reminder:monthly", text, user_ids))
        return created

    def now(self) -> datetime:
        """The reminders' clock (a test's, or the real one)."""
        return self._clock()

    async def nudge(self, user_ids: Sequence[int], now: datetime) -> Nudged:
        """A teacher's "remind the stuck ones now": each student once a day at most, never in
        the quiet hours, not those who switched reminders off or blocked the bot."""
        if self.quiet(now):
            return Nudged(0, len(user_ids), quiet=True)
        due = await self.repo.claim_teacher_nudge(
            user_ids, _iso(now - TEACHER_NUDGE_EVERY), _iso(now)
        )
        batches: dict[tuple[str, str], list[int]] = defaultdict(list)
        for item in due:
            batches[(item.step or "", self._locale(item))].append(item.user_id)
        for (step, locale), ids in sorted(batches.items()):
            t = self.catalog.bind(locale)
            try:
                text = t("rem-teacher", step=t.html(f"step-name-{step}"))
            except MissingMessageError:  # a step this version does not know
                text = t("rem-teacher-any")
            await self._send(f"reminder:teacher:{step}", text, ids)
        return Nudged(len(due), len(user_ids) - len(due), quiet=False)

    def quiet(self, now: datetime) -> bool:
        return is_quiet(now.astimezone(self.zone).hour, self.policy.quiet_window)

    def _locale(self, item: Due) -> str:
        return self.catalog.bind(item.locale or self.catalog.default_locale).locale

    async def _send(self, audience: str, text: str, user_ids: list[int]) -> int:
        broadcast_id, count = await self.delivery.broadcast(
            0, audience, TextPayload(text), user_ids
        )
        log.info("%s: broadcast %s to %s", audience, broadcast_id, count)
        return broadcast_id

    # --- a student's own choices -----------------------------------------------------------

    async def toggle(self, user_id: int) -> bool:
        """/reminders switches them off, the same command on again; True: now off."""
        off = not await self.repo.is_off(user_id)
        await self.repo.set_off(user_id, off)
        return off

    async def switch(self, user_id: int, off: bool) -> None:
        """The button's choice: setting it twice (a double tap) changes nothing more."""
        await self.repo.set_off(user_id, off)

    async def epos_linked(self, user_id: int) -> bool:
        """/epos_done: the monthly reminder stops; False if the user has no student record."""
        return await self.repo.set_epos_linked(user_id, _iso(self._clock()))

    # --- the scheduler -------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._job is not None and self._job.running

    async def start(self) -> None:
        if self._job is None:
            self._job = Periodic(
                "reminders",
                lambda: self.run_once(self._clock()),
                lambda: self.policy.interval_seconds,
            )
        self._job.start()

    async def stop(self) -> None:
        if self._job is not None:
            await self._job.stop()
