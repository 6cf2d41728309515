"""Admins: create schools and classes, make one-time invite links for school admins and teachers."""

from __future__ import annotations

from datetime import timedelta

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.access import AccessControl
from bot.callbacks import InviteCb
from bot.config import Settings
from bot.i18n import Text
from storage.invites import InvitesRepo
from storage.roles import Role
from storage.schools import SchoolsRepo

NAME_MAX = 200
BUTTONS_MAX = 50  # more than a keyboard should hold; larger structures use the CSV import


async def on_new_school(
    message: Message,
    command: CommandObject,
    t: Text,
    access_control: AccessControl,
    schools: SchoolsRepo,
) -> None:
    if not (await access_control.of(message.chat.id)).super_admin:
        await message.answer(t("admin-only-super"))
        return
    name = " ".join((command.args or "").split())
    if not name or len(name) > NAME_MAX:
        await message.answer(t("admin-newschool-usage"))
        return
    _, created = await schools.create_school(name)
    await message.answer(
        t("admin-school-created" if created else "admin-school-exists", school=name)
    )


async def on_new_class(
    message: Message,
    command: CommandObject,
    t: Text,
    access_control: AccessControl,
    schools: SchoolsRepo,
) -> None:
    access = await access_control.of(message.chat.id)
    if len(access.admin_schools) != 1:
        await message.answer(t("admin-newclass-one-school"))
        return
    name = " ".join((command.args or "").split())
    if not name or len(name) > 20:
        await message.answer(t("admin-newclass-usage"))
        return
    school_id = access.admin_schools[0]
    _, created = await schools.create_class(school_id, name)
    await message.answer(
        t("admin-class-created" if created else "admin-class-exists", **{"class": name})
    )


async def on_invite_admin(
    message: Message, t: Text, access_control: AccessControl, schools: SchoolsRepo
) -> None:
    if not (await access_control.of(message.chat.id)).super_admin:
        await message.answer(t("admin-only-super"))
        return
    found, _ = await schools.search("", 0, BUTTONS_MAX)
    if not found:
        await message.answer(t("admin-no-schools"))
        return
    rows = [
        [
            InlineKeyboardButton(
                text=s.name, callback_data=InviteCb(role=Role.SCHOOL_ADMIN, target=s.id).pack()
            )
        ]
        for s in found
    ]
    await message.answer(
        t("admin-pick-school"), reply_markup=InlineKeyboardMarkup(inline_keyboard=rows)
    )


async def on_invite_teacher(
    message: Message, t: Text, access_control: AccessControl, schools: SchoolsRepo
) -> None:
    access = await access_control.of(message.chat.id)
    if not access.admin_schools and not access.super_admin:
        await message.answer(t("admin-only-school"))
        return
    school_ids = access.admin_schools or [
        s.id for s in (await schools.search("", 0, BUTTONS_MAX))[0]
    ]
    classes = [k for school_id in school_ids for k in await schools.classes(school_id)]
    if not classes:
        await message.answer(t("admin-no-classes"))
        return
    rows = [
        [
            InlineKeyboardButton(
                text=f"{k.name} — {k.school_name}",
                callback_data=InviteCb(role=Role.TEACHER, target=k.id).pack(),
            )
        ]
        for k in classes[:BUTTONS_MAX]
    ]
    await message.answer(
        t("admin-pick-class"), reply_markup=InlineKeyboardMarkup(inline_keyboard=rows)
    )


async def on_invite_target(
    query: CallbackQuery,
    callback_data: InviteCb,
    bot: Bot,
    t: Text,
    access_control: AccessControl,
    schools: SchoolsRepo,
    invites: InvitesRepo,
    settings: Settings,
) -> None:
    """Make the link. The button's target is checked against the presser's rights again."""
    access = await access_control.of(query.from_user.id)
    if callback_data.role is Role.SCHOOL_ADMIN:
        school = await schools.get(callback_data.target)
        allowed = access.super_admin and school is not None
        school_id, class_id, place = (school.id, None, school.name) if school else (0, None, "")
    else:
        klass = await schools.get_class(callback_data.target)
        allowed = klass is not None and access.admin_of(klass.school_id)
        school_id, class_id = (klass.school_id, klass.id) if klass else (0, None)
        place = f"{klass.name}, {klass.school_name}" if klass else ""
    if not allowed:
        await query.answer(t("admin-only-school"), show_alert=True)
        return
    ttl = timedelta(days=settings.invite_ttl_days)
    token = await invites.create(callback_data.role, school_id, class_id, query.from_user.id, ttl)
    me = await bot.me()
    link = f"https://t.me/{me.username}?start=i_{token}"
    await query.answer()
    await bot.send_message(
        query.from_user.id,
        t(
            f"admin-invite-{callback_data.role.value}",
            link=link,
            place=place,
            days=settings.invite_ttl_days,
        ),
    )


def make_router() -> Router:
    """A fresh router (a router joins one dispatcher only; tests build several)."""
    router = Router(name=__name__)
    router.message.register(on_new_school, Command("newschool"))
    router.message.register(on_new_class, Command("newclass"))
    router.message.register(on_invite_admin, Command("invite_admin"))
    router.message.register(on_invite_teacher, Command("invite_teacher"))
    router.callback_query.register(on_invite_target, InviteCb.filter())
    return router
