from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from mentormesh.notifications import services
from mentormesh.notifications.models import EmailMode


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
    context = {"form": form, "items": request.user.notifications.all()[:100]}
    status = 400 if form.errors else 200
    return render(request, "notifications/notifications.html", context, status=status)


@login_required
@require_POST
def notifications_read(request):
    services.notifications_read(user=request.user)
    return redirect("notifications")
