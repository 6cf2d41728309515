"""A short side conversation (one typed answer) that keeps whatever the person was doing.

Its data lives under its own key in the FSM data, with the state to go back to, so finishing it
never erases the wizard's data of a teacher who is also a student.
"""

from __future__ import annotations

from typing import Any

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State

_RETURN_TO = "back_state"  # the state to return to when the side conversation ends


async def enter(state: FSMContext, target: State, key: str, payload: dict[str, Any]) -> None:
    """Wait in `target`; moving between states of the same group (naming a class, then
    renaming one) keeps the state to return to from the first."""
    data = await state.get_data()
    previous = data.get(key, {}).get(_RETURN_TO) if isinstance(data.get(key), dict) else None
    current = await state.get_state()
    inside = current is not None and current.startswith(f"{target.group.__full_group_name__}:")
    back = previous if inside else current
    await state.update_data({key: {**payload, _RETURN_TO: back}})
    await state.set_state(target)


async def payload(state: FSMContext, key: str) -> dict[str, Any]:
    found = (await state.get_data()).get(key)
    return found if isinstance(found, dict) else {}


async def update(state: FSMContext, key: str, changes: dict[str, Any]) -> None:
    """Changes part of the side conversation's data (a draft, say), the rest as it was."""
    await state.update_data({key: {**(await payload(state, key)), **changes}})


async def leave(state: FSMContext, key: str) -> None:
    data = await state.get_data()
    ours = data.pop(key, None)
    await state.set_data(data)
    await state.set_state(ours.get(_RETURN_TO) if isinstance(ours, dict) else None)
