"""Callback data of every inline button: typed, prefixed with a version, never trusted.

A press is parsed back into these classes; the handler then checks it against the user's current
step and the database, so an outdated or forged button changes nothing. Every number in a button
is range-checked where it is parsed (the bounded types below): one that does not fit fails
`CallbackData.unpack`, no handler's filter matches, and the press is answered as an outdated
button (handlers/fallback.py) instead of reaching the database.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

from bot.broadcast_audience import Kind, Menu
from bot.i18n import Locale
from bot.stats import ScopeKind, StatsAction
from bot.structure_admin import AdminView, ClassAction
from bot.teacher_tools import Purpose
from bot.wizard import Action, Step
from storage.roles import Grant, Role

SQLITE_INT_MAX = 2**63 - 1  # SQLite's INTEGER is a signed 64-bit number
PAGE_MAX = 10_000  # far more pages than any list the bot shows
TELEGRAM_ID_MAX = 2**53  # Telegram: user ids have at most 52 significant bits

# A database id (or a count of rows) in a button; 0 where a button means "none".
DbInt = Annotated[int, Field(ge=0, le=SQLITE_INT_MAX)]
# A page of a paged list, counted from 0.
PageNumber = Annotated[int, Field(ge=0, le=PAGE_MAX)]
# A Telegram user id.
TelegramId = Annotated[int, Field(ge=1, le=TELEGRAM_ID_MAX)]


class WizardCb(CallbackData, prefix="w1"):
    step: Step
    action: Action
    value: DbInt = 0  # a school id, a class id or a page number


class LangCb(CallbackData, prefix="l1"):
    locale: Locale


class FaqTopic(StrEnum):
    """The common questions /help answers, each in a short message of its own."""

    GOSUSLUGI = "gosuslugi"
    PARENT = "parent"  # a parent's Госуслуги account
    ACCOUNT = "account"  # no other registration needed
    SCHOOL = "school"  # my school is missing
    DATA = "data"  # who sees my data
    CONTACT = "contact"
    PARENTS = "parents"  # for parents and staff: the legal basis
    COMMANDS = "commands"


class FaqCb(CallbackData, prefix="q1"):
    topic: FaqTopic


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
    request_id: DbInt
    action: DecisionAction


class InviteCb(CallbackData, prefix="i1"):
    role: Role
    target: DbInt  # a school id for school admins, a class id for teachers


class BcAudienceCb(CallbackData, prefix="bc1"):
    """A concrete audience was picked."""

    kind: Kind
    target: DbInt = 0
    step: Annotated[str, Field(max_length=16)] = ""  # a wizard step's value, or none


class BcMenuCb(CallbackData, prefix="bc2"):
    menu: Menu
    target: DbInt = 0


class BcConfirmCb(CallbackData, prefix="bc3"):
    go: bool


class BcStopCb(CallbackData, prefix="bc4"):
    broadcast_id: DbInt


class ClassPickCb(CallbackData, prefix="tc1"):
    purpose: Purpose
    class_id: DbInt


class RequestsPageCb(CallbackData, prefix="tq1"):
    page: PageNumber


class SchoolCb(CallbackData, prefix="as1"):
    view: AdminView
    school_id: DbInt


class ClassCb(CallbackData, prefix="ac1"):
    action: ClassAction
    target: DbInt


class RemoveCb(CallbackData, prefix="ar1"):
    class_id: DbInt
    students: DbInt  # as the confirmation showed them: if it changed, ask again
    confirm: bool


class RevokeCb(CallbackData, prefix="av1"):
    user_id: TelegramId
    role: Role
    school_id: DbInt
    class_id: DbInt  # 0: a school admin's role
    step: Annotated[int, Field(ge=0, le=2)]  # 0: ask, 1: confirmed, 2: cancelled

    @property
    def grant(self) -> Grant:
        return Grant(self.user_id, self.role, self.school_id, self.class_id or None)


class StatsCb(CallbackData, prefix="sx1"):
    action: StatsAction
    scope: ScopeKind
    target: DbInt  # a class or school id; 0 for every school's


class RemindersCb(CallbackData, prefix="rm1"):
    off: bool
