"""Program shortlists: every seeker gets up to SIZE helpers, no helper over capacity, an
honest report; cohorts; the pages, API, CSV and command; bad input and permissions."""

import csv
import json
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from mentormesh.discover import selectors, services
from mentormesh.discover.models import Cohort, CohortMember, ShortlistEntry, ShortlistRun
from mentormesh.errors import Conflict, DomainError
from mentormesh.people import services as services_people

JSON = "application/json"
HIGH = 1
NO_FIT = "no helper fits any of this person's goals"
AT_CAPACITY = "the helpers who fit are at capacity"


def post_json(client, url, payload):
    return client.post(url, json.dumps(payload), content_type=JSON)


def lists_of(run: ShortlistRun) -> dict[str, list[str]]:
    """Seeker handle → helper handles, best first, as the run page shows them."""
    return {
        line.seeker.handle: [helper.handle for helper, _, _ in line.helpers]
        for line in selectors.shortlist_lines(run)
    }


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(StringIO(text)))


@pytest.fixture
def program(make_person, make_org, deactivate):
    """Acme's program, run by Ada (admin, no goals or offers).

    Seekers: Sia (wants Kubernetes, offers Python), Sol (wants Kubernetes and Rust), Sue
    (wants Haskell, which nobody offers) and Hana (wants Python). Helpers: Hana (offers
    Kubernetes, room for 2), Hugo (offers Kubernetes and Rust, room for 1) and Sia (offers
    Python). Never in a list: Hank (not open to mentor), Dora (no room), Isa (wants
    Kubernetes but is not open to being mentored), Ivo (account switched off) and Nell
    (offers Kubernetes, not in Acme).
    """
    ada = make_person("ada")
    ivo = make_person("ivo", offers=["Kubernetes"], seeks=["Rust"])
    members = [
        make_person("sia", seeks=[("Kubernetes", "", HIGH)], offers=["Python"]),
        make_person("sol", seeks=["Kubernetes", "Rust"]),
        make_person("sue", seeks=["Haskell"]),
        make_person("hana", offers=["Kubernetes"], seeks=["Python"], max_mentees=2),
        make_person("hugo", offers=["Kubernetes", "Rust"], max_mentees=1),
        make_person("hank", offers=["Kubernetes"], open_to_mentor=False),
        make_person("dora", offers=["Kubernetes"], max_mentees=0),
        make_person("isa", seeks=["Kubernetes"], open_to_be_mentored=False),
        ivo,
    ]
    make_person("nell", offers=["Kubernetes"])
    organization = make_org("acme", admin=ada, members=members)
    deactivate(ivo)
    return organization


@pytest.fixture
def ada(program):
    return program.memberships.get(user__handle="ada").user


@pytest.fixture
def ada_client(client, ada):
    client.force_login(ada)
    return client


@pytest.fixture
def small_program(make_person, make_org):
    """Acme with only Ada (admin), Sia (wants Kubernetes) and Hugo (offers it)."""
    members = [make_person("sia", seeks=["Kubernetes"]), make_person("hugo", offers=["Kubernetes"])]
    return make_org("acme", admin=make_person("ada"), members=members)


@pytest.fixture
def small_admin_client(client, small_program):
    client.force_login(member(small_program, "ada"))
    return client


def member(organization, handle):
    return organization.memberships.get(user__handle=handle).user


# --- What a run suggests -------------------------------------------------------------------


def test_every_seeker_gets_up_to_size_helpers_who_cover_their_goals(program, ada):
    """Given Acme's program, when Ada makes shortlists of three, then exactly the four
    seekers get a list; Sol gets Hugo and Hana; Sue gets nobody; no one closed, full, not
    open to being mentored, switched off or outside Acme is ever listed. Each helper says
    what they cover: Hugo Sol's Kubernetes and Rust; Hana Sia's Kubernetes, and since she
    wants Python, which Sia offers, that it is two-way."""
    run = services.shortlist_run(organization=program, by=ada, size=3)

    lists = lists_of(run)
    assert set(lists) == {"sia", "sol", "sue", "hana"}
    assert all(len(helpers) <= 3 for helpers in lists.values())
    assert lists["sol"] == ["hugo", "hana"]
    assert lists["sue"] == []
    assert lists["hana"] == ["sia"]
    listed = {handle for helpers in lists.values() for handle in helpers}
    assert not listed & {"hank", "dora", "isa", "ivo", "nell", "ada"}
    assert run.helpers == 3
    covers = {
        (line.seeker.handle, helper.handle): covered
        for line in selectors.shortlist_lines(run)
        for helper, _, covered in line.helpers
    }
    assert covers[("sol", "hugo")] == ["Kubernetes", "Rust"]
    assert covers[("sia", "hana")] == ["Kubernetes", "two-way: wants to learn Python"]
    assert covers[("hana", "sia")] == ["Python", "two-way: wants to learn Kubernetes"]


def test_the_report_adds_up_and_explains_every_list_that_is_not_full(program, ada):
    """Given Acme's program, when shortlists of three are made, then full + partial + empty
    is the number of seekers, and each list that is not full says why: Sue's because
    nothing fits, Sia's because Hugo, who fits, has no room left; full ones give no reason."""
    run = services.shortlist_run(organization=program, by=ada, size=3)

    entries = {entry.seeker.handle: entry for entry in run.entries.select_related("seeker")}
    assert run.full + run.partial + run.empty == run.seekers == len(entries) == 4
    assert Counter(e.status for e in entries.values()) == Counter(
        {"full": run.full, "partial": run.partial, "empty": run.empty}
    )
    for entry in entries.values():
        assert (entry.status == "full") == (entry.reason == ""), entry
    assert entries["sue"].reason == NO_FIT
    assert entries["sia"].reason == AT_CAPACITY


@pytest.mark.parametrize(
    ("seekers", "helpers", "room", "multiple", "size"),
    [
        (6, 2, 1, 1, 3),
        (6, 2, 1, 3, 2),
        (5, 3, 2, 1, 2),
        (4, 2, 2, 10, 3),
    ],
)
def test_no_helper_is_listed_more_often_than_their_room_times_the_multiple(
    make_person, make_org, seekers, helpers, room, multiple, size
):
    """Given many seekers and few helpers, all about Kubernetes, when shortlists are made,
    then no helper is in more lists than max mentees × multiple, no list is longer than
    size, every free place that can be used is used, and the report adds up."""
    admin = make_person("admin")
    people = [make_person(f"seeker{n}", seeks=["Kubernetes"]) for n in range(seekers)]
    people += [
        make_person(f"helper{n}", offers=["Kubernetes"], max_mentees=room) for n in range(helpers)
    ]
    organization = make_org("acme", admin=admin, members=people)

    run = services.shortlist_run(
        organization=organization, by=admin, size=size, capacity_multiple=multiple
    )

    lists = lists_of(run)
    appearances = Counter(handle for listed in lists.values() for handle in listed)
    assert len(lists) == seekers
    assert max(appearances.values()) <= room * multiple
    assert all(len(listed) <= size for listed in lists.values())
    places = min(seekers * min(size, helpers), helpers * min(room * multiple, seekers))
    assert sum(appearances.values()) == places
    assert run.full + run.partial + run.empty == seekers
    assert all(e.reason for e in run.entries.exclude(status="full"))


def test_a_helper_who_offers_nothing_i_want_is_not_on_my_shortlist(make_person, make_org):
    """Given Sia wants Kubernetes and offers Python, and Cook offers only Cooking but wants
    Python, when Acme makes shortlists, then Sia's list is empty (nobody can help her with
    Kubernetes), not Cook because he would like to learn from her."""
    admin = make_person("ada")
    sia = make_person("sia", seeks=["Kubernetes"], offers=["Python"])
    cook = make_person("cook", offers=["Cooking"], seeks=["Python"])
    organization = make_org("acme", admin=admin, members=[sia, cook])

    run = services.shortlist_run(organization=organization, by=admin)

    assert lists_of(run)["sia"] == []


# --- Cohorts -------------------------------------------------------------------------------


def test_a_cohort_restricts_who_seeks_and_who_helps(program, ada):
    """Given a cohort where Sia seeks and Hugo helps, when shortlists are made for it, then
    only Sia gets a list, and it holds only Hugo, though Hana would fit her better."""
    cohort = services.cohort_save(
        organization=program, by=ada, name="Spring", seekers=["sia"], helpers=["hugo"]
    )

    run = services.shortlist_run(organization=program, by=ada, cohort=cohort)

    assert lists_of(run) == {"sia": ["hugo"]}
    assert (run.cohort_name, run.helpers) == ("Spring", 1)


def test_someone_in_both_lists_of_a_cohort_seeks_and_helps(program, ada):
    """Given a cohort where Hana both seeks and helps and Sia both seeks and helps, when its
    shortlists are made, then each is the other's helper and neither their own."""
    cohort = services.cohort_save(
        organization=program,
        by=ada,
        name="Pairs",
        seekers=services.handles_in("@hana, @SIA"),
        helpers=services.handles_in("sia hana"),
    )

    run = services.shortlist_run(organization=program, by=ada, cohort=cohort)

    assert lists_of(run) == {"hana": ["sia"], "sia": ["hana"]}
    assert set(cohort.members.values_list("role", flat=True)) == {"both"}


def test_saving_a_cohort_again_replaces_its_members(program, ada):
    """Given the cohort Spring with Sia and Hugo, when Ada saves it with Sol and Hana, then
    Spring holds exactly Sol and Hana."""
    cohort = services.cohort_save(
        organization=program, by=ada, name="Spring", seekers=["sia"], helpers=["hugo"]
    )

    services.cohort_save(
        organization=program,
        by=ada,
        name="Spring",
        seekers=["sol"],
        helpers=["hana"],
        cohort=cohort,
    )

    members = set(cohort.members.values_list("user__handle", "role"))
    assert members == {("sol", "seeker"), ("hana", "helper")}


def test_handles_are_read_from_free_text_once_each():
    """Given handles typed with @, commas, spaces and capitals, when they are read, then each
    comes once, in order, lowercased and without @."""
    assert services.handles_in("@Ana, bo  cy;@ana\n@@ ,") == ["ana", "bo", "cy"]


# --- Seekers see their shortlist -----------------------------------------------------------


def test_a_seeker_sees_their_latest_shortlist_on_their_board(program, ada, client):
    """Given two runs of Acme's shortlists, when Sol opens his board, then he sees the
    latest one: his helpers with what they cover, and that nobody has been assigned."""
    services.shortlist_run(organization=program, by=ada, size=1)
    services.shortlist_run(organization=program, by=ada, size=3)
    client.force_login(member(program, "sol"))

    html = client.get("/board/").content.decode()

    assert html.count("Your Acme program shortlist") == 1
    assert "nobody has been assigned" in html
    assert "@hugo</span> — Kubernetes; Rust" in html
    assert "@hana</span> — Kubernetes" in html


def test_a_seeker_with_an_empty_shortlist_is_told_why(program, ada, client):
    """Given Acme's shortlists, when Sue (whose Haskell nobody offers) opens her board, then
    she is told she has no helpers this time and why."""
    services.shortlist_run(organization=program, by=ada)
    client.force_login(member(program, "sue"))

    html = client.get("/board/").content.decode()

    assert f"No helpers this time: {escape(NO_FIT)}." in html


# --- Pages, CSV and API --------------------------------------------------------------------


def test_an_admin_makes_shortlists_on_the_page_and_opens_the_run(ada_client):
    """Given Ada on Acme's shortlists page, when she makes shortlists of two, then she lands
    on the run, which shows the report and each seeker's helpers, and it is listed among
    earlier runs."""
    response = ada_client.post(
        "/orgs/acme/shortlists/", {"run": "1", "size": "2", "capacity_multiple": "1"}
    )

    run = ShortlistRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/orgs/acme/shortlists/{run.pk}/"
    page = ada_client.get(response["Location"]).content.decode()
    assert "<strong>4</strong> seekers" in page and "<strong>3</strong> helpers" in page
    assert "up to 2 helpers each" in page and "by @ada" in page
    assert "@sue" in page and escape(NO_FIT) in page
    listing = ada_client.get("/orgs/acme/shortlists/").content.decode()
    assert f'href="/orgs/acme/shortlists/{run.pk}/csv/"' in listing


def test_the_csv_has_a_header_and_a_row_per_suggested_helper(program, ada, ada_client):
    """Given a run of Acme's shortlists, when Ada downloads its CSV, then it has the header
    and one row per suggested helper, in list order, plus one row for a seeker with none
    saying why."""
    run = services.shortlist_run(organization=program, by=ada, size=3)
    lists = lists_of(run)

    response = ada_client.get(f"/orgs/acme/shortlists/{run.pk}/csv/")

    assert response["Content-Type"].startswith("text/csv")
    assert f'filename="shortlists-acme-{run.pk}.csv"' in response["Content-Disposition"]
    header, *rows = csv_rows(response.content.decode())
    assert header == selectors.CSV_HEADER
    suggested = [(r[0], r[3], r[4]) for r in rows if r[4]]
    expected = [
        (seeker, str(position), helper)
        for seeker, helpers in lists.items()
        for position, helper in enumerate(helpers, start=1)
    ]
    assert sorted(suggested) == sorted(expected)
    assert len(rows) == len(expected) + 1
    (sue,) = [r for r in rows if r[0] == "sue"]
    assert (sue[2], sue[4], sue[-1]) == ("empty", "", NO_FIT)
    sol_hugo = next(r for r in rows if r[0] == "sol" and r[4] == "hugo")
    assert sol_hugo[7] == "Kubernetes; Rust"


def test_a_run_page_and_its_csv_cost_the_same_queries_whatever_the_number_of_seekers(
    make_person, make_org, client
):
    """Given a run with one seeker and a later one with four, when Ada opens each run's
    page and CSV, then both cost the same number of database queries (no query per line)."""
    ada = make_person("ada")
    people = [make_person("hugo", offers=["Kubernetes"], max_mentees=5)]
    people += [make_person("seeker0", seeks=["Kubernetes"])]
    acme = make_org("acme", admin=ada, members=people)
    small = services.shortlist_run(organization=acme, by=ada)
    for n in range(1, 4):
        acme.memberships.create(user=make_person(f"seeker{n}", seeks=["Kubernetes"]))
    large = services.shortlist_run(organization=acme, by=ada)
    client.force_login(ada)

    def queries(run) -> tuple[int, int]:
        counts = []
        for url in (f"/orgs/acme/shortlists/{run.pk}/", f"/orgs/acme/shortlists/{run.pk}/csv/"):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            counts.append(len(captured))
        return tuple(counts)

    assert (small.seekers, large.seekers) == (1, 4)
    assert queries(large) == queries(small)


def test_a_name_that_looks_like_a_formula_is_not_a_formula_in_the_csv(program, ada, ada_client):
    """Given Sol renamed himself '=HYPERLINK("https://evil.example","Sol")', when Ada opens
    the shortlist CSV in a spreadsheet, then no cell starts with =, +, - or @ (a spreadsheet
    would run it as a formula)."""
    services_people.profile_update(
        user=member(program, "sol"),
        changes={"display_name": '=HYPERLINK("https://evil.example","Sol")'},
    )
    run = services.shortlist_run(organization=program, by=ada)

    rows = csv_rows(ada_client.get(f"/orgs/acme/shortlists/{run.pk}/csv/").content.decode())

    assert [c for row in rows for c in row if c.startswith(("=", "+", "-", "@"))] == []


def test_the_api_makes_a_run_and_reads_it_back(ada_client):
    """Given Ada, when she POSTs shortlists of two for Acme, then she gets 201 with the run:
    counts that add up and a line per seeker with helpers and what they cover; reading the
    run by its id returns the same."""
    created = post_json(ada_client, "/api/orgs/acme/shortlists", {"size": 2})

    assert created.status_code == 201, created.content
    run = created.json()
    assert (run["size"], run["capacity_multiple"], run["cohort"]) == (2, 1, "")
    assert run["full"] + run["partial"] + run["empty"] == run["seekers"] == 4
    lines = {line["handle"]: line for line in run["lines"]}
    assert set(lines) == {"sia", "sol", "sue", "hana"}
    assert [h["handle"] for h in lines["sol"]["helpers"]] == ["hugo", "hana"]
    assert lines["sol"]["helpers"][0]["covers"] == ["Kubernetes", "Rust"]
    assert (lines["sue"]["status"], lines["sue"]["reason"]) == ("empty", NO_FIT)
    again = ada_client.get(f"/api/orgs/acme/shortlists/{run['id']}")
    assert again.status_code == 200
    assert again.json() == run


def test_the_api_runs_a_cohort_by_name(program, ada, ada_client):
    """Given the cohort Spring (Sia seeks, Hugo helps), when Ada POSTs shortlists for it by
    name, then only Sia has a line, with Hugo."""
    services.cohort_save(
        organization=program, by=ada, name="Spring", seekers=["sia"], helpers=["hugo"]
    )

    response = post_json(ada_client, "/api/orgs/acme/shortlists", {"cohort": "Spring"})

    assert response.status_code == 201
    assert response.json()["cohort"] == "Spring"
    assert [
        (line["handle"], [h["handle"] for h in line["helpers"]])
        for line in response.json()["lines"]
    ] == [("sia", ["hugo"])]


def test_a_cohort_is_saved_on_the_page_and_listed(ada_client):
    """Given Ada on Acme's shortlists page, when she saves the cohort Spring with seekers
    "@sia, sol" and helper "@hugo", then she is sent back, and the page lists Spring with
    its seekers and helpers."""
    response = ada_client.post(
        "/orgs/acme/shortlists/",
        {"cohort_save": "1", "name": "Spring", "seekers": "@sia, sol", "helpers": "@hugo"},
    )

    assert response.status_code == 302
    html = ada_client.get(response["Location"]).content.decode()
    assert "Cohort “Spring” saved." in html
    assert "<tr><td>Spring</td>" in html
    assert "@sia @sol" in html and "@hugo" in html


# --- Bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "multiple", "field"),
    [(0, 1, "size"), (11, 1, "size"), (3, 0, "capacity_multiple"), (3, 11, "capacity_multiple")],
)
def test_a_size_or_multiple_out_of_range_is_refused_everywhere_and_nothing_is_made(
    make_person, make_org, client, tmp_path, size, multiple, field
):
    """Given Ada runs Acme's program, when a run is asked with size or capacity multiple
    outside 1-10 (service, page, API, command), then each refuses, naming the field, and no
    run exists."""
    ada = make_person("ada")
    acme = make_org("acme", admin=ada)
    client.force_login(ada)
    numbers = {"size": size, "capacity_multiple": multiple}
    options = ["--size", str(size), "--capacity-multiple", str(multiple)]
    out = tmp_path / "lists.csv"

    with pytest.raises(DomainError) as refused:
        services.shortlist_run(organization=acme, by=ada, size=size, capacity_multiple=multiple)
    page = client.post("/orgs/acme/shortlists/", {"run": "1", **numbers})
    api = post_json(client, "/api/orgs/acme/shortlists", numbers)
    with pytest.raises(CommandError, match="between 1 and 10"):
        call_command("shortlist", "--org", "acme", *options, "--out", str(out))

    assert refused.value.field == field
    assert page.status_code == 400
    assert page.context["run_form"].errors[field]
    assert api.status_code == 422
    assert api.json()["detail"].startswith(f"{field}:")
    assert not out.exists()
    assert not ShortlistRun.objects.exists()


def test_an_unknown_cohort_is_refused_by_name(small_admin_client, tmp_path):
    """Given Acme has no cohort "Autumn", when the API or the command is asked for its
    shortlists, then the API answers 404 naming it, the command fails naming it, and no
    run exists."""
    api = post_json(small_admin_client, "/api/orgs/acme/shortlists", {"cohort": "Autumn"})
    with pytest.raises(CommandError, match="Acme has no cohort called “Autumn”"):
        call_command(
            "shortlist", "--org", "acme", "--cohort", "Autumn", "--out", str(tmp_path / "x.csv")
        )
    page = small_admin_client.post(
        "/orgs/acme/shortlists/", {"run": "1", "cohort": "99999", "size": 3, "capacity_multiple": 1}
    )

    assert api.status_code == 404
    assert api.json()["error"] == "not_found" and "Autumn" in api.json()["detail"]
    assert page.status_code == 400 and page.context["run_form"].errors["cohort"]
    assert not ShortlistRun.objects.exists()


def test_a_cohort_of_another_organization_is_refused(small_program, make_person, make_org):
    """Given Globex's cohort, when Ada runs Acme's shortlists with it, then it is refused
    naming the cohort field, and no run exists."""
    otto = make_person("otto", seeks=["Go"])
    globex = make_org("globex", admin=otto)
    theirs = services.cohort_save(
        organization=globex, by=otto, name="G", seekers=["otto"], helpers=[]
    )

    with pytest.raises(DomainError) as refused:
        services.shortlist_run(
            organization=small_program, by=member(small_program, "ada"), cohort=theirs
        )

    assert refused.value.field == "cohort"
    assert not ShortlistRun.objects.exists()


def test_a_cohort_naming_non_members_is_refused_naming_them_and_nothing_is_saved(
    program, ada, ada_client
):
    """Given Acme, where Nell is not a member and nobody is called @ghost, when Ada saves a
    cohort listing them among its seekers (page and service), then the error names both
    handles and no cohort or cohort member is written."""
    before = (Cohort.objects.count(), CohortMember.objects.count())

    page = ada_client.post(
        "/orgs/acme/shortlists/",
        {"cohort_save": "1", "name": "Spring", "seekers": "@sia @nell, @ghost", "helpers": "@hugo"},
    )
    with pytest.raises(DomainError) as refused:
        services.cohort_save(
            organization=program, by=ada, name="Spring", seekers=["sia"], helpers=["hugo", "nell"]
        )

    assert page.status_code == 400
    (error,) = page.context["cohort_form"].errors["seekers"]
    assert "@nell" in error and "@ghost" in error and "@sia" not in error
    assert refused.value.field == "helpers" and "@nell" in refused.value.detail
    assert (Cohort.objects.count(), CohortMember.objects.count()) == before


def test_a_cohort_needs_a_name_and_a_member(small_program):
    """Given Acme, when Ada saves a cohort with a blank name or with nobody in it, then each
    is refused naming the field, and nothing is saved."""
    acme, ada = small_program, member(small_program, "ada")
    with pytest.raises(DomainError) as blank:
        services.cohort_save(organization=acme, by=ada, name="  ", seekers=["sia"], helpers=[])
    with pytest.raises(DomainError) as empty:
        services.cohort_save(organization=acme, by=ada, name="Spring", seekers=[], helpers=[])

    assert (blank.value.field, empty.value.field) == ("name", "seekers")
    assert not Cohort.objects.exists()


def test_a_second_cohort_with_the_same_name_is_a_conflict_and_changes_nothing(
    program, ada, ada_client
):
    """Given the cohort Spring (Sia, Hugo), when Ada saves another cohort called " Spring "
    (page and service), then the page shows the error on the name, the service raises a
    409 conflict, and Spring keeps its members."""
    services.cohort_save(
        organization=program, by=ada, name="Spring", seekers=["sia"], helpers=["hugo"]
    )
    before = (Cohort.objects.count(), CohortMember.objects.count())

    page = ada_client.post(
        "/orgs/acme/shortlists/",
        {"cohort_save": "1", "name": " Spring ", "seekers": "@sol", "helpers": ""},
    )
    with pytest.raises(Conflict) as conflict:
        services.cohort_save(
            organization=program, by=ada, name="Spring", seekers=["sol"], helpers=[]
        )

    assert page.status_code == 400
    (error,) = page.context["cohort_form"].errors["name"]
    assert "already has a cohort called “Spring”" in error
    assert (conflict.value.status, conflict.value.code) == (409, "conflict")
    assert (Cohort.objects.count(), CohortMember.objects.count()) == before
    members = Cohort.objects.get().members.values_list("user__handle", flat=True)
    assert sorted(members) == ["hugo", "sia"]


# --- Permissions ---------------------------------------------------------------------------


@pytest.fixture
def acme_run(small_program):
    """Acme's shortlists: Sia's lists Hugo."""
    return services.shortlist_run(organization=small_program, by=member(small_program, "ada"))


def pages_of(run) -> list[str]:
    return [
        "/orgs/acme/shortlists/",
        f"/orgs/acme/shortlists/{run.pk}/",
        f"/orgs/acme/shortlists/{run.pk}/csv/",
    ]


def test_a_member_who_is_not_an_admin_gets_404_on_the_pages_and_403_on_the_api(
    small_program, acme_run, client
):
    """Given Sia is a plain member of Acme, when she opens Acme's shortlist pages, makes a
    run there, or uses the API, then pages say 404, the API 403, and no run is added."""
    client.force_login(member(small_program, "sia"))

    statuses = [client.get(url).status_code for url in pages_of(acme_run)]
    posted = client.post("/orgs/acme/shortlists/", {"run": "1", "size": 3, "capacity_multiple": 1})
    api_post = post_json(client, "/api/orgs/acme/shortlists", {})
    api_get = client.get(f"/api/orgs/acme/shortlists/{acme_run.pk}")

    assert statuses == [404, 404, 404]
    assert posted.status_code == 404
    assert (api_post.status_code, api_get.status_code) == (403, 403)
    assert api_post.json()["error"] == "forbidden"
    assert ShortlistRun.objects.count() == 1


def test_an_admin_of_another_organization_cannot_see_this_organizations_runs(
    acme_run, make_person, make_org, client
):
    """Given Otto administers Globex only, when he asks for Acme's run under Acme's address
    or under his own organization's, then pages say 404 and the API 403 or 404; nothing of
    Acme's lists shows."""
    otto = make_person("otto")
    make_org("globex", admin=otto)
    client.force_login(otto)

    statuses = [client.get(url).status_code for url in pages_of(acme_run)]
    own_address = [
        client.get(f"/orgs/globex/shortlists/{acme_run.pk}/"),
        client.get(f"/orgs/globex/shortlists/{acme_run.pk}/csv/"),
    ]
    api_acme = client.get(f"/api/orgs/acme/shortlists/{acme_run.pk}")
    api_own = client.get(f"/api/orgs/globex/shortlists/{acme_run.pk}")

    assert statuses == [404, 404, 404]
    assert [r.status_code for r in own_address] == [404, 404]
    assert api_acme.status_code == 403
    assert api_own.status_code == 404 and api_own.json()["error"] == "not_found"
    assert all("hugo" not in r.content.decode() for r in [*own_address, api_acme, api_own])


def test_a_visitor_is_sent_to_log_in_and_the_api_answers_401(acme_run, client):
    """Given a visitor, when they open Acme's shortlist pages or API, then the pages send
    them to log in and the API answers 401."""
    pages = [client.get(url) for url in pages_of(acme_run)]
    api = client.get(f"/api/orgs/acme/shortlists/{acme_run.pk}")

    assert all(p.status_code == 302 and p["Location"].startswith("/login/") for p in pages)
    assert api.status_code == 401


def test_an_unknown_organization_is_404_on_pages_and_api(small_admin_client):
    """Given no organization "nope", when Ada opens its shortlists, then page and API say
    404."""
    assert small_admin_client.get("/orgs/nope/shortlists/").status_code == 404
    response = post_json(small_admin_client, "/api/orgs/nope/shortlists", {})
    assert response.status_code == 404 and response.json()["error"] == "not_found"


# --- The command ---------------------------------------------------------------------------


def test_the_command_writes_the_csv_and_reports_the_counts(program, tmp_path):
    """Given Acme's program, when `shortlist --org acme --size 2 --out FILE` runs, then the
    file holds the same CSV as the page's download, and the output gives the counts and
    each reason with how many seekers it applies to."""
    out = tmp_path / "acme.csv"
    stdout = StringIO()

    call_command("shortlist", "--org", "acme", "--size", "2", "--out", str(out), stdout=stdout)

    run = ShortlistRun.objects.get()
    assert (run.size, run.created_by) == (2, None)
    rows = csv_rows(out.read_text(encoding="utf-8"))
    assert rows == [list(row) for row in selectors.shortlist_csv_rows(run)]
    assert rows[0] == selectors.CSV_HEADER
    printed = stdout.getvalue()
    assert (
        f"4 seekers, 3 helpers: {run.full} full, {run.partial} partial, {run.empty} empty"
        in printed
    )
    assert f"1 × {NO_FIT}" in printed


def test_the_command_runs_one_cohort(program, ada, tmp_path):
    """Given the cohort Spring (Sia seeks, Hugo helps), when the command runs for it, then
    the CSV lists only Sia, with Hugo."""
    services.cohort_save(
        organization=program, by=ada, name="Spring", seekers=["sia"], helpers=["hugo"]
    )
    out = tmp_path / "spring.csv"

    call_command(
        "shortlist", "--org", "acme", "--cohort", "Spring", "--out", str(out), stdout=StringIO()
    )

    _, *rows = csv_rows(out.read_text(encoding="utf-8"))
    assert [(r[0], r[4]) for r in rows] == [("sia", "hugo")]


def test_the_command_names_an_unknown_organization(db, tmp_path):
    """Given no organization "nope", when the command runs for it, then it fails saying so
    and writes no file."""
    out = tmp_path / "x.csv"

    with pytest.raises(CommandError, match="No organization 'nope'"):
        call_command("shortlist", "--org", "nope", "--out", str(out))

    assert not out.exists()


@pytest.mark.parametrize("where", ["missing-folder/x.csv", "."], ids=["no-folder", "a-folder"])
def test_the_command_says_when_it_cannot_write_the_file(small_program, tmp_path, where):
    """Given Acme's program, when the command is told to write into a folder that does not
    exist, or onto a folder, then it fails saying it cannot write that path, and why."""
    out = tmp_path / where

    with pytest.raises(CommandError, match=r"Cannot write .+: \w"):
        call_command("shortlist", "--org", "acme", "--out", str(out))


def test_a_command_that_cannot_write_its_file_leaves_no_run_behind(program, tmp_path, client):
    """Given Acme's program, when the command fails because it cannot write its file, then
    no run is kept and Sol's board shows no program shortlist."""
    with pytest.raises(CommandError):
        call_command("shortlist", "--org", "acme", "--out", str(tmp_path / "no" / "x.csv"))
    client.force_login(member(program, "sol"))

    assert "program shortlist" not in client.get("/board/").content.decode()
    assert not ShortlistEntry.objects.exists()
