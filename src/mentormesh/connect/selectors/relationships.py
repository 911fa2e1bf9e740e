"""Reads for relationships and their health; every one is limited to the viewer's own."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from mentormesh.connect.models import Relationship
from mentormesh.errors import NotFound
from mentormesh.people.models import User


def relationships_of(viewer: User) -> QuerySet[Relationship]:
    return (
        Relationship.objects.filter(Q(first=viewer) | Q(second=viewer))
        .select_related("first__profile", "second__profile")
        .prefetch_related("sides")
    )


def relationship_get(*, viewer: User, relationship_id: int) -> Relationship:
    relationship = relationships_of(viewer).filter(pk=relationship_id).first()
    if relationship is None:
        raise NotFound(f"No relationship {relationship_id} of yours.")
    return relationship
