"""Telegram's flood limits for sending, so a bot's pacing and 429 handling can be tried locally.

Telegram documents about 30 messages a second to different chats and about one a second in one
chat; a send past them is refused with 429 and ``parameters.retry_after`` (whole seconds). Both
are sliding one-second windows here; only accepted sends count.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable

WINDOW = 1.0  # seconds


class FloodLimits:
    def __init__(
        self,
        per_second: int = 30,
        per_chat_per_second: int | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if per_second < 1 or (per_chat_per_second is not None and per_chat_per_second < 1):
            raise ValueError("a limit allows at least one message a second")
        self.per_second = per_second
        self.per_chat_per_second = per_chat_per_second
        self.refused = 0
        self._clock = clock
        self._sent: deque[float] = deque()
        self._sent_to: dict[int, deque[float]] = {}

    def check(self, chat_id: int) -> int | None:
        """None if one more send to `chat_id` fits now; else the whole seconds to wait."""
        now = self._clock()
        wait = max(
            _wait(self._sent, self.per_second, now),
            _wait(self._sent_to.get(chat_id, deque()), self.per_chat_per_second, now),
        )
        if wait > 0:
            self.refused += 1
            return max(1, math.ceil(wait))
        return None

    def record(self, chat_id: int) -> None:
        """A send was accepted: it counts against both windows."""
        now = self._clock()
        self._sent.append(now)
        self._sent_to.setdefault(chat_id, deque()).append(now)

    def admit(self, chat_id: int) -> int | None:
        """`check`, and `record` if the send fits."""
        retry_after = self.check(chat_id)
        if retry_after is None:
            self.record(chat_id)
        return retry_after


def _wait(sent: deque[float], limit: int | None, now: float) -> float:
    """Forgets sends older than the window; the time until one more fits under `limit`."""
    while sent and sent[0] <= now - WINDOW:
        sent.popleft()
    if limit is None or len(sent) < limit:
        return 0.0
    return sent[-limit] + WINDOW - now
