"""The people API: /api/me with session or bearer token, validation that changes nothing on
error, whole-list replacement, the directory, skills, organizations, and health."""

import json
import re
from datetime import time
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from mentormesh.people import services
from mentormesh.people.models import ApiToken, Membership, Profile

JSON = "application/json"


def patch(client, payload, **headers):
    return client.patch("/api/me", json.dumps(payload), content_type=JSON, **headers)


def token_for(handle: str) -> str:
    out = StringIO()
    call_command("token", "create", "--user", handle, stdout=out)
    return out.getvalue()


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token.strip()}"}


@pytest.fixture
def ada(make_user):
    return make_user("ada", display_name="Ada", headline="Engineer", timezone="Europe/Paris")


@pytest.fixture
def ada_client(client, ada):
    client.force_login(ada)
    return client


# --- /api/me and authentication -------------------------------------------------------------


def test_me_returns_my_whole_profile(ada_client, ada):
    """Given Ada logged in, when she GETs /api/me, then she sees her own profile with its
    lists and settings."""
    services.offered_skill_set(user=ada, skill_name="k8s", proficiency=3)
    services.availability_add(user=ada, weekday=0, start=time(9), end=time(11))

    response = ada_client.get("/api/me")

    assert response.status_code == 200
    me = response.json()
    assert (me["handle"], me["display_name"], me["timezone"]) == ("ada", "Ada", "Europe/Paris")
    assert me["offers"][0]["skill"] == "Kubernetes"
    assert me["offers"][0]["proficiency_label"] == "Expert"
    assert me["availability"] == [{"weekday": 0, "start": "09:00", "end": "11:00"}]
    assert me["visibility"] == "network"


def test_patch_me_changes_only_what_is_sent(ada_client):
    """Given Ada, when she PATCHes her headline, bio and languages, then those change, the
    bio is rendered, and her time zone stays as it was."""
    response = patch(
        ada_client, {"headline": "Staff engineer", "bio": "**Hi**", "languages": ["de", "en"]}
    )

    assert response.status_code == 200
    me = ada_client.get("/api/me").json()
    assert (me["headline"], me["bio_html"].strip()) == (
        "Staff engineer",
        "<p><strong>Hi</strong></p>",
    )
    assert (me["languages"], me["timezone"]) == (["de", "en"], "Europe/Paris")
    assert response.json() == me


def test_session_writes_need_the_csrf_header(db, ada):
    """Given Ada's browser session with CSRF enforced, when a PATCH comes without the
    X-CSRFToken header, then it is refused with 403 and nothing changes; with the header
    from her CSRF cookie it works."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(ada)

    refused = patch(browser, {"headline": "Forged"})
    assert refused.status_code == 403
    assert refused.json()["error"] == "forbidden"
    assert "CSRF" in refused.json()["detail"]
    assert browser.get("/api/me").json()["headline"] == "Engineer"

    browser.get("/me/edit/")  # any page with a form sets the CSRF cookie
    token = browser.cookies[settings.CSRF_COOKIE_NAME].value
    accepted = patch(browser, {"headline": "Real"}, HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 200
    assert accepted.json()["headline"] == "Real"


def test_token_create_prints_the_token_alone_on_one_line(ada):
    """Given @ada, when `mentormesh token create --user ADA` runs, then stdout is exactly one
    line holding the token, and only its fingerprint is stored."""
    out = StringIO()

    call_command("token", "create", "--user", "ADA", "--name", "laptop", stdout=out)

    output = out.getvalue()
    assert re.fullmatch(r"mm_[A-Za-z0-9_-]{40,}\n", output), output
    stored = ApiToken.objects.get(user=ada)
    assert stored.name == "laptop"
    assert output.strip() not in (stored.digest, stored.prefix)
    assert output.startswith(stored.prefix)


def test_a_bearer_token_works_without_csrf_or_session(db, ada):
    """Given a token from `mentormesh token create`, when a script with no session and no
    CSRF token PATCHes /api/me with it, then the change is made."""
    token = token_for("ada")
    script = Client(enforce_csrf_checks=True)

    response = patch(script, {"headline": "From a script"}, **bearer(token))

    assert response.status_code == 200
    assert script.get("/api/me", **bearer(token)).json()["headline"] == "From a script"
    assert ApiToken.objects.get(user=ada).last_used_at is not None


@pytest.mark.parametrize("method", ["get", "patch"])
def test_a_revoked_token_gets_401_json(db, ada, method):
    """Given a token Ada revoked, when a script uses it to read or write, then it gets 401
    {"error": "unauthenticated", ...} and nothing changes."""
    token = token_for("ada")
    stored = ApiToken.objects.get(user=ada)
    call_command("token", "revoke", "--user", "ada", "--id", str(stored.pk), stdout=StringIO())
    script = Client(enforce_csrf_checks=True)

    if method == "get":
        response = script.get("/api/me", **bearer(token))
    else:
        response = patch(script, {"headline": "Too late"}, **bearer(token))

    assert response.status_code == 401
    assert response.json()["error"] == "unauthenticated"
    assert response.json()["detail"]
    assert Profile.objects.get(user=ada).headline == "Engineer"


def test_a_token_revoked_on_the_settings_page_stops_working(ada_client, ada):
    """Given a token made on the settings page, when Ada revokes it there, then it no longer
    authenticates."""
    created = ada_client.post("/settings/", {"name": "ci"})
    token = re.search(r'id="new-token">([^<]+)<', created.content.decode()).group(1)
    assert Client().get("/api/me", **bearer(token)).status_code == 200

    ada_client.post(f"/settings/tokens/{ApiToken.objects.get(user=ada).pk}/revoke/")

    assert Client().get("/api/me", **bearer(token)).status_code == 401


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/me"),
        ("patch", "/api/me"),
        ("get", "/api/people"),
        ("get", "/api/people/ada"),
        ("get", "/api/skills?q=py"),
        ("get", "/api/orgs"),
    ],
)
@pytest.mark.parametrize("credentials", ["none", "garbage-token"])
def test_unauthenticated_requests_get_401_json(db, ada, method, url, credentials):
    """Given no session and no valid token, when any endpoint is called, then it is 401 with
    {"error": "unauthenticated", "detail": ...}."""
    anonymous = Client(enforce_csrf_checks=True)
    headers = bearer("mm_not-a-real-token") if credentials == "garbage-token" else {}

    if method == "get":
        response = anonymous.get(url, **headers)
    else:
        response = patch(anonymous, {"headline": "x"}, **headers)

    assert response.status_code == 401
    assert response.json() == {
        "error": "unauthenticated",
        "detail": "Log in or send a valid bearer token.",
    }


# --- PATCH validation -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "status", "field"),
    [
        ({"years_experience": "lots"}, 422, "years_experience"),
        ({"years_experience": 71}, 422, "years_experience"),
        ({"shoe_size": 42}, 422, "shoe_size"),
        ({"bio": "x" * 6000}, 422, "bio"),
        ({"level": "guru"}, 422, "level"),
        ({"visibility": "everyone"}, 422, "visibility"),
        ({"open_to_mentor": "yes"}, 422, "open_to_mentor"),
        ({"offers": [{"skill": "Python", "proficiency": 9}]}, 422, "offers.0.proficiency"),
        ({"availability": [{"weekday": 0, "start": "9am", "end": "10:00"}]}, 422, "start"),
        ({"timezone": "Mars/Olympus"}, 400, "timezone"),
        ({"languages": ["en", "xx"]}, 400, "languages"),
        ({"open_to_paid": True}, 400, "paid_rate_minor"),
        ({"links": [{"url": "javascript:alert(1)"}]}, 400, "links"),
    ],
)
def test_bad_patches_are_refused_naming_the_field_and_change_nothing(
    ada_client, payload, status, field
):
    """Given Ada's profile, when a PATCH has a wrong type, an unknown field, oversized text,
    an invalid choice or time zone, or breaks a rule, then it gets a 4xx JSON error whose
    detail names the field, together with a valid headline change that is not applied."""
    before = ada_client.get("/api/me").json()

    response = patch(ada_client, {"headline": "Should not stick", **payload})

    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error", "detail"}
    assert field in body["detail"]
    assert ada_client.get("/api/me").json() == before


def test_patch_with_a_body_that_is_not_json_is_refused(ada_client):
    """Given Ada, when the PATCH body is not JSON, then it is a 4xx JSON error."""
    response = ada_client.patch("/api/me", "headline=oops", content_type=JSON)

    assert 400 <= response.status_code < 500
    assert "error" in response.json()


@pytest.fixture
def ada_with_lists(ada):
    services.offered_skill_set(user=ada, skill_name="Python")
    services.sought_skill_set(user=ada, skill_name="Go", goal="write a CLI")
    services.availability_add(user=ada, weekday=0, start=time(9), end=time(11))
    return ada


def lists_of(me: dict) -> tuple:
    return (
        [offer["skill"] for offer in me["offers"]],
        [(seek["skill"], seek["goal"]) for seek in me["seeks"]],
        me["availability"],
    )


def test_patch_replaces_the_lists_whole(ada_client, ada_with_lists):
    """Given Ada offers Python, seeks Go and is free Monday morning, when she PATCHes new
    offers (by alias), seeks and windows, then exactly the new lists remain."""
    response = patch(
        ada_client,
        {
            "offers": [{"skill": "k8s", "proficiency": 3}, {"skill": "golang"}],
            "seeks": [{"skill": "py", "goal": "data scripts", "priority": 1}],
            "availability": [
                {"weekday": 2, "start": "18:00", "end": "19:00"},
                {"weekday": 2, "start": "19:00", "end": "20:30"},
            ],
        },
    )

    assert response.status_code == 200
    assert lists_of(response.json()) == (
        ["Kubernetes", "Go"],
        [("Python", "data scripts")],
        [
            {"weekday": 2, "start": "18:00", "end": "19:00"},
            {"weekday": 2, "start": "19:00", "end": "20:30"},
        ],
    )


def test_patch_with_empty_lists_clears_them(ada_client, ada_with_lists):
    """Given Ada has lists, when she PATCHes them empty, then she has none."""
    response = patch(ada_client, {"offers": [], "seeks": [], "availability": []})

    assert lists_of(response.json()) == ([], [], [])


@pytest.mark.parametrize(
    ("payload", "status", "field"),
    [
        ({"offers": [{"skill": "k8s"}, {"skill": "   "}, {"skill": "Rust"}]}, 400, "skill"),
        (
            {
                "offers": [{"skill": "k8s"}],
                "availability": [
                    {"weekday": 1, "start": "09:00", "end": "10:00"},
                    {"weekday": 1, "start": "09:30", "end": "11:00"},
                ],
            },
            409,
            "start",
        ),
        ({"seeks": [{"skill": "Rust"}], "availability": [{"weekday": 1, "start": "10:00", "end": "09:00"}]}, 400, "end"),
        ({"offers": [{"skill": "Rust"}], "timezone": "Nowhere/City"}, 400, "timezone"),
    ],
    ids=["blank-skill", "overlapping-windows", "backwards-window", "bad-timezone"],
)  # fmt: skip
def test_a_bad_entry_mid_list_leaves_every_old_list_intact(
    ada_client, ada_with_lists, payload, status, field
):
    """Given Ada's lists, when a PATCH replaces them but one entry (or another field) is bad,
    then it is refused naming the field, and her old offers, seeks, windows and headline are
    all still there: nothing is half-written."""
    before = ada_client.get("/api/me").json()

    response = patch(ada_client, {"headline": "Half-written?", **payload})

    assert response.status_code == status
    assert field in response.json()["detail"]
    after = ada_client.get("/api/me").json()
    assert after == before
    assert lists_of(after) == (["Python"], [("Go", "write a CLI")], [
        {"weekday": 0, "start": "09:00", "end": "11:00"}
    ])  # fmt: skip


# --- The directory and profiles -----------------------------------------------------------


def test_people_search_is_alias_aware_and_paginated(ada_client, make_user):
    """Given five people who help with Kubernetes and one with Python, when the API is asked
    for skill=k8s two at a time, then it counts five over three pages, and the pages
    together hold each of them once."""
    for n in range(5):
        services.offered_skill_set(user=make_user(f"kube{n}"), skill_name="Kubernetes")
    services.offered_skill_set(user=make_user("pythonista"), skill_name="Python")

    pages = [
        ada_client.get("/api/people", {"skill": "k8s", "page_size": 2, "page": p}).json()
        for p in (1, 2, 3)
    ]

    assert [(page["count"], page["page"], page["pages"]) for page in pages] == [
        (5, 1, 3),
        (5, 2, 3),
        (5, 3, 3),
    ]
    handles = [person["handle"] for page in pages for person in page["results"]]
    assert sorted(handles) == [f"kube{n}" for n in range(5)]
    assert all(
        "Kubernetes" in [offer["skill"] for offer in person["offers"]]
        for page in pages
        for person in page["results"]
    )


def test_people_search_with_an_unknown_skill_is_empty_not_an_error(ada_client):
    """Given no such skill, when searched, then the answer is an empty first page."""
    response = ada_client.get("/api/people", {"skill": "quantum knitting"})

    assert response.status_code == 200
    assert response.json() == {"count": 0, "page": 1, "pages": 1, "results": []}


@pytest.mark.parametrize(
    "query",
    [{"page_size": 101}, {"page": 0}, {"level": "guru"}, {"open_to": "anything"}],
)
def test_people_search_refuses_bad_query_parameters(ada_client, query):
    """Given the directory API, when a query parameter is out of range, then it is 422 naming
    the parameter."""
    response = ada_client.get("/api/people", query)

    assert response.status_code == 422
    assert next(iter(query)) in response.json()["detail"]


@pytest.fixture
def private_in_acme(make_user):
    """@pri shows her profile only to Acme; @acmeadmin runs Acme."""
    pri = make_user("pri", display_name="Pri Private", visibility="organizations")
    acme = services.organization_create(
        creator=make_user("acmeadmin"), name="Acme", slug="acme", kind="company"
    )
    Membership.objects.create(user=pri, organization=acme)
    return pri


def test_a_private_profile_is_404_json_to_a_non_co_member(ada_client, private_in_acme):
    """Given @pri shows her profile only to Acme, when Ada (not in Acme) asks for it, then
    she gets 404 JSON exactly like for a handle that does not exist."""
    hidden = ada_client.get("/api/people/pri")
    missing = ada_client.get("/api/people/nobody")

    assert (hidden.status_code, missing.status_code) == (404, 404)
    assert hidden.json()["error"] == missing.json()["error"] == "not_found"
    assert "Pri" not in hidden.content.decode()


def test_a_private_profile_is_visible_to_a_co_member(client, private_in_acme):
    """Given @pri shows her profile only to Acme, when Acme's admin asks, then he sees it."""
    client.force_login(private_in_acme.memberships.get().organization.memberships.get(
        role="admin").user)  # fmt: skip

    response = client.get("/api/people/PRI")

    assert response.status_code == 200
    assert response.json()["display_name"] == "Pri Private"


def test_org_members_respect_visibility(ada_client, private_in_acme, make_user):
    """Given Acme has @pri (private to Acme), @acmeadmin and public @pub, when Ada (outside)
    lists Acme's members, then she sees the two public ones; a co-member sees all three."""
    pub = make_user("pub")
    Membership.objects.create(user=pub, organization=private_in_acme.memberships.get().organization)

    outside = ada_client.get("/api/orgs/acme/members").json()
    inside_client = Client()
    inside_client.force_login(pub)
    inside = inside_client.get("/api/orgs/acme/members").json()

    assert (outside["count"], sorted(p["handle"] for p in outside["results"])) == (
        2,
        ["acmeadmin", "pub"],
    )
    assert (inside["count"], sorted(p["handle"] for p in inside["results"])) == (
        3,
        ["acmeadmin", "pri", "pub"],
    )


def test_org_members_of_an_unknown_org_is_404_json(ada_client):
    """Given no organization 'nowhere', when its members are asked for, then 404 JSON."""
    response = ada_client.get("/api/orgs/nowhere/members")

    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_orgs_lists_organizations_with_member_counts(ada_client, ada, make_user):
    """Given Acme (2 members) and Uni (1), when /api/orgs is read, then both are listed by
    name with kind and member count."""
    acme = services.organization_create(creator=ada, name="Acme", slug="acme", kind="company")
    Membership.objects.create(user=make_user("ben"), organization=acme)
    services.organization_create(
        creator=make_user("cat"), name="Uni", slug="uni", kind="school", description="A school"
    )

    response = ada_client.get("/api/orgs")

    assert response.status_code == 200
    assert response.json() == [
        {"slug": "acme", "name": "Acme", "kind": "company", "description": "", "members": 2},
        {"slug": "uni", "name": "Uni", "kind": "school", "description": "A school", "members": 1},
    ]


# --- Skills ---------------------------------------------------------------------------------


def test_skills_autocomplete_finds_python_for_py_with_its_aliases(ada_client):
    """Given the curated vocabulary, when 'py' is typed, then Python is suggested with its
    aliases, at most ten suggestions come back, and all are reviewed skills."""
    response = ada_client.get("/api/skills", {"q": "py"})

    assert response.status_code == 200
    skills = response.json()
    python = next(skill for skill in skills if skill["name"] == "Python")
    assert "py" in python["aliases"] and python["category"] == "software"
    assert 1 <= len(skills) <= 10
    assert all(skill["reviewed"] for skill in skills)


def test_skills_autocomplete_matches_an_alias(ada_client):
    """Given 'k8s' is an alias, when it is typed, then Kubernetes is the first suggestion."""
    skills = ada_client.get("/api/skills", {"q": "K8S"}).json()

    assert skills[0]["name"] == "Kubernetes"


def test_skills_autocomplete_with_nothing_typed_suggests_nothing(ada_client):
    """Given nothing typed, when asked, then the answer is an empty list."""
    assert ada_client.get("/api/skills", {"q": " "}).json() == []


# --- Health and schema ----------------------------------------------------------------------


def test_healthz_reports_the_database_without_a_login(client, db):
    """Given a load balancer with no session, when it checks /healthz, then it gets 200 and
    the database is ok."""
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_the_openapi_schema_documents_the_people_endpoints(client, db):
    """Given the API, when its OpenAPI schema is fetched, then it lists /api/me with GET and
    PATCH and the bearer scheme."""
    schema = client.get("/api/openapi.json").json()

    assert {"get", "patch"} <= set(schema["paths"]["/api/me"])
    assert "BearerToken" in schema["components"]["securitySchemes"]


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("get", "/api/people?q=a%00b", None),
        ("get", "/api/skills?q=py%00", None),
        ("patch", "/api/me", '{"headline": "nul\\u0000here"}'),
    ],
)
def test_nul_characters_are_refused_with_a_clear_400(client, make_user, method, url, body):
    """Given a member, when a query or JSON body carries a NUL character (PostgreSQL cannot
    store one), then the API answers 400 naming the problem and nothing changes."""
    user = make_user("nulla")
    client.force_login(user)
    kwargs = {"data": body, "content_type": "application/json"} if body else {}
    response = getattr(client, method)(url, **kwargs)
    assert response.status_code == 400
    assert response.json() == {
        "error": "invalid",
        "detail": "Text may not contain NUL (\\u0000) characters.",
    }
    user.profile.refresh_from_db()
    assert "nul" not in user.profile.headline
