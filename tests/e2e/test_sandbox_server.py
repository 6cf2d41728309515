"""The sandbox over real HTTP: the Bot API methods beyond the basics (files, copies, flood limits,
blocking) and the sandbox page's JSON API, checked as a bot or a person at the page would see them.

The reference is the Bot API contract (https://core.telegram.org/bots/api): what a bot receives
must parse with aiogram, and errors carry Telegram's codes and descriptions.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import BufferedInputFile, ChatMemberBanned, MessageId, Update

import sandbox.web as web_module
from sandbox.bot_api import SANDBOX_TOKEN, BotApiServer
from sandbox.flood_limits import FloodLimits
from sandbox.web import TEACHER, Person, SandboxPage

JSON = dict[str, Any]

PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)
CSV = "school,class\nМБОУ СОШ № 1,5А\n".encode()
BLOCKED = {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"}
STUDENT, TEACHER_ID = 1001, 2001  # the page's first student (from its counter) and a teacher
KEYBOARD = {"inline_keyboard": [[{"text": "Начать ▶️", "callback_data": "go"}]]}
OK = (200, {"ok": True})  # the page's answer to an action it took


@dataclass
class Server:
    api: BotApiServer
    page: SandboxPage
    http: aiohttp.ClientSession


@pytest.fixture
async def server(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Server]:
    """The Bot API with the page's routes, a student and a teacher on the page, users 7 and 8.
    A feed request is held 3 s at most: a test that misses a change fails fast."""
    monkeypatch.setattr(web_module, "EVENTS_TIMEOUT", 3.0)
    api = BotApiServer(SANDBOX_TOKEN)
    page = SandboxPage(api)
    assert page.add_student("Аня Иванова").id == STUDENT
    page.add_person(Person(TEACHER_ID, "Мария Петровна", TEACHER, "учитель", "ru"))
    api.add_user(7, "Ваня")
    api.add_user(8, "Петя")
    await api.start(add_routes=page.add_routes)
    try:
        async with aiohttp.ClientSession(base_url=api.url) as http:
            yield Server(api, page, http)
    finally:
        await api.stop()


# --- helpers ------------------------------------------------------------------------------------


async def call(http: aiohttp.ClientSession, method: str, **params: Any) -> tuple[int, JSON]:
    """A Bot API call with JSON parameters, as the bot would make it."""
    async with http.post(f"/bot{SANDBOX_TOKEN}/{method}", json=params) as resp:
        return resp.status, await resp.json()


async def upload(
    http: aiohttp.ClientSession, method: str, field: str, data: bytes, filename: str, **params: str
) -> tuple[int, JSON]:
    """A multipart upload of one file, as aiogram sends BufferedInputFile."""
    form = aiohttp.FormData()
    for name, value in params.items():
        form.add_field(name, value)
    form.add_field(field, data, filename=filename)
    async with http.post(f"/bot{SANDBOX_TOKEN}/{method}", data=form) as resp:
        return resp.status, await resp.json()


def ok(answer: tuple[int, JSON]) -> Any:
    """The result of a call that must succeed."""
    status, body = answer
    assert status == 200, body
    return body["result"]


def member_statuses(update: JSON) -> tuple[str, str]:
    """A my_chat_member update as aiogram reads it: (old status, new status)."""
    change = Update.model_validate(update).my_chat_member
    assert change is not None, update
    assert change.chat.id == change.from_user.id == update["my_chat_member"]["chat"]["id"]
    assert change.new_chat_member.user.is_bot
    return change.old_chat_member.status, change.new_chat_member.status


async def updates(http: aiohttp.ClientSession) -> list[JSON]:
    """Fetches the queued updates and confirms them, as a polling bot does."""
    result: list[JSON] = ok(await call(http, "getUpdates"))
    if result:
        await call(http, "getUpdates", offset=result[-1]["update_id"] + 1)
    return result


async def get(http: aiohttp.ClientSession, path: str) -> JSON:
    async with http.get(path) as resp:
        assert resp.status == 200, await resp.text()
        body: JSON = await resp.json()
        return body


async def post(http: aiohttp.ClientSession, path: str, body: JSON) -> tuple[int, JSON]:
    async with http.post(path, json=body) as resp:
        return resp.status, await resp.json()


async def seq(http: aiohttp.ClientSession) -> int:
    return int((await get(http, "/sandbox/state"))["seq"])


async def send_with_button(http: aiohttp.ClientSession, chat_id: int) -> int:
    html = {"text": "😀 <b>Привет</b>, мир", "parse_mode": "HTML", "reply_markup": KEYBOARD}
    return int(ok(await call(http, "sendMessage", chat_id=chat_id, **html))["message_id"])


async def is_held(server: Server, task: asyncio.Future[Any]) -> bool:
    """The feed request reached the server and is waiting there for a change."""
    for _ in range(200):
        if server.page.held_feeds or task.done():
            break
        await asyncio.sleep(0.01)
    return server.page.held_feeds == 1 and not task.done()


# --- sendDocument -------------------------------------------------------------------------------


async def test_send_document_uploads_and_resends_by_file_id(server: Server) -> None:
    api, http = server.api, server.http
    message = ok(
        await upload(
            http, "sendDocument", "document", CSV, "list.csv", chat_id="7", caption="Список класса"
        )
    )
    assert message["document"]["file_name"] == "list.csv"
    assert message["document"]["file_size"] == len(CSV)
    assert message["caption"] == "Список класса"
    assert "text" not in message
    assert api.chat(7)[-1].document_data == CSV

    status, body = await upload(
        http, "sendDocument", "document", CSV, "list.csv", chat_id="7", caption="c" * 1025
    )
    assert (status, body["description"]) == (400, "Bad Request: message caption is too long")
    assert len(api.chat(7)) == 1

    again = ok(await call(http, "sendDocument", chat_id=8, document=message["document"]["file_id"]))
    assert again["document"]["file_size"] == len(CSV)
    assert api.chat(8)[-1].document_data == CSV

    status, body = await call(http, "sendDocument", chat_id=8, document="BQACAgIAAxkBAAI99999999")
    assert (status, body["description"]) == (
        400,
        "Bad Request: wrong file identifier/HTTP URL specified",
    )
    assert len(api.chat(8)) == 1


async def test_a_document_resent_by_file_id_is_the_same_file(server: Server) -> None:
    """Bot API: file_unique_id is "supposed to be the same over time and for different bots";
    a document sent again by its file_id is that file, with its name."""
    http = server.http
    first = ok(await upload(http, "sendDocument", "document", CSV, "list.csv", chat_id="7"))
    first = first["document"]
    again = ok(await call(http, "sendDocument", chat_id=8, document=first["file_id"]))["document"]
    assert (again["file_unique_id"], again["file_name"]) == (first["file_unique_id"], "list.csv")


async def test_aiogram_uploads_keep_their_file_names(server: Server) -> None:
    """aiogram sends a file as `document=attach://<random>` with the bytes under that name."""
    bot = Bot(
        SANDBOX_TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(server.api.url))
    )
    try:
        sent = await bot.send_document(7, BufferedInputFile(CSV, filename="list.csv"))
    finally:
        await bot.session.close()
    assert sent.document is not None
    assert (sent.document.file_name, sent.document.file_size) == ("list.csv", len(CSV))
    assert server.api.chat(7)[-1].document_data == CSV


# --- copyMessage --------------------------------------------------------------------------------


async def test_copy_message_copies_texts_and_photos(server: Server) -> None:
    api, http = server.api, server.http
    original = await api.user_sends(7, "<b>hi</b> & bye")
    status, body = await call(
        http, "copyMessage", chat_id=8, from_chat_id=7, message_id=original.message_id
    )
    copy = api.chat(8)[-1]
    assert (status, body) == (200, {"ok": True, "result": {"message_id": copy.message_id}})
    assert MessageId.model_validate(body["result"]).message_id == copy.message_id
    assert copy.from_bot
    assert (copy.text, copy.entities) == ("<b>hi</b> & bye", [])  # a user's text is not markup

    photo = ok(
        await upload(http, "sendPhoto", "photo", PNG_1X1, "qr.png", chat_id="7", caption="старая")
    )
    new_caption = {"caption": "<i>новая</i>", "parse_mode": "HTML"}
    photo_id = photo["message_id"]
    copied = ok(
        await call(
            http, "copyMessage", chat_id=8, from_chat_id=7, message_id=photo_id, **new_caption
        )
    )
    copy = api.chat(8)[-1]
    assert (copy.message_id, copy.photo) == (copied["message_id"], PNG_1X1)
    assert (copy.text, copy.entities) == ("новая", [{"type": "italic", "offset": 0, "length": 5}])
    assert api.chat(7)[-1].text == "старая"  # the original keeps its caption

    status, body = await call(http, "copyMessage", chat_id=8, from_chat_id=7, message_id=999)
    assert (status, body["description"]) == (400, "Bad Request: message to copy not found")
    api.user_blocks(8)
    status, body = await call(http, "copyMessage", chat_id=8, from_chat_id=7, message_id=photo_id)
    assert (status, body) == (403, BLOCKED)
    assert len(api.chat(8)) == 2


# --- flood limits -------------------------------------------------------------------------------


async def test_a_send_over_the_flood_limit_is_answered_429(server: Server) -> None:
    api, http = server.api, server.http
    api.flood_limits = FloodLimits(per_second=3)
    for n in range(3):
        ok(await call(http, "sendMessage", chat_id=7 + n % 2, text=f"№{n}"))
    assert await call(http, "sendMessage", chat_id=8, text="лишнее") == (
        429,
        {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 1",
            "parameters": {"retry_after": 1},
        },
    )
    assert [m.text for m in api.chat(8)] == ["№1"]
    await asyncio.sleep(1.1)  # the window has passed
    ok(await call(http, "sendMessage", chat_id=8, text="потом"))
    assert [m.text for m in api.chat(8)] == ["№1", "потом"]


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_flood_limits_per_chat_and_refusals_do_not_count() -> None:
    clock = FakeClock()
    limits = FloodLimits(per_second=30, per_chat_per_second=1, clock=clock)
    assert limits.admit(7) is None
    clock.now += 0.5
    retry_after = limits.admit(7)
    assert isinstance(retry_after, int)
    assert retry_after == 1
    assert limits.admit(8) is None  # another chat is not held up
    clock.now += 0.25
    assert limits.admit(7) is not None
    assert limits.refused == 2
    clock.now += 0.25  # a second after the only accepted send to 7: the refusals used nothing
    assert limits.admit(7) is None

    overall = FloodLimits(per_second=2, clock=clock)
    assert [overall.admit(chat) for chat in (1, 2, 3)] == [None, None, 1]
    clock.now += 1.0
    assert overall.admit(3) is None
    assert overall.refused == 1


async def test_no_flood_limits_by_default(server: Server) -> None:
    api, http = server.api, server.http
    assert api.flood_limits is None
    results = await asyncio.gather(
        *(call(http, "sendMessage", chat_id=7, text=f"№{n}") for n in range(50))
    )
    assert [status for status, _ in results] == [200] * 50
    assert len(api.chat(7)) == 50


# --- blocking -----------------------------------------------------------------------------------


async def test_a_user_who_blocks_the_bot_gets_nothing_and_the_bot_is_told(
    server: Server,
) -> None:
    api, http = server.api, server.http
    api.user_blocks(7)
    api.user_blocks(7)  # already blocked: nothing new happens
    assert await call(http, "sendMessage", chat_id=7, text="привет") == (403, BLOCKED)
    assert api.chat(7) == []
    [update] = await updates(http)
    assert update["my_chat_member"]["chat"]["id"] == 7
    assert update["my_chat_member"]["new_chat_member"]["user"]["id"] == api.bot_id
    assert member_statuses(update) == ("member", "kicked")
    change = Update.model_validate(update).my_chat_member
    assert change is not None
    assert isinstance(change.new_chat_member, ChatMemberBanned)

    api.user_blocks(7, blocked=False)
    ok(await call(http, "sendMessage", chat_id=7, text="снова"))
    [update] = await updates(http)
    assert member_statuses(update) == ("kicked", "member")


# --- the page -----------------------------------------------------------------------------------


async def test_page_index_is_served(server: Server) -> None:
    async with server.http.get("/") as resp:
        assert (resp.status, resp.content_type) == (200, "text/html")
        assert "app.js" in await resp.text()


async def test_page_state_lists_the_people(server: Server) -> None:
    state = await get(server.http, "/sandbox/state")
    assert state["bot"]["username"] == server.api.bot_username
    people = {p["id"]: (p["name"], p["role"], p["blocked"]) for p in state["people"]}
    assert people == {
        STUDENT: ("Аня Иванова", "student", False),
        TEACHER_ID: ("Мария Петровна", "teacher", False),
    }
    assert state["messages"] == []


async def test_a_message_typed_on_the_page_reaches_the_bot_and_the_feed(server: Server) -> None:
    http = server.http
    after = await seq(http)
    assert await post(http, "/sandbox/send", {"user_id": STUDENT, "text": "/start"}) == OK
    [update] = await updates(http)
    message = update["message"]
    assert (message["text"], message["from"]["id"]) == ("/start", STUDENT)
    assert message["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    assert Update.model_validate(update).message is not None

    feed = await get(http, f"/sandbox/events?after={after}")
    [shown] = feed["messages"]
    assert (shown["chat_id"], shown["text"], shown["from_bot"]) == (STUDENT, "/start", False)


async def test_the_feed_shows_bot_messages_and_their_edits(server: Server) -> None:
    http = server.http
    after = await seq(http)
    message_id = await send_with_button(http, STUDENT)
    feed = await get(http, f"/sandbox/events?after={after}")
    [shown] = feed["messages"]
    assert (shown["message_id"], shown["from_bot"], shown["edited"]) == (message_id, True, False)
    assert shown["text"] == "😀 Привет, мир"
    assert shown["entities"] == [{"type": "bold", "offset": 3, "length": 6}]  # 😀 is 2 in UTF-16
    assert shown["buttons"] == [[{"text": "Начать ▶️", "data": "go"}]]

    ok(await call(http, "editMessageText", chat_id=STUDENT, message_id=message_id, text="Пока"))
    feed = await get(http, f"/sandbox/events?after={feed['seq']}")
    [shown] = feed["messages"]
    assert (shown["message_id"], shown["text"], shown["edited"]) == (message_id, "Пока", True)
    assert shown["buttons"] == []


async def test_a_held_feed_request_is_answered_when_the_bot_sends(server: Server) -> None:
    http = server.http
    poll = asyncio.ensure_future(get(http, f"/sandbox/events?after={await seq(http)}"))
    try:
        assert await is_held(server, poll)
        ok(await call(http, "sendMessage", chat_id=STUDENT, text="Здравствуйте"))
        feed = await asyncio.wait_for(poll, 2)
    finally:
        poll.cancel()
    assert [m["text"] for m in feed["messages"]] == ["Здравствуйте"]


async def test_a_quiet_feed_times_out_empty_and_a_future_seq_resets(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(web_module, "EVENTS_TIMEOUT", 0.5)
    http, loop = server.http, asyncio.get_running_loop()
    after = await seq(http)
    started = loop.time()
    feed = await get(http, f"/sandbox/events?after={after}")
    assert 0.4 <= loop.time() - started < 2
    assert (feed["messages"], feed["notices"], "reset" in feed) == ([], [], False)
    assert len(feed["people"]) == 2

    started = loop.time()
    feed = await get(http, f"/sandbox/events?after={after + 1000}")
    assert feed["reset"] is True
    assert loop.time() - started < 0.4  # at once: the page reloads its state


async def test_a_press_on_the_page_becomes_a_callback_query(server: Server) -> None:
    api, http = server.api, server.http
    message_id = await send_with_button(http, STUDENT)
    after = await seq(http)
    press = {"user_id": STUDENT, "message_id": message_id, "data": "go"}
    assert await post(http, "/sandbox/press", press) == OK
    [update] = await updates(http)
    query = update["callback_query"]
    assert (query["data"], query["message"]["message_id"]) == ("go", message_id)
    assert query["from"]["id"] == STUDENT
    assert Update.model_validate(update).callback_query is not None

    answer = {"callback_query_id": query["id"], "text": "Готово", "show_alert": True}
    ok(await call(http, "answerCallbackQuery", **answer))
    feed = await get(http, f"/sandbox/events?after={after}")
    assert [{k: n[k] for k in ("chat_id", "text", "alert")} for n in feed["notices"]] == [
        {"chat_id": STUDENT, "text": "Готово", "alert": True}
    ]

    status, body = await post(http, "/sandbox/press", {**press, "message_id": 999})
    assert (status, body["ok"], type(body["error"])) == (400, False, str)
    assert api.pending_updates == []


async def test_the_page_refuses_bad_sends(server: Server) -> None:
    api, http = server.api, server.http
    for body in (
        {"user_id": STUDENT, "text": ""},
        {"user_id": STUDENT, "text": "   "},
        {"user_id": STUDENT, "text": "я" * 5000},
        {"user_id": 4242, "text": "привет"},
        {"user_id": STUDENT},
    ):
        status, answer = await post(http, "/sandbox/send", body)
        assert (status, answer["ok"], type(answer["error"])) == (400, False, str), body
    async with http.post("/sandbox/send", data=b"user_id=1001&text=hi") as resp:
        assert resp.status == 400
        answer = await resp.json()
        assert (answer["ok"], type(answer["error"])) == (False, str)
    assert api.pending_updates == []
    assert api.chat(STUDENT) == []


async def test_a_person_who_blocked_the_bot_cannot_send(server: Server) -> None:
    http = server.http

    async def blocked() -> bool:
        state = await get(http, "/sandbox/state")
        return bool(next(p["blocked"] for p in state["people"] if p["id"] == STUDENT))

    assert await post(http, "/sandbox/block", {"user_id": STUDENT, "blocked": True}) == OK
    assert await blocked()
    status, answer = await post(http, "/sandbox/send", {"user_id": STUDENT, "text": "привет"})
    assert (status, answer["ok"]) == (400, False)
    [update] = await updates(http)
    assert member_statuses(update) == ("member", "kicked")

    assert await post(http, "/sandbox/block", {"user_id": STUDENT, "blocked": False}) == OK
    assert not await blocked()
    assert await post(http, "/sandbox/send", {"user_id": STUDENT, "text": "привет"}) == OK
    changed, sent = await updates(http)
    assert (member_statuses(changed), sent["message"]["text"]) == (("kicked", "member"), "привет")


async def test_a_student_added_on_the_page_can_write(server: Server) -> None:
    http = server.http
    before = await get(http, "/sandbox/state")
    poll = asyncio.ensure_future(get(http, f"/sandbox/events?after={before['seq']}"))
    try:
        assert await is_held(server, poll)
        status, person = await post(http, "/sandbox/people", {})
        assert status == 200, person
        feed = await asyncio.wait_for(poll, 2)  # the page learns of the newcomer at once
    finally:
        poll.cancel()
    assert person["id"] not in {p["id"] for p in before["people"]}
    assert (person["role"], person["blocked"]) == ("student", False)
    assert person in feed["people"]
    assert person in (await get(http, "/sandbox/state"))["people"]

    assert await post(http, "/sandbox/send", {"user_id": person["id"], "text": "привет"}) == OK
    [update] = await updates(http)
    assert update["message"]["from"]["id"] == person["id"]


async def test_the_page_serves_the_photos_the_bot_sent(server: Server) -> None:
    http = server.http
    photo = ok(await upload(http, "sendPhoto", "photo", PNG_1X1, "qr.png", chat_id="1001"))
    text = ok(await call(http, "sendMessage", chat_id=STUDENT, text="текст"))
    photo_id, text_id = photo["message_id"], text["message_id"]

    async with http.get(f"/sandbox/files/{STUDENT}/{photo_id}") as resp:
        assert (resp.status, resp.content_type) == (200, "image/png")
        assert await resp.read() == PNG_1X1
    for path in (f"/sandbox/files/{STUDENT}/{text_id}", f"/sandbox/files/{STUDENT}/999"):
        async with http.get(path) as resp:
            assert resp.status == 404, path
    state = await get(http, "/sandbox/state")
    assert [m["photo"] for m in state["messages"]] == [f"/sandbox/files/{STUDENT}/{photo_id}", None]


async def test_page_actions_take_json_only_and_real_booleans(server: Server) -> None:
    http = server.http
    # A form or text/plain post (what another web site could make a browser send): refused.
    async with http.post("/sandbox/send", data='{"user_id": 1001, "text": "/start"}') as resp:
        assert resp.status == 400
    async with http.post("/sandbox/people", data="{}") as resp:
        assert resp.status == 400
    status, answer = await post(http, "/sandbox/block", {"user_id": STUDENT, "blocked": "false"})
    assert (status, answer["ok"]) == (400, False)
    assert STUDENT not in server.api.blocked
    assert await updates(http) == []
    assert len((await get(http, "/sandbox/state"))["people"]) == 2


async def test_a_lone_surrogate_is_text_not_a_crash(server: Server) -> None:
    assert await post(server.http, "/sandbox/send", {"user_id": STUDENT, "text": "a\ud800"}) == OK
    [update] = await updates(server.http)
    assert update["message"]["text"] == "a\ud800"


async def test_a_refused_callback_answer_leaves_the_query_open(server: Server) -> None:
    api, http = server.api, server.http
    message_id = await send_with_button(http, STUDENT)
    query = await api.user_presses_data(STUDENT, "go", message_id)
    status, body = await call(http, "answerCallbackQuery", callback_query_id=query, text="x" * 201)
    assert (status, body["description"]) == (400, "Bad Request: MESSAGE_TOO_LONG")
    assert api.answered_callbacks == {query: 0}
    assert ok(await call(http, "answerCallbackQuery", callback_query_id=query, text="OK")) is True
    assert api.answered_callbacks == {query: 1}


async def test_refused_sends_do_not_use_up_the_flood_limit(server: Server) -> None:
    api, http = server.api, server.http
    api.flood_limits = FloodLimits(per_second=2)
    for _ in range(3):
        status, _ = await call(http, "sendMessage", chat_id=999, text="nobody")  # no such chat
        assert status == 400
    ok(await call(http, "sendMessage", chat_id=7, text="1"))
    ok(await call(http, "sendMessage", chat_id=7, text="2"))
    status, body = await call(http, "sendMessage", chat_id=7, text="3")
    assert status == 429, body


async def test_edits_and_deletions_in_a_blocked_chat_are_refused(server: Server) -> None:
    api, http = server.api, server.http
    message_id = await send_with_button(http, 7)
    api.user_blocks(7)
    for method, params in (
        ("editMessageText", {"text": "new"}),
        ("editMessageReplyMarkup", {}),
        ("deleteMessage", {}),
    ):
        assert await call(http, method, chat_id=7, message_id=message_id, **params) == (
            403,
            BLOCKED,
        ), method
    assert api.chat(7)[-1].text == "😀 Привет, мир" and not api.chat(7)[-1].deleted


async def test_a_photo_or_a_sticker_sent_from_the_page(server: Server) -> None:
    http = server.http
    after = await seq(http)
    photo = {"user_id": STUDENT, "kind": "photo", "text": "моё фото"}
    assert await post(http, "/sandbox/send", photo) == OK
    assert await post(http, "/sandbox/send", {"user_id": STUDENT, "kind": "sticker"}) == OK
    status, answer = await post(http, "/sandbox/send", {"user_id": STUDENT, "kind": "voice"})
    assert (status, answer["ok"]) == (400, False)

    sent_photo, sent_sticker = (Update.model_validate(u).message for u in await updates(http))
    assert sent_photo is not None and sent_photo.photo and sent_photo.caption == "моё фото"
    assert sent_photo.text is None
    assert sent_sticker is not None and sent_sticker.sticker is not None
    assert sent_sticker.sticker.emoji == "👍"

    shown = (await get(http, f"/sandbox/events?after={after}"))["messages"]
    assert [(m["from_bot"], m["text"], m["sticker"]) for m in shown] == [
        (False, "моё фото", None),
        (False, "", "👍"),
    ]
    async with http.get(shown[0]["photo"]) as resp:
        assert resp.content_type == "image/png"
        assert (await resp.read()).startswith(b"\x89PNG")
