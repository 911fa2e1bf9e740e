"""The directory's free-text search, ranked by the engine: relevance first, then anyone who
merely contains the words; filters narrow the pool; private profiles never leak; pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mentormesh.discover import network
from mentormesh.people import services
from mentormesh.people.models import Membership, Organization, User

HTMX = {"HTTP_HX_REQUEST": "true"}


def api_handles(client, **query) -> list[str]:
    response = client.get("/api/people", {"page_size": 100, **query})
    assert response.status_code == 200, response.content
    return [card["handle"] for card in response.json()["results"]]


@pytest.fixture
def rust_town(make_person, make_org):
    """Names sort against relevance: Zora Zimmer (senior, Acme) offers Rust as an expert and
    writes about it; Mona Miller (mid, Acme) mentions Rust once in her bio; Alma Adler (mid)
    only lives in Rust, Burgenland; Kai Kern offers Kubernetes. Pia shows her profile only
    inside Globex and is all about Rust. The viewer Zed is in none of their organizations."""
    zora = make_person(
        "zora",
        display_name="Zora Zimmer",
        level="senior",
        offers=[("Rust", 3)],
        headline="Systems engineer",
        bio="I write Rust every day: async Rust services, Rust tooling, teaching Rust.",
    )
    mona = make_person(
        "mona",
        display_name="Mona Miller",
        level="mid",
        bio="Backend developer; tried Rust once for a weekend project.",
    )
    alma = make_person("alma", display_name="Alma Adler", level="mid", location="Rust, Burgenland")
    make_person("kai", display_name="Kai Kern", offers=["Kubernetes"], bio="Cluster upgrades.")
    pia = make_person(
        "pia",
        display_name="Pia Private",
        visibility="organizations",
        offers=[("Rust", 3)],
        bio="Rust, Rust and more Rust: compilers in Rust.",
    )
    make_org("acme", admin=zora, members=[mona, alma])
    make_org("globex", admin=pia)
    return make_person("zed", display_name="Zed Viewer")


@pytest.fixture
def zed_client(client, rust_town):
    client.force_login(rust_town)
    return client


def test_the_most_relevant_person_comes_first_and_a_mere_mention_follows(zed_client, handles_on):
    """Given Rust town, when Zed searches "rust" on the page and the API, then Zora (expert,
    writes about it) comes before Mona (one mention), and Alma (only her town is called
    Rust) still appears, after them; Kai, who has nothing to do with Rust, does not."""
    page = zed_client.get("/people/", {"q": "rust"})

    assert handles_on(page) == ["zora", "mona", "alma"]
    assert "most relevant first" in page.content.decode()
    assert api_handles(zed_client, q="rust") == ["zora", "mona", "alma"]


def test_a_word_typed_half_way_still_finds_the_person(zed_client, handles_on):
    """Given Kai offers Kubernetes, when Zed has typed only "kube", then Kai is found on the
    page, in the live (HTMX) results and in the API."""
    assert "kai" in handles_on(zed_client.get("/people/", {"q": "kube"}))
    assert "kai" in handles_on(zed_client.get("/people/", {"q": "kube"}, **HTMX))
    assert "kai" in api_handles(zed_client, q="kube")


def test_a_word_nobody_uses_finds_nobody_and_says_so(zed_client, handles_on):
    """Given Rust town, when Zed searches a word no profile contains, then nobody is listed
    and the page suggests removing a filter or searching more broadly."""
    page = zed_client.get("/people/", {"q": "zyzzyva"})

    assert handles_on(page) == []
    assert "No one matches all of these filters." in page.content.decode()
    assert zed_client.get("/api/people", {"q": "zyzzyva"}).json()["count"] == 0


NARROWED = [
    ({"level": "senior"}, ["zora"]),
    ({"level": "mid"}, ["mona", "alma"]),
    ({"org": "acme"}, ["zora", "mona", "alma"]),
    ({"skill": "Rust"}, ["zora"]),
    ({"skill": "Kubernetes"}, []),
    ({"open_to": "mentor", "level": "mid"}, ["mona", "alma"]),
]


def test_other_filters_narrow_the_ranked_results(zed_client, handles_on):
    """Given Rust town, when Zed searches "rust" with another filter (level, organization,
    skill, openness), then only people who pass that filter are listed, on the page and in
    the API, still most relevant first."""
    for filters, expected in NARROWED:
        page = handles_on(zed_client.get("/people/", {"q": "rust", **filters}))
        assert page == expected, filters
        assert api_handles(zed_client, q="rust", **filters) == expected, filters


def test_a_private_profile_never_appears_in_a_search_by_someone_outside_her_organization(
    zed_client, handles_on
):
    """Given Pia shows her profile only inside Globex and is the most Rust-minded of all,
    when Zed (not in Globex) searches for her topic or her name, then she is not listed
    anywhere and is not counted."""
    page = zed_client.get("/people/", {"q": "rust"})
    api = zed_client.get("/api/people", {"q": "rust"}).json()

    assert "pia" not in handles_on(page)
    assert "Pia Private" not in page.content.decode()
    assert api["count"] == 3
    assert "pia" not in [card["handle"] for card in api["results"]]
    assert api_handles(zed_client, q="pia") == []
    assert api_handles(zed_client, q="compilers") == []


def test_a_private_profile_is_ranked_for_someone_in_her_organization(client, rust_town, make_user):
    """Given Pia shows her profile only inside Globex, when Gil from Globex searches "rust",
    then she is listed, ranked among the others by relevance (before Mona's one mention)."""
    gil = make_user("gil")
    Membership.objects.create(user=gil, organization=Organization.objects.get(slug="globex"))
    client.force_login(gil)

    found = api_handles(client, q="rust")

    assert set(found) == {"zora", "pia", "mona", "alma"}
    assert found.index("pia") < found.index("mona")
    assert found[-1] == "alma"


def test_a_second_process_ranks_the_same(zed_client):
    """Given Zed searched "rust" in one server process, when another process with nothing in
    memory answers the same search, then the order is the same."""
    first = api_handles(zed_client, q="rust")

    network._latest = None

    assert api_handles(zed_client, q="rust") == first


def test_a_search_follows_profile_changes(zed_client, rust_town):
    """Given Zed searched "rust", when Kai writes about Rust in his bio, then the next search
    lists Kai too."""
    assert "kai" not in api_handles(zed_client, q="rust")

    services.profile_update(user=User.objects.get(handle="kai"), changes={"bio": "Rust fan."})

    assert "kai" in api_handles(zed_client, q="rust")


# --- Pages of ranked results ---------------------------------------------------------------


@pytest.fixture
def crowd(make_person, make_user, client):
    """Seven people offer Rust, the first at expert level with a bio about Rust, the rest
    at lower levels; the viewer is logged in. Returns the API's whole ranked list."""
    make_person("rustacean0", offers=[("Rust", 3)], bio="Rust, Rust, Rust: ownership in Rust.")
    for n in range(1, 7):
        make_person(f"rustacean{n}", offers=[("Rust", 1 + n % 2)], bio=f"Person {n}.")
    client.force_login(make_user("zed"))
    return api_handles(client, q="rust")


def test_ranked_results_come_in_pages_through_the_api(client, crowd):
    """Given seven people offering Rust, the expert ranked first, when the API is asked for
    pages of three, then it counts seven over three pages, page 2 holds the fourth to
    sixth of the ranking and page 3 the seventh; a page past the end is empty."""
    assert len(crowd) == 7 and crowd[0] == "rustacean0"

    def page(number: int) -> dict:
        return client.get("/api/people", {"q": "rust", "page_size": 3, "page": number}).json()

    first, second, third, beyond = page(1), page(2), page(3), page(4)

    assert (first["count"], first["pages"], first["page"]) == (7, 3, 1)
    assert [c["handle"] for c in first["results"]] == crowd[:3]
    assert (second["count"], second["page"]) == (7, 2)
    assert [c["handle"] for c in second["results"]] == crowd[3:6]
    assert [c["handle"] for c in third["results"]] == crowd[6:]
    assert beyond["results"] == []


def test_ranked_results_come_in_pages_on_the_directory(client, crowd, settings, handles_on):
    """Given seven people offering Rust and pages of three, when page 2 of "rust" is opened,
    then it shows the fourth to sixth of the ranking, says "Page 2 of 3", and its links
    keep the search."""
    settings.DIRECTORY_PAGE_SIZE = 3

    page = client.get("/people/", {"q": "rust", "page": 2})

    html = page.content.decode()
    assert handles_on(page) == crowd[3:6]
    assert "7 people" in html
    assert "Page 2 of 3" in html
    assert 'href="?q=rust&page=1"' in html and 'href="?q=rust&page=3"' in html


def test_a_ranked_page_runs_a_fixed_number_of_queries_whatever_the_number_of_results(
    make_person, client, make_user, handles_on
):
    """Given two people offering Rust, and later eight, when the first page of "rust" is
    opened each time, then it costs the same number of database queries."""
    for n in range(2):
        make_person(f"rustacean{n}", offers=["Rust"], languages=["en"])
    client.force_login(make_user("zed"))

    def queries(expected: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert len(handles_on(client.get("/people/", {"q": "rust"}))) == expected
        return len(captured)

    two = queries(2)
    for n in range(2, 8):
        make_person(f"rustacean{n}", offers=["Rust"], languages=["en"])
    eight = queries(8)

    assert eight == two
