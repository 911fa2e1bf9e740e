"""Endpoints for events, RSVPs, the question board, and posts."""

from __future__ import annotations

from typing import Literal

from django.utils import timezone
from ninja import Path, Router, Status

from mentormesh.community import selectors, services
from mentormesh.community.models import RsvpStatus
from mentormesh.community.schemas import (
    AnswerIn,
    AttendanceIn,
    CommentIn,
    EventIn,
    EventOut,
    FollowUpOut,
    MergeIn,
    PostIn,
    PostOut,
    QuestionIn,
    QuestionOut,
    RsvpOut,
    ShareIn,
)
from mentormesh.people.api import ERRORS

router = Router(tags=["events"])
Id = Path(..., ge=1, le=2**31 - 1)


def _event_out(event, viewer) -> dict:
    """One event read through ``selectors.with_seats``."""
    seats = selectors.seats_of(event)
    panelists = [panelist.user.handle for panelist in event.panelists.all()]
    insider = (
        seats.mine == RsvpStatus.GOING or viewer.pk == event.host_id or viewer.handle in panelists
    )
    return {
        "id": event.pk,
        "kind": event.kind,
        "title": event.title,
        "description_html": event.description_html,
        "host": event.host.handle,
        "organization": event.organization.slug if event.organization else None,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "online_url": event.online_url if insider else None,
        "place": event.place,
        "skills": [skill.name for skill in event.skills.all()],
        "panelists": panelists,
        "capacity": event.capacity,
        "going": seats.going,
        "waitlist": seats.waitlist,
        "my_rsvp": seats.mine,
        "board_open": selectors.board_open(event),
        "cancelled": event.cancelled_at is not None,
    }


def _event(request, event_id: int) -> dict:
    event = selectors.event_with_seats(viewer=request.user, event_id=event_id)
    return _event_out(event, request.user)


@router.get("/events", response={200: list[EventOut], **ERRORS}, summary="Events I can see")
def events(request, when: Literal["upcoming", "past"] = "upcoming"):
    found = selectors.with_seats(selectors.events_visible_to(request.user), request.user)
    now = timezone.now()
    if when == "upcoming":
        found = found.filter(ends_at__gt=now, cancelled_at__isnull=True)
    else:
        found = found.filter(ends_at__lte=now).order_by("-starts_at")
    return [_event_out(event, request.user) for event in found[:100]]


@router.post("/events", response={201: EventOut, **ERRORS}, summary="Announce an event")
def event_create(request, payload: EventIn):
    event = services.event_create(
        host=request.user, kind=payload.kind, title=payload.title,
        description=payload.description, starts_at=payload.starts_at, ends_at=payload.ends_at,
        capacity=payload.capacity, online_url=payload.online_url, place=payload.place,
        skills=payload.skills, panelists=payload.panelists,
        organization_slug=payload.organization,
    )  # fmt: skip
    return Status(201, _event(request, event.pk))


@router.get("/events/{event_id}", response={200: EventOut, **ERRORS}, summary="One event")
def event_get(request, event_id: int = Id):
    return _event(request, event_id)


@router.post(
    "/events/{event_id}/cancel", response={200: EventOut, **ERRORS}, summary="Cancel (host)"
)
def event_cancel(request, event_id: int = Id):
    services.event_cancel(event_id=event_id, by=request.user)
    return _event(request, event_id)


def _rsvp_out(request, event_id: int, status: str) -> dict:
    event = selectors.event_get(viewer=request.user, event_id=event_id)
    return {
        "status": status,
        "waitlist_position": selectors.waitlist_position(event=event, viewer=request.user),
    }


@router.post(
    "/events/{event_id}/rsvp",
    response={201: RsvpOut, **ERRORS},
    summary="Go (or join the waitlist when full)",
)
def rsvp_join(request, event_id: int = Id):
    rsvp = services.rsvp_join(event_id=event_id, by=request.user)
    return Status(201, _rsvp_out(request, event_id, rsvp.status))


@router.delete(
    "/events/{event_id}/rsvp",
    response={200: RsvpOut, **ERRORS},
    summary="Not going after all (the waitlist moves up)",
)
def rsvp_cancel(request, event_id: int = Id):
    rsvp = services.rsvp_cancel(event_id=event_id, by=request.user)
    return _rsvp_out(request, event_id, rsvp.status)


@router.post(
    "/events/{event_id}/attendance",
    response={200: dict, **ERRORS},
    summary="Mark who came (host)",
)
def attendance(request, payload: AttendanceIn, event_id: int = Id):
    marked = services.attendance_mark(
        event_id=event_id, by=request.user, handles=payload.handles, attended=payload.attended
    )
    return {"marked": marked}


@router.post(
    "/events/{event_id}/close-board",
    response={200: EventOut, **ERRORS},
    summary="Close the question board (host)",
)
def board_close(request, event_id: int = Id):
    services.board_close(event_id=event_id, by=request.user)
    return _event(request, event_id)


def _board(request, event_id: int) -> list[dict]:
    event = selectors.event_get(viewer=request.user, event_id=event_id)
    return [
        {
            "id": q.id,
            "text": q.text,
            "votes": q.votes,
            "voted": q.voted,
            "mine": q.mine,
            "author": q.author.user.handle if q.author else None,
            "anonymous": q.anonymous,
            "answered": q.answered,
            "answer": q.answer,
        }
        for q in selectors.board(event=event, viewer=request.user)
    ]


@router.get(
    "/events/{event_id}/questions",
    response={200: list[QuestionOut], **ERRORS},
    summary="The question board, most votes first",
)
def questions(request, event_id: int = Id):
    return _board(request, event_id)


@router.post(
    "/events/{event_id}/questions",
    response={201: list[QuestionOut], **ERRORS},
    summary="Ask a question (optionally anonymous); returns the board",
)
def question_ask(request, payload: QuestionIn, event_id: int = Id):
    services.question_ask(
        event_id=event_id, by=request.user, text=payload.text, anonymous=payload.anonymous
    )
    return Status(201, _board(request, event_id))


def _question_board(request, question) -> list[dict]:
    return _board(request, question.event_id)


@router.post(
    "/questions/{question_id}/vote",
    response={200: list[QuestionOut], **ERRORS},
    summary="Vote for a question (once); returns the board",
)
def question_vote(request, question_id: int = Id):
    return _question_board(
        request, services.question_vote(question_id=question_id, by=request.user)
    )


@router.delete(
    "/questions/{question_id}/vote",
    response={200: list[QuestionOut], **ERRORS},
    summary="Take my vote back; returns the board",
)
def question_unvote(request, question_id: int = Id):
    question = services.question_vote(question_id=question_id, by=request.user, up=False)
    return _question_board(request, question)


@router.post(
    "/questions/{question_id}/answer",
    response={200: list[QuestionOut], **ERRORS},
    summary="Mark answered, with an optional written answer (host or panelist)",
)
def question_answer(request, payload: AnswerIn, question_id: int = Id):
    question = services.question_answer(
        question_id=question_id, by=request.user, answer=payload.answer
    )
    return _question_board(request, question)


@router.post(
    "/questions/{question_id}/merge",
    response={200: list[QuestionOut], **ERRORS},
    summary="Merge a duplicate into another question (host)",
)
def question_merge(request, payload: MergeIn, question_id: int = Id):
    question = services.question_merge(
        question_id=question_id, into_id=payload.into, by=request.user
    )
    return _question_board(request, question)


@router.post(
    "/questions/{question_id}/hide",
    response={200: list[QuestionOut], **ERRORS},
    summary="Hide an abusive question (host)",
)
def question_hide(request, question_id: int = Id):
    return _question_board(
        request, services.question_hide(question_id=question_id, by=request.user)
    )


@router.get(
    "/events/{event_id}/follow-ups",
    response={200: list[FollowUpOut], **ERRORS},
    summary="After the event: people worth following up with",
)
def follow_ups(request, event_id: int = Id):
    event = selectors.event_get(viewer=request.user, event_id=event_id)
    return [
        {
            "handle": item.profile.user.handle,
            "display_name": item.profile.display_name,
            "why": item.why,
        }
        for item in selectors.follow_up_suggestions(event=event, viewer=request.user)
    ]


# Posts -------------------------------------------------------------------------------------


def _post_out(post, viewer) -> dict:
    # Review comments are between the author and the friends the draft was shared with.
    reviewing = post.author_id == viewer.pk or any(r.pk == viewer.pk for r in post.reviewers.all())
    return {
        "id": post.pk,
        "author": post.author.handle,
        "title": post.title,
        "body": post.body,
        "body_html": post.body_html,
        "skills": [skill.name for skill in post.skills.all()],
        "status": post.status,
        "published_at": post.published_at,
        "mentions": [user.handle for user in post.mentions.all()],
        "comments": [
            {"author": c.author.handle, "text": c.text, "created_at": c.created_at}
            for c in post.comments.all()
        ]
        if reviewing
        else [],
    }


def _post(request, post_id: int) -> dict:
    return _post_out(selectors.post_get(viewer=request.user, post_id=post_id), request.user)


@router.get("/posts", response={200: list[PostOut], **ERRORS}, summary="My feed, newest first")
def posts(request):
    found = selectors.feed(request.user).prefetch_related(
        "mentions", "comments__author", "reviewers"
    )
    return [_post_out(post, request.user) for post in found[:50]]


@router.post("/posts", response={201: PostOut, **ERRORS}, summary="Write a draft")
def post_create(request, payload: PostIn):
    post = services.post_create(
        author=request.user, title=payload.title, body=payload.body, skills=payload.skills
    )
    return Status(201, _post(request, post.pk))


@router.get("/posts/{post_id}", response={200: PostOut, **ERRORS}, summary="One post")
def post_get(request, post_id: int = Id):
    return _post(request, post_id)


@router.put("/posts/{post_id}", response={200: PostOut, **ERRORS}, summary="Edit my post")
def post_update(request, payload: PostIn, post_id: int = Id):
    services.post_update(
        post_id=post_id, by=request.user, title=payload.title, body=payload.body,
        skills=payload.skills,
    )  # fmt: skip
    return _post(request, post_id)


@router.post(
    "/posts/{post_id}/publish",
    response={200: PostOut, **ERRORS},
    summary="Publish my draft (people mentioned are told)",
)
def post_publish(request, post_id: int = Id):
    services.post_publish(post_id=post_id, by=request.user)
    return _post(request, post_id)


@router.post(
    "/posts/{post_id}/share",
    response={200: PostOut, **ERRORS},
    summary="Share my draft with a friend for comments",
)
def post_share(request, payload: ShareIn, post_id: int = Id):
    services.post_share(post_id=post_id, by=request.user, handle=payload.handle)
    return _post(request, post_id)


@router.post(
    "/posts/{post_id}/comments",
    response={201: PostOut, **ERRORS},
    summary="Comment on a draft shared with me",
)
def draft_comment(request, payload: CommentIn, post_id: int = Id):
    services.draft_comment(post_id=post_id, by=request.user, text=payload.text)
    return Status(201, _post(request, post_id))
