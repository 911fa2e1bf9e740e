"""API shapes for asks and relationships."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field

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


class RelationshipOut(Schema):
    id: int
    with_handle: str
    topic: str
    status: str
    cadence_days: int
    started_at: datetime
    last_contact_at: datetime
    sides: list[SideOut]


class RelationshipPatch(StrictIn):
    status: Literal["exploring", "active", "paused", "ended"] | None = None
    cadence_days: Annotated[int, Field(ge=1, le=365)] | None = None
    topic: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    gives: Annotated[str, Field(max_length=300)] | None = None
    gets: Annotated[str, Field(max_length=300)] | None = None
