"""Invite links for staff; /whoami; the staff's /help (deciding requests: handlers/decisions.py)."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import Message

from bot.access import Access, AccessControl
from bot.approvals import Approvals
from bot.i18n import Text
from bot.invitations import Invitations
from bot.platform_profile import PlatformProfile
from storage.invites import Redeemed
from storage.roles import Role
from storage.schools import SchoolsRepo
from ui.cards import (
    staff_help_text,
)
from ui.filters import InvitePayload, StaffMember
from ui.notifier import Notifier

# --- invites, /whoami -------------------------------------------------------------------------


async def on_invite(
    message: Message,
    command: CommandObject,
    bot: Bot,
    t: Text,
    invitations: Invitations,
    notifier: Notifier,
) -> None:
    token = (command.args or "").removeprefix("i_")
    user = message.from_user
    name, username = (user.full_name, user.username) if user else ("", None)
    joined = await invitations.redeem(token, message.chat.id, name, username)
    if isinstance(joined, Redeemed):
        await message.answer(t(f"invite-{joined.value}"))
        return
    place = {"school": joined.school, "class": joined.class_name}
    await message.answer(t(f"invite-{joined.role.value}", **place))
    if joined.role is Role.SCHOOL_ADMIN:  # memo instruction 1: without the classes, variant 1 fails
        await message.answer(t("staff-help-structure"))
    # Requests that reached nobody so far come to the one who has just joined.
    await notifier.deliver_waiting(bot, joined.class_ids)


async def on_whoami(
    message: Message,
    t: Text,
    access_control: AccessControl,
    schools: SchoolsRepo,
    approvals: Approvals,
) -> None:
    access = await access_control.of(message.chat.id)
    lines = [t("whoami-title")]
    if access.super_admin:
        lines.append(t("whoami-super-admin"))
    for school_id in access.admin_schools:
        school = await schools.get(school_id)
        lines.append(t("whoami-school-admin", school=school.name if school else "?"))
    for class_id in access.teacher_classes:
        klass = await schools.get_class(class_id)
        if klass:
            lines.append(t("whoami-teacher", school=klass.school_name, **{"class": klass.name}))
    if len(lines) == 1:
        lines.append(t("whoami-student"))
    # Staff commands stay out of the menu every student sees; each role is told its own here.
    if access.teacher_classes:
        lines += ["", t("whoami-teacher-commands")]
    if access.admin_schools or access.super_admin:
        lines += ["", t("whoami-admin-commands")]
    if access.super_admin:
        lines += ["", t("whoami-super-commands")]
        waiting = await approvals.requests.count_unreached()
        lines += ["", t("whoami-unreached", count=waiting)]
    await message.answer("\n".join(lines))


async def on_staff_help(
    message: Message, t: Text, access: Access, platform: PlatformProfile
) -> None:
    one_guide = platform.admin_guide_structure.url == platform.admin_guide_invite.url
    await message.answer(staff_help_text(t, access, one_guide))


def make_router() -> Router:
    """A fresh router (a router joins one dispatcher only; tests build several)."""
    router = Router(name=__name__)
    router.message.register(on_invite, CommandStart(deep_link=True), InvitePayload())
    router.message.register(on_whoami, Command("whoami"))
    router.message.register(on_staff_help, Command("help"), StaffMember())
    return router
