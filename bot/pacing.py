"""Pacing of every message the bot sends in bulk: evenly spaced slots at a global rate and at
most one message per interval into a chat (bot/delivery.py takes a slot before each send;
replies spend one without waiting, ui/send_budget.py)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

MAX_OWED = 1.0  # seconds of slots replies may take ahead of the engine (OutboundLimiter.spend)

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


class OutboundLimiter:
    """Evenly spaced send slots: one every 1/rate seconds globally, one per interval per chat.

    No burst: a slot is never earlier than the previous one plus 1/rate, and idle time is not
    saved up. `pause(seconds)` holds every slot back (a 429 answer).
    """

    def __init__(
        self,
        rate: float,
        per_chat_interval: float = 1.0,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.interval = 1.0 / rate
        self.per_chat_interval = per_chat_interval
        self._clock = clock
        self._sleep = sleep
        self._next = float("-inf")  # the earliest next global slot
        self._paused_until = float("-inf")
        self._chat_next: dict[int, float] = {}
        self._lock = asyncio.Lock()

    def pause(self, seconds: float) -> None:
        self._paused_until = max(self._paused_until, self._clock() + seconds)

    def spend(self) -> None:
        """A message the bot sent outside the engine (a reply): Telegram's ~30/s is per bot, so
        it takes the next slot and the engine's next send comes one slot later. Never waits.
        At most a second's worth of slots is owed: past that the replies alone are over the
        limit, and holding the engine back longer would not help them."""
        now = self._clock()
        self._next = min(max(self._next, now) + self.interval, now + MAX_OWED)

    async def acquire(self, chat_id: int) -> float:
        """Waits for the next slot into `chat_id`; returns its time on the limiter's clock."""
        async with self._lock:  # FIFO: slots are handed out in the order asked for
            while True:
                now = self._clock()
                ready = max(self._next, self._paused_until, self._chat_next.get(chat_id, now))
                if ready <= now:
                    break
                await self._sleep(ready - now)
            # Late by less than a slot (timer jitter): keep the grid, so the rate holds. Idle
            # for longer: start from now, so nothing saved up is spent in a burst.
            slot = ready if now - ready < self.interval else now
            self._next = slot + self.interval
            if self.per_chat_interval > 0:
                if len(self._chat_next) > 10_000:
                    self._chat_next = {c: t for c, t in self._chat_next.items() if t > now}
                self._chat_next[chat_id] = now + self.per_chat_interval
            return now
