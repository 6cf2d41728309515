"""The student's commands' screens: /help with its common questions, /lang, /forget,
/reminders."""

from __future__ import annotations

from functools import lru_cache

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import LOCALES, Text
from bot.onboarding import StepView
from ui.callbacks import FaqCb, FaqTopic, ForgetCb, LangCb, RemindersCb
from ui.screens import Screen, device_key


def help_text(t: Text, view: StepView | None) -> str:
    """/help: the help for the step the student is on (short), the common questions below."""
    if view is None:
        return f"{t('help-outside')}\n\n{t('help-faq-hint')}"
    step = view.progress.step
    parts = [
        t("help-current-step", step=t.html(f"step-name-{step.value}")),
        t(f"help-{step.value}", device=device_key(view.progress)),
    ]
    if view.klass:
        parts.append(
            t("help-class-info", school=view.klass.school_name, **{"class": view.klass.name})
        )
    parts.append(t("help-faq-hint"))
    return "\n\n".join(parts)


def faq_screen(t: Text, topic: FaqTopic) -> Screen:
    """One common question's answer; the other questions stay a press away."""
    key = "help-general" if topic is FaqTopic.COMMANDS else f"faq-{topic.value}"
    return Screen(t(key), faq_keyboard(t))


@lru_cache(maxsize=8)
def faq_keyboard(t: Text) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for topic in FaqTopic:
        builder.button(text=t(f"btn-faq-{topic.value}"), callback_data=FaqCb(topic=topic))
    builder.adjust(1)
    return builder.as_markup()


@lru_cache(maxsize=8)
def language_keyboard(t: Text) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for code in LOCALES:
        builder.button(text=t(f"lang-name-{code}"), callback_data=LangCb(locale=code))
    return builder.as_markup()  # one row: the languages side by side


@lru_cache(maxsize=8)
def forget_keyboard(t: Text) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=t("btn-forget-yes"), callback_data=ForgetCb(confirm=True))
    builder.button(text=t("btn-forget-no"), callback_data=ForgetCb(confirm=False))
    builder.adjust(1)
    return builder.as_markup()


def reminders_status(t: Text, off: bool) -> str:
    return t("rem-now-off") if off else t("rem-now-on")


@lru_cache(maxsize=8)
def reminders_keyboard(t: Text, off: bool) -> InlineKeyboardMarkup:
    """The one button that switches them the other way."""
    builder = InlineKeyboardBuilder()
    label = t("rem-btn-on") if off else t("rem-btn-off")
    builder.button(text=label, callback_data=RemindersCb(off=not off))
    return builder.as_markup()
