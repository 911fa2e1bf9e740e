"""Pages for people: sign-up, profiles, the directory, organizations and settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentormesh.errors import DomainError, NotFound
from mentormesh.people import forms, imports, selectors, services
from mentormesh.people.models import ApiToken, Membership, Profile, Role, User


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = forms.SignupForm(request.POST or None, initial={"email": request.GET.get("email", "")})
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_signup(
                handle=form.cleaned_data["handle"],
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                display_name=form.cleaned_data["display_name"],
                timezone_name=form.cleaned_data["timezone"],
            )
        except DomainError as error:
            forms.apply_domain_error(form, error)
        else:
            login(request, user, backend="mentormesh.people.auth.HandleOrEmailBackend")
            messages.success(
                request, "Welcome! Tell people what you can help with and what you want to learn."
            )
            next_url = request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(
                next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            ):
                next_url = reverse("profile-edit")  # never send a new member to another site
            return HttpResponseRedirect(next_url)
    return render(request, "registration/signup.html", {"form": form})


def _edit_context(user, **overrides):
    profile = Profile.objects.prefetch_related("languages").get(user=user)
    context = {
        "form": forms.ProfileForm(instance=profile),
        "offer_form": forms.OfferForm(),
        "seek_form": forms.SeekForm(),
        "window_form": forms.WindowForm(),
        "offers": user.offered_skills.select_related("skill").order_by("skill__name"),
        "seeks": user.sought_skills.select_related("skill"),
        "windows": user.availability.all(),
        "profile": profile,
    }
    context.update(overrides)
    return context


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    if request.method == "POST":
        profile = Profile.objects.get(user=request.user)
        form = forms.ProfileForm(request.POST, instance=profile)
        if form.is_valid():
            try:
                services.profile_update(user=request.user, changes=form.changes())
            except DomainError as error:
                forms.apply_domain_error(form, error)
            else:
                messages.success(request, "Profile saved.")
                return redirect("profile-edit")
        return render(
            request, "people/profile_edit.html", _edit_context(request.user, form=form), status=400
        )
    return render(request, "people/profile_edit.html", _edit_context(request.user))


@dataclass(frozen=True)
class EditableList:
    """One list on the profile editor: how to add an entry from its form, how to remove one."""

    form_class: type[forms.forms.Form]
    add: Callable[[User, dict], object]
    remove: Callable[[User, int], None]
    form_key: str


EDITABLE_LISTS = {
    "offers": EditableList(
        forms.OfferForm,
        lambda user, data: services.offered_skill_set(
            user=user, skill_name=data.pop("skill"), **data
        ),
        lambda user, pk: services.offered_skill_remove(user=user, offer_id=pk),
        "offer_form",
    ),
    "seeks": EditableList(
        forms.SeekForm,
        lambda user, data: services.sought_skill_set(
            user=user, skill_name=data.pop("skill"), **data
        ),
        lambda user, pk: services.sought_skill_remove(user=user, sought_id=pk),
        "seek_form",
    ),
    "windows": EditableList(
        forms.WindowForm,
        lambda user, data: services.availability_add(user=user, **data),
        lambda user, pk: services.availability_remove(user=user, window_id=pk),
        "window_form",
    ),
}


@login_required
@require_POST
def list_change(request, kind: str, action: str, pk: int | None = None):
    """Add to or remove from one of my lists; answers HTMX with that list's partial."""
    if kind not in EDITABLE_LISTS:
        raise Http404
    editable = EDITABLE_LISTS[kind]
    form = editable.form_class(request.POST if action == "add" else None)
    status = 200
    try:
        if action == "add":
            if form.is_valid():
                editable.add(request.user, dict(form.cleaned_data))
                form = editable.form_class()
            else:
                status = 400
        else:
            editable.remove(request.user, pk)
    except NotFound as error:
        raise Http404(error.detail) from error
    except DomainError as error:
        forms.apply_domain_error(form, error)
        status = 400
    if not request.htmx:
        return redirect("profile-edit")
    context = _edit_context(request.user, **{editable.form_key: form})
    return render(request, f"people/profile_edit.html#{kind}", context, status=status)


@login_required
@require_GET
def skill_options(request):
    """<option>s for the skills datalist, as the person types."""
    return render(
        request,
        "people/skill_options.html",
        {
            "skills": selectors.skills_suggest(
                (request.GET.get("skill") or request.GET.get("q", ""))[:60]
            )
        },
    )


@login_required
@require_GET
def person(request, handle: str):
    try:
        profile = selectors.profile_for(viewer=request.user, handle=handle)
    except NotFound as error:
        raise Http404(error.detail) from error
    sections = [
        section
        for source in selectors.profile_sections
        for section in source(viewer=request.user, person=profile.user)
    ]
    context = {"profile": profile, "person": profile.user, "sections": sections}
    return render(request, "people/person.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def account_settings(request):
    form = forms.TokenForm(request.POST or None)
    new_secret = None
    if request.method == "POST" and form.is_valid():
        _, new_secret = services.api_token_create(user=request.user, name=form.cleaned_data["name"])
        form = forms.TokenForm()
    tokens = ApiToken.objects.filter(user=request.user)
    return render(
        request, "people/settings.html", {"form": form, "tokens": tokens, "new_secret": new_secret}
    )


@login_required
@require_POST
def token_revoke(request, pk: int):
    try:
        services.api_token_revoke(user=request.user, token_id=pk)
    except NotFound as error:
        raise Http404(error.detail) from error
    messages.success(request, "Token revoked: it no longer works.")
    return redirect("settings")


@login_required
@require_GET
def organizations(request):
    orgs = selectors.organizations_list().annotate(member_count=Count("memberships"))
    mine = set(
        Membership.objects.filter(user=request.user).values_list("organization_id", flat=True)
    )
    return render(request, "people/organizations.html", {"organizations": orgs, "mine": mine})


@login_required
@require_http_methods(["GET", "POST"])
def organization_create(request):
    form = forms.OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organization = services.organization_create(creator=request.user, **form.cleaned_data)
        except DomainError as error:
            forms.apply_domain_error(form, error)
        else:
            messages.success(
                request,
                f"{organization.name} is ready. Invite people or import them from a CSV file.",
            )
            return redirect("organization", slug=organization.slug)
    return render(request, "people/organization_form.html", {"form": form})


def _organization_page(request, organization, **extra):
    members = selectors.organization_members(viewer=request.user, organization=organization)
    page = Paginator(members, settings.DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    role = (
        Membership.objects.filter(user=request.user, organization=organization)
        .values_list("role", flat=True)
        .first()
    )
    is_admin = request.user.is_staff or role == Role.ADMIN
    context = {
        "organization": organization, "page": page, "is_admin": is_admin,
        "is_member": role is not None,
        "invite_form": forms.InvitationForm(), "import_form": forms.ImportForm(),
        **extra,
    }  # fmt: skip
    return render(
        request, "people/organization.html", context, status=400 if extra.get("failed") else 200
    )


@login_required
@require_GET
def organization(request, slug: str):
    try:
        org = selectors.organization_get(slug)
    except NotFound as error:
        raise Http404(error.detail) from error
    return _organization_page(request, org)


@login_required
@require_POST
def organization_invite(request, slug: str):
    try:
        org = selectors.organization_get(slug)
    except NotFound as error:
        raise Http404(error.detail) from error
    form = forms.InvitationForm(request.POST)
    if form.is_valid():
        try:
            services.invitation_create(
                inviter=request.user, organization=org, **form.cleaned_data,
                accept_url_template=request.build_absolute_uri(reverse("invitation", args=["TOKEN"])).replace("TOKEN", "{token}"),
            )  # fmt: skip
        except DomainError as error:
            if error.status == 403:
                raise Http404 from error
            forms.apply_domain_error(form, error)
        else:
            messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
            return redirect("organization", slug=slug)
    return _organization_page(request, org, invite_form=form, failed=True)


@login_required
@require_POST
def organization_import(request, slug: str):
    try:
        org = selectors.organization_get(slug)
        services.require_org_admin(user=request.user, organization=org)
    except DomainError as error:
        raise Http404(error.detail) from error
    form = forms.ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _organization_page(request, org, import_form=form, failed=True)
    raw = form.cleaned_data["file"].read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        form.add_error("file", "The file is not UTF-8 text. Save it as 'CSV UTF-8' and try again.")
        return _organization_page(request, org, import_form=form, failed=True)
    report = imports.people_import_csv(
        organization=org, text=text, dry_run=form.cleaned_data["dry_run"]
    )
    return _organization_page(request, org, import_form=form, report=report, failed=not report.ok)


@require_http_methods(["GET", "POST"])
def invitation(request, token: str):
    try:
        invite = services.invitation_for_token(token)
    except NotFound:
        return render(request, "people/invitation.html", {"invalid": True}, status=404)
    if request.method == "POST" and request.user.is_authenticated:
        try:
            membership = services.invitation_accept(token=token, user=request.user)
        except DomainError as error:
            messages.error(request, error.detail)
            return render(
                request, "people/invitation.html", {"invitation": invite}, status=error.status
            )
        messages.success(request, f"You joined {membership.organization.name}.")
        return redirect("organization", slug=membership.organization.slug)
    return render(request, "people/invitation.html", {"invitation": invite})
