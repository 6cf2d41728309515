"""/broadcast as a service: the menus an admin picks an audience from, the preview's count, the
start of a broadcast and its stop. Every method returns a plain result; ui/broadcast_screens.py
turns it into a message.

Rights are checked on every call from the database (bot/broadcast_audience.py: `check`), never
from a button's data, and before anyone in an audience is counted or listed. An audience is
counted for what the admin is shown (the pick, the preview) and listed once, by `start`, right
before the list is handed to the delivery engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot import broadcast_audience as rules
from bot.access import Access
from bot.broadcast_audience import Audience, Menu, Target, may_cancel
from bot.delivery import DeliveryEngine
from bot.structure_admin import managed_schools
from bot.wizard import STUCK_STEPS, Step
from storage.audiences import AudiencesRepo
from storage.broadcasts import CopyPayload
from storage.schools import School, SchoolClass, SchoolsRepo


class Refusal(StrEnum):
    """Why a menu can't be shown."""

    FORBIDDEN = "forbidden"  # not this person's school, or no such school
    NO_SCHOOLS = "no-schools"
    NO_CLASSES = "no-classes"


class Stop(StrEnum):
    STOPPED = "stopped"
    FINISHED = "finished"  # it had already ended
    FORBIDDEN = "forbidden"  # not this person's broadcast, or no such broadcast


@dataclass(frozen=True, slots=True)
class RootView:
    super_admin: bool
    own_school: School | None  # an admin of exactly one school: that school, offered directly


@dataclass(frozen=True, slots=True)
class SchoolsView:
    as_audience: bool  # True: a school is the audience; False: whose classes to list
    schools: list[School]


@dataclass(frozen=True, slots=True)
class ClassesView:
    school: School
    classes: list[SchoolClass]


@dataclass(frozen=True, slots=True)
class StepsView:
    steps: tuple[Step, ...] = STUCK_STEPS


MenuView = RootView | SchoolsView | ClassesView | StepsView


@dataclass(frozen=True, slots=True)
class Preview:
    """A checked audience and how many people it reaches now."""

    target: Target
    count: int


@dataclass(frozen=True, slots=True)
class Started:
    target: Target
    broadcast_id: int
    total: int  # recipients stored (those who blocked the bot meanwhile left out)


class Broadcasts:
    def __init__(
        self, schools: SchoolsRepo, audiences: AudiencesRepo, delivery: DeliveryEngine
    ) -> None:
        self._schools = schools
        self._audiences = audiences
        self.delivery = delivery  # the engine a started broadcast runs on (its progress polls it)

    # --- the menus ------------------------------------------------------------------------------

    async def root(self, access: Access) -> RootView:
        if access.super_admin:
            return RootView(super_admin=True, own_school=None)
        own = await managed_schools(access, self._schools)
        return RootView(super_admin=False, own_school=own[0] if len(own) == 1 else None)

    async def menu(self, access: Access, menu: Menu, target: int = 0) -> MenuView | Refusal:
        match menu:
            case Menu.ROOT:
                return await self.root(access)
            case Menu.SCHOOLS | Menu.CLASS_SCHOOLS:
                choices = await managed_schools(access, self._schools)
                return SchoolsView(menu is Menu.SCHOOLS, choices) if choices else Refusal.NO_SCHOOLS
            case Menu.CLASSES:
                school = await self._schools.get(target)
                if school is None or not access.admin_of(school.id):
                    return Refusal.FORBIDDEN
                classes = await self._schools.classes(school.id)
                return ClassesView(school, classes) if classes else Refusal.NO_CLASSES
        return StepsView()

    # --- the audience: checked, counted, listed once ------------------------------------------

    async def preview(self, access: Access, audience: Audience | None) -> Preview | None:
        """The audience checked, then counted; None if this person may not reach it (or it is
        gone), and then nothing is counted."""
        target = None if audience is None else await rules.check(access, audience, self._schools)
        if target is None:
            return None
        return Preview(target, await rules.count(target, self._audiences))

    async def start(
        self, access: Access, audience: Audience | None, payload: CopyPayload
    ) -> Started | None:
        """The audience checked, then handed to the delivery engine, which reads it (the only
        time its ids are fetched, in chunks); None if this person may not reach it, and then
        nothing is listed."""
        target = None if audience is None else await rules.check(access, audience, self._schools)
        if target is None:
            return None
        broadcast_id, total = await self.delivery.broadcast(
            access.user_id, target.description, payload, rules.selection(target)
        )
        return Started(target, broadcast_id, total)

    # --- a running broadcast ----------------------------------------------------------------

    async def stop(self, access: Access, broadcast_id: int) -> Stop:
        broadcast = await self.delivery.repo.get(broadcast_id)
        if broadcast is None or not may_cancel(access, broadcast.created_by):
            return Stop.FORBIDDEN
        return Stop.STOPPED if await self.delivery.cancel(broadcast.id) else Stop.FINISHED
