"""Issue 5, in a real browser: a host announces a question-first panel; three members RSVP and
ask (one anonymously) and vote, and the board reorders live; a panelist marks the top question
answered; after the event an attendee follows up with the panelist from the event page, the
composer already saying where they met. The anonymous author is never shown to anyone else."""

import json
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from browser_helpers import log_in, nav, open_page
from django.utils import timezone
from playwright.sync_api import expect

from mentormesh.community import services as community
from mentormesh.community.models import Event, EventKind, Question, Rsvp, RsvpStatus, Vote
from mentormesh.connect.models import Ask

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LISBON, KOLKATA = "Europe/Lisbon", "Asia/Kolkata"
NEW_YORK, BERLIN, TOKYO = "America/New_York", "Europe/Berlin", "Asia/Tokyo"

TITLE = "Kubernetes in production: ask the panel"
DESCRIPTION = "Bring the questions you have about running **Kubernetes** for real."
MEET_URL = "https://meet.example.org/k8s-panel"
BEN_QUESTION = "How do you size resource requests before you have any traffic data?"
CLEO_QUESTION = "Which parts of the cluster would you never run yourself?"
ZOFIA_QUESTION = "How do you recover when etcd loses quorum in the middle of the night?"
ANSWER = "Restore from the latest snapshot onto a fresh member; rehearse it every quarter."
# Everything that would give the anonymous author away.
ZOFIA_TRACES = ("Zofia", "Nowak", "zofia")
# The console errors this journey causes knowingly; no others may appear.
EXPECTED_CONSOLE_ERRORS: set[str] = set()


@pytest.fixture
def cast(make_person):
    """Lena hosts from Lisbon; Priya (Kolkata) offers Kubernetes and sits on the panel; Ben
    (New York), Cleo (Berlin) and Zofia (Tokyo) come to ask."""
    return {
        "lena": make_person(
            "lena", display_name="Lena Fischer", headline="Engineering manager", timezone=LISBON
        ),
        "priya": make_person(
            "priya",
            display_name="Priya Raman",
            headline="Platform engineer",
            bio="I run Kubernetes clusters for a payments company.",
            hours_per_month=3,
            timezone=KOLKATA,
            offers=[("Kubernetes", 3)],
        ),
        "ben": make_person(
            "ben", display_name="Ben Adeyemi", timezone=NEW_YORK, seeks=["Kubernetes"]
        ),
        "cleo": make_person(
            "cleo", display_name="Cleo Martin", timezone=BERLIN, seeks=["Kubernetes"]
        ),
        "zofia": make_person(
            "zofia", display_name="Zofia Nowak", timezone=TOKYO, seeks=["Kubernetes"]
        ),
    }


def open_event(page, title: str = TITLE) -> None:
    """Events in the navigation, then the event's title in the list."""
    nav(page).get_by_role("link", name="Events").click()
    expect(page).to_have_url(re.compile(r"/events/$"))
    page.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def board(page):
    return page.get_by_role("region", name="Questions")


def questions_in_order(page):
    """The board's questions, top first (each card's question text)."""
    return board(page).locator("ol.board > li.question .text > p:first-child")


def question_card(page, text: str):
    return board(page).locator("li.question", has_text=text)


def rsvp_and_ask(page, question: str, *, anonymously: bool = False) -> None:
    seats = page.get_by_role("region", name="Seats")
    seats.get_by_role("button", name="I'm going").click()
    expect(page.locator(".messages")).to_contain_text("You are going.")
    expect(seats).to_contain_text("You are going.")
    # The join link shows once going
    expect(page.get_by_role("link", name=MEET_URL)).to_be_visible()
    board(page).get_by_label("Your question").fill(question)
    if anonymously:
        board(page).get_by_label("Ask anonymously").check()
    board(page).get_by_role("button", name="Add my question").click()
    expect(page.locator(".messages")).to_contain_text("Your question is on the board.")
    mine = question_card(page, question)
    expect(mine).to_contain_text("You asked, anonymously" if anonymously else "You asked")


def vote(page, question: str) -> None:
    """▲ Vote posts with HTMX (no page load); the board comes back, the button pressed."""
    with page.expect_response(re.compile(r"/questions/\d+/vote/$")) as posted:
        page.get_by_role("button", name=f"Vote: {question}", exact=True).click()
    assert posted.value.request.headers.get("hx-request") == "true"
    assert posted.value.status == 200  # the board itself, not a redirect
    expect(
        page.get_by_role("button", name=f"Take back my vote: {question}", exact=True)
    ).to_have_attribute("aria-pressed", "true")


def assert_no_trace_of_zofia(page, event_id: int, who: str) -> None:
    """Neither the page, the live board partial nor the API names the anonymous author."""
    sources = {
        "page": page.content(),
        "board partial": page.request.get(f"/events/{event_id}/board/").text(),
        "API": page.request.get(f"/api/events/{event_id}/questions").text(),
    }
    for where, text in sources.items():
        assert ZOFIA_QUESTION in text, (who, where)  # the question is there, not its author
        for trace in ZOFIA_TRACES:
            assert trace not in text, f"{trace!r} in {who}'s {where}"
    anonymous = [q for q in json.loads(sources["API"]) if q["text"] == ZOFIA_QUESTION]
    assert anonymous and anonymous[0]["author"] is None and anonymous[0]["anonymous"] is True


def test_panel_announced_asked_voted_answered_and_followed_up(
    page, browser, live_server, cast, results_dir
):
    host = page
    # The `page` fixture records console messages and page errors; add console errors.
    host.console_errors = []
    host.on(
        "console",
        lambda message: (
            host.console_errors.append(message.text) if message.type == "error" else None
        ),
    )
    panelist, ben, cleo, zofia = (open_page(browser, live_server.url) for _ in range(4))
    pages = {"lena": host, "priya": panelist, "ben": ben, "cleo": cleo, "zofia": zofia}

    try:
        # --- The host announces a question-first panel ---------------------------------------
        log_in(host, "lena")
        nav(host).get_by_role("link", name="Events").click()
        host.get_by_role("link", name="Host an event").click()
        expect(host).to_have_url(re.compile(r"/events/new/$"))
        expect(host.get_by_role("heading", name="Host an event")).to_be_visible()

        starts_local = (timezone.now().astimezone(ZoneInfo(LISBON)) + timedelta(days=3)).replace(
            hour=17, minute=0, second=0, microsecond=0
        )
        host.get_by_label("Kind").select_option(label="Question-first panel")
        host.get_by_label("Title").fill(TITLE)
        host.get_by_label("Description").fill(DESCRIPTION)
        host.get_by_label("Starts (your time zone)").fill(starts_local.strftime("%Y-%m-%dT%H:%M"))
        host.get_by_label("Length").select_option(label="1 hour")
        host.get_by_label("Capacity").fill("25")
        host.get_by_label("Link to join online").fill(MEET_URL)
        host.get_by_label("Skills").fill("Kubernetes")
        host.get_by_label("Panelists").fill("priya")
        host.screenshot(path=results_dir / "panel_event_new.png", full_page=True)
        host.get_by_role("button", name="Announce").click()

        expect(host).to_have_url(re.compile(r"/events/\d+/$"))
        expect(host.locator(".messages")).to_contain_text(
            "Announced. Share the page; the question board is open."
        )
        expect(host.get_by_role("heading", level=1)).to_have_text(TITLE)
        event = Event.objects.get()
        event_id = event.pk
        assert (event.kind, event.host, event.capacity) == (EventKind.PANEL, cast["lena"], 25)
        # 17:00 in Lisbon, whatever the server's zone; one hour long
        assert event.starts_at == starts_local
        assert event.ends_at - event.starts_at == timedelta(hours=1)
        when = host.locator("p.when")
        expect(when).to_contain_text("Question-first panel")
        expect(when).to_contain_text("17:00–18:00 your time")
        expect(when).to_contain_text("hosted by Lena Fischer")
        about = host.get_by_role("region", name="About")
        expect(about.locator(".prose strong")).to_have_text("Kubernetes")
        expect(about.locator(".chip")).to_have_text("Kubernetes")
        expect(about.get_by_role("link", name="Priya Raman")).to_be_visible()
        expect(board(host)).to_contain_text("No questions yet.")

        # --- Three members RSVP and ask; Zofia anonymously --------------------------------
        for person, handle, question, anonymously in (
            (ben, "ben", BEN_QUESTION, False),
            (cleo, "cleo", CLEO_QUESTION, False),
            (zofia, "zofia", ZOFIA_QUESTION, True),
        ):
            log_in(person, handle)
            open_event(person)
            rsvp_and_ask(person, question, anonymously=anonymously)
        expect(zofia.locator(".messages")).to_contain_text("No one can see it was you.")
        assert Rsvp.objects.filter(event=event, status=RsvpStatus.GOING).count() == 3
        assert Question.objects.get(text=ZOFIA_QUESTION).anonymous
        # Nothing voted yet: oldest first
        expect(questions_in_order(zofia)).to_have_text(
            [BEN_QUESTION, CLEO_QUESTION, ZOFIA_QUESTION]
        )

        # --- They vote; the board reorders -------------------------------------------------
        # Zofia votes for Cleo's question, which moves to the top
        vote(zofia, CLEO_QUESTION)
        expect(questions_in_order(zofia)).to_have_text(
            [CLEO_QUESTION, BEN_QUESTION, ZOFIA_QUESTION]
        )
        expect(question_card(zofia, CLEO_QUESTION).locator(".votes strong")).to_have_text("1")

        # Ben votes for Cleo's too, thinks better of it and takes it back
        ben.reload()
        vote(ben, CLEO_QUESTION)
        expect(question_card(ben, CLEO_QUESTION).locator(".votes strong")).to_have_text("2")
        ben.get_by_role("button", name=f"Take back my vote: {CLEO_QUESTION}").click()
        expect(ben.get_by_role("button", name=f"Vote: {CLEO_QUESTION}")).to_have_attribute(
            "aria-pressed", "false"
        )
        expect(question_card(ben, CLEO_QUESTION).locator(".votes strong")).to_have_text("1")

        # Ben and Cleo vote for the anonymous question: two votes, to the top
        vote(ben, ZOFIA_QUESTION)
        # (one each: tied with Cleo's, the older question stays above)
        expect(questions_in_order(ben)).to_have_text([CLEO_QUESTION, ZOFIA_QUESTION, BEN_QUESTION])
        cleo.reload()
        vote(cleo, ZOFIA_QUESTION)
        final_order = [ZOFIA_QUESTION, CLEO_QUESTION, BEN_QUESTION]
        expect(questions_in_order(cleo)).to_have_text(final_order)
        expect(question_card(cleo, ZOFIA_QUESTION).locator(".votes")).to_contain_text("2votes")
        assert Vote.objects.filter(question__text=ZOFIA_QUESTION).count() == 2

        # Ben's page, left open, catches up by itself (the board refreshes every 10 s)
        expect(questions_in_order(ben)).to_have_text(final_order, timeout=15_000)
        ben.screenshot(path=results_dir / "panel_board_voted.png", full_page=True)

        # Zofia sees her own question marked as hers; everyone else sees "Anonymous"
        zofia.reload()
        expect(questions_in_order(zofia)).to_have_text(final_order)
        expect(question_card(zofia, ZOFIA_QUESTION)).to_contain_text("You asked, anonymously")
        expect(question_card(cleo, ZOFIA_QUESTION)).to_contain_text("Anonymous")
        expect(question_card(cleo, BEN_QUESTION)).to_contain_text("Ben Adeyemi")

        # --- The panelist sees the board in her own time ------------------------------------
        log_in(panelist, "priya")
        open_event(panelist)
        kolkata = event.starts_at.astimezone(ZoneInfo(KOLKATA))
        expect(panelist.locator("p.when")).to_contain_text(
            f"{kolkata:%H:%M}–{event.ends_at.astimezone(ZoneInfo(KOLKATA)):%H:%M} your time"
        )
        expect(questions_in_order(panelist)).to_have_text(final_order)
        host.reload()
        expect(questions_in_order(host)).to_have_text(final_order)

        # --- No one but Zofia can tell the anonymous question is hers ------------------------
        for who, person in (("lena", host), ("priya", panelist), ("ben", ben), ("cleo", cleo)):
            expect(question_card(person, ZOFIA_QUESTION)).to_contain_text("Anonymous")
            assert_no_trace_of_zofia(person, event_id, who)
        # Nor do the host's and the panelist's moderation views
        host.goto(f"/events/{event_id}/?manage=1")
        expect(question_card(host, ZOFIA_QUESTION)).to_contain_text("Anonymous")
        assert_no_trace_of_zofia(host, event_id, "lena (moderating)")
        host.screenshot(path=results_dir / "panel_host_moderate.png", full_page=True)

        # --- The panelist marks the top question answered ----------------------------------
        panelist.get_by_role("link", name="Answer and moderate").click()
        expect(panelist).to_have_url(re.compile(rf"/events/{event_id}/\?manage=1#board$"))
        assert_no_trace_of_zofia(panelist, event_id, "priya (moderating)")
        top = board(panelist).locator("ol.board > li.question").first
        expect(top).to_contain_text(ZOFIA_QUESTION)
        top.locator("summary", has_text="Mark answered").click()
        top.get_by_role("textbox", name="A short written answer (optional)").fill(ANSWER)
        panelist.screenshot(path=results_dir / "panel_answering.png", full_page=True)
        top.get_by_role("button", name="Mark answered").click()

        expect(panelist).to_have_url(re.compile(rf"/events/{event_id}/\?manage=1#board$"))
        expect(panelist.locator(".messages")).to_contain_text("Marked answered.")
        answered = question_card(panelist, ZOFIA_QUESTION)
        expect(answered).to_contain_text("Answered")
        expect(answered.locator("blockquote")).to_have_text(ANSWER)
        answered_question = Question.objects.get(text=ZOFIA_QUESTION)
        assert answered_question.answered_at is not None
        assert answered_question.answered_by == cast["priya"]

        # Members see it answered: Zofia on reload, Ben's open page by the live refresh
        zofia.reload()
        mine = question_card(zofia, ZOFIA_QUESTION)
        expect(mine).to_contain_text("You asked, anonymously · Answered")
        expect(mine.locator("blockquote")).to_have_text(ANSWER)
        theirs = question_card(ben, ZOFIA_QUESTION)
        expect(theirs.locator(".badge", has_text="Answered")).to_be_visible(timeout=15_000)
        expect(theirs.locator("blockquote")).to_have_text(ANSWER)
        expect(question_card(ben, CLEO_QUESTION)).not_to_contain_text("Answered")
        assert_no_trace_of_zofia(ben, event_id, "ben (answered)")
        ben.screenshot(path=results_dir / "panel_answered.png", full_page=True)

        # --- Time passes ------------------------------------------------------------------
        # A live test cannot wait three days for the panel to happen, so move it into the
        # past in the database: it started three hours ago and ended two hours ago.
        started = timezone.now() - timedelta(hours=3)
        Event.objects.filter(pk=event_id).update(
            starts_at=started, ends_at=started + timedelta(hours=1)
        )

        # --- Ben, who asked and voted, follows up with the panelist -----------------------
        ben.reload()
        expect(ben.get_by_role("region", name="Seats")).to_contain_text("3 of 25 went")
        follow = ben.get_by_role("region", name="Follow up with")
        expect(follow).to_be_visible()
        cards = follow.locator("li.person")
        expect(cards.first).to_contain_text("Lena Fischer")
        expect(cards.first).to_contain_text("hosted it")
        priya_card = cards.filter(has_text="Priya Raman")
        expect(priya_card).to_contain_text("Platform engineer")
        expect(priya_card).to_contain_text("on the panel")
        # Cleo voted for the same question as Ben; the anonymous author is not suggested
        expect(cards.filter(has_text="Cleo Martin")).to_contain_text("voted for the same questions")
        for trace in ZOFIA_TRACES:
            expect(follow).not_to_contain_text(trace)
        ben.screenshot(path=results_dir / "panel_follow_up.png", full_page=True)

        priya_card.get_by_role("link", name="Ask Priya Raman").click()
        expect(ben).to_have_url(re.compile(r"/asks/new/priya/\?"))
        expect(ben.get_by_role("heading", name="Ask Priya Raman")).to_be_visible()
        day = started.astimezone(ZoneInfo(NEW_YORK)).strftime("%-d %B")
        message = ben.get_by_label("Message")
        prefilled = message.input_value()
        assert prefilled.startswith(f"Hi Priya,\n\nWe were both at “{TITLE}” on {day}, where you")
        assert "on the panel" in prefilled
        # The skill the event was about rides along
        assert ben.locator("input[name=skill]").input_value() == "Kubernetes"
        about_priya = ben.locator(
            "aside section", has=ben.get_by_role("heading", name="About Priya Raman")
        )
        expect(about_priya).to_contain_text("Events they host or speak at")
        expect(about_priya.get_by_role("listitem").filter(has_text=TITLE)).to_be_visible()
        ben.screenshot(path=results_dir / "panel_composer.png", full_page=True)

        # Ben finishes the message and sends it; the checker finds it a good ask
        message.press("Control+End")  # after the prefilled lines
        message.press_sequentially(
            "I'm Ben, a developer in New York moving our team's services onto Kubernetes. "
            "Your answer on recovering etcd made me realise we have never rehearsed a restore.\n\n"
            "Thanks, Ben",
            delay=5,
        )
        ben.get_by_label("What exactly are you asking?").fill(
            "What does your quarterly etcd restore drill look like, step by step?"
        )
        ben.get_by_label("How much time").select_option(label="30 minutes")
        check = ben.locator("#check")
        expect(check).to_contain_text("ready to send")
        expect(check.locator(".badge.sev-block")).to_have_count(0)
        ben.get_by_role("button", name="Send ask").click()
        expect(ben).to_have_url(re.compile(r"/asks/\d+/$"))
        expect(ben.locator(".messages")).to_contain_text("Sent to Priya Raman.")
        ask = Ask.objects.get()
        assert (ask.sender, ask.recipient) == (cast["ben"], cast["priya"])
        assert ask.skill is not None and ask.skill.name == "Kubernetes"
        # (a form posts a text area's line breaks as CRLF)
        assert ask.message.replace("\r\n", "\n").startswith(
            f"Hi Priya,\n\nWe were both at “{TITLE}”"
        )
        assert ask.message.rstrip().endswith("Thanks, Ben")

        # --- No page saw a script fail or the CSP block anything ---------------------------
        for who, person in pages.items():
            violations = [m for m in person.console_messages if "Content Security Policy" in m]
            assert violations == [], (who, violations)
            assert person.page_errors == [], (who, person.page_errors)
            assert set(person.console_errors) <= EXPECTED_CONSOLE_ERRORS, (
                who,
                person.console_errors,
            )
    finally:
        for person in (panelist, ben, cleo, zofia):
            person.context.close()


# --- Bugs found on the way, each written as it should work ---------------------------------


def past_panel(cast, *, ben_votes: bool, ben_asks: bool = False):
    """The same panel made directly, already over: Ben and Cleo went; Cleo asked by name."""
    start = timezone.now() + timedelta(days=1)
    event = community.event_create(
        host=cast["lena"], kind=EventKind.PANEL, title=TITLE, starts_at=start,
        ends_at=start + timedelta(hours=1), capacity=10, online_url=MEET_URL,
        skills=["Kubernetes"], panelists=["priya"],
    )  # fmt: skip
    for handle in ("ben", "cleo"):
        community.rsvp_join(event_id=event.pk, by=cast[handle])
    question = community.question_ask(event_id=event.pk, by=cast["cleo"], text=CLEO_QUESTION)
    if ben_votes:
        community.question_vote(question_id=question.pk, by=cast["ben"])
    if ben_asks:
        community.question_ask(event_id=event.pk, by=cast["ben"], text=BEN_QUESTION)
    # Time passes (a live test cannot wait): the panel ended an hour ago.
    started = timezone.now() - timedelta(hours=2)
    Event.objects.filter(pk=event.pk).update(
        starts_at=started, ends_at=started + timedelta(hours=1)
    )
    return event


def test_follow_up_wording_reads_right_on_the_page_and_in_the_message(page, cast):
    event = past_panel(cast, ben_votes=True)
    log_in(page, "ben")
    page.goto(f"/events/{event.pk}/")
    follow = page.get_by_role("region", name="Follow up with")
    expect(follow.locator("li.person", has_text="Cleo Martin")).to_contain_text(
        "They asked a question you cared about too."
    )
    priya = follow.locator("li.person", has_text="Priya Raman")
    expect(priya).to_contain_text("on the panel")
    expect(priya).not_to_contain_text("They was", timeout=2_000)

    priya.get_by_role("link", name="Ask Priya Raman").click()
    to_priya = page.get_by_label("Message").input_value()
    assert "on the panel" in to_priya
    assert "you was" not in to_priya, to_priya

    page.go_back()
    follow.get_by_role("link", name="Ask Cleo Martin").click()
    to_cleo = page.get_by_label("Message").input_value()
    assert "where you asked a question" in to_cleo
    assert "you cared about" not in to_cleo, to_cleo


def test_the_written_answer_box_is_labelled_for_each_question(page, cast):
    event = past_panel(cast, ben_votes=False, ben_asks=True)
    log_in(page, "priya")
    page.goto(f"/events/{event.pk}/?manage=1")
    cards = board(page).locator("ol.board > li.question")
    expect(cards).to_have_count(2)
    ids = []
    for card in cards.all():
        card.locator("summary", has_text="Mark answered").click()
        box = card.get_by_role("textbox", name="A short written answer (optional)")
        expect(box).to_be_visible(timeout=2_000)
        ids.append(box.get_attribute("id"))
    assert len(set(ids)) == len(ids), ids
