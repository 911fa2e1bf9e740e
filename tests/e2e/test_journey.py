"""A newcomer's first visit, in a real browser: join, describe themselves, find a mentor."""

import re

import pytest
from django.core.management import call_command
from django.db.models import Count
from playwright.sync_api import expect

from mentormesh.people.models import OfferedSkill, SkillAlias, Visibility

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

OFFERS = ["Python", "Public Speaking"]
SEEKS = ["Kubernetes", "Negotiation"]


def a_person_findable_by_an_alias():
    """A demo person visible to everyone who offers a skill that has an alias, and who is on
    the first page of the directory when one searches for that skill."""
    aliased = (
        OfferedSkill.objects.filter(skill__aliases__isnull=False)
        .values("skill_id")
        .annotate(n=Count("user_id", distinct=True))
        .filter(n__lte=20)
        .order_by("-n", "skill_id")
    )
    for row in aliased:
        first = (
            OfferedSkill.objects.filter(skill_id=row["skill_id"])
            .select_related("user__profile", "skill")
            .order_by("user__profile__display_name", "user_id")
            .first()
        )
        if first.user.profile.visibility == Visibility.NETWORK:
            alias = SkillAlias.objects.filter(skill_id=row["skill_id"]).order_by("alias").first()
            return first.user, first.skill, alias.alias
    pytest.fail("the demo network has no visible person offering a skill with an alias")


def add_skill(page, section: str, name: str) -> None:
    # By its label, which also proves each list's box has a label of its own.
    box = page.locator(f"#{section}").get_by_role("combobox", name="Skill")
    box.click()
    box.press_sequentially(name, delay=20)
    page.locator(f"#{section} button[type=submit]", has_text="Add").click()
    expect(page.locator(f"#{section} table.rows")).to_contain_text(name)
    expect(page.locator(f"#{section}").get_by_role("combobox", name="Skill")).to_have_value("")


def test_newcomer_joins_describes_themselves_and_finds_a_mentor_by_alias(page, results_dir):
    # Given a small demo network, and a person in it who offers a skill known by an alias
    call_command("demo", people=40, seed=3, stdout=open("/dev/null", "w"))  # noqa: SIM115
    mentor, skill, alias = a_person_findable_by_an_alias()
    assert alias != skill.key

    # When a newcomer signs up
    page.goto("/signup/")
    page.get_by_label("Your name").fill("Ada Newcomer")
    page.get_by_label("Handle").fill("ada_new")
    page.get_by_label("Email").fill("ada@example.org")
    page.get_by_label("Time zone").select_option("Europe/Berlin")
    page.locator("#id_password").fill("correct-horse-battery-42")
    page.get_by_label("Password again").fill("correct-horse-battery-42")
    page.get_by_role("button", name="Create my account").click()

    # Then they land on the profile editor
    expect(page).to_have_url(re.compile(r"/me/edit/$"))
    expect(page.get_by_role("heading", name="My profile")).to_be_visible()

    # When they add what they can help with and what they want to learn (HTMX swaps the lists)
    for name in OFFERS:
        add_skill(page, "offers", name)
    for name in SEEKS:
        add_skill(page, "seeks", name)
    # Then each list shows both, and the page was never reloaded (the heading stays one)
    for name in OFFERS:
        expect(page.locator("#offers table.rows")).to_contain_text(name)
    for name in SEEKS:
        expect(page.locator("#seeks table.rows")).to_contain_text(name)

    # When they set a headline and save
    page.get_by_label("Headline").fill("Backend developer, new to leading teams")
    page.get_by_role("button", name="Save profile").click()
    expect(page.locator(".messages")).to_contain_text("Profile saved.")
    expect(page.get_by_label("Headline")).to_have_value("Backend developer, new to leading teams")
    page.screenshot(path=results_dir / "profile_editor.png", full_page=True)

    # When they search the directory for a skill by one of its aliases
    page.get_by_role("link", name="People").click()
    expect(page).to_have_url(re.compile(r"/people/$"))
    page.get_by_role("combobox", name="Helps with").fill(alias)
    page.get_by_role("button", name="Search").click()

    # Then the directory resolves the alias and lists the person who offers the skill
    results = page.locator("#results")
    expect(results).to_contain_text(f"who help with {skill.name}")
    card = results.locator("li.person", has_text=f"@{mentor.handle}")
    expect(card).to_be_visible()
    page.screenshot(path=results_dir / "directory.png", full_page=True)

    # When they open that person's profile
    card.get_by_role("link", name=mentor.profile.display_name).click()
    expect(page).to_have_url(re.compile(rf"/people/{mentor.handle}/$"))
    expect(page.locator("h1")).to_contain_text(mentor.profile.display_name)
    expect(page.get_by_role("heading", name="Can help with")).to_be_visible()
    expect(page.locator("main")).to_contain_text(skill.name)
    page.screenshot(path=results_dir / "person.png", full_page=True)

    # And the strict Content Security Policy never had to block anything, nor did scripts fail
    violations = [m for m in page.console_messages if "Content Security Policy" in m]
    assert violations == []
    assert page.page_errors == []
