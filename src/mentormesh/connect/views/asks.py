"""Pages for asks: the composer with its live check, my asks, answering one."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentormesh.connect import forms, selectors, services
from mentormesh.connect.models import AskStatus
from mentormesh.errors import DomainError, NotFound, or_404
from mentormesh.people.forms import apply_domain_error
from mentormesh.people.selectors import profile_for


@login_required
@require_GET
def asks(request):
    box = request.GET.get("box")
    box = box if box in ("received", "intros") else "sent"
    found = {"received": selectors.asks_received, "sent": selectors.asks_sent,
             "intros": selectors.intros_of}[box](request.user)  # fmt: skip
    context = {"box": box, "asks": found[:100], "stats": selectors.ask_stats(request.user)}
    return render(request, "connect/asks.html", context)


# "Hi Priya," → "Hi Sam,": the greeting's name, and nothing else, changes for the new person.
_GREETING_NAME = re.compile(r"^(\W*(?:hi|hello|hey|dear)\s+)[^\s,!.]+", re.IGNORECASE)


def _composer_initial(request, recipient) -> dict:
    """Carry a declined or expired ask's context into a new ask (?from=<id>)."""
    initial = {}
    source_id = request.GET.get("from", "")
    if source_id.isdigit():
        try:
            source = selectors.ask_get(viewer=request.user, ask_id=int(source_id))
        except NotFound:
            source = None
        if source is not None and source.sender_id == request.user.pk:
            initial = {
                "question": source.question,
                "time_minutes": source.time_minutes,
                "offer_back": source.offer_back,
                "skill": source.skill.name if source.skill else "",
                "message": _GREETING_NAME.sub(
                    rf"\g<1>{recipient.profile.display_name.split()[0]}", source.message, count=1
                ),
            }
    else:
        if skill := request.GET.get("skill", "")[:60]:
            initial["skill"] = skill
        # Where we met, from an event's "follow up with" (?context=…): the opening line.
        if context := " ".join(request.GET.get("context", "")[:300].split()):
            first_name = recipient.profile.display_name.split()[0]
            initial["message"] = f"Hi {first_name},\n\n{context}\n\n"
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def ask_new(request, handle: str):
    profile = or_404(profile_for, viewer=request.user, handle=handle)
    recipient = profile.user
    form = forms.AskForm(request.POST or None, initial=_composer_initial(request, recipient))
    check = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ask = services.ask_send(
                sender=request.user, recipient_handle=recipient.handle, message=data["message"],
                question=data["question"], time_minutes=data["time_minutes"],
                offer_back=data["offer_back"], skill_name=data["skill"],
            )  # fmt: skip
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, f"Sent to {profile.display_name}.")
            return redirect("ask", ask_id=ask.pk)
    if form.is_bound:
        check = check_form(request, recipient.handle, form.data)
    context = {
        "form": form,
        "profile": profile,
        "person": recipient,
        "check": check,
        "contacts": selectors.shared_contacts(viewer=request.user, target=recipient),
        "topics": selectors.recipient_topics(recipient),
    }
    return render(request, "connect/ask_new.html", context, status=400 if form.errors else 200)


def check_form(request, handle: str, data, shared_context: tuple[str, ...] = ()):
    """The context check of a composer's fields as typed so far."""
    minutes = data.get("time_minutes") or ""
    return selectors.ask_check_for_handle(
        sender=request.user,
        handle=handle,
        message=data.get("message", "")[:4000],
        question=data.get("question", "")[:500],
        time_minutes=int(minutes) if minutes.isdigit() else None,
        shared_context=shared_context,
    )


@login_required
@require_POST
def ask_check(request, handle: str):
    """The live checker beside the composer (HTMX, as the person types)."""
    check = or_404(check_form, request=request, handle=handle, data=request.POST)
    return render(request, "connect/ask_new.html#check", {"check": check})


@login_required
@require_GET
def ask(request, ask_id: int):
    found = or_404(selectors.ask_get, viewer=request.user, ask_id=ask_id)
    mine = found.sender_id == request.user.pk
    context = {
        "ask": found,
        "mine": mine,
        "decline_form": forms.DeclineForm(),
        "text_form": forms.TextForm(),
        "report_form": forms.ReportForm(),
        "next_people": (
            selectors.keep_going(viewer=request.user, ask=found)
            if mine and found.status in (AskStatus.DECLINED, AskStatus.EXPIRED)
            else []
        ),
    }
    return render(request, "connect/ask.html", context)


ANSWERS = {
    "accept": (None, lambda user, ask_id, data: services.ask_accept(ask_id=ask_id, by=user)),
    "decline": (
        forms.DeclineForm,
        lambda user, ask_id, data: services.ask_decline(
            ask_id=ask_id, by=user, kind=data["kind"], note=data["note"]
        ),
    ),
    "more": (
        forms.TextForm,
        lambda user, ask_id, data: services.ask_more(ask_id=ask_id, by=user, text=data["text"]),
    ),
    "reply": (
        forms.TextForm,
        lambda user, ask_id, data: services.ask_reply(ask_id=ask_id, by=user, text=data["text"]),
    ),
    "withdraw": (None, lambda user, ask_id, data: services.ask_withdraw(ask_id=ask_id, by=user)),
    "report": (
        forms.ReportForm,
        lambda user, ask_id, data: services.ask_report(
            ask_id=ask_id, by=user, reason=data["reason"]
        ),
    ),
}


@login_required
@require_POST
def ask_answer(request, ask_id: int, action: str):
    """Accept, decline, ask for more, reply, withdraw or report: one form each."""
    if action not in ANSWERS:
        raise Http404("No such action.")
    form_class, act = ANSWERS[action]
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors[0])
        return redirect("ask", ask_id=ask_id)
    try:
        result = act(request.user, ask_id, form.cleaned_data if form else {})
    except NotFound as error:
        raise Http404(error.detail) from error
    except DomainError as error:
        messages.error(request, error.detail)
        return redirect("ask", ask_id=ask_id)
    if action == "accept":
        messages.success(request, "Accepted. Agree on a time and say what each of you gives.")
        return redirect("relationship", relationship_id=result.pk)
    return redirect("ask", ask_id=ask_id)


@login_required
@require_POST
def block(request, handle: str):
    try:
        services.block_add(by=request.user, handle=handle)
    except DomainError as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, f"@{handle} can no longer ask you, and will not be suggested.")
    return redirect("asks")
