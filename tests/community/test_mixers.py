"""Mixer rounds in the product: opting in, running a round (page and command), what people
are told, the report, and the refusals."""

from io import StringIO
from itertools import combinations

import pytest
from django.core.management import CommandError, call_command

from mentormesh.community import services
from mentormesh.community.models import MixerGroup, MixerOptIn, MixerRound
from mentormesh.errors import Conflict, DomainError, NotFound, PermissionDenied
from mentormesh.people.models import Membership


@pytest.fixture
def acme(make_person, make_org):
    """Acme: an admin and seven members across three departments, in nearby time zones."""
    admin = make_person("ada", display_name="Ada Admin", timezone="Europe/Berlin")
    members = [
        make_person(f"mem{i}", display_name=f"Member {i}", timezone="Europe/Paris")
        for i in range(7)
    ]
    organization = make_org("acme", admin=admin, members=members)
    for i, user in enumerate([admin, *members]):
        Membership.objects.filter(user=user, organization=organization).update(
            department=["Engineering", "Design", "Sales"][i % 3]
        )
    return organization, admin, members


def opt_in_all(organization, people):
    for user in people:
        services.mixer_opt(organization_slug=organization.slug, by=user, opt_in=True)


def pairs_of_round(mixer_round) -> set[tuple[str, str]]:
    return {
        tuple(sorted(pair))
        for group in mixer_round.groups.prefetch_related("members")
        for pair in combinations([u.handle for u in group.members.all()], 2)
    }


def test_a_round_places_everyone_opted_in_and_tells_each_their_group(acme):
    """Given eight people opted in, when the admin runs a round of pairs, then all eight are
    placed in four pairs, each is notified with the others' handles and an opener, and the
    report says 8 of 8 placed with no repeats."""
    organization, admin, members = acme
    opt_in_all(organization, [admin, *members])

    mixer_round = services.mixer_run(organization_slug="acme", name="W48", group_size=2, by=admin)

    assert (mixer_round.opted_in, mixer_round.placed, mixer_round.repeats) == (8, 8, 0)
    assert mixer_round.groups.count() == 4
    for group in MixerGroup.objects.filter(round=mixer_round).prefetch_related("members"):
        first, second = group.members.all()
        note = first.notifications.get(kind="mixer_group")
        assert f"@{second.handle}" in note.text and group.opener in note.text


def test_people_who_did_not_opt_in_or_opted_out_are_left_out(acme):
    """Given three people opted in and one of them opting out again, when a round runs, then
    only the two still in are placed, and no one else hears anything."""
    organization, admin, members = acme
    opt_in_all(organization, members[:3])
    services.mixer_opt(organization_slug="acme", by=members[2], opt_in=False)

    mixer_round = services.mixer_run(organization_slug="acme", name="W48", group_size=2)

    placed = {u.handle for g in mixer_round.groups.all() for u in g.members.all()}
    assert placed == {"mem0", "mem1"}
    assert not members[2].notifications.exists() and not admin.notifications.exists()


def test_later_rounds_avoid_pairs_that_met_before(acme):
    """Given eight people, when three rounds of pairs run, then no pair meets twice (there
    are seven repeat-free pairings of eight people)."""
    organization, admin, members = acme
    opt_in_all(organization, [admin, *members])

    seen: set[tuple[str, str]] = set()
    for week in ("W48", "W49", "W50"):
        mixer_round = services.mixer_run(organization_slug="acme", name=week, group_size=2)
        pairs = pairs_of_round(mixer_round)
        assert mixer_round.repeats == 0 and not (pairs & seen), week
        seen |= pairs


def test_the_page_runs_a_round_for_admins_and_shows_members_their_groups(client, acme):
    """Given everyone opted in, when the admin makes a round on the page, then the report
    lists it, and a member's page shows their group but no way to run rounds."""
    organization, admin, members = acme
    opt_in_all(organization, [admin, *members])
    client.force_login(admin)

    response = client.post("/orgs/acme/mixers/", {"name": "W48", "group_size": "3"})

    assert response.status_code == 302
    report = client.get("/orgs/acme/mixers/").content.decode()
    assert "W48" in report and "8 of 8" in report
    client.force_login(members[0])
    mine = client.get("/orgs/acme/mixers/").content.decode()
    assert "My groups" in mine and "Run a round" not in mine


def test_members_opt_in_and_out_on_the_page(client, acme):
    """Given a member, when they opt in and then out on the page, then it is saved each time."""
    _organization, _, members = acme
    client.force_login(members[0])

    client.post("/orgs/acme/mixers/", {"opt": "in"})
    assert MixerOptIn.objects.filter(user=members[0]).exists()
    client.post("/orgs/acme/mixers/", {"opt": "out"})
    assert not MixerOptIn.objects.filter(user=members[0]).exists()


def test_only_admins_run_rounds_and_outsiders_get_404(client, acme, make_person):
    """Given a plain member and an outsider, when they try to run a round, then the member is
    refused and nothing is made, and the outsider does not see the page at all."""
    organization, _, members = acme
    opt_in_all(organization, members)
    outsider = make_person("olga")

    with pytest.raises(PermissionDenied):
        services.mixer_run(organization_slug="acme", name="W48", group_size=2, by=members[0])
    client.force_login(outsider)
    assert client.get("/orgs/acme/mixers/").status_code == 404
    with pytest.raises(NotFound):
        services.mixer_opt(organization_slug="acme", by=outsider, opt_in=True)
    assert not MixerRound.objects.exists()


def test_bad_rounds_are_refused_and_nothing_is_written(acme):
    """Given people opted in, when a round has no name, a group size of 5, a name already
    used, or fewer than two people opted in, then each is refused with the field named."""
    organization, _admin, members = acme
    with pytest.raises(DomainError, match="Fewer than two"):
        services.mixer_run(organization_slug="acme", name="W48", group_size=2)
    opt_in_all(organization, members)
    with pytest.raises(DomainError, match="name"):
        services.mixer_run(organization_slug="acme", name="  ", group_size=2)
    with pytest.raises(DomainError, match="group_size"):
        services.mixer_run(organization_slug="acme", name="W48", group_size=5)
    services.mixer_run(organization_slug="acme", name="W48", group_size=2)
    with pytest.raises(Conflict, match="already a round"):
        services.mixer_run(organization_slug="acme", name="W48", group_size=2)
    assert MixerRound.objects.count() == 1


def test_the_command_runs_a_round_and_prints_the_report(acme):
    """Given people opted in, when `mentormesh mixer` runs, then it prints placed, groups,
    repeats and the cross-department share; an unknown organization is a command error."""
    organization, admin, members = acme
    opt_in_all(organization, [admin, *members])
    out = StringIO()

    call_command("mixer", "--org", "acme", "--round", "W48", "--group-size", "2", stdout=out)

    assert "8 of 8 opted-in members placed in 4 groups; 0 repeated pairs" in out.getvalue()
    with pytest.raises(CommandError, match="No organization"):
        call_command("mixer", "--org", "nope", "--round", "W48")


def test_someone_far_from_everyone_is_reported_with_the_reason(acme, make_person):
    """Given one member twelve hours from the rest, when a round runs, then they are listed
    as not placed, with why, on the report."""
    organization, _admin, members = acme
    far = make_person("far", timezone="Pacific/Kiritimati")
    Membership.objects.create(user=far, organization=organization)
    opt_in_all(organization, [*members, far])

    mixer_round = services.mixer_run(organization_slug="acme", name="W48", group_size=2)

    assert mixer_round.unplaced == [
        {"handle": "far", "why": "no one else shares their working hours"}
    ]
    assert mixer_round.placed == 7
