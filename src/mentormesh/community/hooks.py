"""What events and posts tell the rest of the product: discovery hears who taught and wrote
what, introductions hear who met whom, the ask composer what someone put out, calendars list
the events I go to."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from mentormesh.community.demo import demo_events
from mentormesh.community.models import Event, Panelist, Post, PostStatus, Rsvp, RsvpStatus
from mentormesh.community.selectors import calendar_items
from mentormesh.connect.selectors.asks import recipient_topic_sources
from mentormesh.connect.selectors.intros import TEAM, Tie, contact_sources
from mentormesh.discover import sources
from mentormesh.matching import Evidence
from mentormesh.notifications.calendar import calendar_sources
from mentormesh.people.demo import demo_extras
from mentormesh.people.selectors import ProfileSection, profile_sections


def taught():
    """Hosting a lunch-and-learn or sitting on a panel (held or announced) shows what
    someone can help with; it reads as a talk given, dated when it was announced."""
    live = Event.objects.filter(cancelled_at__isnull=True)
    skills: dict[int, tuple[str, ...]] = {}
    for event_id, key in live.values_list("pk", "skills__key"):
        if key:
            skills[event_id] = (*skills.get(event_id, ()), key)
    for event_id, host_id, title, at in live.values_list("pk", "host_id", "title", "created_at"):
        yield host_id, Evidence("talk", title, skills.get(event_id, ()), at)
    for user_id, event_id, title, at in Panelist.objects.filter(event__in=live).values_list(
        "user_id", "event_id", "event__title", "event__created_at"
    ):
        yield user_id, Evidence("talk", title, skills.get(event_id, ()), at)


def met_at_events(user_id: int) -> dict[int, Tie]:
    """People who went to the same event as this user (and its host)."""
    # Going and not marked absent, to an event that took place.
    there = Q(status=RsvpStatus.GOING) & ~Q(attended=False)
    went = Rsvp.objects.filter(
        there,
        user_id=user_id,
        event__ends_at__lte=timezone.now(),
        event__cancelled_at__isnull=True,
    ).values("event_id")
    ties: dict[int, Tie] = {}
    others = Rsvp.objects.filter(there, event_id__in=went).exclude(user_id=user_id)
    for other_id, title in others.values_list("user_id", "event__title"):
        ties.setdefault(other_id, Tie(TEAM, f"the event “{title}”", f"the event “{title}”"))
    for host_id, title in Event.objects.filter(pk__in=went).values_list("host_id", "title"):
        ties.setdefault(host_id, Tie(TEAM, f"the event “{title}”", f"the event “{title}”"))
    ties.pop(user_id, None)
    return ties


def written():
    """Published posts show what their author knows."""
    published = Post.objects.filter(status=PostStatus.PUBLISHED)
    skills: dict[int, tuple[str, ...]] = {}
    for post_id, key in published.values_list("pk", "skills__key"):
        if key:
            skills[post_id] = (*skills.get(post_id, ()), key)
    for post_id, author_id, title, body, at in published.values_list(
        "pk", "author_id", "title", "body", "published_at"
    ):
        yield author_id, Evidence("post", f"{title}\n{body[:2000]}", skills.get(post_id, ()), at)


def posts_written(user_id: int) -> list[str]:
    """Titles of someone's posts, newest first: things an asker can mention."""
    return list(
        Post.objects.filter(author_id=user_id, status=PostStatus.PUBLISHED)
        .order_by("-published_at")
        .values_list("title", flat=True)[:10]
    )


def events_given(user_id: int) -> list[str]:
    """Titles of events someone hosts or sits on the panel of: things an asker can mention."""
    return list(
        Event.objects.filter(cancelled_at__isnull=True)
        .filter(Q(host_id=user_id) | Q(panelists__user_id=user_id))
        .order_by("-starts_at")
        .values_list("title", flat=True)
        .distinct()[:10]
    )


def writing_sections(*, viewer, person) -> list[ProfileSection]:
    """On someone's page: what they wrote, and where others referenced them."""
    from mentormesh.community.selectors import posts_visible_to

    visible = posts_visible_to(viewer).filter(status=PostStatus.PUBLISHED)
    wrote = [(p.title, reverse("post", args=[p.pk])) for p in visible.filter(author=person)[:10]]
    cited = [
        (f"{p.title} — by {p.author.profile.display_name}", reverse("post", args=[p.pk]))
        for p in visible.filter(mentions=person).exclude(author=person)[:10]
    ]
    sections = []
    if wrote:
        sections.append(ProfileSection("Writing", wrote))
    if cited:
        sections.append(ProfileSection("Mentioned in", cited))
    return sections


def register() -> None:
    for registry, hook in (
        (sources.evidence_sources, taught),
        (sources.evidence_sources, written),
        (recipient_topic_sources, events_given),
        (recipient_topic_sources, posts_written),
        (profile_sections, writing_sections),
        (contact_sources, met_at_events),
        (calendar_sources, calendar_items),
        (demo_extras, demo_events),
    ):
        if hook not in registry:
            registry.append(hook)
