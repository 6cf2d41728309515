"""aiogram routers only; the order of get_routers() is the order of matching."""

from __future__ import annotations

from aiogram import Router

from handlers import (
    broadcast,
    common,
    decisions,
    fallback,
    membership,
    reminders,
    school_admin,
    stats,
    student,
    super_admin,
    teacher,
    teacher_tools,
)
from ui.filters import HandlersGate, PrivateChat


def get_routers() -> list[Router]:
    """Fresh routers for one dispatcher: the wizard first (most updates are its buttons and
    answers; it takes no command), then the commands, then the fallbacks for everything else."""
    routers = [
        student.make_router(),
        teacher.make_router(),  # before the commands: /start i_<token> is an invite
        decisions.make_router(),  # before common: /cancel while a reason is typed
        teacher_tools.make_router(),
        stats.make_router(),
        super_admin.make_router(),
        school_admin.make_router(),
        broadcast.make_router(),  # before common: /cancel while a message is awaited
        reminders.make_router(),
        membership.make_router(),
        common.make_router(),
        fallback.make_router(),
    ]
    for router in routers:
        router.message.filter(PrivateChat())
        router.edited_message.filter(PrivateChat())
        # Made from the handlers above: a message none of them could take skips the router.
        gate = HandlersGate.of(router.message.handlers)
        if gate is not None:
            router.message.filter(gate)
    return routers
