"""The student's wizard as plain rules: steps, what each button does, what a name may be.

No aiogram and no database here: the handlers feed presses in, the onboarding service applies the
side effects (recording a request, storing consent) and persists the result.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any, ClassVar


class Step(StrEnum):
    WELCOME = "welcome"  # greeting, what Sferum is, and the consent question in one message
    CONSENT = "consent"  # the full personal-data notice (its own step before version 3)
    SCHOOL = "school"  # 2: pick the school
    CLASS = "class"  # 2: pick the class
    NAME = "name"  # 2: type first and last name
    DEVICE = "device"  # memo step 1: the app on a phone or the web version; the press says which
    INSTALL = "install"  # memo step 1 for one device (students who chose the device before)
    PROFILE = "profile"  # memo step 2: create «Учебный профиль Сферум»
    FORK = "fork"  # own confirmed Госуслуги account?
    EPOS = "epos"  # memo step 4: link the e-journal
    VARIANT = "variant"  # memo step 3: choose a variant
    VARIANT1 = "variant1"  # memo step 3, variant 1: request on sferum.ru
    VARIANT2 = "variant2"  # memo step 3, variant 2: the class invite link
    CHAT = "chat"  # memo step 3, variant 2: the class chat
    DONE = "done"  # summary


# Steps a student can be stuck at (a broadcast's audience, a reminder's nudge): a record exists
# from the school choice on (after consent), and the end is not a step to be stuck at.
STUCK_STEPS: tuple[Step, ...] = tuple(
    s for s in Step if s not in (Step.WELCOME, Step.CONSENT, Step.DONE)
)


# Steps answered by typing (a school to search for, a class, the student's name); the others
# take buttons only.
TYPED_STEPS = frozenset({Step.SCHOOL, Step.CLASS, Step.NAME})


class Device(StrEnum):
    PHONE = "phone"
    COMPUTER = "computer"


_DEVICES = frozenset(d.value for d in Device)


class Action(StrEnum):
    NEXT = "next"
    AGREE = "agree"
    DECLINE = "decline"
    SCHOOL = "school"  # value: school id
    CLASS = "class"  # value: class id
    PAGE = "page"  # value: page number
    BACK = "back"
    DONE = "done"
    HELP = "help"
    UNHELP = "unhelp"
    PHONE = "phone"
    COMPUTER = "computer"
    YES = "yes"
    NO = "no"
    WHAT = "what"
    V1 = "v1"
    V2 = "v2"
    SENT = "sent"
    SKIP = "skip"  # "my school / class is not in the list"
    RETRY = "retry"  # after a rejection: send the request again, from the choice of variant


@dataclass(frozen=True, slots=True)
class Progress:
    """The wizard's working memory (kept in the FSM data; nothing personal in it)."""

    step: Step = Step.WELCOME
    school_id: int | None = None
    class_id: int | None = None
    device: Device | None = None
    gosuslugi: bool | None = None
    variant: int | None = None
    school_query: str = ""
    school_page: int = 0
    # The message showing the current step: the one live keyboard, taken off the message when
    # the next one is sent.
    screen: int | None = None

    # The FSM data keys the wizard owns; side conversations keep theirs beside them.
    KEYS: ClassVar[frozenset[str]] = frozenset(
        {"school_id", "class_id", "device", "gosuslugi", "variant", "school_query"}
        | {"school_page", "screen"}
    )

    def to_data(self) -> dict[str, Any]:
        """JSON-ready, without defaults; the step is not here: it is the FSM state itself."""
        data = {
            "school_id": self.school_id,
            "class_id": self.class_id,
            "device": self.device.value if self.device else None,
            "gosuslugi": self.gosuslugi,
            "variant": self.variant,
            "school_query": self.school_query,
            "school_page": self.school_page,
            "screen": self.screen,
        }
        if not self.school_query:
            del data["school_query"]
        if not self.school_page:
            del data["school_page"]
        return {k: v for k, v in data.items() if v is not None}

    @classmethod
    def from_data(cls, step: Step, data: dict[str, Any]) -> Progress:
        device = data.get("device")
        return cls(
            step=step,
            school_id=data.get("school_id"),
            class_id=data.get("class_id"),
            device=Device(device) if isinstance(device, str) and device in _DEVICES else None,
            gosuslugi=data.get("gosuslugi"),
            variant=data.get("variant"),
            school_query=str(data.get("school_query", "")),
            school_page=int(data.get("school_page", 0)),
            screen=screen if isinstance(screen := data.get("screen"), int) else None,
        )

    def at(self, step: Step) -> Progress:
        return replace(self, step=step)


# Buttons that merely change what the current message shows; the step stays.
IN_PLACE: frozenset[Action] = frozenset({Action.HELP, Action.UNHELP, Action.WHAT, Action.PAGE})

# Which presses each step accepts; anything else is a forged or outdated button.
ACCEPTS: dict[Step, frozenset[Action]] = {
    # NEXT: the "Start" button of messages sent before the greeting asked for consent itself.
    Step.WELCOME: frozenset(
        {Action.AGREE, Action.DECLINE, Action.WHAT, Action.UNHELP, Action.HELP, Action.NEXT}
    ),
    Step.CONSENT: frozenset({Action.AGREE, Action.DECLINE}),
    Step.SCHOOL: frozenset({Action.SCHOOL, Action.PAGE, Action.SKIP, Action.HELP, Action.UNHELP}),
    Step.CLASS: frozenset({Action.CLASS, Action.BACK, Action.SKIP, Action.HELP, Action.UNHELP}),
    Step.NAME: frozenset({Action.BACK, Action.HELP, Action.UNHELP}),
    Step.DEVICE: frozenset({Action.PHONE, Action.COMPUTER, Action.HELP, Action.UNHELP}),
    Step.INSTALL: frozenset({Action.DONE, Action.BACK, Action.HELP, Action.UNHELP}),
    Step.PROFILE: frozenset({Action.DONE, Action.BACK, Action.HELP, Action.UNHELP}),
    Step.FORK: frozenset({Action.YES, Action.NO, Action.WHAT, Action.BACK, Action.UNHELP}),
    Step.EPOS: frozenset({Action.DONE, Action.BACK, Action.HELP, Action.UNHELP}),
    Step.VARIANT: frozenset({Action.V1, Action.V2, Action.BACK, Action.HELP, Action.UNHELP}),
    Step.VARIANT1: frozenset({Action.SENT, Action.BACK, Action.HELP, Action.UNHELP}),
    Step.VARIANT2: frozenset({Action.DONE, Action.BACK, Action.HELP, Action.UNHELP, Action.RETRY}),
    Step.CHAT: frozenset({Action.DONE, Action.BACK, Action.HELP, Action.UNHELP, Action.RETRY}),
    Step.DONE: frozenset({Action.RETRY}),
}

# Steps a student can be on when a teacher rejects their request; its message offers RETRY.
AFTER_REQUEST = frozenset({Step.VARIANT2, Step.CHAT, Step.DONE})

# Where "◀️ Back" leads from each step.
_BACK_TO: dict[Step, Step] = {
    Step.CLASS: Step.SCHOOL,
    Step.NAME: Step.CLASS,
    Step.INSTALL: Step.DEVICE,
    Step.PROFILE: Step.DEVICE,
    Step.FORK: Step.PROFILE,
    Step.EPOS: Step.FORK,
    Step.VARIANT: Step.FORK,
    Step.VARIANT1: Step.VARIANT,
    Step.VARIANT2: Step.VARIANT,
    Step.CHAT: Step.VARIANT2,
}

# Plain forward moves; presses with side effects are resolved by the onboarding service.
_FORWARD: dict[tuple[Step, Action], Step] = {
    (Step.WELCOME, Action.NEXT): Step.CONSENT,
    (Step.INSTALL, Action.DONE): Step.PROFILE,
    (Step.PROFILE, Action.DONE): Step.FORK,
    (Step.FORK, Action.YES): Step.EPOS,
    (Step.FORK, Action.NO): Step.VARIANT,
    (Step.EPOS, Action.DONE): Step.DONE,
    (Step.VARIANT, Action.V1): Step.VARIANT1,
    (Step.VARIANT, Action.V2): Step.VARIANT2,
    (Step.VARIANT2, Action.DONE): Step.CHAT,
    (Step.CHAT, Action.DONE): Step.DONE,
}


def accepts(step: Step, action: Action) -> bool:
    return action in ACCEPTS[step]


def back_from(step: Step) -> Step:
    return _BACK_TO.get(step, step)


def forward(progress: Progress, action: Action) -> Progress:
    """The plain move for a press at the current step (the step itself if none applies)."""
    step = progress.step
    if action is Action.BACK:
        return progress.at(back_from(step))
    if action is Action.SKIP:
        return replace(progress, step=Step.DEVICE, school_id=None, class_id=None)
    if action is Action.RETRY:
        return replace(progress, step=Step.VARIANT, variant=None)
    if (step, action) in {(Step.DEVICE, Action.PHONE), (Step.DEVICE, Action.COMPUTER)}:
        # The press says both where the messenger is open and which instructions fit.
        return replace(progress, step=Step.PROFILE, device=Device(action.value))
    target = _FORWARD.get((step, action), step)
    moved = progress.at(target)
    if step is Step.FORK and action in (Action.YES, Action.NO):
        moved = replace(moved, gosuslugi=action is Action.YES, variant=None)
    elif step is Step.VARIANT and action in (Action.V1, Action.V2):
        moved = replace(moved, variant=1 if action is Action.V1 else 2)
    return moved


def branch(progress: Progress) -> str:
    """Which path of the memo the student is on, for summaries and rosters."""
    if progress.gosuslugi:
        return "epos"
    if progress.variant == 1:
        return "variant1"
    if progress.variant == 2:
        return "variant2"
    return "none"


# Far longer than any name or search: answered with a hint, never processed.
TEXT_MAX = 1000

# Letters of any alphabet (each with at most MARKS_MAX combining marks: accents, vowel signs),
# spaces and hyphens; at least a first and a last name.
NAME_MIN, NAME_MAX = 2, 100
MARKS_MAX = 3

# Invisible and meaningless in a name, dropped: format characters (category Cf: zero-width
# space, joiners, U+2060 word joiner, U+FEFF, soft hyphen, direction marks, tags...) and the
# marks Unicode lists as default-ignorable (combining grapheme joiner, variation selectors,
# Khmer inherent vowels, Mongolian free variation selectors).
_IGNORED_MARKS = frozenset(
    {0x034F, 0x17B4, 0x17B5, 0x180B, 0x180C, 0x180D, 0x180F, *range(0xFE00, 0xFE10)}
    | set(range(0xE0100, 0xE01F0))
)
# Characters that render as nothing although they are not format characters: the Hangul
# fillers (category Lo, so "letters"!) and the braille blank. A name made of them looks empty.
_BLANK = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def _ignored(char: str) -> bool:
    return unicodedata.category(char) == "Cf" or ord(char) in _IGNORED_MARKS


def _is_letter(char: str) -> bool:
    return unicodedata.category(char).startswith("L") and char not in _BLANK


def _is_mark(char: str) -> bool:
    return unicodedata.category(char).startswith("M")


def _invisible(part: str) -> bool:
    """Nothing a teacher could read: empty, blank fillers, or combining marks without a letter."""
    return not part or any(c in _BLANK for c in part) or all(_is_mark(c) for c in part)


def _word(piece: str) -> bool:
    """Letters, each followed by at most MARKS_MAX combining marks."""
    if not piece or not _is_letter(piece[0]):
        return False
    marks = 0
    for char in piece[1:]:
        if _is_letter(char):
            marks = 0
        elif _is_mark(char) and marks < MARKS_MAX:
            marks += 1
        else:
            return False
    return True


class NameProblem(StrEnum):
    LENGTH = "length"
    CHARACTERS = "characters"
    ONE_WORD = "one-word"
    INVISIBLE = "invisible"  # a part without a visible letter (fillers, zero-width, marks alone)


def clean_name(raw: str) -> str | NameProblem:
    """The name as it will be stored and read (NFC, invisible format characters dropped, runs of
    spaces collapsed), or what is wrong with it."""
    parts = [
        unicodedata.normalize("NFC", "".join(c for c in word if not _ignored(c)))
        for word in raw.split()
    ]
    if any(_invisible(part) for part in parts):
        return NameProblem.INVISIBLE
    name = " ".join(parts)
    if not NAME_MIN <= len(name) <= NAME_MAX:
        return NameProblem.LENGTH
    if not all(_word(piece) for part in parts for piece in part.split("-")):
        return NameProblem.CHARACTERS
    if len(parts) < 2:
        return NameProblem.ONE_WORD
    return name
