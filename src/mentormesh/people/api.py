"""People endpoints: me, the directory, profiles, skills, organizations."""

from __future__ import annotations

import math

from django.db.models import Count
from ninja import Query, Router

from mentormesh.people import selectors, services
from mentormesh.people.models import Profile
from mentormesh.people.schemas import (
    ErrorOut,
    MePatch,
    OrganizationOut,
    PeoplePage,
    PersonOut,
    SkillOut,
)

router = Router(tags=["people"])
ERRORS = {
    400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut,
    429: ErrorOut,
}  # fmt: skip


def person_card(profile: Profile) -> dict:
    user = profile.user
    return {
        "handle": user.handle,
        "display_name": profile.display_name,
        "headline": profile.headline,
        "level": profile.level,
        "timezone": profile.timezone,
        "location": profile.location,
        "languages": sorted(language.code for language in profile.languages.all()),
        "open_to_mentor": profile.open_to_mentor,
        "open_to_be_mentored": profile.open_to_be_mentored,
        "open_to_reverse": profile.open_to_reverse,
        "open_to_paid": profile.open_to_paid,
        "offers": [
            {
                "skill": offer.skill.name,
                "category": offer.skill.category,
                "proficiency": offer.proficiency,
                "proficiency_label": offer.get_proficiency_display(),
                "note": offer.note,
            }
            for offer in user.offered_skills.all()
        ],
        "seeks": [
            {
                "skill": s.skill.name,
                "category": s.skill.category,
                "goal": s.goal,
                "priority": s.priority,
            }
            for s in user.sought_skills.all()
        ],
        "organizations": [
            {
                "organization": m.organization.slug,
                "organization_name": m.organization.name,
                "role": m.role,
                "department": m.department,
                "title": m.title,
            }
            for m in user.memberships.all()
        ],
    }


def people_page(profiles, *, page: int, page_size: int) -> dict:
    """One page of person cards; a page past the end is empty, not an error."""
    count = profiles.count()
    start = (page - 1) * page_size
    return {
        "count": count,
        "page": page,
        "pages": max(1, math.ceil(count / page_size)),
        "results": [person_card(profile) for profile in profiles[start : start + page_size]],
    }


def person_detail(profile: Profile) -> dict:
    return {
        **person_card(profile),
        "bio": profile.bio,
        "bio_html": profile.bio_html,
        "years_experience": profile.years_experience,
        "links": profile.links,
        "max_mentees": profile.max_mentees,
        "hours_per_month": profile.hours_per_month,
        "paid_rate_minor": profile.paid_rate_minor,
        "paid_currency": profile.paid_currency,
        "visibility": profile.visibility,
        "availability": [
            {"weekday": w.weekday, "start": f"{w.start:%H:%M}", "end": f"{w.end:%H:%M}"}
            for w in profile.user.availability.all()
        ],
    }


@router.get("/me", response={200: PersonOut, **ERRORS}, summary="My profile")
def me(request):
    return person_detail(selectors.profile_for(viewer=request.user, handle=request.user.handle))


@router.patch("/me", response={200: PersonOut, **ERRORS}, summary="Change my profile")
def me_patch(request, payload: MePatch):
    services.profile_apply(user=request.user, changes=payload.model_dump(exclude_unset=True))
    return person_detail(selectors.profile_for(viewer=request.user, handle=request.user.handle))


@router.get("/people/{handle}", response={200: PersonOut, **ERRORS}, summary="A person's profile")
def person(request, handle: str):
    return person_detail(selectors.profile_for(viewer=request.user, handle=handle))


@router.get("/skills", response={200: list[SkillOut], **ERRORS}, summary="Autocomplete skills")
def skills(request, q: str = Query("", max_length=60)):
    found = selectors.skills_suggest(q)
    aliases = selectors.aliases_of([skill.pk for skill in found])
    return [
        {
            "name": s.name,
            "category": s.category,
            "reviewed": s.reviewed,
            "aliases": aliases.get(s.pk, []),
        }
        for s in found
    ]


@router.get("/orgs", response={200: list[OrganizationOut], **ERRORS}, summary="Organizations")
def organizations(request):
    return [
        {
            "slug": o.slug,
            "name": o.name,
            "kind": o.kind,
            "description": o.description,
            "members": o.member_count,
        }
        for o in selectors.organizations_list().annotate(member_count=Count("memberships"))
    ]


@router.get(
    "/orgs/{slug}/members", response={200: PeoplePage, **ERRORS}, summary="Members you can see"
)
def organization_members(
    request,
    slug: str,
    page: int = Query(1, ge=1, le=100_000),
    page_size: int = Query(20, ge=1, le=100),
):
    organization = selectors.organization_get(slug)
    members = selectors.organization_members(viewer=request.user, organization=organization)
    return people_page(members, page=page, page_size=page_size)
