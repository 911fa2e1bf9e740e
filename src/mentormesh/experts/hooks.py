"""What paid help tells the rest of the product: discovery hears who helped with what
(resolved help requests), calendars list bookings, person pages show paid sessions."""

from __future__ import annotations

from django.urls import reverse

from mentormesh.discover import sources
from mentormesh.experts.demo import demo_experts
from mentormesh.experts.models import ExpertOffer, HelpRequest, HelpStatus
from mentormesh.experts.selectors import calendar_items, expert_rating
from mentormesh.matching import Evidence
from mentormesh.notifications.calendar import calendar_sources
from mentormesh.people.demo import demo_extras
from mentormesh.people.selectors import ProfileSection, profile_sections


def helped():
    """A resolved request shows its helper can help with its skills, in the member's words."""
    resolved = HelpRequest.objects.filter(status=HelpStatus.RESOLVED, helped_by__isnull=False)
    skills: dict[int, tuple[str, ...]] = {}
    for request_id, key in resolved.values_list("pk", "skills__key"):
        if key:
            skills[request_id] = (*skills.get(request_id, ()), key)
    for request_id, helper_id, text, what, at in resolved.values_list(
        "pk", "helped_by_id", "text", "what_helped", "resolved_at"
    ):
        yield helper_id, Evidence("help", f"{text}\n{what}", skills.get(request_id, ()), at)


def paid_sessions(*, viewer, person) -> list[ProfileSection]:
    offer = ExpertOffer.objects.filter(user=person, active=True).first()
    if offer is None or not person.profile.open_to_paid or viewer.pk == person.pk:
        return []
    rating = expert_rating(person)
    subjects = ", ".join(s.name for s in offer.subjects.all())
    stars = f" · rated {rating.average}/5 by {rating.count}" if rating.count else ""
    return [
        ProfileSection(
            "Paid sessions",
            [(f"Book a session on {subjects}{stars}", reverse("expert", args=[person.handle]))],
        )
    ]


def register() -> None:
    for registry, hook in (
        (sources.evidence_sources, helped),
        (profile_sections, paid_sessions),
        (calendar_sources, calendar_items),
        (demo_extras, demo_experts),
    ):
        if hook not in registry:
            registry.append(hook)
