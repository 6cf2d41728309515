"""/stats: the funnel for the reader's own scope, its chart, its Excel file and the nudge
(handlers only; bot/stats.py decides the scope, ui/stats_screens.py writes it)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, CallbackQuery, Message

from bot.access import Access
from bot.i18n import Text
from bot.reminders import Reminders
from bot.stats import ScopeKind, Statistics, StatsAction
from storage.stats_export import Scope
from ui.callbacks import StatsCb
from ui.middlewares import RequireAccess
from ui.stats_screens import chart_png, stats_keyboard, stats_messages


async def on_stats(
    message: Message, bot: Bot, t: Text, access: Access, statistics: Statistics
) -> None:
    reports = await statistics.reports(access)
    if not reports:
        await message.answer(t("stats-nothing"))
        return
    chat = message.chat.id
    for report in reports:
        *first, last = stats_messages(t, report, statistics.stuck_days_shown)
        for text in first:
            await bot.send_message(chat, text)
        await bot.send_message(chat, last, reply_markup=stats_keyboard(t, report))
        png = await asyncio.to_thread(chart_png, t, report)
        await bot.send_photo(chat, BufferedInputFile(png, "stats.png"))


async def on_stats_button(
    query: CallbackQuery,
    callback_data: StatsCb,
    bot: Bot,
    t: Text,
    access: Access,
    statistics: Statistics,
    reminders: Reminders,
) -> None:
    scope = await statistics.allowed(access, callback_data.scope, callback_data.target)
    if scope is None:  # a forged or outdated button: the presser's rights decide
        await query.answer(t("stats-forbidden"), show_alert=True)
    elif callback_data.action is StatsAction.XLSX:
        await query.answer(t("stats-xlsx-wait"))
        await _send_workbook(bot, query.from_user.id, t, statistics, scope)
    elif callback_data.scope is ScopeKind.CLASS:
        await query.answer()
        await _nudge(bot, query.from_user.id, t, statistics, reminders, callback_data.target)
    else:  # a nudge is for a class's stuck students only
        await query.answer(t("stats-forbidden"), show_alert=True)


async def _send_workbook(bot: Bot, chat: int, t: Text, stats: Statistics, scope: Scope) -> None:
    now = datetime.now(UTC)
    data = await stats.workbook(scope, t, now)
    name = f"sferum-stats-{now.astimezone(stats.zone).date().isoformat()}.xlsx"
    scope_name = await stats.scope_name(scope, t)  # escaped by t(): the caption is HTML
    caption = t("stats-xlsx-caption", scope=scope_name, time=t.time(now.isoformat()))
    await bot.send_document(chat, BufferedInputFile(data, name), caption=caption)


async def _nudge(
    bot: Bot, chat: int, t: Text, stats: Statistics, reminders: Reminders, class_id: int
) -> None:
    now = reminders.now()
    stuck = await stats.stuck_ids(class_id, now)
    if not stuck:
        await bot.send_message(chat, t("stats-nudge-nobody", days=stats.stuck_days_shown))
        return
    done = await reminders.nudge(stuck, now)
    if done.quiet and (window := reminders.policy.quiet_window):
        await bot.send_message(chat, t("stats-nudge-quiet", **{"from": window[0], "to": window[1]}))
    else:
        await bot.send_message(chat, t("stats-nudged", sent=done.sent, skipped=done.skipped))


def make_router() -> Router:
    """A fresh router (a router joins one dispatcher only; tests build several)."""
    router = Router(name=__name__)
    staff_only = RequireAccess(Access.is_staff, "stats-not-staff")
    router.message.middleware(staff_only)
    router.callback_query.middleware(staff_only)
    flags = {"requires_access": True}
    router.message.register(on_stats, Command("stats"), flags=flags)
    router.callback_query.register(on_stats_button, StatsCb.filter(), flags=flags)
    return router
