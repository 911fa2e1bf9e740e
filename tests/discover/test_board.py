"""My board: who may appear for each goal, two-way first, true reasons, people I could help,
empty states, and a board that follows the data (across processes)."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mentormesh.discover import network, selectors
from mentormesh.people import services
from mentormesh.people.models import Membership, Organization

HIGH, LOW = 1, 3


def recommendations(client) -> dict:
    response = client.get("/api/me/recommendations")
    assert response.status_code == 200, response.content
    return response.json()


def goal_handles(board: dict) -> dict[str, list[str]]:
    """Skill label → handles suggested for it, in board order."""
    return {
        goal["skill"]: [item["person"]["handle"] for item in goal["people"]]
        for goal in board["goals"]
    }


def suggestion(board: dict, skill: str, handle: str) -> dict:
    (goal,) = [goal for goal in board["goals"] if goal["skill"] == skill]
    (item,) = [item for item in goal["people"] if item["person"]["handle"] == handle]
    return item


def reason_with(item: dict, *words: str) -> str | None:
    """The first of a suggestion's reasons that says all of ``words``."""
    return next((r for r in item["reasons"] if all(w in r for w in words)), None)


def page_sections(response) -> dict[str, list[str]]:
    """Section heading (a goal's skill, or "People you could help") → handles on its cards."""
    html = response.content.decode()
    found = {}
    for section in html.split("<section")[1:]:
        heading = re.search(r"<h2[^>]*>([^<]*)", section).group(1).strip()
        found[heading] = re.findall(r'<h3><a href="/people/([a-z0-9_-]+)/">', section)
    return found


@pytest.fixture
def vic(make_person, make_org, deactivate):
    """Vic (mid-level, in Acme) wants Kubernetes (high priority) and Rust (low) and offers
    Python. Kubernetes is offered by Ana (leader, Acme), Ivy (senior, Acme) and Bob (mid,
    Globex, who wants to learn Python) — and by four who must never be suggested: Cat (not
    open to mentor), Dan (no room: max 0 mentees), Eve (shows her profile only inside
    Globex) and Fay (account switched off). Gus wants Python; Hal wants Python but is not
    open to being mentored. Nobody offers Rust."""
    vic = make_person(
        "vic",
        level="mid",
        offers=["Python"],
        seeks=[("Kubernetes", "Run our services on a cluster", HIGH), ("Rust", "", LOW)],
    )
    ana = make_person("ana", level="leader", offers=[("Kubernetes", 3)])
    ivy = make_person("ivy", level="senior", offers=["Kubernetes"])
    bob = make_person("bob", level="mid", offers=["Kubernetes"], seeks=["Python"])
    make_person("cat", level="senior", offers=["Kubernetes"], open_to_mentor=False)
    make_person("dan", level="senior", offers=["Kubernetes"], max_mentees=0)
    eve = make_person("eve", level="senior", offers=["Kubernetes"], visibility="organizations")
    fay = make_person("fay", level="senior", offers=["Kubernetes"])
    deactivate(fay)
    make_person("gus", level="student", seeks=["Python"])
    make_person("hal", level="student", seeks=["Python"], open_to_be_mentored=False)
    make_org("acme", admin=ana, members=[vic, ivy])
    make_org("globex", admin=bob, members=[eve])
    return vic


@pytest.fixture
def vic_client(client, vic):
    client.force_login(vic)
    return client


NEVER_SUGGESTED = {"vic", "cat", "dan", "eve", "fay", "hal"}


# --- Who appears ---------------------------------------------------------------------------


def test_each_goal_lists_only_people_open_to_mentor_with_room_that_i_may_see(vic_client):
    """Given Vic's network, when she opens her board, then Kubernetes lists Ana, Ivy and Bob
    and nobody closed, full, private to another organization, switched off, or Vic herself;
    Rust lists nobody; goals come in priority order."""
    board = recommendations(vic_client)

    goals = goal_handles(board)
    assert list(goals) == ["Kubernetes", "Rust"]
    assert [goal["priority"] for goal in board["goals"]] == ["High", "Low"]
    assert board["goals"][0]["goal"] == "Run our services on a cluster"
    assert set(goals["Kubernetes"]) == {"ana", "ivy", "bob"}
    assert goals["Rust"] == []
    everyone = {h for handles in goals.values() for h in handles}
    everyone |= {item["person"]["handle"] for item in board["could_help"]}
    assert not everyone & NEVER_SUGGESTED


def test_a_goal_lists_at_most_five_people(make_person, client):
    """Given seven people open to mentoring who all offer Kubernetes, when Vic, who wants to
    learn it, opens her board, then five are suggested."""
    viewer = make_person("vic", seeks=["Kubernetes"])
    for n in range(7):
        make_person(f"helper{n}", offers=["Kubernetes"])
    client.force_login(viewer)

    goals = goal_handles(recommendations(client))

    assert len(goals["Kubernetes"]) == 5
    assert len(set(goals["Kubernetes"])) == 5


def test_i_never_appear_on_my_own_board(make_person, client):
    """Given Sam offers and wants Kubernetes, and Ana offers it too, when Sam opens his
    board, then only Ana is suggested and Sam is not among the people he could help."""
    sam = make_person("sam", offers=["Kubernetes"], seeks=["Kubernetes"])
    make_person("ana", offers=["Kubernetes"])
    client.force_login(sam)

    board = recommendations(client)

    assert goal_handles(board) == {"Kubernetes": ["ana"]}
    assert board["could_help"] == []


def test_a_private_profile_appears_once_i_share_her_organization(vic, vic_client):
    """Given Eve shows her profile only inside Globex, when Vic joins Globex, then Eve is
    suggested for Kubernetes, without "from another organization" (they now share one)."""
    assert "eve" not in goal_handles(recommendations(vic_client))["Kubernetes"]

    Membership.objects.create(user=vic, organization=Organization.objects.get(slug="globex"))
    board = recommendations(vic_client)

    assert "eve" in goal_handles(board)["Kubernetes"]
    assert "from another organization" not in suggestion(board, "Kubernetes", "eve")["reasons"]


# --- Order and reasons ---------------------------------------------------------------------


def test_a_two_way_match_comes_first_and_says_two_way(vic_client):
    """Given Bob offers Kubernetes and wants to learn the Python Vic offers, when Vic opens
    her board, then Bob is first for Kubernetes, marked two-way with the reason naming
    Python; nobody else is marked or described as two-way."""
    board = recommendations(vic_client)

    people = board["goals"][0]["people"]
    assert people[0]["person"]["handle"] == "bob"
    assert people[0]["two_way"] is True
    assert reason_with(people[0], "wants to learn Python", "two-way")
    for item in people[1:]:
        assert item["two_way"] is False
        assert not any("two-way" in reason for reason in item["reasons"])


def test_reasons_name_the_skill_the_level_band_and_another_organization_only_when_true(
    vic_client,
):
    """Given Ana (leader, Acme like Vic), Ivy (senior, Acme) and Bob (mid, Globex), when Vic
    (mid) opens her board, then each is said to help with Kubernetes; Ana is senior, Ivy
    near-peer and Bob a peer, each band explained; only Bob is from another organization."""
    board = recommendations(vic_client)

    ana, ivy, bob = (suggestion(board, "Kubernetes", h) for h in ("ana", "ivy", "bob"))
    for item in (ana, ivy, bob):
        assert reason_with(item, "helps with Kubernetes")
    assert (ana["band"], ivy["band"], bob["band"]) == ("senior", "near-peer", "peer")
    assert reason_with(ana, "senior:", "leader")
    assert reason_with(ivy, "near-peer:", "senior")
    assert reason_with(bob, "peer:", "mid")
    assert "from another organization" in bob["reasons"]
    assert "from another organization" not in ana["reasons"] + ivy["reasons"]


def test_a_helper_of_a_related_skill_is_said_to_offer_that_skill_not_mine(make_person, client):
    """Given Dot offers Docker (related to Kubernetes) and Vic wants Kubernetes, when Vic
    opens her board, then Dot is suggested and the reason names Docker as what Dot helps
    with and Kubernetes as what Vic wants; it never says Dot offers Kubernetes."""
    viewer = make_person("vic", seeks=["Kubernetes"])
    make_person("dot", offers=["Docker"])
    client.force_login(viewer)

    board = recommendations(client)

    reasons = suggestion(board, "Kubernetes", "dot")["reasons"]
    assert any("Docker" in r and "Kubernetes" in r for r in reasons), reasons
    assert not any("helps with Kubernetes" in r for r in reasons), reasons


def test_people_i_could_help_want_what_i_offer_and_are_open_to_being_mentored(vic_client):
    """Given Bob and Gus want to learn the Python Vic offers and Hal does too but is not open
    to being mentored, when Vic opens her board, then she could help Bob (two-way: he offers
    Kubernetes, which she wants) and Gus, Bob first; not Hal."""
    board = recommendations(vic_client)

    could_help = board["could_help"]
    assert [item["person"]["handle"] for item in could_help] == ["bob", "gus"]
    assert could_help[0]["two_way"] is True
    assert reason_with(could_help[0], "wants to learn Python")
    assert reason_with(could_help[0], "offers Kubernetes", "two-way")
    assert could_help[1]["two_way"] is False
    assert reason_with(could_help[1], "wants to learn Python, which you offer")
    assert not reason_with(could_help[1], "two-way")


# --- The page and its empty states ---------------------------------------------------------


def test_the_board_page_shows_each_goal_its_people_and_who_i_could_help(vic_client):
    """Given Vic's network, when she opens /board/, then Kubernetes shows Bob first with the
    two-way badge and his reasons, Rust says nobody offers it yet with a link to search the
    directory, and "People you could help" shows Bob and Gus."""
    response = vic_client.get("/board/")

    assert response.status_code == 200
    sections = page_sections(response)
    assert sections["Kubernetes"][0] == "bob"
    assert set(sections["Kubernetes"]) == {"ana", "ivy", "bob"}
    assert sections["Rust"] == []
    assert sections["People you could help"] == ["bob", "gus"]
    html = response.content.decode()
    assert html.count('class="badge two-way"') == 2  # Bob, once per section
    assert "No one open to mentoring offers Rust yet." in html
    assert 'href="/people/?q=Rust"' in html
    assert "from another organization" in html
    for handle in NEVER_SUGGESTED - {"vic"}:
        assert f"@{handle}" not in html


def test_a_board_without_goals_or_offers_invites_me_to_add_them(make_user, client):
    """Given Nia has filled in nothing, when she opens her board, then the page invites her to
    add a goal and a skill she offers, and the API returns no goals and nobody to help."""
    client.force_login(make_user("nia"))

    html = client.get("/board/").content.decode()
    board = recommendations(client)

    assert "Tell us what you want to learn" in html
    assert "Add a goal" in html and "Add a skill you offer" in html
    assert board == {"goals": [], "could_help": []}


def test_a_board_whose_offers_nobody_wants_says_so(make_person, client):
    """Given Ola offers Haskell and nobody wants to learn it, when she opens her board, then
    "People you could help" says nobody is looking for it right now (not "add a skill")."""
    client.force_login(make_person("ola", offers=["Haskell"], seeks=["Go"]))

    html = client.get("/board/").content.decode()

    assert "No one is looking for what you offer right now." in html
    assert "Add a skill you offer" not in html
    assert "Tell us what you want to learn" not in html


def test_the_board_needs_a_login(client, db):
    """Given a visitor, when they open the board page or API, then the page sends them to log
    in and the API answers 401."""
    page = client.get("/board/")
    api = client.get("/api/me/recommendations")

    assert page.status_code == 302 and page["Location"].startswith("/login/")
    assert api.status_code == 401
    assert api.json()["error"] == "unauthenticated"


def test_the_recommendations_api_has_the_documented_shape(vic_client):
    """Given Vic's network, when a client reads /api/me/recommendations, then each goal has
    skill (as people write it), goal, priority and people; each person a card, band,
    two_way and reasons; could_help the same people shape."""
    board = recommendations(vic_client)

    assert set(board) == {"goals", "could_help"}
    goal = board["goals"][0]
    assert set(goal) == {"skill", "goal", "priority", "people"}
    assert goal["skill"] == "Kubernetes"
    for item in goal["people"] + board["could_help"]:
        assert set(item) == {"person", "band", "two_way", "reasons"}
        assert isinstance(item["two_way"], bool)
        assert item["reasons"] and all(isinstance(r, str) for r in item["reasons"])
        assert {"handle", "display_name", "level", "offers", "seeks"} <= set(item["person"])
    bob = suggestion(board, "Kubernetes", "bob")["person"]
    assert bob["display_name"] == "Bob"
    assert [o["skill"] for o in bob["offers"]] == ["Kubernetes"]
    assert [m["organization"] for m in bob["organizations"]] == ["globex"]


def test_the_board_page_runs_a_fixed_number_of_queries_whatever_the_number_of_people(
    make_person, client
):
    """Given Vic wants Kubernetes, when her board is computed with one helper and again with
    five, then the page costs the same number of database queries (no query per card)."""
    viewer = make_person("vic", offers=["Python"], seeks=["Kubernetes"])
    make_person("helper0", offers=["Kubernetes"], seeks=["Python"])
    client.force_login(viewer)

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/board/")
        sections = page_sections(response)
        return len(captured), len(sections["Kubernetes"]) + len(sections["People you could help"])

    one, shown_one = queries()
    for n in range(1, 5):
        make_person(f"helper{n}", offers=["Kubernetes"], seeks=["Python"])
    five, shown_five = queries()

    assert (shown_one, shown_five) == (2, 10)
    assert five == one


# --- A board that follows the data ---------------------------------------------------------


@pytest.fixture
def pair(make_person, make_org):
    """Vic (in Acme) wants Kubernetes; Ana (in Globex) offers it."""
    vic = make_person("vic", seeks=["Kubernetes"])
    ana = make_person("ana", offers=["Kubernetes"])
    make_org("acme", admin=vic)
    make_org("globex", admin=ana)
    return vic, ana


def board_cached_for(user) -> bool:
    return cache.get(selectors._board_key(user, network.revision())) is not None


def test_after_a_helper_stops_offering_the_skill_the_board_drops_them(pair, client):
    """Given Vic's board (cached) suggests Ana for Kubernetes, when Ana removes Kubernetes
    from her offers, then Vic's board page and API no longer suggest her: the cached board
    is not served."""
    vic, ana = pair
    client.force_login(vic)
    assert goal_handles(recommendations(client)) == {"Kubernetes": ["ana"]}
    assert board_cached_for(vic)

    services.offered_skill_remove(user=ana, offer_id=ana.offered_skills.get().pk)

    assert goal_handles(recommendations(client)) == {"Kubernetes": []}
    assert page_sections(client.get("/board/"))["Kubernetes"] == []


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"open_to_mentor": False}, id="stops-mentoring"),
        pytest.param({"max_mentees": 0}, id="no-room"),
        pytest.param({"visibility": "organizations"}, id="goes-private"),
    ],
)
def test_after_a_helper_changes_their_profile_the_board_drops_them(pair, client, change):
    """Given Vic's board (cached) suggests Ana, when Ana stops mentoring, has no room, or
    shows her profile only inside Globex, then Vic's board no longer suggests her."""
    vic, ana = pair
    client.force_login(vic)
    assert goal_handles(recommendations(client)) == {"Kubernetes": ["ana"]}

    services.profile_update(user=ana, changes=change)

    assert goal_handles(recommendations(client)) == {"Kubernetes": []}


def test_after_a_helper_is_switched_off_the_board_drops_them(pair, client, deactivate):
    """Given Vic's board (cached) suggests Ana, when Ana's account is switched off, then Vic's
    board no longer suggests her."""
    vic, ana = pair
    client.force_login(vic)
    assert goal_handles(recommendations(client)) == {"Kubernetes": ["ana"]}

    deactivate(ana)

    assert goal_handles(recommendations(client)) == {"Kubernetes": []}


def test_a_new_helper_appears_on_a_cached_board(pair, client, make_person):
    """Given Vic's board (cached) suggests Ana, when Ben starts offering Kubernetes, then
    Vic's board suggests Ben as well."""
    vic, _ = pair
    client.force_login(vic)
    assert goal_handles(recommendations(client)) == {"Kubernetes": ["ana"]}

    make_person("ben", offers=["Kubernetes"])

    assert set(goal_handles(recommendations(client))["Kubernetes"]) == {"ana", "ben"}


def test_a_second_process_gives_the_same_board(vic_client):
    """Given Vic's board computed in one server process, when another process with nothing
    in memory answers (with, and then without, the shared cached board), then the answer
    is the same."""
    first = recommendations(vic_client)

    network._latest = None
    from_shared_cache = recommendations(vic_client)
    network._latest = None
    cache.clear()
    computed_afresh = recommendations(vic_client)

    assert from_shared_cache == first
    assert computed_afresh == first


def test_a_process_holding_an_old_network_answers_from_the_new_one(pair, client):
    """Given a process that built its index while Ana offered Kubernetes, when Ana stops
    offering it (written by another process) and that process answers next, then its
    board no longer suggests Ana, and a fresh process agrees."""
    vic, ana = pair
    client.force_login(vic)
    assert goal_handles(recommendations(client)) == {"Kubernetes": ["ana"]}
    old = network._latest

    services.offered_skill_remove(user=ana, offer_id=ana.offered_skills.get().pk)
    network._latest = old  # this process never saw the change happen

    assert goal_handles(recommendations(client)) == {"Kubernetes": []}
    network._latest = None
    assert goal_handles(recommendations(client)) == {"Kubernetes": []}
