"""Pages for events: the list, making one, and the event page with RSVP, the question board
(refreshed live), host and panel tools, and who to follow up with afterwards."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentormesh.community import forms, selectors, services
from mentormesh.community.models import RsvpStatus
from mentormesh.errors import DomainError, NotFound, or_404
from mentormesh.notifications.calendar import ics
from mentormesh.people.forms import apply_domain_error
from mentormesh.people.models import Organization
from mentormesh.people.selectors import profiles_visible_to


@login_required
@require_GET
def events(request):
    show = request.GET.get("show")
    show = show if show in ("mine", "past") else "upcoming"
    now = timezone.now()
    found = selectors.events_visible_to(request.user).prefetch_related("skills")
    if show == "mine":
        found = found.filter(
            rsvps__user=request.user, rsvps__status__in=[RsvpStatus.GOING, RsvpStatus.WAITLIST]
        ) | found.filter(host=request.user)
        found = found.distinct()
    elif show == "past":
        found = found.filter(ends_at__lte=now).order_by("-starts_at")
    else:
        found = found.filter(ends_at__gt=now, cancelled_at__isnull=True)
    return render(request, "community/events.html", {"events": found[:100], "show": show})


@login_required
@require_http_methods(["GET", "POST"])
def event_new(request):
    organizations = Organization.objects.filter(memberships__user=request.user)
    form = forms.EventForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            event = services.event_create(
                host=request.user, kind=data["kind"], title=data["title"],
                description=data["description"], starts_at=data["starts_at"],
                ends_at=data["starts_at"] + timedelta(minutes=data["minutes"]),
                capacity=data["capacity"], online_url=data["online_url"], place=data["place"],
                skills=[s for s in data["skills"].split(",") if s.strip()],
                panelists=data["panelists"].split(","), organization_slug=data["organization"],
            )  # fmt: skip
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, "Announced. Share the page; the question board is open.")
            return redirect("event", event_id=event.pk)
    status = 400 if form.errors else 200
    return render(request, "community/event_new.html", {"form": form}, status=status)


def _board_context(request, event) -> dict:
    host = event.host_id == request.user.pk
    panelist = selectors.is_panelist(event, request.user)
    return {
        "event": event,
        "questions": selectors.board(event=event, viewer=request.user),
        "is_host": host,
        "is_panelist": panelist,
        # Answer and moderation tools live on a board that does not refresh under the pen.
        "manage": (host or panelist) and request.GET.get("manage") == "1",
        "board_open": selectors.board_open(event),
    }


@login_required
@require_GET
def event(request, event_id: int):
    found = or_404(selectors.event_with_seats, viewer=request.user, event_id=event_id)
    now = timezone.now()
    context = _board_context(request, found) | {
        "seats": selectors.seats_of(found),
        "position": selectors.waitlist_position(event=found, viewer=request.user),
        "panelists": selectors.panelists_of(found),
        "question_form": forms.QuestionForm(),
        "started": found.starts_at <= now,
        "over": found.ends_at <= now,
        "follow_ups": _follow_ups(found, request.user),
    }
    if context["is_host"] and context["started"]:
        going = list(selectors.attendees(found))
        came = [rsvp.user.handle for rsvp in going if rsvp.attended]
        context["attendance_form"] = forms.AttendanceForm(
            people=[rsvp.user for rsvp in going], initial={"came": came}
        )
    return render(request, "community/event.html", context)


def _follow_ups(event, viewer) -> list[tuple]:
    """Suggestions with a composer link that already says where we met."""
    when = timezone.localtime(event.starts_at).strftime("%-d %B")
    rows = []
    for item in selectors.follow_up_suggestions(event=event, viewer=viewer):
        context = f"We were both at “{event.title}” on {when}, {item.opener}."
        query = {"context": context}
        if skill := event.skills.first():
            query["skill"] = skill.name
        url = reverse("ask-new", args=[item.profile.user.handle]) + "?" + urlencode(query)
        rows.append((item, url))
    return rows


@login_required
@require_GET
def event_board(request, event_id: int):
    """The board alone, for the page's live refresh (HTMX, every few seconds)."""
    found = or_404(selectors.event_get, viewer=request.user, event_id=event_id)
    context = _board_context(request, found)
    return render(request, "community/event.html#board", context)


@login_required
@require_GET
def event_ics(request, event_id: int):
    found = or_404(selectors.event_get, viewer=request.user, event_id=event_id)
    response = HttpResponse(
        ics(
            [selectors.event_item(found, with_link=selectors.has_link(found, request.user))],
            name=found.title,
        ),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="event-{found.pk}.ics"'
    return response


def _act(request, run, done: str, *, back):
    """Run one service for a form post; a domain error becomes a message on the same page."""
    try:
        run()
    except NotFound as error:
        raise Http404(error.detail) from error
    except DomainError as error:
        messages.error(request, error.detail)
    else:
        if done:
            messages.success(request, done)
    if request.htmx:
        return None
    return redirect(back)


@login_required
@require_POST
def event_act(request, event_id: int, action: str):
    """RSVP, cancel my RSVP, cancel the event, close the board, mark attendance."""
    back = reverse("event", args=[event_id])
    user = request.user
    actions = {
        "rsvp": (lambda: _rsvp(request, event_id), ""),
        "unrsvp": (lambda: services.rsvp_cancel(event_id=event_id, by=user), "You are not going."),
        "cancel": (
            lambda: services.event_cancel(event_id=event_id, by=user),
            "Cancelled. Everyone who answered is told.",
        ),
        "close-board": (
            lambda: services.board_close(event_id=event_id, by=user),
            "The question board is closed.",
        ),
        "attendance": (lambda: _attendance(request, event_id), "Attendance saved."),
    }
    if action not in actions:
        raise Http404("No such action.")
    run, done = actions[action]
    return _act(request, run, done, back=back) or redirect(back)


def _rsvp(request, event_id: int) -> None:
    rsvp = services.rsvp_join(event_id=event_id, by=request.user)
    if rsvp.status == RsvpStatus.GOING:
        messages.success(request, "You are going. It is in your calendar feed.")
    else:
        messages.success(request, "The event is full: you are on the waitlist, in order.")


def _attendance(request, event_id: int) -> None:
    found = selectors.event_get(viewer=request.user, event_id=event_id)
    people = [rsvp.user for rsvp in selectors.attendees(found)]
    form = forms.AttendanceForm(request.POST, people=people)
    if not form.is_valid():
        raise DomainError("handles: pick people from the list.", field="handles")
    came = set(form.cleaned_data["came"])
    services.attendance_mark(event_id=event_id, by=request.user, handles=came, attended=True)
    missed = [p.handle for p in people if p.handle not in came]
    services.attendance_mark(event_id=event_id, by=request.user, handles=missed, attended=False)


@login_required
@require_POST
def question_new(request, event_id: int):
    form = forms.QuestionForm(request.POST)
    back = reverse("event", args=[event_id]) + "#board"
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors[0])
        return redirect(back)
    data = form.cleaned_data
    return _act(
        request,
        lambda: services.question_ask(
            event_id=event_id, by=request.user, text=data["text"], anonymous=data["anonymous"]
        ),
        "Your question is on the board."
        + (" No one can see it was you." if data["anonymous"] else ""),
        back=back,
    ) or redirect(back)


def _valid(form, field: str):
    """The form's value for ``field``, or a DomainError naming what is wrong with it."""
    if not form.is_valid():
        raise DomainError(f"{field}: {form.errors[field][0]}", field=field)
    return form.cleaned_data[field]


@login_required
@require_POST
def question_act(request, question_id: int, action: str):
    """Vote, take a vote back, answer, merge, hide. With HTMX, the board comes back."""
    found = or_404(selectors.question_get, viewer=request.user, question_id=question_id)
    user = request.user
    answer = forms.AnswerForm(request.POST)
    merge = forms.MergeForm(request.POST)
    actions = {
        "vote": (lambda: services.question_vote(question_id=found.pk, by=user), ""),
        "unvote": (lambda: services.question_vote(question_id=found.pk, by=user, up=False), ""),
        "answer": (
            lambda: services.question_answer(
                question_id=found.pk,
                by=user,
                answer=_valid(answer, "answer"),
            ),
            "Marked answered.",
        ),
        "merge": (
            lambda: services.question_merge(
                question_id=found.pk,
                by=user,
                into_id=_valid(merge, "into"),
            ),
            "Merged.",
        ),
        "hide": (lambda: services.question_hide(question_id=found.pk, by=user), "Hidden."),
    }
    if action not in actions:
        raise Http404("No such action.")
    run, done = actions[action]
    managing = "?manage=1" if action in ("answer", "merge", "hide") else ""
    back = reverse("event", args=[found.event_id]) + managing + "#board"
    if _act(request, run, done, back=back) is None:
        event = selectors.event_get(viewer=user, event_id=found.event_id)
        context = _board_context(request, event)
        return render(request, "community/event.html#board", context)
    return redirect(back)


@login_required
@require_http_methods(["GET", "POST"])
def mixers(request, slug: str):
    """Members opt in and see their groups; admins run a round and read its report."""
    organization = Organization.objects.filter(slug=slug, memberships__user=request.user).first()
    if organization is None:
        raise Http404("No such organization of yours.")
    is_admin = (
        request.user.is_staff
        or organization.memberships.filter(user=request.user, role="admin").exists()
    )
    form = forms.MixerRoundForm(request.POST or None)
    if request.method == "POST":
        if "opt" in request.POST:
            services.mixer_opt(
                organization_slug=slug, by=request.user, opt_in=request.POST["opt"] == "in"
            )
            messages.success(request, "Saved.")
            return redirect("mixers", slug=slug)
        if form.is_valid():
            try:
                run = services.mixer_run(
                    organization_slug=slug, by=request.user, **form.cleaned_data
                )
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, f"Round “{run.name}” made; everyone placed was told.")
                return redirect("mixers", slug=slug)
    context = {
        "organization": organization,
        "is_admin": is_admin,
        "form": form,
        "opted_in": selectors.mixer_opted_in(viewer=request.user, organization=organization),
        "my_groups": selectors.my_mixer_groups(viewer=request.user, organization=organization)[:10],
        "rounds": selectors.mixer_rounds(organization)[:20] if is_admin else [],
    }
    return render(request, "community/mixers.html", context, status=400 if form.errors else 200)


def _skills(text: str) -> list[str]:
    return [name for name in text.split(",") if name.strip()]


@login_required
@require_GET
def posts(request):
    context = {
        "feed": selectors.feed(request.user)[:50],
        "drafts": selectors.posts_visible_to(request.user).filter(status="draft")[:20],
    }
    return render(request, "community/posts.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request, post_id: int | None = None):
    """Write a new draft, or edit my post."""
    post = None
    if post_id is not None:
        post = or_404(selectors.post_get, viewer=request.user, post_id=post_id)
        if post.author_id != request.user.pk:
            raise PermissionDenied("Only the author can edit this post.")
    initial = (
        {"title": post.title, "body": post.body,
         "skills": ", ".join(s.name for s in post.skills.all())} if post else {}
    )  # fmt: skip
    form = forms.PostForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if post is None:
                post = services.post_create(author=request.user, title=data["title"],
                                            body=data["body"], skills=_skills(data["skills"]))  # fmt: skip
            else:
                services.post_update(post_id=post.pk, by=request.user, title=data["title"],
                                     body=data["body"], skills=_skills(data["skills"]))  # fmt: skip
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, "Saved.")
            return redirect("post", post_id=post.pk)
    status = 400 if form.errors else 200
    return render(request, "community/post_edit.html", {"form": form, "post": post}, status=status)


@login_required
@require_GET
def post(request, post_id: int):
    found = or_404(selectors.post_get, viewer=request.user, post_id=post_id)
    context = {
        "post": found,
        # Only the people named whose profile the reader may see.
        "mentions": profiles_visible_to(request.user).filter(
            user__in=[user.pk for user in found.mentions.all()]
        ),
        "mine": found.author_id == request.user.pk,
        "share_form": forms.ShareForm(),
        "comment_form": forms.CommentForm(),
    }
    return render(request, "community/post.html", context)


@login_required
@require_POST
def post_act(request, post_id: int, action: str):
    """Publish, share a draft with a friend, or comment on a draft."""
    user = request.user
    share, comment = forms.ShareForm(request.POST), forms.CommentForm(request.POST)
    actions = {
        "publish": (
            lambda: services.post_publish(post_id=post_id, by=user),
            "Published. Everyone you mentioned is told.",
        ),
        "share": (
            lambda: services.post_share(
                post_id=post_id, by=user, handle=share.data.get("handle", "")
            ),
            "Shared. They can read the draft and comment.",
        ),
        "comment": (
            lambda: services.draft_comment(
                post_id=post_id, by=user, text=comment.data.get("text", "")
            ),
            "",
        ),
    }
    if action not in actions:
        raise Http404("No such action.")
    run, done = actions[action]
    return _act(request, run, done, back=reverse("post", args=[post_id])) or redirect(
        "post", post_id=post_id
    )
