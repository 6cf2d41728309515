"""The sandbox page: a Telegram-like chat per person, served beside the local Bot API.

`/` and `/static/*` are the page (plain HTML, CSS and JS in `sandbox/static/`); `/sandbox/*` is
its JSON: the whole state, a long-polled feed of what changed, and the people's actions (send a
text, press a button, block the bot, add a student), which become updates for the bot exactly as
Telegram would deliver them.
"""

from __future__ import annotations

import functools
import io
import itertools
import json
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import web
from PIL import Image, ImageDraw

from sandbox.bot_api import BotApiServer
from sandbox.errors import JSON
from sandbox.formatting import utf16_len
from sandbox.models import ChatMessage, NoSuchButtonError

STATIC = Path(__file__).with_name("static")
EVENTS_TIMEOUT = 25.0  # seconds a feed request is held: under browsers' and proxies' idle limits
TEXT_MAX = 4096  # what a Telegram client lets a user send in one message
CAPTION_MAX = 1024
_PNG = b"\x89PNG"

STUDENT, TEACHER, ADMIN = "student", "teacher", "admin"


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    role: str
    role_label: str
    language: str


# Students added from the page are named from this list, then numbered.
_MORE_STUDENTS = ("Вера Лебедева", "Глеб Орлов", "Дина Соколова", "Егор Морозов", "Жанна Волкова")


class SandboxPage:
    """The people shown on the page and the routes that serve it."""

    def __init__(self, api: BotApiServer, first_student_id: int = 1001) -> None:
        self.api = api
        self.people: dict[int, Person] = {}
        # Names this server's run: a page that outlived a restarted server starts over.
        self.run_id = secrets.token_hex(4)
        self.held_feeds = 0  # feed requests waiting for a change right now
        self._student_ids = itertools.count(first_student_id)
        self._names = itertools.chain(
            _MORE_STUDENTS, (f"Ученик {n}" for n in itertools.count(len(_MORE_STUDENTS) + 1))
        )

    def add_person(self, person: Person) -> Person:
        self.api.add_user(person.id, person.name.split()[0], language_code=person.language)
        self.people[person.id] = person
        return person

    def add_student(self, name: str | None = None, language: str = "ru") -> Person:
        user_id = next(self._student_ids)
        while user_id in self.people:
            user_id = next(self._student_ids)
        label = "ученик" if language == "ru" else "student"
        return self.add_person(Person(user_id, name or next(self._names), STUDENT, label, language))

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get("/", self._index)
        app.router.add_static("/static/", STATIC)
        app.router.add_get("/sandbox/state", self._state)
        app.router.add_get("/sandbox/events", self._events)
        app.router.add_post("/sandbox/send", self._send)
        app.router.add_post("/sandbox/press", self._press)
        app.router.add_post("/sandbox/block", self._block)
        app.router.add_post("/sandbox/people", self._new_student)
        app.router.add_get("/sandbox/files/{chat_id}/{message_id}", self._file)

    # --- what the page reads ----------------------------------------------------------------

    def _people_json(self) -> list[JSON]:
        return [
            {
                "id": p.id,
                "name": p.name,
                "role": p.role,
                "role_label": p.role_label,
                "language": p.language,
                "blocked": p.id in self.api.blocked,
            }
            for p in self.people.values()
        ]

    def _message_json(self, m: ChatMessage) -> JSON:
        file_url = f"/sandbox/files/{m.chat_id}/{m.message_id}"
        document = None
        if m.document is not None:
            document = {"name": m.document.get("file_name", "document"), "url": file_url}
        return {
            "chat_id": m.chat_id,
            "message_id": m.message_id,
            "from_bot": m.from_bot,
            "date": m.date,
            "text": m.text,
            "entities": m.entities,
            "buttons": [[_button_json(button) for button in row] for row in m.keyboard or []],
            "photo": file_url if m.is_photo else None,
            "document": document,
            "sticker": m.sticker.get("emoji", "🖼") if m.sticker else None,
            "edited": m.edits > 0,
            "deleted": m.deleted,
            "seq": m.seq,
        }

    def _changes(self, after: int) -> tuple[list[JSON], list[JSON]]:
        messages = [
            self._message_json(m)
            for person in self.people
            for m in self.api.chat(person)
            if m.seq > after
        ]
        notices = [
            {"chat_id": n.chat_id, "text": n.text, "alert": n.alert, "seq": n.seq}
            for n in self.api.notices
            if n.seq > after and n.chat_id in self.people
        ]
        return messages, notices

    async def _index(self, request: web.Request) -> web.FileResponse:
        return web.FileResponse(STATIC / "index.html")

    async def _state(self, request: web.Request) -> web.Response:
        seq = self.api.seq
        messages, notices = self._changes(0)
        bot = {"name": self.api.bot_name, "username": self.api.bot_username}
        people = self._people_json()
        return _json(
            run=self.run_id, bot=bot, seq=seq, people=people, messages=messages, notices=notices
        )

    async def _events(self, request: web.Request) -> web.Response:
        try:
            after = int(request.query.get("after", "0"))
        except ValueError:
            return _error("after must be an integer")
        if after > self.api.seq or request.query.get("run", self.run_id) != self.run_id:
            return _json(reset=True, seq=self.api.seq)  # the page outlived a restarted server
        found: tuple[list[JSON], list[JSON]] = ([], [])

        def changed() -> bool:
            nonlocal found
            found = self._changes(after)
            return bool(found[0] or found[1]) or self.api.people_seq > after

        seq = self.api.seq
        self.held_feeds += 1
        try:
            if await self.api.wait_until(changed, EVENTS_TIMEOUT):
                seq = self.api.seq
                changed()  # again: anything that changed while waking up is in, up to `seq`
        finally:
            self.held_feeds -= 1
        messages, notices = found
        people = self._people_json()
        return _json(run=self.run_id, seq=seq, people=people, messages=messages, notices=notices)

    async def _file(self, request: web.Request) -> web.Response:
        try:
            chat_id = int(request.match_info["chat_id"])
            message_id = int(request.match_info["message_id"])
        except ValueError:
            raise web.HTTPNotFound from None
        message = next(
            (m for m in self.api.chat(chat_id) if m.message_id == message_id and not m.deleted),
            None,
        )
        if message is None:
            raise web.HTTPNotFound
        if message.photo is not None:
            kind = "image/png" if message.photo.startswith(_PNG) else "image/jpeg"
            return web.Response(body=message.photo, content_type=kind)
        if message.document_data is not None:
            return web.Response(body=message.document_data, content_type="application/octet-stream")
        raise web.HTTPNotFound

    # --- what the people do -----------------------------------------------------------------

    async def _person(self, request: web.Request) -> tuple[Person, JSON]:
        # JSON only: a form another web site posts to 127.0.0.1 is refused (no CORS preflight
        # protects text/plain or form bodies).
        if request.content_type != "application/json":
            raise _http_error("send JSON (Content-Type: application/json)")
        try:
            body = await request.json()
        except ValueError:
            raise _http_error("the body must be JSON") from None
        if not isinstance(body, dict):
            raise _http_error("the body must be a JSON object")
        person = self.people.get(_int(body.get("user_id")))
        if person is None:
            raise _http_error("no such person")
        return person, body

    async def _send(self, request: web.Request) -> web.Response:
        """A text; or, with "kind", a photo (the text is its caption) or a sticker: what
        students send by mistake, to see how the bot answers."""
        person, body = await self._person(request)
        kind, text = body.get("kind", "text"), body.get("text", "")
        if kind not in ("text", "photo", "sticker"):
            return _error("kind is text, photo or sticker")
        if not isinstance(text, str) or (kind == "text" and not text.strip()):
            return _error("type a message first")
        limit = CAPTION_MAX if kind == "photo" else TEXT_MAX
        if utf16_len(text) > limit:
            return _error(f"at most {limit} characters")
        if person.id in self.api.blocked:
            return _error("unblock the bot first")
        if kind == "photo":
            await self.api.user_sends_photo(person.id, sample_photo(), text)
        elif kind == "sticker":
            await self.api.user_sends_sticker(person.id)
        else:
            await self.api.user_sends(person.id, text)
        return _json(ok=True)

    async def _press(self, request: web.Request) -> web.Response:
        person, body = await self._person(request)
        data, message_id = body.get("data"), _int(body.get("message_id"))
        if not isinstance(data, str) or not data:
            return _error("this button has no data")
        try:
            await self.api.user_presses_data(person.id, data, message_id)
        except (AssertionError, NoSuchButtonError):
            return _error("that message is gone")
        return _json(ok=True)

    async def _block(self, request: web.Request) -> web.Response:
        person, body = await self._person(request)
        blocked = body.get("blocked")
        if not isinstance(blocked, bool):
            return _error("blocked must be true or false")
        self.api.user_blocks(person.id, blocked=blocked)
        return _json(ok=True)

    async def _new_student(self, request: web.Request) -> web.Response:
        if request.content_type != "application/json":
            raise _http_error("send JSON (Content-Type: application/json)")
        person = self.add_student()
        return _json(**self._people_json_of(person))

    def _people_json_of(self, person: Person) -> JSON:
        return next(p for p in self._people_json() if p["id"] == person.id)


@functools.cache
def sample_photo() -> bytes:
    """The picture a person sends from the page: a sky-blue card with a sun."""
    image = Image.new("RGB", (320, 240), (142, 202, 230))
    ImageDraw.Draw(image).ellipse((120, 60, 200, 140), fill=(255, 209, 102))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _button_json(button: JSON) -> JSON:
    shown: JSON = {"text": button.get("text", "")}
    for key, name in (("callback_data", "data"), ("url", "url")):
        if key in button:
            shown[name] = button[key]
    return shown


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _json(**body: Any) -> web.Response:
    return web.json_response(body)


def _error(what: str) -> web.Response:
    return web.json_response({"ok": False, "error": what}, status=400)


def _http_error(what: str) -> web.HTTPBadRequest:
    return web.HTTPBadRequest(
        text=json.dumps({"ok": False, "error": what}), content_type="application/json"
    )
