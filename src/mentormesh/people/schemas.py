"""API shapes for people. Inputs forbid unknown fields and cap every text."""

from __future__ import annotations

from typing import Annotated, Literal

from ninja import Schema
from pydantic import ConfigDict, Field, StringConstraints

from mentormesh.people.models import Level, Visibility
from mentormesh.people.selectors import PeopleFilters

LevelName = Literal["student", "early-career", "mid", "senior", "leader"]
HHMM = Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]
assert set(LevelName.__args__) == set(Level.values)


class StrictIn(Schema):
    model_config = ConfigDict(extra="forbid", strict=True)


class LinkIn(StrictIn):
    label: Annotated[str, Field(max_length=60)] = ""
    url: Annotated[str, Field(max_length=500)]


class OfferIn(StrictIn):
    skill: Annotated[str, Field(min_length=1, max_length=60)]
    proficiency: Annotated[int, Field(ge=1, le=3)] = 2
    note: Annotated[str, Field(max_length=200)] = ""


class SeekIn(StrictIn):
    skill: Annotated[str, Field(min_length=1, max_length=60)]
    goal: Annotated[str, Field(max_length=300)] = ""
    priority: Annotated[int, Field(ge=1, le=3)] = 2


class WindowIn(StrictIn):
    weekday: Annotated[int, Field(ge=0, le=6)]
    start: HHMM
    end: HHMM


class MePatch(StrictIn):
    """Fields to change; lists (languages, links, offers, seeks, availability) replace whole."""

    display_name: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    headline: Annotated[str, Field(max_length=140)] | None = None
    bio: Annotated[str, Field(max_length=5000)] | None = None
    level: LevelName | Literal[""] | None = None
    years_experience: Annotated[int, Field(ge=0, le=70)] | None = None
    timezone: Annotated[str, Field(max_length=64)] | None = None
    location: Annotated[str, Field(max_length=100)] | None = None
    languages: Annotated[list[Annotated[str, Field(max_length=8)]], Field(max_length=20)] | None = (
        None
    )
    links: Annotated[list[LinkIn], Field(max_length=10)] | None = None
    max_mentees: Annotated[int, Field(ge=0, le=50)] | None = None
    hours_per_month: Annotated[int, Field(ge=0, le=200)] | None = None
    open_to_mentor: bool | None = None
    open_to_be_mentored: bool | None = None
    open_to_reverse: bool | None = None
    open_to_paid: bool | None = None
    paid_rate_minor: Annotated[int, Field(ge=0, le=10_000_000)] | None = None
    paid_currency: Annotated[str, Field(pattern=r"^[A-Za-z]{3}$")] | None = None
    visibility: Literal["network", "organizations"] | None = None
    offers: Annotated[list[OfferIn], Field(max_length=50)] | None = None
    seeks: Annotated[list[SeekIn], Field(max_length=50)] | None = None
    availability: Annotated[list[WindowIn], Field(max_length=50)] | None = None


assert {"network", "organizations"} == set(Visibility.values)


class OfferOut(Schema):
    skill: str
    category: str
    proficiency: int
    proficiency_label: str
    note: str


class SeekOut(Schema):
    skill: str
    category: str
    goal: str
    priority: int


class WindowOut(Schema):
    weekday: int
    start: str
    end: str


class MembershipOut(Schema):
    organization: str
    organization_name: str
    role: str
    department: str
    title: str


class PersonCard(Schema):
    handle: str
    display_name: str
    headline: str
    level: str
    timezone: str
    location: str
    languages: list[str]
    open_to_mentor: bool
    open_to_be_mentored: bool
    open_to_reverse: bool
    open_to_paid: bool
    offers: list[OfferOut]
    seeks: list[SeekOut]
    organizations: list[MembershipOut]


class PersonOut(PersonCard):
    bio: str
    bio_html: str
    years_experience: int | None
    links: list[dict[str, str]]
    max_mentees: int
    hours_per_month: int
    paid_rate_minor: int | None
    paid_currency: str
    visibility: str
    availability: list[WindowOut]


class PeoplePage(Schema):
    count: int
    page: int
    pages: int
    results: list[PersonCard]


class SkillOut(Schema):
    name: str
    category: str
    reviewed: bool
    aliases: list[str]


class OrganizationOut(Schema):
    slug: str
    name: str
    kind: str
    description: str
    members: int


class ErrorOut(Schema):
    error: str
    detail: str


class PeopleQuery(Schema):
    q: Annotated[str, Field(max_length=200)] = ""
    skill: Annotated[str, Field(max_length=60)] = ""
    learning: Annotated[str, Field(max_length=60)] = ""
    level: LevelName | Literal[""] = ""
    org: Annotated[str, Field(max_length=50)] = ""
    language: Annotated[str, Field(max_length=8)] = ""
    open_to: Literal["mentor", "mentee", "reverse", "paid", ""] = ""
    page: Annotated[int, Field(ge=1, le=100_000)] = 1
    page_size: Annotated[int, Field(ge=1, le=100)] = 20

    def to_filters(self) -> PeopleFilters:
        return PeopleFilters(
            q=self.q,
            skill=self.skill,
            learning=self.learning,
            level=self.level,
            organization=self.org,
            language=self.language,
            open_to=self.open_to,
        )
