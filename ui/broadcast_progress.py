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
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.delivery import DeliveryEngine
from bot.i18n import Html, Text
from storage.broadcasts import Counts
from ui.callbacks import BcStopCb

log = logging.getLogger(__name__)

PROGRESS_INTERVAL = 3.0  # seconds between two edits of a progress message


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
        live = True
        shown = ""
        while True:
            ended = True
            if live:
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
                await _final_report(bot, chat_id, message_id if live else None, report)
                return
            text = progress_text(t, label, counts, time.monotonic() - started)
            if text == shown:
                continue
            try:
                await bot.edit_message_text(
                    text=text,
                    chat_id=chat_id,
                    message_id=message_id,
                    reply_markup=stop_markup(t, broadcast_id),
                )
                shown = text
            except TelegramBadRequest as exc:
                if "not modified" not in exc.message.lower():
                    live = False
            except TelegramAPIError:
                live = False


def stop_markup(t: Text, broadcast_id: int) -> InlineKeyboardMarkup:
    # Telegram shows a label as is: the catalogue's HTML escaping is undone.
    button = InlineKeyboardButton(
        text=html.unescape(t("bc-btn-stop")),
        callback_data=BcStopCb(broadcast_id=broadcast_id).pack(),
    )
    return InlineKeyboardMarkup(inline_keyboard=[[button]])


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


async def _final_report(bot: Bot, chat_id: int, message_id: int | None, report: str) -> None:
    if message_id is not None:
        try:
            await bot.edit_message_text(text=report, chat_id=chat_id, message_id=message_id)
            return
        except TelegramAPIError:
            pass
    try:
        await bot.send_message(chat_id, report)
    except TelegramAPIError:
        log.warning("the final report of a broadcast could not be delivered", exc_info=True)
