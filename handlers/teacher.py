"""Invite links for staff; /whoami; the staff's /help (deciding requests: handlers/decisions.py)."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import Message

from bot.access import Access, AccessControl
from bot.approvals import Approvals
from bot.i18n import Text
from bot.platform_profile import PlatformProfile
from storage.invites import InvitesRepo, Redeemed
from storage.roles import Role
from storage.schools import SchoolsRepo
from storage.users import UsersRepo
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
    invites: InvitesRepo,
    schools: SchoolsRepo,
    users: UsersRepo,
    notifier: Notifier,
) -> None:
    token = (command.args or "").removeprefix("i_")
    redemption = await invites.redeem(token, message.chat.id)
    if redemption.result in (Redeemed.UNKNOWN, Redeemed.USED, Redeemed.EXPIRED):
        await message.answer(t(f"invite-{redemption.result.value}"))
        return
    if message.from_user is not None:  # /teachers shows people, not numbers
        await users.set_staff_name(
            message.chat.id, message.from_user.full_name, message.from_user.username
        )
    school = await schools.get(redemption.school_id or 0)
    klass = await schools.get_class(redemption.class_id) if redemption.class_id else None
    role = redemption.role or Role.TEACHER
    await message.answer(
        t(
            f"invite-{role.value}",
            school=school.name if school else "",
            **{"class": klass.name if klass else ""},
        )
    )
    if role is Role.SCHOOL_ADMIN:  # memo instruction 1: without the classes, variant 1 fails
        await message.answer(t("staff-help-structure"))
    # Requests that reached nobody so far come to the one who has just joined.
    class_ids = (
        [klass.id] if klass else [k.id for k in await schools.classes(school.id if school else 0)]
    )
    await notifier.deliver_waiting(bot, class_ids)


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
