"""SQLiteStorage against aiogram's storage contract, plus what a persistent storage must add."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from pathlib import Path
from typing import TypedDict

import pytest
from aiogram.exceptions import DataNotDictLikeError
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.base import StorageKey

from storage.db import Database, Params, Row
from storage.fsm import SQLiteStorage

KEY = StorageKey(bot_id=42, chat_id=-100500, user_id=7)
PRIVATE = StorageKey(bot_id=42, chat_id=7, user_id=7)  # the shape nearly every key has


class Signup(StatesGroup):
    name = State()
    school = State()


@pytest.fixture
def storage(db: Database) -> SQLiteStorage:
    return SQLiteStorage(db)


async def fsm_rows(db: Database) -> int:
    row = await db.fetchone("SELECT count(*) FROM fsm")
    assert row is not None
    return int(row[0])


async def total_changes(db: Database) -> int:
    row = await db.fetchone("SELECT total_changes()")
    assert row is not None
    return int(row[0])


# --- aiogram's contract (tests/test_fsm/storage/test_storages.py) ---------------------------


async def test_set_state(storage: SQLiteStorage) -> None:
    assert await storage.get_state(key=KEY) is None

    await storage.set_state(key=KEY, state="state")
    assert await storage.get_state(key=KEY) == "state"
    await storage.set_state(key=KEY, state=None)
    assert await storage.get_state(key=KEY) is None


async def test_set_data(storage: SQLiteStorage) -> None:
    assert await storage.get_data(key=KEY) == {}
    assert await storage.get_value(storage_key=KEY, dict_key="foo") is None
    assert await storage.get_value(storage_key=KEY, dict_key="foo", default="baz") == "baz"

    await storage.set_data(key=KEY, data={"foo": "bar"})
    assert await storage.get_data(key=KEY) == {"foo": "bar"}
    assert await storage.get_value(storage_key=KEY, dict_key="foo") == "bar"
    assert await storage.get_value(storage_key=KEY, dict_key="foo", default="baz") == "bar"

    await storage.set_data(key=KEY, data={})
    assert await storage.get_data(key=KEY) == {}
    assert await storage.get_value(storage_key=KEY, dict_key="foo") is None
    assert await storage.get_value(storage_key=KEY, dict_key="foo", default="baz") == "baz"

    class CustomTypedDict(TypedDict, total=False):
        foo: str
        bar: str

    await storage.set_data(key=KEY, data=CustomTypedDict(foo="bar", bar="baz"))
    assert await storage.get_data(key=KEY) == {"foo": "bar", "bar": "baz"}
    assert await storage.get_value(storage_key=KEY, dict_key="foo") == "bar"
    assert await storage.get_value(storage_key=KEY, dict_key="foo", default="baz") == "bar"


@pytest.mark.parametrize("data", [(), [("foo", "bar")], "foo", None])
async def test_set_data_rejects_what_is_not_dict_like(storage: SQLiteStorage, data: object) -> None:
    await storage.set_data(key=KEY, data={"foo": "bar"})
    with pytest.raises(DataNotDictLikeError):
        await storage.set_data(key=KEY, data=data)  # type: ignore[arg-type]
    assert await storage.get_data(key=KEY) == {"foo": "bar"}


async def test_update_data(storage: SQLiteStorage) -> None:
    assert await storage.get_data(key=KEY) == {}
    assert await storage.update_data(key=KEY, data={"foo": "bar"}) == {"foo": "bar"}
    assert await storage.update_data(key=KEY, data={}) == {"foo": "bar"}
    assert await storage.get_data(key=KEY) == {"foo": "bar"}
    assert await storage.update_data(key=KEY, data={"baz": "spam"}) == {
        "foo": "bar",
        "baz": "spam",
    }
    assert await storage.get_data(key=KEY) == {"foo": "bar", "baz": "spam"}
    assert await storage.update_data(key=KEY, data={"baz": "test"}) == {
        "foo": "bar",
        "baz": "test",
    }
    assert await storage.get_data(key=KEY) == {"foo": "bar", "baz": "test"}


async def test_concurrent_updates_lose_nothing(storage: SQLiteStorage) -> None:
    await storage.set_data(key=KEY, data={"first": 0})
    results = await asyncio.gather(
        *(storage.update_data(key=KEY, data={f"k{n}": n}) for n in range(20))
    )
    expected = {"first": 0} | {f"k{n}": n for n in range(20)}
    assert await storage.get_data(key=KEY) == expected
    assert results[-1] == expected


async def test_update_data_that_json_cannot_encode_changes_nothing(
    storage: SQLiteStorage,
) -> None:
    await storage.set_data(key=KEY, data={"foo": "bar"})
    with pytest.raises(TypeError):
        await storage.update_data(key=KEY, data={"bad": object()})
    assert await storage.get_data(key=KEY) == {"foo": "bar"}
    assert await storage.update_data(key=KEY, data={"ok": 1}) == {"foo": "bar", "ok": 1}


async def test_update_data_replaces_values_shallowly_and_keeps_none(storage: SQLiteStorage) -> None:
    await storage.set_data(key=KEY, data={"nested": {"a": 1, "b": 2}, "keep": [1, 2]})
    updated = await storage.update_data(key=KEY, data={"nested": {"a": 3}, "gone": None})
    expected = {"nested": {"a": 3}, "keep": [1, 2], "gone": None}
    assert updated == expected
    assert await storage.get_data(key=KEY) == expected


async def test_state_object_is_stored_as_its_name(storage: SQLiteStorage, db: Database) -> None:
    await storage.set_state(key=KEY, state=Signup.school)
    assert await storage.get_state(key=KEY) == "Signup:school"
    assert await storage.get_state(key=KEY) == Signup.school
    row = await db.fetchone("SELECT state FROM fsm")
    assert row is not None
    assert row["state"] == "Signup:school"

    await storage.set_state(key=KEY, state="Signup:name")
    assert await storage.get_state(key=KEY) == Signup.name


async def test_state_object_without_name_clears_the_state(storage: SQLiteStorage) -> None:
    await storage.set_state(key=KEY, state=Signup.name)
    await storage.set_state(key=KEY, state=State())  # a State outside any group has no name
    assert await storage.get_state(key=KEY) is None


async def test_clearing_state_keeps_data_and_clearing_data_keeps_state(
    storage: SQLiteStorage, db: Database
) -> None:
    await storage.set_state(key=KEY, state=Signup.name)
    await storage.set_data(key=KEY, data={"foo": "bar"})

    await storage.set_state(key=KEY, state=None)
    assert await storage.get_state(key=KEY) is None
    assert await storage.get_data(key=KEY) == {"foo": "bar"}
    assert await fsm_rows(db) == 1

    await storage.set_state(key=KEY, state=Signup.school)
    await storage.set_data(key=KEY, data={})
    assert await storage.get_state(key=KEY) == Signup.school
    assert await storage.get_data(key=KEY) == {}
    assert await fsm_rows(db) == 1

    await storage.set_state(key=KEY, state=None)
    assert await fsm_rows(db) == 0


async def test_get_data_returns_a_copy(storage: SQLiteStorage) -> None:
    await storage.set_data(key=KEY, data={"items": [1]})
    data = await storage.get_data(key=KEY)
    data["items"].append(2)
    data["other"] = True
    assert await storage.get_data(key=KEY) == {"items": [1]}


# --- keys ----------------------------------------------------------------------------------


@pytest.mark.parametrize("base", [KEY, PRIVATE], ids=["group", "private"])
@pytest.mark.parametrize(
    "change",
    [
        {"bot_id": 43},
        {"chat_id": -100501},
        {"user_id": 8},
        {"thread_id": 5},
        {"business_connection_id": "bc-1"},
        {"destiny": "other"},
    ],
    ids=["bot_id", "chat_id", "user_id", "thread_id", "business_connection_id", "destiny"],
)
async def test_keys_differing_in_one_field_do_not_share_records(
    storage: SQLiteStorage, db: Database, base: StorageKey, change: dict[str, object]
) -> None:
    other = dataclasses.replace(base, **change)  # type: ignore[arg-type]
    await storage.set_state(key=base, state="mine")
    await storage.set_data(key=base, data={"owner": "mine"})
    assert await storage.get_state(key=other) is None
    assert await storage.get_data(key=other) == {}

    await storage.set_state(key=other, state="theirs")
    await storage.set_data(key=other, data={"owner": "theirs"})
    assert await storage.get_state(key=base) == "mine"
    assert await storage.get_data(key=base) == {"owner": "mine"}
    assert await storage.get_state(key=other) == "theirs"
    assert await storage.get_data(key=other) == {"owner": "theirs"}
    assert await fsm_rows(db) == 2

    await storage.set_state(key=other, state=None)
    await storage.set_data(key=other, data={})
    assert await storage.get_state(key=base) == "mine"
    assert await storage.get_data(key=base) == {"owner": "mine"}
    assert await fsm_rows(db) == 1


async def test_a_private_chat_of_another_bot_is_its_own_record(
    storage: SQLiteStorage, db: Database
) -> None:
    # The first bot's private chats are cached by user id; another bot's same user is not it.
    theirs = dataclasses.replace(PRIVATE, bot_id=43)
    await storage.set_state(key=theirs, state="theirs")  # the other bot is seen first
    await storage.set_state(key=PRIVATE, state="mine")
    assert await storage.get_state(key=theirs) == "theirs"
    assert await storage.get_state(key=PRIVATE) == "mine"
    assert await fsm_rows(db) == 2


async def test_thread_and_business_connection_of_the_same_chat_are_separate(
    storage: SQLiteStorage,
) -> None:
    keys = [
        StorageKey(bot_id=1, chat_id=2, user_id=3),
        StorageKey(bot_id=1, chat_id=2, user_id=3, thread_id=10),
        StorageKey(bot_id=1, chat_id=2, user_id=3, thread_id=11),
        StorageKey(bot_id=1, chat_id=2, user_id=3, business_connection_id="a"),
        StorageKey(bot_id=1, chat_id=2, user_id=3, thread_id=10, business_connection_id="a"),
    ]
    for number, key in enumerate(keys):
        await storage.set_data(key=key, data={"n": number})
    assert [await storage.get_value(key, "n") for key in keys] == list(range(len(keys)))


async def test_row_records_user_id(storage: SQLiteStorage, db: Database) -> None:
    await storage.set_state(key=KEY, state="s")
    row = await db.fetchone("SELECT user_id FROM fsm")
    assert row is not None
    assert row["user_id"] == KEY.user_id


# --- the cache -----------------------------------------------------------------------------


def _private(user_id: int) -> StorageKey:
    return StorageKey(bot_id=42, chat_id=user_id, user_id=user_id)


async def test_the_cache_is_bounded_and_what_left_it_is_read_again(db: Database) -> None:
    storage = SQLiteStorage(db, cache_size=10)
    keys = [_private(user_id) for user_id in range(1, 26)] + [KEY]
    for number, key in enumerate(keys):
        await storage.set_state(key=key, state=f"s{number}")
        await storage.set_data(key=key, data={"n": number})
        assert await storage.get_state(key=key) == f"s{number}"  # a read caches the record
        assert storage.cached <= 10
    for number, key in enumerate(keys):  # the first ones left the cache long ago
        assert await storage.get_state(key=key) == f"s{number}"
        assert await storage.get_data(key=key) == {"n": number}
    await storage.set_state(key=keys[0], state="changed")
    await storage.update_data(key=keys[0], data={"more": True})
    assert await storage.get_state(key=keys[0]) == "changed"
    assert await storage.get_data(key=keys[0]) == {"n": 0, "more": True}
    assert storage.cached <= 10


async def test_users_in_one_state_share_its_name(storage: SQLiteStorage, db: Database) -> None:
    for user_id in (1, 2):
        await storage.set_state(key=_private(user_id), state=Signup.name)  # a new string each
        await storage.get_state(key=_private(user_id))
    first, second = [await storage.get_state(key=_private(u)) for u in (1, 2)]
    assert first == "Signup:name"
    assert first is second
    fresh = SQLiteStorage(db)  # read from the database: each row brings a string of its own
    first, second = [await fresh.get_state(key=_private(u)) for u in (1, 2)]
    assert first == "Signup:name"
    assert first is second


@pytest.mark.parametrize("key", [KEY, PRIVATE], ids=["group", "private"])
@pytest.mark.parametrize("write", ["set_state", "set_data", "update_data"])
async def test_a_read_racing_a_write_never_caches_what_was_overwritten(
    db: Database, key: StorageKey, write: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    await SQLiteStorage(db).set_state(key=key, state="old")
    storage = SQLiteStorage(db)  # nothing cached: the read goes to the database
    answer = asyncio.Event()
    read_row = db.fetchone

    async def late_answer(sql: str, params: Params = ()) -> Row | None:
        row = await read_row(sql, params)  # the record as it was
        await answer.wait()  # ... arrives after the write below has finished
        return row

    monkeypatch.setattr(db, "fetchone", late_answer)
    read = asyncio.ensure_future(storage.get_state(key=key))
    await asyncio.sleep(0)
    if write == "set_state":
        await storage.set_state(key=key, state="new")
    elif write == "set_data":
        await storage.set_data(key=key, data={"k": 1})
    else:
        await storage.update_data(key=key, data={"k": 1})
    answer.set()
    assert await read == "old"  # what it read, but not kept
    monkeypatch.undo()
    expected = ("new", {}) if write == "set_state" else ("old", {"k": 1})
    assert (await storage.get_state(key=key), await storage.get_data(key=key)) == expected


# --- encoding ------------------------------------------------------------------------------


async def test_non_ascii_data_round_trips(storage: SQLiteStorage, db: Database) -> None:
    data = {"ФИО": "Иванов Иван Иванович", "класс": "7 «Б»", "emoji": "🎓", "list": ["ё", "Ж"]}
    await storage.set_data(key=KEY, data=data)
    assert await storage.get_data(key=KEY) == data
    assert await storage.get_value(KEY, "ФИО") == "Иванов Иван Иванович"
    cyrillic_key = StorageKey(bot_id=1, chat_id=2, user_id=3, business_connection_id="связь")
    await storage.set_state(key=cyrillic_key, state="Анкета:имя")
    assert await storage.get_state(key=cyrillic_key) == "Анкета:имя"
    assert await storage.get_state(key=KEY) is None


async def test_data_is_stored_as_json(storage: SQLiteStorage, db: Database) -> None:
    data = {"name": "Аня", "n": 1, "ok": True, "none": None, "nested": {"x": [1.5, "y"]}}
    await storage.set_data(key=KEY, data=data)
    row = await db.fetchone("SELECT data FROM fsm")
    assert row is not None
    assert isinstance(row["data"], str)
    assert json.loads(row["data"]) == data


async def test_data_that_json_cannot_encode_is_refused(storage: SQLiteStorage) -> None:
    await storage.set_data(key=KEY, data={"foo": "bar"})
    with pytest.raises(TypeError):
        await storage.set_data(key=KEY, data={"foo": object()})
    assert await storage.get_data(key=KEY) == {"foo": "bar"}


# --- persistence ---------------------------------------------------------------------------


async def test_records_survive_reopening_the_database(db_path: Path) -> None:
    first = await Database.open(db_path)
    try:
        storage = SQLiteStorage(first)
        await storage.set_state(key=KEY, state=Signup.school)
        await storage.set_data(key=KEY, data={"name": "Пётр", "age": 12})
        await storage.close()  # must leave the application's database open
        assert await storage.get_state(key=KEY) == Signup.school
    finally:
        await first.close()

    second = await Database.open(db_path)
    try:
        reopened = SQLiteStorage(second)
        assert await reopened.get_state(key=KEY) == "Signup:school"
        assert await reopened.get_data(key=KEY) == {"name": "Пётр", "age": 12}
    finally:
        await second.close()


# --- FSMContext and clearing ---------------------------------------------------------------


async def test_fsm_context_on_top_of_the_storage(storage: SQLiteStorage, db: Database) -> None:
    context = FSMContext(storage=storage, key=KEY)
    assert await context.get_state() is None

    await context.set_state(Signup.name)
    assert await context.get_state() == Signup.name.state
    assert await context.update_data(name="Маша") == {"name": "Маша"}
    assert await context.update_data({"school": 5}, grade="7Б") == {
        "name": "Маша",
        "school": 5,
        "grade": "7Б",
    }
    await context.set_state(Signup.school)
    assert await context.get_state() == "Signup:school"
    assert await context.get_value("name") == "Маша"
    assert await context.get_value("missing", "default") == "default"
    assert await fsm_rows(db) == 1

    await context.clear()
    assert await context.get_state() is None
    assert await context.get_data() == {}
    assert await fsm_rows(db) == 0


@pytest.mark.parametrize(
    ("state", "data"),
    [("s", {"k": "v"}), ("s", {}), (None, {"k": "v"})],
    ids=["state-and-data", "state-only", "data-only"],
)
async def test_clear_deletes_the_row(
    storage: SQLiteStorage, db: Database, state: str | None, data: dict[str, str]
) -> None:
    other = StorageKey(bot_id=KEY.bot_id, chat_id=KEY.chat_id, user_id=KEY.user_id, thread_id=1)
    await storage.set_state(key=other, state="other")
    await storage.set_state(key=KEY, state=state)
    await storage.set_data(key=KEY, data=data)
    assert await fsm_rows(db) == 2

    await FSMContext(storage=storage, key=KEY).clear()
    assert await fsm_rows(db) == 1
    assert await storage.get_state(key=KEY) is None
    assert await storage.get_data(key=KEY) == {}
    assert await storage.get_state(key=other) == "other"


async def test_clearing_what_is_already_empty_writes_nothing(
    storage: SQLiteStorage, db: Database
) -> None:
    await storage.set_data(key=KEY, data={"k": "v"})  # a record whose state is empty
    other = StorageKey(bot_id=KEY.bot_id, chat_id=KEY.chat_id, user_id=99)  # no record at all
    before = await total_changes(db)
    await FSMContext(storage=storage, key=other).clear()
    await storage.set_state(key=KEY, state=None)
    assert await total_changes(db) == before
    assert await fsm_rows(db) == 1
    assert await storage.get_data(key=KEY) == {"k": "v"}


async def test_concurrent_clears_of_both_halves_leave_no_row(
    storage: SQLiteStorage, db: Database
) -> None:
    for _ in range(20):
        await storage.set_state(key=KEY, state="s")
        await storage.set_data(key=KEY, data={"k": "v"})
        await asyncio.gather(
            storage.set_state(key=KEY, state=None), storage.set_data(key=KEY, data={})
        )
        assert await fsm_rows(db) == 0
