"""Sponsored bookings through the JSON API: the policy's decision before and at booking,
approvals, an organization's policy and budgets (invisible to every other organization),
moving a booking, reviews and payouts.

Northwind (Hana its admin; Leo, on the Platform team, and Mia its members) has a Learning
budget of 300.00 EUR, at most 200.00 EUR a member; it funds Kubernetes for Platform and asks
about anything else. Priya charges 120.00 EUR for an hour of Kubernetes or incident reviews,
free to cancel or move until 48 hours before. Acme (Olga its admin) has its own budget. Sam
belongs to no organization. Errors are {"error": code, "detail": text}."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from expert_helpers import ledger_rows, slot_between, written

from mentormesh.experts import services
from mentormesh.experts.models import (
    Booking,
    BookingReview,
    BookingStatus,
    Budget,
    FundedSubject,
    SponsorshipPolicy,
)
from mentormesh.notifications.models import Notification
from mentormesh.people.models import Membership, Role

JSON = "application/json"


# --- Set-up -------------------------------------------------------------------------------


def call(user, method: str, path: str, payload=None, *, query=None):
    """A JSON API request as `user` (None: not logged in)."""
    client = Client()
    if user is not None:
        client.force_login(user)
    if payload is None:
        return getattr(client, method)(path, query or {})
    body = payload if isinstance(payload, str) else json.dumps(payload)
    return getattr(client, method)(path, body, content_type=JSON)


def place(member, organization, *, department="", manager=None) -> None:
    Membership.objects.filter(user=member, organization=organization).update(
        department=department, manager=manager
    )


def took_place(booking_id: int, *, ended_ago: timedelta = timedelta(hours=1)) -> None:
    """The session happened: it ended `ended_ago`, as long as it was booked."""
    booking = Booking.objects.get(pk=booking_id)
    length = booking.ends_at - booking.starts_at
    ends_at = timezone.now() - ended_ago
    Booking.objects.filter(pk=booking_id).update(starts_at=ends_at - length, ends_at=ends_at)


def booking_payload(slot, budget=None, subject="Kubernetes", expert="priya") -> dict:
    payload = {"expert": expert, "subject": subject, "starts_at": slot.isoformat()}
    return payload | ({"budget": budget.pk} if budget else {})


def coverage_query(slot, budget, subject="Kubernetes", expert="priya") -> dict:
    return {
        "expert": expert,
        "subject": subject,
        "starts_at": slot.isoformat(),
        "budget": budget.pk,
    }


def status_of(booking_id: int) -> str:
    return Booking.objects.get(pk=booking_id).status


def snapshot() -> tuple:
    """Everything sponsorship writes: bookings, ledger, policy, funded subjects, budgets."""
    return (
        list(Booking.objects.values_list("pk", "status", "starts_at")),
        ledger_rows(),
        list(SponsorshipPolicy.objects.values_list("organization__slug", "unlisted")),
        sorted(
            FundedSubject.objects.values_list("organization__slug", "department", "skill__name")
        ),
        list(Budget.objects.order_by("pk").values_list("organization__slug", "name")),
    )


@pytest.fixture
def learning(make_budget, northwind, hana, leo):
    """Northwind's Learning budget; Leo on Platform, which is funded for Kubernetes."""
    budget = make_budget(northwind, funded=())
    place(leo, northwind, department="Platform")
    services.sponsorship_policy_set(
        by=hana, organization=northwind, unlisted="ask", funded={"Platform": ["Kubernetes"]}
    )
    return budget


@pytest.fixture
def acme_budget(make_budget, acme):
    """Acme's own budget (in the same currency, with the same subjects funded)."""
    return make_budget(acme)


def decline_unlisted(hana, northwind) -> None:
    services.sponsorship_policy_set(
        by=hana, organization=northwind, unlisted="decline", funded={"Platform": ["Kubernetes"]}
    )


# --- The policy decides, before and at booking ----------------------------------------------


def test_booking_a_funded_subject_is_confirmed_with_the_policys_reason(priya, leo, learning):
    """Given Northwind funds Kubernetes for Platform, when Leo POSTs a Kubernetes hour with
    Priya on the Learning budget, then it is 201 confirmed, paid by Northwind's budget, with
    the reason, and the price is held."""
    response = call(
        leo, "post", "/api/bookings", booking_payload(slot_between(priya, 72), learning)
    )

    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "confirmed"
    assert (body["budget"], body["organization"]) == (learning.pk, "northwind")
    assert body["decision_reason"] == "Northwind funds Kubernetes for the Platform team."
    assert (body["price_minor"], body["currency"], body["decided_by"]) == (12_000, "EUR", None)
    assert ledger_rows() == [("leo", "hold", 12_000)]


def test_booking_an_unlisted_subject_under_decline_is_409_not_funded(
    priya, hana, leo, northwind, learning
):
    """Given Northwind declines subjects it does not list, when Leo POSTs incident reviews
    on its budget, then it is 409 not_funded with the reason, and nothing is written."""
    decline_unlisted(hana, northwind)

    response = call(
        leo,
        "post",
        "/api/bookings",
        booking_payload(slot_between(priya, 72), learning, "Incident reviews"),
    )

    assert response.status_code == 409
    assert response.json() == {
        "error": "not_funded",
        "detail": "Northwind funds only the subjects it lists for the Platform team, and "
        "Incident reviews is not one of them.",
    }
    assert written() == (0, 0)


def test_an_unlisted_subject_waits_and_shows_only_to_those_who_decide(
    priya, hana, leo, mia, olga, acme, northwind, learning
):
    """Given Mia is Leo's manager, when Leo POSTs incident reviews on the budget, then it is
    201 awaiting approval; it is listed in GET /api/approvals for Mia and for Hana (admin),
    not for Leo himself nor for Olga of Acme."""
    place(leo, northwind, department="Platform", manager=mia)

    response = call(
        leo,
        "post",
        "/api/bookings",
        booking_payload(slot_between(priya, 72), learning, "Incident reviews"),
    )

    assert response.status_code == 201
    booking = response.json()
    assert booking["status"] == "awaiting"
    assert booking["decision_reason"].endswith("your manager @mia decides.")
    for decider in (mia, hana):
        assert [b["id"] for b in call(decider, "get", "/api/approvals").json()] == [booking["id"]]
    for outsider in (leo, olga):
        assert call(outsider, "get", "/api/approvals").json() == []


@pytest.mark.parametrize(
    ("subject", "policy", "decision", "approver"),
    [
        ("Kubernetes", "ask", "approve", None),
        ("Incident reviews", "ask", "ask", "mia"),
        ("Incident reviews", "decline", "decline", None),
    ],
)
def test_coverage_says_before_booking_what_booking_then_does(
    priya, hana, leo, mia, northwind, learning, subject, policy, decision, approver
):
    """Given Leo (Platform, managed by Mia), when he asks GET /api/bookings/coverage about a
    slot and subject on the Learning budget, then he reads the decision, its reason, the
    price, his share left and who decides, and nothing is written; booking it then does
    exactly that (confirmed, awaiting, or 409 with the same reason)."""
    place(leo, northwind, department="Platform", manager=mia)
    if policy == "decline":
        decline_unlisted(hana, northwind)
    slot = slot_between(priya, 72)

    response = call(
        leo, "get", "/api/bookings/coverage", query=coverage_query(slot, learning, subject)
    )

    assert response.status_code == 200
    said = response.json()
    assert said["decision"] == decision
    assert said["approver"] == approver
    assert (said["budget"], said["price_minor"], said["currency"]) == (learning.pk, 12_000, "EUR")
    assert (said["member_left_minor"], said["minutes_left"]) == (20_000, None)
    assert written() == (0, 0)

    booked = call(leo, "post", "/api/bookings", booking_payload(slot, learning, subject))
    if decision == "decline":
        assert booked.status_code == 409
        assert booked.json()["detail"] == said["reason"]
    else:
        assert booked.status_code == 201
        assert booked.json()["decision_reason"] == said["reason"]
        assert booked.json()["status"] == {"approve": "confirmed", "ask": "awaiting"}[decision]


def test_an_hours_cap_set_through_the_api_limits_each_member(priya, hana, leo, mia, learning):
    """Given Hana adds a budget of one hour per member (money aplenty) and funds Kubernetes
    for everyone, when Leo books one hour on it, then coverage of a second says decline
    with 0 minutes left, /api/me/budgets shows 0 minutes left, and booking it is 409
    over_budget; Mia still has her hour."""
    today = timezone.now().date()
    created = call(
        hana,
        "post",
        "/api/orgs/northwind/budgets",
        {
            "name": "Hours",
            "currency": "EUR",
            "total_minor": 100_000,
            "per_member_minor": 50_000,
            "per_member_minutes": 60,
            "starts_on": str(today),
            "ends_on": str(today + timedelta(days=30)),
        },
    )
    assert created.status_code == 201
    hours = Budget.objects.get(pk=created.json()["id"])
    call(hana, "put", "/api/orgs/northwind/sponsorship", {
        "unlisted": "ask", "funded": [{"department": "", "skills": ["Kubernetes"]}],
    })  # fmt: skip
    first = call(leo, "post", "/api/bookings", booking_payload(slot_between(priya, 72), hours))
    assert (first.status_code, first.json()["status"]) == (201, "confirmed")
    second = slot_between(priya, 72)

    said = call(leo, "get", "/api/bookings/coverage", query=coverage_query(second, hours)).json()
    assert (said["decision"], said["minutes_left"]) == ("decline", 0)
    assert "0 minutes left" in said["reason"]
    mine = {b["id"]: b for b in call(leo, "get", "/api/me/budgets").json()}
    assert mine[hours.pk]["minutes_left"] == 0

    refused = call(leo, "post", "/api/bookings", booking_payload(second, hours))
    assert (refused.status_code, refused.json()["error"]) == (409, "over_budget")
    assert Booking.objects.count() == 1
    assert call(mia, "post", "/api/bookings", booking_payload(second, hours)).status_code == 201


# --- Approvals ------------------------------------------------------------------------------


@pytest.fixture
def asked(priya, leo, mia, northwind, learning) -> int:
    """Leo's incident-review hour with Priya, three days ahead, waiting for Mia (manager)."""
    place(leo, northwind, department="Platform", manager=mia)
    response = call(
        leo,
        "post",
        "/api/bookings",
        booking_payload(slot_between(priya, 72), learning, "Incident reviews"),
    )
    assert response.status_code == 201
    return response.json()["id"]


def test_the_manager_approves_through_the_api(asked, leo, mia):
    """Given Leo's request waiting for Mia, when she POSTs approve, then it is 200 confirmed
    with Mia as the decider, Leo reads the same on his booking and is told, and it leaves
    her approvals."""
    response = call(mia, "post", f"/api/approvals/{asked}", {"approve": True})

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["decided_by"]) == ("confirmed", "mia")
    his = call(leo, "get", f"/api/bookings/{asked}").json()
    assert (his["status"], his["decided_by"]) == ("confirmed", "mia")
    assert Notification.objects.filter(user=leo, kind="approval").count() == 1
    assert call(mia, "get", "/api/approvals").json() == []


def test_declining_through_the_api_needs_a_reason_and_gives_the_money_back(
    asked, leo, mia, learning
):
    """Given Leo's request waiting for Mia (his share shows 80.00 left), when she declines
    without a reason, then 400 naming the reason and it still waits; with a reason, then 200
    declined with her reason, and Leo's share is back to 200.00."""
    share = {b["id"]: b for b in call(leo, "get", "/api/me/budgets").json()}[learning.pk]
    assert share["share_left_minor"] == 8_000

    bare = call(mia, "post", f"/api/approvals/{asked}", {"approve": False})
    assert bare.status_code == 400
    assert bare.json()["detail"].startswith("reason:")
    assert status_of(asked) == BookingStatus.AWAITING_APPROVAL

    declined = call(
        mia, "post", f"/api/approvals/{asked}", {"approve": False, "reason": "Not this quarter."}
    )
    assert declined.status_code == 200
    assert (declined.json()["status"], declined.json()["decision_reason"]) == (
        "declined",
        "Not this quarter.",
    )
    share = {b["id"]: b for b in call(leo, "get", "/api/me/budgets").json()}[learning.pk]
    assert share["share_left_minor"] == 20_000


def test_approving_ones_own_request_is_403_even_for_an_org_admin(
    priya, hana, leo, asked, learning, northwind, make_user
):
    """Given Leo's request (waiting for Mia) and Hana's own request on the budget (waiting
    for Northwind's admins: Hana and Ines), when each approves their own, then each is 403
    and both still wait with the money held."""
    Membership.objects.create(user=make_user("ines"), organization=northwind, role=Role.ADMIN)
    hanas = call(
        hana,
        "post",
        "/api/bookings",
        booking_payload(slot_between(priya, 72), learning, "Incident reviews"),
    ).json()["id"]

    for member, booking_id in ((leo, asked), (hana, hanas)):
        response = call(member, "post", f"/api/approvals/{booking_id}", {"approve": True})
        assert (response.status_code, response.json()["error"]) == (403, "forbidden")
        assert status_of(booking_id) == BookingStatus.AWAITING_APPROVAL

    assert ledger_rows() == [("leo", "hold", 12_000), ("hana", "hold", 12_000)]


def test_someone_who_may_not_decide_finds_no_request(
    priya, leo, mia, olga, sam, acme, northwind, learning
):
    """Given Leo's request waiting for Northwind's admins (he has no manager), when Mia (a
    plain member), Olga (Acme's admin) or Sam (no organization) approves it or GETs it,
    then each is 404, the same as for a request that does not exist, and it still waits."""
    booking_id = call(
        leo,
        "post",
        "/api/bookings",
        booking_payload(slot_between(priya, 72), learning, "Incident reviews"),
    ).json()["id"]

    for stranger in (mia, olga, sam):
        decided = call(stranger, "post", f"/api/approvals/{booking_id}", {"approve": True})
        assert (decided.status_code, decided.json()["error"]) == (404, "not_found")
        assert call(stranger, "get", f"/api/bookings/{booking_id}").status_code == 404
    missing = call(mia, "post", f"/api/approvals/{booking_id + 1000}", {"approve": True})
    assert missing.status_code == 404
    assert status_of(booking_id) == BookingStatus.AWAITING_APPROVAL


def test_deciding_twice_is_409(asked, hana, mia):
    """Given Mia approved Leo's request, when she approves again or Hana declines it, then
    each is 409 and it stays confirmed."""
    assert call(mia, "post", f"/api/approvals/{asked}", {"approve": True}).status_code == 200

    again = call(mia, "post", f"/api/approvals/{asked}", {"approve": True})
    other = call(hana, "post", f"/api/approvals/{asked}", {"approve": False, "reason": "No."})

    assert (again.status_code, other.status_code) == (409, 409)
    assert status_of(asked) == BookingStatus.CONFIRMED


@pytest.mark.parametrize(
    "payload",
    [{"approve": "yes"}, {"approve": 1}, {}, {"approve": False, "reason": 5}, {"ok": True}],
)
def test_a_decision_of_the_wrong_shape_is_422(asked, mia, payload):
    """Given Leo's request waiting for Mia, when she sends a decision whose approve is not a
    boolean, is missing, has a non-text reason, or has an unknown field, then 422 and it
    still waits."""
    response = call(mia, "post", f"/api/approvals/{asked}", payload)

    assert (response.status_code, response.json()["error"]) == (422, "invalid")
    assert status_of(asked) == BookingStatus.AWAITING_APPROVAL


# --- Another organization's budgets ---------------------------------------------------------


def test_another_organizations_budget_cannot_be_booked_or_asked_about(
    priya, leo, learning, acme_budget
):
    """Given Acme's budget, when Leo (not in Acme) books on it or asks coverage about it,
    then both are 404 saying nothing of Acme, and nothing is written."""
    slot = slot_between(priya, 72)

    booked = call(leo, "post", "/api/bookings", booking_payload(slot, acme_budget))
    asked = call(leo, "get", "/api/bookings/coverage", query=coverage_query(slot, acme_budget))

    for response in (booked, asked):
        assert (response.status_code, response.json()["error"]) == (404, "not_found")
        assert "Acme" not in response.json()["detail"]
    assert written() == (0, 0)


@pytest.mark.parametrize(
    ("method", "path", "payload"),
    [
        ("get", "/api/orgs/northwind/sponsorship", None),
        ("put", "/api/orgs/northwind/sponsorship", {"unlisted": "decline", "funded": []}),
        ("get", "/api/orgs/northwind/budgets", None),
        (
            "post",
            "/api/orgs/northwind/budgets",
            {
                "name": "Conferences",
                "currency": "EUR",
                "total_minor": 100_000,
                "per_member_minor": 100_000,
                "starts_on": "2020-01-01",
                "ends_on": "2099-12-31",
            },
        ),
    ],
    ids=["get policy", "put policy", "get budgets", "add budget"],
)
def test_an_organizations_sponsorship_is_404_outside_and_403_to_plain_members(
    hana, leo, olga, sam, acme, learning, method, path, payload
):
    """Given Northwind's policy and budget, when Olga (Acme's admin) or Sam (no
    organization) reads or changes them, then 404 (as for an organization that does not
    exist); when Leo (a plain member) does, then 403; nothing changes; Hana may."""
    before = snapshot()

    for outsider in (olga, sam):
        response = call(outsider, method, path, payload)
        assert (response.status_code, response.json()["error"]) == (404, "not_found")
        assert "Learning" not in response.content.decode()
    member = call(leo, method, path, payload)
    assert (member.status_code, member.json()["error"]) == (403, "forbidden")
    nowhere = call(hana, method, path.replace("northwind", "nowhere"), payload)
    assert nowhere.status_code == 404
    assert snapshot() == before

    assert call(hana, method, path, payload).status_code in (200, 201)


def test_my_budgets_lists_only_my_organizations_budgets(
    hana, leo, olga, sam, learning, acme_budget
):
    """Given Northwind's and Acme's budgets, when Leo, Hana, Olga and Sam list their
    budgets, then Northwind's people see only Northwind's (with their share, not the
    total), Olga only Acme's, and Sam none."""
    for member, expected in (
        (leo, [learning.pk]),
        (hana, [learning.pk]),
        (olga, [acme_budget.pk]),
        (sam, []),
    ):
        rows = call(member, "get", "/api/me/budgets").json()
        assert [row["id"] for row in rows] == expected
    [leos] = call(leo, "get", "/api/me/budgets").json()
    assert (leos["organization"], leos["share_minor"], leos["share_left_minor"]) == (
        "northwind",
        20_000,
        20_000,
    )
    assert "total_minor" not in leos


def test_the_budgets_endpoint_shows_spend_by_department_and_subject(priya, hana, leo, learning):
    """Given Leo's sponsored Kubernetes hour took place and was settled, when Hana GETs
    Northwind's budgets, then Learning shows 120.00 spent, nothing held and 180.00 left;
    120.00 went to Platform and to Kubernetes."""
    booking_id = call(
        leo, "post", "/api/bookings", booking_payload(slot_between(priya, 72), learning)
    ).json()["id"]
    took_place(booking_id)
    services.booking_settle(booking_id=booking_id)

    body = call(hana, "get", "/api/orgs/northwind/budgets").json()

    [line] = body["budgets"]
    assert (line["id"], line["spent_minor"], line["held_minor"], line["available_minor"]) == (
        learning.pk,
        12_000,
        0,
        18_000,
    )
    assert body["by_department"] == [
        {"label": "Platform", "currency": "EUR", "spent_minor": 12_000}
    ]
    assert body["by_subject"] == [{"label": "Kubernetes", "currency": "EUR", "spent_minor": 12_000}]


# --- The policy and budgets: writes and bad input -------------------------------------------


def test_an_admin_replaces_the_policy_and_reads_it_back(hana, mia, northwind, learning):
    """Given Mia is on the Sales team, when Hana PUTs a policy funding Kubernetes for
    Platform, Rust for Sales and incident reviews for everyone, declining the rest, then
    GET returns exactly that."""
    place(mia, northwind, department="Sales")
    policy = {
        "unlisted": "decline",
        "funded": [
            {"department": "", "skills": ["Incident reviews"]},
            {"department": "Platform", "skills": ["Kubernetes"]},
            {"department": "Sales", "skills": ["Rust"]},
        ],
    }

    put = call(hana, "put", "/api/orgs/northwind/sponsorship", policy)

    assert put.status_code == 200
    assert put.json() == policy
    assert call(hana, "get", "/api/orgs/northwind/sponsorship").json() == policy


@pytest.mark.parametrize(
    ("payload", "status", "says"),
    [
        (
            {"unlisted": "ask", "funded": [{"department": "Legal", "skills": ["Rust"]}]},
            400,
            "no one at Northwind is in a department “Legal”",
        ),
        (
            {"unlisted": "ask", "funded": [{"department": "", "skills": ["Basket weaving"]}]},
            400,
            "no skill called “Basket weaving”",
        ),
        ({"unlisted": "sometimes", "funded": []}, 422, "unlisted"),
        ({"unlisted": "ask", "funded": {"Platform": ["Rust"]}}, 422, "funded"),
        ({"unlisted": "ask", "funded": [{"department": 7, "skills": ["Rust"]}]}, 422, "department"),
        ({"unlisted": "ask", "funded": [{"department": "", "skills": "Rust"}]}, 422, "skills"),
        ({"unlisted": "ask", "funded": [], "budget": 10}, 422, "budget"),
        ("not json", 400, ""),
    ],
    ids=[
        "unknown department",
        "unknown skill",
        "unknown rule",
        "funded not a list",
        "department not text",
        "skills not a list",
        "unknown field",
        "not json",
    ],
)
def test_a_bad_policy_is_refused_and_nothing_changes(hana, learning, payload, status, says):
    """Given Northwind's policy (Kubernetes for Platform, ask about the rest), when Hana
    PUTs a department nobody is in, an unknown skill, an unknown rule, or values of the
    wrong JSON type, then 400 or 422 naming what is wrong, and the old policy stands."""
    before = snapshot()

    response = call(hana, "put", "/api/orgs/northwind/sponsorship", payload)

    assert response.status_code == status
    assert says in response.json()["detail"]
    assert snapshot() == before


def budget_payload(**changes) -> dict:
    today = timezone.now().date()
    return {
        "name": "Conferences",
        "currency": "eur",
        "total_minor": 50_000,
        "per_member_minor": 25_000,
        "starts_on": str(today),
        "ends_on": str(today + timedelta(days=90)),
    } | changes


def test_an_admin_adds_a_budget_members_then_see(hana, leo, learning):
    """Given Northwind's Learning budget, when Hana POSTs a Conferences budget, then it is
    201 with nothing held or spent and its currency in capitals, and Leo lists it with
    his 250.00 share."""
    response = call(hana, "post", "/api/orgs/northwind/budgets", budget_payload())

    assert response.status_code == 201
    body = response.json()
    assert (body["name"], body["currency"], body["available_minor"]) == (
        "Conferences",
        "EUR",
        50_000,
    )
    assert (body["held_minor"], body["spent_minor"], body["per_member_minutes"]) == (0, 0, None)
    shares = {b["name"]: b["share_minor"] for b in call(leo, "get", "/api/me/budgets").json()}
    assert shares == {"Conferences": 25_000, "Learning": 20_000}


@pytest.mark.parametrize(
    ("changes", "status", "says"),
    [
        ({"per_member_minor": 50_001}, 400, "per_member"),
        ({"currency": "E1R"}, 400, "currency"),
        ({"name": "Learning"}, 400, "already has a budget"),
        ({"ends_on": "2000-01-01"}, 400, "ends_on"),
        ({"total_minor": "50000"}, 422, "total_minor"),
        ({"total_minor": 500.5}, 422, "total_minor"),
        ({"total_minor": 0}, 422, "total_minor"),
        ({"per_member_minutes": "60"}, 422, "per_member_minutes"),
        ({"starts_on": "next monday"}, 422, "starts_on"),
        ({"currency": "EURO"}, 422, "currency"),
        ({"organization": "acme"}, 422, "organization"),
    ],
)
def test_a_bad_budget_is_refused_and_nothing_written(hana, learning, changes, status, says):
    """Given Northwind's Learning budget, when Hana POSTs a budget whose member share
    exceeds its total, a bad currency, Learning's name again, an end before its start, or
    values of the wrong JSON type or an unknown field, then 400 or 422 naming the field,
    and no budget is added."""
    response = call(hana, "post", "/api/orgs/northwind/budgets", budget_payload(**changes))

    assert response.status_code == status
    assert says in response.json()["detail"]
    assert list(Budget.objects.values_list("name", flat=True)) == ["Learning"]


# --- Moving a booking -----------------------------------------------------------------------


def test_a_booking_is_moved_to_another_free_slot(priya, leo, learning):
    """Given Leo's sponsored hour with Priya four days ahead, when he POSTs a reschedule to
    her next free slot, then 200 with the new time and the same price and status; the
    money held is unchanged and Priya is told."""
    booking = call(
        leo, "post", "/api/bookings", booking_payload(slot_between(priya, 96), learning)
    ).json()
    later = slot_between(priya, 96)

    response = call(
        leo, "post", f"/api/bookings/{booking['id']}/reschedule", {"starts_at": later.isoformat()}
    )

    assert response.status_code == 200
    moved = response.json()
    assert moved["starts_at"] == later.isoformat().replace("+00:00", "Z")
    assert (moved["price_minor"], moved["status"]) == (12_000, "confirmed")
    assert ledger_rows() == [("leo", "hold", 12_000)]
    assert Notification.objects.filter(user=priya, text__contains="moved your session").exists()


def test_moving_inside_the_free_window_is_409_too_late(priya, leo, learning):
    """Given Leo's hour with Priya inside her 48-hour window, when he reschedules it to a
    later free slot, then 409 too_late and it stays put."""
    soon = slot_between(priya, 13, 46)
    booking_id = call(leo, "post", "/api/bookings", booking_payload(soon, learning)).json()["id"]

    response = call(
        leo,
        "post",
        f"/api/bookings/{booking_id}/reschedule",
        {"starts_at": slot_between(priya, 96).isoformat()},
    )

    assert (response.status_code, response.json()["error"]) == (409, "too_late")
    assert Booking.objects.get(pk=booking_id).starts_at == soon


def test_moving_to_a_bad_time_is_refused_and_nothing_changes(priya, leo, mia, sam, learning):
    """Given Leo's hour with Priya and Mia's right after it, when Leo moves his to Mia's
    time (409), to half past (not a slot, 400), to yesterday (400) or to a time without a
    zone (422), or when Sam moves it (404), then his booking keeps its time."""
    mine = slot_between(priya, 96)
    booking_id = call(leo, "post", "/api/bookings", booking_payload(mine, learning)).json()["id"]
    taken = slot_between(priya, 96)
    assert call(mia, "post", "/api/bookings", booking_payload(taken, learning)).status_code == 201
    path = f"/api/bookings/{booking_id}/reschedule"

    for who, starts_at, status in (
        (leo, taken.isoformat(), 409),
        (leo, (mine + timedelta(hours=30, minutes=30)).isoformat(), 400),
        (leo, (timezone.now() - timedelta(days=1)).isoformat(), 400),
        (leo, taken.replace(tzinfo=None).isoformat(), 422),
        (sam, taken.isoformat(), 404),
    ):
        assert call(who, "post", path, {"starts_at": starts_at}).status_code == status

    assert Booking.objects.get(pk=booking_id).starts_at == mine
    assert Booking.objects.get(pk=booking_id).sequence == 0


# --- Payouts --------------------------------------------------------------------------------


def test_my_payouts_lists_only_the_sessions_i_gave(priya, ravi, leo, mia, learning):
    """Given Leo's sponsored hour with Priya and Mia's self-paid 45 minutes with Ravi both
    took place and were settled, when each lists their payouts, then Priya sees one of
    120.00 EUR paid by Northwind, Ravi one of 75.00 EUR paid by Mia, and Leo none."""
    sponsored = call(
        leo, "post", "/api/bookings", booking_payload(slot_between(priya, 72), learning)
    ).json()["id"]
    own = call(
        mia, "post", "/api/bookings", booking_payload(slot_between(ravi, 72), expert="ravi")
    ).json()["id"]
    for booking_id in (sponsored, own):
        took_place(booking_id)
        assert services.booking_settle(booking_id=booking_id)

    priyas = call(priya, "get", "/api/me/payouts").json()
    ravis = call(ravi, "get", "/api/me/payouts").json()

    assert [(p["booking"], p["amount_minor"], p["currency"], p["payer"]) for p in priyas] == [
        (sponsored, 12_000, "EUR", "northwind")
    ]
    assert [(p["booking"], p["amount_minor"], p["payer"]) for p in ravis] == [(own, 7_500, "mia")]
    assert priyas[0]["status"] == "recorded" and priyas[0]["reference"].startswith("MM-")
    assert call(leo, "get", "/api/me/payouts").json() == []


def test_a_late_cancellation_through_the_api_pays_the_expert(priya, leo, learning):
    """Given Leo's sponsored hour with Priya inside her window, when he cancels it through
    the API, then it is cancelled, the budget is charged 120.00, and Priya's payouts list
    it, paid by Northwind."""
    booking_id = call(
        leo, "post", "/api/bookings", booking_payload(slot_between(priya, 13, 46), learning)
    ).json()["id"]

    response = call(leo, "post", f"/api/bookings/{booking_id}/cancel")

    assert (response.status_code, response.json()["status"]) == (200, "cancelled")
    assert ledger_rows()[-1] == ("leo", "charge", 12_000)
    [payout] = call(priya, "get", "/api/me/payouts").json()
    assert (payout["booking"], payout["payer"]) == (booking_id, "northwind")


# --- Reviews --------------------------------------------------------------------------------

LEO_SAYS = "Priya's timeline template turned our blame-fest into a real review."
PRIYA_SAYS = "Leo came with a clear incident doc; we got through it all."


@pytest.fixture
def session(priya, leo) -> int:
    """Leo's self-paid hour with Priya, booked for three days ahead."""
    response = call(leo, "post", "/api/bookings", booking_payload(slot_between(priya, 72)))
    return response.json()["id"]


def review(user, booking_id, **payload):
    return call(user, "post", f"/api/bookings/{booking_id}/reviews", {"rating": 5} | payload)


def test_a_review_before_the_end_or_twice_is_409(session, leo):
    """Given Leo's hour with Priya, when he reviews it before it took place, then 409; after
    it, 201; a second review is 409 and the first stands."""
    assert review(leo, session, text=LEO_SAYS).status_code == 409

    took_place(session)
    assert review(leo, session, text=LEO_SAYS).status_code == 201
    again = review(leo, session, rating=1, text="Second thoughts")

    assert again.status_code == 409
    assert list(BookingReview.objects.values_list("rating", "text")) == [(5, LEO_SAYS)]


@pytest.mark.parametrize(
    "payload",
    [{"rating": 0}, {"rating": 6}, {"rating": "5"}, {"rating": 4.5}, {"text": "Great"}],
    ids=["zero", "six", "text", "fraction", "missing"],
)
def test_a_rating_that_is_not_one_to_five_is_422(session, leo, payload):
    """Given Leo's session took place, when he rates it 0, 6, "5", 4.5 or not at all, then
    422 and no review is written."""
    took_place(session)

    response = call(leo, "post", f"/api/bookings/{session}/reviews", payload)

    assert (response.status_code, response.json()["error"]) == (422, "invalid")
    assert "rating" in response.json()["detail"]
    assert not BookingReview.objects.exists()


def test_their_review_is_hidden_in_the_api_until_both_answered(session, priya, leo, mia):
    """Given Leo reviewed his session with Priya, when Priya GETs its reviews, then she sees
    that he answered but not his words; once she reviews too, each reads the other's. Mia,
    not in the session, gets 404."""
    took_place(session)
    review(leo, session, text=LEO_SAYS)
    path = f"/api/bookings/{session}/reviews"

    hidden = call(priya, "get", path)
    assert hidden.json() == {"mine": None, "theirs": None, "they_answered": True}
    assert "timeline template" not in hidden.content.decode()

    review(priya, session, rating=4, text=PRIYA_SAYS)

    assert call(priya, "get", path).json()["theirs"]["text"] == LEO_SAYS
    leos = call(leo, "get", path).json()
    assert (leos["mine"]["text"], leos["theirs"]["text"]) == (LEO_SAYS, PRIYA_SAYS)
    assert call(mia, "get", path).status_code == 404


def test_their_review_shows_a_week_after_the_session(session, priya, leo):
    """Given Leo reviewed a session that ended eight days ago, when Priya (who did not)
    GETs its reviews, then she reads his."""
    took_place(session, ended_ago=timedelta(days=8))
    review(leo, session, text=LEO_SAYS)

    body = call(priya, "get", f"/api/bookings/{session}/reviews").json()

    assert body["theirs"]["text"] == LEO_SAYS
    assert body["mine"] is None


# --- Experts and offers ---------------------------------------------------------------------


def test_experts_are_listed_cheapest_first_with_their_slots(priya, ravi, leo):
    """Given Priya (120.00 an hour, 60-minute slots) and Ravi (100.00 an hour, 45-minute
    slots), when Leo lists experts in Kubernetes, then Ravi (75.00 a session) comes before
    Priya (120.00); an unknown subject is 400; Priya's slots are the ones he can book."""
    listed = call(leo, "get", "/api/experts", query={"subject": "Kubernetes"}).json()

    assert [(e["handle"], e["price_minor"]) for e in listed] == [("ravi", 7_500), ("priya", 12_000)]
    unknown = call(leo, "get", "/api/experts", query={"subject": "Basket weaving"})
    assert (unknown.status_code, unknown.json()["error"]) == (400, "invalid")
    slots = call(leo, "get", "/api/experts/priya/slots").json()
    assert slot_between(priya, 72).isoformat().replace("+00:00", "Z") in slots


def test_a_paused_offer_cannot_be_booked(priya, leo):
    """Given Priya pauses her offer through PUT /api/me/expert-offer, when Leo opens her or
    books her, then both are 404 and nothing is written."""
    paused = call(
        priya,
        "put",
        "/api/me/expert-offer",
        {"subjects": ["Kubernetes"], "slot_minutes": 60, "active": False},
    )
    assert (paused.status_code, paused.json()["active"]) == (200, False)

    assert call(leo, "get", "/api/experts/priya").status_code == 404
    slot = slot_between(priya, 72)
    assert call(leo, "post", "/api/bookings", booking_payload(slot)).status_code == 404
    assert written() == (0, 0)


def test_the_booking_api_needs_a_login(priya, learning):
    """Given nobody is logged in, when someone books, asks coverage or lists approvals,
    then 401 and nothing is written."""
    slot = slot_between(priya, 72)

    assert call(None, "post", "/api/bookings", booking_payload(slot, learning)).status_code == 401
    assert call(None, "get", "/api/approvals").status_code == 401
    assert call(None, "get", "/api/me/budgets").status_code == 401
    assert written() == (0, 0)
