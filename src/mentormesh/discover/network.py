"""The network as the engine sees it: every active profile as a matching.Person, one Index.

The truth is the database. ``NetworkRevision`` changes whenever anything the engine reads
changes (see apps.py); each server process keeps the index of the revision it last saw
and rebuilds when the revision has moved, so every process answers from the same data.
Boards are cached in the shared database cache under the revision, so after a change a
board is computed once, for every process.
"""

from __future__ import annotations

import threading
import uuid
from collections import defaultdict
from dataclasses import dataclass

from mentormesh.discover import sources
from mentormesh.discover.models import NetworkRevision
from mentormesh.matching import (
    AvailabilityWindow,
    Evidence,
    Goal,
    Index,
    Offer,
    Openness,
    Person,
    Vocabulary,
)
from mentormesh.people.models import AvailabilityWindow as WeeklyWindow
from mentormesh.people.models import (
    Membership,
    OfferedSkill,
    Profile,
    Skill,
    SkillAlias,
    SoughtSkill,
    User,
)

# Our proficiency runs 1 (familiar) to 3 (expert); the engine's 1 to 5.
ENGINE_PROFICIENCY = {1: 2, 2: 3, 3: 5}
# Our priority 1 is high; the engine's higher number is more important.
ENGINE_PRIORITY = {1: 3, 2: 2, 3: 1}


def network_changed() -> None:
    """Mark every index and cached board stale; call after any change the engine reads."""
    token = uuid.uuid4().hex
    if not NetworkRevision.objects.filter(pk=1).update(token=token):
        NetworkRevision.objects.update_or_create(pk=1, defaults={"token": token})


def revision() -> str:
    token = NetworkRevision.objects.filter(pk=1).values_list("token", flat=True).first()
    if token is None:
        network_changed()
        return revision()
    return token


def person_id(user_id: int) -> str:
    return str(user_id)


def user_id(person_id: str) -> int:
    return int(person_id)


def load_vocabulary() -> Vocabulary:
    related: dict[str, list[str]] = defaultdict(list)
    for key, other in Skill.related.through.objects.values_list("from_skill__key", "to_skill__key"):
        related[key].append(other)
    return Vocabulary(
        aliases=dict(SkillAlias.objects.values_list("alias", "skill__key")),
        related=related,
        labels=dict(Skill.objects.values_list("key", "name")),
    )


def load_people() -> list[Person]:
    """Every active member, with what they offer, seek, when they are free, and evidence.

    Read as plain rows, one query per table: model instances for 10,000 people and their
    skills cost seconds, rows a fraction of that.
    """
    evidence: dict[int, list[Evidence]] = defaultdict(list)
    for source in sources.evidence_sources:
        for owner, item in source():
            evidence[owner].append(item)
    busy: dict[int, int] = defaultdict(int)
    for source in sources.load_sources:
        for owner, count in source().items():
            busy[owner] += count
    active = {"user__is_active": True}
    offers: dict[int, list[Offer]] = defaultdict(list)
    for uid, key, proficiency in OfferedSkill.objects.filter(**active).values_list(
        "user_id", "skill__key", "proficiency"
    ):
        offers[uid].append(Offer(key, ENGINE_PROFICIENCY[proficiency]))
    seeks: dict[int, list[Goal]] = defaultdict(list)
    for uid, key, goal, priority in SoughtSkill.objects.filter(**active).values_list(
        "user_id", "skill__key", "goal", "priority"
    ):
        seeks[uid].append(Goal(key, goal, ENGINE_PRIORITY[priority]))
    windows: dict[int, list[AvailabilityWindow]] = defaultdict(list)
    for uid, weekday, start, end in WeeklyWindow.objects.filter(**active).values_list(
        "user_id", "weekday", "start", "end"
    ):
        windows[uid].append(AvailabilityWindow(weekday, _minutes(start), _minutes(end)))
    organizations: dict[int, list[str]] = defaultdict(list)
    for uid, slug in Membership.objects.filter(**active).values_list(
        "user_id", "organization__slug"
    ):
        organizations[uid].append(slug)
    rows = (
        Profile.objects.filter(**active)
        .order_by("user_id")
        .values_list(
            "user_id",
            "display_name",
            "headline",
            "bio",
            "level",
            "timezone",
            "max_mentees",
            "open_to_mentor",
            "open_to_be_mentored",
            "open_to_reverse",
            "open_to_paid",
        )
    )
    return [
        Person(
            id=person_id(uid),
            name=name,
            headline=headline,
            bio=bio,
            offers=offers[uid],
            seeks=seeks[uid],
            level=level or None,
            organizations=tuple(organizations[uid]),
            time_zone=zone,
            availability=tuple(windows[uid]),
            capacity=max(0, max_mentees - busy[uid]),
            openness=Openness(mentor=mentor, be_mentored=mentee, reverse=reverse, paid=paid),
            evidence=evidence[uid],
        )
        for (uid, name, headline, bio, level, zone, max_mentees,
             mentor, mentee, reverse, paid) in rows
    ]  # fmt: skip


def _minutes(moment) -> int:
    return moment.hour * 60 + moment.minute


def weekly_windows(user: User) -> list[AvailabilityWindow]:
    """One person's weekly availability as the engine reads it (minutes in their own zone)."""
    return [
        AvailabilityWindow(weekday, _minutes(start), _minutes(end))
        for weekday, start, end in user.availability.values_list("weekday", "start", "end")
    ]


@dataclass(frozen=True)
class Snapshot:
    revision: str
    index: Index

    def person(self, user_id: int) -> Person | None:
        row = self.index.row_of.get(person_id(user_id))
        return None if row is None else self.index.people[row]


_lock = threading.Lock()
_latest: Snapshot | None = None


def snapshot() -> Snapshot:
    """The index of the current revision; built here if this process has not yet."""
    global _latest
    current = revision()
    if _latest is not None and _latest.revision == current:
        return _latest
    with _lock:
        if _latest is None or _latest.revision != current:
            _latest = Snapshot(current, Index.build(load_people(), load_vocabulary()))
        return _latest
