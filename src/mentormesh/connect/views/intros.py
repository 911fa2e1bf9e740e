"""Pages for warm introductions: ask a shared contact, and the introducer's answer."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentormesh.connect import forms, selectors, services
from mentormesh.connect.views.asks import check_form
from mentormesh.errors import DomainError, NotFound, or_404
from mentormesh.people.forms import apply_domain_error
from mentormesh.people.selectors import profile_for


def shared_contact(viewer, target, via_handle: str):
    """The contact ``via_handle`` when the viewer and the target both know them."""
    contacts = selectors.shared_contacts(viewer=viewer, target=target)
    return next((c for c in contacts if c.profile.user.handle == via_handle.lower()), None)


@login_required
@require_http_methods(["GET", "POST"])
def intro_new(request, handle: str, via: str):
    profile = or_404(profile_for, viewer=request.user, handle=handle)
    contact = shared_contact(request.user, profile.user, via)
    if contact is None:
        raise Http404(f"@{via} is not someone you and @{handle} both know.")
    form = forms.IntroForm(request.POST or None)
    check = None
    live_check = request.headers.get("HX-Request") == "true"
    if request.method == "POST" and not live_check and form.is_valid():
        data = form.cleaned_data
        try:
            intro = services.intro_request(
                requester=request.user, target_handle=profile.user.handle, via_handle=via,
                note_to_introducer=data["note_to_introducer"], message=data["message"],
                question=data["question"], time_minutes=data["time_minutes"],
                offer_back=data["offer_back"], skill_name=data["skill"],
            )  # fmt: skip
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, f"Sent to {contact.profile.display_name} to pass on.")
            return redirect("intro", intro_id=intro.pk)
    if form.is_bound:
        check = check_form(
            request, profile.user.handle, form.data, (contact.profile.display_name, via)
        )
    if live_check:
        return render(request, "connect/ask_new.html#check", {"check": check})
    context = {"form": form, "profile": profile, "person": profile.user, "contact": contact,
               "check": check}  # fmt: skip
    return render(request, "connect/intro_new.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def intro(request, intro_id: int):
    found = or_404(selectors.intro_get, viewer=request.user, intro_id=intro_id)
    context = {"intro": found, "answer_form": forms.IntroAnswerForm()}
    return render(request, "connect/intro.html", context)


INTRO_ACTIONS = {
    "forward": lambda user, pk, note: services.intro_forward(intro_id=pk, by=user, note=note),
    "decline": lambda user, pk, note: services.intro_decline(intro_id=pk, by=user, note=note),
    "withdraw": lambda user, pk, note: services.intro_withdraw(intro_id=pk, by=user),
}
DONE = {
    "forward": "Introduced. They receive the ask with your note.",
    "decline": "Done. We let them know kindly.",
    "withdraw": "Withdrawn.",
}


@login_required
@require_POST
def intro_answer(request, intro_id: int, action: str):
    if action not in INTRO_ACTIONS:
        raise Http404("No such action.")
    form = forms.IntroAnswerForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors[0])
        return redirect("intro", intro_id=intro_id)
    try:
        INTRO_ACTIONS[action](request.user, intro_id, form.cleaned_data["note"])
    except NotFound as error:
        raise Http404(error.detail) from error
    except DomainError as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, DONE[action])
    return redirect("intro", intro_id=intro_id)
