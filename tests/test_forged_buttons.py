"""Buttons whose numbers no database can hold (forged, or from who knows where): every one is
refused where it is parsed, answered like an outdated button, and nothing is stored or logged."""

from __future__ import annotations

import logging
import re
import sqlite3
from typing import Any

import pytest
from aiogram.filters.callback_data import CallbackData
from pydantic import ValidationError

import app.factory  # noqa: F401  (imports every router, so every CallbackData class exists)
from bot.broadcast_audience import Kind, Menu
from bot.stats import ScopeKind, StatsAction
from bot.structure_admin import AdminView, ClassAction
from bot.teacher_tools import Purpose
from bot.wizard import Action, Step
from storage.db import Database
from storage.roles import Role
from tests.support.people import Harness, Person
from tests.support.staff import SCHOOL_1, SUPER_ADMIN, TEACHER_5A, appoint_staff
from tests.support.walk import walk_to
from ui.callbacks import (
    BcAudienceCb,
    BcMenuCb,
    BcStopCb,
    ClassCb,
    ClassPickCb,
    DecisionAction,
    DecisionCb,
    InviteCb,
    RemoveCb,
    RequestsPageCb,
    RevokeCb,
    SchoolCb,
    StatsCb,
    WizardCb,
)

HUGE = 2**70  # far beyond SQLite's 64-bit integers
OUTDATED = "Эта кнопка устарела. Вот ваш текущий шаг 👇"

# A valid press of every kind of button with a number in it: pressed by someone allowed to,
# so that, were the number not refused when parsed, the handler would take it to the database.
VALID: list[CallbackData] = [
    WizardCb(step=Step.SCHOOL, action=Action.SCHOOL, value=1),
    WizardCb(step=Step.SCHOOL, action=Action.PAGE, value=1),
    DecisionCb(request_id=1, action=DecisionAction.APPROVE),
    InviteCb(role=Role.TEACHER, target=1),
    InviteCb(role=Role.SCHOOL_ADMIN, target=1),
    ClassPickCb(purpose=Purpose.ROSTER, class_id=1),
    RequestsPageCb(page=0),
    SchoolCb(view=AdminView.CLASSES, school_id=SCHOOL_1),
    ClassCb(action=ClassAction.RENAME, target=1),
    ClassCb(action=ClassAction.ADD, target=SCHOOL_1),
    RemoveCb(class_id=1, students=0, confirm=True),
    RevokeCb(user_id=TEACHER_5A, role=Role.TEACHER, school_id=SCHOOL_1, class_id=1, step=1),
    BcAudienceCb(kind=Kind.CLASS, target=1),
    BcMenuCb(menu=Menu.CLASSES, target=SCHOOL_1),
    BcStopCb(broadcast_id=1),
    StatsCb(action=StatsAction.XLSX, scope=ScopeKind.SCHOOL, target=SCHOOL_1),
]


def int_fields(cls: type[CallbackData]) -> list[str]:
    return [name for name, field in cls.model_fields.items() if field.annotation is int]


def all_classes(base: type[CallbackData] = CallbackData) -> set[type[CallbackData]]:
    found: set[type[CallbackData]] = set()
    for sub in base.__subclasses__():
        found |= {sub, *all_classes(sub)}
    return found


def oversized(valid: CallbackData, field: str) -> str:
    """The valid press with HUGE in one integer field (pack() itself would not allow it)."""
    parts = valid.pack().split(valid.__separator__)
    parts[1 + list(type(valid).model_fields).index(field)] = str(HUGE)
    return valid.__separator__.join(parts)


FORGED: dict[str, str] = {
    f"{type(v).__prefix__}:{field}:{i}": oversized(v, field)
    for i, v in enumerate(VALID)
    for field in int_fields(type(v))
}


def test_every_button_with_a_number_is_covered() -> None:
    with_ints = {cls for cls in all_classes() if int_fields(cls)}
    assert {type(v) for v in VALID} == with_ints
    prefixes = {cls.__prefix__ for cls in with_ints}
    expected = {
        "w1",
        "r1",
        "i1",
        "tc1",
        "tq1",
        "as1",
        "ac1",
        "ar1",
        "av1",
        "bc1",
        "bc2",
        "bc4",
        "sx1",
    }
    assert prefixes == expected
    for v in VALID:
        for field in int_fields(type(v)):
            with pytest.raises(ValidationError):
                type(v).unpack(oversized(v, field))


@pytest.mark.parametrize("data", ["w1:school:school:-1", "tq1:10001", "av1:0:teacher:1:1:1"])
def test_numbers_out_of_their_range_are_refused(data: str) -> None:
    cls = next(c for c in all_classes() if c.__prefix__ == data.split(":")[0])
    with pytest.raises(ValidationError):
        cls.unpack(data)


def test_numbers_in_range_still_parse() -> None:
    assert WizardCb.unpack(f"w1:school:school:{2**63 - 1}").value == 2**63 - 1
    assert RequestsPageCb.unpack("tq1:10000").page == 10_000
    assert RevokeCb.unpack(f"av1:{2**53}:teacher:1:1:2").user_id == 2**53


async def everything(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    def dump(conn: sqlite3.Connection) -> dict[str, list[tuple[Any, ...]]]:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        found = {
            name: [tuple(row) for row in conn.execute(f'SELECT * FROM "{name}" ORDER BY 1')]
            for name in tables
        }
        # Which message holds the live keyboard moves with every message shown; nothing else may.
        found["fsm"] = [
            tuple(re.sub(r',?"screen":\d+', "", v) if isinstance(v, str) else v for v in row)
            for row in found["fsm"]
        ]
        return found

    return await db.run(dump)


@pytest.mark.parametrize("data", FORGED.values(), ids=list(FORGED))
async def test_an_oversized_number_is_an_outdated_button(
    harness: Harness,
    structure: dict[str, int],
    db: Database,
    caplog: pytest.LogCaptureFixture,
    data: str,
) -> None:
    await appoint_staff(db, structure)
    if data.startswith("w1:"):  # a student choosing a school: the number would be looked up
        person = Person(harness, 1001, "Аня")
        await walk_to(person, Step.SCHOOL)
    else:  # the super admin may press any staff button
        person = Person(harness, SUPER_ADMIN, "Глава")
        await person.send("/whoami")
    before, sent = await everything(db), len(person.messages)
    caplog.set_level(logging.INFO)
    caplog.clear()

    await person.press_data(data)  # asserts the press is answered exactly once

    assert person.last_callback_answer is not None
    assert person.last_callback_answer.text == OUTDATED
    assert len(person.messages) == sent + 1, "the current step (or how to start) is shown"
    assert await everything(db) == before
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, [r.getMessage() for r in errors]
