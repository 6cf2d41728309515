"""Shortcuts that take a student through the wizard the way a child would: by pressing buttons."""

from __future__ import annotations

from bot.wizard import Step
from tests.support.people import Person

# What the student sees on the buttons (Russian, the default language).
AGREE = "Даю согласие ✅"
DETAILS = "🔒 Что хранится?"
DECLINE = "Продолжить без сохранения данных"
DONE = "Готово ✅"
TROUBLE = "Не получается ❓"
BACK = "◀️ Назад"
BACK_TO_STEP = "◀️ Вернуться к шагу"
PHONE = "📱 Установил(а) на телефон ✅"
COMPUTER = "💻 Открыл(а) на компьютере ✅"
YES = "Да, есть ✅"
NO = "Нет ❌"
WHAT = "Что это? 🤔"
VARIANT1 = "Вариант 1: заявка на сайте Сферум"
VARIANT2 = "Вариант 2: ссылка от учителя"
SENT = "Я отправил(а) заявку ✅"
JOINED = "Я уже в классе ✅"
IN_CHAT = "Я в чате класса ✅"
SCHOOL = "МБОУ СОШ № 1"
CLASS = "5А"
NAME = "Анна Иванова"


class Typed(str):
    """An answer the student types rather than presses."""


# Each step along the way, with what the student does to leave it.
_WITH_CONSENT: list[tuple[Step, str]] = [
    (Step.WELCOME, AGREE),
    (Step.SCHOOL, SCHOOL),
    (Step.CLASS, CLASS),
    (Step.NAME, Typed(NAME)),
    (Step.DEVICE, PHONE),
    (Step.PROFILE, DONE),
]
_WITHOUT_CONSENT: list[tuple[Step, str]] = [
    (Step.WELCOME, DECLINE),
    (Step.DEVICE, PHONE),
    (Step.PROFILE, DONE),
]
_FROM_FORK: dict[Step, list[tuple[Step, str]]] = {
    Step.EPOS: [(Step.FORK, YES)],
    Step.VARIANT: [(Step.FORK, NO)],
    Step.VARIANT1: [(Step.FORK, NO), (Step.VARIANT, VARIANT1)],
    Step.VARIANT2: [(Step.FORK, NO), (Step.VARIANT, VARIANT2)],
    Step.CHAT: [(Step.FORK, NO), (Step.VARIANT, VARIANT2), (Step.VARIANT2, JOINED)],
    Step.DONE: [(Step.FORK, YES), (Step.EPOS, DONE)],
}


async def walk_to(student: Person, target: Step, *, consent: bool = True) -> None:
    """From a first /start to the screen of `target` (needs the `structure` fixture)."""
    route = (_WITH_CONSENT if consent else _WITHOUT_CONSENT) + _FROM_FORK.get(target, [])
    await student.send("/start")
    for step, move in route:
        if step is target:
            return
        await (student.send(move) if isinstance(move, Typed) else student.press(move))
    assert target is Step.FORK or target in _FROM_FORK, f"{target} is not on the route"
