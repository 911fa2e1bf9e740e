"""The demo network: deterministic for a seed, varied, and with a login that works."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from mentormesh.people.models import Membership, Organization, Profile, User

LOGIN_LINE = re.compile(r"^Demo login: (\S+) (\S+@\S+) (\S+)$", re.MULTILINE)


def demo(**options) -> str:
    out = StringIO()
    call_command("demo", stdout=out, **options)
    return out.getvalue()


def fingerprint() -> list[tuple]:
    """Who is in the network and what they offer, seek and belong to (not database ids, not
    the demo login's random password)."""
    users = User.objects.prefetch_related(
        "offered_skills__skill", "sought_skills__skill", "memberships__organization"
    ).select_related("profile")
    return sorted(
        (
            user.handle,
            user.profile.display_name,
            user.profile.level,
            user.profile.timezone,
            user.profile.visibility,
            tuple(sorted((o.skill.name, o.proficiency) for o in user.offered_skills.all())),
            tuple(sorted(s.skill.name for s in user.sought_skills.all())),
            tuple(
                sorted(
                    (m.organization.slug, m.department, m.role, m.title)
                    for m in user.memberships.all()
                )
            ),
        )
        for user in users
    )


def wipe() -> None:
    User.objects.all().delete()
    Organization.objects.all().delete()


def test_the_same_seed_builds_the_same_network(db):
    """Given an empty database, when the demo is built with seed 7, wiped, and built again
    with seed 7, then both networks have the same people with the same skills and groups."""
    demo(people=40, seed=7)
    first = fingerprint()
    wipe()

    demo(people=40, seed=7)

    assert fingerprint() == first
    assert len(first) == 41  # the 40 people and the demo account


def test_another_seed_builds_another_network(db):
    """Given seeds 7 and 8, when each builds a network on an empty database, then the
    networks differ (the seed matters)."""
    demo(people=40, seed=7)
    first = fingerprint()
    wipe()

    demo(people=40, seed=8)

    assert fingerprint() != first


def test_the_demo_network_is_varied(db):
    """Given a demo of 40, when built, then there are 40 people plus the demo account, at
    least three organizations of three kinds, and some people in no organization; most
    people offer and seek skills."""
    output = demo(people=40, seed=7)

    assert "Created 40 people in 4 organizations (seed 7)." in output
    assert Profile.objects.count() == 41
    organizations = Organization.objects.all()
    assert organizations.count() >= 3
    assert {o.kind for o in organizations} >= {"company", "school", "community"}
    unaffiliated = User.objects.exclude(handle="demo").exclude(
        pk__in=Membership.objects.values("user_id")
    )
    assert unaffiliated.count() >= 5
    offering = User.objects.filter(offered_skills__isnull=False).distinct().count()
    seeking = User.objects.filter(sought_skills__isnull=False).distinct().count()
    assert offering >= 30 and seeking >= 30
    assert Membership.objects.filter(manager__isnull=False).exists()
    assert Profile.objects.filter(level="senior").exists()
    assert Profile.objects.filter(level="student").exists()


def test_the_printed_demo_login_works_on_the_login_page(db):
    """Given a new demo, when its printed login is typed into the log-in page (by handle,
    then by email), then both log in."""
    output = demo(people=10, seed=3)

    handle, email, password = LOGIN_LINE.search(output).groups()
    assert (handle, email) == ("demo", "demo@demo.mentormesh.test")
    for login in (handle, email):
        response = Client().post("/login/", {"username": login, "password": password})
        assert response.status_code == 302, login
        assert response["Location"] == "/"


def test_if_empty_does_not_add_people_but_gives_a_fresh_login(db):
    """Given a demo network, when `demo --if-empty` runs again, then no one is added, it
    says so, and the new login it prints works while the old password does not."""
    old_password = LOGIN_LINE.search(demo(people=10, seed=3)).group(3)
    before = fingerprint()

    output = demo(people=10, seed=99, if_empty=True)

    assert "demo network not rebuilt" in output
    assert fingerprint() == before
    new_password = LOGIN_LINE.search(output).group(3)
    assert new_password != old_password
    assert (
        Client().post("/login/", {"username": "demo", "password": old_password}).status_code == 200
    )
    assert (
        Client().post("/login/", {"username": "demo", "password": new_password}).status_code == 302
    )


def test_if_empty_on_a_database_with_other_people_leaves_them_alone(make_user):
    """Given a database with one real member, when `demo --if-empty` runs, then it builds no
    network (only the demo login exists besides her)."""
    make_user("ada")

    demo(people=10, seed=1, if_empty=True)

    assert sorted(User.objects.values_list("handle", flat=True)) == ["ada", "demo"]


@pytest.mark.parametrize("people", [0, 200_001])
def test_an_impossible_size_is_refused(db, people):
    """Given --people 0 or more than 200000, when run, then it fails with the allowed range."""
    with pytest.raises(CommandError, match="between 1 and 200000"):
        demo(people=people)
