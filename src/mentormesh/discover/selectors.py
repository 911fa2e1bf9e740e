"""Reads for discovery: my board, engine-ranked search, program shortlists.

Every function takes the viewer and shows only people the viewer may see.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone

from mentormesh.discover import network, sources
from mentormesh.discover.models import Cohort, ShortlistEntry, ShortlistRun
from mentormesh.errors import NotFound
from mentormesh.matching import Request, Suggestion, board
from mentormesh.people.models import Organization, Priority, Profile, User
from mentormesh.people.selectors import (
    PeopleFilters,
    PeopleSearch,
    people_search,
    profiles_visible_to,
    with_cards,
)

# A board changes when the network does (its revision is in the key); a day bounds how
# stale "active this year" and this week's shared hours can get.
BOARD_SECONDS = 24 * 3600


# --- My board ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pick:
    """One suggested person, as cached: ids and text only, no database objects."""

    user_id: int
    band: str
    two_way: bool
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class GoalPicks:
    skill: str
    goal: str
    priority: str
    picks: tuple[Pick, ...]


@dataclass(frozen=True)
class BoardPicks:
    goals: tuple[GoalPicks, ...]
    could_help: tuple[Pick, ...]
    offers_anything: bool


@dataclass(frozen=True)
class Recommendation:
    profile: Profile
    band: str
    two_way: bool
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class GoalRecommendations:
    skill: str
    goal: str
    priority: str
    people: list[Recommendation]


@dataclass(frozen=True)
class PersonalBoard:
    goals: list[GoalRecommendations]
    could_help: list[Recommendation]
    offers_anything: bool


def _board_key(user: User, revision: str) -> str:
    return f"discover:board:{user.pk}:{revision}:{timezone.now().date().isoformat()}"


def board_for(*, viewer: User) -> PersonalBoard:
    """For each thing I want to learn, up to five people worth asking; and whom I could help."""
    picks = cache.get(_board_key(viewer, network.revision()))
    if picks is None:
        current = network.snapshot()
        picks = _compute_board(current, viewer)
        cache.set(_board_key(viewer, current.revision), picks, BOARD_SECONDS)
    return _with_profiles(viewer, picks)


def _left_out(current: network.Snapshot, viewer: User) -> set[str]:
    """People the viewer may not see, and those other apps say to leave off their board."""
    visible = set(profiles_visible_to(viewer).values_list("user_id", flat=True))
    hidden = {pid for pid in current.index.ids if network.user_id(pid) not in visible}
    for source in sources.exclusion_sources:
        hidden.update(network.person_id(uid) for uid in source(viewer.pk))
    return hidden


def _compute_board(current: network.Snapshot, viewer: User) -> BoardPicks:
    person = current.person(viewer.pk)
    if person is None:
        return BoardPicks((), (), False)
    computed = board(current.index, person, exclude=_left_out(current, viewer))
    label = current.index.vocabulary.label
    return BoardPicks(
        goals=tuple(
            GoalPicks(
                skill=label(current.index.vocabulary.canonical(goal_board.goal.skill)),
                goal=goal_board.goal.goal,
                priority=Priority(4 - goal_board.goal.priority).label,
                picks=tuple(_pick(s) for s in goal_board.suggestions),
            )
            for goal_board in computed.goals
        ),
        could_help=tuple(_pick(s) for s in computed.could_help),
        offers_anything=bool(person.offers),
    )


def _pick(suggestion: Suggestion) -> Pick:
    return Pick(
        network.user_id(suggestion.person_id),
        suggestion.band,
        suggestion.two_way,
        suggestion.reasons,
    )


def _with_profiles(viewer: User, picks: BoardPicks) -> PersonalBoard:
    wanted = {p.user_id for g in picks.goals for p in g.picks} | {
        p.user_id for p in picks.could_help
    }
    profiles = {
        profile.pk: profile
        for profile in with_cards(profiles_visible_to(viewer).filter(user_id__in=wanted))
    }

    def people(chosen: tuple[Pick, ...]) -> list[Recommendation]:
        return [
            Recommendation(profiles[p.user_id], p.band, p.two_way, p.reasons)
            for p in chosen
            if p.user_id in profiles
        ]

    return PersonalBoard(
        goals=[
            GoalRecommendations(g.skill, g.goal, g.priority, people(g.picks)) for g in picks.goals
        ],
        could_help=people(picks.could_help),
        offers_anything=picks.offers_anything,
    )


# --- Search --------------------------------------------------------------------------------


class RankedProfiles:
    """Profiles in the engine's order, paged like a queryset: a slice loads only its cards."""

    def __init__(self, user_ids: list[int]) -> None:
        self.user_ids = user_ids

    def count(self) -> int:
        return len(self.user_ids)

    __len__ = count

    def __getitem__(self, key: slice) -> list[Profile]:
        wanted = self.user_ids[key]
        found = {p.pk: p for p in with_cards(Profile.objects.filter(user_id__in=wanted))}
        return [found[uid] for uid in wanted if uid in found]


def people_find(*, viewer: User, filters: PeopleFilters) -> PeopleSearch:
    """The directory. Free text is ranked by the matching engine among the people the other
    filters leave; then come people who merely contain every word somewhere (a name, a
    place, the start of a skill typed so far), so a live search never goes blank mid-word."""
    text = filters.q.strip()
    if not text:
        return people_search(viewer=viewer, filters=filters)
    narrowed = people_search(viewer=viewer, filters=dataclasses.replace(filters, q=""))
    pool = narrowed.profiles.order_by().values_list("user_id", flat=True)
    request = Request(
        id="search", text=text, candidates=tuple(network.person_id(uid) for uid in pool)
    )
    ranked = [network.user_id(m.person_id) for m in network.snapshot().index.search(request)]
    seen = set(ranked)
    containing = people_search(viewer=viewer, filters=filters).profiles
    ranked += [uid for uid in containing.values_list("user_id", flat=True) if uid not in seen]
    return dataclasses.replace(narrowed, profiles=RankedProfiles(ranked))


# --- Program shortlists --------------------------------------------------------------------


def cohorts_of(organization: Organization) -> QuerySet[Cohort]:
    return organization.cohorts.prefetch_related("members__user")


def cohort_get(*, organization: Organization, name: str) -> Cohort:
    cohort = organization.cohorts.filter(name=name).first()
    if cohort is None:
        raise NotFound(f"{organization.name} has no cohort called “{name}”.", field="cohort")
    return cohort


def shortlist_runs(organization: Organization) -> QuerySet[ShortlistRun]:
    return organization.shortlist_runs.select_related("created_by")


def shortlist_run_get(*, organization: Organization, run_id: int) -> ShortlistRun:
    run = shortlist_runs(organization).filter(pk=run_id).first()
    if run is None:
        raise NotFound(f"{organization.name} has no shortlist run {run_id}.")
    return run


@dataclass(frozen=True)
class ShortlistLine:
    seeker: User
    status: str
    reason: str
    helpers: list[tuple[User, float, list[str]]]


def shortlist_lines(run: ShortlistRun) -> list[ShortlistLine]:
    """Each seeker with their helpers (user, fit, what they cover), seekers by name."""
    entries = list(run.entries.select_related("seeker__profile"))
    helper_ids = {h["user_id"] for e in entries for h in e.helpers}
    helpers = {u.pk: u for u in User.objects.select_related("profile").filter(pk__in=helper_ids)}
    lines = [
        ShortlistLine(
            seeker=entry.seeker,
            status=entry.status,
            reason=entry.reason,
            helpers=[
                (helpers[h["user_id"]], h["fit"], h["covers"])
                for h in entry.helpers
                if h["user_id"] in helpers
            ],
        )
        for entry in entries
    ]
    lines.sort(key=lambda line: (line.seeker.profile.display_name.casefold(), line.seeker.pk))
    return lines


CSV_HEADER = [
    "seeker_handle", "seeker_name", "status", "position",
    "helper_handle", "helper_name", "fit", "covers", "reason",
]  # fmt: skip


def _cell(value: str) -> str:
    """Text a spreadsheet will not run: a leading =, +, -, @ or control makes a formula."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def shortlist_csv_rows(run: ShortlistRun) -> Iterator[list[str]]:
    """One row per suggested helper; a seeker with none gets one row saying why."""
    yield CSV_HEADER
    for row in _shortlist_rows(run):
        yield [_cell(value) for value in row]


def _shortlist_rows(run: ShortlistRun) -> Iterator[list[str]]:
    for line in shortlist_lines(run):
        seeker = [line.seeker.handle, line.seeker.profile.display_name, line.status]
        if not line.helpers:
            yield [*seeker, "", "", "", "", "", line.reason]
        for position, (helper, fit, covers) in enumerate(line.helpers, start=1):
            yield [
                *seeker, str(position), helper.handle, helper.profile.display_name,
                f"{fit:.3f}", "; ".join(covers), line.reason,
            ]  # fmt: skip


@dataclass(frozen=True)
class MyShortlist:
    organization: Organization
    cohort_name: str
    created_at: object
    helpers: list[tuple[Profile, list[str]]]
    reason: str


def my_shortlists(*, viewer: User) -> list[MyShortlist]:
    """The latest shortlist each of my programs made for me, helpers I can see."""
    entries = (
        ShortlistEntry.objects.filter(seeker=viewer)
        .select_related("run__organization")
        .order_by("run__organization_id", "-run__created_at", "-run_id")
    )
    latest: dict[int, ShortlistEntry] = {}
    for entry in entries:
        latest.setdefault(entry.run.organization_id, entry)
    wanted = {h["user_id"] for e in latest.values() for h in e.helpers}
    profiles = {p.pk: p for p in with_cards(profiles_visible_to(viewer).filter(user_id__in=wanted))}
    return [
        MyShortlist(
            organization=entry.run.organization,
            cohort_name=entry.run.cohort_name,
            created_at=entry.run.created_at,
            helpers=[
                (profiles[h["user_id"]], h["covers"])
                for h in entry.helpers
                if h["user_id"] in profiles
            ],
            reason=entry.reason,
        )
        for entry in latest.values()
    ]
