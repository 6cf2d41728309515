"""School admins (and super admins): /newclass, /invite_teacher, /classes, /teachers and their
buttons — add, rename and remove classes, revoke staff roles. The router lets only admins in;
which school or class a press may touch is the service's check (bot/structure_admin.py)."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.access import Access
from bot.broadcast_audience import is_admin
from bot.i18n import Text
from bot.invitations import Invitations
from bot.structure_admin import (
    AdminView,
    ClassAction,
    NameClash,
    Person,
    Refusal,
    Removal,
    StructureAdmin,
    class_name,
)
from storage.roles import Role
from storage.schools import School
from ui import admin_screens as screens
from ui.admin_screens import REFUSAL_KEY
from ui.callbacks import ClassCb, InviteCb, RemoveCb, RevokeCb, SchoolCb
from ui.filters import NotText, TypedAnswer
from ui.middlewares import RequireAccess
from ui.replies import Say, replace_pressed, replacer
from ui.states import ClassAdmin
from ui.subflow import enter, leave, payload

# One typed class name at a time, under its own key in the FSM data (ui/subflow.py): the wizard's
# data of an admin who is also a student stays as it is.
_TYPING = "admin_typing"
_NEW_CLASS = "admin_new_class"  # /newclass NAME waiting for the school to be picked


def _presser(query: CallbackQuery | Message) -> Person:
    user = query.from_user
    assert user is not None  # private chats only (handlers/__init__.py)
    return Person(user.id, user.full_name, user.username)


async def _refuse(query: CallbackQuery, t: Text, refusal: Refusal) -> None:
    await query.answer(t(REFUSAL_KEY[refusal]), show_alert=True)


# --- new classes, invites ---------------------------------------------------------------------


async def on_new_class(
    message: Message,
    command: CommandObject,
    t: Text,
    access: Access,
    structure_admin: StructureAdmin,
    state: FSMContext,
) -> None:
    name = class_name(command.args or "")
    if name is None:
        await message.answer(t("admin-newclass-usage"))
        return
    choices = await structure_admin.managed_schools(access)
    if len(choices) == 1:
        await _say_created(message.answer, t, access, structure_admin, choices[0].id, name)
    elif not choices:
        await message.answer(t("admin-no-schools"))
    else:  # which school: the name waits in the FSM data, not in the buttons
        await state.update_data({_NEW_CLASS: name})
        picker = screens.school_picker(choices, AdminView.NEW_CLASS)
        await message.answer(t("adm-pick-school-new-class", **{"class": name}), reply_markup=picker)


async def _say_created(
    say: Say, t: Text, access: Access, admin: StructureAdmin, school_id: int, name: str
) -> None:
    created = await admin.create_class(access, school_id, name)
    if isinstance(created, Refusal):
        await say(t(REFUSAL_KEY[created]))
        return
    key = "admin-class-created" if created.created else "admin-class-exists"
    await say(t(key, **{"class": created.name}))


async def on_invite_teacher(
    message: Message, t: Text, access: Access, invitations: Invitations
) -> None:
    classes = await invitations.classes(access)
    if not classes:
        await message.answer(t("admin-no-classes"))
        return
    await message.answer(t("admin-pick-class"), reply_markup=screens.invite_classes(classes))


async def on_invite_target(
    query: CallbackQuery,
    callback_data: InviteCb,
    bot: Bot,
    t: Text,
    access: Access,
    invitations: Invitations,
) -> None:
    """Make the link: the target is checked against the presser's rights again."""
    invitation = await invitations.create(access, callback_data.role, callback_data.target)
    if invitation is None:
        only = "admin-only-super" if callback_data.role is Role.SCHOOL_ADMIN else "adm-forbidden"
        await query.answer(t(only), show_alert=True)
        return
    await query.answer()
    me = await bot.me()
    text = screens.invitation_text(t, invitation, me.username or "")
    await bot.send_message(query.from_user.id, text)


# --- a school's classes and staff -------------------------------------------------------------


async def _one_school(
    message: Message, t: Text, access: Access, admin: StructureAdmin, view: AdminView
) -> School | None:
    """The one school this person manages, or None after asking which."""
    choices = await admin.managed_schools(access)
    if len(choices) == 1:
        return choices[0]
    if not choices:
        await message.answer(t("admin-no-schools"))
    else:
        picker = screens.school_picker(choices, view)
        await message.answer(screens.pick_school_text(t, view), reply_markup=picker)
    return None


async def on_classes(
    message: Message, t: Text, access: Access, structure_admin: StructureAdmin
) -> None:
    school = await _one_school(message, t, access, structure_admin, AdminView.CLASSES)
    if school is not None:
        text, markup = screens.classes_screen(t, await structure_admin.classes(school))
        await message.answer(text, reply_markup=markup)


async def on_teachers(
    message: Message, t: Text, access: Access, structure_admin: StructureAdmin
) -> None:
    school = await _one_school(message, t, access, structure_admin, AdminView.TEACHERS)
    if school is not None:
        staff = await structure_admin.staff(school, _presser(message))
        text, markup = screens.staff_screen(t, staff)
        await message.answer(text, reply_markup=markup)


async def on_school_picked(
    query: CallbackQuery,
    callback_data: SchoolCb,
    bot: Bot,
    t: Text,
    access: Access,
    structure_admin: StructureAdmin,
    state: FSMContext,
) -> None:
    school = await structure_admin.school(access, callback_data.school_id)
    if isinstance(school, Refusal):
        await _refuse(query, t, school)
        return
    if callback_data.view is AdminView.NEW_CLASS:
        name = (await state.get_data()).get(_NEW_CLASS)
        if not isinstance(name, str):  # already created, or a forged button
            await query.answer(t("adm-new-class-forgotten"), show_alert=True)
            return
        await state.update_data({_NEW_CLASS: None})
        await query.answer()
        say = replacer(query, bot)
        await _say_created(say, t, access, structure_admin, school.id, name)
        return
    await query.answer()
    if callback_data.view is AdminView.CLASSES:
        text, markup = screens.classes_screen(t, await structure_admin.classes(school))
    else:
        staff = await structure_admin.staff(school, _presser(query))
        text, markup = screens.staff_screen(t, staff)
    await replace_pressed(query, bot, text, markup)


async def on_class_action(
    query: CallbackQuery,
    callback_data: ClassCb,
    bot: Bot,
    t: Text,
    access: Access,
    structure_admin: StructureAdmin,
    state: FSMContext,
) -> None:
    if callback_data.action is ClassAction.ADD:
        school = await structure_admin.school(access, callback_data.target)
        if isinstance(school, Refusal):
            await _refuse(query, t, Refusal.FORBIDDEN)
            return
        await query.answer()
        await enter(state, ClassAdmin.new_name, _TYPING, {"school": school.id})
        await bot.send_message(query.from_user.id, t("adm-ask-new-class", school=school.name))
        return
    klass = await structure_admin.school_class(access, callback_data.target)
    if isinstance(klass, Refusal):
        await _refuse(query, t, klass)
        return
    await query.answer()
    if callback_data.action is ClassAction.RENAME:
        await enter(state, ClassAdmin.rename, _TYPING, {"class": klass.id})
        await bot.send_message(query.from_user.id, t("adm-ask-rename", **{"class": klass.name}))
        return
    text, markup = screens.removal_question(t, await structure_admin.removal(klass))
    await bot.send_message(query.from_user.id, text, reply_markup=markup)


async def on_remove(
    query: CallbackQuery,
    callback_data: RemoveCb,
    bot: Bot,
    t: Text,
    access: Access,
    structure_admin: StructureAdmin,
) -> None:
    if not callback_data.confirm:
        klass = await structure_admin.school_class(access, callback_data.class_id)
        if isinstance(klass, Refusal):  # removed already, or another admin was first
            await _refuse(query, t, klass)
            return
        await query.answer()
        await replace_pressed(query, bot, t("adm-remove-kept", **{"class": klass.name}))
        return
    removed = await structure_admin.remove_class(
        access, callback_data.class_id, callback_data.students
    )
    if isinstance(removed, Refusal):
        await _refuse(query, t, removed)
    elif isinstance(removed, Removal):  # the confirmation no longer told the truth: ask again
        await _refuse(query, t, Refusal.CHANGED)
        text, markup = screens.removal_question(t, removed)
        await bot.send_message(query.from_user.id, text, reply_markup=markup)
    else:
        await query.answer()
        await replace_pressed(query, bot, t("adm-removed", **{"class": removed.name}))


async def on_revoke(
    query: CallbackQuery,
    callback_data: RevokeCb,
    bot: Bot,
    t: Text,
    access: Access,
    structure_admin: StructureAdmin,
) -> None:
    grant, step = callback_data.grant, callback_data.step
    if step == 1:
        role = await structure_admin.revoke(access, grant, _presser(query))
    else:
        role = await structure_admin.role(access, grant, _presser(query))
    if isinstance(role, Refusal):
        await _refuse(query, t, role)
        if role is Refusal.ROLE_GONE and step == 1:
            await replace_pressed(query, bot, t("adm-revoke-gone"))
        return
    await query.answer()
    if step == 0:
        text, markup = screens.revoke_question(t, role)
        await bot.send_message(query.from_user.id, text, reply_markup=markup)
    else:
        text = screens.revoked_text(t, role) if step == 1 else t("adm-revoke-kept")
        await replace_pressed(query, bot, text)


# --- a typed class name (not guarded: an admin whose role went meanwhile is told so) ----------


async def _typed_class_name(message: Message, t: Text) -> str | None:
    """The class name typed, or None after telling the admin what a name may be."""
    name = class_name(message.text or "")
    if name is None:
        await message.answer(t("adm-name-invalid"))
    return name


async def on_typed_new_class(
    message: Message, t: Text, access: Access, structure_admin: StructureAdmin, state: FSMContext
) -> None:
    name = await _typed_class_name(message, t)
    if name is None:
        return
    school_id = int((await payload(state, _TYPING)).get("school") or 0)
    await leave(state, _TYPING)
    await _say_created(message.answer, t, access, structure_admin, school_id, name)


async def on_typed_rename(
    message: Message, t: Text, access: Access, structure_admin: StructureAdmin, state: FSMContext
) -> None:
    name = await _typed_class_name(message, t)
    if name is None:
        return
    class_id = int((await payload(state, _TYPING)).get("class") or 0)
    renamed = await structure_admin.rename_class(access, class_id, name)
    if isinstance(renamed, NameClash):  # another try
        await message.answer(t("adm-name-clash", **{"class": renamed.existing}))
    elif isinstance(renamed, Refusal):
        await leave(state, _TYPING)
        await message.answer(t(REFUSAL_KEY[renamed]))
    else:
        await leave(state, _TYPING)
        await message.answer(t("adm-renamed", old=renamed[0].name, **{"class": renamed[1]}))


async def on_typed_other(message: Message, t: Text) -> None:
    """A sticker, a photo, a voice message... while a class name is awaited."""
    await message.answer(t("adm-name-not-text"))


async def on_typed_cancel(message: Message, t: Text, state: FSMContext) -> None:
    await leave(state, _TYPING)
    await message.answer(t("adm-cancelled"))


def make_router() -> Router:
    """A fresh router (a router joins one dispatcher only; tests build several)."""
    router = Router(name=__name__)
    guard = RequireAccess(is_admin, "admin-only-school", button_refusal="adm-forbidden")
    router.message.middleware(guard)
    router.callback_query.middleware(guard)
    flags = {"requires_access": True}
    for handler, command in (
        (on_new_class, "newclass"),
        (on_invite_teacher, "invite_teacher"),
        (on_classes, "classes"),
        (on_teachers, "teachers"),
    ):
        router.message.register(handler, Command(command), flags=flags)
    for pressed, data in (
        (on_invite_target, InviteCb),
        (on_school_picked, SchoolCb),
        (on_class_action, ClassCb),
        (on_remove, RemoveCb),
        (on_revoke, RevokeCb),
    ):
        router.callback_query.register(pressed, data.filter(), flags=flags)
    # One typed answer: /cancel and a class name; other commands pass on to their handlers.
    router.message.register(on_typed_cancel, StateFilter(ClassAdmin), Command("cancel"))
    router.message.register(on_typed_new_class, StateFilter(ClassAdmin.new_name), TypedAnswer())
    router.message.register(on_typed_rename, StateFilter(ClassAdmin.rename), TypedAnswer())
    router.message.register(on_typed_other, StateFilter(ClassAdmin), NotText())
    return router
