"""Writes for warm introductions: ask a shared contact to pass an ask on, and their answer."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from mentormesh.connect.models import Ask, Block, Introduction, IntroStatus
from mentormesh.connect.selectors.intros import intro_get, shared_contacts
from mentormesh.connect.services.asks import AskDraft, ask_create, ask_draft
from mentormesh.errors import Conflict, DomainError, PermissionDenied
from mentormesh.notifications.services import notify
from mentormesh.people.models import User
from mentormesh.people.selectors import profile_for


def _url(intro: Introduction) -> str:
    return reverse("intro", args=[intro.pk])


def _note(text: str, field: str, *, required: bool) -> str:
    text = text.strip()
    if required and not text:
        raise DomainError(f"{field}: a line for them.", field=field)
    if len(text) > 500:
        raise DomainError(f"{field}: at most 500 characters.", field=field)
    return text


@transaction.atomic
def intro_request(
    *,
    requester: User,
    target_handle: str,
    via_handle: str,
    note_to_introducer: str,
    message: str,
    question: str,
    time_minutes: int | None,
    offer_back: str = "",
    skill_name: str = "",
) -> Introduction:
    """Ask someone we both know to introduce me; the ask to the target is checked now, as
    if sent, and goes out when the introducer forwards it."""
    target = profile_for(viewer=requester, handle=target_handle).user
    if target.pk == requester.pk:
        raise DomainError("You cannot ask for an introduction to yourself.", field="target")
    via_handle = via_handle.lower().removeprefix("@")
    if Block.objects.filter(blocker__handle=via_handle, blocked=requester).exists():
        raise PermissionDenied(f"@{via_handle} is not taking requests from you.")
    contacts = shared_contacts(viewer=requester, target=target)
    via = next((c for c in contacts if c.profile.user.handle == via_handle), None)
    if via is None:
        raise DomainError(
            f"@{via_handle} is not someone you and @{target.handle} both know.",
            field="via",
        )
    introducer = via.profile.user
    note = _note(note_to_introducer, "note_to_introducer", required=True)
    draft = ask_draft(
        sender=requester, recipient=target, message=message, question=question,
        time_minutes=time_minutes, offer_back=offer_back, skill_name=skill_name,
        shared_context=(via.profile.display_name, introducer.handle),
    )  # fmt: skip
    if Ask.objects.filter(
        sender=requester, recipient=target, status__in=["pending", "more"]
    ).exists():
        raise Conflict(f"You already have an open ask to @{target.handle}.", field="target")
    try:
        with transaction.atomic():
            intro = Introduction.objects.create(
                requester=requester, target=target, introducer=introducer,
                shared_context=f"You know @{requester.handle} through {via.with_me} and "
                f"@{target.handle} through {via.with_them}."[:300], note_to_introducer=note, skill=draft.skill,
                message=draft.message, question=draft.question, time_minutes=draft.time_minutes,
                offer_back=draft.offer_back, check_score=draft.score,
            )  # fmt: skip
    except IntegrityError:
        raise Conflict(
            f"You already asked for an introduction to @{target.handle}; wait for the answer "
            "or withdraw it.",
            field="target",
        ) from None
    notify(
        user=introducer,
        kind="intro_requested",
        text=f"@{requester.handle} asks you to introduce them to @{target.handle}",
        url=_url(intro),
    )
    return intro


def _intro_as(intro_id: int, by: User, *, role: str, action: str) -> Introduction:
    intro = intro_get(viewer=by, intro_id=intro_id)
    if getattr(intro, f"{role}_id") != by.pk:
        raise PermissionDenied(f"Only @{getattr(intro, role).handle} can {action}.")
    return intro


def _move(intro: Introduction, to: str, **changes) -> None:
    if not Introduction.objects.filter(pk=intro.pk, status=IntroStatus.REQUESTED).update(
        status=to, answered_at=timezone.now(), **changes
    ):
        intro.refresh_from_db(fields=["status"])
        raise Conflict(f"Nothing changed: this introduction is now “{intro.get_status_display()}”.")
    intro.refresh_from_db()


@transaction.atomic
def intro_forward(*, intro_id: int, by: User, note: str = "") -> Ask:
    """The introducer passes the ask on, with their own note; it arrives as an ask."""
    intro = _intro_as(intro_id, by, role="introducer", action="forward this")
    note = _note(note, "note", required=False)
    if Block.objects.filter(
        Q(blocker=intro.target, blocked=intro.requester)
        | Q(blocker=intro.requester, blocked=intro.target)
    ).exists():
        raise PermissionDenied(f"This ask can no longer reach @{intro.target.handle}.")
    _move(intro, IntroStatus.FORWARDED, introducer_note=note)
    draft = AskDraft(intro.target, intro.message, intro.question, intro.time_minutes,
                     intro.offer_back, intro.skill, intro.check_score)  # fmt: skip
    ask = ask_create(sender=intro.requester, draft=draft, introduced_by=by, intro_note=note)
    Introduction.objects.filter(pk=intro.pk).update(ask=ask)
    notify(
        user=intro.requester,
        kind="intro_forwarded",
        text=f"@{by.handle} introduced you to @{intro.target.handle}.",
        url=reverse("ask", args=[ask.pk]),
    )
    return ask


@transaction.atomic
def intro_decline(*, intro_id: int, by: User, note: str = "") -> Introduction:
    intro = _intro_as(intro_id, by, role="introducer", action="decline this")
    note = _note(note, "note", required=False)
    _move(intro, IntroStatus.DECLINED, introducer_note=note)
    notify(
        user=intro.requester,
        kind="intro_declined",
        text=f"@{by.handle} won't introduce you to @{intro.target.handle} this time"
        + (f": {note}" if note else "."),
        url=_url(intro),
    )
    return intro


@transaction.atomic
def intro_withdraw(*, intro_id: int, by: User) -> Introduction:
    intro = _intro_as(intro_id, by, role="requester", action="withdraw this")
    _move(intro, IntroStatus.WITHDRAWN)
    return intro
