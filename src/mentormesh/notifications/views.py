from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentormesh.notifications import calendar, services
from mentormesh.notifications.models import CalendarFeed, EmailMode
from mentormesh.people.services import site_url


class EmailModeForm(forms.Form):
    email = forms.ChoiceField(choices=EmailMode.choices, widget=forms.RadioSelect, label="Email me")


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request):
    form = EmailModeForm(request.POST or None, initial={"email": services.email_mode(request.user)})
    if request.method == "POST" and form.is_valid():
        services.email_mode_set(user=request.user, mode=form.cleaned_data["email"])
        messages.success(request, "Saved.")
        return redirect("notifications")
    feed = CalendarFeed.objects.filter(user=request.user).first()
    context = {
        "form": form,
        "items": request.user.notifications.all()[:100],
        "feed_url": site_url(reverse("calendar-feed", args=[feed.token])) if feed else "",
    }
    status = 400 if form.errors else 200
    return render(request, "notifications/notifications.html", context, status=status)


@login_required
@require_POST
def notifications_read(request):
    services.notifications_read(user=request.user)
    return redirect("notifications")


@login_required
@require_POST
def calendar_address(request):
    """Make the private calendar address, or replace it so the old one stops working."""
    had_one = CalendarFeed.objects.filter(user=request.user).exists()
    calendar.feed_token(request.user, renew=had_one)
    messages.success(
        request, "New address made; the old one no longer works." if had_one else "Address made."
    )
    return redirect(reverse("notifications") + "#calendar")


@require_GET
def calendar_feed(request, token: str):
    """The private feed calendar apps subscribe to; the secret address is the key."""
    user = calendar.user_for_feed(token)
    if user is None:
        raise Http404("No calendar at this address (it may have been replaced).")
    body = calendar.ics(calendar.items_for(user), name=f"mentormesh: @{user.handle}")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response
