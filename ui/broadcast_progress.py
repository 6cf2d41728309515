"""The live progress of a broadcast as its admin sees it: one message edited every few seconds
(sent, failed, blocked, rate, time left, a stop button), then turned into the final report.

Which message follows which broadcast is stored (storage/broadcast_reports.py) until the report
is delivered: after a restart, `resume` takes every unreported one up again, so the message goes
on updating where it froze and the admin still gets the report.

A service with its own lifecycle: the composition root builds it, resumes it at start-up and
stops it at shutdown; the tasks it runs are kept here, not in a handler module.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import time

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramRetryAfter
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.delivery import DeliveryEngine
from bot.i18n import Catalog, Html, Text
from storage.broadcast_reports import BroadcastReportsRepo, Watch
from storage.broadcasts import Counts
from ui.callbacks import BcStopCb
from ui.replies import edit_or_keep

log = logging.getLogger(__name__)

PROGRESS_INTERVAL = 3.0  # seconds between two edits of a progress message
REPORT_ATTEMPTS = 3  # tries to show the final report (flood control may refuse one)
REPORT_MAX_WAIT = 60.0  # seconds: the longest flood-control wait before the report's next try


class BroadcastProgress:
    def __init__(
        self,
        delivery: DeliveryEngine,
        reports: BroadcastReportsRepo,
        catalog: Catalog,
        interval: float = PROGRESS_INTERVAL,
    ) -> None:
        self.delivery = delivery
        self.interval = interval
        self._reports = reports
        self._catalog = catalog
        # Broadcast id -> the task editing its progress message (kept so it is not collected).
        self._tasks: dict[int, asyncio.Task[None]] = {}

    async def follow(self, bot: Bot, watch: Watch) -> None:
        """Keeps the progress message up to date until the broadcast ends, then reports; stored
        first, so a restart meanwhile resumes it."""
        await self._reports.watch(watch)
        self._start(bot, watch)

    async def resume(self, bot: Bot) -> None:
        """Start-up: every progress message whose report was not delivered before a restart."""
        for watch in await self._reports.unreported():
            if watch.broadcast_id not in self._tasks:
                self._start(bot, watch)

    def task(self, broadcast_id: int) -> asyncio.Task[None] | None:
        """The progress task of a broadcast followed in this process (tests wait for it)."""
        return self._tasks.get(broadcast_id)

    async def stop(self) -> None:
        """Cancels every progress task (the app's shutdown); they resume at the next start."""
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _finished(self, broadcast_id: int) -> int:
        try:
            return (await self.delivery.counts(broadcast_id)).finished
        except Exception:  # the database hiccuped: the rate counts from zero
            log.warning("broadcast %s: progress not read", broadcast_id, exc_info=True)
            return 0

    def _start(self, bot: Bot, watch: Watch) -> None:
        bid = watch.broadcast_id
        task = asyncio.create_task(self._watch(bot, watch), name=f"broadcast-progress-{bid}")
        self._tasks[bid] = task
        task.add_done_callback(lambda _: self._tasks.pop(bid, None))

    async def _watch(self, bot: Bot, watch: Watch) -> None:
        """Edits the progress message every `interval` s, then turns it into the report."""
        t, label, bid = self._catalog.bind(watch.locale), Html(watch.label), watch.broadcast_id
        live: _Live | None = _Live(bot, watch.chat_id, watch.message_id)
        rate = _Rate(await self._finished(bid))
        while True:
            ended = True
            if live is not None:
                try:
                    final = await asyncio.wait_for(self.delivery.wait(bid), self.interval)
                except TimeoutError:
                    final, ended = None, False
            else:
                final = await self.delivery.wait(bid)
            if ended and final is None:  # no such broadcast (any more)
                await self._reports.reported(bid)
                return
            try:
                counts = await self.delivery.counts(bid)
            except Exception:  # the database hiccuped: try on the next round
                log.warning("broadcast %s: progress not read", bid, exc_info=True)
                continue
            if final is not None:
                report = report_text(t, label, counts, final.status == "cancelled")
                await _final_report(bot, watch.chat_id, live, report)
                await self._reports.reported(bid)
                return
            text = progress_text(t, label, counts, rate.of(counts))
            if live is not None and not await live.show(text, stop_markup(t, bid)):
                live = None  # the message can't be edited: the report comes as a new one


class _Rate:
    """Messages per second since this process began following: a broadcast resumed after a
    restart is not credited with what was sent before it (nor blamed for the downtime)."""

    def __init__(self, finished: int) -> None:
        self._since = time.monotonic()
        self._first = finished

    def of(self, counts: Counts) -> float:
        elapsed = time.monotonic() - self._since
        return (counts.finished - self._first) / elapsed if elapsed > 0 else 0.0


class _Live:
    """The progress message while it can be edited: edited through ui/replies.edit_or_keep, the
    one place that knows Telegram's edit errors ("message is not modified" is success)."""

    def __init__(self, bot: Bot, chat_id: int, message_id: int) -> None:
        self.bot, self.chat_id, self.message_id = bot, chat_id, message_id
        self._shown = ""
        self._quiet_until = 0.0  # flood control asked to wait (429 retry_after) until then

    async def show(self, text: str, markup: InlineKeyboardMarkup | None = None) -> bool:
        """Shows `text` (unless it is shown already or flood control asks to wait); False once
        the message can't be edited any more."""
        if text == self._shown or time.monotonic() < self._quiet_until:
            return True
        try:
            if not await edit_or_keep(self.bot, self.chat_id, self.message_id, text, markup):
                return False
        except TelegramRetryAfter as exc:  # a longer wait than the session waits out itself
            self._quiet_until = time.monotonic() + exc.retry_after
            return True
        except TelegramAPIError:  # refused for another reason, or Telegram unreachable
            log.warning("a broadcast's progress message could not be edited", exc_info=True)
            return False
        self._shown = text
        return True


def stop_markup(t: Text, broadcast_id: int) -> InlineKeyboardMarkup:
    # Telegram shows a label as is: the catalogue's HTML escaping is undone.
    builder = InlineKeyboardBuilder()
    builder.button(
        text=html.unescape(t("bc-btn-stop")), callback_data=BcStopCb(broadcast_id=broadcast_id)
    )
    return builder.as_markup()


def _duration(seconds: float) -> str:
    whole = max(0, round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


def progress_text(t: Text, label: Html, counts: Counts, rate: float) -> str:
    eta = _duration(counts.pending / rate) if rate > 0 else t("bc-eta-unknown")
    return t(
        "bc-progress",
        audience=label,
        sent=counts.sent,
        failed=counts.failed,
        blocked=counts.blocked,
        total=counts.total,
        rate=f"{rate:.1f}",
        eta=eta,
    )


def report_text(t: Text, label: Html, counts: Counts, cancelled: bool) -> str:
    return t(
        "bc-report-cancelled" if cancelled else "bc-report-done",
        audience=label,
        sent=counts.sent,
        failed=counts.failed,
        blocked=counts.blocked,
        unsent=counts.pending,
        total=counts.total,
    )


async def _final_report(bot: Bot, chat_id: int, live: _Live | None, report: str) -> None:
    """The report in place of the progress message (its stop button goes), or as a new message
    when that can't be edited."""
    for _ in range(REPORT_ATTEMPTS):
        try:
            if live is not None and await edit_or_keep(bot, chat_id, live.message_id, report):
                return
            await bot.send_message(chat_id, report)
            return
        except TelegramRetryAfter as exc:  # flood control: wait, then try once more
            await asyncio.sleep(min(exc.retry_after, REPORT_MAX_WAIT))
        except TelegramAPIError:
            if live is None:
                log.warning("the final report of a broadcast could not be delivered", exc_info=True)
                return
            live = None  # the edit was refused: the report comes as a new message
    log.warning("the final report of a broadcast could not be delivered: flood control")
