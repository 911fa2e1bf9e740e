"""Employer sponsorship through the services and the pages: the policy's decision, approvals,
moving a booking, settling it (charge and payout), reviews, and an organization's spend.

Northwind (Hana its admin, Leo and Mia its members) has a Learning budget of 300.00 EUR, at
most 200.00 EUR a member, and nothing funded until a test sets a policy: Leo is on the
Platform team and Northwind funds Kubernetes for it. Priya charges 120.00 EUR for an hour of
Kubernetes or incident reviews, free to cancel or move until 48 hours before. A subject the
policy does not list goes to the member's manager (or, without one in Northwind, its admins)
when the policy says "ask", and is refused when it says "decline". Acme (Olga its admin)
sees nothing of Northwind's budgets."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from expert_helpers import ledger_rows, slot_between, written

from mentormesh.errors import Conflict, DomainError, NotFound, PermissionDenied
from mentormesh.experts import selectors, services
from mentormesh.experts.models import (
    Booking,
    BookingReview,
    BookingStatus,
    Budget,
    FundedSubject,
    Payout,
    SponsorshipPolicy,
)
from mentormesh.notifications.models import Notification
from mentormesh.people.models import Membership, Role

# --- Set-up -------------------------------------------------------------------------------


@pytest.fixture
def learning(make_budget, northwind):
    """Northwind's Learning budget (300.00 EUR, 200.00 a member) with nothing funded yet."""
    return make_budget(northwind, funded=())


@pytest.fixture
def platform_policy(northwind, hana, leo, learning):
    """Leo is on the Platform team; Northwind funds Kubernetes for it and asks about the rest."""
    place(leo, northwind, department="Platform")
    services.sponsorship_policy_set(
        by=hana, organization=northwind, unlisted="ask", funded={"Platform": ["Kubernetes"]}
    )
    return learning


def place(member, organization, *, department="", manager=None) -> None:
    """Put the member in a department, under a manager, in the organization."""
    Membership.objects.filter(user=member, organization=organization).update(
        department=department, manager=manager
    )


def as_member(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def took_place(booking: Booking, *, ended_ago: timedelta = timedelta(hours=1)) -> None:
    """The session happened: it ended `ended_ago`, as long as it was booked."""
    length = booking.ends_at - booking.starts_at
    ends_at = timezone.now() - ended_ago
    Booking.objects.filter(pk=booking.pk).update(starts_at=ends_at - length, ends_at=ends_at)


def told(user, kind: str) -> list[str]:
    """The texts of the user's notifications of one kind, oldest first."""
    return list(
        Notification.objects.filter(user=user, kind=kind)
        .order_by("pk")
        .values_list("text", flat=True)
    )


def status_of(booking: Booking) -> str:
    return Booking.objects.get(pk=booking.pk).status


def held_on(budget: Budget) -> int:
    return selectors.balance(budget).held


# --- The policy decides ---------------------------------------------------------------------


def test_a_subject_funded_for_the_members_department_is_confirmed_with_the_reason(
    priya, leo, platform_policy, book
):
    """Given Northwind funds Kubernetes for the Platform team, when Leo (Platform) books
    Priya's Kubernetes hour on the Learning budget, then it is confirmed at once with the
    reason naming Northwind, the subject and his team, 120.00 is held, and Priya is told
    plainly that she is booked (no approval pending)."""
    booking = book(leo, priya, slot_between(priya, 72), budget=platform_policy)

    assert booking.status == BookingStatus.CONFIRMED
    assert booking.decision_reason == "Northwind funds Kubernetes for the Platform team."
    assert booking.approver is None
    assert ledger_rows() == [("leo", "hold", 12_000)]
    [to_priya] = told(priya, "booking")
    assert to_priya.startswith("Leo Park booked you for Kubernetes")
    assert "approval" not in to_priya


def test_a_subject_funded_for_everyone_is_confirmed_whatever_the_department(
    priya, hana, leo, mia, northwind, learning, book
):
    """Given Northwind funds Kubernetes for everyone (department ""), when Mia (no
    department) and Leo (Platform) each book a Kubernetes hour, then both are confirmed;
    Mia's reason says it is funded for everyone."""
    place(leo, northwind, department="Platform")
    services.sponsorship_policy_set(
        by=hana, organization=northwind, unlisted="decline", funded={"": ["Kubernetes"]}
    )

    for_mia = book(mia, priya, slot_between(priya, 72), budget=learning)
    for_leo = book(leo, priya, slot_between(priya, 72), budget=learning)

    assert (for_mia.status, for_leo.status) == (BookingStatus.CONFIRMED,) * 2
    assert for_mia.decision_reason == "Northwind funds Kubernetes for everyone."
    assert held_on(learning) == 24_000


def test_a_subject_funded_only_for_another_team_is_declined_under_a_decline_policy(
    priya, hana, leo, mia, northwind, learning, book
):
    """Given Northwind funds Kubernetes for Platform only and declines anything unlisted,
    when Mia (Sales) books a Kubernetes hour on the budget, then she is refused (409
    not_funded) with a reason naming her team and the subject, and nothing is written."""
    place(leo, northwind, department="Platform")
    place(mia, northwind, department="Sales")
    services.sponsorship_policy_set(
        by=hana, organization=northwind, unlisted="decline", funded={"Platform": ["Kubernetes"]}
    )

    with pytest.raises(Conflict) as refused:
        book(mia, priya, slot_between(priya, 72), budget=learning)

    assert (refused.value.status, refused.value.code) == (409, "not_funded")
    assert refused.value.detail == (
        "Northwind funds only the subjects it lists for the Sales team, and Kubernetes is not "
        "one of them."
    )
    assert written() == (0, 0)
    assert told(priya, "booking") == []


def test_an_unlisted_subject_waits_for_the_members_manager(
    priya, hana, leo, mia, northwind, platform_policy, book
):
    """Given Mia is Leo's manager in Northwind and the policy asks about unlisted subjects,
    when Leo books Priya for incident reviews (not on Platform's list), then the booking
    waits for approval with Mia as approver, the reason says his manager @mia decides, the
    120.00 is held, Mia (not Hana) is asked, and Priya hears it waits for the employer."""
    place(leo, northwind, department="Platform", manager=mia)

    booking = book(
        leo, priya, slot_between(priya, 72), subject="Incident reviews", budget=platform_policy
    )

    assert booking.status == BookingStatus.AWAITING_APPROVAL
    assert booking.approver == mia
    assert booking.decision_reason == (
        "Incident reviews is not on Northwind's list for the Platform team; your manager "
        "@mia decides."
    )
    assert ledger_rows() == [("leo", "hold", 12_000)]
    assert told(mia, "approval") == [
        "Leo Park asks Northwind to fund a session on Incident reviews (120.00 EUR)."
    ]
    assert told(hana, "approval") == []
    assert "waiting for their employer's approval" in told(priya, "booking")[0]
    assert list(selectors.approvals_for(mia)) == [booking]


@pytest.mark.parametrize("manager", ["none", "outside", "self"])
def test_without_a_manager_in_the_organization_its_admins_are_asked(
    priya, hana, leo, olga, acme, northwind, platform_policy, book, manager
):
    """Given Leo has no manager, or a manager outside Northwind (Olga of Acme), or himself
    as manager, when he books an unlisted subject, then it waits for an admin of Northwind:
    no approver, Hana is asked, Olga is told nothing."""
    place(
        leo,
        northwind,
        department="Platform",
        manager={"none": None, "outside": olga, "self": leo}[manager],
    )

    booking = book(
        leo, priya, slot_between(priya, 72), subject="Incident reviews", budget=platform_policy
    )

    assert booking.status == BookingStatus.AWAITING_APPROVAL
    assert booking.approver is None
    assert booking.decision_reason.endswith("an admin of Northwind decides.")
    assert len(told(hana, "approval")) == 1
    assert told(olga, "approval") == []
    assert list(selectors.approvals_for(hana)) == [booking]
    assert list(selectors.approvals_for(olga)) == []


def test_an_unlisted_subject_under_a_decline_policy_is_refused_and_nothing_written(
    priya, hana, leo, northwind, platform_policy, book
):
    """Given Northwind changes its policy to decline unlisted subjects, when Leo books
    incident reviews on the budget, then he is refused (409 not_funded) with the reason,
    and no booking, hold or notification is written."""
    services.sponsorship_policy_set(
        by=hana, organization=northwind, unlisted="decline", funded={"Platform": ["Kubernetes"]}
    )

    with pytest.raises(Conflict) as refused:
        book(
            leo, priya, slot_between(priya, 72), subject="Incident reviews", budget=platform_policy
        )

    assert (refused.value.status, refused.value.code) == (409, "not_funded")
    assert "Incident reviews is not one of them" in refused.value.detail
    assert written() == (0, 0)
    assert not Notification.objects.exists()


def test_a_members_hours_cap_refuses_a_session_beyond_it(priya, leo, northwind, make_budget, book):
    """Given a Northwind budget with plenty of money but at most one hour per member, when
    Leo books one Kubernetes hour and then a second, then the first is confirmed and the
    second is refused (409 over_budget) saying 0 minutes are left; nothing more is written."""
    hours = make_budget(northwind, total=100_000, per_member=100_000)
    Budget.objects.filter(pk=hours.pk).update(per_member_minutes=60)
    hours.refresh_from_db()
    book(leo, priya, slot_between(priya, 72), budget=hours)

    with pytest.raises(Conflict) as refused:
        book(leo, priya, slot_between(priya, 72), budget=hours)

    assert (refused.value.status, refused.value.code) == (409, "over_budget")
    assert "0 minutes left" in refused.value.detail
    assert written() == (1, 1)


def test_a_charged_cancellation_and_a_rebooking_of_the_same_hour_both_count_against_the_cap(
    priya, leo, northwind, make_budget, book
):
    """Given a Northwind budget capped at two hours a member, when Leo books an hour inside
    Priya's window, cancels it late (charged: an hour used), books the same hour again (two
    hours used), and then books a third hour, then the third is refused (409 over_budget)."""
    capped = make_budget(northwind, total=100_000, per_member=100_000)
    Budget.objects.filter(pk=capped.pk).update(per_member_minutes=120)
    capped.refresh_from_db()
    soon = slot_between(priya, 13, 46)
    first = book(leo, priya, soon, budget=capped)
    services.booking_cancel(booking_id=first.pk, by=leo)
    book(leo, priya, soon, budget=capped)

    with pytest.raises(Conflict) as refused:
        book(leo, priya, slot_between(priya, 72), budget=capped)

    assert refused.value.code == "over_budget"
    assert "0 minutes left" in refused.value.detail


# --- Coverage shown before confirming --------------------------------------------------------


def coverage_query(budget, slot, subject="Kubernetes") -> dict:
    return {"starts_at": slot.isoformat(), "subject": subject, "payer": str(budget.pk)}


@pytest.mark.parametrize(
    ("subject", "headline", "reason"),
    [
        (
            "Kubernetes",
            "Covered — approved automatically.",
            "Northwind funds Kubernetes for the Platform team.",
        ),
        (
            "Incident reviews",
            "Needs approval.",
            "Incident reviews is not on Northwind&#x27;s list for the Platform team; your "
            "manager @mia decides.",
        ),
    ],
)
def test_the_expert_page_shows_the_decision_before_confirming(
    priya, leo, mia, northwind, platform_policy, subject, headline, reason
):
    """Given Leo (Platform, managed by Mia) on Priya's page with the Learning budget chosen,
    when he picks a slot and a subject, then the page says whether it is covered and why,
    and what is held, before he confirms; nothing is booked yet."""
    place(leo, northwind, department="Platform", manager=mia)

    page = as_member(leo).get(
        "/experts/priya/", coverage_query(platform_policy, slot_between(priya, 72), subject)
    )

    assert page.status_code == 200
    html = page.content.decode()
    assert headline in html
    assert reason in html
    assert "120.00 EUR is held on Learning now and charged after the session." in html
    assert "Confirm booking" in html
    assert written() == (0, 0)


def test_the_htmx_request_gets_only_the_coverage_partial(
    priya, leo, hana, northwind, platform_policy
):
    """Given the policy declines unlisted subjects, when Leo's booking form changes to
    incident reviews (an HTMX GET), then only the coverage block comes back, saying it is
    not covered and why, and what his share has left; nothing is written."""
    services.sponsorship_policy_set(
        by=hana, organization=northwind, unlisted="decline", funded={"Platform": ["Kubernetes"]}
    )

    partial = as_member(leo).get(
        "/experts/priya/",
        coverage_query(platform_policy, slot_between(priya, 72), "Incident reviews"),
        headers={"HX-Request": "true"},
    )

    assert partial.status_code == 200
    html = partial.content.decode()
    assert html.lstrip().startswith('<div id="coverage"')
    assert "<html" not in html and "Confirm booking" not in html
    assert "Not covered." in html
    assert "Incident reviews is not one of them." in html
    assert "Your share has 200.00 EUR left." in html
    assert "is held on" not in html
    assert written() == (0, 0)


def test_the_expert_page_finds_no_budget_of_another_organization(
    priya, leo, acme, make_budget, learning
):
    """Given Acme's budget, when Leo (not in Acme) asks Priya's page what Acme's budget
    would cover (its id in the query, as HTMX would), then he is told there is no such
    budget of his, with nothing about Acme, and nothing is written."""
    theirs = make_budget(acme)

    partial = as_member(leo).get(
        "/experts/priya/",
        coverage_query(theirs, slot_between(priya, 72)),
        headers={"HX-Request": "true"},
    )

    html = partial.content.decode()
    assert f"No budget {theirs.pk} in your organizations." in html
    assert "Acme" not in html
    assert "Covered" not in html
    assert written() == (0, 0)


def test_confirming_a_declined_booking_on_the_page_shows_why_and_writes_nothing(
    priya, leo, hana, northwind, platform_policy
):
    """Given the policy declines unlisted subjects, when Leo confirms an incident-review
    hour on the budget from Priya's page, then the page comes back (400) with the reason,
    and nothing is booked or held."""
    services.sponsorship_policy_set(
        by=hana, organization=northwind, unlisted="decline", funded={"Platform": ["Kubernetes"]}
    )

    page = as_member(leo).post(
        "/experts/priya/",
        coverage_query(platform_policy, slot_between(priya, 72), "Incident reviews"),
    )

    assert page.status_code == 400
    assert "Incident reviews is not one of them." in page.content.decode()
    assert written() == (0, 0)


# --- Approvals ------------------------------------------------------------------------------


@pytest.fixture
def asked(priya, leo, mia, northwind, platform_policy, book):
    """Leo's incident-review hour with Priya, three days ahead, waiting for Mia, his manager."""
    place(leo, northwind, department="Platform", manager=mia)
    return book(
        leo, priya, slot_between(priya, 72), subject="Incident reviews", budget=platform_policy
    )


def test_the_manager_approves_and_the_member_is_told(asked, leo, mia, platform_policy):
    """Given Leo's request waiting for Mia, when Mia approves it, then it is confirmed, Mia
    is recorded as the decider, the 120.00 stays held, Leo is told, and nothing waits for
    Mia any more."""
    decided = services.booking_decide(booking_id=asked.pk, by=mia, approve=True)

    assert decided.status == status_of(asked) == BookingStatus.CONFIRMED
    assert decided.decided_by == mia
    assert held_on(platform_policy) == 12_000
    assert told(leo, "approval") == [
        "Mia Chen approved funding for your session on Incident reviews."
    ]
    assert list(selectors.approvals_for(mia)) == []


def test_the_expert_is_told_when_the_session_is_approved(asked, priya, mia):
    """Given Priya was told Leo's booking waits for his employer's approval, when Mia
    approves it, then Priya is told the session is on."""
    services.booking_decide(booking_id=asked.pk, by=mia, approve=True)

    assert len(told(priya, "booking")) == 2


def test_declining_needs_a_reason_and_then_releases_the_hold(
    asked, priya, leo, mia, platform_policy
):
    """Given Leo's request waiting for Mia, when Mia declines without a reason, then she is
    asked for one (400, field reason) and nothing changes; when she declines with one, then
    the booking is declined, the 120.00 goes back, Leo reads her reason, Priya hears the
    session is off, and the slot is free again."""
    with pytest.raises(DomainError) as refused:
        services.booking_decide(booking_id=asked.pk, by=mia, approve=False, reason="  ")

    assert (refused.value.status, refused.value.field) == (400, "reason")
    assert status_of(asked) == BookingStatus.AWAITING_APPROVAL
    assert held_on(platform_policy) == 12_000

    services.booking_decide(
        booking_id=asked.pk, by=mia, approve=False, reason="Not this quarter, try the guild."
    )

    assert status_of(asked) == BookingStatus.DECLINED
    assert ledger_rows() == [("leo", "hold", 12_000), ("leo", "release", 12_000)]
    assert held_on(platform_policy) == 0
    assert told(leo, "approval") == [
        "Mia Chen declined funding for your session on Incident reviews: "
        "Not this quarter, try the guild."
    ]
    assert told(priya, "booking")[-1].endswith("was not funded and is off.")
    assert asked.starts_at in selectors.expert_slots(priya, minutes=60)


def test_a_member_cannot_decide_their_own_request_even_as_org_admin(
    priya, hana, northwind, make_user, platform_policy, book
):
    """Given Hana and Ines are Northwind's admins and Hana booked an unlisted subject on its
    budget (no manager, so the admins decide), when Hana approves her own request, then she
    is refused (403) and it still waits for Ines, with the money held."""
    Membership.objects.create(user=make_user("ines"), organization=northwind, role=Role.ADMIN)
    booking = book(
        hana, priya, slot_between(priya, 72), subject="Incident reviews", budget=platform_policy
    )
    assert booking.status == BookingStatus.AWAITING_APPROVAL

    with pytest.raises(PermissionDenied) as refused:
        services.booking_decide(booking_id=booking.pk, by=hana, approve=True)

    assert refused.value.status == 403
    assert status_of(booking) == BookingStatus.AWAITING_APPROVAL
    assert held_on(platform_policy) == 12_000
    assert list(selectors.approvals_for(hana)) == []


def test_the_member_cannot_approve_a_request_waiting_for_their_manager(asked, leo):
    """Given Leo's request waiting for Mia, when Leo approves it himself, then he is
    refused (403) and it still waits."""
    with pytest.raises(PermissionDenied):
        services.booking_decide(booking_id=asked.pk, by=leo, approve=True)

    assert status_of(asked) == BookingStatus.AWAITING_APPROVAL


def test_someone_who_is_not_the_approver_finds_no_request(
    priya, leo, mia, sam, olga, acme, northwind, platform_policy, book
):
    """Given Leo's request waiting for Northwind's admins (no manager), when Mia (a plain
    member of Northwind), Olga (admin of Acme) or Sam (in no organization) decides it, then
    each is told there is no such request (404), it still waits, and none of them can open
    its page."""
    booking = book(
        leo, priya, slot_between(priya, 72), subject="Incident reviews", budget=platform_policy
    )

    for stranger in (mia, olga, sam):
        with pytest.raises(NotFound):
            services.booking_decide(booking_id=booking.pk, by=stranger, approve=True)
        assert as_member(stranger).get(f"/bookings/{booking.pk}/").status_code == 404

    assert status_of(booking) == BookingStatus.AWAITING_APPROVAL


def test_deciding_twice_is_a_conflict(asked, hana, mia, platform_policy):
    """Given Mia approved Leo's request, when she or Hana (an admin) decides it again, then
    they are told it was already decided (409) and it stays confirmed."""
    services.booking_decide(booking_id=asked.pk, by=mia, approve=True)

    for decider, approve in ((mia, True), (hana, False)):
        with pytest.raises(Conflict) as refused:
            services.booking_decide(
                booking_id=asked.pk, by=decider, approve=approve, reason="Changed my mind."
            )
        assert "already decided" in refused.value.detail

    assert status_of(asked) == BookingStatus.CONFIRMED
    assert held_on(platform_policy) == 12_000


def test_a_manager_who_left_the_organization_can_no_longer_decide(asked, mia, northwind):
    """Given Leo's request waiting for Mia, his manager, when Mia leaves Northwind, then the
    request is no longer in her approvals, she cannot open it, and approving it is 404
    (Northwind's budgets are invisible outside Northwind); it still waits."""
    Membership.objects.filter(user=mia, organization=northwind).delete()

    assert list(selectors.approvals_for(mia)) == []
    assert as_member(mia).get(f"/bookings/{asked.pk}/").status_code == 404
    with pytest.raises(NotFound):
        services.booking_decide(booking_id=asked.pk, by=mia, approve=True)
    assert status_of(asked) == BookingStatus.AWAITING_APPROVAL


def test_the_approvals_page_lists_requests_for_the_approver_only(asked, leo, mia, hana, olga, acme):
    """Given Leo's request waiting for Mia, when Mia opens Approvals, then she sees Leo's
    request with the policy's reason; Hana (Northwind's admin) sees it too; Leo and Olga
    (Acme) see nothing waiting."""
    for decider in (mia, hana):
        html = as_member(decider).get("/approvals/").content.decode()
        assert "Leo Park" in html and "your manager @mia decides" in html

    for outsider in (leo, olga):
        html = as_member(outsider).get("/approvals/").content.decode()
        assert "Nothing waiting for your decision." in html
        assert "your manager @mia decides" not in html


def test_an_approver_declines_from_the_page(asked, leo, mia, platform_policy):
    """Given Leo's request waiting for Mia, when she declines it on the booking page with a
    reason, then it is declined and the money released; declining without a reason leaves
    it waiting."""
    client = as_member(mia)
    url = f"/bookings/{asked.pk}/decide/"

    client.post(url, {"decision": "decline", "reason": ""})
    assert status_of(asked) == BookingStatus.AWAITING_APPROVAL

    client.post(url, {"decision": "decline", "reason": "Ask the SRE guild first."})
    assert status_of(asked) == BookingStatus.DECLINED
    assert held_on(platform_policy) == 0


# --- Reschedule ------------------------------------------------------------------------------


def test_either_side_moves_a_booking_to_another_free_slot(priya, leo, platform_policy, book):
    """Given Leo's confirmed sponsored hour with Priya four days ahead, when Leo moves it to
    her next free slot, then it is at the new time with the same price and the same single
    hold, Priya is told where it went, and the old slot is free again; when Priya moves it
    back, Leo is told."""
    first = slot_between(priya, 96)
    booking = book(leo, priya, first, budget=platform_policy)
    second = slot_between(priya, 96)

    moved = services.booking_reschedule(booking_id=booking.pk, by=leo, starts_at=second)

    assert (moved.starts_at, moved.ends_at) == (second, second + timedelta(hours=1))
    assert (moved.price_minor, moved.status) == (12_000, BookingStatus.CONFIRMED)
    assert ledger_rows() == [("leo", "hold", 12_000)]
    assert told(priya, "booking")[-1].startswith("Leo Park moved your session on Kubernetes to")
    slots = selectors.expert_slots(priya, minutes=60)
    assert first in slots and second not in slots

    services.booking_reschedule(booking_id=booking.pk, by=priya, starts_at=first)

    assert Booking.objects.get(pk=booking.pk).starts_at == first
    assert told(leo, "booking")[-1].startswith("Priya Raman moved your session on Kubernetes")


def test_inside_the_free_window_a_booking_can_no_longer_be_moved(priya, leo, platform_policy, book):
    """Given Leo's hour with Priya less than 48 hours ahead (inside her free window), when
    he moves it to a free slot later on, then he is told it is too late (409 too_late) and
    it stays where it was."""
    soon = slot_between(priya, 13, 46)
    booking = book(leo, priya, soon, budget=platform_policy)

    with pytest.raises(Conflict) as refused:
        services.booking_reschedule(
            booking_id=booking.pk, by=leo, starts_at=slot_between(priya, 96)
        )

    assert (refused.value.status, refused.value.code) == (409, "too_late")
    assert Booking.objects.get(pk=booking.pk).starts_at == soon


def test_moving_to_a_taken_or_unoffered_time_is_refused_and_nothing_changes(
    priya, leo, mia, platform_policy, book
):
    """Given Leo's hour with Priya and Mia's hour with her right after, when Leo moves his
    to Mia's time, then it is taken (409); to half past (not one of Priya's slots), then
    the refusal names starts_at (400); to a past time, likewise; his booking is unchanged."""
    mine = slot_between(priya, 96)
    booking = book(leo, priya, mine, budget=platform_policy)
    taken = slot_between(priya, 96)
    book(mia, priya, taken, budget=platform_policy)

    with pytest.raises(Conflict) as clash:
        services.booking_reschedule(booking_id=booking.pk, by=leo, starts_at=taken)
    assert clash.value.status == 409

    for bad in (mine + timedelta(hours=30, minutes=30), timezone.now() - timedelta(days=1)):
        with pytest.raises(DomainError) as refused:
            services.booking_reschedule(booking_id=booking.pk, by=leo, starts_at=bad)
        assert (refused.value.status, refused.value.field) == (400, "starts_at")

    kept = Booking.objects.get(pk=booking.pk)
    assert (kept.starts_at, kept.sequence) == (mine, 0)
    assert ledger_rows() == [("leo", "hold", 12_000), ("mia", "hold", 12_000)]


# --- After the session: settle, payouts ------------------------------------------------------


def test_a_confirmed_sponsored_session_is_charged_and_a_payout_recorded(
    priya, leo, northwind, platform_policy, book
):
    """Given Leo's sponsored hour with Priya took place, when it is settled, then the 120.00
    held becomes a charge, a payout of 120.00 EUR to Priya paid by Northwind is recorded
    with a reference, and both are asked for a review."""
    booking = book(leo, priya, slot_between(priya, 72), budget=platform_policy)
    took_place(booking)

    assert services.booking_settle(booking_id=booking.pk) is True

    assert ledger_rows() == [
        ("leo", "hold", 12_000),
        ("leo", "release", 12_000),
        ("leo", "charge", 12_000),
    ]
    payout = Payout.objects.get()
    assert (payout.booking_id, payout.expert, payout.amount_minor, payout.currency) == (
        booking.pk,
        priya,
        12_000,
        "EUR",
    )
    assert (payout.payer_organization, payout.payer_member) == (northwind, None)
    assert payout.status == "recorded"
    assert payout.reference == f"MM-{payout.created_at:%Y%m}-{payout.pk:06d}"
    assert told(leo, "review")[0].startswith("How was your session with Priya Raman")
    assert told(priya, "review")[0].startswith("How was your session with Leo Park")


def test_a_self_paid_session_records_a_payout_from_the_member(priya, leo, book):
    """Given Leo paid Priya's hour himself and it took place, when it is settled, then a
    payout to Priya paid by Leo is recorded and no budget is touched."""
    booking = book(leo, priya, slot_between(priya, 72))
    took_place(booking)

    services.booking_settle(booking_id=booking.pk)

    payout = Payout.objects.get()
    assert (payout.payer_member, payout.payer_organization) == (leo, None)
    assert payout.amount_minor == 12_000
    assert ledger_rows() == []


def test_a_request_nobody_decided_lapses_and_its_hold_is_released(asked, platform_policy):
    """Given Leo's request that nobody decided before the session, when it is settled, then
    it is declined as undecided, the 120.00 goes back, and no payout is recorded."""
    took_place(asked)

    assert services.booking_settle(booking_id=asked.pk) is True

    lapsed = Booking.objects.get(pk=asked.pk)
    assert lapsed.status == BookingStatus.DECLINED
    assert lapsed.decision_reason == "No decision before the session."
    assert held_on(platform_policy) == 0
    assert selectors.balance(platform_policy).spent == 0
    assert not Payout.objects.exists()


def test_settling_again_or_before_the_end_changes_nothing(priya, leo, platform_policy, book):
    """Given Leo's sponsored hour, when it is settled before it ends, then nothing happens
    (False); once it took place and was settled, settling it again returns False with one
    charge and one payout."""
    booking = book(leo, priya, slot_between(priya, 72), budget=platform_policy)
    assert services.booking_settle(booking_id=booking.pk) is False
    assert ledger_rows() == [("leo", "hold", 12_000)]

    took_place(booking)
    assert services.booking_settle(booking_id=booking.pk) is True
    assert services.booking_settle(booking_id=booking.pk) is False

    assert len(ledger_rows()) == 3
    assert Payout.objects.count() == 1
    assert selectors.balance(platform_policy).spent == 12_000


@pytest.mark.parametrize("sponsored", [True, False], ids=["sponsored", "self-paid"])
def test_a_late_cancellation_by_the_member_pays_the_expert(
    priya, leo, northwind, platform_policy, book, sponsored
):
    """Given Leo's hour with Priya inside her 48-hour window, sponsored or self-paid, when
    Leo cancels, then Priya's payout of 120.00 is recorded with the right payer (Northwind
    or Leo) and the budget, if any, is charged; settling later adds nothing."""
    budget = platform_policy if sponsored else None
    booking = book(leo, priya, slot_between(priya, 13, 46), budget=budget)

    services.booking_cancel(booking_id=booking.pk, by=leo)

    payout = Payout.objects.get()
    assert payout.amount_minor == 12_000
    if sponsored:
        assert (payout.payer_organization, payout.payer_member) == (northwind, None)
        assert selectors.balance(platform_policy).spent == 12_000
    else:
        assert (payout.payer_organization, payout.payer_member) == (None, leo)
    took_place(booking)
    assert services.booking_settle(booking_id=booking.pk) is False
    assert Payout.objects.count() == 1


def test_an_early_or_expert_cancellation_records_no_payout(priya, leo, platform_policy, book):
    """Given Leo's sponsored hour four days ahead, which he cancels, and then one inside the
    window, which Priya cancels, then no payout is recorded and
    nothing is spent."""
    early = book(leo, priya, slot_between(priya, 96), budget=platform_policy)
    services.booking_cancel(booking_id=early.pk, by=leo)
    late = book(leo, priya, slot_between(priya, 13, 46), budget=platform_policy)
    services.booking_cancel(booking_id=late.pk, by=priya)

    assert not Payout.objects.exists()
    assert selectors.balance(platform_policy).spent == 0


# --- Reviews ---------------------------------------------------------------------------------

LEO_SAYS = "Priya's timeline template turned our blame-fest into a real review."
PRIYA_SAYS = "Leo came with a clear incident doc; we got through it all."


def test_a_session_is_reviewed_after_it_ends_and_once(priya, leo, book):
    """Given Leo's confirmed hour with Priya, when he reviews it before it ends, then he is
    told to wait (409); once it took place his review is taken, and a second one is
    refused (409) while the first stands."""
    booking = book(leo, priya, slot_between(priya, 72))

    with pytest.raises(Conflict) as early:
        services.booking_review(booking_id=booking.pk, by=leo, rating=5, text=LEO_SAYS)
    assert "once the session is over" in early.value.detail

    took_place(booking)
    services.booking_review(booking_id=booking.pk, by=leo, rating=5, text=LEO_SAYS)
    with pytest.raises(Conflict) as again:
        services.booking_review(booking_id=booking.pk, by=leo, rating=1, text="Changed my mind")
    assert "already reviewed" in again.value.detail

    assert list(BookingReview.objects.values_list("rating", "text")) == [(5, LEO_SAYS)]


@pytest.mark.parametrize("rating", [0, 6])
def test_a_rating_outside_one_to_five_is_refused(priya, leo, book, rating):
    """Given Leo's session took place, when he rates it 0 or 6, then the refusal names the
    rating (400) and no review is written."""
    booking = book(leo, priya, slot_between(priya, 72))
    took_place(booking)

    with pytest.raises(DomainError) as refused:
        services.booking_review(booking_id=booking.pk, by=leo, rating=rating)

    assert refused.value.field == "rating"
    assert not BookingReview.objects.exists()


def test_a_cancelled_session_cannot_be_reviewed(priya, leo, book):
    """Given Leo cancelled his hour with Priya, once its time has passed, when he reviews
    it, then he is told only a session that took place can be reviewed (409)."""
    booking = book(leo, priya, slot_between(priya, 72))
    services.booking_cancel(booking_id=booking.pk, by=leo)
    took_place(booking)

    with pytest.raises(Conflict):
        services.booking_review(booking_id=booking.pk, by=leo, rating=4)


def test_their_review_stays_hidden_on_the_page_until_both_answered(priya, leo, book):
    """Given Leo reviewed his session with Priya, when Priya opens the booking page, then
    she sees that he answered but not his words; once she sends hers, each reads the
    other's."""
    booking = book(leo, priya, slot_between(priya, 72))
    took_place(booking)
    services.booking_review(booking_id=booking.pk, by=leo, rating=5, text=LEO_SAYS)
    url = f"/bookings/{booking.pk}/"

    before = as_member(priya).get(url).content.decode()
    assert "They have answered." in before
    assert "timeline template" not in before

    services.booking_review(booking_id=booking.pk, by=priya, rating=4, text=PRIYA_SAYS)

    assert "timeline template" in as_member(priya).get(url).content.decode()
    assert "clear incident doc" in as_member(leo).get(url).content.decode()


def test_their_review_shows_a_week_after_the_session_without_mine(priya, leo, book):
    """Given Leo reviewed a session that ended eight days ago and Priya never did, when
    she opens the booking page, then she reads his review."""
    booking = book(leo, priya, slot_between(priya, 72))
    took_place(booking, ended_ago=timedelta(days=8))
    services.booking_review(booking_id=booking.pk, by=leo, rating=5, text=LEO_SAYS)

    html = as_member(priya).get(f"/bookings/{booking.pk}/").content.decode()

    assert "timeline template" in html


# --- An organization's sponsorship page ------------------------------------------------------


def test_the_sponsorship_page_shows_spend_by_department_and_subject(
    priya, hana, leo, mia, platform_policy, book
):
    """Given Leo (Platform) and Mia (no department) each had a sponsored Kubernetes hour
    that was settled, when Hana opens Northwind's sponsorship page, then she sees 240.00
    spent of 300.00, 120.00 for Platform and 120.00 for no department, 240.00 on
    Kubernetes, and both sessions."""
    services.sponsorship_policy_set(
        by=hana,
        organization=platform_policy.organization,
        unlisted="ask",
        funded={"": ["Kubernetes"]},
    )
    for member in (leo, mia):
        booking = book(member, priya, slot_between(priya, 72), budget=platform_policy)
        took_place(booking)
        services.booking_settle(booking_id=booking.pk)

    page = as_member(hana).get("/orgs/northwind/sponsorship/")

    assert page.status_code == 200
    html = page.content.decode()
    assert 'aria-label="240.00 EUR spent, 0.00 EUR held, 60.00 EUR left of 300.00 EUR"' in html
    assert 'aria-label="Platform: 120.00 EUR"' in html
    assert 'aria-label="No department: 120.00 EUR"' in html
    assert 'aria-label="Kubernetes: 240.00 EUR"' in html
    assert html.count("Priya Raman") == 2


def test_the_sponsorship_page_is_for_the_organizations_admins_only(
    hana, leo, olga, sam, acme, platform_policy
):
    """Given Northwind's sponsorship page, when Olga (Acme's admin) or Sam (no organization)
    opens it, then it is not found (404); when Leo (a plain member) opens it, then it is
    forbidden (403); Hana gets it."""
    url = "/orgs/northwind/sponsorship/"

    assert as_member(olga).get(url).status_code == 404
    assert as_member(sam).get(url).status_code == 404
    assert as_member(leo).get(url).status_code == 403
    assert as_member(hana).get(url).status_code == 200
    assert as_member(olga).get("/orgs/acme/sponsorship/").status_code == 200


def test_a_policy_saved_on_the_page_decides_the_next_booking(
    priya, hana, leo, northwind, learning, book
):
    """Given Leo on the Platform team, when Hana saves "Platform: Kubernetes" and declines
    the rest on the sponsorship page, then Leo's Kubernetes hour is confirmed and his
    incident review is refused; a line naming a department nobody is in is refused (400)
    and the policy stays as saved."""
    place(leo, northwind, department="Platform")
    client = as_member(hana)
    url = "/orgs/northwind/sponsorship/"

    saved = client.post(
        url, {"form": "policy", "unlisted": "decline", "funded": "Platform: Kubernetes"}
    )
    assert saved.status_code == 302

    assert book(leo, priya, slot_between(priya, 72), budget=learning).status == "confirmed"
    with pytest.raises(Conflict):
        book(leo, priya, slot_between(priya, 72), subject="Incident reviews", budget=learning)

    refused = client.post(url, {"form": "policy", "unlisted": "ask", "funded": "Legal: Rust"})
    assert refused.status_code == 400
    assert "no one at Northwind is in a department" in refused.content.decode()
    assert SponsorshipPolicy.objects.get().unlisted == "decline"
    assert list(FundedSubject.objects.values_list("department", "skill__name")) == [
        ("Platform", "Kubernetes")
    ]


# --- Bad policy and budget input -------------------------------------------------------------


def policy_rows() -> list[tuple]:
    return sorted(
        FundedSubject.objects.values_list("organization__slug", "department", "skill__name")
    )


@pytest.mark.parametrize(
    ("funded", "says"),
    [
        ({"Legal": ["Kubernetes"]}, "no one at Northwind is in a department “Legal”"),
        ({"Platform": ["Kubernetes", "Basket weaving"]}, "no skill called “Basket weaving”"),
    ],
    ids=["unknown department", "unknown skill"],
)
def test_a_bad_policy_is_refused_naming_the_field_and_nothing_changes(
    hana, platform_policy, funded, says
):
    """Given Northwind funds Kubernetes for Platform and asks about the rest, when Hana
    replaces the policy with a department nobody is in or a skill that does not exist,
    then the refusal names the field "funded" (400) and the old policy stands."""
    organization = platform_policy.organization

    with pytest.raises(DomainError) as refused:
        services.sponsorship_policy_set(
            by=hana, organization=organization, unlisted="decline", funded=funded
        )

    assert (refused.value.status, refused.value.field) == (400, "funded")
    assert says in refused.value.detail
    assert SponsorshipPolicy.objects.get().unlisted == "ask"
    assert policy_rows() == [("northwind", "Platform", "Kubernetes")]


def test_only_an_admin_sets_the_policy_or_adds_a_budget(leo, olga, acme, platform_policy):
    """Given Northwind's policy, when Leo (a plain member) or Olga (Acme's admin) replaces
    it or adds a budget, then each is refused (403) and nothing changes."""
    organization = platform_policy.organization
    today = timezone.now().date()

    for outsider in (leo, olga):
        with pytest.raises(PermissionDenied):
            services.sponsorship_policy_set(
                by=outsider, organization=organization, unlisted="decline", funded={}
            )
        with pytest.raises(PermissionDenied):
            services.budget_create(
                by=outsider,
                organization=organization,
                name="Conferences",
                currency="EUR",
                total_minor=10_000,
                per_member_minor=5_000,
                starts_on=today,
                ends_on=today + timedelta(days=30),
            )

    assert policy_rows() == [("northwind", "Platform", "Kubernetes")]
    assert Budget.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"per_member_minor": 30_001}, "per_member_minor"),
        ({"total_minor": 0}, "total_minor"),
        ({"currency": "E1"}, "currency"),
        ({"name": "  "}, "name"),
        ({"name": "learning"}, "name"),
        ({"per_member_minutes": 0}, "per_member_minutes"),
        ({"ends_on_days": -1}, "ends_on"),
    ],
)
def test_a_bad_budget_is_refused_naming_the_field_and_nothing_written(
    hana, learning, changes, field
):
    """Given Northwind's Learning budget, when Hana adds a budget whose member share exceeds
    its total, with no money, a bad currency, no name or Learning's name again, a zero-hour
    cap, or an end before its start, then the refusal names the field (400) and no budget
    is added."""
    today = timezone.now().date()
    changes = dict(changes)
    ends_on = today + timedelta(days=changes.pop("ends_on_days", 30))
    data = {
        "name": "Conferences",
        "currency": "EUR",
        "total_minor": 30_000,
        "per_member_minor": 10_000,
        "starts_on": today,
        "ends_on": ends_on,
    } | changes

    with pytest.raises(DomainError) as refused:
        services.budget_create(by=hana, organization=learning.organization, **data)

    assert (refused.value.status, refused.value.field) == (400, field)
    assert list(Budget.objects.values_list("name", flat=True)) == ["Learning"]


def test_a_request_nobody_else_may_decide_is_refused_at_once(priya, hana, platform_policy, book):
    """Given Hana is Northwind's only admin and has no manager, when she books an unlisted
    subject on its budget, then she is told at once that nobody else can approve it (409
    not_funded) instead of waiting for a decision that cannot come, and nothing is written."""
    with pytest.raises(Conflict) as refused:
        book(
            hana, priya, slot_between(priya, 72), subject="Incident reviews", budget=platform_policy
        )

    assert refused.value.code == "not_funded"
    assert "nobody else at Northwind can approve it" in refused.value.detail
    assert not Booking.objects.exists()
    assert held_on(platform_policy) == 0


def test_the_paid_expert_never_decides_on_their_own_fee(
    make_expert, hana, leo, northwind, platform_policy, book
):
    """Given Kai is both Leo's manager at Northwind and the expert Leo books for an unlisted
    subject, when the booking waits, then it waits for Northwind's admins (not Kai), and Kai
    approving it is refused (403)."""
    kai = make_expert("kai", offers=("Kubernetes", "Incident reviews"))
    Membership.objects.create(user=kai, organization=northwind)
    place(leo, northwind, department="Platform", manager=kai)

    booking = book(
        leo, kai, slot_between(kai, 72), subject="Incident reviews", budget=platform_policy
    )

    assert booking.status == BookingStatus.AWAITING_APPROVAL
    assert booking.approver is None
    assert list(selectors.approvals_for(kai)) == []
    with pytest.raises(PermissionDenied):
        services.booking_decide(booking_id=booking.pk, by=kai, approve=True)
    assert status_of(booking) == BookingStatus.AWAITING_APPROVAL
