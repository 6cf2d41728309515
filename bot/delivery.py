"""The one delivery engine for bulk sends (broadcasts, reminders), within Telegram's limits.

Pacing. Every bulk send takes a slot from one `OutboundLimiter`: slots are spaced evenly at
1/rate seconds (default 28 msg/s, under Telegram's ~30 in any one-second window), no credit is
saved up while idle, so the sender never bursts; a chat gets at most one message per
`per_chat_interval` (1 s). With `allow_paid_broadcast` on, the requests carry that flag and the
rate may go up to 1000 msg/s (Telegram charges Stars for it).

Interactive traffic. Handlers call the Bot directly and never wait for a slot here: the engine
runs as its own background task with its own pacing, so a student's reply is never queued behind
a broadcast, and a 429 pause of the engine pauses only the engine. But Telegram's ~30 msg/s is
per bot, replies included: every reply spends a slot (`OutboundLimiter.spend`, counted by
ui/send_budget.py), so the engine sends that much less and the total stays at the rate.

Errors. The engine sends through a `Sender` (ui/telegram_sender.py for aiogram), which maps
the messenger's errors onto four kinds:
- RetryAfter (Telegram's 429): the whole sender pauses exactly `retry_after` seconds, then the
  same message is sent again; not counted as an attempt or a failure.
- Unreachable (blocked by the user, user deactivated, chat not found): the recipient becomes
  `blocked`, the user is marked inactive (`users.blocked_at`) and left out of later broadcasts;
  never retried.
- Transient (5xx, network errors): retried with exponential backoff up to `max_attempts` sends
  in all, then `failed` with the reason. These errors are nearly always Telegram-wide, so the
  sender waits out the backoff instead of hammering the API with the next recipients.
- Rejected (another 400): `failed` with the reason, not retried.
- Any other error: `failed` with the reason, not retried.

Durability. Every state change is written to SQLite (storage/broadcasts.py) before the next send
into that slot begins. An audience's recipients are read from it and written in chunks, each its own
short transaction (nobody's press waits behind 100 000 rows); nothing is sent before the last chunk
is in. After a crash or a restart, `start()` resumes every unfinished broadcast by itself: a list
cut off between two chunks is completed from where it ended (nobody lost, nobody twice), then sent
to its pending recipients. A send whose answer had not been recorded when the process died is sent
again: with the default `max_in_flight=4` (what reaches the rate at Telegram's ~50 ms round trip;
one at a time reaches ~17/s) that is at most FOUR messages sent twice per crash (with
`max_in_flight=N`, at most N). A graceful `stop()` lets the send in flight finish and be recorded
first, so a clean shutdown sends nothing twice. A crash in the middle of a database write loses
nothing: each write is one transaction, the recipient stays `pending` and is sent on resume.

Cancel. `cancel(id)` marks the broadcast cancelled; no send for it starts afterwards (the one in
flight may complete and is recorded); recipients not reached stay `pending`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from bot.pacing import OutboundLimiter
from storage.audiences import Selection
from storage.broadcasts import (
    Broadcast,
    BroadcastsRepo,
    Counts,
    Payload,
    Recipient,
)

log = logging.getLogger(__name__)


class SendFailure(Exception):
    """A message that did not go out, as the sender reports it (the messenger's own errors
    mapped onto these): `reason` is what the broadcast's record keeps."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class RetryAfter(SendFailure):
    """Flood control: the whole sender pauses, then the same message is sent again."""

    def __init__(self, reason: str, retry_after: float) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class Unreachable(SendFailure):
    """Blocked by the user, deactivated, or no such chat: left out from now on."""


class Rejected(SendFailure):
    """The messenger refused this message for this recipient: failed, not retried."""


class Transient(SendFailure):
    """A server or network error: retried with backoff."""


class Sender(Protocol):
    """How the engine reaches a messenger: one message to one chat; returns its message id,
    raises a SendFailure."""

    async def send(self, chat_id: int, payload: Payload, *, paid: bool) -> int: ...


FREE_RATE_LIMIT = 30.0  # Telegram: about 30 messages per second across all chats
PAID_RATE_LIMIT = 1000.0  # with allow_paid_broadcast

Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class DeliveryLimits:
    """How the engine paces and retries; app/config.py loads them from DELIVERY_* and checks them
    against Telegram's limits."""

    allow_paid_broadcast: bool = False
    rate: float = 28.0  # messages per second, global
    per_chat_interval: float = 1.0  # seconds between two sends into a chat
    max_attempts: int = 3  # sends in all on 5xx / network errors
    backoff_base: float = 1.0  # seconds before the 1st retry, then doubled
    backoff_max: float = 30.0
    batch_size: int = 200  # recipients read per query
    # Sends at once: at Telegram's ~50 ms round trip one at a time reaches ~17/s, four reach the
    # rate (benchmarks/broadcast.py --latency-ms 50); each may be sent twice after a crash.
    max_in_flight: int = 4


class DeliveryEngine:
    """Delivers broadcasts in the background; start()/stop() are the app's startup/shutdown."""

    def __init__(
        self,
        repo: BroadcastsRepo,
        limits: DeliveryLimits,
        *,
        limiter: OutboundLimiter | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.repo = repo
        self.limits = limits
        self.limiter = limiter or OutboundLimiter(limits.rate, limits.per_chat_interval)
        self._sleep = sleep
        self._sender: Sender | None = None
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self._stopping = False
        self._cancelled: set[int] = set()
        self._filling: set[int] = set()  # broadcasts whose recipients a caller is writing now
        self._waiters: dict[int, asyncio.Event] = {}

    # --- lifecycle -------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def start(self, sender: Sender) -> None:
        """Starts the background sender; unfinished broadcasts resume by themselves."""
        if self.running:
            return
        self._sender = sender
        self._stopping = False
        self._wake.set()  # the first round looks for unfinished broadcasts
        self._task = asyncio.create_task(self._run(), name="delivery-engine")

    async def stop(self, timeout: float = 10.0) -> None:
        """Lets the send in flight finish and be recorded, then stops (cancels after timeout)."""
        task = self._task
        if task is None:
            return
        self._stopping = True
        self._wake.set()
        try:
            await asyncio.wait_for(asyncio.shield(task), timeout)
        except TimeoutError:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        finally:
            self._task = None

    async def resume(self) -> list[int]:
        """The ids of unfinished broadcasts, and a nudge for the sender to take them up."""
        ids = [broadcast.id for broadcast in await self.repo.unfinished()]
        self._wake.set()
        return ids

    # --- broadcasts ------------------------------------------------------------------------

    async def broadcast(
        self,
        created_by: int,
        audience: str,
        payload: Payload,
        recipients: Selection | Iterable[int],
    ) -> tuple[int, int]:
        """Stores a new broadcast to an audience or a list of chats (users marked blocked left
        out) and queues it; an audience is read once, here, in chunks.

        Returns (broadcast id, recipient count). Delivery happens in the background.
        """
        if not isinstance(recipients, Selection):
            broadcast_id, count = await self.repo.create(created_by, audience, payload, recipients)
        else:
            broadcast_id = await self.repo.create_filling(created_by, audience, payload, recipients)
            self._filling.add(broadcast_id)  # the sender leaves it to this call
            try:
                count, done = 0, False
                while not done:
                    added, done = await self.repo.fill(broadcast_id)
                    count += added
            finally:
                self._filling.discard(broadcast_id)
        self._wake.set()
        return broadcast_id, count

    async def cancel(self, broadcast_id: int) -> bool:
        """Stops a broadcast: no further send for it starts. False if it had already ended."""
        self._cancelled.add(broadcast_id)
        cancelled = await self.repo.cancel(broadcast_id)
        self._notify(broadcast_id)
        return cancelled

    async def counts(self, broadcast_id: int) -> Counts:
        return await self.repo.counts(broadcast_id)

    async def wait(self, broadcast_id: int) -> Broadcast | None:
        """Waits until the broadcast is done or cancelled; returns its final record."""
        broadcast = await self.repo.get(broadcast_id)
        while broadcast is not None and broadcast.status not in ("done", "cancelled"):
            event = self._waiters.setdefault(broadcast_id, asyncio.Event())
            broadcast = await self.repo.get(broadcast_id)  # again: a notice may have gone by
            if broadcast is None or broadcast.status in ("done", "cancelled"):
                break
            await event.wait()
            broadcast = await self.repo.get(broadcast_id)
        return broadcast

    # --- the sender ------------------------------------------------------------------------

    async def _run(self) -> None:
        while not self._stopping:
            self._wake.clear()
            worked = False
            try:
                for broadcast in await self.repo.unfinished():
                    if self._stopping:
                        return
                    worked = await self._round(broadcast) or worked
            except asyncio.CancelledError:
                raise
            except Exception:  # the database hiccuped: try again shortly, never die
                log.exception("delivery round failed")
                await self._sleep(1.0)
                continue
            if not worked:  # nothing to send (or only lists being written): wait for news
                await self._wake.wait()

    async def _round(self, broadcast: Broadcast) -> bool:
        """One batch of a broadcast: broadcasts take turns, so a long one starves none.
        False if there was nothing to do for it now."""
        bid = broadcast.id
        if bid in self._cancelled or bid in self._filling:
            return False
        if broadcast.filling:  # cut off by a restart while its recipients were being written
            await self.repo.fill(bid)
            return True
        if broadcast.status == "pending":
            await self.repo.mark_running(bid)
        batch = await self.repo.next_batch(bid, self.limits.batch_size)
        if batch:
            queue: asyncio.Queue[Recipient] = asyncio.Queue()
            for recipient in batch:
                queue.put_nowait(recipient)
            workers = min(self.limits.max_in_flight, len(batch))
            await asyncio.gather(*(self._worker(broadcast, queue) for _ in range(workers)))
        # The last batch: done (and its waiters told) in this round, not after everyone's next
        # batch, so a small broadcast (a class link) is not kept waiting behind a big one.
        if len(batch) < self.limits.batch_size:
            if await self.repo.finish(bid):
                counts = await self.repo.counts(bid)
                log.info(
                    "broadcast %s done: %s sent, %s failed, %s blocked of %s",
                    bid,
                    counts.sent,
                    counts.failed,
                    counts.blocked,
                    counts.total,
                )
            self._notify(bid)
        return True

    async def _worker(self, broadcast: Broadcast, queue: asyncio.Queue[Recipient]) -> None:
        while not queue.empty():
            if self._stopping or broadcast.id in self._cancelled:
                return
            await self._deliver(broadcast, queue.get_nowait())

    async def _deliver(self, broadcast: Broadcast, recipient: Recipient) -> None:
        """Sends to one recipient until it reaches a final state (or the engine stops)."""
        bid, chat_id = broadcast.id, recipient.chat_id
        attempts = recipient.attempts
        while True:
            if attempts >= self.limits.max_attempts:  # retries used up before a restart
                await self.repo.mark_failed(bid, chat_id, "retries exhausted")
                return
            await self.limiter.acquire(chat_id)
            if self._stopping or bid in self._cancelled:
                return
            try:
                message_id = await self._send(broadcast.payload, chat_id)
            except RetryAfter as exc:
                log.warning("429 from Telegram: pausing the sender %ss", exc.retry_after)
                self.limiter.pause(exc.retry_after)
                continue  # the same message again; not an attempt
            except Unreachable as exc:
                await self.repo.mark_blocked(bid, chat_id, exc.reason)
                return
            except Rejected as exc:
                await self.repo.mark_failed(bid, chat_id, exc.reason)
                return
            except Transient as exc:
                attempts += 1
                if attempts >= self.limits.max_attempts:
                    await self.repo.mark_failed(bid, chat_id, exc.reason)
                    return
                await self.repo.note_attempt(bid, chat_id, exc.reason)
                await self._sleep(self._backoff(attempts))
                continue
            except Exception as exc:  # anything else is this recipient's failure, not ours
                await self.repo.mark_failed(bid, chat_id, _reason(exc))
                return
            await self.repo.mark_sent(bid, chat_id, message_id)
            return

    def _backoff(self, attempts: int) -> float:
        """Seconds to wait after the n-th failed attempt: base, 2*base, 4*base, ..."""
        return float(min(self.limits.backoff_max, self.limits.backoff_base * 2 ** (attempts - 1)))

    async def _send(self, payload: Payload, chat_id: int) -> int:
        sender = self._sender
        assert sender is not None, "start() the engine first"
        return await sender.send(chat_id, payload, paid=self.limits.allow_paid_broadcast)

    def _notify(self, broadcast_id: int) -> None:
        event = self._waiters.pop(broadcast_id, None)
        if event is not None:
            event.set()


def _reason(exc: Exception) -> str:
    message = getattr(exc, "message", None) or str(exc)
    return f"{type(exc).__name__}: {message}"
