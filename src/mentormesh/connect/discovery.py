"""What asks and relationships tell discovery (see mentormesh.discover.sources)."""

from __future__ import annotations

from django.db.models import Count

from mentormesh.connect.models import Ask, AskStatus, Relationship, RelationshipStatus
from mentormesh.discover import sources
from mentormesh.matching import Evidence


def accepted_asks():
    """Each accepted ask is help given by its recipient, on its skill and question."""
    for recipient_id, question, skill_key, at in Ask.objects.filter(
        status=AskStatus.ACCEPTED
    ).values_list("recipient_id", "question", "skill__key", "answered_at"):
        yield recipient_id, Evidence("ask", question, (skill_key,) if skill_key else (), at)


def live_relationships() -> dict[int, int]:
    """A live relationship takes time from both people."""
    live = Relationship.objects.filter(
        status__in=[RelationshipStatus.EXPLORING, RelationshipStatus.ACTIVE]
    )
    counts: dict[int, int] = {}
    for field in ("first_id", "second_id"):
        for user_id, n in live.values_list(field).annotate(n=Count("pk")).order_by():
            counts[user_id] = counts.get(user_id, 0) + n
    return counts


def register() -> None:
    from mentormesh.connect.selectors import people_left_out

    for registry, source in (
        (sources.evidence_sources, accepted_asks),
        (sources.load_sources, live_relationships),
        (sources.exclusion_sources, people_left_out),
    ):
        if source not in registry:
            registry.append(source)
