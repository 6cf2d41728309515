"""Who follows a broadcast's progress: the admin's progress message, kept until the final report
is delivered, so that a restart resumes the updates and still sends the report."""

from __future__ import annotations

from dataclasses import dataclass

from storage.db import Database, utcnow


@dataclass(frozen=True, slots=True)
class Watch:
    """A progress message of a broadcast, in its admin's language."""

    broadcast_id: int
    chat_id: int
    message_id: int
    locale: str
    label: str  # who it reaches, as the admin was shown it (HTML)


class BroadcastReportsRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def watch(self, watch: Watch) -> None:
        await self._db.execute(
            "INSERT OR REPLACE INTO broadcast_reports"
            " (broadcast_id, chat_id, message_id, locale, label) VALUES (?, ?, ?, ?, ?)",
            (watch.broadcast_id, watch.chat_id, watch.message_id, watch.locale, watch.label),
        )

    async def unreported(self) -> list[Watch]:
        """Progress messages whose broadcast's final report has not been delivered yet."""
        rows = await self._db.fetchall(
            "SELECT broadcast_id, chat_id, message_id, locale, label FROM broadcast_reports"
            " WHERE reported_at IS NULL ORDER BY broadcast_id"
        )
        return [Watch(*row) for row in rows]

    async def reported(self, broadcast_id: int) -> None:
        """The report was delivered (or can never be): not resumed again."""
        await self._db.execute(
            "UPDATE broadcast_reports SET reported_at = ? WHERE broadcast_id = ?",
            (utcnow(), broadcast_id),
        )
