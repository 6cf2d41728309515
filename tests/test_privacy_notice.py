"""The personal-data notice names what is kept, who processes it, until when, and how to delete."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.config import Settings
from app.factory import retention_date
from storage.db import Database
from tests.support.people import Harness, Person
from tests.support.walk import DETAILS


@pytest.mark.parametrize("operator", ["", "МКУ «Управление образования» г. Энска"])
async def test_the_notice_names_the_operator_the_date_and_what_is_kept(
    db_path: Path, operator: str
) -> None:
    settings = Settings(
        _env_file=None, bot_token="42:TEST", database_path=db_path, operator_name=operator
    )
    database = await Database.open(db_path)
    try:
        harness = await Harness.start(settings, database)
        student = Person(harness, 1001)
        await student.send("/start")
        await student.press(DETAILS)
        notice = student.last_text
        until = harness.dp["catalog"].bind("ru").date(retention_date(settings))
        assert f"до {until}" in notice and "плюс 30 дн." in notice
        if operator:
            assert "МКУ «Управление образования» г. Энска" in notice
        else:
            assert "образовательная организация (школа)" in notice
        assert "@username" in notice and "/forget" in notice
        assert "Без согласия" in notice and "шаг памятки" in notice
        await harness.stop()
    finally:
        await database.close()
