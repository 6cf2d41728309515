"""End to end over HTTP: `python -m bot` runs as a process and long-polls the sandbox Bot API.

Here nothing of the bot is stubbed: its settings come from the environment, its HTTP client talks
to `sandbox.bot_api`, it stores in a real SQLite file and stops on SIGTERM. The
student is a Russian-speaking Telegram user who presses the buttons they see.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import socket
from pathlib import Path
from typing import Any

import aiohttp

from sandbox.bot_api import SANDBOX_TOKEN, BotApiServer
from sandbox.flood_limits import FloodLimits
from sandbox.models import both, contains, has_button
from sandbox.web import sample_photo
from tests.support.e2e import (
    REPLY_TIMEOUT,
    REPO_ROOT,
    START_TIMEOUT,
    STUDENT_ID,
    BotProcess,
    Launch,
    Student,
    assert_answered_once,
    decode_qr,
    open_db,
)


def ftl_commands(locale: str) -> dict[str, str]:
    commands: dict[str, str] = {}
    for path in sorted((REPO_ROOT / "locales" / locale).glob("*.ftl")):
        text = path.read_text(encoding="utf-8")
        commands.update(re.findall(r"^cmd-(\w+) = (.+)$", text, flags=re.MULTILINE))
    # The bot runs with the default e-journal: its name in each language's letters.
    ejournal = {"ru": "ЭПОС", "en": "EPOS"}[locale]
    return {name: text.replace("{ $ejournal }", ejournal) for name, text in commands.items()}


# --- the tests ------------------------------------------------------------------------------


async def test_commands_registered_at_start_up(api: BotApiServer, bot: BotProcess) -> None:
    ru, en = ftl_commands("ru"), ftl_commands("en")
    for language, expected in (("ru", ru), ("en", en), ("", ru)):  # "": the default is ru
        commands = api.commands.get(("default", language))
        assert commands is not None, f"no setMyCommands for language {language!r}"
        assert {c["command"]: c["description"] for c in commands} == expected
    # Before polling: the menu is there by the time the first update is handled.
    names = [call.method for call in api.calls]
    assert names.index("getUpdates") > max(i for i, n in enumerate(names) if n == "setMyCommands")
    assert "getMe" in names
    assert api.failed_calls() == []
    await bot.stop_gracefully()


async def test_gosuslugi_branch_reaches_summary(
    api: BotApiServer, bot: BotProcess, student: Student, bot_db: Path
) -> None:
    await student.to_fork()
    await student.press("Да, есть ✅", expect_text="Шаг 3. Через ЭПОС и Госуслуги")
    final = await student.press("Готово ✅", expect_text="🎉 Готово!")

    for line in (
        "Школа: МБОУ СОШ № 1",
        "Класс: 5А",
        "Имя: Анна Иванова",
        "Устройство: телефон",
        "Путь: своя учётная запись Госуслуг, связывание с ЭПОС",
        "вы автоматически в чате класса",
        "Команда /status покажет это в любой момент.",
    ):
        assert line in final.text
    assert "Заявка учителю" not in final.text
    assert final.keyboard is None  # the end: nothing left to press
    assert api.failed_calls() == []
    assert_answered_once(api)
    await bot.stop_gracefully()

    with contextlib.closing(open_db(bot_db)) as conn:
        row = conn.execute("SELECT * FROM students WHERE user_id = ?", (STUDENT_ID,)).fetchone()
        assert (row["step"], row["gosuslugi"], row["device"]) == ("done", 1, "phone")
        assert row["full_name"] == "Анна Иванова"
        assert row["finished_at"] is not None
        assert conn.execute("SELECT count(*) FROM join_requests").fetchone()[0] == 0


async def test_variant1_records_a_pending_request(
    api: BotApiServer, bot: BotProcess, student: Student, bot_db: Path
) -> None:
    await student.to_fork()
    await student.press("Нет ❌", expect_button="Вариант 1: заявка на сайте Сферум")
    await student.press(
        "Вариант 1: заявка на сайте Сферум", expect_text="Вариант 1: заявка на сайте Сферума"
    )
    final = await student.press("Я отправил(а) заявку ✅", expect_text="🎉 Готово!")

    # Nobody in this deployment can receive it (no teacher, no admin, no ADMIN_IDS): said so.
    assert "✉️ Заявка сохранена, но получить её пока некому" in final.text
    assert "скажите классному руководителю лично" in final.text
    assert "Путь: без Госуслуг, вариант 1 (заявка на сайте Сферума)" in final.text
    assert (
        "Заявка учителю: сохранена, но учителя и администрации школы пока нет в боте" in final.text
    )
    assert api.failed_calls() == []
    assert_answered_once(api)
    await bot.stop_gracefully()

    with contextlib.closing(open_db(bot_db)) as conn:
        requests = conn.execute(
            """
            SELECT r.student_id, r.variant, r.status, c.name AS class, s.name AS school
            FROM join_requests r JOIN classes c ON c.id = r.class_id
            JOIN schools s ON s.id = c.school_id
            """
        ).fetchall()
        assert [tuple(r) for r in requests] == [(STUDENT_ID, 1, "pending", "5А", "МБОУ СОШ № 1")]
        row = conn.execute("SELECT * FROM students WHERE user_id = ?", (STUDENT_ID,)).fetchone()
        assert (row["step"], row["variant"], row["gosuslugi"]) == ("done", 1, 0)


async def test_variant2_sends_class_and_chat_links_with_qr_codes(
    api: BotApiServer, bot: BotProcess, student: Student, bot_db: Path
) -> None:
    invite, chat = "https://sferum.ru/?invite=class5a", "https://vk.me/join/chat5a"
    with contextlib.closing(open_db(bot_db)) as conn, conn:
        conn.execute(
            "UPDATE classes SET invite_link = ?, chat_link = ? WHERE name = '5А'", (invite, chat)
        )
    await student.to_fork()
    await student.press("Нет ❌", expect_button="Вариант 2: ссылка от учителя")
    await student.press("Вариант 2: ссылка от учителя", expect_text=invite)
    await student.press("Я уже в классе ✅", expect_text=chat)
    await student.press("Я в чате класса ✅", expect_text="🎉 Готово!")

    photos = [m for m in api.bot_messages(STUDENT_ID) if m.is_photo]
    assert [decode_qr(m.photo) for m in photos] == [invite, chat]
    assert "QR-код для присоединения к классу 5А" in photos[0].text
    assert api.failed_calls() == []
    assert_answered_once(api)
    await bot.stop_gracefully()
    with contextlib.closing(open_db(bot_db)) as conn:
        assert conn.execute("SELECT count(*) FROM join_requests").fetchone()[0] == 0


async def test_every_callback_query_is_answered_once(
    api: BotApiServer, bot: BotProcess, student: Student
) -> None:
    await student.send("/start", expect_button="Даю согласие ✅")
    welcome = api.last_bot_message(STUDENT_ID)
    assert welcome is not None
    school = await student.press("Даю согласие ✅", expect_button="МБОУ СОШ № 1")
    shown = len(api.bot_messages(STUDENT_ID))

    # Help opens in place and closes in place: the same message, edited twice.
    help_page = await student.press("Не получается ❓", expect_text="Не нахожу школу")
    back = await student.press("◀️ Вернуться к шагу", expect_button="МБОУ СОШ № 1")
    assert help_page.message_id == back.message_id == school.message_id
    assert back.edits == 2
    assert len(api.bot_messages(STUDENT_ID)) == shown

    # A button of an earlier step (the greeting lost its keyboard; a client may still show it):
    # a short answer, and the current step is shown again.
    query = await api.user_presses_data(STUDENT_ID, "w1:welcome:agree:0", welcome.message_id)
    answer = await api.wait_for_answer(query, timeout=REPLY_TIMEOUT)
    assert answer.get("text") == "Эта кнопка устарела. Вот ваш текущий шаг 👇"
    await api.wait_for_reply(STUDENT_ID, has_button("МБОУ СОШ № 1"), timeout=REPLY_TIMEOUT)

    # Forged callback data: answered too, nothing changes.
    query = await api.user_presses_data(STUDENT_ID, "w1:school:nonsense:0", school.message_id)
    answer = await api.wait_for_answer(query, timeout=REPLY_TIMEOUT)
    assert answer.get("text") == "Эта кнопка устарела. Вот ваш текущий шаг 👇"
    await api.wait_for_reply(STUDENT_ID, has_button("МБОУ СОШ № 1"), timeout=REPLY_TIMEOUT)

    await student.press("МБОУ СОШ № 1", expect_button="5А")
    await student.press("5А", expect_text="Как вас зовут?")
    await api.wait_until_listening(timeout=REPLY_TIMEOUT)
    await bot.stop_gracefully()  # late duplicate answers would be in the log by now

    assert len(api.callback_queries) == 7
    assert_answered_once(api)
    assert api.failed_calls() == []


async def test_sigterm_lets_the_update_in_flight_finish(
    api: BotApiServer, bot: BotProcess, student: Student, bot_db: Path
) -> None:
    await student.to_class()
    await student.press("5А", expect_text="Как вас зовут?")
    # The reply to the next text is held by the server for a second: SIGTERM arrives while the
    # bot is inside the handler, and the bot must finish it before it exits.
    api.delays["sendMessage"] = 1.0
    await api.user_sends(STUDENT_ID, "Анна Иванова")
    call = await api.wait_for_call(
        "sendMessage", lambda c: "Приятно познакомиться" in c.params["text"], done=False
    )
    assert not call.done
    code = await bot.terminate()

    assert code == 0, bot.log
    assert call.ok, f"the reply was cut off: {call.description}\n{bot.log}"
    reply = api.last_bot_message(STUDENT_ID)
    assert reply is not None
    assert "Приятно познакомиться, Анна Иванова!" in reply.text
    assert "Traceback" not in bot.log, bot.log
    assert "Received SIGTERM signal" in bot.log
    assert api.failed_calls() == []
    with contextlib.closing(open_db(bot_db)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        row = conn.execute("SELECT * FROM students WHERE user_id = ?", (STUDENT_ID,)).fetchone()
        assert (row["full_name"], row["step"]) == ("Анна Иванова", "device")


async def test_restart_continues_at_the_same_step(
    api: BotApiServer, launch: Launch, student: Student
) -> None:
    first = await launch()
    await first.wait_polling(api)
    await student.to_class()
    await api.wait_until_listening(timeout=REPLY_TIMEOUT)
    await first.stop_gracefully()
    before = len(api.bot_messages(STUDENT_ID))

    # Pressed while the bot is down: the update waits on the server for the next process.
    query = await api.user_presses(STUDENT_ID, "5А")
    second = await launch()
    await second.wait_polling(api)
    reply = await api.wait_for_reply(STUDENT_ID, contains("Как вас зовут?"), timeout=REPLY_TIMEOUT)
    await api.wait_for_answer(query, timeout=REPLY_TIMEOUT)
    assert "МБОУ СОШ № 1, класс 5А." in reply.text
    assert len(api.bot_messages(STUDENT_ID)) == before + 1  # no welcome, nothing replayed
    await student.send("Анна Иванова", expect_text="Приятно познакомиться, Анна Иванова!")
    await student.press("📱 Установил(а) на телефон ✅", expect_text="Шаг 2. Создайте")

    await second.stop_gracefully()
    assert "С возвращением" not in "".join(m.text for m in api.bot_messages(STUDENT_ID))
    assert_answered_once(api)
    assert api.failed_calls() == []


async def test_rejected_token_stops_the_bot_without_printing_it(
    api: BotApiServer, launch: Launch
) -> None:
    api.reject_token = True
    process = await launch()
    code = await asyncio.wait_for(process.proc.wait(), START_TIMEOUT)
    assert code == 2
    assert api.calls, "the bot never called the API"
    assert all(call.status == 401 for call in api.calls)
    assert SANDBOX_TOKEN not in process.log
    assert "BOT_TOKEN was rejected" in process.log
    assert "Traceback" not in process.log
    assert "Unclosed" not in process.log


async def test_an_unreachable_api_server_stops_the_bot_with_one_line(launch: Launch) -> None:
    with socket.socket() as sock:  # a port nobody listens on once this closes
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = await launch(TELEGRAM_API_URL=f"http://127.0.0.1:{port}")
    code = await asyncio.wait_for(process.proc.wait(), START_TIMEOUT)
    assert code == 1
    assert f"Cannot reach the Bot API server at http://127.0.0.1:{port}/" in process.log
    assert "Traceback" not in process.log
    assert "Unclosed" not in process.log


async def test_quick_taps_under_flood_control_still_get_every_reply(
    api: BotApiServer, bot: BotProcess, student: Student
) -> None:
    # Telegram's private-chat pace: about one message a second; a faster one is answered 429.
    api.flood_limits = FloodLimits(per_second=30, per_chat_per_second=1)
    for command in ("/start", "/help", "/status"):
        await api.user_sends(STUDENT_ID, command)
    await api.wait_for_reply(STUDENT_ID, contains("Ваш прогресс"), timeout=REPLY_TIMEOUT)

    texts = [m.text for m in api.bot_messages(STUDENT_ID)]
    assert len(texts) == 3
    assert "Здравствуйте" in texts[0] and "Помощь" in texts[1]
    assert api.flood_limits.refused >= 2  # the replies really were refused first
    assert {call.status for call in api.failed_calls()} == {429}
    await bot.stop_gracefully()
    assert "failed" not in bot.log


async def test_photos_and_stickers_get_a_hint_and_keep_the_step(
    api: BotApiServer, bot: BotProcess, student: Student
) -> None:
    await student.send("/start", expect_button="Даю согласие ✅")
    await api.user_sends_sticker(STUDENT_ID)
    await api.wait_for_reply(
        STUDENT_ID, both(contains("только текст и кнопки"), has_button("Даю согласие ✅"))
    )
    await student.press("Даю согласие ✅", expect_button="МБОУ СОШ № 1")
    await student.press("МБОУ СОШ № 1", expect_button="5А")
    await student.press("5А", expect_text="Как вас зовут?")
    await api.user_sends_photo(STUDENT_ID, sample_photo(), "Анна Иванова")
    hint = await api.wait_for_reply(STUDENT_ID, contains("Как вас зовут?"))
    assert "Напишите ответ обычным сообщением" in hint.text  # a caption is not an answer
    await student.send("Анна Иванова", expect_text="Приятно познакомиться, Анна Иванова!")
    assert_answered_once(api)
    assert api.failed_calls() == []
    await bot.stop_gracefully()


async def test_sigterm_waits_for_every_fetched_update(
    api: BotApiServer, bot: BotProcess, student: Student
) -> None:
    await student.send("/start", expect_button="Даю согласие ✅")
    await api.wait_until_listening(timeout=REPLY_TIMEOUT)
    # Two quick messages: the second waits for the first (one user's updates are serialized).
    api.delays["sendMessage"] = 1.0
    await api.user_sends(STUDENT_ID, "/help")
    await api.user_sends(STUDENT_ID, "/status")
    status_update = api.last_update_id
    await api.wait_for_call("sendMessage", lambda c: "Помощь" in c.params["text"], done=False)
    code = await bot.terminate()

    assert code == 0, bot.log
    texts = [m.text for m in api.bot_messages(STUDENT_ID)]
    assert any("Помощь" in text for text in texts)
    if api.is_confirmed(status_update):  # else the next start would fetch it again: no loss
        assert any("Ваш прогресс" in text for text in texts), "a confirmed update was dropped"


# --- the fake server itself ------------------------------------------------------------------

PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


async def test_fake_server_keeps_to_the_bot_api_contract(api: BotApiServer) -> None:
    base = f"{api.url}/bot{SANDBOX_TOKEN}"
    api.add_user(7, "Ваня")
    async with aiohttp.ClientSession() as http:

        async def call(method: str, **params: Any) -> tuple[int, dict[str, Any]]:
            async with http.post(f"{base}/{method}", json=params) as resp:
                return resp.status, await resp.json()

        async with http.get(f"{base}/GETME") as resp:  # method names are case-insensitive
            assert resp.status == 200
            assert (await resp.json())["result"]["is_bot"] is True
        assert await call("noSuchMethod") == (
            404,
            {"ok": False, "error_code": 404, "description": "Not Found"},
        )
        async with http.post(f"{api.url}/bot1:WRONG/getMe") as resp:
            assert (resp.status, (await resp.json())["description"]) == (401, "Unauthorized")

        assert await call("sendMessage", chat_id=8, text="hi") == (
            400,
            {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"},
        )
        status, body = await call("sendMessage", chat_id=7, text="я" * 4097)
        assert (status, body["description"]) == (400, "Bad Request: message is too long")
        status, body = await call(
            "sendMessage", chat_id=7, text="<b>я</b>" * 4096, parse_mode="HTML"
        )
        assert status == 200, body  # the limit counts the text after the markup is parsed
        status, body = await call("sendMessage", chat_id=7, text="1 <x> 2", parse_mode="HTML")
        assert body["description"].startswith("Bad Request: can't parse entities")

        # Forms carry objects as JSON strings, as aiogram sends them.
        markup = {"inline_keyboard": [[{"text": "A", "callback_data": "x" * 65}]]}
        form = {"chat_id": "7", "text": "t", "reply_markup": json.dumps(markup)}
        async with http.post(f"{base}/sendMessage", data=form) as resp:
            assert (resp.status, (await resp.json())["description"]) == (
                400,
                "Bad Request: BUTTON_DATA_INVALID",
            )
        markup["inline_keyboard"][0][0]["callback_data"] = "go"
        form["reply_markup"] = json.dumps(markup)
        async with http.post(f"{base}/sendMessage", data=form) as resp:
            assert resp.status == 200

        upload = aiohttp.FormData()
        upload.add_field("chat_id", "7")
        upload.add_field("caption", "c" * 1025)
        upload.add_field("photo", PNG_1X1, filename="qr.png")
        async with http.post(f"{base}/sendPhoto", data=upload) as resp:
            assert (await resp.json())["description"] == "Bad Request: message caption is too long"
        upload = aiohttp.FormData()
        upload.add_field("chat_id", "7")
        upload.add_field("photo", PNG_1X1, filename="qr.png")
        async with http.post(f"{base}/sendPhoto", data=upload) as resp:
            photo = (await resp.json())["result"]["photo"][0]
            assert (photo["width"], photo["height"]) == (1, 1)
        assert api.chat(7)[-1].photo == PNG_1X1

        # Long polling: held until the user acts; confirmed by the next offset.
        poll = asyncio.ensure_future(call("getUpdates", timeout=5))
        await asyncio.sleep(0.1)
        assert not poll.done()
        query_id = await api.user_presses(7, "A")
        status, body = await asyncio.wait_for(poll, 2)
        [update] = body["result"]
        assert update["callback_query"]["data"] == "go"
        assert await call("answerCallbackQuery", callback_query_id=query_id) == (
            200,
            {"ok": True, "result": True},
        )
        status, body = await call("answerCallbackQuery", callback_query_id=query_id)
        assert status == 400  # a query is answered once
        assert api.answered_callbacks == {query_id: 2}
        assert await call("getUpdates", offset=update["update_id"] + 1) == (
            200,
            {"ok": True, "result": []},
        )
        assert api.pending_updates == []


async def test_a_teacher_invited_in_the_bot_decides_and_sends_the_class_link(
    api: BotApiServer, launch: Launch, bot_db: Path
) -> None:
    """Issue 3 over HTTP: a super admin invites a teacher, who approves a variant-1 request and
    answers a variant-2 student with the class link, which arrives with its QR code."""
    admin_id, teacher_id, second_id = 7001, 7002, 5002
    api.add_user(admin_id, "Глава", language_code="ru")
    api.add_user(teacher_id, "Мария", language_code="ru")
    process = await launch(ADMIN_IDS=str(admin_id))
    await process.wait_polling(api)

    await api.user_sends(admin_id, "/invite_teacher")
    await api.wait_for_reply(admin_id, has_button("5А — МБОУ СОШ № 1"), timeout=REPLY_TIMEOUT)
    await api.user_presses(admin_id, "5А — МБОУ СОШ № 1")
    invite = await api.wait_for_reply(admin_id, contains("?start=i_"), timeout=REPLY_TIMEOUT)
    token = re.search(r"\?start=(i_[\w-]+)", invite.text)
    assert token is not None
    await api.user_sends(teacher_id, f"/start {token.group(1)}")
    await api.wait_for_reply(
        teacher_id, contains("классный руководитель 5А"), timeout=REPLY_TIMEOUT
    )

    first = Student(api)
    await first.to_variant1_request()
    await api.wait_for_reply(teacher_id, contains("Анна Иванова"), timeout=REPLY_TIMEOUT)
    await api.user_presses(teacher_id, "✅ Подтвердить")
    await api.wait_for_reply(
        STUDENT_ID, contains("подтвердил(а) вашу заявку"), timeout=REPLY_TIMEOUT
    )

    second = Student(api, second_id)
    await second.to_fork()
    await second.press("Нет ❌", expect_button="Вариант 2: ссылка от учителя")
    await second.press(
        "Вариант 2: ссылка от учителя", expect_text="отправлена классному руководителю"
    )
    link = "https://sferum.ru/?invite=class5a"
    await api.user_sends(teacher_id, f"/setlink {link}")
    photo = await api.wait_for_reply(second_id, lambda m: m.is_photo, timeout=REPLY_TIMEOUT)
    assert decode_qr(photo.photo) == link
    assert_answered_once(api)
    assert api.failed_calls() == []
    await process.stop_gracefully()
    with contextlib.closing(open_db(bot_db)) as conn:
        statuses = conn.execute(
            "SELECT student_id, variant, status FROM join_requests ORDER BY id"
        ).fetchall()
        # The link delivered by /setlink fulfils the variant-2 student's request.
        assert [tuple(r) for r in statuses] == [
            (STUDENT_ID, 1, "approved"),
            (second_id, 2, "approved"),
        ]
