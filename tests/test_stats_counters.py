"""The statistics' counters (class_stats, kept by migration 9's triggers) always equal what the
rows say: after every kind of change a student's record, their requests, an anonymised record
or a class can go through, in a long random sequence."""

from __future__ import annotations

import random
import sqlite3
from collections import Counter

from storage.db import Database, utcnow
from storage.stats import COUNTERS

STEPS = (
    "school", "class", "name", "device", "install", "profile", "fork", "epos",
    "variant", "variant1", "variant2", "chat", "done",
)  # fmt: skip
_AT = {
    "at_name": {"welcome", "consent", "school", "class", "name"},
    "at_memo1": {"device", "install"},
    "at_memo2": {"profile"},
    "at_fork": {"fork"},
    "at_memo4": {"epos"},
    "at_memo3": {"variant", "variant1", "variant2", "chat", "done"},
}


def _count(found: Counter[str], row: sqlite3.Row, *, anonymous: bool) -> None:
    """What one record adds to its class, worked out here from the rows, not from the SQL."""
    own_account = row["gosuslugi"] == 1
    found["students"] += 1
    found["anonymous"] += anonymous
    found["named"] += (row["step"] not in _AT["at_name"]) if anonymous else bool(row["full_name"])
    found["finished"] += row["finished_at"] is not None
    found["epos"] += own_account
    found["variant1"] += row["variant"] == 1 and not own_account
    found["variant2"] += row["variant"] == 2 and not own_account
    if not anonymous:
        linked = row["epos_linked_at"] is not None and row["variant"] in (1, 2)
        found["linked"] += linked and not own_account
        found[str(row["latest"])] += 1
    if row["finished_at"] is None:
        for counter, steps in _AT.items():
            found[counter] += row["step"] in steps


def recount(conn: sqlite3.Connection) -> dict[int, dict[str, int]]:
    found: dict[int, Counter[str]] = {
        r["id"]: Counter() for r in conn.execute("SELECT id FROM classes")
    }
    for row in conn.execute(
        "SELECT s.*, (SELECT r.status FROM join_requests r WHERE r.student_id = s.user_id"
        " AND r.class_id = s.class_id ORDER BY r.id DESC LIMIT 1) AS latest"
        " FROM students s WHERE s.class_id IS NOT NULL"
    ):
        _count(found[row["class_id"]], row, anonymous=False)
    for row in conn.execute("SELECT * FROM anonymous_students WHERE class_id IS NOT NULL"):
        _count(found[row["class_id"]], row, anonymous=True)
    return {k: {name: found[k][name] for name in COUNTERS} for k in found}


def kept(conn: sqlite3.Connection) -> dict[int, dict[str, int]]:
    rows = conn.execute("SELECT * FROM class_stats")
    return {r["class_id"]: {name: r[name] for name in COUNTERS} for r in rows}


class Changes:
    """Random changes of every kind the bot makes, as its repositories make them."""

    def __init__(self, conn: sqlite3.Connection, seed: int) -> None:
        self.conn, self.rng = conn, random.Random(seed)  # noqa: S311 - a repeatable sequence
        self.next_user = 10_000
        self.anonymised = 0

    def _pick(self, sql: str) -> int | None:
        ids = [r[0] for r in self.conn.execute(sql)]
        return self.rng.choice(ids) if ids else None

    def _class(self) -> int | None:
        return self._pick("SELECT id FROM classes") if self.rng.random() < 0.9 else None

    def new_student(self) -> None:
        self.next_user += 1
        now = utcnow()
        self.conn.execute("INSERT INTO users (id, created_at) VALUES (?, ?)", (self.next_user, now))
        self.conn.execute(
            "INSERT INTO students (user_id, class_id, step, step_at, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (self.next_user, self._class(), self.rng.choice(STEPS[:3]), now, now),
        )

    def progress(self) -> None:  # as StudentsRepo.save_progress: an upsert
        user = self._pick("SELECT user_id FROM students")
        if user is None:
            return
        step = self.rng.choice(STEPS)
        gosuslugi = self.rng.choice([None, 0, 1])
        variant = self.rng.choice([None, 1, 2])
        klass = self._class() if self.rng.random() < 0.2 else None
        self.conn.execute(
            """
            INSERT INTO students (user_id, class_id, step, gosuslugi, variant, step_at,
                                  finished_at, created_at)
            VALUES (:user, :klass, :step, :gosuslugi, :variant, :now, :finished, :now)
            ON CONFLICT (user_id) DO UPDATE SET
                class_id = coalesce(excluded.class_id, students.class_id),
                step = excluded.step, gosuslugi = excluded.gosuslugi,
                variant = excluded.variant, finished_at = excluded.finished_at
            """,
            {
                "user": user, "klass": klass, "step": step, "gosuslugi": gosuslugi,
                "variant": variant, "now": utcnow(),
                "finished": utcnow() if step == "done" else None,
            },
        )  # fmt: skip

    def rename(self) -> None:
        user = self._pick("SELECT user_id FROM students")
        name = self.rng.choice([None, "Анна Иванова", "Пётр Петров"])
        self.conn.execute("UPDATE students SET full_name = ? WHERE user_id = ?", (name, user))

    def epos_linked(self) -> None:
        user = self._pick("SELECT user_id FROM students")
        self.conn.execute(
            "UPDATE students SET epos_linked_at = coalesce(epos_linked_at, ?) WHERE user_id = ?",
            (utcnow(), user),
        )

    def move(self) -> None:
        user = self._pick("SELECT user_id FROM students")
        self.conn.execute(
            "UPDATE students SET class_id = ? WHERE user_id = ?", (self._class(), user)
        )

    def request(self) -> None:
        user = self._pick("SELECT user_id FROM students WHERE class_id IS NOT NULL")
        if user is None:
            return
        row = self.conn.execute("SELECT class_id FROM students WHERE user_id = ?", (user,))
        klass = row.fetchone()[0]
        if self.rng.random() < 0.15:  # a request to another class than the student's
            klass = self._pick("SELECT id FROM classes") or klass
        self.conn.execute(
            "INSERT OR IGNORE INTO join_requests (student_id, class_id, variant, created_at)"
            " VALUES (?, ?, 1, ?)",
            (user, klass, utcnow()),
        )

    def decide(self) -> None:
        request = self._pick("SELECT id FROM join_requests WHERE status = 'pending'")
        status = self.rng.choice(["approved", "rejected"])
        self.conn.execute("UPDATE join_requests SET status = ? WHERE id = ?", (status, request))

    def withdraw(self) -> None:
        request = self._pick("SELECT id FROM join_requests")
        self.conn.execute("DELETE FROM join_requests WHERE id = ?", (request,))

    def forget(self) -> None:  # /forget: the user and, by cascade, their record and requests
        user = self._pick("SELECT user_id FROM students")
        self.conn.execute("DELETE FROM users WHERE id = ?", (user,))

    def anonymise(self) -> None:  # retention: the record becomes anonymous, the rest goes
        user = self._pick("SELECT user_id FROM students")
        if user is None:
            return
        self.anonymised += 1
        row = self.conn.execute("SELECT * FROM students WHERE user_id = ?", (user,)).fetchone()
        self.conn.execute(
            "INSERT INTO anonymous_students (class_id, step, gosuslugi, variant, started_at,"
            " finished_at, anonymised_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (row["class_id"], row["step"], row["gosuslugi"], row["variant"], row["created_at"],
             row["finished_at"], utcnow()),
        )  # fmt: skip
        self.conn.execute("DELETE FROM users WHERE id = ?", (row["user_id"],))

    def drop_anonymous(self) -> None:
        record = self._pick("SELECT id FROM anonymous_students")
        self.conn.execute("DELETE FROM anonymous_students WHERE id = ?", (record,))

    def new_class(self) -> None:
        school = self._pick("SELECT id FROM schools")
        self.conn.execute(
            "INSERT OR IGNORE INTO classes (school_id, name, code, created_at) VALUES (?, ?, ?, ?)",
            (school, f"{self.rng.randint(1, 11)}Ж", f"C{self.rng.randint(0, 10**9)}", utcnow()),
        )

    def remove_class(self) -> None:
        if self.rng.random() < 0.3:  # rare, and keep a few
            klass = self._pick("SELECT id FROM classes")
            self.conn.execute("DELETE FROM classes WHERE id = ?", (klass,))

    def any(self) -> None:
        weights = {
            self.new_student: 6, self.progress: 10, self.rename: 3, self.epos_linked: 2,
            self.move: 2, self.request: 6, self.decide: 4, self.withdraw: 2, self.forget: 1,
            self.anonymise: 1, self.drop_anonymous: 1, self.new_class: 1, self.remove_class: 1,
        }  # fmt: skip
        change = self.rng.choices(list(weights), list(weights.values()))[0]
        change()


async def test_counters_equal_the_rows_after_every_kind_of_change(
    db: Database, structure: dict[str, int]
) -> None:
    def run(conn: sqlite3.Connection) -> list[str]:
        changes, broken = Changes(conn, seed=13), []
        for number in range(600):
            changes.any()
            if number % 25 == 0 and (got := kept(conn)) != (want := recount(conn)):
                broken.append(f"after change {number}: {got} != {want}")
                break
        assert changes.anonymised > 0  # the sequence went through every kind of change
        return broken

    assert await db.run(run) == []
    final = await db.run(lambda conn: (kept(conn), recount(conn)))
    assert final[0] == final[1]
    assert sum(c["students"] for c in final[0].values()) > 20  # the sequence did build a school
    assert sum(c["approved"] + c["rejected"] for c in final[0].values()) > 0


async def test_request_status_is_the_latest_request_to_the_students_class(
    db: Database, structure: dict[str, int]
) -> None:
    def run(conn: sqlite3.Connection) -> list[tuple[object, ...]]:
        changes = Changes(conn, seed=7)
        for _ in range(300):
            changes.any()
        return conn.execute(
            "SELECT user_id FROM students s WHERE request_status IS NOT (SELECT r.status"
            " FROM join_requests r WHERE r.student_id = s.user_id AND r.class_id = s.class_id"
            " ORDER BY r.id DESC LIMIT 1)"
        ).fetchall()

    assert await db.run(run) == []


async def test_the_migration_counts_what_was_there_before(tmp_path: object) -> None:
    """An upgraded database starts with counters that agree with its rows."""
    from pathlib import Path

    from storage.migrations import MIGRATIONS

    path = Path(str(tmp_path)) / "old.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys=ON")
    for version, script in enumerate(MIGRATIONS[:8], start=1):
        conn.executescript(f"BEGIN;\n{script}\nPRAGMA user_version={version};\nCOMMIT;")
    now = utcnow()
    conn.execute("INSERT INTO schools (name, created_at) VALUES ('Школа', ?)", (now,))
    conn.execute(
        "INSERT INTO classes (school_id, name, code, created_at) VALUES (1, '5А', 'A1', ?)", (now,)
    )
    for user, step, finished in [(1, "profile", None), (2, "done", now), (3, "variant1", None)]:
        conn.execute("INSERT INTO users (id, created_at) VALUES (?, ?)", (user, now))
        conn.execute(
            "INSERT INTO students (user_id, class_id, full_name, step, variant, step_at,"
            " finished_at, created_at) VALUES (?, 1, 'Имя', ?, 1, ?, ?, ?)",
            (user, step, now, finished, now),
        )
    conn.execute(
        "INSERT INTO join_requests (student_id, class_id, variant, status, created_at)"
        " VALUES (3, 1, 1, 'rejected', ?), (3, 1, 1, 'pending', ?)",
        (now, now),
    )
    conn.commit()
    conn.close()

    db = await Database.open(path)
    try:
        counters = await db.run(kept)
        assert counters == await db.run(recount)
        assert counters[1]["students"] == 3
        assert (counters[1]["pending"], counters[1]["rejected"], counters[1]["finished"]) == (
            1,
            0,
            1,
        )
    finally:
        await db.close()
