"""Callback data of every inline button: typed, prefixed with a version, never trusted.

A press is parsed back into these classes; the handler then checks it against the user's current
step and the database, so an outdated or forged button changes nothing.
"""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from bot.config import Locale
from bot.wizard import Action, Step
from storage.roles import Role


class WizardCb(CallbackData, prefix="w1"):
    step: Step
    action: Action
    value: int = 0


class LangCb(CallbackData, prefix="l1"):
    locale: Locale


class ForgetCb(CallbackData, prefix="f1"):
    confirm: bool


class DecisionAction(StrEnum):
    APPROVE = "ok"
    REJECT = "no"  # opens the reasons
    NOT_FOUND = "nf"
    NOT_MY_CLASS = "nc"
    OTHER = "ot"
    BACK = "bk"  # from the reasons to ✅ / ❌


class DecisionCb(CallbackData, prefix="r1"):
    request_id: int
    action: DecisionAction


class InviteCb(CallbackData, prefix="i1"):
    role: Role
    target: int  # a school id for school admins, a class id for teachers
