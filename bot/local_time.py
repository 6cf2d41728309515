"""Times and dates as a person reads them: in the deployment's zone, in their language (pure).

Stored timestamps are ISO-8601 UTC strings (storage.db.utcnow); what a person reads is
"2 декабря, 08:54" or "2 December, 08:54" in the deployment's zone, with the year only when it
is not the current one there. Month names come from CLDR through Babel (already loaded by
fluent.runtime), so Russian gets the genitive «декабря».
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime

FALLBACK = "ru"
# The zone a deployment shows times in unless it says otherwise (Settings.timezone's default).
DEFAULT_ZONE = ZoneInfo("Europe/Moscow")

# CLDR patterns: MMMM is the month in its formatting (genitive in Russian) form.
_PATTERNS: dict[str, tuple[str, str, str]] = {
    # locale: (this year, another year, a date)
    "ru": ("d MMMM, HH:mm", "d MMMM y, HH:mm", "d MMMM y"),
    "en": ("d MMMM, HH:mm", "d MMMM y, HH:mm", "d MMMM y"),
}


@cache
def _babel_locale(locale: str) -> Locale:
    return Locale.parse(locale)


def _known(locale: str) -> str:
    return locale if locale in _PATTERNS else FALLBACK


def local_time(iso: str | None, locale: str, zone: ZoneInfo, now: datetime | None = None) -> str:
    """A stored UTC timestamp in `zone`; "" for None or a string that is not a timestamp."""
    if not iso:
        return ""
    try:
        moment = datetime.fromisoformat(iso)
        if moment.tzinfo is None:  # stored timestamps are UTC even without the offset
            moment = moment.replace(tzinfo=UTC)
        moment = moment.astimezone(zone)
    except (TypeError, ValueError, OverflowError):
        return ""
    current = (now or datetime.now(UTC)).astimezone(zone)
    locale = _known(locale)
    this_year, other_year, _ = _PATTERNS[locale]
    pattern = this_year if moment.year == current.year else other_year
    return format_datetime(moment, pattern, tzinfo=zone, locale=_babel_locale(locale))


def local_date(day: date, locale: str) -> str:
    """A calendar day: "30 сентября 2027", "30 September 2027"."""
    locale = _known(locale)
    return format_date(day, _PATTERNS[locale][2], locale=_babel_locale(locale))
