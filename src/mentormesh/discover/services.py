"""Writes for discovery: program cohorts and shortlist runs."""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction

from mentormesh.discover import network
from mentormesh.discover.models import (
    Cohort,
    CohortMember,
    CohortRole,
    ShortlistEntry,
    ShortlistRun,
)
from mentormesh.errors import Conflict, DomainError
from mentormesh.matching import Person, fit_from_index, shortlist
from mentormesh.matching.vocabulary import SkillVocabulary
from mentormesh.people.models import Membership, Organization, User
from mentormesh.people.services import require_org_admin

MAX_SIZE = 10
MAX_CAPACITY_MULTIPLE = 10
_HANDLE_SPLIT = re.compile(r"[\s,;]+")


def handles_in(text: str) -> list[str]:
    """'@ana, bo  cy' → ['ana', 'bo', 'cy'], each once, in order."""
    found = [h.removeprefix("@").lower() for h in _HANDLE_SPLIT.split(text) if h.strip("@")]
    return list(dict.fromkeys(found))


def _members_by_handle(organization: Organization, handles: list[str], field: str) -> list[int]:
    ids = dict(
        Membership.objects.filter(organization=organization, user__handle__in=handles)
        .values_list("user__handle", "user_id")
    )  # fmt: skip
    strangers = [h for h in handles if h not in ids]
    if strangers:
        listed = ", ".join(f"@{h}" for h in strangers)
        raise DomainError(f"Not members of {organization.name}: {listed}.", field=field)
    return [ids[h] for h in handles]


@transaction.atomic
def cohort_save(
    *,
    organization: Organization,
    by: User,
    name: str,
    seekers: list[str],
    helpers: list[str],
    cohort: Cohort | None = None,
) -> Cohort:
    """Create a cohort, or replace an existing one's name and members. Handles, not ids."""
    require_org_admin(user=by, organization=organization)
    name = name.strip()
    if not name:
        raise DomainError("Give the cohort a name.", field="name")
    if len(name) > 80:
        raise DomainError("A cohort name has at most 80 characters.", field="name")
    if not seekers and not helpers:
        raise DomainError("Add at least one member, as a seeker or a helper.", field="seekers")
    seeker_ids = _members_by_handle(organization, seekers, "seekers")
    helper_ids = _members_by_handle(organization, helpers, "helpers")
    roles = dict.fromkeys(seeker_ids, CohortRole.SEEKER)
    for uid in helper_ids:
        roles[uid] = CohortRole.BOTH if uid in roles else CohortRole.HELPER
    try:
        with transaction.atomic():
            if cohort is None:
                cohort = Cohort.objects.create(organization=organization, name=name)
            else:
                cohort.name = name
                cohort.save(update_fields=["name"])
    except IntegrityError:
        raise Conflict(
            f"{organization.name} already has a cohort called “{name}”.", field="name"
        ) from None
    cohort.members.all().delete()
    CohortMember.objects.bulk_create(
        CohortMember(cohort=cohort, user_id=uid, role=role) for uid, role in roles.items()
    )
    return cohort


def _pool(
    organization: Organization, cohort: Cohort | None, current: network.Snapshot
) -> tuple[list[Person], list[Person]]:
    """Seekers (open to being mentored, with goals) and helpers (open to mentor, offering
    something, with room). Without a cohort, every member may be either."""
    if cohort is None:
        ids = Membership.objects.filter(organization=organization).values_list("user_id", flat=True)
        seeker_ids = helper_ids = list(ids)
    else:
        roles = list(cohort.members.values_list("user_id", "role"))
        seeker_ids = [uid for uid, role in roles if role != CohortRole.HELPER]
        helper_ids = [uid for uid, role in roles if role != CohortRole.SEEKER]
    seekers, helpers = [], []
    for uid in sorted(set(seeker_ids)):
        person = current.person(uid)
        if person and person.seeks and person.openness.be_mentored:
            seekers.append(person)
    for uid in sorted(set(helper_ids)):
        person = current.person(uid)
        if person and person.offers and person.openness.mentor and person.capacity:
            helpers.append(person)
    return seekers, helpers


def _covers(vocabulary: SkillVocabulary, seeker: Person, helper: Person) -> list[str]:
    """What of the seeker's goals the helper offers, directly or through a related skill."""
    offered = {vocabulary.canonical(offer.skill) for offer in helper.offers}
    covers = []
    for goal in seeker.seeks:
        key = vocabulary.canonical(goal.skill)
        if key in offered:
            covers.append(vocabulary.label(key))
        elif near := sorted(offered & vocabulary.related(key)):
            covers.append(f"{vocabulary.label(near[0])} (related to {vocabulary.label(key)})")
    wanted = {vocabulary.canonical(goal.skill) for goal in helper.seeks}
    if back := [
        vocabulary.label(k) for k in (vocabulary.canonical(o.skill) for o in seeker.offers)
        if k in wanted
    ]:  # fmt: skip
        covers.append("two-way: wants to learn " + ", ".join(back))
    return covers


def shortlist_run(
    *,
    organization: Organization,
    by: User | None,
    cohort: Cohort | None = None,
    size: int = 3,
    capacity_multiple: int = 1,
) -> ShortlistRun:
    """Shortlists for a program: up to ``size`` helpers per seeker, total fit maximised, no
    helper in more lists than their free capacity × ``capacity_multiple``.

    ``by`` is the org admin asking; None for the command line, whose user runs the server.
    """
    if by is not None:
        require_org_admin(user=by, organization=organization)
    if cohort is not None and cohort.organization_id != organization.pk:
        raise DomainError(f"That cohort is not in {organization.name}.", field="cohort")
    if not 1 <= size <= MAX_SIZE:
        raise DomainError(f"Size must be between 1 and {MAX_SIZE}.", field="size")
    if not 1 <= capacity_multiple <= MAX_CAPACITY_MULTIPLE:
        raise DomainError(
            f"The capacity multiple must be between 1 and {MAX_CAPACITY_MULTIPLE}.",
            field="capacity_multiple",
        )
    current = network.snapshot()
    seekers, helpers = _pool(organization, cohort, current)
    helper_ids = [helper.id for helper in helpers]
    fit = fit_from_index(current.index, seekers, helper_ids)
    result = shortlist(
        [seeker.id for seeker in seekers],
        helper_ids,
        fit,
        size=size,
        capacity=[helper.capacity * capacity_multiple for helper in helpers],
    )
    column_of = {pid: column for column, pid in enumerate(helper_ids)}
    helper_of = {helper.id: helper for helper in helpers}
    vocabulary = current.index.vocabulary
    with transaction.atomic():
        run = ShortlistRun.objects.create(
            organization=organization,
            cohort=cohort,
            cohort_name=cohort.name if cohort else "",
            size=size,
            capacity_multiple=capacity_multiple,
            created_by=by,
            full=result.report.full,
            partial=result.report.partial,
            empty=result.report.empty,
            helpers=len(helpers),
            total_fit=result.total_fit,
        )
        entries = []
        for row, seeker in enumerate(seekers):
            chosen = result.lists[seeker.id]
            status = "full" if len(chosen) == size else "partial" if chosen else "empty"
            entries.append(
                ShortlistEntry(
                    run=run,
                    seeker_id=network.user_id(seeker.id),
                    status=status,
                    reason=result.report.reasons.get(seeker.id, ""),
                    helpers=[
                        {
                            "user_id": network.user_id(pid),
                            "fit": round(float(fit[row, column_of[pid]]), 4),
                            "covers": _covers(vocabulary, seeker, helper_of[pid]),
                        }
                        for pid in chosen
                    ],
                )
            )
        ShortlistEntry.objects.bulk_create(entries, batch_size=1000)
    return run
