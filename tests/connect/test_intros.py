"""Warm introductions: who Leo and Priya both know, asking that person (Sam) to pass an ask
on, and Sam's answer. The ask is checked when Leo writes it, as if sent (Sam's name counts
as a reason to write to Priya); it reaches Priya only when Sam forwards it, with Sam's note
and never with Leo's note to Sam. Everyone else gets 404; bad input is named and writes
nothing."""

import re

import pytest
from connect_helpers import api, as_member, run_tasks
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mentormesh.connect import selectors, services
from mentormesh.connect.models import Ask, Introduction, IntroStatus, Relationship
from mentormesh.errors import Conflict, DomainError, NotFound, PermissionDenied
from mentormesh.notifications.models import Notification
from mentormesh.people import services as people
from mentormesh.people.models import Membership

# Leo writes to Priya with nothing of hers to point at: only that Sam suggested it. As a
# cold ask the checker finds no reason to write to her; through Sam it is ready.
LEO_VIA_SAM = (
    "Hi Priya,\n\n"
    "I'm Leo, a second-year CS student. Sam Okafor, who mentors me, suggested I get in touch: "
    "our student club had its first outage at the spring hackathon and the meeting afterwards "
    "turned into finger-pointing.\n\n"
    "Thanks, Leo"
)
QUESTION = "How did you get engineers to be honest about what happened after an outage?"
NOTE_TO_SAM = "Between us, I'm nervous about cold messages. Would you pass this on to Priya?"
SAM_NOTE = "Leo is one of the sharpest students I mentor; worth half an hour of your time."
REFERRAL = (
    "Hi Priya,\n\nSam Okafor said you work at Northwind. Could you refer me for the open SRE "
    "role there? I think I am a strong fit.\n\nThanks, Leo"
)


def intro_payload(**changes) -> dict:
    payload = {
        "target": "priya",
        "via": "sam",
        "note_to_introducer": NOTE_TO_SAM,
        "message": LEO_VIA_SAM,
        "question": QUESTION,
        "time_minutes": 30,
        "skill": "Kubernetes",
    }
    return payload | changes


def intro_form(**changes) -> dict:
    form = {
        "note_to_introducer": NOTE_TO_SAM,
        "message": LEO_VIA_SAM,
        "question": QUESTION,
        "time_minutes": "30",
        "offer_back": "",
        "skill": "Kubernetes",
    }
    return form | changes


def page(response) -> str:
    return response.content.decode()


def contacts_of(client, viewer, handle: str) -> list[str]:
    """The handles the API offers `viewer` as people who could introduce them to `handle`."""
    response = api(as_member(client, viewer), "get", f"/api/people/{handle}/contacts")
    assert response.status_code == 200
    return [contact["handle"] for contact in response.json()]


def nothing_was_written() -> bool:
    return not (
        Introduction.objects.exists() or Ask.objects.exists() or Notification.objects.exists()
    )


def status_of(intro) -> str:
    return Introduction.objects.values_list("status", flat=True).get(pk=intro.pk)


def waiting_title(n: int) -> str:
    """The menu's count beside "Asks"."""
    return f'title="{n} waiting for your answer"'


@pytest.fixture
def sam(make_person, leo, priya, make_org):
    """Sam mentors Leo (a relationship) and works with Priya at Northwind: the one person
    Leo and Priya both know."""
    sam = make_person("sam", display_name="Sam Okafor", headline="Engineering manager")
    services.relationship_start(one=leo, other=sam, topic="Career chats")
    make_org("northwind", admin=priya, members=[sam])
    return sam


@pytest.fixture
def request_intro(sam):
    """Leo asks Sam, through the service, to introduce him to Priya."""

    def request_intro(requester, target_handle="priya", via_handle="sam", **changes):
        arguments = {
            "requester": requester,
            "target_handle": target_handle,
            "via_handle": via_handle,
            "note_to_introducer": NOTE_TO_SAM,
            "message": LEO_VIA_SAM,
            "question": QUESTION,
            "time_minutes": 30,
            "skill_name": "Kubernetes",
        }
        return services.intro_request(**(arguments | changes))

    return request_intro


@pytest.fixture
def intro(leo, request_intro):
    """Leo's request, waiting for Sam."""
    return request_intro(leo)


def on_team(user, org_slug: str, department: str) -> None:
    Membership.objects.filter(user=user, organization__slug=org_slug).update(department=department)


# --- Who counts as a shared contact ---------------------------------------------------------


def test_someone_who_knows_both_is_offered_with_how_each_side_knows_them(client, sam, leo):
    """Given Sam mentors Leo and works with Priya at Northwind, when Leo asks who could
    introduce him to Priya, then Sam is offered, saying how Leo knows Sam (their relationship
    about career chats) and how Sam knows Priya (Northwind)."""
    response = api(as_member(client, leo), "get", "/api/people/priya/contacts")

    assert response.status_code == 200
    (offered,) = response.json()
    assert (offered["handle"], offered["display_name"]) == ("sam", "Sam Okafor")
    assert "Career chats" in offered["with_me"]
    assert offered["with_them"] == "Northwind"


def test_closer_ties_come_first_and_a_shared_team_beats_a_shared_organization(
    client, make_person, make_org, leo, priya
):
    """Given Cyd in a relationship with both Leo and Priya; Ana on Leo's Platform team at Acme
    and on Priya's Search team at Globex; Ben at Acme in Data and on Priya's Search team (each
    joined in the reverse of that order), when Leo asks who could introduce him, then Cyd
    comes first, then Ana (two teams), then Ben (a team and an organization), each saying how
    Leo knows them."""
    ben, ana, cy = (make_person(h, display_name=h.title()) for h in ("ben", "ana", "cyd"))
    make_org("acme", admin=leo, members=[ana, ben])
    make_org("globex", admin=priya, members=[ana, ben])
    for user, org, department in [
        (leo, "acme", "Platform"),
        (ana, "acme", "Platform"),
        (ben, "acme", "Data"),
        (priya, "globex", "Search"),
        (ana, "globex", "Search"),
        (ben, "globex", "Search"),
    ]:
        on_team(user, org, department)
    services.relationship_start(one=leo, other=cy, topic="Rust study group")
    services.relationship_start(one=priya, other=cy, topic="Conference talk")

    offered = api(as_member(client, leo), "get", "/api/people/priya/contacts").json()

    assert [c["handle"] for c in offered] == ["cyd", "ana", "ben"]
    assert "Rust study group" in offered[0]["with_me"]
    assert offered[1]["with_me"] == "the Platform team at Acme"
    assert (offered[2]["with_me"], offered[2]["with_them"]) == (
        "Acme",
        "the Search team at Globex",
    )


def test_someone_who_only_shares_an_organization_with_each_is_not_offered(
    client, make_person, make_org, leo, priya
):
    """Given Dee works at Acme with both Leo and Priya, on no team with either, when Leo asks
    who could introduce him, then no one is offered (that is no warmer than a cold ask);
    once Dee joins Leo's Platform team, Dee is offered."""
    dee = make_person("dee", display_name="Dee")
    make_org("acme", admin=leo, members=[priya, dee])
    on_team(priya, "acme", "Sales")

    assert contacts_of(client, leo, "priya") == []
    on_team(leo, "acme", "Platform")
    on_team(dee, "acme", "Platform")
    assert contacts_of(client, leo, "priya") == ["dee"]


def test_at_most_five_are_offered_the_closest_first(client, make_user, make_org, leo, priya):
    """Given seven people on Leo and Priya's Platform team at Acme, two of whom Leo also
    mentors, when Leo asks who could introduce him, then five are offered, those two first."""
    colleagues = [make_user(f"colleague{n}") for n in range(7)]
    make_org("acme", admin=leo, members=[priya, *colleagues])
    for user in (leo, priya, *colleagues):
        on_team(user, "acme", "Platform")
    for mentee in colleagues[5:]:
        services.relationship_start(one=leo, other=mentee, topic="Mentoring")

    offered = contacts_of(client, leo, "priya")

    assert len(offered) == 5
    assert set(offered[:2]) == {"colleague5", "colleague6"}
    assert set(offered[2:]) < {f"colleague{n}" for n in range(5)}


def test_an_ended_relationship_does_not_count_but_a_paused_one_does(client, sam, leo):
    """Given Sam and Leo's relationship, when it is paused Sam is still offered; when it has
    ended Sam is no longer offered (Leo knows Sam only through it)."""
    relationship = Relationship.objects.get()

    services.relationship_update(relationship_id=relationship.pk, by=leo, status="paused")
    paused = contacts_of(client, leo, "priya")
    services.relationship_update(relationship_id=relationship.pk, by=leo, status="ended")
    ended = contacts_of(client, leo, "priya")

    assert paused == ["sam"]
    assert ended == []


@pytest.mark.parametrize(
    ("blocker", "blocked"),
    [("leo", "sam"), ("sam", "leo"), ("priya", "sam"), ("sam", "priya")],
)
def test_someone_in_a_block_with_either_side_is_never_offered(
    client, sam, leo, priya, blocker, blocked
):
    """Given Sam knows Leo and Priya, when one of Leo, Priya has blocked Sam or Sam has
    blocked one of them, then Leo is not offered Sam."""
    cast = {"leo": leo, "sam": sam, "priya": priya}
    services.block_add(by=cast[blocker], handle=blocked)

    assert contacts_of(client, leo, "priya") == []


def test_someone_whose_profile_the_viewer_cannot_see_is_not_offered(client, sam, leo):
    """Given Sam shows his profile only inside his organizations (Leo is not in one), when
    Leo asks who could introduce him to Priya, then Sam is not offered, even though Leo
    knows him."""
    people.profile_update(user=sam, changes={"visibility": "organizations"})

    assert contacts_of(client, leo, "priya") == []


def test_neither_person_is_offered_as_their_own_go_between(client, sam, leo, priya, make_org):
    """Given Leo and Priya also work together at Acme and have a relationship of their own,
    when either asks who could introduce them to the other, then only Sam is offered."""
    make_org("acme", admin=leo, members=[priya])
    services.relationship_start(one=leo, other=priya, topic="Incident reviews")

    assert contacts_of(client, leo, "priya") == ["sam"]
    assert contacts_of(client, priya, "leo") == ["sam"]


def test_no_one_is_offered_to_introduce_you_to_yourself(client, sam, leo):
    """Given Leo knows Sam, when Leo asks who could introduce him to himself, then no one
    is offered (an introduction to yourself makes no sense)."""
    assert contacts_of(client, leo, "leo") == []


def test_a_private_relationship_topic_is_not_shown_to_a_third_person(client, sam, leo, priya):
    """Given Sam also mentors Priya on something personal, when Leo looks for people who
    could introduce him to Priya (API and composer), then Sam is offered but the topic of
    Sam and Priya's relationship is not shown to Leo."""
    services.relationship_start(one=sam, other=priya, topic="Coping after my layoff")
    as_member(client, leo)

    offered = api(client, "get", "/api/people/priya/contacts").json()
    composer = page(client.get("/asks/new/priya/"))

    assert [c["handle"] for c in offered] == ["sam"]
    assert "layoff" not in str(offered)
    assert "Sam Okafor" in composer and "layoff" not in composer


def test_many_hidden_close_contacts_do_not_crowd_out_a_visible_one(
    client, make_user, make_org, leo, priya
):
    """Given twenty people Leo mentors who show their profiles only inside Northwind (Priya's
    organization, not Leo's), and Bob, on Leo and Priya's team at Acme, when Leo asks who
    could introduce him to Priya, then Bob is offered."""
    hidden = [make_user(f"hidden{n}") for n in range(20)]
    for user in hidden:
        people.profile_update(user=user, changes={"visibility": "organizations"})
        services.relationship_start(one=leo, other=user, topic="Mentoring")
    make_org("northwind", admin=priya, members=hidden)
    bob = make_user("bob")
    make_org("acme", admin=bob, members=[leo, priya])
    for user in (bob, leo, priya):
        on_team(user, "acme", "Platform")

    assert contacts_of(client, leo, "priya") == ["bob"]


# --- The composer ---------------------------------------------------------------------------


def test_the_composer_offers_each_shared_contact_an_introduction(client, sam, leo, mallory):
    """Given Sam knows Leo and Priya, when Leo opens the composer to Priya, then it says they
    know people in common, shows how, and offers "Ask Sam Okafor to introduce you" linking
    to the introduction composer; Mallory, who shares no one with Priya, is offered none."""
    shown = page(as_member(client, leo).get("/asks/new/priya/"))

    assert "You know people in common" in shown
    assert "Career chats" in shown and "Priya Raman through Northwind" in shown
    assert '<a class="button small secondary" href="/asks/new/priya/via/sam/">' in shown
    assert "Ask Sam Okafor to introduce you" in shown
    alone = page(as_member(client, mallory).get("/asks/new/priya/"))
    assert "You know people in common" not in alone and "/via/" not in alone


def test_the_introduction_composer_says_who_passes_it_on(client, sam, leo):
    """Given Sam is a shared contact, when Leo opens the link to ask Sam, then the page says
    he is asking Sam to introduce him to Priya, how each side knows Sam, and has a field for
    a line to Sam and a button "Send to Sam Okafor"."""
    response = as_member(client, leo).get("/asks/new/priya/via/sam/")

    shown = page(response)
    assert response.status_code == 200
    assert "Ask Sam Okafor to introduce you to Priya Raman" in shown
    assert "You know Sam Okafor through" in shown and "Career chats" in shown
    assert "Priya Raman knows them through Northwind" in shown
    assert 'name="note_to_introducer"' in shown
    assert "Send to Sam Okafor" in shown


def test_the_introduction_composer_for_someone_who_is_not_a_shared_contact_is_404(
    client, sam, leo, mallory
):
    """Given Mallory knows neither Leo nor Priya, when Leo opens the link to ask Mallory for
    an introduction, or to ask Priya to introduce him to herself, then it is 404."""
    as_member(client, leo)

    assert client.get("/asks/new/priya/via/mallory/").status_code == 404
    assert client.get("/asks/new/priya/via/priya/").status_code == 404
    assert client.post("/asks/new/priya/via/mallory/", intro_form()).status_code == 404
    assert nothing_was_written()


def test_the_live_check_on_the_introduction_composer_returns_the_findings_partial(client, sam, leo):
    """Given Leo writing the ask Sam will pass on, when the page posts his draft as he types
    (an HTMX request to the same address), then the answer is the findings fragment, not a
    page: a referral draft is "not ready yet" and says why, his draft that mentions only Sam
    is "ready to send" (Sam counts as a reason to write to Priya); nothing is sent."""
    as_member(client, leo)

    bad = client.post(
        "/asks/new/priya/via/sam/", intro_form(message=REFERRAL), HTTP_HX_REQUEST="true"
    )
    good = client.post("/asks/new/priya/via/sam/", intro_form(), HTTP_HX_REQUEST="true")

    assert bad.status_code == good.status_code == 200
    assert "<html" not in page(bad) and "<html" not in page(good)
    assert "not ready yet" in page(bad)
    assert "Asking for a job or a referral in a first message puts people off." in page(bad)
    assert "ready to send" in page(good) and "not ready" not in page(good)
    assert nothing_was_written()


def test_the_introducer_s_name_is_the_reason_to_write(client, sam, leo):
    """Given Leo's message that mentions nothing of Priya's, only that Sam suggested it, when
    he checks it as a cold ask, then it is not ready (nothing shows why her); when he asks Sam
    to pass the same message on, then it is accepted."""
    as_member(client, leo)

    cold = api(
        client,
        "post",
        "/api/asks/check",
        {"recipient": "priya", "message": f"{LEO_VIA_SAM}\n\n{QUESTION}", "time_minutes": 30},
    )
    warm = api(client, "post", "/api/intros", intro_payload())

    assert cold.json()["ready"] is False
    assert "no_reference" in [f["code"] for f in cold.json()["findings"]]
    assert warm.status_code == 201


# --- The whole way, on the pages ------------------------------------------------------------


def test_an_introduction_on_the_pages_from_request_to_the_ask_priya_receives(
    client, sam, leo, priya
):
    """Given Sam knows Leo and Priya, when Leo sends his request from the introduction
    composer, then he lands on it ("Sent to Sam Okafor to pass on.") and Sam is told; Sam's
    menu counts it, his Introductions tab lists it, its page shows Leo's note and ask; when
    Sam forwards it with a note, then Priya receives an ask from Leo showing "@sam introduced
    Leo Park" with Sam's note and is notified, Leo is told and sees "@sam introduced you",
    and Sam's menu count is gone."""
    sent = as_member(client, leo).post("/asks/new/priya/via/sam/", intro_form(), follow=True)

    intro = Introduction.objects.get()
    assert sent.redirect_chain == [(f"/intros/{intro.pk}/", 302)]
    assert "Sent to Sam Okafor to pass on." in page(sent)
    assert "Waiting for the introducer" in page(sent)
    (requested,) = sam.notifications.all()
    assert requested.text == "@leo asks you to introduce them to @priya"
    assert requested.url == f"/intros/{intro.pk}/"

    as_member(client, sam)
    tab = page(client.get("/asks/?box=intros"))
    assert waiting_title(1) in tab
    assert "Leo Park → Priya Raman" in tab and "(you introduce)" in tab
    assert f'href="/intros/{intro.pk}/"' in tab
    shown = page(client.get(f"/intros/{intro.pk}/"))
    assert "Leo Park would like to meet Priya Raman" in shown
    assert "nervous about cold messages" in shown and QUESTION in shown
    assert "Forward with my note" in shown and "Decline" in shown and "Withdraw" not in shown

    forwarded = client.post(f"/intros/{intro.pk}/forward/", {"note": SAM_NOTE}, follow=True)

    ask = Ask.objects.get()
    assert "Introduced. They receive the ask with your note." in page(forwarded)
    assert waiting_title(1) not in page(forwarded)
    assert (ask.sender, ask.recipient, ask.status) == (leo, priya, "pending")
    assert (ask.question, ask.message) == (QUESTION, LEO_VIA_SAM)
    (received,) = priya.notifications.all()
    assert received.text == f"@sam introduced @leo, who asks: {QUESTION}"
    assert received.url == f"/asks/{ask.pk}/"
    on_priya_s_page = page(as_member(client, priya).get(received.url))
    assert "@sam introduced Leo Park" in on_priya_s_page
    assert "one of the sharpest students I mentor" in on_priya_s_page
    assert waiting_title(1) in on_priya_s_page
    (told,) = leo.notifications.all()
    assert told.text == "@sam introduced you to @priya."
    assert told.url == f"/asks/{ask.pk}/"
    assert "@sam introduced you" in page(as_member(client, leo).get(told.url))


def test_the_requester_sees_the_introduction_in_their_tab_and_follows_it_to_the_ask(
    client, intro, sam, leo
):
    """Given Leo's request waiting for Sam, when Leo opens his Introductions tab, then it
    shows "Via Sam Okafor → Priya Raman" waiting; once Sam forwards it, the introduction page
    shows "Introduced", Sam's note and a link to follow the ask; Leo's menu counts nothing."""
    as_member(client, leo)
    tab = page(client.get("/asks/?box=intros"))
    assert "Via Sam Okafor → Priya Raman" in tab and "Waiting for the introducer" in tab
    assert "waiting for your answer" not in tab

    ask = services.intro_forward(intro_id=intro.pk, by=sam, note=SAM_NOTE)

    shown = page(client.get(f"/intros/{intro.pk}/"))
    assert "Introduced" in shown and "Sam Okafor's note" in shown
    assert "one of the sharpest students I mentor" in shown
    assert f'<a href="/asks/{ask.pk}/">Follow the ask</a>' in shown


def test_the_menu_count_leads_to_what_is_waiting(client, intro, sam):
    """Given only Leo's introduction waits for Sam, when Sam follows the "Asks" link with
    its count of 1 from the menu, then the page he lands on shows Leo's request."""
    as_member(client, sam)
    menu = page(client.get("/"))
    assert waiting_title(1) in menu
    (href,) = re.findall(r'<a href="(/asks/[^"]*)"[^>]*>Asks <span class="count"', menu)

    landed = page(client.get(href))

    assert f'href="/intros/{intro.pk}/"' in landed


# --- The whole way, on the API --------------------------------------------------------------


def test_an_introduction_through_the_api(client, sam, leo, priya):
    """Given Sam knows Leo and Priya, when Leo posts a request, then it is 201 waiting for
    Sam with how Sam knows Priya; Sam lists it; when Sam forwards it with a note, then it is
    forwarded with the id of the new ask, and Priya's ask says Sam introduced Leo, with
    Sam's note."""
    created = api(as_member(client, leo), "post", "/api/intros", intro_payload())

    assert created.status_code == 201
    body = created.json()
    assert (body["requester"], body["target"], body["introducer"]) == ("leo", "priya", "sam")
    assert (body["status"], body["ask_id"]) == ("requested", None)
    assert "@leo" in body["shared_context"] and "Career chats" in body["shared_context"]
    assert "@priya" in body["shared_context"] and "Northwind" in body["shared_context"]
    assert (body["note_to_introducer"], body["question"]) == (NOTE_TO_SAM, QUESTION)
    assert not Ask.objects.exists()

    as_member(client, sam)
    assert [i["id"] for i in api(client, "get", "/api/intros").json()] == [body["id"]]
    forwarded = api(client, "post", f"/api/intros/{body['id']}/forward", {"note": SAM_NOTE})

    assert forwarded.status_code == 200
    assert (forwarded.json()["status"], forwarded.json()["introducer_note"]) == (
        "forwarded",
        SAM_NOTE,
    )
    ask_id = forwarded.json()["ask_id"]
    (received,) = api(as_member(client, priya), "get", "/api/asks?box=received").json()
    assert received["id"] == ask_id
    assert (received["sender"], received["introduced_by"], received["intro_note"]) == (
        "leo",
        "sam",
        SAM_NOTE,
    )
    assert received["status"] == "pending" and received["question"] == QUESTION
    assert priya.notifications.get().url == f"/asks/{ask_id}/"
    assert leo.notifications.get().kind == "intro_forwarded"


def test_priya_accepts_an_introduced_ask_like_any_other(client, intro, sam, leo, priya):
    """Given Sam forwarded Leo's ask without a note, when Priya accepts it, then she and Leo
    have a relationship, and Leo's ask shows accepted and still says Sam introduced him."""
    ask = services.intro_forward(intro_id=intro.pk, by=sam)

    response = api(as_member(client, priya), "post", f"/api/asks/{ask.pk}/accept", {})

    assert response.status_code == 200
    assert response.json()["with_handle"] == "leo"
    (ask_json,) = api(as_member(client, leo), "get", "/api/asks").json()
    assert (ask_json["status"], ask_json["introduced_by"], ask_json["intro_note"]) == (
        "accepted",
        "sam",
        "",
    )


# --- Declining and withdrawing --------------------------------------------------------------


def test_sam_declines_kindly_and_leo_is_told_with_the_note(client, intro, sam, leo, priya):
    """Given Leo's request, when Sam declines it on the page with a note, then Sam sees
    "Done. We let them know kindly.", Leo is told Sam won't introduce him this time with the
    note, and sees it on the introduction; no ask is sent and Priya hears nothing; Leo may
    then ask again."""
    note = "I don't know Priya well enough to vouch, sorry."

    done = as_member(client, sam).post(f"/intros/{intro.pk}/decline/", {"note": note}, follow=True)

    assert "Done. We let them know kindly." in page(done)
    assert status_of(intro) == IntroStatus.DECLINED
    (told,) = leo.notifications.all()
    assert told.text == f"@sam won't introduce you to @priya this time: {note}"
    assert told.url == f"/intros/{intro.pk}/"
    shown = page(as_member(client, leo).get(told.url))
    assert "Not introduced" in shown and "know Priya well enough to vouch" in shown
    assert not Ask.objects.exists() and not priya.notifications.exists()
    again = api(client, "post", "/api/intros", intro_payload())
    assert again.status_code == 201


def test_declining_without_a_note_through_the_api(client, intro, sam, leo):
    """Given Leo's request, when Sam declines it through the API without a note, then it is
    declined and Leo's notification ends politely without a note."""
    response = api(as_member(client, sam), "post", f"/api/intros/{intro.pk}/decline", {})

    assert response.status_code == 200
    assert response.json()["status"] == "declined"
    assert leo.notifications.get().text == "@sam won't introduce you to @priya this time."


def test_leo_withdraws_and_sam_has_nothing_left_to_answer(client, intro, sam, leo):
    """Given Leo's request waiting for Sam, when Leo withdraws it on the page, then it is
    withdrawn, Sam's menu counts nothing and his forward is refused with 409, and no ask
    goes out."""
    as_member(client, sam)
    assert waiting_title(1) in page(client.get("/asks/"))

    withdrawn = as_member(client, leo).post(f"/intros/{intro.pk}/withdraw/", follow=True)

    assert "Withdrawn." in page(withdrawn)
    assert status_of(intro) == IntroStatus.WITHDRAWN
    as_member(client, sam)
    assert "waiting for your answer" not in page(client.get("/asks/"))
    late = api(client, "post", f"/api/intros/{intro.pk}/forward", {"note": SAM_NOTE})
    assert late.status_code == 409
    assert late.json()["detail"] == "Nothing changed: this introduction is now “Withdrawn”."
    assert not Ask.objects.exists()


def test_only_the_requester_may_withdraw(client, intro, sam):
    """Given Leo's request, when Sam posts withdraw through the API, then it is 403 naming
    who may, and the request still waits."""
    response = api(as_member(client, sam), "post", f"/api/intros/{intro.pk}/withdraw")

    assert response.status_code == 403
    assert response.json()["detail"] == "Only @leo can withdraw this."
    assert status_of(intro) == IntroStatus.REQUESTED


def test_the_requester_s_page_offers_only_withdraw(client, intro, leo):
    """Given Leo's request, when he opens it, then he can withdraw but not forward or decline,
    and it says who will pass it on."""
    shown = page(as_member(client, leo).get(f"/intros/{intro.pk}/"))

    assert "Introduction to Priya Raman via Sam Okafor" in shown
    assert "Withdraw" in shown
    assert "Forward with my note" not in shown and "Decline" not in shown


# --- Bad input, and who may do what ---------------------------------------------------------


def test_someone_who_is_not_a_shared_contact_is_refused_naming_them(client, sam, leo):
    """Given Mallory knows neither Leo nor Priya, when Leo asks Mallory to introduce him,
    then it is 400 naming @mallory as not someone both know, and nothing is written."""
    response = api(as_member(client, leo), "post", "/api/intros", intro_payload(via="mallory"))

    assert response.status_code == 400
    assert response.json()["detail"] == "@mallory is not someone you and @priya both know."
    assert nothing_was_written()


@pytest.mark.parametrize("via", ["leo", "priya", "@Leo"])
def test_you_cannot_go_through_yourself_or_the_person_you_want_to_reach(client, sam, leo, via):
    """Given Sam knows both, when Leo names himself or Priya as the go-between, then it is
    400 saying that person is not someone both know, and nothing is written."""
    response = api(as_member(client, leo), "post", "/api/intros", intro_payload(via=via))

    assert response.status_code == 400
    assert "is not someone you and @priya both know" in response.json()["detail"]
    assert nothing_was_written()


def test_asking_for_an_introduction_to_yourself_is_refused(client, sam, leo):
    """Given Sam knows Leo, when Leo asks Sam to introduce him to @leo, then it is 400 saying
    he cannot be introduced to himself, and nothing is written."""
    response = api(as_member(client, leo), "post", "/api/intros", intro_payload(target="leo"))

    assert response.status_code == 400
    assert response.json()["detail"] == "You cannot ask for an introduction to yourself."
    assert nothing_was_written()


def test_an_empty_note_to_the_introducer_is_422_naming_the_field(client, sam, leo):
    """Given Leo's request, when the line for Sam is empty, then it is 422 naming
    note_to_introducer; when it is only spaces, then it is 400 naming it; nothing is
    written."""
    as_member(client, leo)

    empty = api(client, "post", "/api/intros", intro_payload(note_to_introducer=""))
    blank = api(client, "post", "/api/intros", intro_payload(note_to_introducer="   "))

    assert empty.status_code == 422
    assert "note_to_introducer" in empty.json()["detail"]
    assert blank.status_code == 400
    assert blank.json()["detail"].startswith("note_to_introducer:")
    assert nothing_was_written()


def test_the_introduction_composer_refuses_an_empty_note_and_keeps_the_draft(client, sam, leo):
    """Given Leo's draft on the introduction composer without a line for Sam, when he sends
    it, then the page (400) says the field is required, keeps his question, and nothing is
    written."""
    response = as_member(client, leo).post(
        "/asks/new/priya/via/sam/", intro_form(note_to_introducer="")
    )

    assert response.status_code == 400
    assert "This field is required." in page(response)
    assert QUESTION in page(response)
    assert nothing_was_written()


def test_a_weak_ask_is_refused_by_the_checker_and_nothing_is_written(client, sam, leo):
    """Given Leo asks Priya for a referral, when he asks Sam to pass it on, then it is 400
    with the job-first finding, and no introduction or notification exists; on the composer
    the finding shows beside his draft."""
    as_member(client, leo)

    response = api(client, "post", "/api/intros", intro_payload(message=REFERRAL))
    on_page = client.post("/asks/new/priya/via/sam/", intro_form(message=REFERRAL))

    assert response.status_code == 400
    assert response.json()["error"] == "not_ready:job_first"
    assert "referral" in response.json()["detail"]
    assert on_page.status_code == 400
    assert "Asking for a job or a referral" in page(on_page)
    assert nothing_was_written()


def test_someone_who_blocked_you_cannot_be_reached_through_an_introduction(client, sam, leo, priya):
    """Given Priya blocked Leo, when Leo asks Sam to introduce him to her, then it is 403
    saying she is not taking asks from him, and nothing is written."""
    services.block_add(by=priya, handle="leo")

    response = api(as_member(client, leo), "post", "/api/intros", intro_payload())

    assert response.status_code == 403
    assert response.json()["detail"] == "@priya is not taking asks from you."
    assert not Introduction.objects.exists() and not sam.notifications.exists()


def test_an_introducer_who_blocked_you_refuses_with_403(client, sam, leo):
    """Given Sam blocked Leo, when Leo asks Sam to introduce him to Priya, then it is 403
    saying Sam is not taking requests from him, and nothing is written."""
    services.block_add(by=sam, handle="leo")

    response = api(as_member(client, leo), "post", "/api/intros", intro_payload())

    assert response.status_code == 403
    assert response.json()["detail"] == "@sam is not taking requests from you."
    assert not Introduction.objects.exists()


def test_a_block_after_the_request_stops_the_forward(client, intro, sam, leo, priya):
    """Given Leo's request waiting for Sam, when Priya blocks Leo, then the request closes
    (as Leo's asks to her do), so Sam's forward is refused and no ask reaches her."""
    services.block_add(by=priya, handle="leo")

    response = api(as_member(client, sam), "post", f"/api/intros/{intro.pk}/forward", {})

    assert response.status_code == 403
    assert response.json()["detail"] == "This ask can no longer reach @priya."
    assert status_of(intro) == IntroStatus.DECLINED
    assert not Ask.objects.exists() and not priya.notifications.exists()


def test_a_request_is_not_forwarded_to_someone_the_requester_has_since_blocked(
    client, intro, sam, leo, priya
):
    """Given Leo's request waiting for Sam, when Leo blocks Priya and then Sam forwards it,
    then it is refused and no ask from Leo reaches Priya (as Leo could not ask her himself)."""
    services.block_add(by=leo, handle="priya")

    response = api(as_member(client, sam), "post", f"/api/intros/{intro.pk}/forward", {})

    assert response.status_code in (400, 403, 409)
    assert not Ask.objects.exists() and not priya.notifications.exists()


def test_blocking_the_requester_closes_their_waiting_request(client, intro, sam):
    """Given Leo's request waiting for Sam, when Sam blocks Leo, then it no longer waits for
    Sam: his menu counts nothing (as for an ask from someone he blocked)."""
    services.block_add(by=sam, handle="leo")

    assert status_of(intro) != IntroStatus.REQUESTED
    assert "waiting for your answer" not in page(as_member(client, sam).get("/asks/"))


def test_a_second_request_for_the_same_person_is_409(client, sam, leo, priya, make_person):
    """Given Leo's request to be introduced to Priya waiting, when he submits it again, or
    asks Ana (who also knows both) for the same introduction, then it is 409 and one request
    remains and Sam has one notification."""
    ana = make_person("ana", display_name="Ana Silva")
    services.relationship_start(one=leo, other=ana, topic="Pairing")
    services.relationship_start(one=ana, other=priya, topic="Reading group")
    as_member(client, leo)
    assert api(client, "post", "/api/intros", intro_payload()).status_code == 201

    again = api(client, "post", "/api/intros", intro_payload())
    via_ana = api(
        client,
        "post",
        "/api/intros",
        intro_payload(via="ana", message=LEO_VIA_SAM.replace("Sam Okafor", "Ana Silva")),
    )

    assert again.status_code == via_ana.status_code == 409
    assert "already asked for an introduction to @priya" in again.json()["detail"]
    assert Introduction.objects.count() == 1
    assert sam.notifications.count() == 1 and not ana.notifications.exists()


def test_an_introduction_while_an_ask_to_the_same_person_is_open_is_409(
    client, sam, leo, priya, send
):
    """Given Leo's own ask to Priya still waiting, when he asks Sam to introduce him to her,
    then it is 409 saying he already has an open ask to her, and nothing goes to Sam."""
    send(leo, priya)

    response = api(as_member(client, leo), "post", "/api/intros", intro_payload())

    assert response.status_code == 409
    assert "already have an open ask to @priya" in response.json()["detail"]
    assert not Introduction.objects.exists() and not sam.notifications.exists()


def test_asking_directly_while_an_introduction_waits_is_409(client, intro, leo, priya):
    """Given Leo's request waiting for Sam, when Leo asks Priya directly, then it is 409
    telling him to withdraw the request first; Priya gets nothing and the request waits."""
    response = api(
        as_member(client, leo),
        "post",
        "/api/asks",
        {"recipient": "priya", "message": LEO_VIA_SAM, "question": "How?", "time_minutes": 30},
    )

    assert response.status_code == 409
    assert "withdraw it before asking directly" in response.json()["detail"]
    assert status_of(intro) == IntroStatus.REQUESTED
    assert not Ask.objects.exists() and not priya.notifications.exists()


def test_forwarding_twice_is_409_and_priya_gets_one_ask(client, intro, sam, priya):
    """Given Sam forwarded Leo's request, when he forwards it again (a double click), then it
    is 409 saying it is already introduced; Priya has one ask and one notification."""
    as_member(client, sam)
    first = api(client, "post", f"/api/intros/{intro.pk}/forward", {"note": SAM_NOTE})

    second = api(client, "post", f"/api/intros/{intro.pk}/forward", {"note": "Again"})

    assert first.status_code == 200 and second.status_code == 409
    assert second.json()["detail"] == "Nothing changed: this introduction is now “Introduced”."
    assert Ask.objects.get().intro_note == SAM_NOTE
    assert priya.notifications.count() == 1


def test_a_second_forward_on_the_page_says_it_is_done(client, intro, sam):
    """Given Sam forwarded Leo's request, when the forward form is posted again, then the page
    says nothing changed and there is one ask."""
    as_member(client, sam)
    client.post(f"/intros/{intro.pk}/forward/", {"note": SAM_NOTE})

    again = client.post(f"/intros/{intro.pk}/forward/", {"note": SAM_NOTE}, follow=True)

    assert "Nothing changed: this introduction is now “Introduced”." in page(again)
    assert Ask.objects.count() == 1


def test_the_requester_cannot_forward_their_own_request(client, intro, leo):
    """Given Leo's request, when Leo posts forward on it, then it is 403 naming who may, the
    request still waits and no ask exists."""
    response = api(as_member(client, leo), "post", f"/api/intros/{intro.pk}/forward", {})

    assert response.status_code == 403
    assert response.json()["detail"] == "Only @sam can forward this."
    assert status_of(intro) == IntroStatus.REQUESTED
    assert not Ask.objects.exists()


def test_the_requester_clicking_forward_or_decline_is_told_no(client, intro, leo):
    """Given Leo's request, when Leo posts the forward or the decline form on the page, then
    he is told only Sam can, and the request still waits."""
    as_member(client, leo)

    forward = client.post(f"/intros/{intro.pk}/forward/", {"note": "Me!"}, follow=True)
    decline = client.post(f"/intros/{intro.pk}/decline/", {"note": ""}, follow=True)

    assert "Only @sam can forward this." in page(forward)
    assert "Only @sam can decline this." in page(decline)
    assert status_of(intro) == IntroStatus.REQUESTED
    assert not Ask.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"via": ""}, "via"),
        ({"target": ""}, "target"),
        ({"time_minutes": 20}, "time_minutes"),
        ({"question": ""}, "question"),
        ({"note_to_introducer": "x" * 501}, "note_to_introducer"),
        ({"introducer": "sam"}, "introducer"),
    ],
    ids=["no-via", "no-target", "odd-minutes", "no-question", "long-note", "unknown-field"],
)
def test_wrong_json_is_422_naming_the_field_and_writes_nothing(client, sam, leo, changes, field):
    """Given Leo's request, when a field is missing, the wrong value or unknown, then it is
    422 naming the field, and nothing is written."""
    response = api(as_member(client, leo), "post", "/api/intros", intro_payload(**changes))

    assert response.status_code == 422
    assert field in response.json()["detail"]
    assert nothing_was_written()


def test_a_note_too_long_for_the_answer_is_422(client, intro, sam):
    """Given Leo's request, when Sam forwards it with a note of 501 characters, then it is
    422 naming note, and the request still waits."""
    response = api(
        as_member(client, sam), "post", f"/api/intros/{intro.pk}/forward", {"note": "x" * 501}
    )

    assert response.status_code == 422
    assert "note" in response.json()["detail"]
    assert status_of(intro) == IntroStatus.REQUESTED


@pytest.mark.parametrize("who", ["mallory", "priya"])
@pytest.mark.parametrize(
    ("method", "action", "payload"),
    [
        ("get", "", None),
        ("post", "/forward", {"note": "Sure"}),
        ("post", "/decline", {}),
        ("post", "/withdraw", None),
    ],
)
def test_anyone_else_gets_404_on_an_introduction_through_the_api(
    client, intro, mallory, priya, who, method, action, payload
):
    """Given Leo's request to Sam, when Mallory (party to nothing) or Priya (the person to be
    introduced) reads or answers it through the API, then it is 404 and it still waits."""
    someone = {"mallory": mallory, "priya": priya}[who]

    response = api(as_member(client, someone), method, f"/api/intros/{intro.pk}{action}", payload)

    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    assert status_of(intro) == IntroStatus.REQUESTED
    assert not Ask.objects.exists()


@pytest.mark.parametrize("who", ["mallory", "priya"])
def test_anyone_else_gets_404_on_the_introduction_pages(client, intro, mallory, priya, who):
    """Given Leo's request to Sam, when Mallory or Priya opens it or posts an answer on the
    page, then it is 404, their lists hold nothing, and it still waits."""
    as_member(client, {"mallory": mallory, "priya": priya}[who])

    assert client.get(f"/intros/{intro.pk}/").status_code == 404
    for action in ("forward", "decline", "withdraw"):
        assert client.post(f"/intros/{intro.pk}/{action}/", {"note": "x"}).status_code == 404
    assert api(client, "get", "/api/intros").json() == []
    assert "No introductions yet." in page(client.get("/asks/?box=intros"))
    assert status_of(intro) == IntroStatus.REQUESTED


def test_services_treat_anyone_else_as_not_found(intro, mallory):
    """Given Leo's request, when Mallory calls the services on it, then each raises NotFound,
    as for a request that does not exist."""
    for call in (
        lambda: selectors.intro_get(viewer=mallory, intro_id=intro.pk),
        lambda: services.intro_forward(intro_id=intro.pk, by=mallory),
        lambda: services.intro_decline(intro_id=intro.pk, by=mallory),
        lambda: services.intro_withdraw(intro_id=intro.pk, by=mallory),
    ):
        with pytest.raises(NotFound):
            call()


def test_service_errors_are_the_right_kinds(intro, leo, sam, request_intro):
    """Given Leo's request, when the wrong person forwards, it is forwarded twice, or Leo asks
    again, then the services raise PermissionDenied, Conflict and Conflict."""
    with pytest.raises(PermissionDenied):
        services.intro_forward(intro_id=intro.pk, by=leo)
    services.intro_forward(intro_id=intro.pk, by=sam)
    with pytest.raises(Conflict):
        services.intro_forward(intro_id=intro.pk, by=sam)
    with pytest.raises(DomainError) as error:
        request_intro(leo, via_handle="mallory")
    assert error.value.field == "via"


# --- What Priya never sees ------------------------------------------------------------------


def test_priya_never_sees_leo_s_note_to_sam(
    client, intro, sam, priya, mailoutbox, django_capture_on_commit_callbacks
):
    """Given Sam forwarded Leo's request, when Priya reads her ask on the page and the API,
    her notifications, her email and the introductions she is in, then Sam's note is there
    and Leo's private line to Sam is nowhere."""
    with django_capture_on_commit_callbacks(execute=True):
        ask = services.intro_forward(intro_id=intro.pk, by=sam, note=SAM_NOTE)
    run_tasks("notification_email")
    as_member(client, priya)

    seen = [
        page(client.get(f"/asks/{ask.pk}/")),
        page(client.get("/asks/?box=received")),
        page(client.get("/asks/?box=intros")),
        page(api(client, "get", f"/api/asks/{ask.pk}")),
        page(api(client, "get", "/api/asks?box=received")),
        page(api(client, "get", "/api/intros")),
        " ".join(priya.notifications.values_list("text", flat=True)),
        " ".join(f"{m.subject} {m.body}" for m in mailoutbox if m.to == ["priya@example.org"]),
    ]

    assert "one of the sharpest students I mentor" in seen[0]
    assert "@sam introduced @leo" in seen[-1]
    for text in seen:
        assert "nervous about cold messages" not in text


# --- Lists ----------------------------------------------------------------------------------


def test_the_introductions_tab_costs_the_same_queries_for_one_or_many(
    client, make_user, make_org, leo
):
    """Given Leo with one introduction to make and one he asked for, when he opens the
    Introductions tab, then it costs the same number of queries as with four of each."""

    def add(n: int) -> None:
        someone, other = make_user(f"someone{n}"), make_user(f"other{n}")
        for requester, introducer, target in [(someone, leo, other), (leo, someone, other)]:
            Introduction.objects.create(
                requester=requester, introducer=introducer, target=target,
                shared_context="Acme", note_to_introducer="Please", message="Hello",
                question=f"Question {n}?", check_score=90,
            )  # fmt: skip

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/asks/?box=intros").status_code == 200
        return len(captured)

    as_member(client, leo)
    add(0)
    one = queries()
    for n in (1, 2, 3):
        add(n)
    many = queries()

    assert one == many
