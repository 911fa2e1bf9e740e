"""A panel's question board, through the API and the pages over one set of services, and who
to follow up with once the event is over.

People going to Hana's panel (or waiting for a seat), Hana and Priya (on the panel) ask
questions and vote for them, one vote each, most votes first. Hana closes the board, merges
duplicates and hides abuse; Priya and Hana mark questions answered, with a written answer
that can be edited later. An anonymous question never shows who asked it: not on the page,
not in the API, not on the live board, not in a notification; only staff, in the admin.
After the event, each person is offered people to follow up with and a composer that says
where they met."""

import re
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mentormesh.community import services
from mentormesh.community.models import Question, Rsvp, RsvpStatus, Vote
from mentormesh.errors import DomainError
from mentormesh.notifications.models import Notification
from mentormesh.people.models import Membership, Role, User

NEW_YORK = ZoneInfo("America/New_York")
HTMX = {"HTTP_HX_REQUEST": "true"}
SAMS_QUESTION = "Is it fine to say no to being on call while I am still learning the systems?"
LEOS_QUESTION = "How did you learn Kubernetes networking well enough to debug it at 3am?"


def page(response) -> str:
    return response.content.decode()


def board_order(html: str) -> list[int]:
    """The question ids a board shows, top first."""
    return [int(n) for n in re.findall(r'<li class="card question[^"]*" id="q(\d+)"', html)]


def ask(event, by, text, anonymous=False) -> Question:
    return services.question_ask(event_id=event.pk, by=by, text=text, anonymous=anonymous)


def vote(question, *people) -> None:
    for person in people:
        services.question_vote(question_id=question.pk, by=person)


def says_nothing_of_sam(text: str) -> bool:
    """Nothing that names Sam: his name, his handle, a link to his profile."""
    return not re.search(r"Sam Okafor|Okafor|@sam\b|/people/sam/|\"sam\"", text)


@pytest.fixture
def crowd(panel, leo, sam, mallory, make_user, join):
    """Leo and Sam going to Hana's panel, Mallory on no list at all, Olive going too."""
    olive = make_user("olive", display_name="Olive Stone")
    join(panel, leo, sam, olive)
    return olive


@pytest.fixture
def board_of(api):
    """The board as the API gives it to `client`."""

    def read(client, event) -> list[dict]:
        response = api(client, "get", f"/api/events/{event.pk}/questions")
        assert response.status_code == 200, response.content
        return response.json()

    return read


# --- Asking ---------------------------------------------------------------------------------


def test_someone_going_asks_and_the_board_comes_back_with_the_question(
    panel, crowd, leo, as_member, api
):
    """Given Leo going to the panel, when he asks a question through the API, then it is 201
    and the board that comes back has it, by him, with no votes, not answered; spaces and line
    breaks inside are folded to single spaces."""
    response = api(
        as_member(leo),
        "post",
        f"/api/events/{panel.pk}/questions",
        {"text": "  How did you learn\n Kubernetes   networking?  "},
    )

    assert response.status_code == 201, response.content
    (question,) = response.json()
    assert question | {"id": 0} == {
        "id": 0,
        "text": "How did you learn Kubernetes networking?",
        "votes": 0,
        "voted": False,
        "mine": True,
        "author": "leo",
        "anonymous": False,
        "answered": False,
        "answer": "",
    }


@pytest.mark.parametrize("who", ["hana", "priya", "waiting"])
def test_the_host_a_panelist_and_someone_on_the_waitlist_may_ask_too(
    make_event, priya, leo, sam, join, as_member, api, who
):
    """Given a one-seat panel Leo goes to, Sam on its waitlist, Hana hosting and Priya on it,
    when Hana, Priya or Sam asks, then it is 201."""
    small = make_event(kind="panel", title="Small panel", capacity=1, panelists=["priya"])
    join(small, leo, sam)
    asker = User.objects.get(handle="sam" if who == "waiting" else who)

    response = api(
        as_member(asker), "post", f"/api/events/{small.pk}/questions", {"text": LEOS_QUESTION}
    )

    assert response.status_code == 201, response.content


def test_someone_who_did_not_rsvp_may_not_ask_or_vote(panel, crowd, leo, mallory, as_member, api):
    """Given Mallory, who did not RSVP, when she asks or votes through the API, then each is
    403 saying to RSVP, and nothing is written; her page says to RSVP instead of a form."""
    question = ask(panel, leo, LEOS_QUESTION)
    client = as_member(mallory)

    asked = api(client, "post", f"/api/events/{panel.pk}/questions", {"text": "Mine?"})
    voted = api(client, "post", f"/api/questions/{question.pk}/vote")

    for response in (asked, voted):
        assert response.status_code == 403
        assert response.json()["detail"] == "RSVP to the panel to ask and vote."
    assert Question.objects.count() == 1
    assert not Vote.objects.exists()
    shown = page(client.get(f"/events/{panel.pk}/"))
    assert "RSVP to ask and vote." in shown
    assert "Add my question" not in shown


def test_someone_who_cancelled_their_rsvp_may_not_ask(panel, crowd, leo, as_member, api):
    """Given Leo cancelled his RSVP, when he asks, then 403 and nothing is written."""
    services.rsvp_cancel(event_id=panel.pk, by=leo)

    response = api(
        as_member(leo), "post", f"/api/events/{panel.pk}/questions", {"text": LEOS_QUESTION}
    )

    assert response.status_code == 403
    assert not Question.objects.exists()


@pytest.mark.parametrize(
    "text, status, detail",
    [
        ("   \n  ", 400, "text: write your question."),
        ("", 422, "text:"),
        ("x" * 301, 422, "text:"),
    ],
)
def test_an_empty_or_too_long_question_is_refused_naming_the_text(
    panel, crowd, leo, as_member, api, text, status, detail
):
    """Given Leo going, when he asks only spaces, nothing, or 301 characters, then it is 400 or
    422 naming the text, and nothing is written."""
    response = api(as_member(leo), "post", f"/api/events/{panel.pk}/questions", {"text": text})

    assert response.status_code == status
    assert response.json()["detail"].startswith(detail)
    assert not Question.objects.exists()


def test_a_question_of_exactly_300_characters_is_taken(panel, crowd, leo, as_member, api):
    """Given Leo going, when he asks a question of exactly 300 characters, then it is 201 and
    the whole question is on the board."""
    text = ("Why " * 75).strip() + "?"
    assert len(text) == 300

    response = api(as_member(leo), "post", f"/api/events/{panel.pk}/questions", {"text": text})

    assert response.status_code == 201
    assert response.json()[0]["text"] == text


def test_a_question_over_300_characters_from_code_is_refused(panel, crowd, leo):
    """Given Leo going, when code asks 301 characters for him, then a DomainError names the
    text and says how long it is."""
    with pytest.raises(DomainError) as refused:
        ask(panel, leo, "y" * 301)

    assert refused.value.field == "text"
    assert "(301 now)" in refused.value.detail


def test_asking_on_the_page_puts_it_on_the_board(panel, crowd, leo, as_member):
    """Given Leo going, when he asks on the page, then he is back at the board, told his
    question is on it, and it is there with "You asked"."""
    response = as_member(leo).post(
        f"/events/{panel.pk}/questions/", {"text": LEOS_QUESTION}, follow=True
    )

    assert response.redirect_chain == [(f"/events/{panel.pk}/#board", 302)]
    shown = page(response)
    assert "Your question is on the board." in shown
    assert "No one can see it was you." not in shown
    assert LEOS_QUESTION in shown
    assert "You asked ·" in shown


def test_an_empty_question_on_the_page_is_a_message_and_writes_nothing(
    panel, crowd, leo, as_member
):
    """Given Leo going, when he sends the question form empty, then the page says the field is
    required and nothing is written."""
    response = as_member(leo).post(f"/events/{panel.pk}/questions/", {"text": "  "}, follow=True)

    assert "This field is required." in page(response)
    assert not Question.objects.exists()


def test_a_lunch_and_learn_has_no_question_board(lunch, leo, join, as_member, api):
    """Given Leo going to a lunch-and-learn, when he asks a question there, then 409 saying
    only a panel has a board; its page has no Questions section."""
    join(lunch, leo)

    response = api(
        as_member(leo), "post", f"/api/events/{lunch.pk}/questions", {"text": LEOS_QUESTION}
    )

    assert response.status_code == 409
    assert response.json()["detail"] == "Only a panel has a question board."
    assert 'id="board"' not in page(as_member(leo).get(f"/events/{lunch.pk}/"))


# --- Voting ---------------------------------------------------------------------------------


def test_one_vote_per_person_and_it_can_be_taken_back(panel, crowd, leo, sam, as_member, api):
    """Given Leo's question, when Sam votes, votes again, takes his vote back and takes it back
    again through the API, then: 1 vote (voted), 409 (still 1), 0 votes, 409."""
    question = ask(panel, leo, LEOS_QUESTION)
    client = as_member(sam)
    path = f"/api/questions/{question.pk}/vote"

    first = api(client, "post", path)
    second = api(client, "post", path)
    assert (first.status_code, first.json()[0]["votes"], first.json()[0]["voted"]) == (
        200,
        1,
        True,
    )
    assert second.status_code == 409
    assert second.json()["detail"] == "You already voted for this question."
    assert Vote.objects.count() == 1

    back = api(client, "delete", path)
    again = api(client, "delete", path)
    assert (back.status_code, back.json()[0]["votes"], back.json()[0]["voted"]) == (200, 0, False)
    assert again.status_code == 409
    assert again.json()["detail"] == "You had not voted for this question."


def test_voting_on_the_page_and_taking_it_back(panel, crowd, leo, sam, as_member):
    """Given Leo's question, when Sam presses Vote on the page and then takes it back, then he
    is back at the board each time, which shows 1 vote ("Voted ✓") and then 0."""
    question = ask(panel, leo, LEOS_QUESTION)
    client = as_member(sam)

    voted = client.post(f"/questions/{question.pk}/vote/", follow=True)

    assert voted.redirect_chain == [(f"/events/{panel.pk}/#board", 302)]
    assert "Voted ✓" in page(voted)
    assert Vote.objects.filter(question=question, user=sam).exists()
    taken_back = client.post(f"/questions/{question.pk}/unvote/", follow=True)
    assert "▲ Vote" in page(taken_back)
    assert not Vote.objects.exists()


def test_voting_live_returns_just_the_board(panel, crowd, leo, sam, as_member):
    """Given Leo's question, when Sam votes from the live board (HTMX), then the answer is the
    board alone (no page around it), showing 1 vote and his vote pressed; a second vote from a
    stale board says he already voted, on the board."""
    question = ask(panel, leo, LEOS_QUESTION)
    client = as_member(sam)

    response = client.post(f"/questions/{question.pk}/vote/", **HTMX)

    assert response.status_code == 200
    shown = page(response)
    assert "<html" not in shown
    assert '<strong>1</strong><span class="help">vote</span>' in shown
    assert 'aria-pressed="true"' in shown
    again = page(client.post(f"/questions/{question.pk}/vote/", **HTMX))
    assert "You already voted for this question." in again
    assert Vote.objects.count() == 1


def test_the_board_is_ordered_by_votes_then_oldest_first(
    panel, crowd, hana, priya, leo, sam, as_member, board_of
):
    """Given four questions asked in order A, B, C, D with 1, 2, 1 and 0 votes, when Leo reads
    the board (page and API), then it is B, A, C, D: most votes first, ties oldest first."""
    a = ask(panel, leo, "Question A?")
    b = ask(panel, sam, "Question B?")
    c = ask(panel, hana, "Question C?")
    d = ask(panel, priya, "Question D?")
    vote(a, sam)
    vote(b, leo, hana)
    vote(c, priya)
    client = as_member(leo)

    assert [q["id"] for q in board_of(client, panel)] == [b.pk, a.pk, c.pk, d.pk]
    assert [q["votes"] for q in board_of(client, panel)] == [2, 1, 1, 0]
    assert board_order(page(client.get(f"/events/{panel.pk}/"))) == [b.pk, a.pk, c.pk, d.pk]


# --- Closing, cancelling --------------------------------------------------------------------


def test_a_closed_board_takes_no_questions_or_votes(panel, crowd, hana, leo, sam, as_member, api):
    """Given Leo's question with Sam's vote, when Hana closes the board, then asking, voting
    and taking a vote back are 409 saying it is closed; the page says so, with no question form
    and no live refresh; closing again is 409."""
    question = ask(panel, leo, LEOS_QUESTION)
    vote(question, sam)

    closed = api(as_member(hana), "post", f"/api/events/{panel.pk}/close-board")

    assert closed.status_code == 200
    assert closed.json()["board_open"] is False
    client = as_member(sam)
    for response in (
        api(client, "post", f"/api/events/{panel.pk}/questions", {"text": "Late one?"}),
        api(client, "post", f"/api/questions/{question.pk}/vote"),
        api(client, "delete", f"/api/questions/{question.pk}/vote"),
    ):
        assert response.status_code == 409
        assert response.json()["detail"] == "The question board is closed."
    assert Question.objects.count() == 1
    assert Vote.objects.count() == 1
    shown = page(client.get(f"/events/{panel.pk}/"))
    assert "The board is closed." in shown
    assert "Add my question" not in shown
    assert "hx-get" not in shown
    again = api(as_member(hana), "post", f"/api/events/{panel.pk}/close-board")
    assert again.status_code == 409


def test_an_open_board_refreshes_itself(panel, crowd, leo, as_member):
    """Given an open board, when Leo opens the panel, then the board asks for itself again
    every few seconds."""
    shown = page(as_member(leo).get(f"/events/{panel.pk}/"))

    assert f'hx-get="/events/{panel.pk}/board/" hx-trigger="every 10s"' in shown


def test_only_the_host_closes_the_board(panel, crowd, priya, as_member, api):
    """Given Priya on the panel, when she closes the board, then 403 and it stays open."""
    response = api(as_member(priya), "post", f"/api/events/{panel.pk}/close-board")

    assert response.status_code == 403
    assert response.json()["detail"] == "Only the host can close the board."
    panel.refresh_from_db()
    assert panel.board_closed_at is None


def test_a_cancelled_panels_board_takes_no_questions_or_votes(
    panel, crowd, hana, leo, sam, as_member, api
):
    """Given Leo's question, when Hana cancels the panel, then asking and voting are 409
    saying it was cancelled."""
    question = ask(panel, leo, LEOS_QUESTION)
    services.event_cancel(event_id=panel.pk, by=hana)
    client = as_member(sam)

    for response in (
        api(client, "post", f"/api/events/{panel.pk}/questions", {"text": "Still on?"}),
        api(client, "post", f"/api/questions/{question.pk}/vote"),
    ):
        assert response.status_code == 409
        assert response.json()["detail"] == "This event was cancelled."
    assert Question.objects.count() == 1
    assert not Vote.objects.exists()


# --- Answering ------------------------------------------------------------------------------


def test_a_panelist_answers_and_the_asker_is_told(panel, crowd, priya, leo, as_member, api):
    """Given Leo's question, when Priya marks it answered with a short written answer, then
    the board shows it answered with her answer, Leo is told with a link to the panel, and the
    page shows the answer under an Answered badge."""
    question = ask(panel, leo, LEOS_QUESTION)

    response = api(
        as_member(priya),
        "post",
        f"/api/questions/{question.pk}/answer",
        {"answer": "Break a test cluster on purpose, weekly."},
    )

    assert response.status_code == 200
    (shown,) = response.json()
    assert (shown["answered"], shown["answer"]) == (
        True,
        "Break a test cluster on purpose, weekly.",
    )
    (told,) = Notification.objects.filter(kind="question_answered")
    assert told.user == leo
    assert told.url == f"/events/{panel.pk}/"
    assert told.text == f"Your question was answered: {LEOS_QUESTION}"
    on_page = page(as_member(leo).get(f"/events/{panel.pk}/"))
    assert "Answered</span>" in on_page
    assert "<blockquote>Break a test cluster on purpose, weekly.</blockquote>" in on_page


def test_the_written_answer_can_be_changed_later(panel, crowd, hana, priya, leo, as_member, api):
    """Given Priya answered Leo's question, when Hana (the host) later replaces the written
    answer, then the board shows the new answer, still answered since the first time."""
    question = ask(panel, leo, LEOS_QUESTION)
    services.question_answer(question_id=question.pk, by=priya, answer="First go.")
    first_answered_at = Question.objects.get(pk=question.pk).answered_at

    response = api(
        as_member(hana), "post", f"/api/questions/{question.pk}/answer", {"answer": "Better."}
    )

    assert response.status_code == 200
    assert response.json()[0]["answer"] == "Better."
    assert Question.objects.get(pk=question.pk).answered_at == first_answered_at


def test_marking_answered_without_words_is_fine(panel, crowd, priya, leo, as_member, api):
    """Given Leo's question, when Priya marks it answered with no written answer, then it is
    answered with an empty answer."""
    question = ask(panel, leo, LEOS_QUESTION)

    response = api(as_member(priya), "post", f"/api/questions/{question.pk}/answer", {})

    assert response.status_code == 200
    assert (response.json()[0]["answered"], response.json()[0]["answer"]) == (True, "")


def test_someone_going_may_not_answer(panel, crowd, leo, sam, as_member, api):
    """Given Leo's question, when Sam (going, not on the panel) marks it answered, then 403 and
    it is not answered."""
    question = ask(panel, leo, LEOS_QUESTION)

    response = api(as_member(sam), "post", f"/api/questions/{question.pk}/answer", {})

    assert response.status_code == 403
    assert response.json()["detail"] == "Only the host or a panelist can answer questions."
    assert Question.objects.get(pk=question.pk).answered_at is None


def test_a_written_answer_over_2000_characters_is_422(panel, crowd, priya, leo, as_member, api):
    """Given Leo's question, when Priya sends an answer of 2001 characters, then 422 naming the
    answer, and the question is not marked answered."""
    question = ask(panel, leo, LEOS_QUESTION)

    response = api(
        as_member(priya), "post", f"/api/questions/{question.pk}/answer", {"answer": "a" * 2001}
    )

    assert response.status_code == 422
    assert response.json()["detail"].startswith("answer:")
    assert Question.objects.get(pk=question.pk).answered_at is None


def test_a_written_answer_too_long_on_the_page_is_refused_not_dropped(
    panel, crowd, priya, leo, as_member
):
    """Given Leo's question, when Priya sends the answer form with 2001 characters, then the
    page tells her it is too long and the question is not marked answered (her text is not
    silently thrown away)."""
    question = ask(panel, leo, LEOS_QUESTION)

    response = as_member(priya).post(
        f"/questions/{question.pk}/answer/", {"answer": "a" * 2001}, follow=True
    )

    assert "Marked answered." not in page(response)
    assert Question.objects.get(pk=question.pk).answered_at is None


def test_answering_after_the_board_closed_is_fine(panel, crowd, hana, priya, leo, as_member, api):
    """Given Leo's question and a closed board, when Priya answers it, then it is answered:
    closing stops questions and votes, not answers."""
    question = ask(panel, leo, LEOS_QUESTION)
    services.board_close(event_id=panel.pk, by=hana)

    response = api(as_member(priya), "post", f"/api/questions/{question.pk}/answer", {})

    assert response.status_code == 200
    assert response.json()[0]["answered"] is True


def test_the_tools_to_answer_and_moderate_are_for_the_host_and_panel(panel, crowd, leo, as_member):
    """Given a question on the board, when Hana, Priya and Leo open it to manage, then Hana
    can mark answered, merge and hide; Priya can mark answered only; Leo gets the plain board.
    The managed board does not refresh under the pen."""
    ask(panel, leo, LEOS_QUESTION)
    shown = {
        handle: page(
            as_member(User.objects.get(handle=handle)).get(f"/events/{panel.pk}/?manage=1")
        )
        for handle in ("hana", "priya", "leo")
    }

    assert "Mark answered" in shown["hana"] and "Hide (abusive)" in shown["hana"]
    assert "Duplicate of #" in shown["hana"]
    assert "Mark answered" in shown["priya"] and "Hide (abusive)" not in shown["priya"]
    assert "Mark answered" not in shown["leo"] and "Hide (abusive)" not in shown["leo"]
    assert "hx-get" not in shown["hana"]
    assert "Answer and moderate" in page(
        as_member(User.objects.get(handle="priya")).get(f"/events/{panel.pk}/")
    )


# --- Merging and hiding ---------------------------------------------------------------------


@pytest.fixture
def duplicates(panel, crowd, hana, priya, leo, sam):
    """Leo's question with votes from Sam and Priya; Olive asks the same again, with votes
    from Sam and Hana."""
    original = ask(panel, leo, LEOS_QUESTION)
    again = ask(panel, crowd, "How do you debug Kubernetes networking in the middle of the night?")
    vote(original, sam, priya)
    vote(again, sam, hana)
    return original, again


def test_merging_a_duplicate_moves_its_votes_one_per_person(
    panel, duplicates, hana, sam, as_member, api, board_of
):
    """Given Leo's question (Sam, Priya) and Olive's duplicate (Sam, Hana), when Hana merges the
    duplicate into Leo's, then the board has Leo's question alone with 3 votes (Sam counted
    once), and voting for the merged one is 409."""
    original, again = duplicates

    response = api(
        as_member(hana), "post", f"/api/questions/{again.pk}/merge", {"into": original.pk}
    )

    assert response.status_code == 200
    assert [(q["id"], q["votes"]) for q in response.json()] == [(original.pk, 3)]
    assert [q["id"] for q in board_of(as_member(sam), panel)] == [original.pk]
    late = api(as_member(sam), "delete", f"/api/questions/{again.pk}/vote")
    assert late.status_code == 409
    assert late.json()["detail"] == "This question is no longer on the board."


def test_merging_again_or_into_itself_or_elsewhere_is_refused(
    panel, duplicates, make_event, hana, as_member, api
):
    """Given Olive's duplicate merged into Leo's question, when Hana merges it again, merges
    Leo's into itself, or into a question on another panel, then 409, 400 and 400 naming
    `into`; nothing moves."""
    original, again = duplicates
    services.question_merge(question_id=again.pk, into_id=original.pk, by=hana)
    other_panel = make_event(kind="panel", title="Another panel")
    elsewhere = ask(other_panel, hana, "Elsewhere?")
    client = as_member(hana)

    twice = api(client, "post", f"/api/questions/{again.pk}/merge", {"into": original.pk})
    itself = api(client, "post", f"/api/questions/{original.pk}/merge", {"into": original.pk})
    across = api(client, "post", f"/api/questions/{original.pk}/merge", {"into": elsewhere.pk})

    assert twice.status_code == 409
    assert twice.json()["detail"] == "This question was already merged."
    for response in (itself, across):
        assert response.status_code == 400
        assert response.json()["detail"] == "into: another question on the same board."
    assert Question.objects.get(pk=original.pk).merged_into is None
    assert Vote.objects.filter(question=original).count() == 3


def test_merging_into_a_hidden_question_is_refused(panel, duplicates, hana, as_member, api):
    """Given Leo's question hidden by Hana, when she merges Olive's duplicate into it, then
    400 naming `into`, and the duplicate stays on the board."""
    original, again = duplicates
    services.question_hide(question_id=original.pk, by=hana)

    response = api(
        as_member(hana), "post", f"/api/questions/{again.pk}/merge", {"into": original.pk}
    )

    assert response.status_code == 400
    assert response.json()["detail"] == "into: that question is no longer on the board."
    assert Question.objects.get(pk=again.pk).merged_into is None


@pytest.mark.parametrize("who", ["priya", "leo"])
def test_only_the_host_merges_and_hides(panel, duplicates, as_member, api, who):
    """Given two duplicates, when Priya (on the panel) or Leo (going) merges or hides, then 403
    and the board is as it was."""
    original, again = duplicates
    client = as_member(User.objects.get(handle=who))

    merged = api(client, "post", f"/api/questions/{again.pk}/merge", {"into": original.pk})
    hidden = api(client, "post", f"/api/questions/{again.pk}/hide")

    assert merged.status_code == 403
    assert merged.json()["detail"] == "Only the host can merge questions."
    assert hidden.status_code == 403
    assert hidden.json()["detail"] == "Only the host can hide questions."
    again.refresh_from_db()
    assert (again.merged_into, again.hidden_at) == (None, None)


def test_merging_on_the_page_folds_the_duplicate_into_the_named_question(
    panel, duplicates, hana, as_member
):
    """Given two duplicates, when Hana merges Olive's into Leo's with the form on the managed
    board, then she is back on the managed board, told it is merged, and only Leo's question
    shows, with 3 votes."""
    original, again = duplicates

    response = as_member(hana).post(
        f"/questions/{again.pk}/merge/", {"into": str(original.pk)}, follow=True
    )

    assert response.redirect_chain == [(f"/events/{panel.pk}/?manage=1#board", 302)]
    assert "Merged." in page(response)
    assert board_order(page(response)) == [original.pk]


def test_merging_into_a_number_that_is_not_a_question_is_a_message(
    panel, duplicates, hana, as_member
):
    """Given two duplicates, when Hana types a question number that does not exist into the
    merge form, then she stays on the board with a message, not a Not Found page."""
    _, again = duplicates

    response = as_member(hana).post(f"/questions/{again.pk}/merge/", {"into": "99999"}, follow=True)

    assert response.status_code == 200
    assert Question.objects.get(pk=again.pk).merged_into is None


def test_hiding_takes_a_question_off_the_board_for_good(
    panel, duplicates, hana, priya, sam, as_member, api, board_of
):
    """Given two questions, when Hana hides Olive's, then the board shows only Leo's, voting
    for the hidden one is 409, answering it is 409, and hiding it again is 409."""
    original, again = duplicates

    response = api(as_member(hana), "post", f"/api/questions/{again.pk}/hide")

    assert response.status_code == 200
    assert [q["id"] for q in response.json()] == [original.pk]
    assert [q["id"] for q in board_of(as_member(sam), panel)] == [original.pk]
    assert api(as_member(sam), "delete", f"/api/questions/{again.pk}/vote").status_code == 409
    answered = api(as_member(priya), "post", f"/api/questions/{again.pk}/answer", {})
    assert answered.status_code == 409
    assert answered.json()["detail"] == "This question is hidden."
    assert api(as_member(hana), "post", f"/api/questions/{again.pk}/hide").status_code == 409


def test_an_unknown_question_action_is_404(panel, duplicates, leo, as_member):
    """Given a question, when Leo posts an action that does not exist on it, then 404."""
    original, _ = duplicates

    assert as_member(leo).post(f"/questions/{original.pk}/promote/").status_code == 404


# --- Who can see a question -----------------------------------------------------------------


@pytest.fixture
def northwind_question(northwind, make_event, hana):
    """A question Hana asked on her Northwind-only panel."""
    Membership.objects.create(user=hana, organization=northwind, role=Role.MEMBER)
    closed = make_event(kind="panel", title="Northwind only", organization_slug="northwind")
    return ask(closed, hana, "What should we change in our on-call?")


@pytest.mark.parametrize(
    "method, path, payload",
    [
        ("post", "/api/questions/{id}/vote", None),
        ("delete", "/api/questions/{id}/vote", None),
        ("post", "/api/questions/{id}/answer", {}),
        ("post", "/api/questions/{id}/merge", {"into": 1}),
        ("post", "/api/questions/{id}/hide", None),
        ("post", "/questions/{id}/vote/", None),
        ("post", "/questions/{id}/hide/", None),
    ],
)
def test_a_question_on_an_organizations_panel_is_404_to_outsiders(
    northwind_question, leo, as_member, api, method, path, payload
):
    """Given a question on a Northwind-only panel, when Leo (not in Northwind) votes, answers,
    merges or hides it, through the API or the page, then 404 and nothing changes."""
    response = api(as_member(leo), method, path.format(id=northwind_question.pk), payload)

    assert response.status_code == 404
    northwind_question.refresh_from_db()
    assert (northwind_question.hidden_at, northwind_question.answered_at) == (None, None)
    assert not Vote.objects.exists()


# --- Anonymous questions --------------------------------------------------------------------


@pytest.fixture
def anonymous_board(panel, crowd, priya, leo, sam):
    """Sam asks anonymously and Leo by name; Leo and Priya vote for Sam's question."""
    sams = ask(panel, sam, SAMS_QUESTION, anonymous=True)
    leos = ask(panel, leo, LEOS_QUESTION)
    vote(sams, leo, priya)
    return sams, leos


@pytest.mark.parametrize("who", ["hana", "priya", "leo", "olive"])
def test_an_anonymous_question_does_not_show_who_asked_it_anywhere(
    panel, anonymous_board, as_member, api, who
):
    """Given Sam's anonymous question on the board, when the host, a panelist, the person who
    asked next to him and someone else going read the page (managed too, for the host and
    panel), the live board and the API, then the question is there as "Anonymous" and nothing
    names Sam; Leo's own question is shown with his name."""
    client = as_member(User.objects.get(handle=who))
    sams, _ = anonymous_board

    pages = [
        page(client.get(f"/events/{panel.pk}/")),
        page(client.get(f"/events/{panel.pk}/?manage=1")),
        page(client.get(f"/events/{panel.pk}/board/")),
    ]
    questions = api(client, "get", f"/api/events/{panel.pk}/questions")

    for shown in pages:
        assert SAMS_QUESTION in shown
        assert f"Anonymous · #{sams.pk}" in shown
        assert says_nothing_of_sam(shown)
    by_id = {q["id"]: q for q in questions.json()}
    assert (by_id[sams.pk]["author"], by_id[sams.pk]["anonymous"]) == (None, True)
    assert by_id[sams.pk]["mine"] is False
    assert says_nothing_of_sam(questions.content.decode())
    if who != "leo":
        assert "Leo Park" in pages[0]


def test_the_asker_sees_their_own_anonymous_question_as_theirs(
    panel, anonymous_board, sam, as_member, api
):
    """Given Sam's anonymous question, when Sam reads the board, then it says he asked it,
    anonymously, and the API marks it his while still giving no author; asking on the page
    anonymously tells him no one can see it was him."""
    sams, _ = anonymous_board
    client = as_member(sam)

    assert "You asked, anonymously" in page(client.get(f"/events/{panel.pk}/"))
    mine = {q["id"]: q for q in api(client, "get", f"/api/events/{panel.pk}/questions").json()}
    assert (mine[sams.pk]["mine"], mine[sams.pk]["author"]) == (True, None)
    again = client.post(
        f"/events/{panel.pk}/questions/",
        {"text": "And a second one?", "anonymous": "on"},
        follow=True,
    )
    assert "Your question is on the board. No one can see it was you." in page(again)
    assert Question.objects.get(text="And a second one?").anonymous is True


def test_answering_an_anonymous_question_names_no_one_in_any_notification(
    panel, anonymous_board, priya, hana, as_member
):
    """Given Sam's anonymous question, when Priya answers it and Hana merges Leo's into it,
    then no notification anyone has names Sam, and the page shows the answer still as
    Anonymous."""
    sams, leos = anonymous_board

    services.question_answer(question_id=sams.pk, by=priya, answer="Yes, say so early.")
    services.question_merge(question_id=leos.pk, into_id=sams.pk, by=hana)

    for notification in Notification.objects.all():
        assert says_nothing_of_sam(notification.text)
        assert says_nothing_of_sam(notification.url)
    shown = page(as_member(hana).get(f"/events/{panel.pk}/"))
    assert "Yes, say so early." in shown
    assert says_nothing_of_sam(shown)


def test_staff_see_an_anonymous_author_only_in_the_admin(
    panel, anonymous_board, make_user, as_member, leo
):
    """Given Sam's anonymous question, when a staff member opens the panel's page, then
    nothing names Sam there either; in the admin's question list the author is shown, for
    moderation. A member who is not staff cannot open that list."""
    staff = make_user("staffer", display_name="Stella Staff")
    staff.is_staff = staff.is_superuser = True
    staff.save()
    client = as_member(staff)

    assert says_nothing_of_sam(page(client.get(f"/events/{panel.pk}/")))
    admin = client.get("/admin/community/question/")
    assert admin.status_code == 200
    row = next(r for r in page(admin).split("<tr") if SAMS_QUESTION[:40] in r)
    assert "@sam" in row
    assert as_member(leo).get("/admin/community/question/").status_code == 302


# --- The live board -------------------------------------------------------------------------


def test_the_live_board_is_the_board_alone_with_the_latest_votes(
    panel, anonymous_board, priya, leo, sam, hana, as_member
):
    """Given Sam's question with two votes and Leo's with none, when Hana, Sam and Priya vote
    for Leo's and then Leo's page refreshes the board live, then it is the board alone, Leo's
    question now on top with 3 votes."""
    sams, leos = anonymous_board
    assert board_order(page(as_member(leo).get(f"/events/{panel.pk}/board/"))) == [
        sams.pk,
        leos.pk,
    ]
    vote(leos, hana, sam, priya)

    response = as_member(leo).get(f"/events/{panel.pk}/board/")

    assert response.status_code == 200
    shown = page(response)
    assert "<html" not in shown
    assert board_order(shown) == [leos.pk, sams.pk]
    assert '<strong>3</strong><span class="help">votes</span>' in shown


# --- Follow up after the event --------------------------------------------------------------


@pytest.fixture
def held_panel(panel, crowd, leo, sam, mallory, join, hold):
    """The panel took place two days ago. Leo asked by name and Sam anonymously; Olive asked by
    name. Leo voted for Olive's and Sam's questions; Mallory (who joined) voted for Leo's."""
    olive = crowd
    join(panel, mallory)
    leos = ask(panel, leo, LEOS_QUESTION)
    sams = ask(panel, sam, SAMS_QUESTION, anonymous=True)
    olives = ask(panel, olive, "What do you wish you had known in your first on-call week?")
    vote(olives, leo)
    vote(sams, leo)
    vote(leos, mallory)
    return hold(panel)


def test_after_the_event_i_am_offered_the_people_worth_following_up_with(
    held_panel, leo, as_member, api
):
    """Given the held panel, when Leo asks whom to follow up with, then it is Hana (she
    hosted), Priya (on the panel), Olive (asked a question he voted for) and Mallory (voted for
    his question), in that order, each with why; never Sam, whose question was anonymous."""
    response = api(as_member(leo), "get", f"/api/events/{held_panel.pk}/follow-ups")

    assert response.status_code == 200
    suggested = response.json()
    assert [(p["handle"], p["display_name"]) for p in suggested] == [
        ("hana", "Hana Kim"),
        ("priya", "Priya Raman"),
        ("olive", "Olive Stone"),
        ("mallory", "Mallory Stone"),
    ]
    whys = [p["why"] for p in suggested]
    assert "hosted" in whys[0]
    assert "panel" in whys[1]
    assert "asked" in whys[2]
    assert "voted" in whys[3]


def test_the_follow_up_link_opens_a_composer_that_says_where_we_met(held_panel, leo, as_member):
    """Given the held panel, when Leo opens it, then "Follow up with" offers "Ask Hana Kim",
    whose link opens the composer to Hana with the panel's skill and a message that starts by
    greeting her and saying they were both at the panel, on its date on Leo's clock, which she
    hosted."""
    client = as_member(leo)
    shown = page(client.get(f"/events/{held_panel.pk}/"))
    assert "Follow up with" in shown
    link = re.search(r'href="([^"]+)">Ask Hana Kim</a>', shown).group(1).replace("&amp;", "&")
    day = held_panel.starts_at.astimezone(NEW_YORK).strftime("%-d %B")
    assert urlparse(link).path == "/asks/new/hana/"
    query = parse_qs(urlparse(link).query)
    assert query["skill"] == ["Kubernetes"]
    (context,) = query["context"]
    assert context.startswith(f"We were both at “{held_panel.title}” on {day}, ")
    assert "hosted" in context

    composer = page(client.get(link))

    assert f"Hi Hana,\n\n{context}\n\n" in composer
    assert 'name="skill" value="Kubernetes"' in composer


def test_before_the_event_there_is_no_one_to_follow_up_with(panel, crowd, leo, as_member, api):
    """Given the panel still to come, when Leo asks whom to follow up with, then no one, and
    the page has no "Follow up with"."""
    client = as_member(leo)

    assert api(client, "get", f"/api/events/{panel.pk}/follow-ups").json() == []
    assert "Follow up with" not in page(client.get(f"/events/{panel.pk}/"))


def test_at_most_six_people_are_suggested(held_panel, leo, make_user, join, as_member, api):
    """Given eight more people who voted for Olive's question too, when Leo asks whom to follow
    up with, then six people are suggested, the host and the panel first."""
    olives = Question.objects.get(author__handle="olive")
    for n in range(8):
        voter = make_user(f"voter{n}")
        Rsvp.objects.create(
            event=held_panel, user=voter, status=RsvpStatus.GOING, joined_at=olives.created_at
        )
        Vote.objects.create(question=olives, user=voter)

    handles = [
        p["handle"]
        for p in api(as_member(leo), "get", f"/api/events/{held_panel.pk}/follow-ups").json()
    ]

    assert len(handles) == 6
    assert handles[:2] == ["hana", "priya"]


def test_the_follow_up_for_a_panelist_reads_as_english(held_panel, leo, as_member):
    """Given the held panel, when Leo opens it, then Priya's suggestion and the message it
    starts read as English: not "They was" nor "where you was"."""
    shown = page(as_member(leo).get(f"/events/{held_panel.pk}/"))

    assert "Ask Priya Raman" in shown
    assert "They was" not in shown
    assert "where+you+was" not in shown


def test_someone_who_did_not_go_is_offered_no_follow_ups(held_panel, make_user, as_member, api):
    """Given the held panel, when Zoe, who never RSVP'd, opens it, then she is not offered
    messages saying "We were both at" it."""
    zoe = make_user("zoe")
    client = as_member(zoe)

    assert api(client, "get", f"/api/events/{held_panel.pk}/follow-ups").json() == []
    assert "Follow up with" not in page(client.get(f"/events/{held_panel.pk}/"))


def test_a_cancelled_event_offers_no_follow_ups(panel, crowd, hana, leo, hold, as_member, api):
    """Given Leo going to the panel and Hana cancelling it, when its date has passed, then
    Leo is offered no one to follow up with."""
    services.event_cancel(event_id=panel.pk, by=hana)
    hold(panel)

    assert api(as_member(leo), "get", f"/api/events/{panel.pk}/follow-ups").json() == []


# --- The board without N+1 ------------------------------------------------------------------


def test_the_panel_page_takes_the_same_queries_for_two_questions_or_ten(
    panel, crowd, hana, priya, leo, sam, as_member
):
    """Given two questions with votes, then ten, when Leo opens the panel, then it takes the
    same number of database queries both times."""
    client = as_member(leo)

    def add_questions(count):
        for n in range(count):
            question = ask(panel, [hana, priya][n % 2], f"Question {n} of {count}?", n % 2)
            vote(question, leo, sam)

    add_questions(2)
    with CaptureQueriesContext(connection) as few:
        client.get(f"/events/{panel.pk}/")
    add_questions(8)
    with CaptureQueriesContext(connection) as many:
        client.get(f"/events/{panel.pk}/")

    assert len(many) == len(few)
