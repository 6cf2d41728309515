"""Composition root: the Bot and the Dispatcher with everything wired in."""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any

from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.base import BaseSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import BotCommand, ErrorEvent

from app.config import Settings
from app.lifecycle import GracefulDispatcher
from bot.access import AccessControl
from bot.approvals import Approvals
from bot.broadcasts import Broadcasts
from bot.class_links import ClassLinks
from bot.delivery import DeliveryEngine, DeliveryLimits
from bot.i18n import LOCALES, Catalog
from bot.invitations import Invitations
from bot.onboarding import Onboarding
from bot.platform_profile import Guide, link_text
from bot.reminders import ReminderPolicy, Reminders
from bot.retention import Retention, keep_until
from bot.stats import Statistics
from bot.structure_admin import StructureAdmin
from bot.teacher_tools import TeacherTools
from handlers import get_routers
from storage.audiences import AudiencesRepo
from storage.broadcast_reports import BroadcastReportsRepo
from storage.broadcasts import BroadcastsRepo
from storage.db import Database
from storage.erasure import ErasureRepo
from storage.fsm import SQLiteStorage
from storage.invites import InvitesRepo
from storage.join_requests import JoinRequestsRepo
from storage.reminders import RemindersRepo
from storage.retention import RetentionRepo
from storage.roles import RolesRepo
from storage.schools import SchoolsRepo
from storage.stats import StatsRepo
from storage.students import StudentsRepo
from storage.users import UsersRepo
from ui.broadcast_progress import BroadcastProgress
from ui.class_links import LinkPublisher
from ui.flood_wait import WaitOutFloodControl
from ui.isolation import PerUserIsolation
from ui.middlewares import ConversationMiddleware
from ui.notifier import Notifier
from ui.send_budget import share_budget
from ui.telegram_sender import TelegramSender

log = logging.getLogger(__name__)

COMMANDS = (
    "start",
    "status",
    "help",
    "epos",
    "restart",
    "cancel",
    "lang",
    "forget",
    "reminders",
    "whoami",
)


def _or_none(value: str | None) -> str:
    # Fluent selects on strings: "none" picks the wording without the fact.
    return value if value else "none"


def _guide_args(name: str, guide: Guide) -> dict[str, str]:
    return {f"guide_{name}": guide.url, f"guide_{name}_pages": _or_none(guide.pages)}


def profile_args(settings: Settings) -> dict[str, dict[str, str]]:
    """The deployment profile as placeholders for every text, per language."""
    platform = settings.platform
    common = {
        "messenger_web": platform.messenger_web,
        "sferum": link_text(str(settings.sferum_url)),
        "ejournal_url": link_text(str(settings.ejournal_url)) if settings.ejournal_url else "none",
        "app_stores": _or_none(platform.app_stores),
        "profile_button_phone": _or_none(platform.profile_button_phone),
        "profile_button_computer": _or_none(platform.profile_button_computer),
        "account": _or_none(platform.account),
        "ejournal_button": _or_none(platform.ejournal_button),
        **_guide_args("phone", platform.student_guide_phone),
        **_guide_args("computer", platform.student_guide_computer),
        **_guide_args("ejournal", platform.ejournal_guide),
        **_guide_args("structure", platform.admin_guide_structure),
        **_guide_args("invite", platform.admin_guide_invite),
        "chat_link_example": platform.chat_link_example,
        "support": _or_none(settings.support_contact),
        # "none" picks the notice's generic wording.
        "operator": settings.operator_name or "none",
        "retention_days": str(settings.data_retention_days),
    }
    return {
        "ru": common
        | {
            "messenger": platform.messenger_ru,
            "ejournal": settings.ejournal_name,
            "not_needed": _or_none(platform.not_needed_ru),
        },
        "en": common
        | {
            "messenger": platform.messenger_en,
            "ejournal": settings.ejournal_en,
            "not_needed": _or_none(platform.not_needed_en),
        },
    }


def build_bot(settings: Settings, session: BaseSession | None = None) -> Bot:
    """Every Bot API call goes to TELEGRAM_API_URL (Telegram's, or a self-hosted server)."""
    if session is None:
        session = AiohttpSession(api=TelegramAPIServer.from_base(settings.api_base))
    session.middleware(WaitOutFloodControl())  # a reply refused with 429 waits and is resent
    return Bot(
        token=settings.bot_token.get_secret_value(),
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )


def build_dispatcher(
    settings: Settings,
    db: Database,
    catalog: Catalog | None = None,
    *,
    reminder_policy: ReminderPolicy | None = None,
    delivery_limits: DeliveryLimits | None = None,
) -> GracefulDispatcher:
    catalog = catalog or Catalog(
        settings.default_locale, profile_args(settings), zone=settings.zone
    )
    users, schools, students = UsersRepo(db), SchoolsRepo(db), StudentsRepo(db)
    requests, roles = JoinRequestsRepo(db), RolesRepo(db)
    erasure = ErasureRepo(db, users)
    onboarding = Onboarding(
        users, schools, students, requests, erasure, keep_until=lambda: retention_date(settings)
    )
    access_control = AccessControl(roles, settings.admin_ids)
    approvals = Approvals(requests, schools, students, roles, settings.admin_ids, users)
    notifier = Notifier(approvals, users, catalog)
    delivery = DeliveryEngine(
        BroadcastsRepo(db), DeliveryLimits() if delivery_limits is None else delivery_limits
    )
    policy = ReminderPolicy() if reminder_policy is None else reminder_policy
    reminders = Reminders(RemindersRepo(db), delivery, catalog, policy, zone=settings.zone)
    dp = GracefulDispatcher(
        storage=SQLiteStorage(db),
        # Two fast taps of one user must not race on the FSM state.
        events_isolation=PerUserIsolation(),
        settings=settings,
        platform=settings.platform,
        catalog=catalog,
        onboarding=onboarding,
        schools=schools,
        students=students,
        requests=requests,
        roles=roles,
        invites=(invites := InvitesRepo(db)),
        invitations=Invitations(schools, invites, users, settings.invite_ttl_days),
        teacher_tools=TeacherTools(schools, requests, students, approvals),
        structure_admin=StructureAdmin(schools, students, requests, roles, users),
        access_control=access_control,
        approvals=approvals,
        notifier=notifier,
        class_links=LinkPublisher(
            ClassLinks(schools, students, requests, users, catalog, delivery), notifier
        ),
        delivery=delivery,
        broadcast_progress=(
            broadcast_progress := BroadcastProgress(delivery, BroadcastReportsRepo(db), catalog)
        ),
        audiences=(audiences := AudiencesRepo(db)),
        broadcasts=Broadcasts(schools, audiences, delivery),
        reminders=reminders,
        statistics=Statistics(
            StatsRepo(db),
            schools,
            roles,
            users,
            settings.zone,
            policy.stuck_days,
            sorted(settings.admin_ids),
            settings.database_path,
        ),
        users=users,
    )
    dp.update.outer_middleware(ConversationMiddleware(users, catalog, onboarding))
    dp.include_routers(*get_routers())
    dp.errors.register(_on_error)
    dp.startup.register(_set_commands)

    dp.startup.register(start_delivery)
    dp.startup.register(reminders.start)
    # Finished students are anonymised once the notice's retention period is over (daily).
    retention = Retention(
        RetentionRepo(db),
        settings.school_year_end,
        settings.data_retention_days,
        zone=settings.zone,
        forget_cached=users.forget_cached,
    )
    dp.startup.register(retention.start)
    dp.shutdown.register(retention.stop)
    dp.startup.register(report_unreached)
    dp.shutdown.register(dp.drain)
    dp.shutdown.register(broadcast_progress.stop)
    dp.shutdown.register(reminders.stop)
    dp.shutdown.register(delivery.stop)
    return dp


async def start_delivery(
    bot: Bot, delivery: DeliveryEngine, broadcast_progress: BroadcastProgress
) -> None:
    """Start-up (the dispatcher passes its workflow data by name): broadcasts a restart
    interrupted resume, their admins' progress messages too, and the bot's replies count in
    the engine's budget from now on."""
    share_budget(bot.session, delivery.limiter)
    await delivery.start(TelegramSender(bot))
    await broadcast_progress.resume(bot)


def retention_date(settings: Settings) -> date:
    """Until when a student who gives consent today would be kept (the notice says it)."""
    today = datetime.now(settings.zone).date()
    return keep_until(today, settings.school_year_end, settings.data_retention_days)


async def report_unreached(requests: JoinRequestsRepo) -> None:
    """The operator learns at start-up how many requests wait for somebody to join."""
    waiting = await requests.count_unreached()
    if waiting:
        log.warning(
            "%s join requests have reached nobody yet (no teacher, school admin or super admin"
            " could receive them); each goes to the first teacher or admin who joins",
            waiting,
        )


async def _set_commands(bot: Bot, catalog: Catalog) -> None:
    """The command menu in each language; Telegram shows the one matching the user's app."""
    for locale in LOCALES:
        t = catalog.bind(locale)
        commands = [BotCommand(command=c, description=t(f"cmd-{c}")) for c in COMMANDS]
        await bot.set_my_commands(commands, language_code=locale)
        if locale == catalog.default_locale:
            await bot.set_my_commands(commands)


async def _on_error(event: ErrorEvent, bot: Bot, **data: Any) -> bool:
    """Log the failure (no user data in the message) and tell the user something went wrong."""
    log.error(
        "update %s failed: %s",
        event.update.update_id,
        type(event.exception).__name__,
        exc_info=event.exception,
    )
    # The failure may come before the user's language is known: then the default one.
    catalog: Catalog = data["catalog"]
    t = data.get("t") or catalog.bind(catalog.default_locale)
    query = event.update.callback_query
    message = event.update.message
    try:
        if query is not None:
            try:
                await query.answer(t("error-generic"), show_alert=True)
            except TelegramBadRequest:  # answered before the failure: say it in the chat
                await bot.send_message(query.from_user.id, t("error-generic"))
        elif message is not None:
            await message.answer(t("error-generic"))
    except Exception:  # the error report itself must never raise
        log.warning("could not tell the user about a failed update", exc_info=True)
    return True
