"""Message catalogues in Fluent (locales/<lang>/*.ftl): no compile step, CLDR plurals.

Every string argument is HTML-escaped here, once, because every text is sent in HTML parse mode:
user input can never become markup, whoever forgets to quote it.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from fluent.runtime import FluentBundle, FluentResource

from bot.local_time import DEFAULT_ZONE, local_date, local_time

log = logging.getLogger(__name__)

Locale = Literal["ru", "en"]
LOCALES: tuple[Locale, ...] = ("ru", "en")  # Russian first: the default and the reference

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"


class MissingMessageError(KeyError):
    pass


class Html(str):
    """A text already formatted by the catalogue: passed into another one as it is."""


class Catalog:
    """All locales' bundles plus the deployment-profile arguments every text may use, and the
    deployment's time zone every time is shown in."""

    def __init__(
        self,
        default_locale: Locale,
        profile: Mapping[str, Mapping[str, str]] | None = None,
        directory: Path = LOCALES_DIR,
        *,
        zone: ZoneInfo = DEFAULT_ZONE,
    ) -> None:
        self.default_locale: Locale = default_locale
        self.zone = zone
        # Per language: the messenger's and the e-journal's names differ in English texts.
        self._profile: dict[str, dict[str, str]] = {
            locale: {k: html.escape(v) for k, v in (profile or {}).get(locale, {}).items()}
            for locale in LOCALES
        }
        self._bundles: dict[str, FluentBundle] = {}
        self._plain: dict[tuple[str, str], str] = {}
        for locale in LOCALES:
            bundle = FluentBundle([locale], use_isolating=False)
            for path in sorted((directory / locale).glob("*.ftl")):
                bundle.add_resource(FluentResource(path.read_text(encoding="utf-8")))
            self._bundles[locale] = bundle

    def format(self, locale: str, key: str, args: Mapping[str, Any] | None = None) -> str:
        if not args:
            cached = self._plain.get((locale, key))
            if cached is not None:
                return cached
        if locale not in self._bundles:
            locale = self.default_locale
        bundle = self._bundles[locale]
        if not bundle.has_message(key):
            raise MissingMessageError(key)
        values: dict[str, Any] = dict(self._profile[locale])
        if args:
            values.update(
                (
                    name,
                    html.escape(value)
                    if isinstance(value, str) and not isinstance(value, Html)
                    else value,
                )
                for name, value in args.items()
            )
        pattern = bundle.get_message(key).value
        if pattern is None:  # a message with attributes only
            raise MissingMessageError(key)
        formatted, errors = bundle.format_pattern(pattern, values)
        text = str(formatted)
        if errors:
            # Names the key only: arguments may be personal data.
            log.error("message %s in %s formatted with errors: %s", key, locale, len(errors))
        if not args:
            self._plain[(locale, key)] = text
        return text

    def bind(self, locale: str) -> Text:
        return Text(self, locale if locale in self._bundles else self.default_locale)


class Text:
    """The catalogue in one person's language: `t("key", name=...)`."""

    __slots__ = ("_catalog", "locale")

    def __init__(self, catalog: Catalog, locale: str) -> None:
        self._catalog = catalog
        self.locale = locale

    def __call__(self, key: str, /, **args: Any) -> str:
        return self._catalog.format(self.locale, key, args)

    def html(self, key: str, /, **args: Any) -> Html:
        """A formatted text meant as an argument of another text (so not escaped twice)."""
        return Html(self(key, **args))

    def time(self, iso: str | None) -> str:
        """A stored UTC timestamp in the deployment's zone: "2 декабря, 08:54"; "" for None."""
        return local_time(iso, self.locale, self._catalog.zone)

    def date(self, day: date) -> str:
        """A calendar day: "30 сентября 2027"."""
        return local_date(day, self.locale)

    # Hashable, so screens built from it can be cached per catalogue and language.
    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Text)
            and other._catalog is self._catalog
            and other.locale == self.locale
        )

    def __hash__(self) -> int:
        return hash((id(self._catalog), self.locale))
