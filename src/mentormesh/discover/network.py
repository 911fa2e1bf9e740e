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

from django.db.models import Prefetch

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
from mentormesh.people.models import Membership, Profile, Skill, SkillAlias

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
    skills = Skill.objects.prefetch_related("related").only("key", "name")
    return Vocabulary(
        aliases=dict(SkillAlias.objects.values_list("alias", "skill__key")),
        related={skill.key: [other.key for other in skill.related.all()] for skill in skills},
        labels={skill.key: skill.name for skill in skills},
    )


def load_people() -> list[Person]:
    """Every active member, with what they offer, seek, when they are free, and evidence."""
    evidence: dict[int, list[Evidence]] = defaultdict(list)
    for source in sources.evidence_sources:
        for owner, item in source():
            evidence[owner].append(item)
    busy: dict[int, int] = defaultdict(int)
    for source in sources.load_sources:
        for owner, count in source().items():
            busy[owner] += count
    profiles = (
        Profile.objects.filter(user__is_active=True)
        .select_related("user")
        .prefetch_related(
            "user__offered_skills__skill",
            "user__sought_skills__skill",
            "user__availability",
            Prefetch(
                "user__memberships",
                queryset=Membership.objects.select_related("organization").only(
                    "user_id", "organization__slug"
                ),
            ),
        )
        .order_by("user_id")
    )
    return [_person(profile, evidence[profile.pk], busy[profile.pk]) for profile in profiles]


def _minutes(moment) -> int:
    return moment.hour * 60 + moment.minute


def _person(profile: Profile, evidence: list[Evidence], busy: int) -> Person:
    user = profile.user
    return Person(
        id=person_id(user.pk),
        name=profile.display_name,
        headline=profile.headline,
        bio=profile.bio,
        offers=[
            Offer(offer.skill.key, ENGINE_PROFICIENCY[offer.proficiency])
            for offer in user.offered_skills.all()
        ],
        seeks=[
            Goal(sought.skill.key, sought.goal, ENGINE_PRIORITY[sought.priority])
            for sought in user.sought_skills.all()
        ],
        level=profile.level or None,
        organizations=tuple(m.organization.slug for m in user.memberships.all()),
        time_zone=profile.timezone,
        availability=tuple(
            AvailabilityWindow(w.weekday, _minutes(w.start), _minutes(w.end))
            for w in user.availability.all()
        ),
        capacity=max(0, profile.max_mentees - busy),
        openness=Openness(
            mentor=profile.open_to_mentor,
            be_mentored=profile.open_to_be_mentored,
            reverse=profile.open_to_reverse,
            paid=profile.open_to_paid,
        ),
        evidence=evidence,
    )


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
