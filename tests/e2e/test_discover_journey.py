"""Discovery in a real browser: a seeker's board puts the two-way helper first, the directory
finds helpers by free text, and an org admin makes program shortlists and downloads them."""

import re
import tempfile
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

from mentormesh.people import services
from mentormesh.people.models import Priority, Proficiency

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-passphrase-42"  # make_user's
# Screenshots to look at by hand (/tmp/shots here), not kept with the test results.
SHOTS = Path(tempfile.gettempdir()) / "shots"


def join(organization, *, admin, user) -> None:
    """Membership the way people get it: the admin invites, the invitee accepts."""
    services.invitation_create(
        inviter=admin, organization=organization, email=user.email, accept_url_template="<{token}>"
    )
    token = re.search(r"<(\S+)>", mail.outbox[-1].body).group(1)
    services.invitation_accept(token=token, user=user)


@pytest.fixture
def network(make_user):
    """Acme, run by Olga. Sam (early career) wants to learn Kubernetes and offers SQL. Two
    members offer Kubernetes: Hana, a senior expert, and Tomás, mid-level and proficient,
    who wants to learn SQL — so Tomás and Sam could help each other."""
    olga = make_user("olga", display_name="Olga Berg", level="leader")
    organization = services.organization_create(
        creator=olga, name="Acme Robotics", slug="acme", kind="company"
    )
    sam = make_user("sam", display_name="Sam Ortiz", level="early-career")
    services.offered_skill_set(user=sam, skill_name="SQL")
    services.sought_skill_set(
        user=sam,
        skill_name="Kubernetes",
        goal="Run our services on a cluster",
        priority=Priority.HIGH,
    )
    hana = make_user("hana", display_name="Hana Kim", level="senior")
    services.offered_skill_set(user=hana, skill_name="Kubernetes", proficiency=Proficiency.EXPERT)
    tomas = make_user("tomas", display_name="Tomás Reyes", level="mid")
    services.offered_skill_set(
        user=tomas, skill_name="Kubernetes", proficiency=Proficiency.PROFICIENT
    )
    services.sought_skill_set(user=tomas, skill_name="SQL", goal="Write my own reports")
    for member in (sam, hana, tomas):
        join(organization, admin=olga, user=member)
    return {"olga": olga, "sam": sam, "hana": hana, "tomas": tomas, "org": organization}


def log_in(page, handle: str) -> None:
    page.goto("/login/")
    page.get_by_label("Handle or email").fill(handle)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_seeker_finds_helpers_and_admin_makes_shortlists(page, network):
    SHOTS.mkdir(exist_ok=True)

    # When the seeker logs in and opens "My board" from the navigation
    log_in(page, "sam")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My board").click()
    expect(page).to_have_url(re.compile(r"/board/$"))

    # Then the Kubernetes goal lists both helpers, the two-way one first, and says why
    goal = page.locator("section.goal", has=page.get_by_role("heading", name="Kubernetes"))
    cards = goal.locator("li.recommendation")
    expect(cards).to_have_count(2)
    expect(cards.nth(0)).to_contain_text("@tomas")
    expect(cards.nth(1)).to_contain_text("@hana")
    expect(cards.nth(0).locator("ul.reasons li").first).to_contain_text("two-way")
    expect(cards.nth(0).locator(".badge.two-way")).to_be_visible()
    page.screenshot(path=SHOTS / "board.png", full_page=True)

    # When they type "kubernetes" into the directory's search box
    page.get_by_role("navigation", name="Main").get_by_role("link", name="People").click()
    page.get_by_role("searchbox", name="Search").press_sequentially("kubernetes", delay=30)

    # Then the live results (swapped in by HTMX, the address following) list both helpers
    expect(page).to_have_url(re.compile(r"[?&]q=kubernetes"))
    results = page.locator("#results")
    expect(results).to_contain_text("most relevant first")
    for handle in ("hana", "tomas"):
        expect(results.locator("li.person", has_text=f"@{handle}")).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    # When the org admin opens the organization page and makes shortlists for everyone
    log_in(page, "olga")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Organizations").click()
    page.get_by_role("link", name="Acme Robotics").click()
    page.get_by_role("link", name="Program shortlists").click()
    expect(page.get_by_role("heading", name="Program shortlists", level=1)).to_be_visible()
    page.get_by_role("button", name="Make shortlists").click()

    # Then the report counts seekers (Sam, Tomás) and helpers (Sam, Hana, Tomás)
    expect(page).to_have_url(re.compile(r"/orgs/acme/shortlists/\d+/$"))
    report = page.get_by_role("region", name="Report")
    expect(report).to_contain_text("2 seekers")
    expect(report).to_contain_text("3 helpers")
    expect(report.get_by_role("img")).to_have_attribute("aria-label", re.compile(r"of 2$"))
    # And Sam's row suggests both Kubernetes helpers, and says what each covers
    sam_row = page.locator("tbody tr", has=page.locator("td:first-child", has_text="@sam"))
    helpers = sam_row.locator("ol li")
    expect(helpers).to_have_count(2)
    expect(sam_row).to_contain_text("@hana")
    expect(sam_row).to_contain_text("@tomas")
    expect(sam_row).to_contain_text("Kubernetes")
    expect(sam_row).to_contain_text("two-way: wants to learn SQL")
    page.screenshot(path=SHOTS / "shortlist_report.png", full_page=True)

    # When they download the CSV
    with page.expect_download() as download_info:
        report.get_by_role("link", name="Download CSV").click()
    download = download_info.value

    # Then it is a CSV of the run, header first
    assert re.fullmatch(r"shortlists-acme-\d+\.csv", download.suggested_filename)
    text = Path(download.path()).read_text(encoding="utf-8")
    assert text.startswith("seeker_handle,")
    assert any(line.startswith("sam,") for line in text.splitlines()[1:])

    # And on every page of the journey the strict Content Security Policy never had to
    # block anything, nor did a script fail
    violations = [m for m in page.console_messages if "Content Security Policy" in m]
    assert violations == []
    assert page.page_errors == []
