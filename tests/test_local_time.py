"""Times and dates as people read them: the deployment's zone, their language, no UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.i18n import Catalog
from bot.local_time import local_date, local_time

MOSCOW = ZoneInfo("Europe/Moscow")
VLADIVOSTOK = ZoneInfo("Asia/Vladivostok")  # UTC+10
NOW = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)
STORED = "2026-12-02T05:54:10+00:00"  # as storage.db.utcnow() writes it


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("ru", "2 декабря, 08:54"), ("en", "2 December, 08:54"), ("fr", "2 декабря, 08:54")],
)
def test_a_stored_time_in_the_zone_and_the_language(locale: str, expected: str) -> None:
    assert local_time(STORED, locale, MOSCOW, NOW) == expected


def test_the_zone_can_move_a_time_past_midnight() -> None:
    late = "2026-12-02T21:30:00+00:00"
    assert local_time(late, "ru", MOSCOW, NOW) == "3 декабря, 00:30"
    assert local_time(late, "en", VLADIVOSTOK, NOW) == "3 December, 07:30"
    assert local_time(late, "en", ZoneInfo("UTC"), NOW) == "2 December, 21:30"


def test_the_year_is_shown_only_when_it_is_not_the_current_one() -> None:
    last_year = "2025-12-02T05:54:10+00:00"
    assert local_time(last_year, "ru", MOSCOW, NOW) == "2 декабря 2025, 08:54"
    assert local_time(last_year, "en", MOSCOW, NOW) == "2 December 2025, 08:54"
    # The current year is the zone's: 31 December 22:00 UTC is already next year in Moscow.
    new_year = datetime(2026, 12, 31, 22, 0, tzinfo=UTC)
    assert local_time("2026-12-31T20:00:00+00:00", "ru", MOSCOW, new_year) == (
        "31 декабря 2026, 23:00"
    )
    assert local_time("2026-12-31T21:00:00+00:00", "ru", MOSCOW, new_year) == "1 января, 00:00"


def test_the_real_clock_by_default() -> None:
    this_year = datetime.now(UTC).replace(month=6, day=15, hour=12, minute=0, second=0)
    assert local_time(this_year.isoformat(), "en", ZoneInfo("UTC")) == "15 June, 12:00"


@pytest.mark.parametrize(
    "stored", [None, "", "yesterday", "2026-13-45T99:00:00", "9999-12-31T23:00:00+00:00"]
)
def test_nothing_for_no_time_or_garbage(stored: str | None) -> None:
    assert local_time(stored, "ru", VLADIVOSTOK, NOW) == ""


def test_a_date() -> None:
    assert local_date(date(2027, 9, 30), "ru") == "30 сентября 2027"
    assert local_date(date(2027, 9, 30), "en") == "30 September 2027"
    assert local_date(date(2027, 9, 30), "de") == "30 сентября 2027"


def test_text_uses_the_catalogue_zone_and_its_own_language() -> None:
    catalog = Catalog("ru", zone=VLADIVOSTOK)
    assert catalog.zone is VLADIVOSTOK
    ru, en = catalog.bind("ru"), catalog.bind("en")
    assert en.time("2026-12-02T21:30:00+00:00").startswith("3 December")
    assert en.time("2026-12-02T21:30:00+00:00").endswith(", 07:30")
    assert ru.time(None) == ""
    assert ru.date(date(2027, 9, 30)) == "30 сентября 2027"
    assert Catalog("en").zone == MOSCOW
    assert ru == catalog.bind("ru") and hash(ru) == hash(catalog.bind("ru"))
