"""/broadcast's messages: the audience menus, the count, the preview and its confirmation, the
first progress message, what a stop press says. Pure rendering of bot/broadcasts.py's results;
the live progress and the report are ui/broadcast_progress.py's."""

from __future__ import annotations

import html
from typing import Any

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.broadcast_audience import Kind, Menu, Target
from bot.broadcasts import (
    ClassesView,
    MenuView,
    Preview,
    Refusal,
    RootView,
    SchoolsView,
    Started,
    StepsView,
    Stop,
)
from bot.i18n import Html, Text
from storage.broadcasts import Counts
from ui.broadcast_progress import progress_text, stop_markup
from ui.callbacks import BcAudienceCb, BcConfirmCb, BcMenuCb

BUTTONS_MAX = 50  # more than a keyboard should hold

Screen = tuple[str, InlineKeyboardMarkup]

# What a refused menu press says (an alert on the button).
REFUSAL_KEY: dict[Refusal, str] = {
    Refusal.FORBIDDEN: "bc-forbidden",
    Refusal.NO_SCHOOLS: "bc-no-schools",
    Refusal.NO_CLASSES: "bc-no-classes",
}

# What a stop press says, and whether as an alert.
STOP_ANSWER: dict[Stop, tuple[str, bool]] = {
    Stop.STOPPED: ("bc-stop-done", False),
    Stop.FINISHED: ("bc-stop-finished", True),
    Stop.FORBIDDEN: ("bc-forbidden", True),
}


def _label(t: Text, key: str, **args: Any) -> str:
    """A button's label: Telegram shows it as is, so the catalogue's HTML escaping is undone."""
    return html.unescape(t(key, **args))


def _markup(
    t: Text, buttons: list[tuple[str, CallbackData]], *, back: bool
) -> InlineKeyboardMarkup:
    keyboard = InlineKeyboardBuilder()
    for text, data in buttons:
        keyboard.button(text=text, callback_data=data)
    if back:
        keyboard.button(text=_label(t, "bc-btn-back"), callback_data=BcMenuCb(menu=Menu.ROOT))
    keyboard.adjust(1)
    return keyboard.as_markup()


def label(t: Text, target: Target) -> Html:
    """The audience's name in the person's language."""
    a = target.audience
    match a.kind:
        case Kind.EVERYONE:
            return t.html("bc-audience-everyone")
        case Kind.TEACHERS:
            return t.html("bc-audience-teachers")
        case Kind.SCHOOL:
            return t.html("bc-audience-school", school=target.school)
        case Kind.CLASS:
            return t.html("bc-audience-class", school=target.school, **{"class": target.class_name})
        case Kind.STUCK:
            return t.html("bc-audience-stuck", step=t.html(f"step-name-{a.step}"))
        case _:
            return t.html("bc-audience-unfinished")


# --- choosing the audience ---------------------------------------------------------------------


def _root(t: Text, view: RootView) -> Screen:
    buttons: list[tuple[str, CallbackData]] = []
    if view.super_admin:
        buttons.append((_label(t, "bc-btn-everyone"), BcAudienceCb(kind=Kind.EVERYONE)))
    own = view.own_school
    if own is not None:
        buttons.append(
            (
                _label(t, "bc-btn-my-school", school=own.name),
                BcAudienceCb(kind=Kind.SCHOOL, target=own.id),
            )
        )
        buttons.append((_label(t, "bc-btn-class"), BcMenuCb(menu=Menu.CLASSES, target=own.id)))
    else:
        buttons.append((_label(t, "bc-btn-school"), BcMenuCb(menu=Menu.SCHOOLS)))
        buttons.append((_label(t, "bc-btn-class"), BcMenuCb(menu=Menu.CLASS_SCHOOLS)))
    if view.super_admin:
        buttons.append((_label(t, "bc-btn-teachers"), BcAudienceCb(kind=Kind.TEACHERS)))
    buttons.append((_label(t, "bc-btn-stuck"), BcMenuCb(menu=Menu.STEPS)))
    buttons.append((_label(t, "bc-btn-unfinished"), BcAudienceCb(kind=Kind.UNFINISHED)))
    return t("bc-choose-audience"), _markup(t, buttons, back=False)


def _schools(t: Text, view: SchoolsView) -> Screen:
    buttons: list[tuple[str, CallbackData]] = [
        (
            s.name,
            BcAudienceCb(kind=Kind.SCHOOL, target=s.id)
            if view.as_audience
            else BcMenuCb(menu=Menu.CLASSES, target=s.id),
        )
        for s in view.schools[:BUTTONS_MAX]
    ]
    text = t("bc-pick-school" if view.as_audience else "bc-pick-class-school")
    return text, _markup(t, buttons, back=True)


def _classes(t: Text, view: ClassesView) -> Screen:
    buttons: list[tuple[str, CallbackData]] = [
        (k.name, BcAudienceCb(kind=Kind.CLASS, target=k.id)) for k in view.classes[:BUTTONS_MAX]
    ]
    return t("bc-pick-class", school=view.school.name), _markup(t, buttons, back=True)


def _steps(t: Text, view: StepsView) -> Screen:
    buttons: list[tuple[str, CallbackData]] = [
        (_label(t, f"step-name-{s.value}"), BcAudienceCb(kind=Kind.STUCK, step=s.value))
        for s in view.steps
    ]
    return t("bc-pick-step"), _markup(t, buttons, back=True)


def menu(t: Text, view: MenuView) -> Screen:
    match view:
        case RootView():
            return _root(t, view)
        case SchoolsView():
            return _schools(t, view)
        case ClassesView():
            return _classes(t, view)
        case StepsView():
            return _steps(t, view)


# --- the count, the preview, the start ---------------------------------------------------------


def audience_chosen(t: Text, preview: Preview) -> str:
    """The count, and the request for the message (or: nobody to send it to)."""
    audience = label(t, preview.target)
    if not preview.count:
        return t("bc-empty", audience=audience)
    return t("bc-ask-message", audience=audience, count=preview.count)


def confirmation(t: Text, preview: Preview) -> Screen:
    """Under the copy of the message: whom it goes to, how many, send or cancel."""
    keyboard = InlineKeyboardBuilder()
    keyboard.button(text=_label(t, "bc-btn-confirm"), callback_data=BcConfirmCb(go=True))
    keyboard.button(text=_label(t, "bc-btn-cancel"), callback_data=BcConfirmCb(go=False))
    keyboard.adjust(2)
    text = t("bc-preview", audience=label(t, preview.target), count=preview.count)
    return text, keyboard.as_markup()


def started(t: Text, broadcast: Started) -> Screen:
    """The progress message as it first appears: nothing sent yet, the stop button."""
    counts = Counts(pending=broadcast.total)
    text = progress_text(t, label(t, broadcast.target), counts, 0.0)
    return text, stop_markup(t, broadcast.broadcast_id)
