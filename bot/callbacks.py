"""Callback data of every inline button: typed, prefixed with a version, never trusted.

A press is parsed back into these classes; the handler then checks it against the user's current
step and the database, so an outdated or forged button changes nothing.
"""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData

from bot.config import Locale
from bot.wizard import Action, Step


class WizardCb(CallbackData, prefix="w1"):
    step: Step
    action: Action
    value: int = 0


class LangCb(CallbackData, prefix="l1"):
    locale: Locale


class ForgetCb(CallbackData, prefix="f1"):
    confirm: bool
