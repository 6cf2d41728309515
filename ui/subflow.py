"""A short side conversation (one typed answer) that keeps whatever the person was doing.

Its data lives under its own key in the FSM data, with the state to go back to, so finishing it
never erases the wizard's data of a teacher who is also a student.
"""

from __future__ import annotations

from typing import Any

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State

_BACK = "back_state"


async def enter(state: FSMContext, target: State, key: str, payload: dict[str, Any]) -> None:
    data = await state.get_data()
    previous = data.get(key, {}).get(_BACK) if isinstance(data.get(key), dict) else None
    current = await state.get_state()
    back = previous if current == target.state else current
    await state.update_data({key: {**payload, _BACK: back}})
    await state.set_state(target)


async def payload(state: FSMContext, key: str) -> dict[str, Any]:
    found = (await state.get_data()).get(key)
    return found if isinstance(found, dict) else {}


async def leave(state: FSMContext, key: str) -> None:
    data = await state.get_data()
    ours = data.pop(key, None)
    await state.set_data(data)
    await state.set_state(ours.get(_BACK) if isinstance(ours, dict) else None)
