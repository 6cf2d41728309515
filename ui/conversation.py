"""One update's conversation with a student: where they are in the wizard, and how to answer.

Built per update by ConversationMiddleware and injected into handlers as `conversation`, so a
handler reads as what it does: take the progress, ask the onboarding service, save, show.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, replace

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, MaybeInaccessibleMessage, Message

from bot.i18n import Text
from bot.onboarding import Notice, Onboarding, Outcome
from bot.qr import qr_png
from bot.wizard import Progress
from storage.users import User
from ui.replies import edit_or_keep
from ui.screens import Screen, render, render_help
from ui.states import STATE_OF, step_of


@dataclass(slots=True)
class Conversation:
    bot: Bot
    chat_id: int
    user: User
    t: Text
    onboarding: Onboarding
    state: FSMContext
    raw_state: str | None
    # The message with the live keyboard, as last read or shown: a progress started afresh
    # (/start, /restart) no longer carries it.
    live_screen: int | None = None

    async def progress(self) -> Progress | None:
        """The student's place in the wizard, or None if they are not in it."""
        step = step_of(self.raw_state)
        if step is None:
            return None
        progress = Progress.from_data(step, await self.state.get_data())
        self.live_screen = progress.screen
        return progress

    async def save(self, before: Progress | None, after: Progress) -> None:
        """Write only what changed: most presses change the step or the data, seldom both."""
        if before is None or before.step is not after.step:
            await self.state.set_state(STATE_OF[after.step])
        data = after.to_data()
        if data != (before.to_data() if before else {}):
            # Only the wizard's own keys: a side conversation's data (a teacher who is also a
            # student, typing a link) stays.
            others = {
                k: v for k, v in (await self.state.get_data()).items() if k not in Progress.KEYS
            }
            await self.state.set_data({**others, **data})

    async def apply(self, before: Progress | None, outcome: Outcome) -> Progress:
        """Take an outcome of the onboarding service in: the user as it is now, the progress."""
        self.user = outcome.user
        await self.save(before, outcome.progress)
        return outcome.progress

    async def screen(self, progress: Progress, *, help_open: bool = False) -> Screen:
        """The current step's screen, or its help page."""
        view = await self.onboarding.view(self.user, progress)
        return render_help(self.t, view) if help_open else render(self.t, view)

    async def show(
        self, progress: Progress, notices: list[Notice] | None = None, *, header: str = ""
    ) -> None:
        """Send the current step as a new message, after any notices and a header."""
        lines = [self.t(key, **args) for key, args in notices or []]
        if header:
            lines.append(header)
        sent = await self.send(await self.screen(progress), "\n\n".join(lines))
        await self._hand_over(progress, sent.message_id)

    async def _hand_over(self, progress: Progress, message_id: int) -> None:
        """One live keyboard in the chat, as in aiogram-dialog: the step's previous message loses
        its buttons once the new one is there (an old button pressed anyway still answers
        "out of date")."""
        previous = self.live_screen
        if previous is not None and previous != message_id:
            # Deleted, too old, or without buttons already: nothing to take off.
            with suppress(TelegramAPIError):
                await edit_or_keep(self.bot, self.chat_id, previous, None)
        await self.save(progress, replace(progress, screen=message_id))
        self.live_screen = message_id

    async def send(self, screen: Screen, header: str = "") -> Message:
        for image in screen.qr:
            await self.bot.send_photo(
                self.chat_id,
                BufferedInputFile(qr_png(image.url), filename="qr.png"),
                caption=image.caption,
            )
        text = f"{header}\n\n{screen.text}" if header else screen.text
        return await self.bot.send_message(self.chat_id, text, reply_markup=screen.keyboard)

    async def redraw(self, message: MaybeInaccessibleMessage | None, screen: Screen) -> None:
        """Show `screen` in place of `message`; as a new message when it can't be edited."""
        if isinstance(message, Message) and await edit_or_keep(
            self.bot, message.chat.id, message.message_id, screen.text, screen.keyboard
        ):
            return
        await self.send(screen)  # too old to edit, or deleted

    async def say(self, key: str) -> None:
        await self.bot.send_message(self.chat_id, self.t(key))
