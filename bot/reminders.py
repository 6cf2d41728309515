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
import re
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings

from bot.config import env_settings
from bot.delivery import DeliveryEngine
from bot.i18n import Catalog, MissingMessageError
from bot.local_time import DEFAULT_ZONE
from bot.periodic import Periodic
from storage.broadcasts import TextPayload
from storage.reminders import Due, RemindersRepo

log = logging.getLogger(__name__)

Now = Callable[[], datetime]


class RemindersSettings(BaseSettings):
    """Environment variables REMINDERS_STUCK_DAYS, REMINDERS_INTERVAL_SECONDS, ..."""

    model_config = env_settings("REMINDERS_")

    stuck_days: float = Field(default=3, gt=0)
    interval_seconds: float = Field(default=3600, gt=0)
    monthly_days: float = Field(default=30, gt=0)
    # "H-H" in local hours: from the first (inclusive) to the second (exclusive), may wrap
    # midnight; "0-0" (any equal pair: an empty window) or empty means no quiet hours.
    quiet_hours: str = "21-9"

    @field_validator("quiet_hours")
    @classmethod
    def _hours(cls, value: str) -> str:
        value = value.strip()
        if not value:
            return value
        match = re.fullmatch(r"(\d{1,2})\s*-\s*(\d{1,2})", value)
        if match is None or int(match[1]) > 23 or int(match[2]) > 23:
            raise ValueError("expected local hours START-END from 0 to 23, such as 21-9, or 0-0")
        return f"{int(match[1])}-{int(match[2])}"

    @cached_property
    def quiet_window(self) -> tuple[int, int] | None:
        """(start, end) local hours, or None without quiet hours."""
        start, _, end = self.quiet_hours.partition("-")
        if not start or int(start) == int(end):
            return None
        return int(start), int(end)


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


class Reminders:
    """run_once() finds who is due and hands them to the engine; start()/stop() schedule it."""

    def __init__(
        self,
        repo: RemindersRepo,
        delivery: DeliveryEngine,
        catalog: Catalog,
        settings: RemindersSettings,
        *,
        zone: ZoneInfo = DEFAULT_ZONE,
        clock: Now = _utcnow,
    ) -> None:
        self.repo = repo
        self.delivery = delivery
        self.catalog = catalog
        self.settings = settings
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
        due = await self.repo.stuck(_iso(now - timedelta(days=self.settings.stuck_days)))
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
        due = await self.repo.monthly(_iso(now - timedelta(days=self.settings.monthly_days)))
        batches: dict[str, list[int]] = defaultdict(list)
        for item in due:
            batches[self._locale(item)].append(item.user_id)
        created = []
        for locale, user_ids in sorted(batches.items()):
            await self.repo.record_monthly(user_ids, _iso(now))
            text = self.catalog.bind(locale)("rem-monthly")
            created.append(await self._send("reminder:monthly", text, user_ids))
        return created

    def quiet(self, now: datetime) -> bool:
        return is_quiet(now.astimezone(self.zone).hour, self.settings.quiet_window)

    def _locale(self, item: Due) -> str:
        return self.catalog.bind(item.locale or self.catalog.default_locale).locale

    async def _send(self, audience: str, text: str, user_ids: list[int]) -> int:
        broadcast_id, count = await self.delivery.broadcast(
            0, audience, TextPayload(text), user_ids
        )
        log.info("%s: broadcast %s to %s", audience, broadcast_id, count)
        return broadcast_id

    # --- the scheduler -------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._job is not None and self._job.running

    async def start(self) -> None:
        if self._job is None:
            self._job = Periodic(
                "reminders",
                lambda: self.run_once(self._clock()),
                lambda: self.settings.interval_seconds,
            )
        self._job.start()

    async def stop(self) -> None:
        if self._job is not None:
            await self._job.stop()
