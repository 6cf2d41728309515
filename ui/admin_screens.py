"""The admins' messages: pickers, a school's classes and staff, the removal and revocation
questions. Pure rendering of bot/structure_admin.py's and bot/invitations.py's results."""

from __future__ import annotations

import html
from typing import Any

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import Text
from bot.invitations import Invitation
from bot.structure_admin import (
    AdminView,
    ClassAction,
    ClassesOverview,
    Person,
    Refusal,
    Removal,
    RoleInPlace,
    StaffOverview,
)
from storage.roles import Grant, Role
from storage.schools import School, SchoolClass
from ui.callbacks import ClassCb, InviteCb, RemoveCb, RevokeCb, SchoolCb

BUTTONS_MAX = 50  # more than a keyboard should hold; larger structures use the CSV import

# What a refused press or answer says (shown as an alert on a button).
REFUSAL_KEY: dict[Refusal, str] = {
    Refusal.FORBIDDEN: "adm-forbidden",
    Refusal.SCHOOL_GONE: "adm-school-gone",
    Refusal.CLASS_GONE: "adm-class-gone",
    Refusal.CHANGED: "adm-remove-changed",
    Refusal.ROLE_GONE: "adm-revoke-gone",
}


def label(t: Text, key: str, **args: Any) -> str:
    """A button's label: Telegram shows it as is, so the catalogue's HTML escaping is undone."""
    return html.unescape(t(key, **args))


def school_picker(choices: list[School], view: AdminView) -> InlineKeyboardMarkup:
    keyboard = InlineKeyboardBuilder()
    for school in choices:
        keyboard.button(text=school.name, callback_data=SchoolCb(view=view, school_id=school.id))
    keyboard.adjust(1)
    return keyboard.as_markup()


def pick_school_text(t: Text, view: AdminView) -> str:
    return t("adm-pick-school-classes" if view is AdminView.CLASSES else "adm-pick-school-teachers")


def invite_schools(schools: list[School]) -> InlineKeyboardMarkup:
    keyboard = InlineKeyboardBuilder()
    for school in schools:
        keyboard.button(
            text=school.name, callback_data=InviteCb(role=Role.SCHOOL_ADMIN, target=school.id)
        )
    keyboard.adjust(1)
    return keyboard.as_markup()


def invite_classes(classes: list[SchoolClass]) -> InlineKeyboardMarkup:
    keyboard = InlineKeyboardBuilder()
    for klass in classes:
        keyboard.button(
            text=f"{klass.name} — {klass.school_name}",
            callback_data=InviteCb(role=Role.TEACHER, target=klass.id),
        )
    keyboard.adjust(1)
    return keyboard.as_markup()


def invitation_text(t: Text, invitation: Invitation, bot_username: str) -> str:
    link = f"https://t.me/{bot_username}?start=i_{invitation.token}"
    return t(
        f"admin-invite-{invitation.role.value}",
        link=link,
        place=invitation.place,
        days=invitation.days,
    )


def classes_screen(t: Text, overview: ClassesOverview) -> tuple[str, InlineKeyboardMarkup]:
    lines = [t("adm-classes-title", school=overview.school.name)]
    lines += [
        t("adm-class-line", students=count, **{"class": k.name}) for k, count in overview.classes
    ]
    lines.append(t("adm-classes-hint") if overview.classes else t("adm-classes-empty"))
    keyboard = InlineKeyboardBuilder()
    for klass, _ in overview.classes[:BUTTONS_MAX]:
        keyboard.button(
            text=label(t, "btn-adm-rename", **{"class": klass.name}),
            callback_data=ClassCb(action=ClassAction.RENAME, target=klass.id),
        )
        keyboard.button(
            text=label(t, "btn-adm-remove", **{"class": klass.name}),
            callback_data=ClassCb(action=ClassAction.REMOVE, target=klass.id),
        )
    keyboard.adjust(2)
    add = ClassCb(action=ClassAction.ADD, target=overview.school.id)
    keyboard.row(InlineKeyboardButton(text=t("btn-adm-add-class"), callback_data=add.pack()))
    return "\n".join(lines), keyboard.as_markup()


def person_name(t: Text, person: Person) -> str:
    if not person.name:
        return html.unescape(t("adm-name-unknown", id=str(person.user_id)))
    return f"{person.name} (@{person.username})" if person.username else person.name


def staff_screen(t: Text, staff: StaffOverview) -> tuple[str, InlineKeyboardMarkup]:
    none = [t("adm-teachers-none")]
    lines = [t("adm-teachers-title", school=staff.school.name), "", t("adm-teachers-admins")]
    lines += [
        t("adm-admin-line", id=str(g.user_id), name=person_name(t, p)) for g, p in staff.admins
    ] or none
    lines += ["", t("adm-teachers-teachers")]
    lines += [
        t("adm-teacher-line", id=str(g.user_id), name=person_name(t, p), **{"class": k.name})
        for g, p, k in staff.teachers
    ] or none
    buttons = [
        (label(t, "btn-adm-revoke-admin", name=person_name(t, p)), g) for g, p in staff.admins
    ] + [
        (label(t, "btn-adm-revoke-teacher", name=person_name(t, p), **{"class": k.name}), g)
        for g, p, k in staff.teachers
    ]
    if buttons:
        lines += ["", t("adm-teachers-hint")]
    keyboard = InlineKeyboardBuilder()
    for text, grant in buttons[:BUTTONS_MAX]:
        keyboard.button(text=text, callback_data=revoke_data(grant, 0))
    keyboard.adjust(1)
    return "\n".join(lines), keyboard.as_markup()


def revoke_data(grant: Grant, step: int) -> RevokeCb:
    return RevokeCb(
        user_id=grant.user_id,
        role=grant.role,
        school_id=grant.school_id,
        class_id=grant.class_id or 0,
        step=step,
    )


def removal_question(t: Text, removal: Removal) -> tuple[str, InlineKeyboardMarkup]:
    """What the removal would take away, and ✅ / cancel buttons."""
    klass = removal.klass
    if removal.students:
        text = t(
            "adm-remove-warn",
            students=removal.students,
            requests=removal.requests,
            teachers=removal.teachers,
            **{"class": klass.name},
        )
    else:
        text = t("adm-remove-ask", **{"class": klass.name})
    keyboard = InlineKeyboardBuilder()
    for key, confirm in (
        ("btn-adm-remove-force" if removal.students else "btn-adm-remove-confirm", True),
        ("btn-adm-cancel", False),
    ):
        data = RemoveCb(class_id=klass.id, students=removal.students, confirm=confirm)
        keyboard.button(text=t(key), callback_data=data)
    return text, keyboard.as_markup()


def role_place(t: Text, role: RoleInPlace) -> dict[str, Any]:
    return {
        "school": role.school,
        "class": role.class_name,
        "id": str(role.grant.user_id),
        "name": person_name(t, role.person),
    }


def revoke_question(t: Text, role: RoleInPlace) -> tuple[str, InlineKeyboardMarkup]:
    key = (
        "adm-revoke-ask-admin" if role.grant.role is Role.SCHOOL_ADMIN else "adm-revoke-ask-teacher"
    )
    keyboard = InlineKeyboardBuilder()
    keyboard.button(text=t("btn-adm-revoke-confirm"), callback_data=revoke_data(role.grant, 1))
    keyboard.button(text=t("btn-adm-cancel"), callback_data=revoke_data(role.grant, 2))
    return t(key, **role_place(t, role)), keyboard.as_markup()


def revoked_text(t: Text, role: RoleInPlace) -> str:
    return t("adm-revoked", role=role.grant.role.value, **role_place(t, role))
