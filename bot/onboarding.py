"""The onboarding service: applies a student's presses and typed answers to their progress.

It decides, stores what must be stored (consent, the student's record, join requests) and says
what to show next; it knows nothing of aiogram, so every rule here is testable on its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from bot.wizard import IN_PLACE, Action, NameProblem, Progress, Step, clean_name, forward
from storage.db import utcnow
from storage.erasure import ErasureRepo
from storage.join_requests import JoinRequest, JoinRequestsRepo, Withdrawn
from storage.schools import CODE_LENGTH, School, SchoolClass, SchoolsRepo
from storage.students import StudentRecord, StudentsRepo
from storage.users import User, UsersRepo

CONSENT_VERSION = 3  # bump when the personal-data notice changes
SCHOOLS_PER_PAGE = 8
SCHOOL_QUERY_MAX = 100
DEEP_LINK = re.compile(rf"^c_([a-z0-9]{{{CODE_LENGTH}}})$")

Notice = tuple[str, dict[str, Any]]


@dataclass(frozen=True, slots=True)
class StepView:
    """Everything the screen of the current step shows."""

    progress: Progress
    consented: bool
    school: School | None = None
    klass: SchoolClass | None = None
    full_name: str | None = None
    schools: Sequence[School] = ()
    schools_total: int = 0
    classes: Sequence[SchoolClass] = ()
    request: JoinRequest | None = None
    keep_until: date | None = None  # the consent notice: until when the data would be kept


@dataclass(frozen=True, slots=True)
class Opened:
    """A join request recorded just now, still to be delivered to whoever decides it."""

    request_id: int
    variant: int
    class_name: str


@dataclass(frozen=True, slots=True)
class Moved:
    """The student chose another class: their pending requests to the old one were withdrawn
    (their cards must lose the buttons) and, where one was pending, a new one opened."""

    withdrawn: list[Withdrawn]
    to_class: str  # "": no new class, the student took their consent back
    opened: Opened | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a student's input led to."""

    progress: Progress
    user: User  # as it is now (consent may just have been given)
    notices: list[Notice] = field(default_factory=list)
    in_place: bool = False  # redraw the pressed message rather than send a new one
    opened: Opened | None = None  # a join request recorded just now
    moved: Moved | None = None  # requests withdrawn because the class changed

    @property
    def to_deliver(self) -> Opened | None:
        return self.opened or (self.moved.opened if self.moved else None)


class Onboarding:
    def __init__(
        self,
        users: UsersRepo,
        schools: SchoolsRepo,
        students: StudentsRepo,
        requests: JoinRequestsRepo,
        erasure: ErasureRepo,
        *,
        keep_until: Callable[[], date] | None = None,
    ) -> None:
        self.users = users
        self.schools = schools
        self.students = students
        self.requests = requests
        self.erasure = erasure
        # Until when a student who consents today is kept (the retention policy), for the notice.
        self._keep_until = keep_until

    # --- entering the wizard -------------------------------------------------------------

    async def start(self, user: User, current: Progress | None, payload: str | None) -> Outcome:
        """/start, optionally with a class deep link (`c_<code>`); resumes a started wizard."""
        notices: list[Notice] = []
        klass = await self._class_from_payload(payload, notices)
        if current is None or current.step is Step.WELCOME:
            # A second plain /start keeps a class chosen by an earlier class link.
            progress = Progress(
                school_id=current.school_id if current else None,
                class_id=current.class_id if current else None,
            )
            if klass is not None:
                progress = replace(progress, school_id=klass.school_id, class_id=klass.id)
            return Outcome(progress, user, notices)
        progress = current
        if klass is not None:
            progress = replace(progress, school_id=klass.school_id, class_id=klass.id)
            if user.consented and not await self._has_name(user):
                progress = progress.at(Step.NAME)  # the teacher must know who asks
            elif progress.step in (Step.SCHOOL, Step.CLASS):
                progress = progress.at(Step.DEVICE)
        moved = await self._record(user, current, progress)
        notices = [("welcome-back", {}), *notices, *_moved_notices(moved)]
        return Outcome(progress, user, notices, moved=moved)

    async def _class_from_payload(
        self, payload: str | None, notices: list[Notice]
    ) -> SchoolClass | None:
        if not payload:
            return None
        match = DEEP_LINK.match(payload)
        klass = await self.schools.class_by_code(match.group(1)) if match else None
        if klass is None:
            notices.append(("deeplink-unknown", {}))
        else:
            notices.append(
                ("deeplink-class-set", {"class": klass.name, "school": klass.school_name})
            )
        return klass

    # --- buttons -------------------------------------------------------------------------

    async def press(
        self,
        user: User,
        progress: Progress,
        action: Action,
        value: int,
        *,
        username: str | None = None,
    ) -> Outcome:
        """A button of the current step (the caller has checked the step and the action);
        `username` is kept if the press gives consent (the notice names it)."""
        step = progress.step
        if action in IN_PLACE:
            if action is Action.PAGE:
                progress = replace(progress, school_page=max(0, value))
            return Outcome(progress, user, in_place=True)
        if action in (Action.AGREE, Action.DECLINE):  # the greeting or the full notice
            return await self._consent(
                user, progress, agreed=action is Action.AGREE, username=username
            )
        if action is Action.SCHOOL:
            return await self._pick_school(user, progress, value)
        if action is Action.CLASS:
            return await self._pick_class(user, progress, value)
        moved = forward(progress, action)
        notices: list[Notice] = []
        opened: Opened | None = None
        if action is Action.SENT:
            moved = progress.at(Step.DONE)
            opened = await self._open_request(user, progress, 1, notices)
        elif moved.step is Step.VARIANT2 and step is Step.VARIANT:
            klass = await self._class(progress)
            if klass is None or not klass.invite_link:
                opened = await self._open_request(user, progress, 2, notices, quiet=True)
        await self._record(user, progress, moved)
        return Outcome(moved, user, notices, opened=opened)

    async def _consent(
        self, user: User, progress: Progress, *, agreed: bool, username: str | None
    ) -> Outcome:
        if not agreed:
            moved = None
            if user.consented:  # given before a /restart: declining now withdraws it
                withdrawn = await self.requests.withdraw_pending(user.id)
                moved = Moved(withdrawn, "") if withdrawn else None
                await self.users.withdraw_consent(user.id)
                user = replace(user, consent_at=None, consent_version=None, username=None)
            return Outcome(progress.at(Step.DEVICE), user, [("consent-declined", {})], moved=moved)
        given_at = await self.users.set_consent(user.id, CONSENT_VERSION, username)
        user = replace(
            user, consent_at=given_at, consent_version=CONSENT_VERSION, username=username
        )
        after = progress.at(Step.NAME if progress.class_id else Step.SCHOOL)
        await self._record(user, progress, after)
        return Outcome(after, user)

    async def _pick_school(self, user: User, progress: Progress, school_id: int) -> Outcome:
        school = await self.schools.get(school_id)
        if school is None:
            return Outcome(progress, user, [("school-gone", {})])
        moved = replace(progress, step=Step.CLASS, school_id=school.id, class_id=None)
        await self._record(user, progress, moved)
        return Outcome(moved, user)

    async def _pick_class(self, user: User, progress: Progress, class_id: int) -> Outcome:
        klass = await self.schools.get_class(class_id)
        if klass is None or klass.school_id != progress.school_id:
            return Outcome(progress, user, [("class-gone", {})])
        after = replace(
            progress, step=Step.NAME if user.consented else Step.DEVICE, class_id=klass.id
        )
        moved = await self._record(user, progress, after)
        return Outcome(after, user, _moved_notices(moved), moved=moved)

    async def _open_request(
        self,
        user: User,
        progress: Progress,
        variant: int,
        notices: list[Notice],
        *,
        quiet: bool = False,
    ) -> Opened | None:
        """Record a join request if the student consented and has a class. A new one is to be
        delivered (the caller then says who got it); a repeated tap is told where it is."""
        klass = await self._class(progress)
        if not user.consented or klass is None:
            if not quiet:
                notices.append(
                    ("request-not-sent" if not user.consented else "request-no-class", {})
                )
            return None
        request_id, created = await self.requests.open_pending(user.id, klass.id, variant)
        if created:
            return Opened(request_id, variant, klass.name)
        if not quiet:
            request = await self.requests.get(request_id)
            reached = request.reached if request and request.reached else "nobody"
            notices.append(("request-already", {"class": klass.name, "reached": reached}))
        return None

    # --- typed text ------------------------------------------------------------------------

    async def type_text(self, user: User, progress: Progress, text: str) -> Outcome:
        """Text typed at a step that takes text (school search, class name, the student's name)."""
        if progress.step is Step.SCHOOL:
            if len(text) > SCHOOL_QUERY_MAX:
                return Outcome(progress, user, [("hint-school-query-too-long", {})])
            return Outcome(
                replace(progress, school_query=" ".join(text.split()), school_page=0), user
            )
        if progress.step is Step.CLASS:
            wanted = "".join(text.split()).casefold()
            for klass in await self.schools.classes(progress.school_id or 0):
                if "".join(klass.name.split()).casefold() == wanted:
                    return await self._pick_class(user, progress, klass.id)
            return Outcome(progress, user, [("hint-press-button", {})])
        if progress.step is Step.NAME:
            name = clean_name(text)
            if isinstance(name, NameProblem):
                return Outcome(progress, user, [(f"name-error-{name.value}", {})])
            moved = progress.at(Step.DEVICE)
            await self._record(user, progress, moved)
            await self.students.set_name(user.id, name)
            return Outcome(moved, user, [("name-saved", {"name": name})])
        return Outcome(progress, user, [("hint-press-button", {})])

    # --- what to show --------------------------------------------------------------------

    async def view(self, user: User, progress: Progress) -> StepView:
        """Load just what the current step's screen needs."""
        step = progress.step
        view = StepView(progress, user.consented)
        if step is Step.SCHOOL:
            query, page = progress.school_query, progress.school_page
            schools, total = await self.schools.search(
                query, page * SCHOOLS_PER_PAGE, SCHOOLS_PER_PAGE
            )
            if not schools and total:  # a page button of an older, longer list
                page = (total - 1) // SCHOOLS_PER_PAGE
                schools, total = await self.schools.search(
                    query, page * SCHOOLS_PER_PAGE, SCHOOLS_PER_PAGE
                )
                view = replace(view, progress=replace(progress, school_page=page))
            return replace(view, schools=schools, schools_total=total)
        if step is Step.CLASS:
            school = await self.schools.get(progress.school_id or 0)
            classes = await self.schools.classes(school.id) if school else []
            return replace(view, school=school, classes=classes)
        if step in (Step.WELCOME, Step.CONSENT) and self._keep_until is not None:
            return replace(view, keep_until=self._keep_until())
        if step is Step.VARIANT2 and user.consented:
            klass = await self._class(progress)
            request = await self.requests.latest_for_student(user.id)
            if request is not None and (
                request.variant != 2 or klass is None or request.class_id != klass.id
            ):
                request = None
            return replace(view, klass=klass, request=request)
        if step in (Step.NAME, Step.VARIANT2, Step.CHAT):
            return replace(view, klass=await self._class(progress))
        if step is Step.DONE:
            return await self.summary(user, progress)
        return view

    async def summary(self, user: User, progress: Progress) -> StepView:
        """Everything known about the student, for the final screen and /status."""
        klass = await self._class(progress)
        record = await self.students.get(user.id) if user.consented else None
        request = await self.requests.latest_for_student(user.id) if user.consented else None
        return StepView(
            progress,
            user.consented,
            klass=klass,
            full_name=record.full_name if record else None,
            request=request,
        )

    # --- persistence -----------------------------------------------------------------------

    async def restart(self, user: User) -> Progress:
        progress = Progress()
        await self._record(user, None, progress)
        return progress

    async def forget(self, user_id: int) -> list[Withdrawn]:
        """Erase the user; returns their requests that were still open (their cards must go)."""
        withdrawn = await self.requests.withdraw_pending(user_id)
        await self.erasure.forget(user_id)
        return withdrawn

    async def _has_name(self, user: User) -> bool:
        record = await self.students.get(user.id)
        return record is not None and bool(record.full_name)

    async def _class(self, progress: Progress) -> SchoolClass | None:
        return await self.schools.get_class(progress.class_id) if progress.class_id else None

    async def _record(self, user: User, before: Progress | None, after: Progress) -> Moved | None:
        """Mirror the progress into the student's record (consenting students only). A new
        class takes the student's pending requests along: withdrawn from the old class, opened
        in the new one."""
        if not user.consented or before == after:
            return None
        # A class an admin has removed since is no class at all.
        klass = await self._class(after)
        await self.students.save_progress(
            StudentRecord(
                user_id=user.id,
                step=after.step.value,
                class_id=klass.id if klass else None,
                device=after.device.value if after.device else None,
                gosuslugi=after.gosuslugi,
                variant=after.variant,
                finished_at=utcnow() if after.step is Step.DONE else None,
            )
        )
        if klass is None or (before is not None and before.class_id == klass.id):
            return None
        return await self._move_requests(user, klass)

    async def _move_requests(self, user: User, klass: SchoolClass) -> Moved | None:
        withdrawn = await self.requests.withdraw_pending(user.id, keep_class_id=klass.id)
        if not withdrawn:
            return None
        variant = withdrawn[-1].request.variant
        opened = None
        if variant == 1 or not klass.invite_link:  # variant 2 with a link needs no request
            request_id, created = await self.requests.open_pending(user.id, klass.id, variant)
            opened = Opened(request_id, variant, klass.name) if created else None
        return Moved(withdrawn, klass.name, opened)


def _moved_notices(moved: Moved | None) -> list[Notice]:
    if moved is None:
        return []
    return [("request-moved", {"class": moved.to_class})]
