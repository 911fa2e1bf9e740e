"""Writes for asks and blocks. Every answer is a conditional update on the ask's
status, so a double-submitted form or a race changes nothing the second time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from mentormesh.connect import checker, selectors
from mentormesh.connect.models import (
    OPEN_STATUSES,
    Ask,
    AskReply,
    AskStatus,
    Block,
    DeclineKind,
    IntroStatus,
    Relationship,
    Report,
)
from mentormesh.connect.services.relationships import relationship_start
from mentormesh.discover.network import network_changed
from mentormesh.errors import Conflict, DomainError, NotFound, PermissionDenied, TooMany
from mentormesh.notifications.services import notify
from mentormesh.people.models import Skill, User
from mentormesh.people.selectors import profile_for, skill_resolve

REMIND_AFTER = timedelta(days=3)
EXPIRE_AFTER = timedelta(days=14)
ASKS_PER_WEEK = 10
TIME_MINUTES = (15, 30, 45, 60)
TOPIC_LENGTH = 80


def _ask_url(ask: Ask) -> str:
    return reverse("ask", args=[ask.pk])


def _visible_user(viewer: User, handle: str) -> User:
    return profile_for(viewer=viewer, handle=handle).user


@dataclass(frozen=True)
class AskDraft:
    """An ask that passed every check, ready to send now or once an introducer forwards it."""

    recipient: User
    message: str
    question: str
    time_minutes: int | None
    offer_back: str
    skill: Skill | None
    score: int


def ask_draft(
    *,
    sender: User,
    recipient: User,
    message: str,
    question: str,
    time_minutes: int | None,
    offer_back: str = "",
    skill_name: str = "",
    shared_context: tuple[str, ...] = (),
) -> AskDraft:
    """Check an ask before it goes out: who may ask whom, the fields, the weekly limit and
    the context checker. ``shared_context`` is what the two have in common (an introducer)."""
    if recipient.pk == sender.pk:
        raise DomainError("You cannot ask yourself.", field="recipient")
    if Block.objects.filter(blocker=recipient, blocked=sender).exists():
        raise PermissionDenied(f"@{recipient.handle} is not taking asks from you.")
    if Block.objects.filter(blocker=sender, blocked=recipient).exists():
        raise DomainError(
            f"You blocked @{recipient.handle}; unblock them first.", field="recipient"
        )
    if time_minutes is not None and time_minutes not in TIME_MINUTES:
        raise DomainError(
            "time_minutes: choose 15, 30, 45 or 60, or nothing for an answer in writing.",
            field="time_minutes",
        )
    question = question.strip()
    if not question:
        raise DomainError("Say what exactly you are asking.", field="question")
    if len(question) > 500 or len(offer_back) > 300 or len(message) > 4000:
        raise DomainError("The message, question or offer is too long.", field="message")
    skill = None
    if skill_name:
        skill = skill_resolve(skill_name)
        if skill is None:
            raise DomainError(f"No skill called “{skill_name}”.", field="skill")
    # The sender's row lock makes two simultaneous sends count one after the other.
    User.objects.select_for_update().filter(pk=sender.pk).first()
    week_ago = timezone.now() - timedelta(days=7)
    # Introductions waiting to be forwarded are asks on their way, and count as such.
    sent = Ask.objects.filter(sender=sender, created_at__gte=week_ago).count()
    if (
        sent + selectors.intros_open_by(sender).filter(created_at__gte=week_ago).count()
        >= ASKS_PER_WEEK
    ):
        raise TooMany(
            f"You have sent {ASKS_PER_WEEK} asks this week, the most we allow. Follow up on "
            "the ones you have; the limit keeps asks personal."
        )
    check = selectors.ask_check(
        sender=sender,
        recipient=recipient,
        message=message,
        question=question,
        time_minutes=time_minutes,
        shared_context=shared_context,
    )
    blocking = [f for f in check.findings if f.severity == checker.BLOCK]
    if not check.ready:
        worst = blocking[0] if blocking else check.findings[0]
        raise DomainError(worst.message, field="message", code=f"not_ready:{worst.code}")
    return AskDraft(recipient, message.strip(), question, time_minutes, offer_back.strip(),
                    skill, check.score)  # fmt: skip


@transaction.atomic
def ask_send(
    *,
    sender: User,
    recipient_handle: str,
    message: str,
    question: str,
    time_minutes: int | None,
    offer_back: str = "",
    skill_name: str = "",
) -> Ask:
    """Send an ask once the checker finds nothing that blocks it."""
    recipient = _visible_user(sender, recipient_handle)
    if selectors.intros_open_by(sender).filter(target=recipient).exists():
        raise Conflict(
            f"You asked for an introduction to @{recipient.handle}; withdraw it before asking "
            "directly.",
            field="recipient",
        )
    draft = ask_draft(
        sender=sender, recipient=recipient, message=message,
        question=question, time_minutes=time_minutes, offer_back=offer_back,
        skill_name=skill_name,
    )  # fmt: skip
    return ask_create(sender=sender, draft=draft)


def ask_create(
    *, sender: User, draft: AskDraft, introduced_by: User | None = None, intro_note: str = ""
) -> Ask:
    """Write a checked ask, tell the recipient, and queue its reminder and expiry."""
    from mentormesh.connect import tasks

    recipient = draft.recipient
    now = timezone.now()
    try:
        with transaction.atomic():
            ask = Ask.objects.create(
                sender=sender, recipient=recipient, skill=draft.skill, message=draft.message,
                question=draft.question, time_minutes=draft.time_minutes,
                offer_back=draft.offer_back, check_score=draft.score,
                expires_at=now + EXPIRE_AFTER, introduced_by=introduced_by, intro_note=intro_note,
            )  # fmt: skip
    except IntegrityError:
        who = f"@{sender.handle} already has" if introduced_by else "You already have"
        raise Conflict(
            f"{who} an open ask to @{recipient.handle}. Wait for the answer or withdraw it first.",
            field="recipient",
        ) from None
    via = f"@{introduced_by.handle} introduced @{sender.handle}, who" if introduced_by else ""
    notify(
        user=recipient,
        kind="ask_received",
        text=f"{via or '@' + sender.handle} asks: {draft.question}",
        url=_ask_url(ask),
    )
    transaction.on_commit(
        lambda: (
            tasks.ask_remind.using(run_after=now + REMIND_AFTER).enqueue(ask.pk),
            tasks.ask_expire.using(run_after=ask.expires_at).enqueue(ask.pk),
        )
    )
    return ask


def _ask_as(ask_id: int, by: User, *, role: str, action: str) -> Ask:
    """The ask, when ``by`` is its ``role`` ("recipient" or "sender"). Someone party to
    neither side gets NotFound, as for a missing ask; the other party PermissionDenied."""
    ask = selectors.ask_get(viewer=by, ask_id=ask_id)
    if getattr(ask, f"{role}_id") != by.pk:
        who = "the person asked" if role == "recipient" else "the person who asked"
        raise PermissionDenied(f"Only {who} can {action}.")
    return ask


def _move(ask: Ask, *, from_statuses, **changes) -> None:
    """Change an ask only if it is still in one of ``from_statuses``."""
    if not Ask.objects.filter(pk=ask.pk, status__in=from_statuses).update(**changes):
        ask.refresh_from_db(fields=["status"])
        raise Conflict(f"Nothing changed: this ask is now “{ask.get_status_display()}”.")
    for name, value in changes.items():
        setattr(ask, name, value)


def _topic_of(ask: Ask) -> str:
    """The question, cut at a word to fit a heading: what the two will work on."""
    if len(ask.question) <= TOPIC_LENGTH:
        return ask.question
    return ask.question[: TOPIC_LENGTH - 1].rsplit(" ", 1)[0] + "…"


@transaction.atomic
def ask_accept(*, ask_id: int, by: User, topic: str = "") -> Relationship:
    ask = _ask_as(ask_id, by, role="recipient", action="accept")
    _move(
        ask,
        from_statuses=[AskStatus.PENDING],
        status=AskStatus.ACCEPTED,
        answered_at=timezone.now(),
    )
    relationship = relationship_start(
        one=ask.sender, other=ask.recipient, topic=topic or _topic_of(ask), ask=ask
    )
    notify(
        user=ask.sender,
        kind="ask_accepted",
        text=f"@{by.handle} accepted your ask: {ask.question}",
        url=reverse("relationship", args=[relationship.pk]),
    )
    network_changed()
    return relationship


@transaction.atomic
def ask_decline(*, ask_id: int, by: User, kind: str = "", note: str = "") -> Ask:
    ask = _ask_as(ask_id, by, role="recipient", action="decline")
    if kind and kind not in DeclineKind.values:
        raise DomainError(f"kind: choose one of {', '.join(DeclineKind.values)}.", field="kind")
    if len(note) > 300:
        raise DomainError("note: at most 300 characters.", field="note")
    _move(
        ask,
        from_statuses=OPEN_STATUSES,
        status=AskStatus.DECLINED,
        decline_kind=kind,
        decline_note=note.strip(),
        answered_at=timezone.now(),
    )
    notify(
        user=ask.sender,
        kind="ask_declined",
        text=f"@{by.handle} can't help with this one. Here is who to ask next.",
        url=_ask_url(ask),
    )
    network_changed()
    return ask


def _reply_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise DomainError("Write your question or answer.", field="text")
    if len(text) > 2000:
        raise DomainError("text: at most 2000 characters.", field="text")
    return text


@transaction.atomic
def ask_more(*, ask_id: int, by: User, text: str) -> AskReply:
    """The recipient asks a question back before deciding."""
    ask = _ask_as(ask_id, by, role="recipient", action="ask to know more")
    text = _reply_text(text)
    _move(ask, from_statuses=[AskStatus.PENDING], status=AskStatus.MORE)
    reply = AskReply.objects.create(ask=ask, author=by, text=text)
    notify(
        user=ask.sender,
        kind="ask_more",
        text=f"@{by.handle} would like to know more: {text}",
        url=_ask_url(ask),
    )
    return reply


@transaction.atomic
def ask_reply(*, ask_id: int, by: User, text: str) -> AskReply:
    """The sender answers the recipient's question; the ask waits for a decision again."""
    ask = _ask_as(ask_id, by, role="sender", action="reply here")
    text = _reply_text(text)
    _move(ask, from_statuses=[AskStatus.MORE], status=AskStatus.PENDING)
    reply = AskReply.objects.create(ask=ask, author=by, text=text)
    notify(
        user=ask.recipient,
        kind="ask_reply",
        text=f"@{by.handle} answered your question",
        url=_ask_url(ask),
    )
    return reply


@transaction.atomic
def ask_withdraw(*, ask_id: int, by: User) -> Ask:
    ask = _ask_as(ask_id, by, role="sender", action="withdraw")
    _move(ask, from_statuses=OPEN_STATUSES, status=AskStatus.WITHDRAWN)
    return ask


@transaction.atomic
def ask_report(*, ask_id: int, by: User, reason: str, block: bool = True) -> Report:
    """The recipient reports an ask to staff; by default they also block the sender."""
    ask = _ask_as(ask_id, by, role="recipient", action="report an ask")
    reason = reason.strip()
    if not reason:
        raise DomainError("Say briefly what is wrong with it.", field="reason")
    if len(reason) > 500:
        raise DomainError("reason: at most 500 characters.", field="reason")
    try:
        with transaction.atomic():
            report = Report.objects.create(ask=ask, reporter=by, reason=reason)
    except IntegrityError:
        raise Conflict("You already reported this ask.") from None
    if ask.is_open:
        _move(
            ask, from_statuses=OPEN_STATUSES, status=AskStatus.DECLINED, answered_at=timezone.now()
        )
    if block:
        block_add(by=by, handle=ask.sender.handle)
    return report


def ask_remind(*, ask_id: int) -> bool:
    """Three days on, remind the recipient of an ask still waiting; True if reminded."""
    now = timezone.now()
    ask = Ask.objects.select_related("sender", "recipient").filter(pk=ask_id).first()
    if ask is None or not Ask.objects.filter(
        pk=ask_id, status=AskStatus.PENDING, reminded_at__isnull=True
    ).update(reminded_at=now):
        return False
    notify(
        user=ask.recipient,
        kind="ask_reminder",
        text=f"@{ask.sender.handle} is still waiting for your answer: {ask.question}",
        url=_ask_url(ask),
    )
    return True


def ask_expire(*, ask_id: int) -> bool:
    """After 14 days without an answer the ask expires and the sender hears whom to ask next."""
    ask = Ask.objects.select_related("sender", "recipient").filter(pk=ask_id).first()
    if ask is None or not Ask.objects.filter(
        pk=ask_id, status__in=OPEN_STATUSES, expires_at__lte=timezone.now()
    ).update(status=AskStatus.EXPIRED):
        return False
    notify(
        user=ask.sender,
        kind="ask_expired",
        text=f"Your ask to @{ask.recipient.handle} expired. Here is who to ask next.",
        url=_ask_url(ask),
    )
    return True


@transaction.atomic
def block_add(*, by: User, handle: str) -> Block:
    other = User.objects.filter(handle=handle.lower().removeprefix("@")).first()
    if other is None:
        raise NotFound(f"No one with the handle @{handle}.")
    if other.pk == by.pk:
        raise DomainError("You cannot block yourself.", field="handle")
    block, _ = Block.objects.get_or_create(blocker=by, blocked=other)
    now = timezone.now()
    Ask.objects.filter(sender=other, recipient=by, status__in=OPEN_STATUSES).update(
        status=AskStatus.DECLINED, answered_at=now
    )
    # Their requests that would reach me, or that I was asked to pass on, close too.
    selectors.intros_open_by(other).filter(Q(target=by) | Q(introducer=by)).update(
        status=IntroStatus.DECLINED, answered_at=now
    )
    network_changed()
    return block


@transaction.atomic
def block_remove(*, by: User, handle: str) -> None:
    Block.objects.filter(blocker=by, blocked__handle=handle.lower().removeprefix("@")).delete()
    network_changed()
