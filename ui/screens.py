"""What each step looks like: text and inline keyboard, in the student's language."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from math import ceil

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import Text
from bot.onboarding import SCHOOLS_PER_PAGE, StepView
from bot.wizard import Action, Progress, Step, branch
from storage.join_requests import RequestStatus
from storage.schools import School, SchoolClass
from ui.callbacks import WizardCb


@dataclass(frozen=True, slots=True)
class QrImage:
    url: str
    caption: str


@dataclass(frozen=True, slots=True)
class Screen:
    text: str
    keyboard: InlineKeyboardMarkup | None = None
    qr: list[QrImage] = field(default_factory=list)  # sent before the text


def _button(t: Text, key: str, step: Step, action: Action, value: int = 0) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=t(key), callback_data=WizardCb(step=step, action=action, value=value).pack()
    )


def _rows(*rows: list[InlineKeyboardButton]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for row in rows:
        if row:  # a row a screen leaves out is empty
            builder.row(*row)
    return builder.as_markup()


def _instruction_keyboard(
    t: Text, step: Step, done_key: str = "btn-done", done: Action = Action.DONE
) -> InlineKeyboardMarkup:
    return _rows(
        [_button(t, done_key, step, done)],
        [_button(t, "btn-trouble", step, Action.HELP)],
        [_button(t, "btn-back", step, Action.BACK)],
    )


def device_key(progress: Progress) -> str:
    """The device a step's texts are for: the phone until the student has said."""
    return progress.device.value if progress.device else "phone"


def render(t: Text, view: StepView) -> Screen:
    """The screen of the current step."""
    match view.progress.step:
        case Step.SCHOOL:
            return _school_screen(t, view)
        case Step.CLASS:
            return _class_screen(t, view)
        case Step.NAME:
            return _name_screen(t, view)
        case Step.VARIANT2:
            return _variant2_screen(t, view)
        case Step.CHAT:
            return _chat_screen(t, view)
        case Step.DONE:
            text = f"{t('step-done')}\n\n{summary_text(t, view, finished=True)}"
            if _rejected(view):  # sent again from the choice of variant, not from the start
                return Screen(
                    text, _rows([_button(t, "btn-retry-request", Step.DONE, Action.RETRY)])
                )
            return Screen(text)
        case Step.WELCOME:
            return _welcome_screen(t, view)
        case Step.CONSENT:
            return _consent_screen(t, view)
        case step:
            return _static_screen(t, step, device_key(view.progress))


def render_help(t: Text, view: StepView) -> Screen:
    """ "Не получается ❓": help for the current step, with a way back to it; at the greeting,
    the full personal-data notice, with the same choice."""
    if view.progress.step is Step.WELCOME:
        return _consent_screen(t, view, back=True)
    return _help_screen(t, view.progress.step, device_key(view.progress))


# Screens that depend on nothing but the language, the step and the device are built once:
# formatting texts and building keyboards is most of the work of an update.
@lru_cache(maxsize=512)
def _static_screen(t: Text, step: Step, device: str) -> Screen:
    match step:
        case Step.DEVICE:  # memo step 1 for both devices: the press says which one worked
            return Screen(
                t("step-device"),
                _rows(
                    [_button(t, "btn-installed-phone", step, Action.PHONE)],
                    [_button(t, "btn-opened-computer", step, Action.COMPUTER)],
                    [_button(t, "btn-trouble", step, Action.HELP)],
                ),
            )
        case Step.FORK:
            return Screen(t("step-fork"), _fork_keyboard(t, with_what=True))
        case Step.VARIANT:
            return Screen(
                t("step-variant"),
                _rows(
                    [_button(t, "btn-variant1", step, Action.V1)],
                    [_button(t, "btn-variant2", step, Action.V2)],
                    [_button(t, "btn-trouble", step, Action.HELP)],
                    [_button(t, "btn-back", step, Action.BACK)],
                ),
            )
        case Step.VARIANT1:
            return Screen(
                t("step-variant1"), _instruction_keyboard(t, step, "btn-sent", Action.SENT)
            )
        case _:  # INSTALL, PROFILE, EPOS: instructions worded for the device
            return Screen(t(f"step-{step.value}", device=device), _instruction_keyboard(t, step))


@lru_cache(maxsize=512)
def _help_screen(t: Text, step: Step, device: str) -> Screen:
    if step is Step.FORK:
        return Screen(t("fork-what"), _fork_keyboard(t, with_what=False))
    back = _rows([_button(t, "btn-back-to-step", step, Action.UNHELP)])
    return Screen(t(f"help-{step.value}", device=device), back)


def _until(t: Text, view: StepView) -> str:
    # The date the data would be kept until moves with the school year.
    return t.date(view.keep_until) if view.keep_until else ""


def _welcome_screen(t: Text, view: StepView) -> Screen:
    """The greeting asks for consent in the same message; the full notice is one press away."""
    return Screen(t("step-welcome", until=_until(t, view)), _consent_keyboard(t, Step.WELCOME))


def _consent_screen(t: Text, view: StepView, *, back: bool = False) -> Screen:
    step = Step.WELCOME if back else Step.CONSENT
    return Screen(
        t("step-consent", until=_until(t, view)), _consent_keyboard(t, step, details=False)
    )


@lru_cache(maxsize=16)
def _consent_keyboard(t: Text, step: Step, *, details: bool = True) -> InlineKeyboardMarkup:
    """Consent stays its own act: a button of its own, never implied by another press."""
    return _rows(
        [_button(t, "btn-agree", step, Action.AGREE)],
        [_button(t, "btn-decline", step, Action.DECLINE)],
        [_button(t, "btn-consent-details", step, Action.WHAT)] if details else [],
        [_button(t, "btn-back-to-step", step, Action.UNHELP)]
        if step is Step.WELCOME and not details
        else [],
    )


def _name_screen(t: Text, view: StepView) -> Screen:
    klass = view.klass
    step = Step.NAME
    return Screen(
        t(
            "step-name",
            school=klass.school_name if klass else "",
            **{"class": klass.name if klass else ""},
        ),
        _rows(
            [_button(t, "btn-trouble", step, Action.HELP)],
            [_button(t, "btn-back", step, Action.BACK)],
        ),
    )


def _fork_keyboard(t: Text, *, with_what: bool) -> InlineKeyboardMarkup:
    step = Step.FORK
    return _rows(
        [_button(t, "btn-yes", step, Action.YES), _button(t, "btn-no", step, Action.NO)],
        [_button(t, "btn-what", step, Action.WHAT)] if with_what else [],
        [_button(t, "btn-back", step, Action.BACK)],
    )


def _school_screen(t: Text, view: StepView) -> Screen:
    p = view.progress
    pages = max(1, ceil(view.schools_total / SCHOOLS_PER_PAGE))
    page = min(p.school_page, pages - 1)
    if view.schools_total == 0:
        text = (
            t("step-school-none-found", query=p.school_query)
            if p.school_query
            else t("step-school-empty")
        )
    elif p.school_query:
        text = t("step-school-found", query=p.school_query, page=page + 1, pages=pages)
    elif pages > 1:
        text = t("step-school-page", page=page + 1, pages=pages)
    else:
        text = t("step-school")
    return Screen(text, _school_keyboard(t, tuple(view.schools), page, pages))


# Keyed on what they show: every student of a school sees the same lists.
@lru_cache(maxsize=1024)
def _school_keyboard(
    t: Text, schools: tuple[School, ...], page: int, pages: int
) -> InlineKeyboardMarkup:
    step = Step.SCHOOL
    builder = InlineKeyboardBuilder()
    for school in schools:
        builder.row(
            InlineKeyboardButton(
                text=school.name,
                callback_data=WizardCb(step=step, action=Action.SCHOOL, value=school.id).pack(),
            )
        )
    nav = []
    if page > 0:
        nav.append(_button(t, "btn-prev-page", step, Action.PAGE, page - 1))
    if page < pages - 1:
        nav.append(_button(t, "btn-next-page", step, Action.PAGE, page + 1))
    if nav:
        builder.row(*nav)
    builder.row(_button(t, "btn-skip-school", step, Action.SKIP))
    builder.row(_button(t, "btn-trouble", step, Action.HELP))
    return builder.as_markup()


def _class_screen(t: Text, view: StepView) -> Screen:
    school = view.school.name if view.school else ""
    key = "step-class" if view.classes else "step-class-empty"
    return Screen(t(key, school=school), _class_keyboard(t, tuple(view.classes)))


@lru_cache(maxsize=1024)
def _class_keyboard(t: Text, classes: tuple[SchoolClass, ...]) -> InlineKeyboardMarkup:
    step = Step.CLASS
    builder = InlineKeyboardBuilder()
    for klass in classes:
        builder.button(
            text=klass.name,
            callback_data=WizardCb(step=step, action=Action.CLASS, value=klass.id).pack(),
        )
    builder.adjust(4)
    builder.row(_button(t, "btn-skip-class", step, Action.SKIP))
    builder.row(_button(t, "btn-trouble", step, Action.HELP))
    builder.row(_button(t, "btn-back", step, Action.BACK))
    return builder.as_markup()


@lru_cache(maxsize=64)
def _joined_keyboard(t: Text, step: Step, done_key: str) -> InlineKeyboardMarkup:
    return _instruction_keyboard(t, step, done_key)


def _variant2_screen(t: Text, view: StepView) -> Screen:
    step = Step.VARIANT2
    klass = view.klass
    keyboard = _joined_keyboard(t, step, "btn-joined")
    if klass and klass.invite_link:
        return Screen(
            t(
                "step-variant2-link",
                link=klass.invite_link,
                device=device_key(view.progress),
                **{"class": klass.name},
            ),
            keyboard,
            [QrImage(klass.invite_link, t("qr-class-caption", **{"class": klass.name}))],
        )
    request = view.request
    if klass and request is not None:
        if request.status is RequestStatus.APPROVED:  # the teacher gave the link another way
            return Screen(t("step-variant2-given", **{"class": klass.name}), keyboard)
        if request.status is RequestStatus.PENDING:
            reached = request.reached or "nobody"
            text = t("step-variant2-requested", reached=reached, **{"class": klass.name})
            return Screen(text, keyboard)
    return Screen(t("step-variant2-ask"), keyboard)


def _chat_screen(t: Text, view: StepView) -> Screen:
    step = Step.CHAT
    klass = view.klass
    keyboard = _joined_keyboard(t, step, "btn-joined-chat")
    if klass and klass.chat_link:
        return Screen(
            t("step-chat-link", link=klass.chat_link, device=device_key(view.progress)),
            keyboard,
            [QrImage(klass.chat_link, t("qr-chat-caption", **{"class": klass.name}))],
        )
    return Screen(t("step-chat-teacher"), keyboard)


def _rejected(view: StepView) -> bool:
    return view.request is not None and view.request.status is RequestStatus.REJECTED


def _result(t: Text, view: StepView) -> str:
    """The memo's result, claimed only once it is true."""
    path = branch(view.progress)
    if path == "epos":
        return t("done-result-epos")
    if _rejected(view):
        return t("done-result-rejected")
    if path == "variant2":  # they said they are in the class chat
        return t("done-result-variant2")
    request = view.request
    if request is None or request.status is RequestStatus.PENDING:
        return t("done-result-pending")  # joined once the teacher confirms
    chat = view.klass.chat_link if view.klass else None
    return t("done-result", chat="link" if chat else "none", link=chat or "")


def summary_text(t: Text, view: StepView, *, finished: bool) -> str:
    """The student's progress in a few lines: /status and the final screen."""
    p = view.progress
    lines: list[str] = []
    if not finished:
        step = (
            t.html("step-name-rejected")
            if p.step is Step.DONE and _rejected(view)
            else t.html(f"step-name-{p.step.value}")
        )
        lines += [t("summary-title"), t("summary-step", step=step)]
    if view.klass:
        lines += [
            t("summary-school", school=view.klass.school_name),
            t("summary-class", **{"class": view.klass.name}),
        ]
    else:
        lines.append(t("summary-no-class"))
    if view.full_name:
        lines.append(t("summary-name", name=view.full_name))
    if p.device:
        lines.append(t("summary-device", device=p.device.value))
    path = branch(p)
    lines.append(t("summary-branch", branch=path))
    if view.request:
        request = view.request
        status = request.status.value
        if request.status is RequestStatus.PENDING and not request.reached:
            status = "unreached"
        lines.append(t("summary-request", status=status, variant=request.variant))
    if not view.consented:
        lines.append(t("summary-no-consent"))
    if finished:
        lines += ["", _result(t, view)]
        if path in ("variant1", "variant2") and not _rejected(view):
            lines += ["", t("done-gosuslugi-later")]
        lines += ["", t("done-footer")]
    return "\n".join(lines)
