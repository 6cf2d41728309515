"""One-time invite links that grant a role; only the token's hash is stored."""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from storage.db import Database, utcnow
from storage.roles import Role, grant

TOKEN_BYTES = 16  # 128 bits; 22 URL-safe characters, within a deep link's 64


class Redeemed(StrEnum):
    GRANTED = "granted"
    ALREADY_HAD = "already-had"
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"


@dataclass(frozen=True, slots=True)
class Redemption:
    result: Redeemed
    role: Role | None = None
    school_id: int | None = None
    class_id: int | None = None


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitesRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(
        self, role: Role, school_id: int, class_id: int | None, created_by: int, ttl: timedelta
    ) -> str:
        """A new token (returned once, never stored)."""
        token = secrets.token_urlsafe(TOKEN_BYTES)
        now = datetime.now(UTC)
        await self._db.execute(
            "INSERT INTO invites (token_hash, role, school_id, class_id, created_by, created_at,"
            " expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                _hash(token),
                role.value,
                school_id,
                class_id,
                created_by,
                now.isoformat(timespec="seconds"),
                (now + ttl).isoformat(timespec="seconds"),
            ),
        )
        return token

    async def redeem(self, token: str, user_id: int) -> Redemption:
        """Use the token once: the role is granted in the same unit of work that spends it."""
        token_hash = _hash(token)

        def redeem(conn: sqlite3.Connection) -> Redemption:
            row = conn.execute(
                "SELECT role, school_id, class_id, expires_at, used_by FROM invites"
                " WHERE token_hash = ?",
                (token_hash,),
            ).fetchone()
            if row is None:
                return Redemption(Redeemed.UNKNOWN)
            role, school_id, class_id = Role(row["role"]), row["school_id"], row["class_id"]
            if row["used_by"] is not None:
                return Redemption(Redeemed.USED, role, school_id, class_id)
            now = utcnow()
            if row["expires_at"] <= now:
                return Redemption(Redeemed.EXPIRED, role, school_id, class_id)
            conn.execute(
                "UPDATE invites SET used_by = ?, used_at = ? WHERE token_hash = ?",
                (user_id, now, token_hash),
            )
            granted = grant(conn, user_id, role, school_id, class_id)
            result = Redeemed.GRANTED if granted else Redeemed.ALREADY_HAD
            return Redemption(result, role, school_id, class_id)

        return await self._db.run(redeem)
