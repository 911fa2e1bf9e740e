"""API shapes for discovery."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field

from mentormesh.people.schemas import PersonCard, StrictIn


class RecommendationOut(Schema):
    person: PersonCard
    band: Literal["peer", "near-peer", "senior", "junior", "unknown"]
    two_way: bool
    reasons: list[str]


class GoalOut(Schema):
    skill: str
    goal: str
    priority: str
    people: list[RecommendationOut]


class RecommendationsOut(Schema):
    goals: list[GoalOut]
    could_help: list[RecommendationOut]


class ShortlistIn(StrictIn):
    cohort: Annotated[str, Field(max_length=80)] | None = None
    size: Annotated[int, Field(ge=1, le=10)] = 3
    capacity_multiple: Annotated[int, Field(ge=1, le=10)] = 1


class ShortlistHelperOut(Schema):
    handle: str
    display_name: str
    fit: float
    covers: list[str]


class ShortlistLineOut(Schema):
    handle: str
    display_name: str
    status: Literal["full", "partial", "empty"]
    reason: str
    helpers: list[ShortlistHelperOut]


class ShortlistRunOut(Schema):
    id: int
    cohort: str
    size: int
    capacity_multiple: int
    created_at: datetime
    seekers: int
    helpers: int
    full: int
    partial: int
    empty: int
    lines: list[ShortlistLineOut]
