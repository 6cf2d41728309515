"""Admins: create schools and classes, make one-time invite links for school admins and teachers;
list, add, rename and remove a school's classes, list its staff and revoke their roles."""

from __future__ import annotations

import html
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)
from aiogram.types import User as TelegramUser

from bot.access import Access, AccessControl
from bot.i18n import Text
from bot.structure_admin import (
    AdminView,
    ClassAction,
    class_name,
    managed_class,
    managed_school,
    managed_schools,
    name_taken,
    revocable,
)
from storage.invites import InvitesRepo
from storage.join_requests import JoinRequestsRepo
from storage.roles import Grant, Role, RolesRepo
from storage.schools import School, SchoolClass, SchoolsRepo
from storage.students import StudentsRepo
from storage.users import User, UsersRepo
from ui.callbacks import ClassCb, InviteCb, RemoveCb, RevokeCb, SchoolCb
from ui.filters import NotText, TypedAnswer
from ui.replies import replace_pressed
from ui.states import ClassAdmin
from ui.subflow import enter, leave, payload

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
    state: FSMContext,
) -> None:
    access = await access_control.of(message.chat.id)
    if not access.admin_schools and not access.super_admin:
        await message.answer(t("admin-only-school"))
        return
    name = class_name(command.args or "")
    if name is None:
        await message.answer(t("admin-newclass-usage"))
        return
    choices = await managed_schools(access, schools)
    if not choices:
        await message.answer(t("admin-no-schools"))
        return
    if len(choices) > 1:  # which school: the name waits in the FSM data, not in the buttons
        await state.update_data({_NEW_CLASS: name})
        await message.answer(
            t("adm-pick-school-new-class", **{"class": name}),
            reply_markup=_school_picker(choices, AdminView.NEW_CLASS),
        )
        return
    await _create_class(message.answer, t, schools, choices[0].id, name)


async def _create_class(
    say: Callable[[str], Awaitable[Any]], t: Text, schools: SchoolsRepo, school_id: int, name: str
) -> None:
    existing = await name_taken(schools, school_id, name)
    if existing is not None:
        await say(t("admin-class-exists", **{"class": existing}))
        return
    _, created = await schools.create_class(school_id, name)
    await say(t("admin-class-created" if created else "admin-class-exists", **{"class": name}))


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
    invite_ttl_days: int,
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
    ttl = timedelta(days=invite_ttl_days)
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
            days=invite_ttl_days,
        ),
    )


# --- the school's structure: /classes, /teachers, rename, remove, revoke -----------------------

# One typed class name at a time, under its own key in the FSM data (ui/subflow.py): the wizard's
# data of an admin who is also a student stays as it is.
_TYPING = "admin_typing"
_NEW_CLASS = "admin_new_class"  # /newclass NAME waiting for the school to be picked


def _label(t: Text, key: str, **args: Any) -> str:
    """A button's label: Telegram shows it as is, so the HTML escaping is undone."""
    return html.unescape(t(key, **args))


def _school_picker(choices: list[School], view: AdminView) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                text=s.name, callback_data=SchoolCb(view=view, school_id=s.id).pack()
            )
        ]
        for s in choices
    ]
    return InlineKeyboardMarkup(inline_keyboard=rows)


async def _pick_school(
    message: Message, t: Text, access: Access, schools: SchoolsRepo, view: AdminView
) -> School | None:
    """The one school this person manages, or None after asking which (or refusing)."""
    if not access.admin_schools and not access.super_admin:
        await message.answer(t("admin-only-school"))
        return None
    choices = await managed_schools(access, schools)
    if not choices:
        await message.answer(t("admin-no-schools"))
        return None
    if len(choices) == 1:
        return choices[0]
    key = "adm-pick-school-classes" if view is AdminView.CLASSES else "adm-pick-school-teachers"
    await message.answer(t(key), reply_markup=_school_picker(choices, view))
    return None


async def _classes_screen(
    t: Text, school: School, schools: SchoolsRepo, students: StudentsRepo
) -> tuple[str, InlineKeyboardMarkup]:
    classes = await schools.classes(school.id)
    counts = await students.counts_in_school(school.id)
    lines = [t("adm-classes-title", school=school.name)]
    lines += [
        t("adm-class-line", students=counts.get(k.id, 0), **{"class": k.name}) for k in classes
    ]
    lines.append(t("adm-classes-hint") if classes else t("adm-classes-empty"))
    rows = [
        [
            InlineKeyboardButton(
                text=_label(t, "btn-adm-rename", **{"class": k.name}),
                callback_data=ClassCb(action=ClassAction.RENAME, target=k.id).pack(),
            ),
            InlineKeyboardButton(
                text=_label(t, "btn-adm-remove", **{"class": k.name}),
                callback_data=ClassCb(action=ClassAction.REMOVE, target=k.id).pack(),
            ),
        ]
        for k in classes[:BUTTONS_MAX]
    ]
    rows.append(
        [
            InlineKeyboardButton(
                text=t("btn-adm-add-class"),
                callback_data=ClassCb(action=ClassAction.ADD, target=school.id).pack(),
            )
        ]
    )
    return "\n".join(lines), InlineKeyboardMarkup(inline_keyboard=rows)


async def _staff_names(
    t: Text, users: UsersRepo, user_ids: list[int], presser: TelegramUser
) -> dict[int, str]:
    """Staff as people: their Telegram name when they took the invite, with the @username (the
    presser's own name Telegram tells anyway)."""
    rows = await users.staff_names(user_ids)
    names: dict[int, str] = {}
    for user_id in user_ids:
        user = rows.get(user_id)
        if user_id == presser.id and (user is None or not user.staff_name):
            user = User(
                presser.id,
                None,
                None,
                None,
                username=presser.username,
                staff_name=presser.full_name,
            )
        if user is None or not user.staff_name:
            names[user_id] = html.unescape(t("adm-name-unknown", id=str(user_id)))
        elif user.username:
            names[user_id] = f"{user.staff_name} (@{user.username})"
        else:
            names[user_id] = user.staff_name
    return names


async def _teachers_screen(
    t: Text,
    school: School,
    schools: SchoolsRepo,
    roles: RolesRepo,
    users: UsersRepo,
    presser: TelegramUser,
) -> tuple[str, InlineKeyboardMarkup]:
    grants = await roles.of_school(school.id)
    names = await _staff_names(t, users, sorted({g.user_id for g in grants}), presser)
    admins = [g for g in grants if g.role is Role.SCHOOL_ADMIN]
    teachers = [
        (g, k)
        for g in grants
        if g.role is Role.TEACHER and (k := await schools.get_class(g.class_id or 0)) is not None
    ]
    teachers.sort(key=lambda pair: (len(pair[1].name), pair[1].name, pair[0].user_id))
    lines = [t("adm-teachers-title", school=school.name), "", t("adm-teachers-admins")]
    lines += [t("adm-admin-line", id=str(g.user_id), name=names[g.user_id]) for g in admins] or [
        t("adm-teachers-none")
    ]
    lines += ["", t("adm-teachers-teachers")]
    lines += [
        t(
            "adm-teacher-line",
            id=str(g.user_id),
            name=names[g.user_id],
            **{"class": k.name},
        )
        for g, k in teachers
    ] or [t("adm-teachers-none")]
    buttons = [(_label(t, "btn-adm-revoke-admin", name=names[g.user_id]), g) for g in admins] + [
        (
            _label(
                t,
                "btn-adm-revoke-teacher",
                name=names[g.user_id],
                **{"class": k.name},
            ),
            g,
        )
        for g, k in teachers
    ]
    if buttons:
        lines += ["", t("adm-teachers-hint")]
    rows = [
        [InlineKeyboardButton(text=label, callback_data=_revoke_data(g, 0))]
        for label, g in buttons[:BUTTONS_MAX]
    ]
    return "\n".join(lines), InlineKeyboardMarkup(inline_keyboard=rows)


def _revoke_data(grant: Grant, step: int) -> str:
    return RevokeCb(
        user_id=grant.user_id,
        role=grant.role,
        school_id=grant.school_id,
        class_id=grant.class_id or 0,
        step=step,
    ).pack()


async def on_classes(
    message: Message,
    t: Text,
    access_control: AccessControl,
    schools: SchoolsRepo,
    students: StudentsRepo,
) -> None:
    access = await access_control.of(message.chat.id)
    school = await _pick_school(message, t, access, schools, AdminView.CLASSES)
    if school is not None:
        text, markup = await _classes_screen(t, school, schools, students)
        await message.answer(text, reply_markup=markup)


async def on_teachers(
    message: Message,
    t: Text,
    access_control: AccessControl,
    schools: SchoolsRepo,
    roles: RolesRepo,
    users: UsersRepo,
) -> None:
    access = await access_control.of(message.chat.id)
    school = await _pick_school(message, t, access, schools, AdminView.TEACHERS)
    if school is not None and message.from_user is not None:
        text, markup = await _teachers_screen(t, school, schools, roles, users, message.from_user)
        await message.answer(text, reply_markup=markup)


async def on_school_picked(
    query: CallbackQuery,
    callback_data: SchoolCb,
    bot: Bot,
    t: Text,
    access_control: AccessControl,
    schools: SchoolsRepo,
    students: StudentsRepo,
    roles: RolesRepo,
    users: UsersRepo,
    state: FSMContext,
) -> None:
    access = await access_control.of(query.from_user.id)
    if not access.admin_of(callback_data.school_id):
        await query.answer(t("adm-forbidden"), show_alert=True)
        return
    school = await schools.get(callback_data.school_id)
    if school is None:
        await query.answer(t("adm-school-gone"), show_alert=True)
        return
    if callback_data.view is AdminView.NEW_CLASS:
        data = await state.get_data()
        name = data.get(_NEW_CLASS)
        if not isinstance(name, str):  # already created, or a forged button
            await query.answer(t("adm-new-class-forgotten"), show_alert=True)
            return
        await state.set_data({k: v for k, v in data.items() if k != _NEW_CLASS})
        await query.answer()

        async def say(text: str) -> None:
            await replace_pressed(query, bot, text)

        await _create_class(say, t, schools, school.id, name)
        return
    await query.answer()
    if callback_data.view is AdminView.CLASSES:
        text, markup = await _classes_screen(t, school, schools, students)
    else:
        text, markup = await _teachers_screen(t, school, schools, roles, users, query.from_user)
    await replace_pressed(query, bot, text, markup)


async def on_class_action(
    query: CallbackQuery,
    callback_data: ClassCb,
    bot: Bot,
    t: Text,
    access_control: AccessControl,
    schools: SchoolsRepo,
    students: StudentsRepo,
    requests: JoinRequestsRepo,
    roles: RolesRepo,
    state: FSMContext,
) -> None:
    access = await access_control.of(query.from_user.id)
    if callback_data.action is ClassAction.ADD:
        school = await managed_school(access, schools, callback_data.target)
        if school is None:
            await query.answer(t("adm-forbidden"), show_alert=True)
            return
        await query.answer()
        await enter(state, ClassAdmin.new_name, _TYPING, {"school": school.id})
        await bot.send_message(query.from_user.id, t("adm-ask-new-class", school=school.name))
        return
    klass = await schools.get_class(callback_data.target)
    if klass is None:
        await query.answer(t("adm-class-gone"), show_alert=True)
        return
    if not access.admin_of(klass.school_id):
        await query.answer(t("adm-forbidden"), show_alert=True)
        return
    await query.answer()
    if callback_data.action is ClassAction.RENAME:
        await enter(state, ClassAdmin.rename, _TYPING, {"class": klass.id})
        await bot.send_message(query.from_user.id, t("adm-ask-rename", **{"class": klass.name}))
        return
    await _ask_removal(bot, query.from_user.id, t, klass, students, requests, roles)


async def _ask_removal(
    bot: Bot,
    chat_id: int,
    t: Text,
    klass: SchoolClass,
    students: StudentsRepo,
    requests: JoinRequestsRepo,
    roles: RolesRepo,
) -> None:
    """What the removal would take away, and ✅ / cancel buttons."""
    count = await students.count_in_class(klass.id)
    if count:
        text = t(
            "adm-remove-warn",
            students=count,
            requests=await requests.pending_in_class(klass.id),
            teachers=len(await roles.teachers_of(klass.id)),
            **{"class": klass.name},
        )
    else:
        text = t("adm-remove-ask", **{"class": klass.name})
    confirm = "btn-adm-remove-force" if count else "btn-adm-remove-confirm"
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=t(confirm),
                    callback_data=RemoveCb(class_id=klass.id, students=count, confirm=True).pack(),
                ),
                InlineKeyboardButton(
                    text=t("btn-adm-cancel"),
                    callback_data=RemoveCb(class_id=klass.id, students=count, confirm=False).pack(),
                ),
            ]
        ]
    )
    await bot.send_message(chat_id, text, reply_markup=markup)


async def on_remove(
    query: CallbackQuery,
    callback_data: RemoveCb,
    bot: Bot,
    t: Text,
    access_control: AccessControl,
    schools: SchoolsRepo,
    students: StudentsRepo,
    requests: JoinRequestsRepo,
    roles: RolesRepo,
) -> None:
    access = await access_control.of(query.from_user.id)
    klass = await schools.get_class(callback_data.class_id)
    if klass is None:  # removed already: a second press, or another admin was first
        await query.answer(t("adm-class-gone"), show_alert=True)
        return
    if not access.admin_of(klass.school_id):
        await query.answer(t("adm-forbidden"), show_alert=True)
        return
    if not callback_data.confirm:
        await query.answer()
        await replace_pressed(query, bot, t("adm-remove-kept", **{"class": klass.name}))
        return
    if await students.count_in_class(klass.id) != callback_data.students:
        # The confirmation no longer tells the truth: nothing is removed, it is asked again.
        await query.answer(t("adm-remove-changed"), show_alert=True)
        await _ask_removal(bot, query.from_user.id, t, klass, students, requests, roles)
        return
    await schools.remove_class(klass.id)
    await query.answer()
    await replace_pressed(query, bot, t("adm-removed", **{"class": klass.name}))


async def on_revoke(
    query: CallbackQuery,
    callback_data: RevokeCb,
    bot: Bot,
    t: Text,
    access_control: AccessControl,
    schools: SchoolsRepo,
    roles: RolesRepo,
    users: UsersRepo,
) -> None:
    grant = callback_data.grant
    allowed = await revocable(await access_control.of(query.from_user.id), roles, grant)
    if allowed is None:
        await query.answer(t("adm-forbidden"), show_alert=True)
        return
    if not allowed:
        await query.answer(t("adm-revoke-gone"), show_alert=True)
        if callback_data.step == 1:
            await replace_pressed(query, bot, t("adm-revoke-gone"))
        return
    school = await schools.get(grant.school_id)
    klass = await schools.get_class(grant.class_id) if grant.class_id else None
    place: dict[str, Any] = {
        "school": school.name if school else "",
        "class": klass.name if klass else "",
        "id": str(grant.user_id),
        "name": (await _staff_names(t, users, [grant.user_id], query.from_user))[grant.user_id],
    }
    await query.answer()
    if callback_data.step == 0:
        key = (
            "adm-revoke-ask-admin" if grant.role is Role.SCHOOL_ADMIN else "adm-revoke-ask-teacher"
        )
        markup = InlineKeyboardMarkup(
            inline_keyboard=[
                [
                    InlineKeyboardButton(
                        text=t("btn-adm-revoke-confirm"), callback_data=_revoke_data(grant, 1)
                    ),
                    InlineKeyboardButton(
                        text=t("btn-adm-cancel"), callback_data=_revoke_data(grant, 2)
                    ),
                ]
            ]
        )
        await bot.send_message(query.from_user.id, t(key, **place), reply_markup=markup)
    elif callback_data.step == 1:
        await roles.revoke(grant.user_id, grant.role, grant.school_id, grant.class_id)
        await replace_pressed(query, bot, t("adm-revoked", role=grant.role.value, **place))
    else:
        await replace_pressed(query, bot, t("adm-revoke-kept"))


async def _typed_class_name(message: Message, t: Text) -> str | None:
    """The class name typed, or None after telling the admin what a name may be."""
    name = class_name(message.text or "")
    if name is None:
        await message.answer(t("adm-name-invalid"))
    return name


async def on_typed_new_class(
    message: Message,
    t: Text,
    access_control: AccessControl,
    schools: SchoolsRepo,
    state: FSMContext,
) -> None:
    name = await _typed_class_name(message, t)
    if name is None:
        return
    school_id = int((await payload(state, _TYPING)).get("school") or 0)
    await leave(state, _TYPING)
    access = await access_control.of(message.chat.id)
    if await managed_school(access, schools, school_id) is None:  # rights may be gone by now
        await message.answer(t("adm-forbidden"))
        return
    await _create_class(message.answer, t, schools, school_id, name)


async def on_typed_rename(
    message: Message,
    t: Text,
    access_control: AccessControl,
    schools: SchoolsRepo,
    state: FSMContext,
) -> None:
    name = await _typed_class_name(message, t)
    if name is None:
        return
    class_id = int((await payload(state, _TYPING)).get("class") or 0)
    access = await access_control.of(message.chat.id)
    klass = await managed_class(access, schools, class_id)
    if klass is None:
        await leave(state, _TYPING)
        gone = await schools.get_class(class_id) is None
        await message.answer(t("adm-class-gone" if gone else "adm-forbidden"))
        return
    clash = await name_taken(schools, klass.school_id, name, except_id=klass.id)
    if clash is not None or not await schools.rename_class(klass.id, name):
        await message.answer(t("adm-name-clash", **{"class": clash or name}))  # another try
        return
    await leave(state, _TYPING)
    await message.answer(t("adm-renamed", old=klass.name, **{"class": name}))


async def on_typed_other(message: Message, t: Text) -> None:
    """A sticker, a photo, a voice message... while a class name is awaited."""
    await message.answer(t("adm-name-not-text"))


async def on_typed_cancel(message: Message, t: Text, state: FSMContext) -> None:
    await leave(state, _TYPING)
    await message.answer(t("adm-cancelled"))


def make_router() -> Router:
    """A fresh router (a router joins one dispatcher only; tests build several)."""
    router = Router(name=__name__)
    router.message.register(on_new_school, Command("newschool"))
    router.message.register(on_new_class, Command("newclass"))
    router.message.register(on_invite_admin, Command("invite_admin"))
    router.message.register(on_invite_teacher, Command("invite_teacher"))
    router.callback_query.register(on_invite_target, InviteCb.filter())
    router.message.register(on_classes, Command("classes"))
    router.message.register(on_teachers, Command("teachers"))
    router.callback_query.register(on_school_picked, SchoolCb.filter())
    router.callback_query.register(on_class_action, ClassCb.filter())
    router.callback_query.register(on_remove, RemoveCb.filter())
    router.callback_query.register(on_revoke, RevokeCb.filter())
    # One typed answer: /cancel and a class name; other commands pass on to their handlers.
    router.message.register(on_typed_cancel, StateFilter(ClassAdmin), Command("cancel"))
    router.message.register(on_typed_new_class, StateFilter(ClassAdmin.new_name), TypedAnswer())
    router.message.register(on_typed_rename, StateFilter(ClassAdmin.rename), TypedAnswer())
    router.message.register(on_typed_other, StateFilter(ClassAdmin), NotText())
    return router
