"""The peers benchmarks/wizard.py measures the wizard against, on the same update stream.

- **The reference bot** (`reference_dispatcher`): an onboarding wizard written the way most
  aiogram bots are, after aiogram's own `examples/finite_state_machine.py`: a `StatesGroup`
  with one state per step, one handler per step on a state and a `CallbackData.filter()`, each
  doing what such a handler does: `set_state` / `update_data`, answer the button, edit the
  pressed message to the next step's text and inline keyboard (built afresh, its data packed by
  `CallbackData.pack()`), and at the end the collected answers saved and the state cleared. It
  takes the same ten updates a student as the wizard (the /start, the presses, the typed name):
  its `StepCb` reads the wizard's own button data (`w1:<step>:<action>:<value>`). It checks
  nothing against a database, sends no request to a teacher and keeps no record beyond its FSM
  and the answers, so it does less than the wizard: what it costs is aiogram and its storage.
  Where the usual way has a pitfall it is written the better way, so the peer is at its best:
  states are checked by `StateFilter(...)`, not by the bare `Form.x` of aiogram's example (a
  synchronous filter, which aiogram runs through a thread pool, one hop per handler tried), and
  keyboards are built as lists of rows, not with `InlineKeyboardBuilder` (whose `button()`
  deep-copies every button added before: half of this bot's time for a school's 20 classes).
- **Its SQLite storage** (`SQLiteStorage`), "the way most aiogram bots persist": a plain
  `BaseStorage` on one aiosqlite connection with SQLite's defaults (rollback journal,
  `synchronous=FULL`), a row per key, JSON data, every write followed by `commit()`, every read
  one `execute_fetchall`. Nothing deliberately slow: no extra round trips, no pickling; it is
  what a community bot or a storage package on PyPI does. The finished answers go into a table
  of the same database (`SQLiteRegistrations`), committed too.
- **The same bot on `MemoryStorage`**, aiogram's default, with the answers kept in a dict
  (`MemoryRegistrations`): it persists nothing, so it is the fastest this bot can be.
- **The ceiling** (`ceiling_dispatcher`): the project's own dispatcher from
  `app.factory.build_dispatcher` (its routers in their order, their filters, the FSM storage,
  the per-user isolation, `ConversationMiddleware`, the staff routers' guards), with every
  handler replaced by one that only answers the button and sends one prebuilt message. What
  the wizard adds on top of it is the wizard's own work; it cannot be faster than this.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import aiosqlite
from aiogram import Bot, Dispatcher, F, Router, html
from aiogram.dispatcher.event.handler import HandlerObject
from aiogram.filters import Command, CommandStart, StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, StateType, StorageKey
from aiogram.types import (
    CallbackQuery,
    Chat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    TelegramObject,
)

from app.config import Settings
from app.factory import build_dispatcher
from storage.db import Database

# --- the reference bot's SQLite storage ---------------------------------------------------


class SQLiteStorage(BaseStorage):
    """FSM state and data in one SQLite table, committed after every write."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn
        self._keys = DefaultKeyBuilder(with_bot_id=True, with_destiny=True)

    @classmethod
    async def open(cls, path: Path) -> SQLiteStorage:
        conn = await aiosqlite.connect(path)
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS fsm (key TEXT PRIMARY KEY, state TEXT, data TEXT)"
        )
        await conn.commit()
        return cls(conn)

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        name = state.state if isinstance(state, State) else state
        await self.conn.execute(
            "INSERT INTO fsm (key, state) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET state = excluded.state",
            (self._keys.build(key), name),
        )
        await self.conn.commit()

    async def get_state(self, key: StorageKey) -> str | None:
        rows = await self.conn.execute_fetchall(
            "SELECT state FROM fsm WHERE key = ?", (self._keys.build(key),)
        )
        for (state,) in rows:
            return str(state) if state is not None else None
        return None

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        await self.conn.execute(
            "INSERT INTO fsm (key, data) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET data = excluded.data",
            (self._keys.build(key), json.dumps(dict(data), ensure_ascii=False)),
        )
        await self.conn.commit()

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        rows = await self.conn.execute_fetchall(
            "SELECT data FROM fsm WHERE key = ?", (self._keys.build(key),)
        )
        for (data,) in rows:
            if data:
                loaded: dict[str, Any] = json.loads(data)
                return loaded
        return {}

    async def close(self) -> None:
        await self.conn.close()


class Registrations(Protocol):
    """Where the reference bot puts a student's answers once the last step is done."""

    async def save(self, user_id: int, answers: Mapping[str, Any]) -> None: ...


class SQLiteRegistrations:
    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def create_table(self) -> None:
        await self.conn.execute(
            "CREATE TABLE IF NOT EXISTS registrations (user_id INTEGER PRIMARY KEY, answers TEXT)"
        )
        await self.conn.commit()

    async def save(self, user_id: int, answers: Mapping[str, Any]) -> None:
        await self.conn.execute(
            "INSERT OR REPLACE INTO registrations (user_id, answers) VALUES (?, ?)",
            (user_id, json.dumps(dict(answers), ensure_ascii=False)),
        )
        await self.conn.commit()


@dataclass
class MemoryRegistrations:
    saved: dict[int, dict[str, Any]]

    async def save(self, user_id: int, answers: Mapping[str, Any]) -> None:
        self.saved[user_id] = dict(answers)


# --- the reference bot ----------------------------------------------------------------------


class Form(StatesGroup):
    welcome = State()
    school = State()
    class_ = State()
    name = State()
    device = State()
    profile = State()
    fork = State()
    variant = State()
    variant1 = State()


class StepCb(CallbackData, prefix="w1"):
    step: str
    action: str
    value: int = 0


def _keyboard(step: str, *buttons: tuple[str, str, int]) -> InlineKeyboardMarkup:
    """One button a row. Not InlineKeyboardBuilder: its every button() deep-copies the buttons
    added so far, which for a school's 20 classes made this bot spend half its time there."""
    rows = [
        [InlineKeyboardButton(text=text, callback_data=StepCb(step=step, action=a, value=v).pack())]
        for text, a, v in buttons
    ]
    return InlineKeyboardMarkup(inline_keyboard=rows)


async def _next(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup) -> None:
    """Answer the button and show the next step in the pressed message."""
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(text, reply_markup=markup)


Choice = tuple[int, str]  # an id and a name
PAGE = 8  # schools shown at once, as the wizard shows them


def reference_router(
    registrations: Registrations, schools: Sequence[Choice], classes: Mapping[int, Sequence[Choice]]
) -> Router:
    """The reference wizard: ten updates a student, one handler each."""
    router = Router(name="reference")

    @router.message(Command("cancel"))
    async def cancel(message: Message, state: FSMContext) -> None:
        await state.clear()
        await message.answer("Отменено. /start — начать заново.")

    @router.message(CommandStart())
    async def start(message: Message, state: FSMContext) -> None:
        await state.set_state(Form.welcome)
        await message.answer(
            "Привет! Я помогу подключиться к Сферуму. Согласны на обработку данных?",
            reply_markup=_keyboard("welcome", ("Согласен", "agree", 0), ("Нет", "decline", 0)),
        )

    @router.callback_query(StateFilter(Form.welcome), StepCb.filter(F.action == "agree"))
    async def agree(query: CallbackQuery, state: FSMContext) -> None:
        await state.update_data(consent=True)
        await state.set_state(Form.school)
        buttons = [(name, "school", school_id) for school_id, name in schools[:PAGE]]
        await _next(query, "Выберите школу:", _keyboard("school", *buttons))

    @router.callback_query(StateFilter(Form.school), StepCb.filter(F.action == "school"))
    async def pick_school(query: CallbackQuery, callback_data: StepCb, state: FSMContext) -> None:
        await state.update_data(school_id=callback_data.value)
        await state.set_state(Form.class_)
        choices = classes.get(callback_data.value, ())
        buttons = [(name, "class", class_id) for class_id, name in choices]
        await _next(query, "Выберите класс:", _keyboard("class", *buttons, ("Назад", "back", 0)))

    @router.callback_query(StateFilter(Form.class_), StepCb.filter(F.action == "class"))
    async def pick_class(query: CallbackQuery, callback_data: StepCb, state: FSMContext) -> None:
        await state.update_data(class_id=callback_data.value)
        await state.set_state(Form.name)
        await _next(query, "Напишите имя и фамилию:", _keyboard("name", ("Назад", "back", 0)))

    @router.message(StateFilter(Form.name))
    async def typed_name(message: Message, state: FSMContext) -> None:
        await state.update_data(name=html.quote(message.text or ""))
        await state.set_state(Form.device)
        await message.answer(
            "С чего вы зайдёте в Сферум?",
            reply_markup=_keyboard("device", ("Телефон", "phone", 0), ("Компьютер", "computer", 0)),
        )

    @router.callback_query(
        StateFilter(Form.device), StepCb.filter(F.action.in_({"phone", "computer"}))
    )
    async def device(query: CallbackQuery, callback_data: StepCb, state: FSMContext) -> None:
        await state.update_data(device=callback_data.action)
        await state.set_state(Form.profile)
        text = "Создайте учебный профиль Сферум и нажмите «Готово»."
        await _next(query, text, _keyboard("profile", ("Готово", "done", 0), ("Помощь", "help", 0)))

    @router.callback_query(StateFilter(Form.profile), StepCb.filter(F.action == "done"))
    async def profile(query: CallbackQuery, state: FSMContext) -> None:
        await state.set_state(Form.fork)
        text = "Есть подтверждённая учётная запись Госуслуг?"
        await _next(query, text, _keyboard("fork", ("Да", "yes", 0), ("Нет", "no", 0)))

    @router.callback_query(StateFilter(Form.fork), StepCb.filter(F.action.in_({"yes", "no"})))
    async def fork(query: CallbackQuery, callback_data: StepCb, state: FSMContext) -> None:
        await state.update_data(gosuslugi=callback_data.action == "yes")
        await state.set_state(Form.variant)
        text = "Выберите способ вступить в класс:"
        await _next(query, text, _keyboard("variant", ("Заявка", "v1", 0), ("Ссылка", "v2", 0)))

    @router.callback_query(StateFilter(Form.variant), StepCb.filter(F.action == "v1"))
    async def variant(query: CallbackQuery, state: FSMContext) -> None:
        await state.update_data(variant=1)
        await state.set_state(Form.variant1)
        text = "Отправьте заявку на sferum.ru и нажмите «Отправил»."
        await _next(query, text, _keyboard("variant1", ("Отправил", "sent", 0)))

    @router.callback_query(StateFilter(Form.variant1), StepCb.filter(F.action == "sent"))
    async def sent(query: CallbackQuery, state: FSMContext) -> None:
        answers = await state.get_data()
        await registrations.save(query.from_user.id, answers)
        await state.clear()
        await query.answer()
        if isinstance(query.message, Message):
            await query.message.edit_text(f"Готово, {answers.get('name', '')}! Ждите ответа.")

    return router


def reference_dispatcher(
    storage: BaseStorage,
    registrations: Registrations,
    schools: Sequence[Choice],
    classes: Mapping[int, Sequence[Choice]],
) -> Dispatcher:
    dp = Dispatcher(storage=storage)
    dp.include_router(reference_router(registrations, schools, classes))
    return dp


# --- the ceiling ------------------------------------------------------------------------------

CEILING_TEXT = "Шаг мастера: текст из кэша."
CEILING_KEYBOARD = InlineKeyboardMarkup(
    inline_keyboard=[
        [InlineKeyboardButton(text="Готово", callback_data="w1:profile:done:0")],
        [InlineKeyboardButton(text="Не получается", callback_data="w1:profile:help:0")],
        [InlineKeyboardButton(text="Назад", callback_data="w1:profile:back:0")],
    ]
)


async def answer_and_send(event: TelegramObject, bot: Bot, event_chat: Chat) -> None:
    """The ceiling's every handler: answer the button, send one prebuilt message."""
    if isinstance(event, CallbackQuery):
        await event.answer()
    await bot.send_message(event_chat.id, CEILING_TEXT, reply_markup=CEILING_KEYBOARD)


def ceiling_dispatcher(settings: Settings, db: Database) -> Dispatcher:
    """The project's dispatcher, every handler swapped for `answer_and_send`; the routers,
    their filters and middlewares, the FSM storage and the isolation stay as they are."""
    dp = build_dispatcher(settings, db)
    for router in dp.chain_tail:
        for name, observer in router.observers.items():
            if name in ("update", "error"):  # the dispatcher's own propagation, the error log
                continue
            observer.handlers = [
                HandlerObject(callback=answer_and_send, filters=h.filters, flags=dict(h.flags))
                for h in observer.handlers
            ]
    return dp
