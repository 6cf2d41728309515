"""Super admins (the municipality): /newschool, /invite_admin. The router lets nobody else in."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message

from bot.access import Access
from bot.i18n import Text
from bot.invitations import Invitations
from bot.structure_admin import StructureAdmin, school_name
from ui.admin_screens import invite_schools
from ui.middlewares import RequireAccess


async def on_new_school(
    message: Message, command: CommandObject, t: Text, structure_admin: StructureAdmin
) -> None:
    name = school_name(command.args or "")
    if name is None:
        await message.answer(t("admin-newschool-usage"))
        return
    school = await structure_admin.create_school(name)
    key = "admin-school-created" if school.created else "admin-school-exists"
    await message.answer(t(key, school=school.name))


async def on_invite_admin(message: Message, t: Text, invitations: Invitations) -> None:
    found = await invitations.schools()
    if not found:
        await message.answer(t("admin-no-schools"))
        return
    await message.answer(t("admin-pick-school"), reply_markup=invite_schools(found))


def _super_admin(access: Access) -> bool:
    return access.super_admin


def make_router() -> Router:
    """A fresh router (a router joins one dispatcher only; tests build several)."""
    router = Router(name=__name__)
    guard = RequireAccess(_super_admin, "admin-only-super")
    router.message.middleware(guard)
    flags = {"requires_access": True}
    router.message.register(on_new_school, Command("newschool"), flags=flags)
    router.message.register(on_invite_admin, Command("invite_admin"), flags=flags)
    return router
