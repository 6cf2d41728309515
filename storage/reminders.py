"""Who is due for a reminder, what was already sent, and each user's reminder preferences.

Timestamps are ISO-8601 UTC strings (storage.db.utcnow), so they compare as text. Callers pass
the cut-off times in, so tests can run the clock forward.

A step nudge is recorded once per (user, step): the unique index makes the claim atomic, so two
runs (or two processes) never both claim it. The monthly e-journal reminder gets a new row each
time it is sent; the newest row says when the next one is due.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from storage.db import Database, placeholders
from storage.users import set_reminders_off

STUCK = "stuck"
MONTHLY = "monthly"


@dataclass(frozen=True, slots=True)
class Due:
    user_id: int
    locale: str | None
    step: str | None = None  # the step a stuck student is on; None for the monthly reminder


class RemindersRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    # --- who is due ----------------------------------------------------------------------

    async def stuck(self, before: str, steps: Sequence[str]) -> list[Due]:
        """Students on one of `steps` since before `before`, not yet nudged about that step
        (one index search per step: students_unfinished_by_step)."""
        marks = placeholders(steps)
        rows = await self._db.fetchall(
            f"""
            SELECT s.user_id, s.step, coalesce(u.locale, u.app_locale) AS locale
            FROM students s JOIN users u ON u.id = s.user_id
            WHERE s.finished_at IS NULL AND s.step IN ({marks}) AND s.step_at <= ?
              AND u.consent_at IS NOT NULL AND u.blocked_at IS NULL AND u.reminders_off = 0
              AND NOT EXISTS (SELECT 1 FROM reminders r WHERE r.user_id = s.user_id
                              AND r.kind = '{STUCK}' AND r.step = s.step)
            ORDER BY s.user_id
            """,
            (*steps, before),
        )
        return [Due(r["user_id"], r["locale"], r["step"]) for r in rows]

    async def monthly(self, before: str) -> list[Due]:
        """Variant 1/2 students without a Госуслуги account who finished before `before` and
        had no e-journal reminder since `before`, until they link it or switch reminders off."""
        rows = await self._db.fetchall(
            f"""
            SELECT s.user_id, coalesce(u.locale, u.app_locale) AS locale
            FROM students s JOIN users u ON u.id = s.user_id
            WHERE s.finished_at IS NOT NULL AND s.finished_at <= :before
              AND s.variant IN (1, 2) AND coalesce(s.gosuslugi, 0) = 0
              AND s.epos_linked_at IS NULL
              AND u.consent_at IS NOT NULL AND u.blocked_at IS NULL AND u.reminders_off = 0
              AND NOT EXISTS (SELECT 1 FROM reminders r WHERE r.user_id = s.user_id
                              AND r.kind = '{MONTHLY}' AND r.sent_at > :before)
            ORDER BY s.user_id
            """,
            {"before": before},
        )
        return [Due(r["user_id"], r["locale"]) for r in rows]

    # --- what was sent -------------------------------------------------------------------

    async def claim_stuck(self, user_ids: Iterable[int], step: str, now: str) -> list[int]:
        """Records the nudge about `step` for these users; returns those not nudged before."""
        ids = list(dict.fromkeys(user_ids))

        def work(conn: sqlite3.Connection) -> list[int]:
            claimed = []
            for user_id in ids:
                cursor = conn.execute(
                    "INSERT OR IGNORE INTO reminders (user_id, kind, step, sent_at)"
                    " VALUES (?, ?, ?, ?)",
                    (user_id, STUCK, step, now),
                )
                if cursor.rowcount:
                    claimed.append(user_id)
            return claimed

        claimed: list[int] = await self._db.run(work)
        return claimed

    async def record_monthly(self, user_ids: Iterable[int], now: str) -> None:
        ids = list(dict.fromkeys(user_ids))

        def work(conn: sqlite3.Connection) -> None:
            conn.executemany(
                "INSERT INTO reminders (user_id, kind, step, sent_at) VALUES (?, ?, NULL, ?)",
                [(user_id, MONTHLY, now) for user_id in ids],
            )

        await self._db.run(work)

    # --- preferences ---------------------------------------------------------------------

    async def is_off(self, user_id: int) -> bool:
        row = await self._db.fetchone("SELECT reminders_off FROM users WHERE id = ?", (user_id,))
        return bool(row["reminders_off"]) if row else False

    async def set_off(self, user_id: int, off: bool) -> None:
        await self._db.run(lambda conn: set_reminders_off(conn, user_id, off))

    async def set_epos_linked(self, user_id: int, now: str) -> bool:
        """The student says the e-journal is linked; False if they have no record."""
        changed = await self._db.execute(
            "UPDATE students SET epos_linked_at = coalesce(epos_linked_at, ?) WHERE user_id = ?",
            (now, user_id),
        )
        return changed > 0
