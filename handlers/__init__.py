"""aiogram routers only; the order of get_routers() is the order of matching."""

from __future__ import annotations

from aiogram import F, Router

from handlers import common, fallback, student


def get_routers() -> list[Router]:
    """Fresh routers for one dispatcher: commands first, then the wizard, then the fallbacks."""
    routers = [common.make_router(), student.make_router(), fallback.make_router()]
    for router in routers:
        # The bot talks to people one to one; in groups it stays silent.
        router.message.filter(F.chat.type == "private")
    return routers
