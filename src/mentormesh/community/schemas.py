"""API shapes for events and the question board."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import AwareDatetime, Field

from mentormesh.people.schemas import StrictIn

Handle = Annotated[str, Field(min_length=1, max_length=31)]


class EventIn(StrictIn):
    kind: Literal["lunch_and_learn", "panel", "mixer"]
    title: Annotated[str, Field(min_length=1, max_length=120)]
    description: Annotated[str, Field(max_length=4000)] = ""
    # Lax for these fields so JSON's ISO 8601 text is read; a time zone is required.
    starts_at: Annotated[AwareDatetime, Field(strict=False)]
    ends_at: Annotated[AwareDatetime, Field(strict=False)]
    capacity: Annotated[int, Field(ge=1, le=10_000)]
    online_url: Annotated[str, Field(max_length=300)] = ""
    place: Annotated[str, Field(max_length=200)] = ""
    skills: Annotated[list[Annotated[str, Field(max_length=60)]], Field(max_length=10)] = []
    panelists: Annotated[list[Handle], Field(max_length=10)] = []
    organization: Annotated[str, Field(max_length=50)] = ""


class EventOut(Schema):
    id: int
    kind: str
    title: str
    description_html: str
    host: str
    organization: str | None
    starts_at: datetime
    ends_at: datetime
    online_url: str | None  # shown to people going, the host and panelists
    place: str
    skills: list[str]
    panelists: list[str]
    capacity: int
    going: int
    waitlist: int
    my_rsvp: str | None
    board_open: bool
    cancelled: bool


class RsvpOut(Schema):
    status: str
    waitlist_position: int | None


class QuestionIn(StrictIn):
    text: Annotated[str, Field(min_length=1, max_length=300)]
    anonymous: bool = False


class QuestionOut(Schema):
    id: int
    text: str
    votes: int
    voted: bool
    mine: bool
    author: str | None  # None for an anonymous question
    anonymous: bool
    answered: bool
    answer: str


class AnswerIn(StrictIn):
    answer: Annotated[str, Field(max_length=2000)] = ""


class MergeIn(StrictIn):
    into: Annotated[int, Field(ge=1, le=2**31 - 1)]


class AttendanceIn(StrictIn):
    handles: Annotated[list[Handle], Field(min_length=1, max_length=10_000)]
    attended: bool = True


class FollowUpOut(Schema):
    handle: str
    display_name: str
    why: str


class PostIn(StrictIn):
    title: Annotated[str, Field(min_length=1, max_length=160)]
    body: Annotated[str, Field(min_length=1, max_length=20_000)]
    skills: Annotated[list[Annotated[str, Field(max_length=60)]], Field(max_length=5)] = []


class CommentOut(Schema):
    author: str
    text: str
    created_at: datetime


class PostOut(Schema):
    id: int
    author: str
    title: str
    body: str
    body_html: str
    skills: list[str]
    status: str
    published_at: datetime | None
    mentions: list[str]
    comments: list[CommentOut]


class ShareIn(StrictIn):
    handle: Handle


class CommentIn(StrictIn):
    text: Annotated[str, Field(min_length=1, max_length=2000)]
