"""Writes for mixers: members opt in, an org admin (or the `mentormesh mixer` command) runs a
round with the engine's `matching.mixer.mix`, and everyone hears their group and an opener."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import combinations

from django.db import IntegrityError, transaction
from django.urls import reverse

from mentormesh.community.models import MixerGroup, MixerOptIn, MixerRound
from mentormesh.errors import Conflict, DomainError, NotFound
from mentormesh.matching.availability import zone
from mentormesh.matching.mixer import MixerPerson, mix, pair_key
from mentormesh.notifications.services import notify
from mentormesh.people.models import Membership, OfferedSkill, Organization, SoughtSkill, User
from mentormesh.people.services import require_org_admin


def _member_org(slug: str, user: User) -> Organization:
    membership = (
        Membership.objects.filter(user=user, organization__slug=slug)
        .select_related("organization")
        .first()
    )
    if membership is None:
        raise NotFound(f"No organization “{slug}” of yours.")
    return membership.organization


@transaction.atomic
def mixer_opt(*, organization_slug: str, by: User, opt_in: bool) -> bool:
    """Opt in to (or out of) the organization's mixers; True when now opted in."""
    organization = _member_org(organization_slug, by)
    if opt_in:
        MixerOptIn.objects.get_or_create(organization=organization, user=by)
    else:
        MixerOptIn.objects.filter(organization=organization, user=by).delete()
    return opt_in


def _offset_hours(time_zone: str, at: datetime) -> float:
    found = zone(time_zone) or UTC
    offset = at.astimezone(found).utcoffset()
    return offset.total_seconds() / 3600 if offset else 0.0


def _opener(members: list[User]) -> str:
    """Something to start with: a skill one of them offers that another wants to learn."""
    ids = [m.pk for m in members]
    wanted = {}
    for user_id, name in SoughtSkill.objects.filter(user_id__in=ids).values_list(
        "user_id", "skill__name"
    ):
        wanted.setdefault(name, user_id)
    handles = {m.pk: m.handle for m in members}
    for user_id, name in OfferedSkill.objects.filter(
        user_id__in=ids, skill__name__in=wanted
    ).values_list("user_id", "skill__name"):
        if wanted[name] != user_id:
            return (
                f"@{handles[wanted[name]]} wants to learn {name} and @{handles[user_id]} knows "
                f"it: start there, then each say what you are working on this month."
            )
    return "Each say what you are working on this month and one thing you could help with."


@transaction.atomic
def mixer_run(
    *, organization_slug: str, name: str, group_size: int, by: User | None = None
) -> MixerRound:
    """A round for everyone opted in. ``by`` None is the command line (the operator)."""
    organization = Organization.objects.filter(slug=organization_slug).first()
    if organization is None:
        raise NotFound(f"No organization “{organization_slug}”.")
    if by is not None:
        require_org_admin(user=by, organization=organization)
    name = name.strip()
    if not name or len(name) > 60:
        raise DomainError("name: 1 to 60 characters.", field="name")
    if group_size not in (2, 3, 4):
        raise DomainError("group_size: 2, 3 or 4.", field="group_size")
    now = datetime.now(UTC)
    memberships = list(
        Membership.objects.filter(
            organization=organization,
            user__in=MixerOptIn.objects.filter(organization=organization).values("user"),
            user__is_active=True,
        ).select_related("user__profile")
    )
    if len(memberships) < 2:
        raise DomainError("Fewer than two members have opted in to mixers.", field="name")
    users = {m.user.handle: m.user for m in memberships}
    people = [
        MixerPerson(
            m.user.handle,
            m.department,
            m.user.profile.level,
            _offset_hours(m.user.profile.timezone, now),
        )
        for m in memberships
    ]
    met = {
        pair_key(a, b)
        for group in MixerGroup.objects.filter(round__organization=organization).prefetch_related(
            "members"
        )
        for a, b in combinations(sorted(u.handle for u in group.members.all()), 2)
    }
    result = mix(people, group_size=group_size, met=met, seed=MixerRound.objects.count())
    try:
        with transaction.atomic():
            mixer_round = MixerRound.objects.create(
                organization=organization, name=name, group_size=group_size, created_by=by,
                opted_in=len(people), placed=result.placed, repeats=result.repeats,
                cross_department_groups=result.cross_department_groups,
                unplaced=[{"handle": h, "why": why} for h, why in sorted(result.unplaced.items())],
            )  # fmt: skip
    except IntegrityError:
        raise Conflict(f"There is already a round called “{name}”.", field="name") from None
    url = reverse("mixers", args=[organization.slug])
    for handles in result.groups:
        members = [users[h] for h in handles]
        group = MixerGroup.objects.create(round=mixer_round, opener=_opener(members))
        group.members.set(members)
        for member in members:
            others = ", ".join(f"@{m.handle}" for m in members if m != member)
            notify(user=member, kind="mixer_group", url=url,
                   text=f"Mixer “{name}”: you are with {others}. {group.opener}")  # fmt: skip
    return mixer_round
