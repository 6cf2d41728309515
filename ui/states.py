"""aiogram FSM states of the wizard: one per step, named after the step."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup

from bot.wizard import Step


class Wizard(StatesGroup):
    welcome = State()
    consent = State()
    school = State()
    class_ = State("class")
    name = State()
    device = State()
    install = State()
    profile = State()
    fork = State()
    epos = State()
    variant = State()
    variant1 = State()
    variant2 = State()
    chat = State()
    done = State()


STATE_OF: dict[Step, State] = {Step(str(s.state).split(":")[1]): s for s in Wizard.__all_states__}
_STEP_OF: dict[str, Step] = {str(state.state): step for step, state in STATE_OF.items()}
assert set(STATE_OF) == set(Step), "every step needs a state"


def step_of(raw_state: str | None) -> Step | None:
    """The wizard step of a stored FSM state, or None outside the wizard."""
    return _STEP_OF.get(raw_state) if raw_state else None


class RejectReason(StatesGroup):
    """A teacher typing their own reason for a rejection ("other")."""

    text = State()


class BroadcastDraft(StatesGroup):
    """The admin is asked for the message to broadcast (and may confirm one already sent)."""

    message = State()


class ClassAdmin(StatesGroup):
    """One typed answer of an admin: a new class's name, or a class's new name."""

    new_name = State()
    rename = State()
