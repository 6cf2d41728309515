"""Schema migrations, applied in order; the index + 1 is the schema version (PRAGMA user_version).

Never edit a migration that has shipped: append a new one.
"""

# Migration 9, frozen as shipped: what each counter of class_stats adds up, for a students row
# (R is OLD or NEW in the triggers). Unfinished students are counted at their part of the memo.
_STUDENT_COUNTERS: tuple[tuple[str, str], ...] = (
    ("students", "1"),
    ("named", "R.full_name IS NOT NULL"),
    ("finished", "R.finished_at IS NOT NULL"),
    ("epos", "R.gosuslugi IS 1"),
    ("variant1", "R.variant IS 1 AND R.gosuslugi IS NOT 1"),
    ("variant2", "R.variant IS 2 AND R.gosuslugi IS NOT 1"),
    (
        "linked",
        "R.epos_linked_at IS NOT NULL AND R.gosuslugi IS NOT 1"
        " AND (R.variant IS 1 OR R.variant IS 2)",
    ),
    (
        "at_name",
        "R.finished_at IS NULL AND R.step IN ('welcome', 'consent', 'school', 'class', 'name')",
    ),
    ("at_memo1", "R.finished_at IS NULL AND R.step IN ('device', 'install')"),
    ("at_memo2", "R.finished_at IS NULL AND R.step = 'profile'"),
    ("at_fork", "R.finished_at IS NULL AND R.step = 'fork'"),
    ("at_memo4", "R.finished_at IS NULL AND R.step = 'epos'"),
    (
        "at_memo3",
        "R.finished_at IS NULL AND R.step IN ('variant', 'variant1', 'variant2', 'chat', 'done')",
    ),
    ("pending", "R.request_status IS 'pending'"),
    ("approved", "R.request_status IS 'approved'"),
    ("rejected", "R.request_status IS 'rejected'"),
)
# An anonymised record (bot/retention.py) stays in its class's figures: no name, no request.
_ANONYMOUS_COUNTERS: tuple[tuple[str, str], ...] = (
    ("students", "1"),
    ("anonymous", "1"),
    ("named", "R.step NOT IN ('welcome', 'consent', 'school', 'class', 'name')"),
    ("finished", "R.finished_at IS NOT NULL"),
    ("epos", "R.gosuslugi IS 1"),
    ("variant1", "R.variant IS 1 AND R.gosuslugi IS NOT 1"),
    ("variant2", "R.variant IS 2 AND R.gosuslugi IS NOT 1"),
    *(c for c in _STUDENT_COUNTERS if c[0].startswith("at_")),
)
_COUNTERS = tuple(dict.fromkeys(n for n, _ in _STUDENT_COUNTERS + _ANONYMOUS_COUNTERS))


def _add(counters: tuple[tuple[str, str], ...], row: str, sign: str) -> str:
    """`UPDATE class_stats` adding (sign +) or taking away (-) what `row` counts."""
    sets = ", ".join(
        f"{name} = {name} {sign} ({expr.replace('R.', row + '.')})" for name, expr in counters
    )
    return f"UPDATE class_stats SET {sets} WHERE class_id = {row}.class_id;"


def _backfill(counters: tuple[tuple[str, str], ...], table: str) -> str:
    """Adds up what is there already, class by class."""
    names = ", ".join(name for name, _ in counters)
    sums = ", ".join(
        f"class_stats.{name} + coalesce(sum({expr.replace('R.', 'R_.')}), 0)"
        for name, expr in counters
    ).replace("R_.", "r.")
    return (
        f"UPDATE class_stats SET ({names}) = (SELECT {sums} FROM {table} r"
        " WHERE r.class_id = class_stats.class_id);"
    )


def _latest_status(student: str, klass: str) -> str:
    return (
        f"(SELECT r.status FROM join_requests r WHERE r.student_id = {student}"
        f" AND r.class_id = {klass} ORDER BY r.id DESC LIMIT 1)"
    )


def _class_stats_migration() -> str:
    columns = ",\n".join(f"        {name} INTEGER NOT NULL DEFAULT 0" for name in _COUNTERS)
    refresh = "UPDATE students SET request_status = {latest} WHERE user_id = {user};"
    return f"""
    ALTER TABLE students ADD COLUMN request_status TEXT;
    UPDATE students SET request_status = {_latest_status("students.user_id", "students.class_id")}
        WHERE class_id IS NOT NULL;
    ALTER TABLE classes ADD COLUMN expected INTEGER;  -- the class's size, when someone gave it

    CREATE TABLE class_stats (
        class_id INTEGER PRIMARY KEY REFERENCES classes(id) ON DELETE CASCADE,
{columns}
    );
    INSERT INTO class_stats (class_id) SELECT id FROM classes;
    {_backfill(_STUDENT_COUNTERS, "students")}
    {_backfill(_ANONYMOUS_COUNTERS, "anonymous_students")}

    CREATE TRIGGER class_stats_new_class AFTER INSERT ON classes BEGIN
        INSERT INTO class_stats (class_id) VALUES (NEW.id);
    END;
    CREATE TRIGGER class_stats_student_in AFTER INSERT ON students BEGIN
        {_add(_STUDENT_COUNTERS, "NEW", "+")}
    END;
    CREATE TRIGGER class_stats_student_out AFTER DELETE ON students BEGIN
        {_add(_STUDENT_COUNTERS, "OLD", "-")}
    END;
    CREATE TRIGGER class_stats_student_change AFTER UPDATE ON students BEGIN
        {_add(_STUDENT_COUNTERS, "OLD", "-")}
        {_add(_STUDENT_COUNTERS, "NEW", "+")}
    END;
    CREATE TRIGGER class_stats_anonymous_in AFTER INSERT ON anonymous_students BEGIN
        {_add(_ANONYMOUS_COUNTERS, "NEW", "+")}
    END;
    CREATE TRIGGER class_stats_anonymous_out AFTER DELETE ON anonymous_students BEGIN
        {_add(_ANONYMOUS_COUNTERS, "OLD", "-")}
    END;

    -- request_status follows the requests and the student's class.
    CREATE TRIGGER request_status_moved AFTER UPDATE OF class_id ON students
        WHEN OLD.class_id IS NOT NEW.class_id BEGIN
        {refresh.format(latest=_latest_status("NEW.user_id", "NEW.class_id"), user="NEW.user_id")}
    END;
    CREATE TRIGGER request_status_in AFTER INSERT ON students
        WHEN NEW.class_id IS NOT NULL BEGIN
        {refresh.format(latest=_latest_status("NEW.user_id", "NEW.class_id"), user="NEW.user_id")}
    END;
    CREATE TRIGGER request_status_new AFTER INSERT ON join_requests BEGIN
        UPDATE students SET request_status = NEW.status
            WHERE user_id = NEW.student_id AND class_id = NEW.class_id;
    END;
    CREATE TRIGGER request_status_decided AFTER UPDATE OF status ON join_requests BEGIN
        {
        refresh.format(
            latest=_latest_status("NEW.student_id", "students.class_id"), user="NEW.student_id"
        )
    }
    END;
    CREATE TRIGGER request_status_gone AFTER DELETE ON join_requests BEGIN
        {
        refresh.format(
            latest=_latest_status("OLD.student_id", "students.class_id"), user="OLD.student_id"
        )
    }
    END;

    -- /stats' "blocked the bot" for the whole municipality reads these few rows only.
    CREATE INDEX users_blocked ON users(id) WHERE blocked_at IS NOT NULL;
    -- who finished on which day, for a school or a class
    CREATE INDEX students_finished_by_class ON students(class_id, finished_at)
        WHERE finished_at IS NOT NULL;
    """


MIGRATIONS: tuple[str, ...] = (
    # 1: users, school structure, students' onboarding records, join requests, FSM storage.
    """
    CREATE TABLE users (
        id              INTEGER PRIMARY KEY,          -- Telegram user id
        locale          TEXT,                         -- chosen language; NULL until chosen
        consent_at      TEXT,                         -- when personal-data consent was given
        consent_version INTEGER,                      -- which notice the consent refers to
        created_at      TEXT NOT NULL
    );

    CREATE TABLE schools (
        id         INTEGER PRIMARY KEY,
        name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
        created_at TEXT NOT NULL
    );

    CREATE TABLE classes (
        id          INTEGER PRIMARY KEY,
        school_id   INTEGER NOT NULL REFERENCES schools(id) ON DELETE CASCADE,
        name        TEXT NOT NULL COLLATE NOCASE,
        code        TEXT NOT NULL UNIQUE,             -- for deep links /start c_<code>
        invite_link TEXT,                             -- Sferum class invite link
        chat_link   TEXT,                             -- Sferum class chat invite link
        created_at  TEXT NOT NULL,
        UNIQUE (school_id, name)
    );

    -- Only students who consented have a row here.
    CREATE TABLE students (
        user_id     INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        class_id    INTEGER REFERENCES classes(id) ON DELETE SET NULL,
        full_name   TEXT,
        step        TEXT NOT NULL,
        device      TEXT,                             -- phone | computer
        gosuslugi   INTEGER,                          -- 1: own confirmed account, 0: none
        variant     INTEGER,                          -- memo step 3 variant: 1 | 2
        step_at     TEXT NOT NULL,                    -- when the current step was reached
        finished_at TEXT,
        created_at  TEXT NOT NULL
    );
    CREATE INDEX students_by_class ON students(class_id, step);

    CREATE TABLE join_requests (
        id          INTEGER PRIMARY KEY,
        student_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        class_id    INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
        variant     INTEGER NOT NULL CHECK (variant IN (1, 2)),
        status      TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'approved', 'rejected')),
        reason      TEXT,
        decided_by  INTEGER,
        decided_at  TEXT,
        created_at  TEXT NOT NULL
    );
    -- A student has at most one open request per class: a second tap records nothing new.
    CREATE UNIQUE INDEX join_requests_one_pending
        ON join_requests(student_id, class_id) WHERE status = 'pending';
    CREATE INDEX join_requests_by_class ON join_requests(class_id, status);

    CREATE TABLE fsm (
        key     TEXT PRIMARY KEY,                     -- JSON of every StorageKey field
        user_id INTEGER NOT NULL,
        state   TEXT,
        data    TEXT
    );
    CREATE INDEX fsm_by_user ON fsm(user_id);
    """,
    # 2: roles granted by invite links, the invite links, every copy of a request notification.
    """
    CREATE TABLE roles (
        user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        role       TEXT NOT NULL CHECK (role IN ('school_admin', 'teacher')),
        school_id  INTEGER NOT NULL REFERENCES schools(id) ON DELETE CASCADE,
        class_id   INTEGER REFERENCES classes(id) ON DELETE CASCADE,  -- teachers: their class
        granted_at TEXT NOT NULL
    );
    CREATE UNIQUE INDEX roles_unique ON roles(user_id, role, school_id, coalesce(class_id, 0));
    CREATE INDEX roles_by_class ON roles(class_id, role);
    CREATE INDEX roles_by_school ON roles(school_id, role);

    -- Only a hash of the token is kept: a leaked database grants nothing.
    CREATE TABLE invites (
        token_hash TEXT PRIMARY KEY,
        role       TEXT NOT NULL CHECK (role IN ('school_admin', 'teacher')),
        school_id  INTEGER NOT NULL REFERENCES schools(id) ON DELETE CASCADE,
        class_id   INTEGER REFERENCES classes(id) ON DELETE CASCADE,
        created_by INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        used_by    INTEGER,
        used_at    TEXT
    );

    ALTER TABLE join_requests ADD COLUMN decided_by_name TEXT;

    CREATE TABLE request_notices (
        request_id INTEGER NOT NULL REFERENCES join_requests(id) ON DELETE CASCADE,
        chat_id    INTEGER NOT NULL,
        message_id INTEGER NOT NULL,
        locale     TEXT NOT NULL,
        PRIMARY KEY (request_id, chat_id)
    );
    """,
    # 3: broadcasts, each recipient's delivery state, users who blocked the bot.
    """
    CREATE TABLE broadcasts (
        id          INTEGER PRIMARY KEY,
        created_by  INTEGER NOT NULL,                 -- Telegram user id of the admin (0: the bot)
        audience    TEXT NOT NULL,                    -- human-readable description of who gets it
        message     TEXT NOT NULL,                    -- JSON: {"copy": {...}} or {"text": ...}
        status      TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'running', 'done', 'cancelled')),
        created_at  TEXT NOT NULL,
        finished_at TEXT
    );
    CREATE INDEX broadcasts_by_status ON broadcasts(status);

    CREATE TABLE broadcast_recipients (
        broadcast_id INTEGER NOT NULL REFERENCES broadcasts(id) ON DELETE CASCADE,
        chat_id      INTEGER NOT NULL,
        state        TEXT NOT NULL DEFAULT 'pending'
                     CHECK (state IN ('pending', 'sent', 'failed', 'blocked')),
        message_id   INTEGER,                         -- the delivered message, once sent
        attempts     INTEGER NOT NULL DEFAULT 0,      -- sends tried (429 answers not counted)
        error        TEXT,                            -- the last failure's reason
        updated_at   TEXT NOT NULL,
        PRIMARY KEY (broadcast_id, chat_id)
    );
    CREATE INDEX broadcast_recipients_by_state ON broadcast_recipients(broadcast_id, state);
    CREATE INDEX broadcast_recipients_by_chat ON broadcast_recipients(chat_id, state);

    -- Set when Telegram says the user blocked the bot or is gone: left out of broadcasts.
    ALTER TABLE users ADD COLUMN blocked_at TEXT;
    """,
    # 4: reminders sent (a step nudge once per step, the monthly e-journal one each month),
    # a user's "no reminders" switch, and when a student said the e-journal is linked.
    """
    CREATE TABLE reminders (
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        kind    TEXT NOT NULL,                        -- stuck | monthly
        step    TEXT,                                 -- stuck: the step; monthly: NULL
        sent_at TEXT NOT NULL
    );
    CREATE UNIQUE INDEX reminders_once_per_step
        ON reminders(user_id, kind, step) WHERE step IS NOT NULL;
    CREATE INDEX reminders_by_user ON reminders(user_id, kind, sent_at);

    ALTER TABLE users ADD COLUMN reminders_off INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE students ADD COLUMN epos_linked_at TEXT;
    """,
    # 5: the language of each user's Telegram app (users.locale stays the one chosen with /lang);
    # staff names from Telegram for /teachers; @usernames that tell namesakes apart; who a join
    # request reached (NULL: nobody yet, it waits for the first teacher or admin who joins); a
    # teacher's own words for a rejection; finished students kept for the statistics without
    # anything that identifies them, once the retention period is over.
    """
    ALTER TABLE users ADD COLUMN app_locale TEXT;     -- from Telegram's language_code
    ALTER TABLE users ADD COLUMN tg_name TEXT;        -- staff: Telegram name at the invite
    ALTER TABLE users ADD COLUMN username TEXT;       -- staff and consenting students: @username

    ALTER TABLE join_requests ADD COLUMN reached TEXT
        CHECK (reached IN ('teacher', 'school', 'municipality'));
    ALTER TABLE join_requests ADD COLUMN reason_text TEXT;
    CREATE INDEX join_requests_unreached ON join_requests(class_id)
        WHERE status = 'pending' AND reached IS NULL;

    -- Request ids are never used twice: a withdrawn or erased request's old card buttons
    -- must not name a newer request. AUTOINCREMENT's counter hands them out.
    CREATE TABLE join_request_ids (id INTEGER PRIMARY KEY AUTOINCREMENT);
    INSERT INTO join_request_ids (id) VALUES ((SELECT coalesce(max(id), 0) FROM join_requests));
    DELETE FROM join_request_ids;

    CREATE TABLE anonymous_students (
        id          INTEGER PRIMARY KEY,
        class_id    INTEGER REFERENCES classes(id) ON DELETE SET NULL,
        step        TEXT NOT NULL,
        device      TEXT,
        gosuslugi   INTEGER,
        variant     INTEGER,
        joined      INTEGER NOT NULL DEFAULT 0,       -- 1: an approved join request
        started_at  TEXT NOT NULL,                    -- the record's created_at
        finished_at TEXT,
        anonymised_at TEXT NOT NULL
    );
    CREATE INDEX anonymous_students_by_class ON anonymous_students(class_id);
    """,
    # 6: indexes for the hot queries at a region's size (tests/test_query_plans.py reads their
    # plans): a student's requests (/status, /help, /forget), the requests a person decided
    # (/forget), the unfinished students by step (the "stuck" audience and reminders) and the
    # finished ones by date (the monthly reminder, retention).
    """
    CREATE INDEX join_requests_by_student ON join_requests(student_id, id);
    CREATE INDEX join_requests_by_decider ON join_requests(decided_by)
        WHERE decided_by IS NOT NULL;
    CREATE INDEX students_unfinished_by_step ON students(step, step_at)
        WHERE finished_at IS NULL;
    CREATE INDEX students_unfinished ON students(user_id, step) WHERE finished_at IS NULL;
    CREATE INDEX students_finished ON students(finished_at) WHERE finished_at IS NOT NULL;
    """,
    # 7: a broadcast's recipients written in chunks (each its own short transaction, so nobody
    # waits while 100 000 rows go in), and the admin's progress message, so that both survive a
    # restart: the list is completed, the progress resumes and the final report is sent.
    """
    -- While recipients are still being written: the audience to read them from (JSON, see
    -- storage/audiences.py), or '[]' for a list handed over whole. NULL once all are written;
    -- nothing is sent before that.
    ALTER TABLE broadcasts ADD COLUMN filling TEXT;

    CREATE TABLE broadcast_reports (
        broadcast_id INTEGER PRIMARY KEY REFERENCES broadcasts(id) ON DELETE CASCADE,
        chat_id      INTEGER NOT NULL,                -- the admin's chat
        message_id   INTEGER NOT NULL,                -- the progress message, edited as it goes
        locale       TEXT NOT NULL,                   -- the admin's language
        label        TEXT NOT NULL,                   -- who it reaches, as the admin was shown
        reported_at  TEXT                             -- the final report delivered (or given up)
    );
    CREATE INDEX broadcast_reports_unreported ON broadcast_reports(broadcast_id)
        WHERE reported_at IS NULL;
    """,
    # 8: a reminders round reads only the students who may be due, not every stuck or finished
    # one (at a region's size a single such read held the database for 150 ms): the step a
    # student was last nudged about (a nudge is once per step, so a student whose step is
    # another may be due), and since when the monthly e-journal reminder counts (the finish,
    # then each reminder sent). The reminders table stays the record of what was sent.
    """
    ALTER TABLE students ADD COLUMN nudged_step TEXT;
    ALTER TABLE students ADD COLUMN monthly_since TEXT;
    UPDATE students SET nudged_step = step WHERE EXISTS (SELECT 1 FROM reminders r
        WHERE r.user_id = students.user_id AND r.kind = 'stuck' AND r.step = students.step);
    UPDATE students SET monthly_since = max(finished_at, coalesce((SELECT max(r.sent_at)
        FROM reminders r WHERE r.user_id = students.user_id AND r.kind = 'monthly'), ''))
        WHERE finished_at IS NOT NULL;
    CREATE INDEX students_nudge_due ON students(step_at)
        WHERE finished_at IS NULL AND nudged_step IS NOT step;
    CREATE INDEX students_monthly_due ON students(monthly_since)
        WHERE monthly_since IS NOT NULL AND epos_linked_at IS NULL;
    """,
    # 9: the statistics' counters, kept by triggers so that /stats for a school or the whole
    # municipality reads a row a class instead of every student (at a region's size a count over
    # the students took ~200 ms and held the database that long). `request_status`: the
    # student's latest join request to their current class, as /class shows it.
    _class_stats_migration(),
)
