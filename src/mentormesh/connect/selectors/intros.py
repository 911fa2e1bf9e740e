"""Reads for warm introductions: whom two people both know, and the introductions I am in.

A contact is someone I know through a live relationship or an organization (closest when
we share a team, that is a department). Later apps add their own kinds (people met at
events) by registering a source in ``contact_sources`` from their ``AppConfig.ready``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from mentormesh.connect.models import (
    Block,
    Introduction,
    IntroStatus,
    Relationship,
    RelationshipStatus,
)
from mentormesh.errors import NotFound
from mentormesh.people.models import Membership, Profile, User
from mentormesh.people.selectors import profiles_visible_to


@dataclass(frozen=True)
class Tie:
    """How one person knows another: a strength to rank by, and words for the end of
    "through …": ``own`` for the two people themselves, ``shown`` for anyone else (a
    relationship's topic is theirs to share, so others read only "a relationship")."""

    strength: int
    own: str
    shown: str


# user id → {contact's user id: tie}
ContactSource = Callable[[int], Mapping[int, Tie]]
RELATIONSHIP, TEAM, ORGANIZATION = 3, 2, 1
MAX_CONTACTS = 5


def _relationship_contacts(user_id: int) -> dict[int, Tie]:
    live = Relationship.objects.filter(Q(first_id=user_id) | Q(second_id=user_id)).exclude(
        status=RelationshipStatus.ENDED
    )
    return {
        (second if first == user_id else first): Tie(
            RELATIONSHIP, f"your relationship “{topic}”", "a relationship"
        )
        for first, second, topic in live.values_list("first_id", "second_id", "topic")
    }


def _organization_contacts(user_id: int) -> dict[int, Tie]:
    mine = {
        org_id: (name, department)
        for org_id, name, department in Membership.objects.filter(user_id=user_id).values_list(
            "organization_id", "organization__name", "department"
        )
    }
    found: dict[int, Tie] = {}
    rows = Membership.objects.filter(organization_id__in=mine).exclude(user_id=user_id)
    for other_id, org_id, department in rows.values_list(
        "user_id", "organization_id", "department"
    ):
        name, my_department = mine[org_id]
        if department and department == my_department:
            words = f"the {department} team at {name}"
            tie = Tie(TEAM, words, words)
        else:
            tie = Tie(ORGANIZATION, name, name)
        if other_id not in found or tie.strength > found[other_id].strength:
            found[other_id] = tie
    return found


contact_sources: list[ContactSource] = [_relationship_contacts, _organization_contacts]


def contacts_of(user_id: int) -> dict[int, Tie]:
    """Everyone this user knows, each with their closest tie."""
    known: dict[int, Tie] = {}
    for source in contact_sources:
        for other_id, tie in source(user_id).items():
            if other_id not in known or tie.strength > known[other_id].strength:
                known[other_id] = tie
    return known


def contact_ids(user_id: int) -> set[int]:
    """Everyone this user knows: relationships, organizations, events (the network)."""
    return set(contacts_of(user_id))


@dataclass(frozen=True)
class SharedContact:
    profile: Profile
    # How they know me, and the person I want to reach, as the end of "through …".
    with_me: str
    with_them: str


def shared_contacts(*, viewer: User, target: User) -> list[SharedContact]:
    """People who know both the viewer and the target, closest ties first; never someone
    in a block with either of them, and only people the viewer may see."""
    if viewer.pk == target.pk:
        return []
    mine, theirs = contacts_of(viewer.pk), contacts_of(target.pk)
    # Someone who merely shares an organization with each side is no warmer than a cold ask:
    # at least one of the two ties must be a relationship or a team.
    both = {
        uid
        for uid in set(mine) & set(theirs) - {viewer.pk, target.pk}
        if mine[uid].strength + theirs[uid].strength > 2 * ORGANIZATION
    }
    blocked = Block.objects.filter(
        Q(blocker_id__in=[viewer.pk, target.pk], blocked_id__in=both)
        | Q(blocked_id__in=[viewer.pk, target.pk], blocker_id__in=both)
    ).values_list("blocker_id", "blocked_id")
    both -= {user_id for pair in blocked for user_id in pair}
    visible = {
        profile.user_id: profile
        for profile in profiles_visible_to(viewer).filter(user_id__in=both).select_related("user")
    }
    ranked = sorted(visible, key=lambda uid: (-(mine[uid].strength + theirs[uid].strength), uid))
    return [
        SharedContact(visible[uid], mine[uid].own, theirs[uid].shown)
        for uid in ranked[:MAX_CONTACTS]
    ]


def intros_of(viewer: User) -> QuerySet[Introduction]:
    """The requester and the introducer see an introduction. The person introduced sees
    the ask it became, with the introducer's note, and never the note to the introducer."""
    return Introduction.objects.filter(Q(requester=viewer) | Q(introducer=viewer)).select_related(
        "requester__profile", "target__profile", "introducer__profile", "skill"
    )


def intro_get(*, viewer: User, intro_id: int) -> Introduction:
    intro = intros_of(viewer).filter(pk=intro_id).first()
    if intro is None:
        raise NotFound(f"No introduction {intro_id} of yours.")
    return intro


def intros_open_by(requester: User) -> QuerySet[Introduction]:
    return Introduction.objects.filter(requester=requester, status=IntroStatus.REQUESTED)


def intros_waiting(viewer: User) -> QuerySet[Introduction]:
    """Introductions I was asked to make and have not answered: counted beside "Asks"."""
    return Introduction.objects.filter(introducer=viewer, status=IntroStatus.REQUESTED)
