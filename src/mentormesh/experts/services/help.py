"""Writes for help requests: ask, route, offer, pick, resolve.

Routing happens when a request is made. First to people in the member's network (a
relationship, a team, an organization, an event) who offer one of its skills, are open to
mentoring and have time in their week, ranked by the matching engine with its reasons (a
full mentoring load does not count against them: a help request is one answer, not a
relationship).
Paid experts follow: at once when the network has nobody or the request is for today, else
after a wait (``EXPERT_WAIT``) when no offer has been picked by then.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from mentormesh.connect.models import Block
from mentormesh.connect.selectors.intros import contacts_of
from mentormesh.connect.services import relationship_start
from mentormesh.discover import network
from mentormesh.discover.network import network_changed
from mentormesh.errors import Conflict, DomainError, NotFound
from mentormesh.experts.models import (
    ExpertOffer,
    HelpOffer,
    HelpRequest,
    HelpRoute,
    HelpStatus,
    OfferKind,
    OfferStatus,
    RouteKind,
    Urgency,
)
from mentormesh.experts.selectors.help import blocked_between
from mentormesh.matching import Request
from mentormesh.notifications.services import notify
from mentormesh.people.models import OfferedSkill, User
from mentormesh.people.selectors import profiles_visible_to, skills_named

MAX_PEERS = 8
MAX_EXPERTS = 5
MAX_SKILLS = 5
MIN_TEXT = 20
EXPERT_WAIT = {
    Urgency.TODAY: timedelta(0),
    Urgency.WEEK: timedelta(days=1),
    Urgency.WHENEVER: timedelta(days=3),
}


def _url(request: HelpRequest) -> str:
    return reverse("help-request", args=[request.pk])


def _asker_name(request: HelpRequest) -> str:
    return "Someone in your network" if request.anonymous else request.member.profile.display_name


def _blocked_with(user_id: int) -> set[int]:
    pairs = Block.objects.filter(Q(blocker_id=user_id) | Q(blocked_id=user_id))
    return {uid for pair in pairs.values_list("blocker_id", "blocked_id") for uid in pair} - {
        user_id
    }


def _ranked(request: HelpRequest, candidates: set[int], keys: tuple[str, ...]) -> list:
    """The engine's order of ``candidates`` for this request: (user id, score, reasons)."""
    current = network.snapshot()
    matches = current.index.rank(
        Request(
            id=f"help-{request.pk}",
            text=request.text,
            asker_id=network.person_id(request.member_id),
            tags=keys,
            candidates=tuple(network.person_id(uid) for uid in sorted(candidates)),
        ),
        top_k=MAX_PEERS,
    )
    return [(network.user_id(m.person_id), m.score, list(m.reasons)) for m in matches]


def _route(request: HelpRequest, kind: str, ranked: list, first_rank: int) -> list[HelpRoute]:
    routes = HelpRoute.objects.bulk_create(
        [
            HelpRoute(
                request=request, helper_id=uid, kind=kind, rank=first_rank + i, reasons=reasons
            )
            for i, (uid, reasons) in enumerate(ranked)
        ],
        ignore_conflicts=True,
    )
    skills = ", ".join(s.name for s in request.skills.all())
    for uid, _ in ranked:
        notify(
            user=User(pk=uid),
            kind="help",
            text=f"{_asker_name(request)} is stuck on {skills} and you could help.",
            url=_url(request),
        )
    return routes


def _route_peers(request: HelpRequest, skill_ids: list[int], keys: tuple[str, ...]) -> int:
    member_id = request.member_id
    ties = contacts_of(member_id)
    pool = set(ties) - _blocked_with(member_id) - {member_id}
    able = set(
        OfferedSkill.objects.filter(user_id__in=pool, skill_id__in=skill_ids).values_list(
            "user_id", flat=True
        )
    )
    current = network.snapshot()
    available = {
        uid
        for uid in able
        if (person := current.person(uid)) is not None
        and person.openness.mentor
        and person.availability
    }
    visible = set(
        profiles_visible_to(request.member)
        .filter(user_id__in=available)
        .values_list("user_id", flat=True)
    )
    # The engine's order; among equal scores, closer ties (a relationship, a team) first.
    ordered = sorted(
        _ranked(request, visible, keys), key=lambda row: (-round(row[1], 9), -ties[row[0]].strength)
    )
    ranked = [
        (uid, [f"you know them through {ties[uid].own}", *reasons])
        for uid, _, reasons in ordered[:MAX_PEERS]
    ]
    _route(request, RouteKind.PEER, ranked, 1)
    return len(ranked)


def _route_experts(request: HelpRequest) -> int:
    skill_ids = list(request.skills.values_list("pk", flat=True))
    keys = tuple(request.skills.values_list("key", flat=True))
    already = set(request.routes.values_list("helper_id", flat=True))
    experts = set(
        ExpertOffer.objects.filter(
            active=True,
            subjects__in=skill_ids,
            user__profile__open_to_paid=True,
            user__profile__paid_rate_minor__gt=0,
        ).values_list("user_id", flat=True)
    )
    experts -= already | _blocked_with(request.member_id) | {request.member_id}
    visible = set(
        profiles_visible_to(request.member)
        .filter(user_id__in=experts)
        .values_list("user_id", flat=True)
    )
    ranked = [(uid, reasons) for uid, _, reasons in _ranked(request, visible, keys)[:MAX_EXPERTS]]
    _route(request, RouteKind.EXPERT, ranked, len(already) + 1)
    request.experts_routed_at = timezone.now()
    request.save(update_fields=["experts_routed_at"])
    return len(ranked)


@transaction.atomic
def help_request_create(
    *,
    member: User,
    text: str,
    skills: list[str],
    urgency: str = Urgency.WEEK,
    anonymous: bool = False,
) -> HelpRequest:
    text = text.strip()
    if len(text) < MIN_TEXT:
        raise DomainError(
            f"text: say what you are stuck on in at least {MIN_TEXT} characters — what you "
            "tried and where it breaks.",
            field="text",
        )
    if len(text) > 2000:
        raise DomainError("text: at most 2000 characters.", field="text")
    if urgency not in Urgency.values:
        raise DomainError(f"urgency: one of {', '.join(Urgency.values)}.", field="urgency")
    resolved = skills_named(skills, field="skills")
    if not resolved:
        raise DomainError(
            "skills: name at least one skill, so it reaches the right people.", field="skills"
        )
    if len(resolved) > MAX_SKILLS:
        raise DomainError(f"skills: at most {MAX_SKILLS}.", field="skills")
    request = HelpRequest.objects.create(
        member=member, text=text, urgency=urgency, anonymous=anonymous
    )
    request.skills.set(resolved)
    peers = _route_peers(request, [s.pk for s in resolved], tuple(s.key for s in resolved))
    if peers == 0 or urgency == Urgency.TODAY:
        _route_experts(request)
    else:
        from mentormesh.experts import tasks

        at, pk = timezone.now() + EXPERT_WAIT[urgency], request.pk
        transaction.on_commit(lambda: tasks.help_route_experts.using(run_after=at).enqueue(pk))
    return request


@transaction.atomic
def help_route_experts(*, request_id: int) -> bool:
    """The timed second step: experts too, while the request is still open and unpicked."""
    request = (
        HelpRequest.objects.select_for_update()
        .filter(pk=request_id, status=HelpStatus.OPEN, experts_routed_at__isnull=True)
        .first()
    )
    if request is None:
        return False
    found = _route_experts(request)
    if found:
        waiting = request.offers.filter(status=OfferStatus.OFFERED).count()
        so_far = (
            f"{waiting} offer{'s' if waiting > 1 else ''} to pick from"
            if waiting
            else ("No offer yet")
        )
        notify(
            user=request.member,
            kind="help",
            text=f"{so_far}: {found} paid expert{'s' if found > 1 else ''} could help too.",
            url=_url(request),
        )
    return True


def _request_as_member(request_id: int, member: User) -> HelpRequest:
    request = HelpRequest.objects.select_for_update().filter(pk=request_id, member=member).first()
    if request is None:
        raise NotFound(f"No help request {request_id} of yours.")
    return request


def _request_for_helper(request_id: int, helper: User) -> HelpRequest:
    request = (
        HelpRequest.objects.select_for_update()
        .filter(pk=request_id, routes__helper=helper)
        .exclude(member=helper)
        .first()
    )
    if request is None or blocked_between(helper, request.member_id):
        raise NotFound(f"No help request {request_id} for you.")
    return request


def help_route_seen(*, request_id: int, helper: User) -> None:
    HelpRoute.objects.filter(request_id=request_id, helper=helper, seen_at__isnull=True).update(
        seen_at=timezone.now()
    )


@transaction.atomic
def help_offer_create(*, request_id: int, by: User, kind: str, message: str) -> HelpOffer:
    request = _request_for_helper(request_id, by)
    if request.status != HelpStatus.OPEN:
        raise Conflict("This request no longer takes offers.")
    if kind not in OfferKind.values:
        raise DomainError(f"kind: one of {', '.join(OfferKind.values)}.", field="kind")
    message = message.strip()
    if not message:
        raise DomainError("message: say how you would help.", field="message")
    if len(message) > 2000:
        raise DomainError("message: at most 2000 characters.", field="message")
    existing = HelpOffer.objects.filter(request=request, helper=by).first()
    if existing is not None and existing.status != OfferStatus.WITHDRAWN:
        raise Conflict("You already offered help on this request.")
    if existing is not None:
        existing.delete()
    try:
        with transaction.atomic():
            offer = HelpOffer.objects.create(request=request, helper=by, kind=kind, message=message)
    except IntegrityError:
        raise Conflict("You already offered help on this request.") from None
    HelpRoute.objects.filter(request=request, helper=by).update(seen_at=timezone.now())
    notify(
        user=request.member,
        kind="help",
        text=f"{by.profile.display_name} offered {offer.get_kind_display().lower()} on your "
        "help request.",
        url=_url(request),
    )
    return offer


@transaction.atomic
def help_offer_withdraw(*, request_id: int, by: User) -> HelpOffer:
    request = _request_for_helper(request_id, by)
    offer = HelpOffer.objects.filter(request=request, helper=by, status=OfferStatus.OFFERED).first()
    if offer is None:
        raise Conflict("You have no open offer here to withdraw.")
    offer.status = OfferStatus.WITHDRAWN
    offer.save(update_fields=["status"])
    return offer


@transaction.atomic
def help_pick(*, request_id: int, offer_id: int, by: User, start_relationship: bool = False):
    """The member takes one offer; the others are told it went elsewhere. With
    ``start_relationship`` the two also start a relationship on the request's topic.
    Returns (request, relationship or None)."""
    request = _request_as_member(request_id, by)
    if request.status != HelpStatus.OPEN:
        raise Conflict("You already picked an offer, or the request is closed.")
    offer = request.offers.filter(pk=offer_id, status=OfferStatus.OFFERED).first()
    if offer is None:
        raise NotFound(f"No open offer {offer_id} on this request.")
    offer.status = OfferStatus.PICKED
    offer.save(update_fields=["status"])
    others = list(request.offers.filter(status=OfferStatus.OFFERED).exclude(pk=offer.pk))
    request.offers.filter(status=OfferStatus.OFFERED).exclude(pk=offer.pk).update(
        status=OfferStatus.NOT_PICKED
    )
    request.status, request.picked = HelpStatus.PICKED, offer
    request.save(update_fields=["status", "picked"])
    name = request.member.profile.display_name
    notify(
        user=offer.helper,
        kind="help",
        text=f"{name} picked your offer{' (they asked anonymously)' if request.anonymous else ''}."
        " Reach out to them.",
        url=_url(request),
    )
    for other in others:
        notify(
            user=other.helper,
            kind="help",
            url=_url(request),
            text="Thank you for offering help: the member went with another offer.",
        )
    relationship = None
    if start_relationship:
        topic = request.text if len(request.text) <= 80 else request.text[:80].rsplit(" ", 1)[0]
        relationship = relationship_start(one=request.member, other=offer.helper, topic=topic)
    return request, relationship


@transaction.atomic
def help_resolve(
    *, request_id: int, by: User, what_helped: str, helped_by: str = ""
) -> HelpRequest:
    """Close the request with what helped. ``helped_by`` names who (a helper who offered,
    or the expert of a session booked for it), or is empty for "I worked it out". What
    helped becomes evidence for future matching."""
    request = _request_as_member(request_id, by)
    if request.status not in (HelpStatus.OPEN, HelpStatus.PICKED):
        raise Conflict("This request is already closed.")
    what_helped = what_helped.strip()
    if not what_helped:
        raise DomainError("what_helped: a line on what got you unstuck.", field="what_helped")
    if len(what_helped) > 500:
        raise DomainError("what_helped: at most 500 characters.", field="what_helped")
    helper = None
    if helped_by:
        handle = helped_by.strip().lstrip("@").lower()
        helper = (
            User.objects.filter(handle=handle)
            .filter(
                Exists(
                    HelpOffer.objects.filter(request=request, helper=OuterRef("pk")).exclude(
                        status=OfferStatus.WITHDRAWN
                    )
                )
                | Q(bookings_given__help_request=request, bookings_given__status="confirmed")
            )
            .first()
        )
        if helper is None:
            raise DomainError(
                f"helped_by: @{handle} neither offered on this request nor had a session "
                "booked for it.",
                field="helped_by",
            )
    request.status, request.resolved_at = HelpStatus.RESOLVED, timezone.now()
    request.what_helped, request.helped_by = what_helped, helper
    request.save(update_fields=["status", "resolved_at", "what_helped", "helped_by"])
    if helper is not None:
        notify(
            user=helper, kind="help", url=_url(request), text=f"You helped: “{what_helped[:120]}”"
        )
        network_changed()
    return request


@transaction.atomic
def help_close(*, request_id: int, by: User) -> HelpRequest:
    """Withdraw a request that no longer needs help, without recording what helped."""
    request = _request_as_member(request_id, by)
    if request.status not in (HelpStatus.OPEN, HelpStatus.PICKED):
        raise Conflict("This request is already closed.")
    request.status = HelpStatus.CLOSED
    request.save(update_fields=["status"])
    return request
