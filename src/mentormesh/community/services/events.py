"""Writes for events: create and cancel, RSVP with a waitlist, attendance, and the panel's
question board (ask, vote, answer, merge, hide, close).

Capacity is never exceeded: an RSVP takes the event's row lock (on SQLite every write
transaction is IMMEDIATE, which serializes writers the same way), then takes a seat with a
conditional UPDATE of ``going_count`` below ``capacity``; a check constraint is the
backstop. Cancelling frees the seat for the first person on the waitlist in order.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from mentormesh.community.models import (
    Event,
    EventKind,
    Panelist,
    Question,
    Rsvp,
    RsvpStatus,
    Vote,
)
from mentormesh.community.selectors import event_get, question_get
from mentormesh.discover.network import network_changed
from mentormesh.errors import Conflict, DomainError, NotFound, PermissionDenied
from mentormesh.notifications.services import notify
from mentormesh.people.models import Membership, User
from mentormesh.people.selectors import skills_named
from mentormesh.text import render_markdown

QUESTION_LENGTH = 300
MAX_LENGTH = timedelta(hours=12)


def _url(event: Event) -> str:
    return reverse("event", args=[event.pk])


def _users(handles: Iterable[str], field: str) -> list[User]:
    wanted = {handle.strip().lower().removeprefix("@") for handle in handles if handle.strip()}
    found = list(User.objects.filter(handle__in=wanted, is_active=True).select_related("profile"))
    missing = wanted - {user.handle for user in found}
    if missing:
        raise DomainError(f"{field}: no one with the handle @{sorted(missing)[0]}.", field=field)
    return found


@transaction.atomic
def event_create(
    *,
    host: User,
    kind: str,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    capacity: int,
    description: str = "",
    skills: Iterable[str] = (),
    organization_slug: str = "",
    online_url: str = "",
    place: str = "",
    panelists: Iterable[str] = (),
) -> Event:
    if kind not in EventKind.values:
        raise DomainError(f"kind: choose one of {', '.join(EventKind.values)}.", field="kind")
    title = title.strip()
    if not title or len(title) > 120:
        raise DomainError("title: 1 to 120 characters.", field="title")
    if len(description) > 4000:
        raise DomainError("description: at most 4000 characters.", field="description")
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise DomainError("starts_at: give times with a time zone.", field="starts_at")
    if starts_at <= timezone.now():
        raise DomainError("starts_at: that time has passed.", field="starts_at")
    if not starts_at < ends_at <= starts_at + MAX_LENGTH:
        raise DomainError("ends_at: after the start, and at most 12 hours later.", field="ends_at")
    if not 1 <= capacity <= 10_000:
        raise DomainError("capacity: between 1 and 10000.", field="capacity")
    if not (online_url.strip() or place.strip()):
        raise DomainError("place: give a link to join online or a place.", field="place")
    if online_url and not online_url.startswith(("https://", "http://")):
        raise DomainError("online_url: a web address starting with https://.", field="online_url")
    organization = None
    if organization_slug:
        membership = (
            Membership.objects.filter(user=host, organization__slug=organization_slug)
            .select_related("organization")
            .first()
        )
        if membership is None:
            raise DomainError(
                "organization: you can make events only for organizations you belong to.",
                field="organization",
            )
        organization = membership.organization
    resolved = skills_named(skills)
    people = _users(panelists, "panelists")
    if people and kind != EventKind.PANEL:
        raise DomainError("panelists: only a panel has panelists.", field="panelists")
    if organization is not None:
        members = set(
            Membership.objects.filter(organization=organization, user__in=people).values_list(
                "user_id", flat=True
            )
        )
        outside = [user.handle for user in people if user.pk not in members]
        if outside:
            raise DomainError(
                f"panelists: @{outside[0]} is not in {organization.name}, and only its members "
                "can see this event.",
                field="panelists",
            )
    event = Event.objects.create(
        host=host, kind=kind, title=title, description=description,
        description_html=render_markdown(description), organization=organization,
        online_url=online_url.strip(), place=place.strip(), starts_at=starts_at, ends_at=ends_at,
        capacity=capacity,
    )  # fmt: skip
    event.skills.set(resolved)
    Panelist.objects.bulk_create([Panelist(event=event, user=user) for user in people])
    for user in people:
        if user.pk != host.pk:
            notify(user=user, kind="panelist", url=_url(event),
                   text=f"@{host.handle} added you to the panel “{title}”")  # fmt: skip
    network_changed()
    return event


def _hosted(event_id: int, by: User, action: str) -> Event:
    event = event_get(viewer=by, event_id=event_id)
    if event.host_id != by.pk:
        raise PermissionDenied(f"Only the host can {action}.")
    return event


def _locked(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


@transaction.atomic
def event_cancel(*, event_id: int, by: User) -> Event:
    event = _hosted(event_id, by, "cancel the event")
    if not Event.objects.filter(pk=event.pk, cancelled_at__isnull=True).update(
        cancelled_at=timezone.now()
    ):
        raise Conflict("This event was already cancelled.")
    for rsvp in event.rsvps.exclude(status=RsvpStatus.CANCELLED).select_related("user"):
        notify(user=rsvp.user, kind="event_cancelled", url=_url(event),
               text=f"“{event.title}” is cancelled.")  # fmt: skip
    return event


def _joinable(event: Event) -> None:
    if event.cancelled_at:
        raise Conflict("This event was cancelled.")
    if event.ends_at <= timezone.now():
        raise Conflict("This event is over.")


@transaction.atomic
def rsvp_join(*, event_id: int, by: User) -> Rsvp:
    """Going while there is a seat, else on the waitlist, in order."""
    event = _locked(event_get(viewer=by, event_id=event_id))
    _joinable(event)
    if by.pk == event.host_id or event.panelists.filter(user=by).exists():
        raise Conflict("You host or sit on this panel; your place is kept without a seat.")
    rsvp = Rsvp.objects.filter(event=event, user=by).first()
    if rsvp is not None and rsvp.status != RsvpStatus.CANCELLED:
        raise Conflict(f"You are already {rsvp.get_status_display().lower()}.")
    seat = Event.objects.filter(pk=event.pk, going_count__lt=F("capacity")).update(
        going_count=F("going_count") + 1
    )
    status = RsvpStatus.GOING if seat else RsvpStatus.WAITLIST
    now = timezone.now()
    try:
        with transaction.atomic():
            rsvp, _ = Rsvp.objects.update_or_create(
                event=event, user=by, defaults={"status": status, "joined_at": now}
            )
    except IntegrityError:
        raise Conflict("You already answered for this event.") from None
    return rsvp


@transaction.atomic
def rsvp_cancel(*, event_id: int, by: User) -> Rsvp:
    """Not going after all; a freed seat goes to the first person on the waitlist."""
    event = _locked(event_get(viewer=by, event_id=event_id))
    rsvp = Rsvp.objects.filter(event=event, user=by).first()
    if rsvp is None or rsvp.status == RsvpStatus.CANCELLED:
        raise Conflict("You are not going to this event.")
    was_going = rsvp.status == RsvpStatus.GOING
    Rsvp.objects.filter(pk=rsvp.pk).update(status=RsvpStatus.CANCELLED)
    rsvp.status = RsvpStatus.CANCELLED
    if was_going:
        promoted = (
            Rsvp.objects.filter(event=event, status=RsvpStatus.WAITLIST)
            .select_related("user")
            .order_by("joined_at", "pk")
            .first()
        )
        if promoted is None or event.ends_at <= timezone.now() or event.cancelled_at:
            Event.objects.filter(pk=event.pk).update(going_count=F("going_count") - 1)
        else:
            Rsvp.objects.filter(pk=promoted.pk).update(status=RsvpStatus.GOING)
            notify(user=promoted.user, kind="waitlist_promoted", url=_url(event),
                   text=f"A seat opened: you are going to “{event.title}”.")  # fmt: skip
    return rsvp


@transaction.atomic
def attendance_mark(*, event_id: int, by: User, handles: Iterable[str], attended: bool) -> int:
    """The host marks who came (or did not); only people who were going count."""
    event = _hosted(event_id, by, "mark attendance")
    if event.starts_at > timezone.now():
        raise Conflict("Mark attendance once the event has started.")
    people = _users(handles, "handles")
    marked = Rsvp.objects.filter(event=event, user__in=people, status=RsvpStatus.GOING).update(
        attended=attended
    )
    if marked != len(people):
        raise DomainError("handles: only people who were going can be marked.", field="handles")
    network_changed()
    return marked


# The question board ------------------------------------------------------------------------


def _board_open(event: Event) -> None:
    if event.kind != EventKind.PANEL:
        raise Conflict("Only a panel has a question board.")
    if event.cancelled_at:
        raise Conflict("This event was cancelled.")
    if event.board_closed_at or event.ends_at <= timezone.now():
        raise Conflict("The question board is closed.")


def _may_ask(event: Event, user: User) -> None:
    if user.pk == event.host_id or event.panelists.filter(user=user).exists():
        return
    if (
        not Rsvp.objects.filter(event=event, user=user)
        .exclude(status=RsvpStatus.CANCELLED)
        .exists()
    ):
        raise PermissionDenied("RSVP to the panel to ask and vote.")


@transaction.atomic
def question_ask(*, event_id: int, by: User, text: str, anonymous: bool = False) -> Question:
    event = event_get(viewer=by, event_id=event_id)
    _board_open(event)
    _may_ask(event, by)
    text = " ".join(text.split())
    if not text:
        raise DomainError("text: write your question.", field="text")
    if len(text) > QUESTION_LENGTH:
        raise DomainError(f"text: at most {QUESTION_LENGTH} characters ({len(text)} now).",
                          field="text")  # fmt: skip
    question = Question.objects.create(event=event, author=by, anonymous=anonymous, text=text)
    return question


@transaction.atomic
def question_vote(*, question_id: int, by: User, up: bool = True) -> Question:
    """One vote per person per question; ``up=False`` takes it back."""
    question = question_get(viewer=by, question_id=question_id)
    _board_open(question.event)
    _may_ask(question.event, by)
    if question.hidden_at or question.merged_into_id:
        raise Conflict("This question is no longer on the board.")
    if up and question.author_id == by.pk:
        raise Conflict("You cannot vote for your own question.")
    if up:
        try:
            with transaction.atomic():
                Vote.objects.create(question=question, user=by)
        except IntegrityError:
            raise Conflict("You already voted for this question.") from None
    elif not Vote.objects.filter(question=question, user=by).delete()[0]:
        raise Conflict("You had not voted for this question.")
    return question


def _moderated(question_id: int, by: User, *, panel: bool, action: str) -> Question:
    """The question, when ``by`` hosts its event (or, with ``panel``, sits on the panel)."""
    question = question_get(viewer=by, question_id=question_id)
    event = question.event
    allowed = by.pk == event.host_id or (panel and event.panelists.filter(user=by).exists())
    if not allowed:
        raise PermissionDenied(
            f"Only the {'host or a panelist' if panel else 'host'} can {action}."
        )
    return question


@transaction.atomic
def question_answer(*, question_id: int, by: User, answer: str = "") -> Question:
    """A panelist marks a question answered, and may add a short written answer (later too)."""
    question = _moderated(question_id, by, panel=True, action="answer questions")
    answer = answer.strip()
    if len(answer) > 2000:
        raise DomainError("answer: at most 2000 characters.", field="answer")
    if question.hidden_at:
        raise Conflict("This question is hidden.")
    changes = {"answered_by": by}
    if question.answered_at is None:
        changes["answered_at"] = timezone.now()
    if answer:
        changes["answer"] = answer
    Question.objects.filter(pk=question.pk).update(**changes)
    question.refresh_from_db()
    # Only the asker is told, so an anonymous question stays anonymous.
    if question.author_id != by.pk:
        notify(user=question.author, kind="question_answered", url=_url(question.event),
               text=f"Your question was answered: {question.text[:120]}")  # fmt: skip
    return question


@transaction.atomic
def question_merge(*, question_id: int, into_id: int, by: User) -> Question:
    """The host folds a duplicate into another question; its votes move along (one each)."""
    duplicate = _moderated(question_id, by, panel=False, action="merge questions")
    try:
        target = question_get(viewer=by, question_id=into_id)
    except NotFound:
        raise DomainError(
            f"into: there is no question #{into_id} on this board.", field="into"
        ) from None
    if target.event_id != duplicate.event_id or target.pk == duplicate.pk:
        raise DomainError("into: another question on the same board.", field="into")
    if target.merged_into_id or target.hidden_at:
        raise DomainError("into: that question is no longer on the board.", field="into")
    if not Question.objects.filter(pk=duplicate.pk, merged_into__isnull=True).update(
        merged_into=target
    ):
        raise Conflict("This question was already merged.")
    voters = set(Vote.objects.filter(question=target).values_list("user_id", flat=True))
    Vote.objects.bulk_create([
        Vote(question=target, user_id=user_id)
        for user_id in duplicate.votes.values_list("user_id", flat=True)
        if user_id not in voters
    ])  # fmt: skip
    Question.objects.filter(merged_into=duplicate).update(merged_into=target)
    return target


@transaction.atomic
def question_hide(*, question_id: int, by: User) -> Question:
    question = _moderated(question_id, by, panel=False, action="hide questions")
    if not Question.objects.filter(pk=question.pk, hidden_at__isnull=True).update(
        hidden_at=timezone.now()
    ):
        raise Conflict("This question is already hidden.")
    question.refresh_from_db()
    return question


@transaction.atomic
def board_close(*, event_id: int, by: User) -> Event:
    event = _hosted(event_id, by, "close the board")
    if not Event.objects.filter(pk=event.pk, board_closed_at__isnull=True).update(
        board_closed_at=timezone.now()
    ):
        raise Conflict("The question board is already closed.")
    event.refresh_from_db()
    return event
