"""The teacher's tools on screen. A class link published: stored, delivered through the delivery
engine (bot/class_links.py), the fulfilled requests' cards closed, and the truthful report to
the teacher. Also the QR codes of /qr (sent to the teacher right away), the "which class?"
buttons, and the messages of a /requests page."""

from __future__ import annotations

from dataclasses import dataclass

from aiogram import Bot
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.class_links import ALLOWED_HOSTS, ClassLinks, Delivery, LinkKind, LinkProblem
from bot.i18n import Text
from bot.teacher_tools import CLASS_BUTTONS_MAX, Purpose, RequestsPage
from storage.schools import SchoolClass
from storage.students import StudentRecord
from ui.callbacks import ClassPickCb, RequestsPageCb
from ui.cards import card_text, decision_keyboard
from ui.notifier import Notifier, send_qr

Screen = tuple[str, InlineKeyboardMarkup | None]


@dataclass(frozen=True, slots=True)
class Published:
    """A link stored for a class (the fresh class) and whom it reached."""

    klass: SchoolClass
    kind: LinkKind
    delivery: Delivery


class LinkPublisher:
    """Stores a class's link, sends it to everyone waiting through the delivery engine, and
    closes the cards of the invite-link requests it fulfilled."""

    def __init__(self, links: ClassLinks, notifier: Notifier) -> None:
        self._links = links
        self._notifier = notifier

    async def publish(
        self, bot: Bot, klass: SchoolClass, kind: LinkKind, link: str, sender_id: int, name: str
    ) -> Published:
        klass = await self._links.store(klass, kind, link)
        delivery = await self._links.deliver(klass, kind, sender_id, name)
        for request_id in delivery.fulfilled:
            card = await self._notifier.card(request_id)
            if card is not None:
                await self._notifier.close_cards(bot, card)
        return Published(klass, kind, delivery)


def _names(t: Text, students: list[StudentRecord]) -> str:
    return ", ".join(s.full_name or t("tt-roster-no-name") for s in students)


def link_report(t: Text, published: Published) -> str:
    """What the teacher is told: saved, how many got it, who did not, whom to add to the chat."""
    klass, kind, delivery = published.klass, published.kind, published.delivery
    saved = "tt-invite-saved" if kind is LinkKind.INVITE else "tt-chat-saved"
    lines = [t(saved, count=len(delivery.delivered), **{"class": klass.name})]
    if delivery.failed:
        lines.append(t("tt-link-undelivered", names=_names(t, delivery.failed)))
    if kind is LinkKind.INVITE and delivery.delivered and not klass.chat_link:
        lines.append(
            t("tt-add-to-chat", names=_names(t, delivery.delivered), **{"class": klass.name})
        )
    return "\n\n".join(lines)


def link_problem_text(t: Text, kind: LinkKind, problem: LinkProblem) -> str:
    """/setlink or /setchat without a link: how to use it; with a bad one: what is wrong."""
    if problem is LinkProblem.EMPTY:
        return t("tt-setlink-usage" if kind is LinkKind.INVITE else "tt-setchat-usage")
    return t("tt-link-bad", reason=problem.value, hosts=", ".join(ALLOWED_HOSTS))


async def send_qr_codes(bot: Bot, chat_id: int, t: Text, klass: SchoolClass) -> None:
    """/qr: the class poster's QR code (the bot's deep link) and the invite link's, if any."""
    me = await bot.me()
    poster = f"https://t.me/{me.username}?start=c_{klass.code}"
    caption = t("tt-qr-poster", link=poster, school=klass.school_name, **{"class": klass.name})
    await send_qr(bot, chat_id, poster, caption)
    if klass.invite_link:
        caption = t("tt-qr-invite", link=klass.invite_link, **{"class": klass.name})
        await send_qr(bot, chat_id, klass.invite_link, caption)
    else:
        await bot.send_message(chat_id, t("tt-qr-no-invite"))


def class_question(t: Text, classes: list[SchoolClass], purpose: Purpose) -> Screen:
    """ "Which class?" with a button per class (the first CLASS_BUTTONS_MAX of them)."""
    text = t("tt-pick-class")
    if len(classes) > CLASS_BUTTONS_MAX:
        text += "\n" + t("tt-too-many-classes", count=CLASS_BUTTONS_MAX)
    builder = InlineKeyboardBuilder()
    for klass in classes[:CLASS_BUTTONS_MAX]:
        builder.button(
            text=f"{klass.name} — {klass.school_name}",
            callback_data=ClassPickCb(purpose=purpose, class_id=klass.id),
        )
    builder.adjust(2)
    return text, builder.as_markup()


def _page_buttons(t: Text, page: int, pages: int) -> InlineKeyboardMarkup | None:
    builder = InlineKeyboardBuilder()
    if page > 0:
        builder.button(text=t("btn-prev-page"), callback_data=RequestsPageCb(page=page - 1))
    if page < pages - 1:
        builder.button(text=t("btn-next-page"), callback_data=RequestsPageCb(page=page + 1))
    return builder.as_markup() if page > 0 or page < pages - 1 else None


def requests_screens(t: Text, found: RequestsPage | None) -> list[Screen]:
    """A /requests page: each request's card with the notification's own decision buttons,
    then the count and the page buttons."""
    if found is None:
        return [(t("tt-not-staff"), None)]
    if not found.total:
        return [(t("tt-requests-none"), None)]
    screens: list[Screen] = [
        (card_text(t, card), decision_keyboard(t, card.request.id)) for card in found.cards
    ]
    footer = t("tt-requests-page", count=found.total, page=found.page + 1, pages=found.pages)
    screens.append((footer, _page_buttons(t, found.page, found.pages)))
    return screens
