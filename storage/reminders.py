"""Who is due for a reminder, what was already sent, and each user's reminder preferences.

Timestamps are ISO-8601 UTC strings (storage.db.utcnow), so they compare as text. Callers pass
the cut-off times in, so tests can run the clock forward.

A step nudge is recorded once per (user, step): the unique index makes the claim atomic, so two
runs (or two processes) never both claim it. The monthly e-journal reminder gets a new row each
time it is sent; the newest row says when the next one is due.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial

from storage.db import Database, placeholders
from storage.users import set_reminders_off

STUCK = "stuck"
MONTHLY = "monthly"
TEACHER = "teacher"  # a teacher pressed "remind the stuck ones" (/stats): once a day at most


@dataclass(frozen=True, slots=True)
class Due:
    user_id: int
    locale: str | None
    step: str | None = None  # the step a stuck student is on; None for the monthly reminder


CLAIM_CHUNK = 500  # nudges recorded per transaction: ~10 ms at a region's size
DUE_PAGE = 500  # students read per query by a round


def _claim(conn: sqlite3.Connection, user_ids: list[int], step: str, now: str) -> list[int]:
    ids = json.dumps(user_ids)
    claimed = [  # INSERT OR IGNORE returns only the rows it inserted: those not nudged before
        row[0]
        for row in conn.execute(
            "INSERT OR IGNORE INTO reminders (user_id, kind, step, sent_at)"
            " SELECT value, ?, ?, ? FROM json_each(?) RETURNING user_id",
            (STUCK, step, now, ids),
        )
    ]
    conn.execute(  # nudged about this step: out of the next rounds' reading
        "UPDATE students SET nudged_step = step"
        " WHERE user_id IN (SELECT value FROM json_each(?)) AND step = ?",
        (ids, step),
    )
    return claimed


def _record_monthly(conn: sqlite3.Connection, user_ids: list[int], now: str) -> None:
    ids = json.dumps(user_ids)
    conn.execute(
        "INSERT INTO reminders (user_id, kind, step, sent_at)"
        " SELECT value, ?, NULL, ? FROM json_each(?)",
        (MONTHLY, now, ids),
    )
    conn.execute(  # the next one counts from now
        "UPDATE students SET monthly_since = ? WHERE user_id IN (SELECT value FROM json_each(?))",
        (now, ids),
    )


def _claim_teacher(
    conn: sqlite3.Connection, user_ids: list[int], since: str, now: str
) -> list[Due]:
    """Of these students, those a teacher may nudge now (unfinished, reminders on, the bot not
    blocked, no teacher's nudge since `since`), recorded as nudged in the same transaction."""
    rows = conn.execute(
        f"""
        SELECT s.user_id, s.step, coalesce(u.locale, u.app_locale) AS locale
        FROM students s JOIN users u ON u.id = s.user_id
        WHERE s.user_id IN (SELECT value FROM json_each(?)) AND s.finished_at IS NULL
          AND u.blocked_at IS NULL AND u.reminders_off = 0
          AND NOT EXISTS (SELECT 1 FROM reminders r WHERE r.user_id = s.user_id
                          AND r.kind = '{TEACHER}' AND r.sent_at >= ?)
        ORDER BY s.user_id
        """,
        (json.dumps(user_ids), since),
    ).fetchall()
    due = [Due(r["user_id"], r["locale"], r["step"]) for r in rows]
    conn.execute(
        "INSERT INTO reminders (user_id, kind, step, sent_at)"
        " SELECT value, ?, NULL, ? FROM json_each(?)",
        (TEACHER, now, json.dumps([d.user_id for d in due])),
    )
    return due


class RemindersRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    # --- who is due ----------------------------------------------------------------------

    async def stuck(self, before: str, steps: Sequence[str]) -> list[Due]:
        """Students on one of `steps` since before `before`, not yet nudged about that step,
        oldest first, read DUE_PAGE at a time (each page its own short read).

        A range of students_nudge_due, named: the planner's statistics favour the by-step
        index, which reads every stuck student; this one holds only those whose step is not
        the one last nudged."""
        marks = placeholders(steps)
        sql = f"""
            SELECT s.user_id, s.step, s.step_at, coalesce(u.locale, u.app_locale) AS locale
            FROM students s INDEXED BY students_nudge_due JOIN users u ON u.id = s.user_id
            WHERE s.finished_at IS NULL AND s.nudged_step IS NOT s.step
              AND s.step IN ({marks}) AND s.step_at <= ? AND (s.step_at, s.user_id) > (?, ?)
              AND u.consent_at IS NOT NULL AND u.blocked_at IS NULL AND u.reminders_off = 0
              AND NOT EXISTS (SELECT 1 FROM reminders r WHERE r.user_id = s.user_id
                              AND r.kind = '{STUCK}' AND r.step = s.step)
            ORDER BY s.step_at, s.user_id LIMIT {DUE_PAGE}
            """
        due: list[Due] = []
        after: tuple[str, int] = ("", 0)
        while True:
            rows = await self._db.fetchall(sql, (*steps, before, *after))
            due += [Due(r["user_id"], r["locale"], r["step"]) for r in rows]
            if len(rows) < DUE_PAGE:
                return due
            after = (rows[-1]["step_at"], rows[-1]["user_id"])

    async def monthly(self, before: str) -> list[Due]:
        """Variant 1/2 students without a Госуслуги account who finished before `before` and
        had no e-journal reminder since `before`, until they link it or switch reminders off
        (a range of students_monthly_due: since the finish or the last reminder)."""
        rows = await self._db.fetchall(
            f"""
            SELECT s.user_id, coalesce(u.locale, u.app_locale) AS locale
            FROM students s JOIN users u ON u.id = s.user_id
            WHERE s.monthly_since IS NOT NULL AND s.monthly_since <= :before
              AND s.finished_at IS NOT NULL
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
        """Records the nudge about `step` for these users; returns those not nudged before.
        CLAIM_CHUNK users per transaction, so a round's thousands never hold the database."""
        ids = list(dict.fromkeys(user_ids))
        claimed: list[int] = []
        for start in range(0, len(ids), CLAIM_CHUNK):
            chunk = ids[start : start + CLAIM_CHUNK]
            claimed += await self._db.run(partial(_claim, user_ids=chunk, step=step, now=now))
        return claimed

    async def record_monthly(self, user_ids: Iterable[int], now: str) -> None:
        """Records the monthly reminder sent now, CLAIM_CHUNK users per transaction."""
        ids = list(dict.fromkeys(user_ids))
        for start in range(0, len(ids), CLAIM_CHUNK):
            chunk = ids[start : start + CLAIM_CHUNK]
            await self._db.run(partial(_record_monthly, user_ids=chunk, now=now))

    async def claim_teacher_nudge(self, user_ids: Sequence[int], since: str, now: str) -> list[Due]:
        """The students a teacher's nudge reaches now, recorded (a class: a short transaction)."""
        ids = list(dict.fromkeys(user_ids))
        return await self._db.run(partial(_claim_teacher, user_ids=ids, since=since, now=now))

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
