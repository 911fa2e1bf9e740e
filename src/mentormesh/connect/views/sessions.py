"""Pages for relationships and their sessions: health, scheduling, the session itself."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentormesh.connect import forms, selectors, services
from mentormesh.connect.models import SessionStatus
from mentormesh.errors import DomainError, NotFound, or_404
from mentormesh.notifications.calendar import ics
from mentormesh.people.forms import apply_domain_error


@login_required
@require_GET
def relationships(request):
    waiting = {s.relationship_id: s for s in selectors.sessions_waiting(request.user)}
    rows = [(r, waiting.get(r.pk)) for r in selectors.relationships_of(request.user)]
    return render(request, "connect/relationships.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def relationship(request, relationship_id: int):
    found = or_404(selectors.relationship_get, viewer=request.user, relationship_id=relationship_id)
    mine = next((side for side in found.sides.all() if side.user_id == request.user.pk), None)
    initial = {"topic": found.topic, "status": found.status, "cadence_days": found.cadence_days,
               "gives": mine.gives if mine else "", "gets": mine.gets if mine else ""}  # fmt: skip
    form = forms.RelationshipForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.relationship_update(
                relationship_id=found.pk, by=request.user, **form.cleaned_data
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, "Saved.")
            return redirect("relationship", relationship_id=found.pk)
    context = {
        "relationship": found,
        "other": found.other(request.user),
        "form": form,
        "health": selectors.relationship_health(viewer=request.user, relationship=found),
        "sessions": found.sessions.order_by("-starts_at")[:50],
        "now": timezone.now(),
    }
    return render(request, "connect/relationship.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def session_new(request, relationship_id: int):
    """Propose a session: times that suit both, shown in both time zones, or any other."""
    found = or_404(selectors.relationship_get, viewer=request.user, relationship_id=relationship_id)
    other = found.other(request.user)
    asked = found.started_by_ask.time_minutes if found.started_by_ask else None
    source = request.POST if request.method == "POST" else request.GET
    minutes = source.get("minutes", "")
    minutes = int(minutes) if minutes in {"15", "30", "45", "60", "90", "120"} else asked or 30
    form = forms.ProposeForm(request.POST or None, initial={"minutes": minutes})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.session_propose(
                relationship_id=found.pk, by=request.user, starts_at=data["starts_at"],
                minutes=data["minutes"], place=data["place"], agenda=data["agenda"],
            )  # fmt: skip
        except NotFound as error:
            raise Http404(error.detail) from error
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request, f"Proposed. {other.profile.display_name} confirms or offers another time."
            )
            return redirect("session", session_id=session.pk)
    context = {
        "relationship": found,
        "other": other,
        "form": form,
        "minutes": minutes,
        "slots": selectors.slots_for(viewer=request.user, relationship=found, minutes=minutes),
        "my_zone": request.user.profile.timezone,
        "their_zone": other.profile.timezone,
        "has_windows": request.user.availability.exists(),
    }
    return render(request, "connect/session_new.html", context, status=400 if form.errors else 200)


def _owners(session) -> list[tuple[str, str]]:
    relationship = session.relationship
    return [(p.handle, p.profile.display_name) for p in (relationship.first, relationship.second)]


def _session_context(request, session, **forms_given) -> dict:
    relationship = session.relationship
    other = relationship.other(request.user)
    now = timezone.now()
    return {
        "session": session,
        "relationship": relationship,
        "other": other,
        "mine_at": selectors.in_zone(session.starts_at, request.user.profile.timezone),
        "theirs_at": selectors.in_zone(session.starts_at, other.profile.timezone),
        "my_zone": request.user.profile.timezone,
        "their_zone": other.profile.timezone,
        "started": session.starts_at <= now,
        "over": session.ends_at <= now,
        "feedback": selectors.feedback_for(viewer=request.user, session=session),
        "session_form": forms_given.get("session_form")
        or forms.SessionForm(
            initial={"place": session.place, "agenda": session.agenda, "notes": session.notes}
        ),
        "followup_form": forms_given.get("followup_form")
        or forms.FollowUpForm(owners=_owners(session), initial={"owner": request.user.handle}),
        "feedback_form": forms_given.get("feedback_form") or forms.FeedbackForm(),
        "cancel_form": forms.CancelForm(),
        "can_give_feedback": session.status == SessionStatus.CONFIRMED and session.starts_at <= now,
    }


@login_required
@require_GET
def session(request, session_id: int):
    found = or_404(selectors.session_get, viewer=request.user, session_id=session_id)
    return render(request, "connect/session.html", _session_context(request, found))


@login_required
@require_GET
def session_ics(request, session_id: int):
    found = or_404(selectors.session_get, viewer=request.user, session_id=session_id)
    body = ics(
        [selectors.calendar_item(found, for_user=request.user)], name=found.relationship.topic
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="session-{found.pk}.ics"'
    return response


SESSION_ACTIONS = {
    "confirm": (None, lambda user, pk, data: services.session_confirm(session_id=pk, by=user)),
    "cancel": (
        forms.CancelForm,
        lambda user, pk, data: services.session_cancel(
            session_id=pk, by=user, reason=data["reason"]
        ),
    ),
    "edit": (
        forms.SessionForm,
        lambda user, pk, data: services.session_update(session_id=pk, by=user, **data),
    ),
    "followup": (
        forms.FollowUpForm,
        lambda user, pk, data: services.followup_add(
            session_id=pk,
            by=user,
            text=data["text"],
            owner_handle=data["owner"],
            due_on=data["due_on"],
        ),
    ),
    "feedback": (
        forms.FeedbackForm,
        lambda user, pk, data: services.feedback_give(session_id=pk, by=user, **data),
    ),
}
DONE = {
    "confirm": "Confirmed. It is in both your calendars.",
    "cancel": "Cancelled. We told them.",
    "edit": "Saved.",
    "followup": "Follow-up added.",
    "feedback": "Thank you. Each of you reads the other's feedback once you have both answered.",
}


@login_required
@require_POST
def session_act(request, session_id: int, action: str):
    """Confirm, cancel, edit, add a follow-up, give feedback: a form each, one page."""
    if action not in SESSION_ACTIONS:
        raise Http404("No such action.")
    found = or_404(selectors.session_get, viewer=request.user, session_id=session_id)
    form_class, act = SESSION_ACTIONS[action]
    form = None
    if form_class is forms.FollowUpForm:
        form = form_class(request.POST, owners=_owners(found))
    elif form_class is not None:
        form = form_class(request.POST)
    if form is None or form.is_valid():
        try:
            act(request.user, found.pk, form.cleaned_data if form else {})
        except NotFound as error:
            raise Http404(error.detail) from error
        except DomainError as error:
            if form is None:
                messages.error(request, error.detail)
                return redirect("session", session_id=found.pk)
            apply_domain_error(form, error)
        else:
            messages.success(request, DONE[action])
            return redirect("session", session_id=found.pk)
    if form is None:
        return redirect("session", session_id=found.pk)
    found = selectors.session_get(viewer=request.user, session_id=found.pk)
    context = _session_context(
        request, found, **{f"{action if action != 'edit' else 'session'}_form": form}
    )
    if action == "cancel":
        for errors in form.errors.values():
            messages.error(request, errors[0])
    return render(request, "connect/session.html", context, status=400)


@login_required
@require_POST
def followup_done(request, followup_id: int):
    try:
        follow_up = services.followup_done(
            followup_id=followup_id, by=request.user, done=request.POST.get("done") != "0"
        )
    except NotFound as error:
        raise Http404(error.detail) from error
    return redirect("session", session_id=follow_up.session_id)
