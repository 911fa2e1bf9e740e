"""Pages for getting unstuck: help requests and the helper inbox; experts, booking with
sponsorship shown before confirming, bookings and reviews; approvals; an organization's
sponsorship policy, budgets and spend."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentormesh.errors import DomainError, NotFound, PermissionDenied, or_404
from mentormesh.experts import forms, selectors, services
from mentormesh.experts.models import (
    HOLDING,
    BookingStatus,
    ExpertOffer,
    FundedSubject,
    OfferStatus,
    RouteKind,
)
from mentormesh.matching.availability import zone
from mentormesh.notifications.calendar import ics
from mentormesh.people.forms import apply_domain_error
from mentormesh.people.selectors import skill_resolve


def _slot_choices(slots: list[datetime], user) -> list[tuple[str, str]]:
    tz = zone(user.profile.timezone)
    return [(s.isoformat(), f"{timezone.localtime(s, tz):%a %-d %b, %H:%M}") for s in slots]


def _parse_start(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _form_errors(form) -> str:
    """A short form's errors as one message naming each field."""
    return " ".join(
        f"{form[name].label}: {error}" if name in form.fields else error
        for name, errors in form.errors.items()
        for error in errors
    )


# --- Help requests ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def help_home(request):
    """My requests and the form for a new one; the inbox of requests routed to me."""
    form = forms.HelpRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = services.help_request_create(
                member=request.user,
                text=data["text"],
                skills=data["skills"],
                urgency=data["urgency"],
                anonymous=data["anonymous"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            peers = made.routes.filter(kind=RouteKind.PEER).count()
            messages.success(
                request,
                f"Sent to {peers} {'person' if peers == 1 else 'people'} in your network who "
                "could help."
                if peers
                else "Nobody in your network offers that yet; paid experts who do have it.",
            )
            return redirect("help-request", request_id=made.pk)
    context = {
        "form": form,
        "mine": selectors.help_requests_of(request.user)[:50],
        "inbox": selectors.inbox_of(request.user)[:50],
        "tab": "inbox" if request.GET.get("tab") == "inbox" else "mine",
    }
    return render(request, "experts/help.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def help_request(request, request_id: int):
    found = or_404(selectors.help_request_get, viewer=request.user, request_id=request_id)
    mine = found.member_id == request.user.pk
    context = {
        "req": found,
        "mine": mine,
        "asker": selectors.asker_shown(viewer=request.user, request=found),
        "offers": list(selectors.offers_on(found)) if mine else [],
    }
    if mine:
        routes = list(selectors.routes_of(found))
        context |= {
            "who_sees": selectors.who_sees(found),
            "routes": routes,
            "peers": [r for r in routes if r.kind == RouteKind.PEER],
            "experts": selectors.experts_for(
                viewer=request.user, skills=list(found.skills.all()), limit=5
            ),
            "bookings": found.bookings.select_related("expert__profile", "subject"),
            "resolve_form": forms.ResolveForm(helpers=_helpers_of(found)),
        }
    else:
        services.help_route_seen(request_id=found.pk, helper=request.user)
        my_offer = (
            found.offers.filter(helper=request.user).exclude(status=OfferStatus.WITHDRAWN).first()
        )
        context |= {"my_offer": my_offer, "offer_form": forms.HelpOfferForm()}
    return render(request, "experts/help_request.html", context)


def _helpers_of(found) -> list:
    helpers = [
        o.helper
        for o in found.offers.select_related("helper__profile")
        if o.status != OfferStatus.WITHDRAWN
    ]
    helpers += [
        b.expert
        for b in found.bookings.filter(status=BookingStatus.CONFIRMED).select_related(
            "expert__profile"
        )
    ]
    return list({user.pk: user for user in helpers}.values())


@login_required
@require_POST
def help_act(request, request_id: int, action: str):
    user, data = request.user, request.POST
    try:
        if action == "offer":
            form = forms.HelpOfferForm(data)
            if not form.is_valid():
                raise DomainError(_form_errors(form))
            services.help_offer_create(request_id=request_id, by=user, **form.cleaned_data)
            messages.success(request, "Offered. They will hear from you here and by email.")
        elif action == "withdraw":
            services.help_offer_withdraw(request_id=request_id, by=user)
            messages.success(request, "Offer withdrawn.")
        elif action == "pick":
            _, relationship = services.help_pick(
                request_id=request_id,
                offer_id=int(data.get("offer") or 0),
                by=user,
                start_relationship=data.get("relationship") == "1",
            )
            if relationship is not None:
                messages.success(request, "Picked, and your relationship has started.")
                return redirect("relationship", relationship_id=relationship.pk)
            messages.success(request, "Picked. They have been told.")
        elif action == "resolve":
            form = forms.ResolveForm(
                data,
                helpers=_helpers_of(
                    or_404(selectors.help_request_get, viewer=user, request_id=request_id)
                ),
            )
            if not form.is_valid():
                raise DomainError(_form_errors(form))
            services.help_resolve(request_id=request_id, by=user, **form.cleaned_data)
            messages.success(
                request, "Resolved. Thank you: what helped now helps others find help."
            )
        elif action == "close":
            services.help_close(request_id=request_id, by=user)
            messages.success(request, "Closed.")
        else:
            raise Http404("No such action.")
    except NotFound as error:
        raise Http404(error.detail) from error
    except ValueError:
        messages.error(request, "Pick one of the offers.")
    except DomainError as error:
        messages.error(request, error.detail)
    return redirect("help-request", request_id=request_id)


# --- Experts and booking -------------------------------------------------------------------


@login_required
@require_GET
def experts(request):
    subject = request.GET.get("subject", "").strip()[:60]
    skill = skill_resolve(subject) if subject else None
    cards = (
        []
        if subject and skill is None
        else selectors.experts_for(viewer=request.user, skills=[skill] if skill else None)
    )
    return render(
        request,
        "experts/experts.html",
        {"cards": cards, "subject": subject, "unknown": bool(subject and not skill)},
    )


def _booking_context(request, handle: str, data=None) -> dict:
    offer = or_404(selectors.bookable_offer, viewer=request.user, handle=handle)
    profile = offer.user.profile
    if profile.user_id == request.user.pk:
        raise Http404("No paid sessions here.")
    slots = selectors.expert_slots(profile.user, minutes=offer.slot_minutes)
    subjects = [s.name for s in offer.subjects.all()]
    budgets = list(selectors.budgets_for_member(request.user))
    form = forms.BookingForm(
        data,
        slots=_slot_choices(slots, request.user),
        subjects=subjects,
        budgets=budgets,
        initial={"subject": request.GET.get("subject") or (subjects[0] if subjects else "")},
    )
    return {
        "profile": profile,
        "offer": offer,
        "form": form,
        "budgets": budgets,
        "price": selectors.offer_price(offer),
        "rating": selectors.expert_rating(profile.user),
        "help_request": request.GET.get("help") or (data or {}).get("help", ""),
    }


def _coverage(request, context: dict, data) -> tuple:
    """The policy's word on the chosen budget, slot and subject, before confirming."""
    budget_id, start, subject = data.get("payer"), data.get("starts_at"), data.get("subject")
    if not (budget_id and start and subject):
        return None, ""
    try:
        return selectors.quote(
            member=request.user,
            offer=context["offer"],
            subject=subject,
            starts_at=_parse_start(start),
            budget_id=int(budget_id),
        ), ""
    except (DomainError, ValueError) as error:
        return None, getattr(error, "detail", "Pick a time from the list.")


@login_required
@require_http_methods(["GET", "POST"])
def expert(request, handle: str):
    """An expert's page: what they offer, reviews, and booking with the sponsorship
    decision shown (live, as the form changes) before the member confirms."""
    context = _booking_context(request, handle, request.POST or None)
    form = context["form"]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            budget = (
                selectors.budget_for_member(member=request.user, budget_id=int(data["payer"]))
                if data["payer"]
                else None
            )
            help_id = request.POST.get("help", "")
            booking = services.booking_create(
                member=request.user,
                expert_handle=handle,
                subject=data["subject"],
                starts_at=_parse_start(data["starts_at"]),
                budget=budget,
                help_request_id=int(help_id) if help_id.isdigit() else None,
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            if booking.status == BookingStatus.AWAITING_APPROVAL:
                messages.success(request, "Booked, waiting for approval. The time is held.")
            else:
                messages.success(request, "Booked and confirmed.")
            return redirect("booking", booking_id=booking.pk)
    source = request.POST if request.method == "POST" else request.GET
    context["coverage"], context["coverage_error"] = _coverage(request, context, source)
    if request.htmx and request.method == "GET":
        return render(request, "experts/expert.html#coverage", context)
    return render(request, "experts/expert.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def expert_offer(request):
    """Publish (or pause) my paid offer."""
    offer = ExpertOffer.objects.filter(user=request.user).first()
    initial = {}
    if offer is not None:
        initial = {
            "subjects": ", ".join(s.name for s in offer.subjects.all()),
            "slot_minutes": offer.slot_minutes,
            "free_cancellation_hours": offer.free_cancellation_hours,
        }
    form = forms.ExpertOfferForm(request.POST or None, initial=initial)
    if request.method == "POST" and request.POST.get("pause") and offer is not None:
        services.expert_offer_pause(user=request.user)
        messages.success(request, "Paused. Nobody can book you until you publish again.")
        return redirect("expert-offer")
    if request.method == "POST" and form.is_valid():
        try:
            services.expert_offer_set(user=request.user, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, "Published. Members can book your free slots.")
            return redirect("expert-offer")
    context = {"form": form, "offer": offer, "profile": request.user.profile}
    return render(request, "experts/expert_offer.html", context, status=400 if form.errors else 200)


# --- Bookings ------------------------------------------------------------------------------


@login_required
@require_GET
def bookings(request):
    now = timezone.now()
    mine = selectors.bookings_of(request.user)
    return render(
        request,
        "experts/bookings.html",
        {
            "upcoming": mine.filter(ends_at__gt=now, status__in=HOLDING),
            "past": mine.filter(ends_at__lte=now).order_by("-starts_at")[:50],
            "approvals": selectors.approvals_for(request.user).count(),
        },
    )


@login_required
@require_GET
def booking(request, booking_id: int):
    found = or_404(selectors.booking_get, viewer=request.user, booking_id=booking_id)
    now = timezone.now()
    party = request.user.pk in (found.member_id, found.expert_id)
    context = {
        "b": found,
        "party": party,
        "is_member": found.member_id == request.user.pk,
        "other": found.expert if found.member_id == request.user.pk else found.member,
        "over": found.ends_at <= now,
        "free_until": found.starts_at - timezone.timedelta(hours=found.free_cancellation_hours),
        "now": now,
    }
    if party and found.status in HOLDING and found.starts_at > now:
        minutes = int((found.ends_at - found.starts_at).total_seconds() // 60)
        slots = selectors.expert_slots(found.expert, minutes=minutes)
        context["reschedule_form"] = forms.RescheduleForm(slots=_slot_choices(slots, request.user))
    if party and found.status == BookingStatus.CONFIRMED and found.ends_at <= now:
        context["reviews"] = selectors.reviews_for(viewer=request.user, booking=found)
        context["review_form"] = forms.ReviewForm()
    if not party:
        context["decision_form"] = forms.DecisionForm()
    return render(request, "experts/booking.html", context)


@login_required
@require_GET
def booking_ics(request, booking_id: int):
    found = or_404(selectors.booking_get, viewer=request.user, booking_id=booking_id)
    if request.user.pk not in (found.member_id, found.expert_id):
        raise Http404("No booking of yours.")
    body = ics([selectors.calendar_item(found, for_user=request.user)], name=found.subject.name)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="booking-{found.pk}.ics"'
    return response


@login_required
@require_POST
def booking_act(request, booking_id: int, action: str):
    user, data = request.user, request.POST
    try:
        if action == "cancel":
            services.booking_cancel(booking_id=booking_id, by=user)
            messages.success(request, "Cancelled; they have been told.")
        elif action == "reschedule":
            services.booking_reschedule(
                booking_id=booking_id, by=user, starts_at=_parse_start(data.get("starts_at", ""))
            )
            messages.success(request, "Moved; they have been told.")
        elif action == "review":
            form = forms.ReviewForm(data)
            if not form.is_valid():
                raise DomainError(_form_errors(form))
            services.booking_review(booking_id=booking_id, by=user, **form.cleaned_data)
            messages.success(request, "Thank you for the review.")
        elif action == "decide":
            form = forms.DecisionForm(data)
            if not form.is_valid():
                raise DomainError("Choose approve or decline.")
            services.booking_decide(
                booking_id=booking_id,
                by=user,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, "Decided; they have been told.")
            return redirect("approvals")
        else:
            raise Http404("No such action.")
    except NotFound as error:
        raise Http404(error.detail) from error
    except ValueError:
        messages.error(request, "Pick a time from the list.")
    except DomainError as error:
        messages.error(request, error.detail)
    return redirect("booking", booking_id=booking_id)


@login_required
@require_GET
def approvals(request):
    waiting = selectors.approvals_for(request.user).order_by("starts_at")
    # One form per request, each with its own field ids.
    rows = [(b, forms.DecisionForm(auto_id=f"id_{b.pk}_%s")) for b in waiting]
    return render(request, "experts/approvals.html", {"rows": rows})


# --- An organization's sponsorship ---------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def sponsorship(request, slug: str):
    try:
        organization = selectors.sponsoring_org(viewer=request.user, slug=slug)
    except NotFound as error:
        raise Http404(error.detail) from error
    except PermissionDenied as error:
        from django.core.exceptions import PermissionDenied as Forbidden

        raise Forbidden(error.detail) from error
    policy = getattr(organization, "sponsorship", None)
    funded = FundedSubject.objects.filter(organization=organization).select_related("skill")
    lines: dict[str, list[str]] = {}
    for row in funded:
        lines.setdefault(row.department or "Everyone", []).append(row.skill.name)
    policy_form = forms.PolicyForm(
        request.POST if request.POST.get("form") == "policy" else None,
        initial={
            "unlisted": policy.unlisted if policy else "ask",
            "funded": "\n".join(f"{d}: {', '.join(s)}" for d, s in lines.items()),
        },
    )
    budget_form = forms.BudgetForm(request.POST if request.POST.get("form") == "budget" else None)
    if request.method == "POST":
        try:
            if request.POST.get("form") == "policy" and policy_form.is_valid():
                services.sponsorship_policy_set(
                    by=request.user, organization=organization, **policy_form.cleaned_data
                )
                messages.success(request, "Policy saved. It applies to bookings from now on.")
                return redirect("sponsorship", slug=slug)
            if request.POST.get("form") == "budget" and budget_form.is_valid():
                data = budget_form.cleaned_data
                services.budget_create(
                    by=request.user,
                    organization=organization,
                    name=data["name"],
                    currency=data["currency"],
                    total_minor=int(data["total"] * 100),
                    per_member_minor=int(data["per_member"] * 100),
                    per_member_minutes=data["per_member_hours"] * 60
                    if data["per_member_hours"]
                    else None,
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                )
                messages.success(request, "Budget added.")
                return redirect("sponsorship", slug=slug)
        except DomainError as error:
            apply_domain_error(
                policy_form if request.POST.get("form") == "policy" else budget_form, error
            )
    context = {
        "organization": organization,
        "policy_form": policy_form,
        "budget_form": budget_form,
        "spend": selectors.spend_of(organization),
        "now": timezone.now(),
        "waiting": selectors.approvals_for(request.user)
        .filter(budget__organization=organization)
        .count(),
    }
    bad = policy_form.errors or budget_form.errors
    return render(request, "experts/sponsorship.html", context, status=400 if bad else 200)
