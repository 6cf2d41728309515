"""`python -m bot` runs the bot (long polling); `python -m bot import-structure FILE` imports."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from app import heap

heap.starting()  # before the imports below: they build what lives as long as the process

# ruff: noqa: E402 - the imports after this line are the ones the collector setting is for
from aiogram.exceptions import TelegramNetworkError, TelegramUnauthorizedError

from app.config import AllSettings, SettingsError, StorageSettings, load_all, load_settings
from app.factory import build_bot, build_dispatcher
from app.logs import setup_logging
from bot.structure_import import run_import
from storage.db import Database, NewerDatabaseError

EXIT_BAD_SETTINGS = 2
EXIT_UNREACHABLE = 1


class UnreachableApiError(Exception):
    """The Bot API server could not be reached at start-up (polling itself retries later)."""


async def run_bot(settings: AllSettings) -> None:
    bot = build_bot(settings.main)  # before the database: nothing to close if this fails
    db = await Database.open(settings.main.database_path)
    try:
        dp = build_dispatcher(
            settings.main,
            db,
            reminder_policy=settings.reminders.policy,
            delivery_limits=settings.delivery.limits,
        )
        heap.settle()  # what start-up built lives as long as the process
        # SIGINT/SIGTERM stop polling; the shutdown hook then drains the updates in flight.
        await dp.start_polling(
            bot,
            handle_signals=True,
            close_bot_session=True,
            tasks_concurrency_limit=settings.main.polling_concurrency,
        )
    except TelegramUnauthorizedError:
        raise SettingsError(
            "Setting BOT_TOKEN was rejected by the Bot API server: check it with @BotFather"
        ) from None
    except TelegramNetworkError as exc:
        raise UnreachableApiError(
            f"Cannot reach the Bot API server at {settings.main.telegram_api_url}: {exc.message}"
        ) from None
    finally:
        await bot.session.close()  # start-up may fail before polling would close it
        await db.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    commands = parser.add_subparsers(dest="command")
    importer = commands.add_parser("import-structure", help="import schools and classes from CSV")
    importer.add_argument("file", type=Path, help="CSV with columns school, class")
    args = parser.parse_args(argv)

    try:
        if args.command == "import-structure":
            storage = load_settings(StorageSettings)
            return asyncio.run(run_import(storage.database_path, args.file, sys.stdout))
        settings = load_all()
    except (SettingsError, NewerDatabaseError) as exc:
        print(exc, file=sys.stderr)
        return EXIT_BAD_SETTINGS
    setup_logging(secret=settings.main.bot_token.get_secret_value())
    try:
        asyncio.run(run_bot(settings))
    except (SettingsError, NewerDatabaseError) as exc:
        print(exc, file=sys.stderr)
        return EXIT_BAD_SETTINGS
    except UnreachableApiError as exc:
        print(exc, file=sys.stderr)
        return EXIT_UNREACHABLE
    return 0


if __name__ == "__main__":
    sys.exit(main())
