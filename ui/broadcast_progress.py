"""The live progress of a broadcast as its admin sees it: one message edited every few seconds
(sent, failed, blocked, rate, time left, a stop button), then turned into the final report.

A service with its own lifecycle: the composition root builds it and stops it at shutdown; the
tasks it runs are kept here, not in a handler module.
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
from bot.i18n import Html, Text
from storage.broadcasts import Counts
from ui.callbacks import BcStopCb
from ui.replies import edit_or_keep

log = logging.getLogger(__name__)

PROGRESS_INTERVAL = 3.0  # seconds between two edits of a progress message
REPORT_ATTEMPTS = 3  # tries to show the final report (flood control may refuse one)
REPORT_MAX_WAIT = 60.0  # seconds: the longest flood-control wait before the report's next try


class BroadcastProgress:
    def __init__(self, interval: float = PROGRESS_INTERVAL) -> None:
        self.interval = interval
        # Broadcast id -> the task editing its progress message (kept so it is not collected).
        self._tasks: dict[int, asyncio.Task[None]] = {}

    def follow(
        self,
        bot: Bot,
        delivery: DeliveryEngine,
        t: Text,
        label: Html,
        chat_id: int,
        message_id: int,
        broadcast_id: int,
    ) -> None:
        """Keeps the progress message `message_id` up to date until the broadcast ends."""
        task = asyncio.create_task(
            self._watch(bot, delivery, t, label, chat_id, message_id, broadcast_id),
            name=f"broadcast-progress-{broadcast_id}",
        )
        self._tasks[broadcast_id] = task
        task.add_done_callback(lambda _: self._tasks.pop(broadcast_id, None))

    def task(self, broadcast_id: int) -> asyncio.Task[None] | None:
        """The progress task of a broadcast started in this process (tests wait for it)."""
        return self._tasks.get(broadcast_id)

    async def stop(self) -> None:
        """Cancels every progress task (the app's shutdown)."""
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _watch(
        self,
        bot: Bot,
        delivery: DeliveryEngine,
        t: Text,
        label: Html,
        chat_id: int,
        message_id: int,
        broadcast_id: int,
    ) -> None:
        """Edits the progress message every `interval` s, then turns it into the report."""
        started = time.monotonic()
        live: _Live | None = _Live(bot, chat_id, message_id)
        while True:
            ended = True
            if live is not None:
                try:
                    final = await asyncio.wait_for(delivery.wait(broadcast_id), self.interval)
                except TimeoutError:
                    final, ended = None, False
            else:
                final = await delivery.wait(broadcast_id)
            if ended and final is None:  # no such broadcast (any more)
                return
            try:
                counts = await delivery.counts(broadcast_id)
            except Exception:  # the database hiccuped: try on the next round
                log.warning("broadcast %s: progress not read", broadcast_id, exc_info=True)
                continue
            if final is not None:
                report = report_text(t, label, counts, final.status == "cancelled")
                await _final_report(bot, chat_id, live, report)
                return
            text = progress_text(t, label, counts, time.monotonic() - started)
            if live is not None and not await live.show(text, stop_markup(t, broadcast_id)):
                live = None  # the message can't be edited: the report comes as a new one


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


def progress_text(t: Text, label: Html, counts: Counts, elapsed: float) -> str:
    rate = counts.finished / elapsed if elapsed > 0 else 0.0
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
