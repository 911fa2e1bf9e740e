"""Discovery endpoints: the ranked directory, my recommendations, program shortlists."""

from __future__ import annotations

from ninja import Path, Query, Router, Status

from mentormesh.discover import selectors, services
from mentormesh.discover.schemas import RecommendationsOut, ShortlistIn, ShortlistRunOut
from mentormesh.people.api import ERRORS, people_page, person_card
from mentormesh.people.schemas import PeoplePage, PeopleQuery
from mentormesh.people.selectors import organization_get
from mentormesh.people.services import require_org_admin

router = Router(tags=["discover"])


@router.get(
    "/people",
    response={200: PeoplePage, **ERRORS},
    summary="Search the directory; free text `q` is ranked by the matching engine",
)
def people(request, query: Query[PeopleQuery]):
    search = selectors.people_find(viewer=request.user, filters=query.to_filters())
    return people_page(search.profiles, page=query.page, page_size=query.page_size)


def _recommendation(item: selectors.Recommendation) -> dict:
    return {
        "person": person_card(item.profile),
        "band": item.band,
        "two_way": item.two_way,
        "reasons": list(item.reasons),
    }


@router.get(
    "/me/recommendations",
    response={200: RecommendationsOut, **ERRORS},
    summary="My board: people for each thing I want to learn, and people I could help",
)
def recommendations(request):
    board = selectors.board_for(viewer=request.user)
    return {
        "goals": [
            {
                "skill": goal.skill,
                "goal": goal.goal,
                "priority": goal.priority,
                "people": [_recommendation(item) for item in goal.people],
            }
            for goal in board.goals
        ],
        "could_help": [_recommendation(item) for item in board.could_help],
    }


def _run_out(run) -> dict:
    return {
        "id": run.pk,
        "cohort": run.cohort_name,
        "size": run.size,
        "capacity_multiple": run.capacity_multiple,
        "created_at": run.created_at,
        "seekers": run.seekers,
        "helpers": run.helpers,
        "full": run.full,
        "partial": run.partial,
        "empty": run.empty,
        "lines": [
            {
                "handle": line.seeker.handle,
                "display_name": line.seeker.profile.display_name,
                "status": line.status,
                "reason": line.reason,
                "helpers": [
                    {
                        "handle": helper.handle,
                        "display_name": helper.profile.display_name,
                        "fit": fit,
                        "covers": covers,
                    }
                    for helper, fit, covers in line.helpers
                ],
            }
            for line in selectors.shortlist_lines(run)
        ],
    }


@router.post(
    "/orgs/{slug}/shortlists",
    response={201: ShortlistRunOut, **ERRORS},
    summary="Compute program shortlists (org admins)",
)
def shortlist_create(request, slug: str, payload: ShortlistIn):
    organization = organization_get(slug)
    require_org_admin(user=request.user, organization=organization)
    cohort = (
        selectors.cohort_get(organization=organization, name=payload.cohort)
        if payload.cohort
        else None
    )
    run = services.shortlist_run(
        organization=organization,
        by=request.user,
        cohort=cohort,
        size=payload.size,
        capacity_multiple=payload.capacity_multiple,
    )
    return Status(201, _run_out(run))


@router.get(
    "/orgs/{slug}/shortlists/{run_id}",
    response={200: ShortlistRunOut, **ERRORS},
    summary="One shortlist run (org admins)",
)
def shortlist_get(request, slug: str, run_id: int = Path(..., ge=1, le=2**31 - 1)):
    organization = organization_get(slug)
    require_org_admin(user=request.user, organization=organization)
    return _run_out(selectors.shortlist_run_get(organization=organization, run_id=run_id))
