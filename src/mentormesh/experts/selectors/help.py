"""Reads for help requests. A request is seen by its member and by the people it was
routed to, nobody else (404). With ``anonymous``, helpers see the text, skills and urgency
but not who asked, until the member picks their offer."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When

from mentormesh.connect.models import Block
from mentormesh.errors import NotFound
from mentormesh.experts.models import (
    ExpertOffer,
    HelpOffer,
    HelpRequest,
    HelpRoute,
    HelpStatus,
    OfferStatus,
    RouteKind,
    Urgency,
)
from mentormesh.experts.selectors.bookings import expert_slots
from mentormesh.people.models import Profile, User
from mentormesh.people.selectors import profiles_visible_to, with_cards

_URGENCY_ORDER = Case(
    When(request__urgency=Urgency.TODAY, then=Value(0)),
    When(request__urgency=Urgency.WEEK, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def help_request_get(*, viewer: User, request_id: int) -> HelpRequest:
    """The member's own request, or one routed to the viewer (while neither blocked the
    other)."""
    found = (
        HelpRequest.objects.filter(pk=request_id)
        .filter(Q(member=viewer) | Q(routes__helper=viewer))
        .select_related("member__profile")
        .prefetch_related("skills")
        .distinct()
        .first()
    )
    if found is None or (found.member_id != viewer.pk and blocked_between(viewer, found.member_id)):
        raise NotFound(f"No help request {request_id} for you.")
    return found


def blocked_between(user: User, other_id: int) -> bool:
    return Block.objects.filter(
        Q(blocker=user, blocked_id=other_id) | Q(blocker_id=other_id, blocked=user)
    ).exists()


def help_requests_of(member: User) -> QuerySet[HelpRequest]:
    return HelpRequest.objects.filter(member=member).prefetch_related("skills")


def asker_shown(*, viewer: User, request: HelpRequest) -> Profile | None:
    """Who asked, as the viewer may know it: None while the request is anonymous to them."""
    if (
        not request.anonymous
        or viewer.pk == request.member_id
        or (request.picked_id and request.picked.helper_id == viewer.pk)
    ):
        return request.member.profile
    return None


def who_sees(request: HelpRequest) -> list[str]:
    """The request page's plain account of who can see what."""
    routed = request.routes.count()
    people = f"the {routed} {'person' if routed == 1 else 'people'} it was sent to (listed below)"
    lines = [
        f"Only you and {people} see this request. It is not in search, on your profile or in "
        "any feed.",
    ]
    if request.anonymous:
        lines.append(
            "They see your words, skills and urgency, but not your name, handle, picture or "
            "organization — colleagues included. The person whose offer you pick learns who "
            "you are, so you can talk."
        )
    else:
        lines.append(
            "They see your words, skills, urgency and your name with a link to your profile."
        )
    lines.append(
        "Site staff can open any request in the admin. Nobody else ever sees it, and an "
        "anonymous request stays anonymous in the API too."
    )
    return lines


def routes_of(request: HelpRequest) -> QuerySet[HelpRoute]:
    return request.routes.select_related("helper__profile").order_by("rank")


def offers_on(request: HelpRequest) -> QuerySet[HelpOffer]:
    return request.offers.select_related("helper__profile").exclude(status=OfferStatus.WITHDRAWN)


def inbox_of(helper: User) -> QuerySet[HelpRoute]:
    """Requests routed to this helper that still want help, most urgent first, with
    ``offered`` set when the helper already offered."""
    mine = HelpOffer.objects.filter(request=OuterRef("request"), helper=helper).exclude(
        status=OfferStatus.WITHDRAWN
    )
    return (
        HelpRoute.objects.filter(helper=helper, request__status=HelpStatus.OPEN)
        .exclude(request__member=helper)
        .annotate(offered=Exists(mine), urgency_order=_URGENCY_ORDER)
        .select_related("request__member__profile")
        .prefetch_related("request__skills")
        .order_by("offered", "urgency_order", "-request__created_at")
    )


def inbox_waiting(helper: User) -> QuerySet[HelpRoute]:
    """Requests routed to me that I have not opened yet (the number beside the menu)."""
    return HelpRoute.objects.filter(
        helper=helper, seen_at__isnull=True, request__status=HelpStatus.OPEN
    )


@dataclass(frozen=True)
class ExpertCard:
    profile: Profile
    offer: ExpertOffer
    subjects: list[str]
    next_slot: object  # datetime of the first free slot, or None


def experts_for(*, viewer: User, skills: list | None = None, limit: int = 50) -> list[ExpertCard]:
    """Experts the viewer may see and book (offering any of ``skills`` when given), with
    their next free slot; cheapest first."""
    offers = (
        ExpertOffer.objects.filter(
            active=True, user__profile__open_to_paid=True, user__profile__paid_rate_minor__gt=0
        )
        .exclude(user=viewer)
        .filter(user__profile__in=profiles_visible_to(viewer))
        .prefetch_related("subjects")
        .order_by("user__profile__paid_rate_minor", "user_id")
    )
    if skills:
        offers = offers.filter(subjects__in=skills).distinct()
    offers = list(offers[:limit])
    profiles = {
        p.pk: p for p in with_cards(Profile.objects.filter(user_id__in=[o.user_id for o in offers]))
    }
    asked = {skill.pk for skill in skills or ()}
    cards = []
    for offer in offers:
        profile = profiles[offer.user_id]
        # The skills asked about first, so a booking link preselects one of them.
        subjects = sorted(offer.subjects.all(), key=lambda s: (s.pk not in asked, s.name))
        slots = expert_slots(profile.user, minutes=offer.slot_minutes)
        cards.append(
            ExpertCard(profile, offer, [s.name for s in subjects], slots[0] if slots else None)
        )
    return cards


def expert_routes(request: HelpRequest) -> QuerySet[HelpRoute]:
    return request.routes.filter(kind=RouteKind.EXPERT)
