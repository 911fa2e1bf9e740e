"""Reads for people. Every function takes the viewer and returns only what they may see."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from mentormesh.errors import DomainError, NotFound
from mentormesh.people.models import (
    Membership,
    OfferedSkill,
    Organization,
    Profile,
    Skill,
    SkillAlias,
    SoughtSkill,
    User,
    Visibility,
)
from mentormesh.people.vocab import normalize_skill_key

OPENNESS_FILTERS = {
    "mentor": "open_to_mentor",
    "mentee": "open_to_be_mentored",
    "reverse": "open_to_reverse",
    "paid": "open_to_paid",
}


@dataclass(frozen=True)
class ProfileSection:
    """A list on someone's page from another app: their posts, where they are mentioned."""

    title: str
    links: list[tuple[str, str]]  # (text, url)


# Later apps add sections from AppConfig.ready: (viewer=, person=) -> list[ProfileSection].
profile_sections: list[Callable[..., list[ProfileSection]]] = []


def skill_resolve(text: str) -> Skill | None:
    """The skill a person means by `text`: its name or any alias, ignoring case and spacing."""
    key = normalize_skill_key(text)
    if not key:
        return None
    skill = Skill.objects.filter(key=key).first()
    if skill is None:
        alias = SkillAlias.objects.select_related("skill").filter(alias=key).first()
        skill = alias.skill if alias else None
    return skill


def skills_named(names: Iterable[str], *, field: str = "skills") -> list[Skill]:
    """The skills for these names or aliases, in order; a DomainError names the unknown one."""
    resolved = []
    for name in names:
        skill = skill_resolve(name)
        if skill is None:
            raise DomainError(f"{field}: no skill called “{name}”.", field=field)
        resolved.append(skill)
    return resolved


def organization_ids_of(user: User) -> list[int]:
    return list(Membership.objects.filter(user=user).values_list("organization_id", flat=True))


def profiles_visible_to(viewer: User) -> QuerySet[Profile]:
    """Profiles open to the whole network, the viewer's own, and those of co-members."""
    profiles = Profile.objects.filter(user__is_active=True)
    if viewer.is_staff:
        return profiles
    shares_an_org = Membership.objects.filter(
        user_id=OuterRef("user_id"), organization_id__in=organization_ids_of(viewer)
    )
    return profiles.filter(
        Q(visibility=Visibility.NETWORK) | Q(user_id=viewer.pk) | Exists(shares_an_org)
    )


def with_cards(profiles: QuerySet[Profile]) -> QuerySet[Profile]:
    """What a directory card shows, in a fixed number of queries whatever the page size."""
    return profiles.select_related("user").prefetch_related(
        Prefetch(
            "user__offered_skills",
            queryset=OfferedSkill.objects.select_related("skill").order_by(
                "-proficiency", "skill__name"
            ),
        ),
        Prefetch("user__sought_skills", queryset=SoughtSkill.objects.select_related("skill")),
        Prefetch(
            "user__memberships",
            queryset=Membership.objects.select_related("organization").order_by(
                "organization__name"
            ),
        ),
        "languages",
    )


@dataclass(frozen=True)
class PeopleFilters:
    q: str = ""
    skill: str = ""
    learning: str = ""
    level: str = ""
    organization: str = ""
    language: str = ""
    open_to: str = ""


@dataclass(frozen=True)
class PeopleSearch:
    profiles: QuerySet[Profile]
    skill: Skill | None
    unknown_skill: str | None


def _offers(skill_ids) -> Exists:
    return Exists(OfferedSkill.objects.filter(user_id=OuterRef("user_id"), skill_id__in=skill_ids))


def people_search(*, viewer: User, filters: PeopleFilters) -> PeopleSearch:
    """The directory: free text, skill (by name or alias), level, organization, language, openness."""
    profiles = profiles_visible_to(viewer)
    skill = None
    unknown_skill = None
    if filters.skill:
        skill = skill_resolve(filters.skill)
        if skill is None:
            unknown_skill = filters.skill
            profiles = profiles.none()
        else:
            profiles = profiles.filter(_offers([skill.pk]))
    if filters.learning:
        sought = skill_resolve(filters.learning)
        profiles = (
            profiles.filter(
                Exists(SoughtSkill.objects.filter(user_id=OuterRef("user_id"), skill=sought))
            )
            if sought
            else profiles.none()
        )
    for term in filters.q.split()[:8]:
        key = normalize_skill_key(term)
        skill_ids = Skill.objects.filter(
            Q(key=key)
            | Q(name__icontains=term)
            | Q(pk__in=SkillAlias.objects.filter(alias=key).values("skill_id"))
        ).values("pk")
        profiles = profiles.filter(
            Q(display_name__icontains=term)
            | Q(user__handle__icontains=term)
            | Q(headline__icontains=term)
            | Q(bio__icontains=term)
            | Q(location__icontains=term)
            | _offers(skill_ids)
        )
    if filters.level:
        profiles = profiles.filter(level=filters.level)
    if filters.organization:
        profiles = profiles.filter(
            Exists(
                Membership.objects.filter(
                    user_id=OuterRef("user_id"), organization__slug=filters.organization
                )
            )
        )
    if filters.language:
        profiles = profiles.filter(languages__code=filters.language)
    if filters.open_to in OPENNESS_FILTERS:
        profiles = profiles.filter(**{OPENNESS_FILTERS[filters.open_to]: True})
    return PeopleSearch(
        profiles=with_cards(profiles).order_by("display_name", "user_id"),
        skill=skill,
        unknown_skill=unknown_skill,
    )


def profile_for(*, viewer: User, handle: str) -> Profile:
    """A profile the viewer may see; a private one is indistinguishable from a missing one."""
    profile = (
        with_cards(profiles_visible_to(viewer))
        .prefetch_related("user__availability")
        .filter(user__handle=handle.lower())
        .first()
    )
    if profile is None:
        raise NotFound(f"No one with the handle @{handle} that you can see.")
    return profile


def organizations_list() -> QuerySet[Organization]:
    return Organization.objects.order_by("name")


def organization_get(slug: str) -> Organization:
    organization = Organization.objects.filter(slug=slug).first()
    if organization is None:
        raise NotFound(f"No organization '{slug}'.")
    return organization


def organization_members(*, viewer: User, organization: Organization) -> QuerySet[Profile]:
    """Members of an organization whose profiles the viewer may see."""
    return with_cards(
        profiles_visible_to(viewer).filter(
            Exists(
                Membership.objects.filter(user_id=OuterRef("user_id"), organization=organization)
            )
        )
    ).order_by("display_name", "user_id")


def skills_suggest(q: str, limit: int = 10) -> list[Skill]:
    """Autocomplete: names that start with what was typed first, then aliases, then the rest."""
    key = normalize_skill_key(q)
    if not key:
        return []
    prefix = list(Skill.objects.filter(key__startswith=key).order_by("key")[:limit])
    seen = {skill.pk for skill in prefix}
    by_alias = [
        alias.skill
        for alias in SkillAlias.objects.select_related("skill").filter(alias__startswith=key)[
            :limit
        ]
        if alias.skill_id not in seen
    ]
    seen |= {skill.pk for skill in by_alias}
    contains = list(
        Skill.objects.filter(key__contains=key).exclude(pk__in=seen).order_by("key")[:limit]
    )
    return (prefix + by_alias + contains)[:limit]


def aliases_of(skill_ids: list[int]) -> dict[int, list[str]]:
    aliases: dict[int, list[str]] = {}
    for skill_id, alias in SkillAlias.objects.filter(skill_id__in=skill_ids).values_list(
        "skill_id", "alias"
    ):
        aliases.setdefault(skill_id, []).append(alias)
    return aliases


@dataclass(frozen=True)
class HomeSummary:
    profile: Profile
    missing: list[str]
    offers: int
    seeks: int
    organizations: list[Membership]
    network_size: int


def home_summary(user: User) -> HomeSummary:
    """What the dashboard shows: how complete my profile is and what to do next."""
    profile = Profile.objects.get(user=user)
    offers = OfferedSkill.objects.filter(user=user).count()
    seeks = SoughtSkill.objects.filter(user=user).count()
    missing = [
        label
        for label, done in [
            ("a headline", bool(profile.headline)),
            ("your level", bool(profile.level)),
            ("a skill you can help with", offers > 0),
            ("something you want to learn", seeks > 0),
            ("when you are available", user.availability.exists()),
        ]
        if not done
    ]
    return HomeSummary(
        profile=profile,
        missing=missing,
        offers=offers,
        seeks=seeks,
        organizations=list(Membership.objects.filter(user=user).select_related("organization")),
        network_size=profiles_visible_to(user).count(),
    )
