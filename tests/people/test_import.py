"""Bringing people in: CSV import (service, CLI, org page) and email invitations."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from mentormesh.people.imports import people_import_csv
from mentormesh.people.models import (
    Invitation,
    Membership,
    OfferedSkill,
    Profile,
    Role,
    Skill,
    SoughtSkill,
    User,
)

GOOD_CSV = """\
email,handle,display_name,level,timezone,department,title,manager,role,headline,languages,offers,seeks
Boss@Acme.test,boss,Bo Boss,leader,Europe/Berlin,Engineering,CTO,,admin,Runs engineering,en;de,k8s;Python,
dev@acme.test,dev,Dee Dev,mid,America/New_York,Engineering,Engineer,boss,,Builds things,en,py,Kubernetes
new@acme.test,newbie,Nu Bie,student,,Engineering,Intern,dev,,,fr,Sourdough Baking,Go;py
ada@example.org,ada,Ada From File,,,Research,Fellow,boss,,,,,
"""

BAD_CSV = """\
email,handle,display_name,level,timezone,manager
ok@acme.test,okay,Okay Person,mid,Europe/Berlin,
,noemail,No Email,mid,UTC,
lvl@acme.test,badlevel,Bad Level,guru,UTC,
tz@acme.test,badtz,Bad Zone,mid,Mars/Olympus,
dup@acme.test,okay,Dup Handle,mid,UTC,
mgr@acme.test,nomgr,No Manager,mid,UTC,ghost
"""

BAD_ROWS = [
    (3, "missing email"),
    (4, "unknown level 'guru'"),
    (5, "bad time zone 'Mars/Olympus'"),
    (6, "duplicate handle 'okay' (also on line 2)"),
    (7, "unknown manager 'ghost'"),
]


def snapshot() -> dict[str, int]:
    """What an import could write, counted."""
    return {
        model.__name__: model.objects.count()
        for model in (User, Profile, Membership, OfferedSkill, SoughtSkill, Skill)
    }


@pytest.fixture
def acme(make_user, make_org):
    """Acme, run by @admin; @ada has an account but is not in Acme yet."""
    make_user("ada", display_name="Ada")
    return make_org("acme", admin=make_user("admin"))


def membership(handle: str) -> Membership:
    return Membership.objects.select_related("manager").get(
        user__handle=handle, organization__slug="acme"
    )


# --- The import service -------------------------------------------------------------------


def test_a_good_file_creates_accounts_profiles_memberships_and_manager_links(acme):
    """Given a file of three new people and one existing account, when imported, then the new
    accounts and profiles exist as written (email lower-case, skills by alias, languages),
    everyone is in Acme with their department, title and role, and managers are linked."""
    report = people_import_csv(organization=acme, text=GOOD_CSV, dry_run=False)

    assert report.ok, report.problems
    assert (report.rows, report.created, report.joined, report.updated, report.unchanged) == (
        4,
        3,
        1,
        0,
        0,
    )
    boss = User.objects.get(handle="boss")
    assert boss.email == "boss@acme.test"
    assert not boss.has_usable_password()  # they choose one through a password reset
    profile = Profile.objects.get(user=boss)
    assert (profile.display_name, profile.level, profile.timezone, profile.headline) == (
        "Bo Boss",
        "leader",
        "Europe/Berlin",
        "Runs engineering",
    )
    assert sorted(language.code for language in profile.languages.all()) == ["de", "en"]
    assert sorted(boss.offered_skills.values_list("skill__name", flat=True)) == [
        "Kubernetes",
        "Python",
    ]
    newbie = User.objects.get(handle="newbie")
    assert sorted(newbie.sought_skills.values_list("skill__name", flat=True)) == ["Go", "Python"]
    assert Profile.objects.get(user=newbie).timezone == "UTC"
    assert Skill.objects.get(name="Sourdough Baking").reviewed is False
    assert (membership("boss").role, membership("boss").title) == (Role.ADMIN, "CTO")
    assert membership("dev").role == Role.MEMBER
    assert membership("dev").manager.handle == "boss"
    assert membership("newbie").manager.handle == "dev"
    assert membership("boss").manager is None
    assert (membership("ada").department, membership("ada").manager.handle) == (
        "Research",
        "boss",
    )
    assert Profile.objects.get(user__handle="ada").display_name == "Ada"  # not overwritten


def test_a_file_with_bad_rows_imports_nothing_and_reports_every_bad_row(acme):
    """Given a file with one good row and five bad ones (missing email, unknown level, bad
    time zone, duplicate handle, unknown manager), when imported, then nothing is written
    and each bad row is reported with its line number and reason."""
    before = snapshot()

    report = people_import_csv(organization=acme, text=BAD_CSV, dry_run=False)

    assert not report.ok
    assert [problem.line for problem in report.problems] == [line for line, _ in BAD_ROWS]
    for problem, (line, reason) in zip(report.problems, BAD_ROWS, strict=True):
        assert reason in problem.reason, (line, problem.reason)
        assert str(problem).startswith(f"line {line}: ")
    assert report.summary() == "5 bad row(s); nothing was imported."
    assert snapshot() == before
    assert not User.objects.filter(handle="okay").exists()


@pytest.mark.parametrize(
    ("csv_text", "reason"),
    [
        ("email,display_name\nx@y.org,X\n", "missing column(s): handle"),
        ("email,handle,display_name,shoe_size\nx@y.org,xyz,X,42\n", "unknown column(s): shoe_size"),
        (
            "email,handle,display_name\nada@other.org,ada,Ada\n",
            "handle 'ada' belongs to another account",
        ),
        (
            "email,handle,display_name\nada@example.org,not-ada,Ada\n",
            "email 'ada@example.org' belongs to @ada, not @not-ada",
        ),
        ("email,handle,display_name,manager\nx@y.org,xyz,X,xyz\n", "cannot be their own manager"),
        ("email,handle,display_name\nnot-an-email,xyz,X\n", "'not-an-email' is not an email"),
        ("email,handle,display_name\nx@y.org,X Y,X\n", "'x y' is not a valid handle"),
    ],
    ids=["missing-column", "unknown-column", "taken-handle", "taken-email", "own-manager",
         "bad-email", "bad-handle"],
)  # fmt: skip
def test_other_bad_files_are_refused_with_the_reason(acme, csv_text, reason):
    """Given files with a structural or identity problem, when imported, then the report
    gives the reason and nothing is written."""
    before = snapshot()

    report = people_import_csv(organization=acme, text=csv_text, dry_run=False)

    assert not report.ok
    assert any(reason in problem.reason for problem in report.problems), report.problems
    assert snapshot() == before


def test_a_dry_run_reports_what_would_happen_and_writes_nothing(acme):
    """Given a good file, when dry-run, then the report counts what would be created and
    says 'would be', and nothing (not even the new skill) is written."""
    before = snapshot()

    report = people_import_csv(organization=acme, text=GOOD_CSV, dry_run=True)

    assert report.ok
    assert (report.created, report.joined) == (3, 1)
    assert "3 new account(s) would be created" in report.summary()
    assert snapshot() == before
    assert not Skill.objects.filter(name="Sourdough Baking").exists()


def test_importing_the_same_file_again_changes_nothing(acme):
    """Given a file already imported, when it is imported again, then the report says every
    row is unchanged and nothing in the database changed."""
    people_import_csv(organization=acme, text=GOOD_CSV, dry_run=False)
    after_first = snapshot()
    managers = dict(Membership.objects.values_list("user__handle", "manager__handle"))

    report = people_import_csv(organization=acme, text=GOOD_CSV, dry_run=False)

    assert report.ok
    assert (report.created, report.joined, report.updated, report.unchanged) == (0, 0, 0, 4)
    assert report.summary().endswith("0 membership(s) were updated, 4 unchanged.")
    assert snapshot() == after_first
    assert dict(Membership.objects.values_list("user__handle", "manager__handle")) == managers


def test_a_changed_file_updates_memberships_and_managers(acme):
    """Given an imported file, when Dee's title and manager change in the file, then the
    second import updates her membership only."""
    people_import_csv(organization=acme, text=GOOD_CSV, dry_run=False)
    changed = GOOD_CSV.replace(
        "Engineering,Engineer,boss,,Builds things", "Engineering,Staff Engineer,,,Builds things"
    )

    report = people_import_csv(organization=acme, text=changed, dry_run=False)

    assert (report.updated, report.unchanged) == (1, 3)
    assert membership("dev").title == "Staff Engineer"
    assert membership("dev").manager is None


def test_imported_people_can_set_a_password_through_forgot_password(acme):
    """Given Bo was imported (no password yet), when he asks for a password reset with his
    email, as the import page tells new people to, then he gets the email, sets a password
    and can log in."""
    people_import_csv(organization=acme, text=GOOD_CSV, dry_run=False)
    browser = Client()

    browser.post("/password/reset/", {"email": "boss@acme.test"})

    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/password/reset/\S+/\S+/)", mail.outbox[0].body)
    set_password = browser.get(link.group(1), follow=True).redirect_chain[-1][0]
    new_password = "imported-and-now-mine-81"
    browser.post(set_password, {"new_password1": new_password, "new_password2": new_password})
    login = Client().post("/login/", {"username": "boss", "password": new_password})
    assert login.status_code == 302


# --- The CLI ------------------------------------------------------------------------------


def run_import(path, **options) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_people", str(path), stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def test_cli_imports_a_good_file_and_dry_run_writes_nothing(acme, tmp_path):
    """Given a good file on disk, when `import_people --dry-run` runs, then it prints what
    would happen and writes nothing; without --dry-run it imports."""
    path = tmp_path / "people.csv"
    path.write_text("\ufeff" + GOOD_CSV, encoding="utf-8")  # Excel's 'CSV UTF-8' adds a BOM
    before = snapshot()

    dry, _ = run_import(path, org="acme", dry_run=True)
    assert dry.startswith("Dry run: 4 row(s): 3 new account(s) would be created")
    assert snapshot() == before

    real, _ = run_import(path, org="acme")
    assert real.startswith("4 row(s): 3 new account(s) were created, 1 existing account(s)")
    assert membership("newbie").manager.handle == "dev"


def test_cli_refuses_a_bad_file_listing_every_bad_row(acme, tmp_path):
    """Given a file with bad rows, when imported from the command line, then it fails with a
    CommandError, prints each bad row as file:line N: reason, and writes nothing."""
    path = tmp_path / "bad.csv"
    path.write_text(BAD_CSV, encoding="utf-8")
    before = snapshot()
    err = StringIO()

    with pytest.raises(CommandError, match=r"5 bad row\(s\); nothing was imported"):
        call_command("import_people", str(path), org="acme", stdout=StringIO(), stderr=err)

    lines = err.getvalue().splitlines()
    assert [line.split(": ", 1)[0] for line in lines] == [f"{path}:line {n}" for n, _ in BAD_ROWS]
    assert snapshot() == before


@pytest.mark.parametrize(
    ("setup", "message"),
    [("unknown-org", "No organization 'nowhere'"), ("missing-file", "no such file"),
     ("latin-1", "not UTF-8")],
)  # fmt: skip
def test_cli_explains_a_wrong_org_a_missing_file_or_a_wrong_encoding(
    acme, tmp_path, setup, message
):
    """Given a wrong org slug, a missing file or a Latin-1 file, when imported, then the
    command fails with a message saying which."""
    path = tmp_path / "people.csv"
    if setup == "latin-1":
        path.write_bytes("email,handle,display_name\nzoe@acme.test,zoe,Zoë\n".encode("latin-1"))
    elif setup == "unknown-org":
        path.write_text(GOOD_CSV, encoding="utf-8")
    org = "nowhere" if setup == "unknown-org" else "acme"

    with pytest.raises(CommandError, match=message):
        run_import(path, org=org)


# --- The organization page ----------------------------------------------------------------


def upload(content: str | bytes, name="people.csv") -> SimpleUploadedFile:
    data = content.encode() if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="text/csv")


def test_an_admin_imports_through_the_org_page(client, acme):
    """Given @admin of Acme, when she uploads a good file with dry run ticked and then
    without, then the page first reports what would happen and writes nothing, then
    imports and lists the new members."""
    client.force_login(User.objects.get(handle="admin"))
    before = snapshot()

    dry = client.post("/orgs/acme/import/", {"file": upload(GOOD_CSV), "dry_run": "on"})
    assert dry.status_code == 200
    assert "Dry run: 4 row(s): 3 new account(s) would be created" in dry.content.decode()
    assert snapshot() == before

    real = client.post("/orgs/acme/import/", {"file": upload(GOOD_CSV)})
    page = real.content.decode()
    assert real.status_code == 200
    assert "3 new account(s) were created" in page
    assert "Forgot your password?" in page
    assert "Bo Boss" in page and "Nu Bie" in page
    assert membership("dev").manager.handle == "boss"


def test_the_org_page_reports_every_bad_row_and_imports_nothing(client, acme):
    """Given @admin uploads a file with bad rows, when the page answers, then it is 400 and
    lists each bad row with its line, and nothing is written."""
    client.force_login(User.objects.get(handle="admin"))
    before = snapshot()

    response = client.post("/orgs/acme/import/", {"file": upload(BAD_CSV)})

    page = response.content.decode()
    assert response.status_code == 400
    assert "5 bad row(s); nothing was imported." in page
    for line, reason in BAD_ROWS:
        assert f"line {line}: " in page
        assert reason.replace("'", "&#x27;") in page
    assert snapshot() == before


def test_the_org_page_refuses_a_file_that_is_not_utf8(client, acme):
    """Given @admin uploads a Latin-1 file, when the page answers, then it is 400 and says to
    save it as CSV UTF-8."""
    client.force_login(User.objects.get(handle="admin"))

    response = client.post(
        "/orgs/acme/import/",
        {"file": upload("email,handle,display_name\nzoe@a.test,zoe,Zoë\n".encode("latin-1"))},
    )

    assert response.status_code == 400
    assert "CSV UTF-8" in response.content.decode()
    assert not User.objects.filter(handle="zoe").exists()


@pytest.mark.parametrize("who", ["member", "outsider"])
def test_only_an_admin_may_import_others_get_404(client, acme, make_user, who):
    """Given a plain member of Acme and someone outside it, when either uploads a good file,
    then they get 404, the page shows them no import form, and nothing is written."""
    user = make_user(who)
    if who == "member":
        Membership.objects.create(user=user, organization=acme)
    client.force_login(user)
    before = snapshot()

    response = client.post("/orgs/acme/import/", {"file": upload(GOOD_CSV)})

    assert response.status_code == 404
    assert snapshot() == before
    assert "Import people from CSV" not in client.get("/orgs/acme/").content.decode()


# --- Invitations --------------------------------------------------------------------------


def invite(client, django_capture_on_commit_callbacks, email="zoe@example.org", **extra):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post("/orgs/acme/invite/", {"email": email, "role": "member", **extra})


def invitation_path() -> str:
    assert len(mail.outbox) == 1
    match = re.search(r"http://testserver(/invitations/[\w-]+/)", mail.outbox[0].body)
    assert match, mail.outbox[0].body
    return match.group(1)


def test_an_invited_member_follows_the_emailed_link_and_joins(
    client, acme, make_user, django_capture_on_commit_callbacks
):
    """Given @admin invites zoe@example.org to Engineering, when Zoe (logged in) opens the
    emailed link and accepts, then she is a member of Acme in Engineering, and the link
    then shows 'no longer valid' with 404."""
    client.force_login(User.objects.get(handle="admin"))
    sent = invite(client, django_capture_on_commit_callbacks, department="Engineering")
    assert sent.status_code == 302
    assert mail.outbox[0].to == ["zoe@example.org"]
    assert "Join Acme" in mail.outbox[0].subject
    path = invitation_path()

    zoe = Client()
    zoe.force_login(make_user("zoe"))
    landing = zoe.get(path)
    assert landing.status_code == 200
    assert "Join Acme" in landing.content.decode()
    joined = zoe.post(path)

    assert joined.status_code == 302
    assert joined["Location"] == "/orgs/acme/"
    assert (membership("zoe").role, membership("zoe").department) == (Role.MEMBER, "Engineering")
    used = zoe.get(path)
    assert used.status_code == 404
    assert "no longer valid" in used.content.decode()
    assert Client().post(path).status_code == 404


def test_a_new_person_signs_up_from_the_invitation_and_then_joins(
    client, acme, django_capture_on_commit_callbacks
):
    """Given an invitation to someone without an account, when they open the link, then
    they are offered sign-up with their email filled in, and after signing up they come
    back to the invitation and can join."""
    client.force_login(User.objects.get(handle="admin"))
    invite(client, django_capture_on_commit_callbacks)
    path = invitation_path()
    visitor = Client()

    landing = visitor.get(path).content.decode()
    signup_link = re.search(r'href="(/signup/\?[^"]+)"', landing).group(1).replace("&amp;", "&")
    assert "zoe%40example.org" in signup_link
    signup_page = visitor.get(signup_link).content.decode()
    assert 'value="zoe@example.org"' in signup_page
    signed_up = visitor.post(
        signup_link,
        {
            "display_name": "Zoe", "handle": "zoe", "email": "zoe@example.org",
            "timezone": "UTC", "password": "zoe-is-joining-2024", "password_again": "zoe-is-joining-2024",
        },
    )  # fmt: skip
    assert signed_up["Location"] == path
    assert visitor.post(path).status_code == 302
    assert membership("zoe").role == Role.MEMBER


def test_a_bogus_or_expired_invitation_link_is_404(
    client, acme, django_capture_on_commit_callbacks
):
    """Given a made-up token and an invitation past its expiry, when either link is opened
    or posted by a logged-in member, then the page says it is no longer valid (404) and
    nobody joins."""
    client.force_login(User.objects.get(handle="admin"))
    invite(client, django_capture_on_commit_callbacks)
    path = invitation_path()
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    zoe = Client()
    zoe.force_login(User.objects.get(handle="ada"))

    for link in (path, "/invitations/not-a-real-token/"):
        assert zoe.get(link).status_code == 404
        response = zoe.post(link)
        assert response.status_code == 404
        assert "no longer valid" in response.content.decode()
    assert not Membership.objects.filter(user__handle="ada", organization=acme).exists()


def test_only_an_admin_may_invite(client, acme, make_user, django_capture_on_commit_callbacks):
    """Given a plain member of Acme, when she tries to invite someone, then she gets 404, no
    invitation is stored and no email is sent."""
    member = make_user("member")
    Membership.objects.create(user=member, organization=acme)
    client.force_login(member)

    response = invite(client, django_capture_on_commit_callbacks)

    assert response.status_code == 404
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_inviting_an_existing_member_says_so(
    client, acme, make_user, django_capture_on_commit_callbacks
):
    """Given Ben is already in Acme, when @admin invites his email, then the page says he is
    already a member and no email is sent."""
    ben = make_user("ben")
    Membership.objects.create(user=ben, organization=acme)
    client.force_login(User.objects.get(handle="admin"))

    response = invite(client, django_capture_on_commit_callbacks, email="BEN@example.org")

    assert response.status_code == 400
    assert "ben@example.org is already a member" in response.content.decode()
    assert mail.outbox == []


def test_an_invitation_cannot_be_used_by_another_account(
    client, acme, make_user, django_capture_on_commit_callbacks
):
    """Given an invitation for zoe@example.org, when @mallory (another email) opens the link
    and accepts, then she is told it was sent to Zoe, does not join, and Zoe still can."""
    client.force_login(User.objects.get(handle="admin"))
    invite(client, django_capture_on_commit_callbacks, department="Engineering")
    path = invitation_path()

    mallory = Client()
    mallory.force_login(make_user("mallory"))
    refused = mallory.post(path)

    assert refused.status_code == 403
    assert "sent to zoe@example.org" in refused.content.decode()
    assert not Membership.objects.filter(user__handle="mallory", organization=acme).exists()
    zoe = Client()
    zoe.force_login(make_user("zoe"))
    assert zoe.post(path).status_code == 302
