"""The directory: who may see whom, each filter, empty states, pages, and fixed query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mentormesh.people import services
from mentormesh.people.models import Membership

HTMX = {"HTTP_HX_REQUEST": "true"}


# --- Visibility ---------------------------------------------------------------------------


@pytest.fixture
def private_member(make_user, make_org):
    """@pri shows her profile only to people in her organizations; she is in Acme."""
    pri = make_user("pri", display_name="Pri Private", visibility="organizations")
    services.offered_skill_set(user=pri, skill_name="Python")
    make_org("acme", admin=make_user("acme-admin"), members=[pri])
    return pri


@pytest.fixture
def outsider(make_user, make_org):
    """@out belongs to another organization only, so shares none with @pri."""
    out = make_user("out")
    make_org("uni", admin=out, kind="school")
    return out


def test_an_organizations_only_profile_is_hidden_from_a_non_co_member_everywhere(
    client, private_member, outsider, handles_on
):
    """Given @pri shows her profile only inside Acme, when @out (not in Acme) looks, then she
    is not in the directory (not even when searched by name or skill), her page is 404, and
    the API answers 404 as for someone who does not exist."""
    client.force_login(outsider)

    directory = client.get("/people/")
    by_name = client.get("/people/", {"q": "Pri"})
    by_skill = client.get("/people/", {"skill": "Python"})
    page = client.get("/people/pri/")
    api = client.get("/api/people/pri")
    missing = client.get("/api/people/nobody-here")

    assert "pri" not in handles_on(directory)
    assert handles_on(by_name) == [] and handles_on(by_skill) == []
    assert page.status_code == 404
    assert api.status_code == 404
    assert api.json()["error"] == "not_found"
    assert api.json().keys() == missing.json().keys()
    assert "Pri Private" not in api.content.decode()


def test_an_organizations_only_profile_is_visible_to_a_co_member(
    client, private_member, make_user, handles_on
):
    """Given @pri shows her profile only inside Acme, when @cole (also in Acme) looks, then
    she is in the directory, her page opens, and the API returns her."""
    co = make_user("cole")
    Membership.objects.create(user=co, organization=private_member.memberships.get().organization)
    client.force_login(co)

    directory = client.get("/people/")
    page = client.get("/people/pri/")
    api = client.get("/api/people/pri")

    assert "pri" in handles_on(directory)
    assert page.status_code == 200 and "Pri Private" in page.content.decode()
    assert api.status_code == 200 and api.json()["display_name"] == "Pri Private"


def test_an_organizations_only_member_still_sees_her_own_profile(client, private_member):
    """Given @pri shows her profile only inside Acme, when she opens it herself, then it
    opens."""
    client.force_login(private_member)

    assert client.get("/people/pri/").status_code == 200
    assert client.get("/api/people/pri").status_code == 200


def test_the_directory_needs_a_login(client, db):
    """Given a visitor, when they open the directory, then they are sent to log in."""
    response = client.get("/people/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


# --- Filters ------------------------------------------------------------------------------


@pytest.fixture
def network(make_user, make_org):
    """Ana (senior, Acme, de+en, helps with Kubernetes, Berlin, open to reverse mentoring),
    Ben (mid, en, helps with Python, not open to mentor), Cy (student at Uni, fr, wants to
    learn Python, paid sessions) and the viewer Zed (nothing filled in)."""
    zed = make_user("zed", display_name="Zed Viewer")
    ana = make_user(
        "ana", display_name="Ana Alvarez", level="senior", languages=["de", "en"],
        location="Berlin", open_to_reverse=True,
    )  # fmt: skip
    services.offered_skill_set(user=ana, skill_name="Kubernetes")
    ben = make_user(
        "ben", display_name="Ben Brown", level="mid", languages=["en"], open_to_mentor=False
    )
    services.offered_skill_set(user=ben, skill_name="Python")
    cy = make_user(
        "cyd", display_name="Cy Chen", level="student", languages=["fr"], open_to_paid=True,
        paid_rate_minor=5000, paid_currency="EUR",
    )  # fmt: skip
    services.sought_skill_set(user=cy, skill_name="Python")
    make_org("acme", admin=ana)
    make_org("uni", admin=cy, kind="school")
    return zed


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["ana", "ben", "cyd", "zed"]),
        ({"q": "kube"}, ["ana"]),  # part of a skill name
        ({"q": "brown"}, ["ben"]),  # display name, any case
        ({"q": "berlin"}, ["ana"]),  # location
        ({"q": "python"}, ["ben"]),  # offers it; Cy only wants to learn it
        ({"q": "ana kubernetes"}, ["ana"]),  # only Ana is about either word
        ({"skill": "k8s"}, ["ana"]),  # alias
        ({"skill": "PY"}, ["ben"]),  # alias, any case
        ({"skill": "Kubernetes", "level": "mid"}, []),
        ({"level": "student"}, ["cyd"]),
        ({"level": "senior"}, ["ana"]),
        ({"org": "acme"}, ["ana"]),
        ({"org": "uni"}, ["cyd"]),
        ({"language": "en"}, ["ana", "ben"]),
        ({"language": "fr"}, ["cyd"]),
        ({"open_to": "mentor"}, ["ana", "cyd", "zed"]),
        ({"open_to": "reverse"}, ["ana"]),
        ({"open_to": "paid"}, ["cyd"]),
        ({"language": "en", "level": "mid"}, ["ben"]),
    ],
)
def test_each_directory_filter_narrows_to_the_right_people(
    client, network, handles_on, query, expected
):
    """Given four people, when the directory is filtered, then exactly the matching people are
    listed, ordered by name."""
    client.force_login(network)

    response = client.get("/people/", query)

    assert response.status_code == 200
    assert handles_on(response) == expected


def test_the_skill_filter_says_which_skill_it_understood(client, network):
    """Given Ana helps with Kubernetes, when someone filters by 'k8s', then the page says the
    count of people who help with Kubernetes."""
    client.force_login(network)

    page = client.get("/people/", {"skill": "k8s"}).content.decode()

    assert "1 person who help with <strong>Kubernetes</strong>" in page


def test_an_unknown_skill_shows_a_helpful_empty_state(client, network, handles_on):
    """Given no skill is called 'quantum knitting', when someone filters by it, then they see
    nobody and a message naming it and suggesting what to try."""
    client.force_login(network)

    response = client.get("/people/", {"skill": "quantum knitting"})

    page = response.content.decode()
    assert response.status_code == 200
    assert handles_on(response) == []
    assert "No skill called “quantum knitting” yet" in page
    assert "try a related skill" in page


def test_filters_with_no_match_explain_how_to_broaden(client, network):
    """Given a known skill nobody at that level offers, when filtered, then the empty state
    suggests removing a filter."""
    client.force_login(network)

    page = client.get("/people/", {"skill": "Kubernetes", "level": "mid"}).content.decode()

    assert "No one matches all of these filters" in page


def test_a_bad_filter_value_is_named_and_the_other_filters_still_apply(client, network, handles_on):
    """Given a level that does not exist in the address, when the directory is filtered by it
    and by language, then the page names the bad level and still filters by language."""
    client.force_login(network)

    response = client.get("/people/", {"level": "guru", "language": "fr"})

    assert response.status_code == 200
    assert "Level: Select a valid choice" in response.content.decode()
    assert handles_on(response) == ["cyd"]


def test_htmx_filtering_returns_only_the_results(client, network, handles_on):
    """Given the directory, when the filter form asks through HTMX, then only the results
    part comes back, already filtered."""
    client.force_login(network)

    response = client.get("/people/", {"level": "senior"}, **HTMX)

    assert "<html" not in response.content.decode()
    assert handles_on(response) == ["ana"]


def test_the_directory_is_paginated_and_keeps_the_filters(client, make_user, settings, handles_on):
    """Given seven people open to mentoring and one who is not, with two per page, when the
    pages are followed, then each person appears once, in name order, over four pages, and
    the links keep the filter."""
    settings.DIRECTORY_PAGE_SIZE = 2
    viewer = make_user("viewer", display_name="Viewer", open_to_mentor=False)
    for n in range(7):
        make_user(f"person{n}", display_name=f"Person {n}")
    client.force_login(viewer)

    pages = [client.get("/people/", {"open_to": "mentor", "page": p}) for p in (1, 2, 3, 4)]
    beyond = client.get("/people/", {"open_to": "mentor", "page": 99})

    seen = [handle for page in pages for handle in handles_on(page)]
    assert seen == [f"person{n}" for n in range(7)]
    assert "Page 1 of 4" in pages[0].content.decode()
    assert 'href="?open_to=mentor&page=2"' in pages[0].content.decode()
    assert handles_on(beyond) == ["person6"]  # a page past the end shows the last page


# --- Query counts -------------------------------------------------------------------------


def populate(make_user, make_org, count: int):
    """`count` people, each with offers, a goal, languages and an organization."""
    admin = make_user("org-admin")
    orgs = [make_org("acme", admin=admin), make_org("uni", admin=admin, kind="school")]
    for n in range(count):
        user = make_user(f"p{n:03d}", languages=["en", "de"], level="mid")
        services.offered_skill_set(user=user, skill_name="Python")
        services.offered_skill_set(user=user, skill_name="k8s")
        services.sought_skill_set(user=user, skill_name="Go")
        Membership.objects.create(user=user, organization=orgs[n % 2])
    return admin


def queries_for(client, url, params=None) -> int:
    # Warm up first: after a network change, each process rebuilds the engine's index once
    # (a few queries per table, whatever the size); pages in between are what people see.
    client.get(url, params or {})
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured)


LIST_PAGES = [
    ("/people/", {}),
    ("/people/", {"skill": "py", "language": "en", "org": "acme"}),
    ("/people/", {"q": "p0"}),
    ("/api/people", {}),
    ("/api/people", {"skill": "k8s", "page_size": 100}),
    ("/orgs/acme/", {}),
    ("/api/orgs/acme/members", {"page_size": 100}),
    ("/api/orgs", {}),
    ("/board/", {}),
    ("/api/me/recommendations", {}),
]
# Pages read the viewer's time zone and count two things for the menu (asks waiting, unread
# notifications); free text adds two more: the network revision and the candidate pool.
MAX_QUERIES = 16


def test_list_pages_run_a_fixed_number_of_queries_whatever_the_number_of_people(
    client, make_user, make_org
):
    """Given 4 people and then 26 more, each with skills, languages and an organization, when
    each list page (directory, people API, organization page and API) is loaded, then it runs
    the same, small number of queries both times: no query per person."""
    viewer = populate(make_user, make_org, 4)
    client.force_login(viewer)
    few = {f"{url} {params}": queries_for(client, url, params) for url, params in LIST_PAGES}

    acme = viewer.memberships.get(organization__slug="acme").organization
    for n in range(4, 30):
        user = make_user(f"p{n:03d}", languages=["en"])
        services.offered_skill_set(user=user, skill_name="py")
        services.sought_skill_set(user=user, skill_name="Go")
        Membership.objects.create(user=user, organization=acme)
    many = {f"{url} {params}": queries_for(client, url, params) for url, params in LIST_PAGES}

    assert many == few
    assert max(few.values()) <= MAX_QUERIES, sorted(few.items(), key=lambda kv: -kv[1])
