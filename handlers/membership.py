"""Telegram's word that a user blocked or unblocked the bot (my_chat_member in their private
chat): a blocked user is left out of broadcasts and reminders at once, an unblocked one is in
again. (A send that fails with 403 marks them too, in the delivery engine.)"""

from __future__ import annotations

from aiogram import Router
from aiogram.enums import ChatMemberStatus, ChatType
from aiogram.types import ChatMemberUpdated

from storage.users import UsersRepo


async def on_membership(event: ChatMemberUpdated, users: UsersRepo) -> None:
    if event.chat.type != ChatType.PRIVATE:
        return  # the bot is not used in groups
    status = event.new_chat_member.status
    if status in (ChatMemberStatus.KICKED, ChatMemberStatus.MEMBER):
        await users.set_blocked(event.from_user.id, status == ChatMemberStatus.KICKED)


def make_router() -> Router:
    router = Router(name=__name__)
    router.my_chat_member.register(on_membership)
    return router
