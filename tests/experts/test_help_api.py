"""The help-request API as a browser calls it: session login and the CSRF token on every
write. Asking returns where the request went and why; helpers read requests and their inbox
without ever learning who asked anonymously (until picked); offers, withdrawal, picking,
resolving and closing with their refusals; bad JSON on every write endpoint is refused with
the field named and nothing written.

Zoraida Quist belongs to Initech with Ana and Ben, who offer Kubernetes and have weekly
hours; Gus offers it too but shares nothing with her; Priya (experts conftest) is a paid
Kubernetes expert."""

import json
from datetime import time

import pytest
from django.conf import settings
from django.test import Client
from expert_helpers import open_hours

from mentormesh.connect.models import Relationship
from mentormesh.experts import hooks, services
from mentormesh.experts.models import HelpOffer, HelpRequest, HelpRoute
from mentormesh.notifications.models import Notification

JSON = "application/json"
TEXT = "Our Kubernetes pods get OOMKilled at startup; raising the memory limit did not help."


class Browser:
    """A member's logged-in browser calling the API with the CSRF token from its cookie, as
    the site's own pages do (tests/api/test_people_api.py shows writes without it fail)."""

    def __init__(self, user):
        self.client = Client(enforce_csrf_checks=True)
        self.client.force_login(user)
        self.client.get("/help/")  # a page with a form sets the CSRF cookie
        self.token = self.client.cookies[settings.CSRF_COOKIE_NAME].value

    def get(self, path):
        return self.client.get(path)

    def post(self, path, payload=None):
        body = json.dumps({} if payload is None else payload)
        return self.client.post(path, body, content_type=JSON, HTTP_X_CSRFTOKEN=self.token)

    def delete(self, path):
        return self.client.delete(path, HTTP_X_CSRFTOKEN=self.token)


@pytest.fixture
def zoraida(make_person):
    return make_person("zoraida", display_name="Zoraida Quist")


@pytest.fixture
def ana(make_person):
    user = make_person("ana", display_name="Ana Lima", offers=[("Kubernetes", 3)])
    open_hours(user, time(9), time(17))
    return user


@pytest.fixture
def ben(make_person):
    user = make_person("ben", display_name="Ben Okafor", offers=[("Kubernetes", 1)])
    open_hours(user, time(9), time(12))
    return user


@pytest.fixture
def gus(make_person):
    user = make_person("gus", display_name="Gus Ferreira", offers=[("Kubernetes", 3)])
    open_hours(user, time(9), time(17))
    return user


@pytest.fixture
def initech(make_org, zoraida, ana, ben):
    return make_org("initech", admin=zoraida, members=[ana, ben])


@pytest.fixture
def ask(initech, zoraida):
    """Zoraida's help request through the service (Kubernetes, this week, named)."""

    def ask(**changes):
        arguments = {"member": zoraida, "text": TEXT, "skills": ["Kubernetes"]}
        return services.help_request_create(**(arguments | changes))

    return ask


@pytest.fixture
def browser(db):
    return Browser


def offer(request, helper, kind="reply", message="I ran into exactly this last month."):
    return services.help_offer_create(request_id=request.pk, by=helper, kind=kind, message=message)


def shows_zoraida(response) -> bool:
    text = response.content.decode().lower()
    return "zoraida" in text or "quist" in text


def written() -> tuple:
    """Everything a help request's life writes, to show a refusal changed nothing."""
    return (
        list(HelpRequest.objects.order_by("pk").values_list("pk", "status", "picked", "helped_by")),
        list(HelpOffer.objects.order_by("pk").values_list("pk", "helper", "kind", "status")),
        list(HelpRoute.objects.order_by("pk").values_list("pk", "seen_at")),
        Notification.objects.count(),
        Relationship.objects.count(),
    )


def refused(response, status: int, field: str | None = None) -> str:
    """The error's detail, after checking its status (and the field it names)."""
    assert response.status_code == status, response.content
    detail = response.json()["detail"]
    if field:
        assert f"{field}:" in detail, detail
    return detail


# --- Asking and reading ---------------------------------------------------------------------


def test_asking_returns_where_it_went_and_why(browser, initech, zoraida):
    """Given Zoraida in Initech, when she POSTs a Kubernetes request, then 201 with the
    request as she sees it: her handle, open, and the two colleagues it went to, ranked,
    each with why (how she knows them first), unseen; her list of requests has it."""
    me = browser(zoraida)

    response = me.post(
        "/api/help-requests",
        {"text": TEXT, "skills": ["k8s"], "urgency": "week", "anonymous": False},
    )

    assert response.status_code == 201, response.content
    made = response.json()
    assert (made["member"], made["status"], made["skills"], made["urgency"]) == (
        "zoraida",
        "open",
        ["Kubernetes"],
        "week",
    )
    assert [(r["helper"], r["kind"], r["rank"], r["seen"]) for r in made["routes"]] == [
        ("ana", "peer", 1, False),
        ("ben", "peer", 2, False),
    ]
    for route in made["routes"]:
        assert route["reasons"][0] == "you know them through Initech"
        assert "offers help with Kubernetes" in route["reasons"]
    assert made["offers"] == [] and made["relationship_id"] is None
    assert [r["id"] for r in me.get("/api/help-requests").json()] == [made["id"]]


def test_the_member_sees_the_network_listed_before_the_experts(browser, ask, zoraida, priya):
    """Given Zoraida's request for today went to Ana and Ben and then to Priya (a paid
    expert), when she reads it, then the routes come in routing order: rank 1, 2, 3."""
    request = ask(urgency="today")

    routes = browser(zoraida).get(f"/api/help-requests/{request.pk}").json()["routes"]

    assert [(r["helper"], r["kind"], r["rank"]) for r in routes] == [
        ("ana", "peer", 1),
        ("ben", "peer", 2),
        ("priya", "expert", 3),
    ]


def test_session_writes_without_the_csrf_token_are_refused(db, initech, zoraida):
    """Given Zoraida's browser session, when a script POSTs a request without the CSRF
    header, then 403 and nothing is written; logged out, the API says 401."""
    forged = Client(enforce_csrf_checks=True)
    forged.force_login(zoraida)
    before = written()

    response = forged.post(
        "/api/help-requests", json.dumps({"text": TEXT, "skills": ["Kubernetes"]}), JSON
    )

    assert response.status_code == 403
    assert Client().get("/api/help-inbox").status_code == 401
    assert written() == before


def test_a_named_request_shows_the_member_in_the_helpers_inbox(browser, ask, ana):
    """Given Zoraida's named request, when Ana reads her inbox and the request, then both
    carry Zoraida's handle, and Ana sees only her own side: no routes, no others' offers."""
    request = ask()

    inbox = browser(ana).get("/api/help-inbox").json()
    shown = browser(ana).get(f"/api/help-requests/{request.pk}").json()

    assert [(i["request"], i["member"], i["offered"]) for i in inbox] == [
        (request.pk, "zoraida", False)
    ]
    assert (shown["member"], shown["routes"], shown["offers"]) == ("zoraida", [], [])


def test_the_inbox_puts_the_most_urgent_first_and_what_i_offered_on_last(browser, ask, ana):
    """Given Zoraida asked something for this week and, later, something for today, when
    Ana reads her inbox, then today's comes first; once she offered on it, it goes last,
    marked offered and seen."""
    week = ask()
    today = ask(urgency="today", text=TEXT + " It is down right now.")
    me = browser(ana)

    assert [i["request"] for i in me.get("/api/help-inbox").json()] == [today.pk, week.pk]
    assert (
        me.post(
            f"/api/help-requests/{today.pk}/offers", {"kind": "call", "message": "Call me now."}
        ).status_code
        == 201
    )

    inbox = me.get("/api/help-inbox").json()
    assert [(i["request"], i["offered"], i["seen"]) for i in inbox] == [
        (week.pk, False, False),
        (today.pk, True, True),
    ]


def test_reading_a_request_through_the_api_marks_it_seen(browser, ask, ana, client):
    """Given Zoraida's request new in Ana's inbox, when Ana reads it through the API, then
    her inbox shows it seen and the menu no longer counts it, as when she opens the page."""
    request = ask()
    me = browser(ana)

    me.get(f"/api/help-requests/{request.pk}")

    assert [i["seen"] for i in me.get("/api/help-inbox").json()] == [True]
    client.force_login(ana)
    assert client.get("/help/").context["help_waiting"] == 0


# --- Anonymity ------------------------------------------------------------------------------


def test_the_api_never_tells_a_helper_who_asked_anonymously(browser, ask, ana, ben, priya):
    """Given Zoraida's anonymous request for today (sent to Ana, Ben and Priya, an expert),
    when each reads their inbox, the request and their list of requests, and Ana offers
    help, then no response carries Zoraida's handle or name: the member is null."""
    request = ask(anonymous=True, urgency="today")

    for helper in (ana, ben, priya):
        me = browser(helper)
        inbox, shown = me.get("/api/help-inbox"), me.get(f"/api/help-requests/{request.pk}")
        assert [(i["request"], i["member"]) for i in inbox.json()] == [(request.pk, None)]
        assert (shown.json()["member"], shown.json()["anonymous"]) == (None, True)
        assert shown.json()["text"] == TEXT
        for response in (inbox, shown, me.get("/api/help-requests")):
            assert not shows_zoraida(response), (helper.handle, response.content)

    offered = browser(ana).post(
        f"/api/help-requests/{request.pk}/offers", {"kind": "async", "message": "A Loom video?"}
    )
    assert offered.status_code == 201
    assert not shows_zoraida(offered)
    assert not shows_zoraida(browser(ana).get(f"/api/help-requests/{request.pk}"))


def test_only_the_picked_helper_learns_who_asked_anonymously(browser, ask, ana, ben, zoraida):
    """Given Ana and Ben offered on Zoraida's anonymous request, when she picks Ana's
    offer through the API, then Ana's view of the request names Zoraida, and Ben's still
    does not."""
    request = ask(anonymous=True)
    picked = offer(request, ana)
    offer(request, ben)

    response = browser(zoraida).post(f"/api/help-requests/{request.pk}/pick", {"offer": picked.pk})
    assert response.status_code == 200

    assert browser(ana).get(f"/api/help-requests/{request.pk}").json()["member"] == "zoraida"
    bens = browser(ben).get(f"/api/help-requests/{request.pk}")
    assert bens.json()["member"] is None
    assert not shows_zoraida(bens)


# --- Who may see a request --------------------------------------------------------------------


def test_a_member_it_was_not_sent_to_gets_404_everywhere(browser, ask, gus, ana):
    """Given Zoraida's anonymous request, sent to Ana and Ben, when Gus (a stranger) reads
    it, offers, withdraws, picks Ana's offer, resolves or closes it, then 404 every time
    with an error that gives nothing of her away, his inbox is empty, and nothing is
    written."""
    request = ask(anonymous=True)
    made = offer(request, ana)
    before = written()
    me = browser(gus)
    base = f"/api/help-requests/{request.pk}"

    responses = [
        me.get(base),
        me.post(f"{base}/offers", {"kind": "reply", "message": "I can help."}),
        me.delete(f"{base}/offers/mine"),
        me.post(f"{base}/pick", {"offer": made.pk}),
        me.post(f"{base}/resolve", {"what_helped": "Mine.", "helped_by": "gus"}),
        me.post(f"{base}/close"),
        me.get("/api/help-requests/999999"),
    ]

    for response in responses:
        assert (response.status_code, response.json()["error"]) == (404, "not_found")
        assert not shows_zoraida(response)
    assert me.get("/api/help-inbox").json() == []
    assert written() == before


def test_a_helper_cannot_pick_resolve_or_close_the_members_request(browser, ask, ana, ben):
    """Given Ben's offer on Zoraida's request, when Ana (it was sent to her) picks it,
    resolves or closes the request, then 404 and nothing changes."""
    request = ask()
    made = offer(request, ben)
    before = written()
    me, base = browser(ana), f"/api/help-requests/{request.pk}"

    assert me.post(f"{base}/pick", {"offer": made.pk}).status_code == 404
    assert me.post(f"{base}/resolve", {"what_helped": "Ben."}).status_code == 404
    assert me.post(f"{base}/close").status_code == 404
    assert written() == before


# --- Offers -------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["reply", "async", "call"])
def test_a_helper_offers_a_reply_an_async_answer_or_a_call(browser, ask, ana, zoraida, kind):
    """Given Zoraida's request in Ana's inbox, when Ana offers (a reply, an async answer or
    a call), then 201 with her offer, and Zoraida's view lists it."""
    request = ask()

    response = browser(ana).post(
        f"/api/help-requests/{request.pk}/offers", {"kind": kind, "message": "Send me the YAML."}
    )

    assert response.status_code == 201
    made = response.json()
    assert (made["helper"], made["kind"], made["status"], made["message"]) == (
        "ana",
        kind,
        "offered",
        "Send me the YAML.",
    )
    mine = browser(zoraida).get(f"/api/help-requests/{request.pk}").json()
    assert [(o["id"], o["helper"], o["kind"]) for o in mine["offers"]] == [
        (made["id"], "ana", kind)
    ]


def test_one_offer_per_helper_until_withdrawn(browser, ask, ana, ben, zoraida):
    """Given Ana offered, when she offers again, then 409 and one offer stands; when she
    withdraws it (200, withdrawn), Zoraida no longer sees it; when she offers again, 201
    and Zoraida sees the new one. Ana never sees Ben's offer, only her own."""
    request = ask()
    offer(request, ben)
    me, base = browser(ana), f"/api/help-requests/{request.pk}"
    assert me.post(f"{base}/offers", {"kind": "reply", "message": "First."}).status_code == 201

    again = me.post(f"{base}/offers", {"kind": "call", "message": "Second."})
    assert "already offered" in refused(again, 409)
    assert HelpOffer.objects.filter(helper=ana).count() == 1

    withdrawn = me.delete(f"{base}/offers/mine")
    assert (withdrawn.status_code, withdrawn.json()["status"]) == (200, "withdrawn")
    mine = browser(zoraida).get(base).json()
    assert [o["helper"] for o in mine["offers"]] == ["ben"]
    assert "no open offer" in refused(me.delete(f"{base}/offers/mine"), 409)

    renewed = me.post(f"{base}/offers", {"kind": "call", "message": "Let us talk."})
    assert renewed.status_code == 201
    mine = browser(zoraida).get(base).json()
    assert sorted((o["helper"], o["message"]) for o in mine["offers"]) == [
        ("ana", "Let us talk."),
        ("ben", "I ran into exactly this last month."),
    ]
    assert [o["helper"] for o in me.get(base).json()["offers"]] == ["ana"]


def test_the_member_cannot_offer_on_her_own_request(browser, ask, zoraida):
    """Given Zoraida's request, when she offers help on it, then 404 and no offer exists."""
    request = ask()
    before = written()

    response = browser(zoraida).post(
        f"/api/help-requests/{request.pk}/offers", {"kind": "reply", "message": "Me!"}
    )

    refused(response, 404)
    assert written() == before


def test_a_closed_request_takes_no_offers(browser, ask, ana, zoraida):
    """Given Zoraida closed her request through the API, when Ana offers, then 409 and no
    offer is written; closing again is 409 too."""
    request = ask()
    closed = browser(zoraida).post(f"/api/help-requests/{request.pk}/close")
    assert (closed.status_code, closed.json()["status"]) == (200, "closed")
    before = written()

    response = browser(ana).post(
        f"/api/help-requests/{request.pk}/offers", {"kind": "reply", "message": "Late!"}
    )

    assert "no longer takes offers" in refused(response, 409)
    refused(browser(zoraida).post(f"/api/help-requests/{request.pk}/close"), 409)
    assert written() == before


# --- Picking --------------------------------------------------------------------------------------


def test_picking_one_offer_leaves_the_others_not_picked(browser, ask, ana, ben, zoraida):
    """Given Ana and Ben offered, when Zoraida picks Ana's, then 200: the request is being
    helped, Ana's offer picked and Ben's not; Ana is told to reach out, Ben is thanked."""
    request = ask()
    picked, other = offer(request, ana), offer(request, ben)

    response = browser(zoraida).post(f"/api/help-requests/{request.pk}/pick", {"offer": picked.pk})

    assert response.status_code == 200
    shown = response.json()
    assert shown["status"] == "picked" and shown["relationship_id"] is None
    assert {o["helper"]: o["status"] for o in shown["offers"]} == {
        "ana": "picked",
        "ben": "not_picked",
    }
    assert Notification.objects.filter(user=ana).first().text == (
        "Zoraida Quist picked your offer. Reach out to them."
    )
    assert Notification.objects.filter(user=ben).first().text == (
        "Thank you for offering help: the member went with another offer."
    )
    assert Relationship.objects.count() == 0
    assert browser(ben).get("/api/help-inbox").json() == []
    assert HelpOffer.objects.get(pk=other.pk).status == "not_picked"


def test_picking_with_start_relationship_starts_one(browser, ask, ana, zoraida):
    """Given Ana's offer, when Zoraida picks it with start_relationship, then the answer
    carries the new relationship, between the two of them."""
    request = ask()
    picked = offer(request, ana)

    response = browser(zoraida).post(
        f"/api/help-requests/{request.pk}/pick", {"offer": picked.pk, "start_relationship": True}
    )

    relationship = Relationship.objects.get()
    assert response.json()["relationship_id"] == relationship.pk
    assert {relationship.first, relationship.second} == {zoraida, ana}


def test_picking_twice_a_withdrawn_or_another_requests_offer_is_refused(
    browser, ask, ana, ben, zoraida
):
    """Given Ana's offer on Zoraida's request and Ben's withdrawn one, and Ana's offer on
    another of her requests, when Zoraida picks Ben's withdrawn offer or the other
    request's offer, then 404; once she picked Ana's, picking again is 409; nothing else
    changes."""
    request, other_request = ask(), ask(text=TEXT + " Same on staging.")
    made = offer(request, ana)
    offer(request, ben)
    services.help_offer_withdraw(request_id=request.pk, by=ben)
    foreign = offer(other_request, ana)
    withdrawn = HelpOffer.objects.get(helper=ben)
    me, pick = browser(zoraida), f"/api/help-requests/{request.pk}/pick"
    before = written()

    refused(me.post(pick, {"offer": withdrawn.pk}), 404)
    refused(me.post(pick, {"offer": foreign.pk}), 404)
    assert written() == before

    assert me.post(pick, {"offer": made.pk}).status_code == 200
    after = written()
    assert "already picked" in refused(me.post(pick, {"offer": made.pk}), 409)
    assert written() == after


# --- Resolving ------------------------------------------------------------------------------------


def test_resolving_credits_a_helper_and_records_help_evidence(browser, ask, ana, zoraida):
    """Given Ana's picked offer, when Zoraida resolves crediting @ana with what helped, then
    200 with it resolved, Ana as who helped, and discovery holds "help" evidence for Ana on
    Kubernetes in Zoraida's words; resolving again is 409."""
    request = ask()
    services.help_pick(request_id=request.pk, offer_id=offer(request, ana).pk, by=zoraida)
    me, base = browser(zoraida), f"/api/help-requests/{request.pk}"

    response = me.post(
        f"{base}/resolve",
        {"what_helped": "A memory limit on the init container.", "helped_by": "@ana"},
    )

    assert response.status_code == 200
    shown = response.json()
    assert (shown["status"], shown["helped_by"], shown["what_helped"]) == (
        "resolved",
        "ana",
        "A memory limit on the init container.",
    )
    ((helper_id, evidence),) = list(hooks.helped())
    assert (helper_id, evidence.kind, evidence.tags) == (ana.pk, "help", ("kubernetes",))
    assert "A memory limit on the init container." in evidence.text
    refused(me.post(f"{base}/resolve", {"what_helped": "Again."}), 409)


@pytest.mark.parametrize(
    ("payload", "status", "says"),
    [
        ({"what_helped": ""}, 422, "what_helped:"),
        ({"helped_by": "ana"}, 422, "what_helped:"),
        ({"what_helped": "   "}, 400, "what_helped: a line on what got you unstuck."),
        ({"what_helped": "Ben.", "helped_by": "ben"}, 400, "helped_by: @ben neither offered"),
        ({"what_helped": "Gus.", "helped_by": "gus"}, 400, "helped_by: @gus neither offered"),
    ],
)
def test_resolving_needs_what_helped_and_a_helper_who_offered(
    browser, ask, ana, ben, gus, zoraida, payload, status, says
):
    """Given Ana offered on Zoraida's request (Ben, who got it, did not; Gus never saw it),
    when Zoraida resolves without saying what helped, or crediting Ben or Gus, then she is
    told what is wrong, naming the field, and the request stays open with no evidence."""
    request = ask()
    offer(request, ana)
    before = written()

    response = browser(zoraida).post(f"/api/help-requests/{request.pk}/resolve", payload)

    assert says in refused(response, status)
    assert written() == before
    assert list(hooks.helped()) == []


# --- Bad JSON on every write endpoint -----------------------------------------------------------

K8S = ["Kubernetes"]
BAD_INPUT = [
    # (endpoint, payload, status, field named)
    ("create", {"text": 123, "skills": K8S}, 422, "text"),
    ("create", {"skills": K8S}, 422, "text"),
    ("create", {"text": TEXT, "skills": "Kubernetes"}, 422, "skills"),
    ("create", {"text": TEXT, "skills": []}, 422, "skills"),
    ("create", {"text": TEXT, "skills": K8S * 6}, 422, "skills"),
    ("create", {"text": TEXT, "skills": K8S, "urgency": "soon"}, 422, "urgency"),
    ("create", {"text": TEXT, "skills": K8S, "anonymous": "yes"}, 422, "anonymous"),
    ("create", {"text": TEXT, "skills": K8S, "member": "ana"}, 422, "member"),
    ("create", {"text": TEXT, "skills": ["Kubernetes", "Cobol"]}, 400, "skills"),
    ("create", {"text": "Pods crash.", "skills": K8S}, 400, "text"),
    ("create", {"text": " " * 40, "skills": K8S}, 400, "text"),
    ("offer", {"kind": "hug", "message": "Hi"}, 422, "kind"),
    ("offer", {"kind": "call"}, 422, "message"),
    ("offer", {"kind": "call", "message": 5}, 422, "message"),
    ("offer", {"kind": "call", "message": "   "}, 400, "message"),
    ("pick", {"offer": "OFFER_AS_TEXT"}, 422, "offer"),
    ("pick", {"offer": 0}, 422, "offer"),
    ("pick", {"offer": "OFFER", "start_relationship": "yes"}, 422, "start_relationship"),
    ("resolve", {"what_helped": 5}, 422, "what_helped"),
    ("resolve", {"what_helped": "Ben.", "helped_by": ["ben"]}, 422, "helped_by"),
    ("resolve", {"what_helped": "Ben.", "helped_by": "x" * 40}, 422, "helped_by"),
]


@pytest.mark.parametrize(
    ("endpoint", "payload", "status", "field"),
    BAD_INPUT,
    ids=[f"{case[0]}-{case[3]}-{case[2]}-{n}" for n, case in enumerate(BAD_INPUT)],
)
def test_bad_input_on_a_write_endpoint_names_the_field_and_writes_nothing(
    browser, ask, ana, ben, zoraida, endpoint, payload, status, field
):
    """Given Zoraida's request with Ana's offer, when a write endpoint gets the wrong type,
    an unknown value, a missing or extra field, an unknown skill or too short a text, then
    422 (malformed) or 400 (a rule) with the field named, and nothing is written."""
    request = ask()
    made = offer(request, ana)
    base = f"/api/help-requests/{request.pk}"
    path, who = {
        "create": ("/api/help-requests", zoraida),
        "offer": (f"{base}/offers", ben),
        "pick": (f"{base}/pick", zoraida),
        "resolve": (f"{base}/resolve", zoraida),
    }[endpoint]
    stand_ins = {"OFFER": made.pk, "OFFER_AS_TEXT": str(made.pk)}
    payload = {
        key: stand_ins.get(value, value) if isinstance(value, str) else value
        for key, value in payload.items()
    }
    me = browser(who)
    before = written()

    response = me.post(path, payload)

    detail = refused(response, status, field)
    assert response.json()["error"] == "invalid"
    if payload.get("skills") == ["Kubernetes", "Cobol"]:
        assert "Cobol" in detail
    if payload.get("text") == "Pods crash.":
        assert "at least 20 characters" in detail
    assert written() == before


def test_experts_added_later_show_up_in_the_members_routes(browser, ask, zoraida, priya):
    """Given Zoraida's request for this week went to her network only, when the timed step
    to experts runs, then her view of the request lists Priya as a paid expert it went to,
    and Priya's inbox has it."""
    request = ask()
    assert services.help_route_experts(request_id=request.pk) is True

    routes = browser(zoraida).get(f"/api/help-requests/{request.pk}").json()["routes"]

    assert ("priya", "expert", 3) in [(r["helper"], r["kind"], r["rank"]) for r in routes]
    assert [i["request"] for i in browser(priya).get("/api/help-inbox").json()] == [request.pk]
