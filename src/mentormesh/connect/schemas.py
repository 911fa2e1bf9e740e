"""API shapes for asks and relationships."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import AwareDatetime, Field

from mentormesh.people.schemas import StrictIn

Handle = Annotated[str, Field(min_length=1, max_length=31)]
Minutes = Literal[15, 30, 45, 60] | None


class CheckIn(StrictIn):
    recipient: Handle
    message: Annotated[str, Field(max_length=4000)]
    time_minutes: Annotated[int, Field(ge=0, le=24 * 60)] | None = None


class FindingOut(Schema):
    code: str
    severity: Literal["block", "warn", "tip"]
    message: str


class CheckOut(Schema):
    score: int
    ready: bool
    findings: list[FindingOut]


class AskIn(StrictIn):
    recipient: Handle
    message: Annotated[str, Field(max_length=4000)]
    question: Annotated[str, Field(min_length=1, max_length=500)]
    time_minutes: Minutes = None
    offer_back: Annotated[str, Field(max_length=300)] = ""
    skill: Annotated[str, Field(max_length=60)] = ""


class ReplyOut(Schema):
    author: str
    text: str
    created_at: datetime


class AskOut(Schema):
    id: int
    sender: str
    recipient: str
    skill: str | None
    message: str
    question: str
    time_minutes: int | None
    offer_back: str
    status: str
    check_score: int
    decline_kind: str
    decline_note: str
    created_at: datetime
    expires_at: datetime
    replies: list[ReplyOut]
    introduced_by: str | None
    intro_note: str


class DeclineIn(StrictIn):
    kind: Literal["busy", "not_my_area", "not_a_fit", "other", ""] = ""
    note: Annotated[str, Field(max_length=300)] = ""


class AcceptIn(StrictIn):
    topic: Annotated[str, Field(max_length=200)] = ""


class TextIn(StrictIn):
    text: Annotated[str, Field(min_length=1, max_length=2000)]


class ReportIn(StrictIn):
    reason: Annotated[str, Field(min_length=1, max_length=500)]
    block: bool = True


class BlockIn(StrictIn):
    handle: Handle


class SideOut(Schema):
    handle: str
    gives: str
    gets: str


class HealthOut(Schema):
    days_quiet: int
    cadence_days: int
    state: Literal["scheduled", "on track", "due", "overdue"]
    next_session_id: int | None
    sessions_held: int
    i_gave: int
    they_gave: int


class RelationshipOut(Schema):
    id: int
    with_handle: str
    topic: str
    status: str
    cadence_days: int
    started_at: datetime
    last_contact_at: datetime
    sides: list[SideOut]
    health: HealthOut


class RelationshipPatch(StrictIn):
    status: Literal["exploring", "active", "paused", "ended"] | None = None
    cadence_days: Annotated[int, Field(ge=1, le=365)] | None = None
    topic: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    gives: Annotated[str, Field(max_length=300)] | None = None
    gets: Annotated[str, Field(max_length=300)] | None = None


class SlotOut(Schema):
    starts_at: datetime
    ends_at: datetime
    mine_local: str
    theirs_local: str


class SessionIn(StrictIn):
    # Lax for this one field so JSON's ISO 8601 text is read; a time zone is required.
    starts_at: Annotated[AwareDatetime, Field(strict=False)]
    minutes: Literal[15, 30, 45, 60, 90, 120]
    place: Annotated[str, Field(max_length=300)] = ""
    agenda: Annotated[str, Field(max_length=2000)] = ""


class SessionPatch(StrictIn):
    place: Annotated[str, Field(max_length=300)] | None = None
    agenda: Annotated[str, Field(max_length=2000)] | None = None
    notes: Annotated[str, Field(max_length=4000)] | None = None


class CancelIn(StrictIn):
    reason: Annotated[str, Field(max_length=300)] = ""


class FollowUpIn(StrictIn):
    text: Annotated[str, Field(min_length=1, max_length=300)]
    owner: Handle
    due_on: Annotated[date, Field(strict=False)] | None = None


class FollowUpOut(Schema):
    id: int
    text: str
    owner: str
    due_on: date | None
    done: bool


class DoneIn(StrictIn):
    done: bool = True


class FeedbackIn(StrictIn):
    useful: Literal["yes", "somewhat", "no"]
    direction: Literal["got", "both", "gave"]
    takeaway: Annotated[str, Field(min_length=1, max_length=1000)]
    change: Annotated[str, Field(max_length=500)] = ""


class FeedbackOut(Schema):
    author: str
    useful: str
    direction: str
    takeaway: str
    change: str
    created_at: datetime


class FeedbackViewOut(Schema):
    mine: FeedbackOut | None
    theirs: FeedbackOut | None
    they_answered: bool
    reveals_at: datetime | None


class SessionOut(Schema):
    id: int
    relationship_id: int
    with_handle: str
    topic: str
    proposed_by: str
    starts_at: datetime
    ends_at: datetime
    status: str
    place: str
    agenda: str
    notes: str
    follow_ups: list[FollowUpOut]
    feedback: FeedbackViewOut


class ContactOut(Schema):
    handle: str
    display_name: str
    with_me: str
    with_them: str


class IntroIn(StrictIn):
    target: Handle
    via: Handle
    note_to_introducer: Annotated[str, Field(min_length=1, max_length=500)]
    message: Annotated[str, Field(max_length=4000)]
    question: Annotated[str, Field(min_length=1, max_length=500)]
    time_minutes: Minutes = None
    offer_back: Annotated[str, Field(max_length=300)] = ""
    skill: Annotated[str, Field(max_length=60)] = ""


class IntroAnswerIn(StrictIn):
    note: Annotated[str, Field(max_length=500)] = ""


class IntroOut(Schema):
    id: int
    requester: str
    target: str
    introducer: str
    shared_context: str
    note_to_introducer: str
    question: str
    message: str
    time_minutes: int | None
    offer_back: str
    status: str
    introducer_note: str
    ask_id: int | None
    created_at: datetime
