"""UsersRepo's cache stays within its bound and never serves what the database no longer says;
every cached user of one language shares one string for it."""

from __future__ import annotations

from storage.db import Database
from storage.users import Seen, UsersRepo

USERS = range(1, 26)


def _seen(language: str) -> Seen:
    # A new string each time, as each update's parsing makes one.
    return Seen("".join(list(language)), None)


async def test_the_cache_is_bounded_and_what_left_it_is_read_again(db: Database) -> None:
    users = UsersRepo(db, cache_size=10)
    for user_id in USERS:
        await users.get_or_create(user_id, _seen("ru"))
        assert users.cached <= 10
    for user_id in USERS:  # the first ones left the cache long ago
        user = await users.get(user_id)
        assert user is not None
        assert (user.id, user.app_locale, user.consented) == (user_id, "ru", False)
        assert users.cached <= 10


async def test_writes_to_users_in_and_out_of_the_cache_are_read_back(db: Database) -> None:
    users = UsersRepo(db, cache_size=10)
    for user_id in USERS:
        await users.get_or_create(user_id, _seen("ru"))
    first, last = USERS[0], USERS[-1]  # out of the cache, and in it
    for user_id in (first, last):
        await users.set_locale(user_id, "en")
        await users.set_consent(user_id, 2, username="anya")
        await users.get_or_create(user_id, Seen("en", "anya_new"))  # a consenting student's
    for user_id in (first, last):
        user = await users.get(user_id)
        assert user is not None
        assert (user.locale, user.app_locale, user.username) == ("en", "en", "anya_new")
        assert (user.consented, user.consent_version) == (True, 2)
        assert user == await UsersRepo(db).get(user_id)  # what the database says


async def test_users_of_one_language_share_its_string(db: Database) -> None:
    users = UsersRepo(db)
    first, second = [await users.get_or_create(u, _seen("ru")) for u in (1, 2)]
    assert first.app_locale == "ru"
    assert first.app_locale is second.app_locale
    await users.set_locale(1, "".join(["e", "n"]))
    await users.set_locale(2, "".join(["e", "n"]))
    first, second = [await users.get_or_create(u, _seen("ru")) for u in (1, 2)]
    assert first.locale == "en"
    assert first.locale is second.locale
    fresh = UsersRepo(db)  # read from the database: each row brings strings of its own
    first, second = [await fresh.get_or_create(u, _seen("ru")) for u in (1, 2)]
    assert (first.locale, first.app_locale) == ("en", "ru")
    assert first.locale is second.locale
    assert first.app_locale is second.app_locale
