"""Plain data the engine works on: people, requests and the matches it returns.

Everything is passed in; nothing here knows about a database. Constructors accept the
loose shapes callers naturally have (a bare skill name, a ``(skill, goal, priority)``
tuple) and coerce them into the typed records below, so the rest of the engine can rely
on one shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

LEVELS: tuple[str, ...] = ("student", "early-career", "mid", "senior", "leader")
LEVEL_RANK: dict[str, int] = {level: rank for rank, level in enumerate(LEVELS)}


def as_utc(moment: datetime | None) -> datetime | None:
    """Naive datetimes are taken to be UTC, as the interchange format promises."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class Evidence:
    """Something a person did that shows they can help: an answer, a post, a session."""

    kind: str
    text: str = ""
    tags: tuple[str, ...] = ()
    at: datetime | None = None
    score: float = 0.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "tags", tuple(self.tags))
        object.__setattr__(self, "at", as_utc(self.at))


@dataclass(frozen=True, slots=True)
class Offer:
    """A skill a person offers help with; proficiency runs 1 (some) to 5 (expert)."""

    skill: str
    proficiency: int | None = None


@dataclass(frozen=True, slots=True)
class Goal:
    """A skill a person wants to learn, why, and how much it matters to them (higher first)."""

    skill: str
    goal: str = ""
    priority: int = 0


@dataclass(frozen=True, slots=True)
class AvailabilityWindow:
    """A weekly window in the person's own time zone; weekday 0 is Monday."""

    weekday: int
    start_minute: int
    end_minute: int

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ValueError(f"weekday must be 0..6, got {self.weekday}")
        if not 0 <= self.start_minute < self.end_minute <= 24 * 60:
            raise ValueError(
                f"window must satisfy 0 <= start < end <= 1440, "
                f"got {self.start_minute}..{self.end_minute}"
            )


@dataclass(frozen=True, slots=True)
class Openness:
    """What a person is open to. Everyone is open to everything unless they say otherwise."""

    mentor: bool = True
    be_mentored: bool = True
    reverse: bool = True
    paid: bool = True


def _coerce_offer(value: Offer | str | tuple) -> Offer:
    if isinstance(value, Offer):
        return value
    if isinstance(value, str):
        return Offer(value)
    skill, proficiency = value
    return Offer(skill, proficiency)


def _coerce_goal(value: Goal | str | tuple) -> Goal:
    if isinstance(value, Goal):
        return value
    if isinstance(value, str):
        return Goal(value)
    return Goal(*value)


def _coerce_window(value: AvailabilityWindow | tuple) -> AvailabilityWindow:
    if isinstance(value, AvailabilityWindow):
        return value
    return AvailabilityWindow(*value)


@dataclass(slots=True)
class Person:
    id: str
    name: str = ""
    headline: str = ""
    bio: str = ""
    offers: list[Offer] = field(default_factory=list)
    seeks: list[Goal] = field(default_factory=list)
    level: str | None = None
    organizations: tuple[str, ...] = ()
    time_zone: str | None = None
    availability: tuple[AvailabilityWindow, ...] = ()
    capacity: int | None = None
    openness: Openness = field(default_factory=Openness)
    evidence: list[Evidence] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.level is not None and self.level not in LEVEL_RANK:
            raise ValueError(
                f"level must be one of {', '.join(LEVELS)} or None, got {self.level!r}"
            )
        self.offers = [_coerce_offer(offer) for offer in self.offers]
        self.seeks = [_coerce_goal(goal) for goal in self.seeks]
        self.organizations = tuple(self.organizations)
        self.availability = tuple(_coerce_window(window) for window in self.availability)
        self.evidence = list(self.evidence)


@dataclass(slots=True)
class Request:
    """A question or need to route to people. ``candidates``, when set, is the whole pool."""

    id: str
    text: str
    asker_id: str | None = None
    tags: tuple[str, ...] = ()
    at: datetime | None = None
    candidates: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        self.tags = tuple(self.tags)
        self.at = as_utc(self.at)
        if self.candidates is not None:
            self.candidates = tuple(self.candidates)


@dataclass(frozen=True, slots=True)
class Match:
    person_id: str
    score: float
    reasons: tuple[str, ...] = ()
