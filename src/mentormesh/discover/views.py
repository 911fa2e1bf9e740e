"""Pages for discovery: my board, the directory, and program shortlists for org admins."""

from __future__ import annotations

import csv

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from mentormesh.discover import forms, selectors, services
from mentormesh.errors import DomainError, NotFound, PermissionDenied
from mentormesh.people.forms import DirectoryForm, apply_domain_error
from mentormesh.people.selectors import PeopleFilters, organization_get, organizations_list
from mentormesh.people.services import require_org_admin


@login_required
@require_GET
def my_board(request):
    context = {
        "board": selectors.board_for(viewer=request.user),
        "shortlists": selectors.my_shortlists(viewer=request.user),
    }
    return render(request, "discover/board.html", context)


@login_required
@require_GET
def directory(request):
    form = DirectoryForm(request.GET or None, organizations=organizations_list())
    form.is_valid()
    # A bad value in one filter is reported on that field; the others still apply.
    data = getattr(form, "cleaned_data", {})
    filters = PeopleFilters(
        q=data.get("q", ""), skill=data.get("skill", ""), level=data.get("level", ""),
        organization=data.get("org", ""), language=data.get("language", ""),
        open_to=data.get("open_to", ""),
    )  # fmt: skip
    search = selectors.people_find(viewer=request.user, filters=filters)
    page = Paginator(search.profiles, settings.DIRECTORY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "search": search,
        "query": query.urlencode(),
        "ranked": bool(filters.q.strip()),
    }
    template = "discover/directory.html#results" if request.htmx else "discover/directory.html"
    return render(request, template, context)


def _admin_organization(request, slug: str):
    try:
        organization = organization_get(slug)
        require_org_admin(user=request.user, organization=organization)
    except (NotFound, PermissionDenied) as error:
        raise Http404(error.detail) from error
    return organization


@login_required
@require_http_methods(["GET", "POST"])
def shortlists(request, slug: str):
    organization = _admin_organization(request, slug)
    run_form = forms.ShortlistForm(
        request.POST if "run" in request.POST else None, organization=organization
    )
    cohort_form = forms.CohortForm(request.POST if "cohort_save" in request.POST else None)
    if run_form.is_bound and run_form.is_valid():
        try:
            run = services.shortlist_run(
                organization=organization, by=request.user, **run_form.cleaned_data
            )
        except DomainError as error:
            apply_domain_error(run_form, error)
        else:
            return redirect("shortlist-run", slug=slug, run_id=run.pk)
    if cohort_form.is_bound and cohort_form.is_valid():
        data = cohort_form.cleaned_data
        try:
            cohort = services.cohort_save(
                organization=organization, by=request.user, name=data["name"],
                seekers=services.handles_in(data["seekers"]),
                helpers=services.handles_in(data["helpers"]),
            )  # fmt: skip
        except DomainError as error:
            apply_domain_error(cohort_form, error)
        else:
            messages.success(request, f"Cohort “{cohort.name}” saved.")
            return redirect("shortlists", slug=slug)
    status = 400 if (run_form.is_bound or cohort_form.is_bound) else 200
    context = {
        "organization": organization,
        "run_form": run_form,
        "cohort_form": cohort_form,
        "cohorts": selectors.cohorts_of(organization),
        "runs": selectors.shortlist_runs(organization)[:20],
    }
    return render(request, "discover/shortlists.html", context, status=status)


def _run(request, slug: str, run_id: int):
    organization = _admin_organization(request, slug)
    try:
        return organization, selectors.shortlist_run_get(organization=organization, run_id=run_id)
    except NotFound as error:
        raise Http404(error.detail) from error


@login_required
@require_GET
def shortlist_run(request, slug: str, run_id: int):
    organization, run = _run(request, slug, run_id)
    context = {"organization": organization, "run": run, "lines": selectors.shortlist_lines(run)}
    return render(request, "discover/shortlist_run.html", context)


@login_required
@require_GET
def shortlist_csv(request, slug: str, run_id: int):
    _, run = _run(request, slug, run_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="shortlists-{slug}-{run.pk}.csv"'
    csv.writer(response).writerows(selectors.shortlist_csv_rows(run))
    return response
