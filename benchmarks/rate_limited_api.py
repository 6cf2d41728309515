"""The sandbox's Bot API server with Telegram's global flood limit on, and what a benchmark reads.

Every send beyond `limit` in any sliding one-second window is answered 429 with `retry_after`
and not delivered (`sandbox.flood_limits`). Accepted sends of the broadcast (its text, when
given) are counted per chat, so a benchmark can tell lost recipients and duplicates apart; the
bot's other sends (its answers) are counted apart, and 429s over all of them.
"""

from __future__ import annotations

import collections
from collections.abc import Iterable

from sandbox.bot_api import BotApiServer
from sandbox.flood_limits import WINDOW, FloodLimits
from sandbox.models import ApiCall

SEND_METHODS = frozenset({"sendMessage", "copyMessage"})


class RateLimitedBotApi:
    """Start with `await api.start()` (returns the base URL), stop with `await api.stop()`."""

    def __init__(
        self,
        token: str,
        chats: Iterable[int],
        limit: int = 30,
        latency: float = 0.0,
        broadcast_text: str | None = None,
    ) -> None:
        self.broadcast_text = broadcast_text  # None: every send is the broadcast's
        self.server = BotApiServer(token, bot_username="bench_bot", bot_name="Bench")
        self.limits = FloodLimits(per_second=limit)
        self.server.flood_limits = self.limits
        # A real network's round trip (Telegram's is ~50 ms): each send answered that much later.
        for method in SEND_METHODS:
            self.server.delays[method] = latency
        for chat_id in chats:
            self.server.add_user(chat_id, "Student")

    async def start(self) -> str:
        await self.server.start()
        return self.server.url

    async def stop(self) -> None:
        await self.server.stop()

    # --- what the benchmark reads ----------------------------------------------------------

    def is_broadcast(self, call: ApiCall) -> bool:
        return self.broadcast_text is None or call.params.get("text") == self.broadcast_text

    def _sends(self) -> list[ApiCall]:
        return [c for c in self.server.calls if c.method in SEND_METHODS and c.done]

    @property
    def accepted(self) -> list[float]:
        """time.monotonic() of every accepted send of the broadcast, in order."""
        return [c.at for c in self._sends() if c.ok and self.is_broadcast(c)]

    @property
    def other_sends(self) -> int:
        """Accepted sends that are not the broadcast (the bot's answers)."""
        return sum(1 for c in self._sends() if c.ok and not self.is_broadcast(c))

    @property
    def deliveries(self) -> collections.Counter[int]:
        """Chat id -> accepted sends of the broadcast."""
        return collections.Counter(
            int(c.params["chat_id"]) for c in self._sends() if c.ok and self.is_broadcast(c)
        )

    @property
    def rejected_429(self) -> int:
        return self.limits.refused

    @property
    def requests(self) -> int:
        """Send requests (the broadcast's and the answers), answered 200 or 429."""
        return len(self._sends())

    @property
    def sent(self) -> int:
        return len(self.accepted)

    @property
    def duplicates(self) -> int:
        return sum(count - 1 for count in self.deliveries.values() if count > 1)

    @property
    def max_in_window(self) -> int:
        """The most accepted sends seen in one sliding window."""
        times, most, first = self.accepted, 0, 0
        for last, at in enumerate(times):
            while times[first] <= at - WINDOW:
                first += 1
            most = max(most, last - first + 1)
        return most

    def span(self) -> float:
        """Seconds from the first accepted send to the last."""
        accepted = self.accepted
        return accepted[-1] - accepted[0] if len(accepted) > 1 else 0.0
