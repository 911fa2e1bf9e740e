"""Help requests through the services and the pages: routing to the member's network (and
only it) ranked with reasons, then to paid experts at once or after a wait; anonymity on
every page and notification a helper sees; offers, picking, resolving with what helped
(evidence for discovery); refusals that write nothing; the menu count.

Zoraida Quist belongs to Initech with Ana (Kubernetes expert, free 09-17 every day) and Ben
(familiar with Kubernetes, free 09-12 every day). Priya and Ravi (experts conftest) are paid
Kubernetes experts outside her network."""

import re
from datetime import time, timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from expert_helpers import open_hours, slot_between

from mentormesh.connect.models import Relationship
from mentormesh.connect.services import block_add, relationship_start
from mentormesh.discover.selectors import board_for
from mentormesh.errors import Conflict, DomainError, NotFound
from mentormesh.experts import hooks, services
from mentormesh.experts.models import (
    HelpOffer,
    HelpRequest,
    HelpRoute,
    HelpStatus,
    OfferStatus,
)
from mentormesh.notifications.models import Notification

TEXT = "Our Kubernetes pods get OOMKilled at startup; raising the memory limit did not help."
ASKED = "Zoraida Quist is stuck on Kubernetes and you could help."
ASKED_ANONYMOUSLY = "Someone in your network is stuck on Kubernetes and you could help."


# --- People and helpers ----------------------------------------------------------------------


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
    """A stranger: offers Kubernetes and has time, but shares nothing with Zoraida."""
    user = make_person("gus", display_name="Gus Ferreira", offers=[("Kubernetes", 3)])
    open_hours(user, time(9), time(17))
    return user


@pytest.fixture
def initech(make_org, zoraida, ana, ben):
    return make_org("initech", admin=zoraida, members=[ana, ben])


@pytest.fixture
def ask(initech, zoraida):
    """Zoraida's help request through the service (Kubernetes, this week, named)."""

    def ask(member=None, **changes):
        arguments = {"member": member or zoraida, "text": TEXT, "skills": ["Kubernetes"]}
        return services.help_request_create(**(arguments | changes))

    return ask


def routes(request) -> list[tuple[str, str, int]]:
    """Where a request went: (helper handle, kind, rank), network first then experts."""
    found = HelpRoute.objects.filter(request=request).select_related("helper")
    return sorted(((r.helper.handle, r.kind, r.rank) for r in found), key=lambda r: r[2])


def told(user) -> list[str]:
    """The texts of a user's notifications, oldest first."""
    return list(
        Notification.objects.filter(user=user).order_by("pk").values_list("text", flat=True)
    )


def shows_zoraida(text: str) -> bool:
    lowered = text.lower()
    return "zoraida" in lowered or "quist" in lowered


def page(client, user, url: str):
    client.force_login(user)
    return client.get(url)


def act(client, user, request, action: str, data=None):
    client.force_login(user)
    return client.post(f"/help/{request.pk}/{action}/", data or {}, follow=True)


def flashed(response) -> list[str]:
    """The messages shown at the top of the page."""
    block = re.search(r'<ul class="messages"[^>]*>(.*?)</ul>', response.content.decode(), re.S)
    return re.findall(r"<li[^>]*>(.*?)</li>", block.group(1)) if block else []


def written() -> tuple:
    """Everything a help request's life writes, to show a refusal changed nothing."""
    return (
        list(HelpRequest.objects.order_by("pk").values_list("pk", "status", "picked", "helped_by")),
        list(HelpOffer.objects.order_by("pk").values_list("pk", "helper", "kind", "status")),
        HelpRoute.objects.count(),
        Notification.objects.count(),
        Relationship.objects.count(),
    )


def offer(request, helper, kind="reply", message="I ran into exactly this last month."):
    return services.help_offer_create(request_id=request.pk, by=helper, kind=kind, message=message)


def experts_tasks() -> list[DBTaskResult]:
    rows = DBTaskResult.objects.filter(task_path__endswith=".help_route_experts")
    return list(rows.order_by("enqueued_at"))


def run(row: DBTaskResult):
    """Run an enqueued task the way the worker would."""
    return row.task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])


# --- Routing ---------------------------------------------------------------------------------


def test_routed_only_to_network_peers_who_offer_the_skill_and_have_time(
    make_person, make_org, zoraida, ana, ben, gus, priya, ask
):
    """Given Zoraida's colleagues at Initech: Ana and Ben offer Kubernetes with weekly hours;
    Cara offers it with no hours; Dev offers it but is not open to mentoring; Eli offers only
    Rust; Finn (blocked by Zoraida) and Hal (who blocked her) offer it with hours; and Gus, a
    stranger, and Priya, a paid expert, offer it too; when Zoraida asks for Kubernetes help
    this week, then it goes to Ana and Ben alone, who are told, and nobody else hears of it."""
    cara = make_person("cara", offers=["Kubernetes"])
    dev = make_person("dev", offers=["Kubernetes"], open_to_mentor=False)
    eli = make_person("eli", offers=["Rust"])
    finn = make_person("finn", offers=["Kubernetes"])
    hal = make_person("hal", offers=["Kubernetes"])
    for user in (dev, eli, finn, hal):
        open_hours(user, time(9), time(17))
    make_org("initech-labs", admin=zoraida, members=[cara, dev, eli, finn, hal])
    block_add(by=zoraida, handle="finn")
    block_add(by=hal, handle="zoraida")

    request = ask()

    assert routes(request) == [("ana", "peer", 1), ("ben", "peer", 2)]
    assert told(ana) == [ASKED] and told(ben) == [ASKED]
    for nobody in (cara, dev, eli, finn, hal, gus, priya):
        assert told(nobody) == [], nobody.handle
    assert request.experts_routed_at is None


def test_peers_are_ranked_by_the_engine_with_reasons_saying_how_she_knows_them(
    make_person, make_org, zoraida
):
    """Given Ula (familiar with Kubernetes) and, joined later, Vic (an expert in it) at
    Initech, and Ivy, with whom Zoraida has a relationship on Helm charts, when Zoraida asks,
    then Vic comes before Ula, and each route explains itself: how Zoraida knows them first,
    then what the engine found ("offers help with Kubernetes")."""
    ula = make_person("ula", offers=[("Kubernetes", 1)])
    vic = make_person("vic", offers=[("Kubernetes", 3)])
    ivy = make_person("ivy", offers=[("Kubernetes", 2)])
    for user in (ula, vic, ivy):
        open_hours(user, time(9), time(17))
    make_org("initech", admin=zoraida, members=[ula, vic])
    relationship_start(one=zoraida, other=ivy, topic="Helm charts")

    request = services.help_request_create(member=zoraida, text=TEXT, skills=["Kubernetes"])

    ranked = [handle for handle, _, _ in routes(request)]
    assert set(ranked) == {"ula", "vic", "ivy"}
    assert ranked.index("vic") < ranked.index("ula")
    reasons = {r.helper.handle: r.reasons for r in HelpRoute.objects.filter(request=request)}
    assert reasons["vic"][0] == "you know them through Initech"
    assert reasons["ula"][0] == "you know them through Initech"
    assert reasons["ivy"][0] == "you know them through your relationship “Helm charts”"
    for handle in ranked:
        assert "offers help with Kubernetes" in reasons[handle], handle


def test_at_most_eight_peers_hear_of_one_request(make_person, make_org, zoraida):
    """Given ten colleagues who all offer Kubernetes and have time, when Zoraida asks, then
    eight of them get it, ranked 1 to 8, and only those eight are told."""
    colleagues = []
    for n in range(10):
        user = make_person(f"peer{n}", offers=[("Kubernetes", 1 + n % 3)])
        open_hours(user, time(9), time(17))
        colleagues.append(user)
    make_org("initech", admin=zoraida, members=colleagues)

    request = services.help_request_create(member=zoraida, text=TEXT, skills=["Kubernetes"])

    found = routes(request)
    assert [rank for _, _, rank in found] == list(range(1, 9))
    assert {kind for _, kind, _ in found} == {"peer"}
    assert sum(1 for user in colleagues if told(user)) == 8


def test_with_nobody_in_her_network_paid_experts_get_it_at_once(
    client, zoraida, priya, ravi, make_expert, gus
):
    """Given Zoraida knows nobody and Priya and Ravi are paid Kubernetes experts (Rhea only
    does Rust), when she asks on the page, then the page says nobody in her network offers it
    and the request goes to Priya and Ravi at once, who are told."""
    make_expert("rhea", offers=("Rust",))

    assert page(client, zoraida, "/help/").status_code == 200
    response = client.post(
        "/help/", {"text": TEXT, "skills": "Kubernetes", "urgency": "whenever"}, follow=True
    )

    request = HelpRequest.objects.get()
    assert sorted((h, k) for h, k, _ in routes(request)) == [
        ("priya", "expert"),
        ("ravi", "expert"),
    ]
    assert request.experts_routed_at is not None
    assert told(priya) == [ASKED] and told(ravi) == [ASKED]
    assert flashed(response) == [
        "Nobody in your network offers that yet; paid experts who do have it."
    ]
    assert experts_tasks() == []


def test_an_expert_she_blocked_is_never_sent_her_request(zoraida, priya, ravi):
    """Given Zoraida blocked Priya, when she asks with nobody in her network, then only Ravi
    gets the request."""
    block_add(by=zoraida, handle="priya")

    request = services.help_request_create(member=zoraida, text=TEXT, skills=["Kubernetes"])

    assert [handle for handle, _, _ in routes(request)] == ["ravi"]
    assert told(priya) == []


def test_for_today_experts_get_it_at_once_after_the_network(ask, priya):
    """Given Ana and Ben in Zoraida's network, when she needs Kubernetes help today, then it
    goes to them first and to Priya, a paid expert, at the same time, ranked after them."""
    request = ask(urgency="today")

    assert routes(request) == [("ana", "peer", 1), ("ben", "peer", 2), ("priya", "expert", 3)]
    assert HelpRequest.objects.get(pk=request.pk).experts_routed_at is not None


@pytest.mark.parametrize(("urgency", "wait"), [("week", 1), ("whenever", 3)])
def test_experts_follow_later_when_the_network_has_not_been_picked(
    ask, priya, zoraida, django_capture_on_commit_callbacks, urgency, wait
):
    """Given Ana and Ben in Zoraida's network, when she asks with no rush, then only they get
    it now and the step to experts is queued for one day (this week) or three (no rush)
    later; when it runs, Priya gets it and Zoraida hears an expert could help; when it runs
    again, nothing more happens."""
    with django_capture_on_commit_callbacks(execute=True):
        request = ask(urgency=urgency)
    assert [kind for _, kind, _ in routes(request)] == ["peer", "peer"]
    (queued,) = experts_tasks()
    expected = timezone.now() + timedelta(days=wait)
    assert abs(queued.run_after - expected) < timedelta(minutes=5)

    assert run(queued) is True
    assert routes(request)[-1] == ("priya", "expert", 3)
    assert told(priya) == [ASKED]
    assert told(zoraida)[-1] == "No offer yet: 1 paid expert could help too."

    before = written()
    assert services.help_route_experts(request_id=request.pk) is False
    assert written() == before


@pytest.mark.parametrize("then", ["picked", "closed", "resolved"])
def test_experts_are_not_sent_a_request_already_picked_or_closed(ask, ana, priya, zoraida, then):
    """Given Zoraida's request had Ana's offer picked (or was closed, or resolved) before the
    wait ran out, when the step to experts runs, then it does nothing: Priya never hears."""
    request = ask()
    if then == "picked":
        services.help_pick(request_id=request.pk, offer_id=offer(request, ana).pk, by=zoraida)
    elif then == "closed":
        services.help_close(request_id=request.pk, by=zoraida)
    else:
        services.help_resolve(request_id=request.pk, by=zoraida, what_helped="A blog post.")
    before = written()

    assert services.help_route_experts(request_id=request.pk) is False

    assert written() == before
    assert told(priya) == []


def test_the_step_to_experts_does_not_say_no_offer_when_one_is_waiting(ask, ana, priya, zoraida):
    """Given Ana offered on Zoraida's request but Zoraida has not picked yet, when the step to
    experts runs, then Priya gets it, and what Zoraida is told does not claim there is no
    offer yet."""
    request = ask()
    offer(request, ana)

    assert services.help_route_experts(request_id=request.pk) is True

    assert told(priya) == [ASKED]
    assert not told(zoraida)[-1].startswith("No offer yet")


# --- Asking on the page ------------------------------------------------------------------------


def test_asking_on_the_page_routes_it_and_says_how_many_and_who_sees_what(client, initech, zoraida):
    """Given Zoraida on the help page, when she sends a named request, then she lands on it,
    told it went to 2 people in her network, listed with their reasons, and the page says
    plainly who can see it: the 2 people it was sent to, with her name."""
    page(client, zoraida, "/help/")
    response = client.post(
        "/help/", {"text": TEXT, "skills": "Kubernetes", "urgency": "week"}, follow=True
    )

    request = HelpRequest.objects.get()
    assert response.redirect_chain[-1][0] == f"/help/{request.pk}/"
    html = response.content.decode()
    assert "Sent to 2 people in your network who could help." in html
    assert "Who sees what" in html
    assert "Only you and the 2 people it was sent to (listed below) see this request." in html
    assert "It is not in search, on your profile or in any feed." in html
    assert "your name with a link to your profile" in html
    assert "Ana Lima" in html and "Ben Okafor" in html
    assert "you know them through Initech" in html


def test_an_anonymous_request_page_tells_the_member_what_helpers_will_not_see(client, ask, zoraida):
    """Given Zoraida's anonymous request, when she opens it, then the page says helpers see
    her words, skills and urgency but not her name, handle, picture or organization,
    colleagues included, and that the person she picks learns who she is."""
    request = ask(anonymous=True)

    html = page(client, zoraida, f"/help/{request.pk}/").content.decode()

    assert "They see your words, skills and urgency, but not your name, handle, picture or " in (
        html
    )
    assert "organization — colleagues included." in html
    assert "The person whose offer you pick learns who you are, so you can talk." in html
    assert "(anonymous to helpers)" in html


def test_the_member_page_lists_everyone_the_request_was_sent_to(client, ask, zoraida, priya):
    """Given Zoraida's request for today went to Ana and Ben and to Priya (a paid expert),
    when she opens it, then the page says it was sent to 3 people, "listed below", and each
    of the three is listed as someone it was sent to."""
    request = ask(urgency="today")

    html = page(client, zoraida, f"/help/{request.pk}/").content.decode()

    assert "the 3 people it was sent to (listed below)" in html
    sent_to = "".join(
        section
        for section in re.findall(r"<section[^>]*>.*?</section>", html, re.S)
        if re.search(r"<h2[^>]*>[^<]*sent to", section, re.I)
    )
    for name in ("Ana Lima", "Ben Okafor", "Priya Raman"):
        assert name in sent_to, name


@pytest.mark.parametrize(
    ("data", "says"),
    [
        ({"text": TEXT, "skills": "Kubernetes, Cobol"}, "no skill called “Cobol”"),
        ({"text": "Pods crash.", "skills": "Kubernetes"}, "at least 20 characters"),
        ({"text": TEXT, "skills": ""}, "This field is required."),
        ({"text": TEXT, "skills": "Kubernetes", "urgency": "yesterday"}, "valid choice"),
    ],
)
def test_bad_input_on_the_ask_page_is_explained_and_nothing_is_sent(
    client, initech, zoraida, ana, data, says
):
    """Given Zoraida on the help page, when she sends an unknown skill, too short a text, no
    skills or an unknown urgency, then the form comes back (400) saying what is wrong, no
    request exists and nobody is told anything."""
    client.force_login(zoraida)
    response = client.post("/help/", {"urgency": "week"} | data)

    assert response.status_code == 400
    assert says in response.content.decode()
    assert HelpRequest.objects.count() == 0
    assert HelpRoute.objects.count() == 0
    assert told(ana) == []


# --- Anonymity -----------------------------------------------------------------------------------


def helper_facing(client, user, request) -> str:
    """Everything a helper can read about a request: the inbox, the request page, and their
    notifications (page and stored texts)."""
    parts = [
        page(client, user, "/help/?tab=inbox").content.decode(),
        page(client, user, f"/help/{request.pk}/").content.decode(),
        page(client, user, "/notifications/").content.decode(),
        *told(user),
    ]
    return "\n".join(parts)


def test_helpers_never_see_who_asked_anonymously(
    client, ask, ana, ben, priya, django_capture_on_commit_callbacks, mailoutbox
):
    """Given Zoraida's anonymous request for today (so Ana, Ben and Priya, an expert, all get
    it), when each of them reads their inbox, the request page and their notifications and
    emails, and Ana offers help and reads them again, then Zoraida's handle and name appear
    nowhere, while the request's words do, marked as asked anonymously."""
    with django_capture_on_commit_callbacks(execute=True):
        request = ask(anonymous=True, urgency="today")
    for row in DBTaskResult.objects.filter(task_path__endswith=".notification_email"):
        run(row)
    assert len(mailoutbox) == 3

    for helper in (ana, ben, priya):
        seen = helper_facing(client, helper, request)
        assert "OOMKilled at startup" in seen, helper.handle
        assert "asked anonymously" in seen.lower(), helper.handle
        assert ASKED_ANONYMOUSLY in seen, helper.handle
        assert not shows_zoraida(seen), helper.handle
    for email in mail.outbox:
        assert not shows_zoraida(email.subject + email.body), email.to

    act(client, ana, request, "offer", {"kind": "call", "message": "Happy to pair on it."})

    seen = helper_facing(client, ana, request)
    assert "Happy to pair on it." in seen
    assert not shows_zoraida(seen)


def test_only_the_picked_helper_learns_who_asked_anonymously(client, ask, ana, ben, zoraida):
    """Given Ana and Ben offered on Zoraida's anonymous request, when she picks Ana's offer,
    then Ana is told by name and her page shows Zoraida with a way to write to her, while
    Ben, not picked, still sees no name anywhere."""
    request = ask(anonymous=True)
    offer(request, ben)
    picked = offer(request, ana, kind="call")

    services.help_pick(request_id=request.pk, offer_id=picked.pk, by=zoraida)

    assert told(ana)[-1] == (
        "Zoraida Quist picked your offer (they asked anonymously). Reach out to them."
    )
    html = page(client, ana, f"/help/{request.pk}/").content.decode()
    assert 'asked by <a href="/people/zoraida/">Zoraida Quist</a>' in html
    assert "Zoraida Quist picked your offer." in html
    assert not shows_zoraida(helper_facing(client, ben, request))


def test_a_named_request_shows_the_member_to_helpers(client, ask, ana):
    """Given Zoraida's request, not anonymous, when Ana reads her inbox and the request,
    then both show Zoraida's name."""
    request = ask()

    inbox = page(client, ana, "/help/?tab=inbox").content.decode()
    shown = page(client, ana, f"/help/{request.pk}/").content.decode()

    assert "Zoraida Quist" in inbox
    assert 'asked by <a href="/people/zoraida/">Zoraida Quist</a>' in shown
    assert told(ana) == [ASKED]


# --- Who may see a request -------------------------------------------------------------------------


@pytest.mark.parametrize("action", ["offer", "withdraw", "pick", "resolve", "close"])
def test_a_member_it_was_not_sent_to_gets_404_and_changes_nothing(
    client, ask, make_person, initech, gus, action
):
    """Given Zoraida's anonymous request, sent to Ana and Ben, when Gus (a stranger) or Eli
    (her colleague who offers only Rust) opens it or tries to act on it, then 404, a page
    that gives nothing of her away, and nothing is written."""
    eli = make_person("eli", offers=["Rust"])
    open_hours(eli, time(9), time(17))
    initech.memberships.create(user=eli)
    request = ask(anonymous=True)
    data = {
        "offer": {"kind": "reply", "message": "I can help."},
        "pick": {"offer": "1"},
        "resolve": {"what_helped": "Nothing.", "helped_by": ""},
    }.get(action, {})
    before = written()

    for outsider in (gus, eli):
        shown = page(client, outsider, f"/help/{request.pk}/")
        assert shown.status_code == 404
        client.force_login(outsider)
        tried = client.post(f"/help/{request.pk}/{action}/", data)
        assert tried.status_code == 404
        assert not shows_zoraida(shown.content.decode() + tried.content.decode())

    assert written() == before


@pytest.mark.parametrize("action", ["pick", "resolve", "close"])
def test_a_helper_cannot_pick_resolve_or_close_someone_elses_request(client, ask, ana, ben, action):
    """Given Zoraida's request with Ben's offer, when Ana (who it was sent to) tries to pick,
    resolve or close it, then 404 and nothing changes."""
    request = ask()
    made = offer(request, ben)
    data = {
        "pick": {"offer": str(made.pk)},
        "resolve": {"what_helped": "Ben's hint.", "helped_by": ""},
    }.get(action, {})
    before = written()

    client.force_login(ana)
    assert client.post(f"/help/{request.pk}/{action}/", data).status_code == 404

    assert written() == before


def test_a_helper_she_blocks_after_routing_can_no_longer_see_or_offer(client, ask, ana, zoraida):
    """Given Zoraida's request went to Ana, when Zoraida blocks Ana, then Ana gets 404 on the
    request (blocked people never see it) and an offer from her is refused with nothing
    written and nothing sent to Zoraida."""
    request = ask()
    block_add(by=zoraida, handle="ana")
    before = written()

    assert page(client, ana, f"/help/{request.pk}/").status_code == 404
    response = act(client, ana, request, "offer", {"kind": "reply", "message": "Hello again."})

    assert response.status_code == 404
    assert written() == before


def test_the_member_cannot_offer_help_on_her_own_request(client, ask, zoraida):
    """Given Zoraida's request, when she offers help on it herself, then 404 (it is not a
    request sent to her) and no offer exists."""
    request = ask()
    before = written()

    with pytest.raises(NotFound):
        offer(request, zoraida)
    response = act(client, zoraida, request, "offer", {"kind": "reply", "message": "Me!"})

    assert response.status_code == 404
    assert written() == before


# --- Offers ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("reply", "a written reply"),
        ("async", "an async answer (a recording, a review, a doc)"),
        ("call", "a call"),
    ],
)
def test_a_helper_offers_a_reply_an_async_answer_or_a_call(client, ask, ana, zoraida, kind, words):
    """Given Zoraida's request in Ana's inbox, when Ana offers a reply, an async answer or a
    call on the page, then she is thanked, Zoraida is told by name what was offered, and
    Zoraida's page lists the offer with a button to pick it."""
    request = ask()

    response = act(client, ana, request, "offer", {"kind": kind, "message": "Send me the YAML."})

    assert "Offered. They will hear from you here and by email." in response.content.decode()
    made = HelpOffer.objects.get()
    assert (made.helper, made.kind, made.status) == (ana, kind, OfferStatus.OFFERED)
    assert told(zoraida) == [f"Ana Lima offered {words} on your help request."]
    mine = page(client, zoraida, f"/help/{request.pk}/").content.decode()
    assert "Send me the YAML." in mine and "Pick this offer" in mine


def test_a_helper_offers_once_until_she_withdraws(client, ask, ana, zoraida):
    """Given Ana offered on Zoraida's request, when she offers again, then she is told she
    already offered (409 from the service) and there is still one offer; when she withdraws,
    Zoraida no longer sees it; when she offers again, her new offer stands."""
    request = ask()
    offer(request, ana, message="First thought.")

    with pytest.raises(Conflict):
        offer(request, ana, message="Second thought.")
    response = act(client, ana, request, "offer", {"kind": "call", "message": "Again?"})
    assert "You already offered help on this request." in response.content.decode()
    assert HelpOffer.objects.count() == 1

    response = act(client, ana, request, "withdraw")
    assert "Offer withdrawn." in response.content.decode()
    assert HelpOffer.objects.get().status == OfferStatus.WITHDRAWN
    assert "First thought." not in page(client, zoraida, f"/help/{request.pk}/").content.decode()

    act(client, ana, request, "offer", {"kind": "call", "message": "Let us talk instead."})
    again = HelpOffer.objects.get()
    assert (again.kind, again.message, again.status) == ("call", "Let us talk instead.", "offered")
    assert "Let us talk instead." in page(client, zoraida, f"/help/{request.pk}/").content.decode()


def test_withdrawing_without_an_open_offer_is_refused(ask, ana):
    """Given Ana has not offered on Zoraida's request, when she withdraws, then she is told
    there is nothing to withdraw."""
    request = ask()

    with pytest.raises(Conflict, match="no open offer"):
        services.help_offer_withdraw(request_id=request.pk, by=ana)


def test_a_closed_request_takes_no_offers(client, ask, ana, zoraida):
    """Given Zoraida closed her request, when Ana offers, then she is told it no longer
    takes offers (409) and no offer is written."""
    request = ask()
    services.help_close(request_id=request.pk, by=zoraida)
    before = written()

    with pytest.raises(Conflict, match="no longer takes offers"):
        offer(request, ana)
    response = act(client, ana, request, "offer", {"kind": "reply", "message": "Late!"})

    assert "This request no longer takes offers." in response.content.decode()
    assert written() == before


def test_an_offer_without_a_kind_is_refused_and_nothing_written(client, ask, ana):
    """Given Zoraida's request, when Ana offers without choosing a kind (or with an empty
    message through the service), then she is told what is wrong and nothing is written."""
    request = ask()
    before = written()

    response = act(client, ana, request, "offer", {"kind": "hug", "message": "Hi"})
    assert "Select a valid choice." in response.content.decode()
    with pytest.raises(DomainError) as error:
        offer(request, ana, message="   ")
    assert error.value.field == "message"

    assert written() == before


def test_an_offer_with_an_empty_message_on_the_page_says_which_field(client, ask, ana):
    """Given Zoraida's request, when Ana offers a call on the page but leaves the message
    empty, then the message she gets names the message field, not just "This field is
    required."."""
    request = ask()

    response = act(client, ana, request, "offer", {"kind": "call", "message": ""})

    (said,) = flashed(response)
    assert "message" in said.lower(), said


# --- Picking ---------------------------------------------------------------------------------------


def test_picking_one_offer_tells_the_helper_and_thanks_the_others(client, ask, ana, ben, zoraida):
    """Given Ana and Ben offered, when Zoraida picks Ana's on the page, then Ana's offer is
    picked and Ben's is not, the request is being helped, Ana is told to reach out and Ben
    is thanked; the request leaves both inboxes."""
    request = ask()
    picked, other = offer(request, ana), offer(request, ben)

    response = act(client, zoraida, request, "pick", {"offer": str(picked.pk)})

    assert "Picked. They have been told." in response.content.decode()
    assert HelpOffer.objects.get(pk=picked.pk).status == OfferStatus.PICKED
    assert HelpOffer.objects.get(pk=other.pk).status == OfferStatus.NOT_PICKED
    found = HelpRequest.objects.get(pk=request.pk)
    assert (found.status, found.picked_id) == (HelpStatus.PICKED, picked.pk)
    assert told(ana)[-1] == "Zoraida Quist picked your offer. Reach out to them."
    assert told(ben)[-1] == "Thank you for offering help: the member went with another offer."
    for helper in (ana, ben):
        assert "OOMKilled" not in page(client, helper, "/help/?tab=inbox").content.decode()


def test_picking_with_a_relationship_starts_one(client, ask, ana, zoraida):
    """Given Ana's offer, when Zoraida picks it and ticks "also start a relationship", then
    she lands on their new relationship, whose topic is her request."""
    request = ask()
    picked = offer(request, ana)

    response = act(client, zoraida, request, "pick", {"offer": str(picked.pk), "relationship": "1"})

    relationship = Relationship.objects.get()
    assert {relationship.first, relationship.second} == {zoraida, ana}
    assert TEXT.startswith(relationship.topic) and len(relationship.topic) <= 80
    assert response.redirect_chain[-1][0] == f"/relationships/{relationship.pk}/"
    assert "Picked, and your relationship has started." in response.content.decode()


def test_picking_twice_is_refused(client, ask, ana, ben, zoraida):
    """Given Zoraida picked Ana's offer, when she picks Ben's too, then she is told she
    already picked (409) and Ben's offer stays not picked."""
    request = ask()
    first, second = offer(request, ana), offer(request, ben)
    services.help_pick(request_id=request.pk, offer_id=first.pk, by=zoraida)
    before = written()

    with pytest.raises(Conflict):
        services.help_pick(request_id=request.pk, offer_id=second.pk, by=zoraida)
    response = act(client, zoraida, request, "pick", {"offer": str(second.pk)})

    assert "You already picked an offer, or the request is closed." in response.content.decode()
    assert written() == before


def test_picking_an_offer_made_on_another_request_is_404(client, ask, ana, zoraida, make_person):
    """Given Ana offered on Kim's request (Kim is Zoraida's colleague), when Zoraida picks that
    offer's id on her own request, then 404 and nothing changes."""
    kim = make_person("kim")
    zoraida.memberships.get().organization.memberships.create(user=kim)
    mine = ask()
    theirs = ask(member=kim)
    foreign = offer(theirs, ana)
    before = written()

    with pytest.raises(NotFound):
        services.help_pick(request_id=mine.pk, offer_id=foreign.pk, by=zoraida)
    response = act(client, zoraida, mine, "pick", {"offer": str(foreign.pk)})

    assert response.status_code == 404
    assert written() == before


# --- Resolving ---------------------------------------------------------------------------------------


def test_resolving_needs_a_line_on_what_helped(client, ask, zoraida):
    """Given Zoraida's open request, when she marks it resolved without saying what helped,
    then she is told what is missing and it stays open."""
    request = ask()
    before = written()

    with pytest.raises(DomainError) as error:
        services.help_resolve(request_id=request.pk, by=zoraida, what_helped="  ")
    assert error.value.field == "what_helped"
    response = act(client, zoraida, request, "resolve", {"what_helped": "", "helped_by": ""})

    assert "This field is required." in response.content.decode()
    assert written() == before


def test_resolving_credits_only_someone_who_offered_or_had_a_booked_session(
    ask, ana, ben, gus, priya, zoraida
):
    """Given Ana offered on Zoraida's request and Ben (it was sent to him) did not, when she
    names Ben or Gus (a stranger) as who helped, then she is told they neither offered nor
    had a session booked for it, and nothing is written; naming Ana works."""
    request = ask()
    offer(request, ana)
    before = written()

    for handle in ("ben", "@gus", "priya"):
        with pytest.raises(DomainError) as error:
            services.help_resolve(
                request_id=request.pk, by=zoraida, what_helped="Helpful.", helped_by=handle
            )
        assert error.value.field == "helped_by"
        assert "neither offered on this request nor had a session booked for it" in (
            error.value.detail
        )
    assert written() == before

    services.help_resolve(request_id=request.pk, by=zoraida, what_helped="Ana.", helped_by="@Ana")
    assert HelpRequest.objects.get(pk=request.pk).helped_by == ana


def test_an_expert_with_a_confirmed_session_for_the_request_can_be_credited(
    ask, priya, ravi, zoraida
):
    """Given Zoraida's confirmed session with Priya booked for her request and one with Ravi
    booked for nothing in particular (neither offered), when she names each as who helped,
    then Ravi is refused and Priya is credited."""
    request = ask(urgency="today")
    services.booking_create(
        member=zoraida,
        expert_handle="priya",
        subject="Kubernetes",
        starts_at=slot_between(priya, 24),
        help_request_id=request.pk,
    )
    services.booking_create(
        member=zoraida, expert_handle="ravi", subject="Kubernetes", starts_at=slot_between(ravi, 72)
    )

    with pytest.raises(DomainError):
        services.help_resolve(
            request_id=request.pk, by=zoraida, what_helped="A session.", helped_by="ravi"
        )
    services.help_resolve(
        request_id=request.pk, by=zoraida, what_helped="Priya's session.", helped_by="priya"
    )

    assert HelpRequest.objects.get(pk=request.pk).helped_by == priya


def test_an_expert_whose_session_was_cancelled_cannot_be_credited(ask, priya, zoraida):
    """Given Zoraida booked Priya for her request and cancelled it, when she names Priya as
    who helped, then she is refused."""
    request = ask(urgency="today")
    booking = services.booking_create(
        member=zoraida,
        expert_handle="priya",
        subject="Kubernetes",
        starts_at=slot_between(priya, 24 * 5),
        help_request_id=request.pk,
    )
    services.booking_cancel(booking_id=booking.pk, by=zoraida)

    with pytest.raises(DomainError) as error:
        services.help_resolve(
            request_id=request.pk, by=zoraida, what_helped="A session.", helped_by="priya"
        )
    assert error.value.field == "helped_by"


def test_resolving_on_the_page_thanks_the_helper_and_records_help_evidence(
    client, ask, ana, zoraida
):
    """Given Ana's offer was picked, when Zoraida marks the request resolved on the page
    crediting Ana, then the page shows what helped and thanks Ana, Ana is told in
    Zoraida's words, and discovery now holds "help" evidence for Ana on Kubernetes."""
    request = ask()
    made = offer(request, ana)
    services.help_pick(request_id=request.pk, offer_id=made.pk, by=zoraida)
    assert list(hooks.helped()) == []
    page(client, zoraida, f"/help/{request.pk}/")

    response = act(
        client,
        zoraida,
        request,
        "resolve",
        {"what_helped": "A memory limit on the init container.", "helped_by": "ana"},
    )

    html = response.content.decode()
    assert "Resolved. Thank you: what helped now helps others find help." in html
    assert "Resolved: A memory limit on the init container. — thanks to Ana Lima" in html
    assert told(ana)[-1] == "You helped: “A memory limit on the init container.”"
    ((helper_id, evidence),) = list(hooks.helped())
    assert (helper_id, evidence.kind, evidence.tags) == (ana.pk, "help", ("kubernetes",))
    assert "A memory limit on the init container." in evidence.text


def test_what_helped_makes_the_helper_come_up_in_discovery(ask, ana, zoraida, make_person, initech):
    """Given Zoraida resolved her request crediting Ana, when Kim (a colleague learning
    Kubernetes) looks at her board and asks for Kubernetes help herself, then both give
    Ana's reason as having helped with a Kubernetes request; Ben, who helped nobody, has no
    such reason."""
    kim = make_person("kim", seeks=["Kubernetes"])
    initech.memberships.create(user=kim)
    request = ask()
    offer(request, ana)
    services.help_resolve(
        request_id=request.pk, by=zoraida, what_helped="Ana's memory tip.", helped_by="ana"
    )

    board = {
        rec.profile.user.handle: rec.reasons
        for goal in board_for(viewer=kim).goals
        for rec in goal.people
    }
    later = ask(member=kim)

    assert "helped with 1 request tagged Kubernetes" in board["ana"]
    assert not any("helped with" in reason for reason in board["ben"])
    reasons = {r.helper.handle: r.reasons for r in HelpRoute.objects.filter(request=later)}
    assert "helped with 1 request tagged Kubernetes" in reasons["ana"]
    assert not any("helped with" in reason for reason in reasons["ben"])


def test_closing_or_resolving_without_a_helper_records_no_evidence(ask, ana, zoraida):
    """Given two requests, one closed and one resolved as "I worked it out myself", when
    discovery reads help evidence, then there is none, and nobody was thanked."""
    first, second = ask(), ask()
    offer(first, ana)
    services.help_close(request_id=first.pk, by=zoraida)
    services.help_resolve(request_id=second.pk, by=zoraida, what_helped="Read the docs.")

    assert list(hooks.helped()) == []
    assert not any(text.startswith("You helped") for text in told(ana))
    with pytest.raises(Conflict, match="already closed"):
        services.help_resolve(request_id=first.pk, by=zoraida, what_helped="Too late.")


# --- The menu count ----------------------------------------------------------------------------------


def test_the_menu_counts_requests_waiting_for_a_helper_until_she_opens_them(
    client, ask, ana, ben, zoraida
):
    """Given Zoraida's request sent to Ana and Ben, when Ana looks at any page, then "Get
    help" shows 1 waiting (none before) and leads to her inbox, where it is marked new; once
    she opens the request the count is gone for her, and Ben's still shows 1."""
    assert page(client, ana, "/help/").context["help_waiting"] == 0
    request = ask()

    before = page(client, ana, "/help/")
    assert before.context["help_waiting"] == 1
    assert 'title="1 waiting for you"' in before.content.decode()
    assert 'href="/help/?tab=inbox"' in before.content.decode()
    assert "<strong>new</strong>" in page(client, ana, "/help/?tab=inbox").content.decode()

    page(client, ana, f"/help/{request.pk}/")

    after = page(client, ana, "/help/")
    assert after.context["help_waiting"] == 0
    assert "waiting for you" not in after.content.decode()
    assert page(client, ben, "/help/").context["help_waiting"] == 1
    assert page(client, zoraida, "/help/").context["help_waiting"] == 0
