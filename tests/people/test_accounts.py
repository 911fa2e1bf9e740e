"""Accounts: sign-up, log-in by handle or email, lockout, password reset, log-out, CSRF."""

import re

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client

from mentormesh.people.models import Profile, User

PASSWORD = "a-long-passphrase-42"
NEW_PASSWORD = "another-long-passphrase-77"


def signup_form(**overrides):
    form = {
        "display_name": "Ada Lovelace",
        "handle": "ada",
        "email": "ada@example.org",
        "timezone": "Europe/London",
        "password": "correct-horse-battery-42",
        "password_again": "correct-horse-battery-42",
    }
    form.update(overrides)
    return form


def logged_in_user(client) -> User | None:
    user_id = client.session.get(SESSION_KEY)
    return User.objects.get(pk=user_id) if user_id else None


# --- Sign-up ------------------------------------------------------------------------------


def test_signup_creates_account_and_profile_and_logs_in(client, db):
    """Given a visitor, when they fill in the sign-up form, then they have an account and a
    profile in their time zone, are logged in, and land on their profile editor."""
    response = client.post("/signup/", signup_form(), follow=True)

    assert response.redirect_chain[-1][0] == "/me/edit/"
    user = User.objects.get(handle="ada")
    assert user.email == "ada@example.org"
    profile = Profile.objects.get(user=user)
    assert (profile.display_name, profile.timezone) == ("Ada Lovelace", "Europe/London")
    assert logged_in_user(client) == user
    page = response.content.decode()
    assert "@ada" in page and "Welcome!" in page


@pytest.mark.parametrize(
    ("next_url", "landing"),
    [
        ("/people/", "/people/"),
        ("https://evil.example/phish", "/me/edit/"),
        ("//evil.example/phish", "/me/edit/"),
    ],
    ids=["same-site", "other-site", "scheme-relative"],
)
def test_signup_returns_to_a_same_site_next_page_only(client, db, next_url, landing):
    """Given a sign-up link carrying ?next= (as invitations do), when the visitor signs up,
    then they go back to that page if it is on this site, and to their profile editor if
    it points elsewhere (no open redirect)."""
    response = client.post(f"/signup/?next={next_url}", signup_form())

    assert response.status_code == 302
    assert response["Location"] == landing


def test_signup_page_normalises_handle_and_email_to_lower_case(client, db):
    """Given mixed-case input, when signing up, then handle and email are stored lower-case
    so later log-ins and duplicate checks do not depend on case."""
    client.post("/signup/", signup_form(handle="AdaL", email="Ada@Example.ORG"))

    user = User.objects.get()
    assert (user.handle, user.email) == ("adal", "ada@example.org")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"handle": "Taken"}, "@taken is taken; try another."),
        ({"email": "TAKEN@example.ORG"}, "an account with this email exists"),
    ],
    ids=["handle", "email"],
)
def test_signup_with_a_taken_handle_or_email_shows_a_form_error_and_creates_nothing(
    client, make_user, overrides, message
):
    """Given @taken exists, when someone signs up with the same handle or email in another
    case, then the form says so beside the field and no account or profile is created."""
    make_user("taken")

    response = client.post("/signup/", signup_form(**overrides))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert User.objects.count() == 1
    assert Profile.objects.count() == 1
    assert logged_in_user(client) is None


def test_signup_refuses_a_weak_password_and_differing_passwords(client, db):
    """Given a common password or two passwords that differ, when signing up, then the form
    explains the problem and no account is created."""
    weak = client.post("/signup/", signup_form(password="password", password_again="password"))
    differ = client.post("/signup/", signup_form(password_again="something-else-entirely"))

    assert "This password is too common." in weak.content.decode()
    assert "The two passwords differ." in differ.content.decode()
    assert not User.objects.exists()


def test_signup_stores_the_password_hashed_with_argon2(client, db, settings):
    """Given the real hasher list, when someone signs up, then the stored password is an
    argon2 hash (never the password) and the password logs them in."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]

    client.post("/signup/", signup_form())

    user = User.objects.get(handle="ada")
    assert user.password.startswith("argon2$argon2id$")
    assert "correct-horse-battery-42" not in user.password
    assert user.check_password("correct-horse-battery-42")


# --- Log-in -------------------------------------------------------------------------------


@pytest.mark.parametrize("login", ["ada", "ADA", "ada@example.org", "Ada@Example.ORG"])
def test_login_by_handle_or_email_in_any_case(client, make_user, login):
    """Given @ada, when she logs in with her handle or her email, in any case, then she is
    logged in and sent home."""
    ada = make_user("ada")

    response = client.post("/login/", {"username": login, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert logged_in_user(client) == ada


def test_login_with_a_wrong_password_is_refused_with_a_message(client, make_user):
    """Given @ada, when someone logs in with a wrong password, then the page says the
    credentials are wrong and nobody is logged in."""
    make_user("ada")

    response = client.post("/login/", {"username": "ada", "password": "wrong-password-1"})

    assert response.status_code == 200
    assert "Please enter a correct" in response.content.decode()
    assert logged_in_user(client) is None


def test_login_is_locked_after_the_failure_limit_even_with_the_right_password(client, make_user):
    """Given AXES_FAILURE_LIMIT failed log-ins for @ada from one address, when the right
    password is then sent, then axes answers 429 with the locked-out page and does not log in;
    another account from the same address is not affected."""
    make_user("ada")
    make_user("ben")
    limit = settings.AXES_FAILURE_LIMIT
    statuses = [
        client.post("/login/", {"username": "ada", "password": f"wrong-{n}"}).status_code
        for n in range(limit)
    ]

    response = client.post("/login/", {"username": "ada", "password": PASSWORD})

    assert statuses[:-1] == [200] * (limit - 1)  # the form, with an error, until the limit
    assert statuses[-1] == 429
    assert response.status_code == 429
    assert "Too many failed log-ins" in response.content.decode()
    assert logged_in_user(client) is None
    other = Client()
    assert other.post("/login/", {"username": "ben", "password": PASSWORD}).status_code == 302


@pytest.mark.parametrize("spelling", ["ADA", " Ada ", "ada@example.org", "Ada@Example.ORG"])
def test_the_lockout_holds_whatever_spelling_of_the_account_is_used(client, make_user, spelling):
    """Given @ada locked out after failures typed as 'ada', when the right password is sent
    with her handle in another case or with her email, then it is refused too: another
    spelling of the same account does not get a fresh set of attempts."""
    make_user("ada")
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": "ada", "password": f"wrong-{n}"})

    response = client.post("/login/", {"username": spelling, "password": PASSWORD})

    assert response.status_code == 429
    assert logged_in_user(client) is None


def test_failures_under_different_spellings_add_up_to_one_lockout(client, make_user):
    """Given failures spread over 'ada', 'ADA' and her email, when they reach the limit
    together, then @ada is locked out."""
    make_user("ada")
    spellings = ["ada", "ADA", "ada@example.org", "Ada@Example.org", "aDa"]
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": spellings[n % 5], "password": f"wrong-{n}"})

    response = client.post("/login/", {"username": "ada", "password": PASSWORD})

    assert response.status_code == 429


def test_login_below_the_failure_limit_still_works(client, make_user):
    """Given one failure fewer than the limit, when the right password is sent, then @ada is
    logged in (the lockout is not premature)."""
    ada = make_user("ada")
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post("/login/", {"username": "ada", "password": f"wrong-{n}"})

    response = client.post("/login/", {"username": "ada", "password": PASSWORD})

    assert response.status_code == 302
    assert logged_in_user(client) == ada


# --- Password reset -----------------------------------------------------------------------


def reset_link_from(message) -> str:
    match = re.search(r"http://testserver(/password/reset/[^/\s]+/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_password_reset_email_link_sets_a_new_password_once(client, make_user):
    """Given @ada forgot her password, when she asks for a reset by email (any case) and
    follows the emailed link, then she can set a new password, log in with it, not with
    the old one, and the link does not work a second time."""
    make_user("ada")

    response = client.post("/password/reset/", {"email": "ADA@example.org"})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ada@example.org"]
    link = reset_link_from(mail.outbox[0])
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_password_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done.status_code == 302
    assert done["Location"] == "/password/reset/done/"

    fresh = Client()
    assert fresh.post("/login/", {"username": "ada", "password": PASSWORD}).status_code == 200
    assert fresh.post("/login/", {"username": "ada", "password": NEW_PASSWORD}).status_code == 302
    again = Client().get(link, follow=True)
    assert 'name="new_password1"' not in again.content.decode()


def test_password_reset_email_and_pages_are_mentormeshs_own(client, make_user):
    """Given @ada asks for a reset, when the email and the reset pages are shown, then they
    are the product's (the email greets @ada; the pages carry the site's navigation)."""
    make_user("ada")

    page = client.get("/password/reset/")
    client.post("/password/reset/", {"email": "ada@example.org"})

    assert 'class="brand"' in page.content.decode()
    assert "reset the password of @ada on mentormesh" in mail.outbox[0].body


def test_password_reset_for_an_unknown_email_sends_nothing_and_reveals_nothing(client, db):
    """Given no account with an email, when a reset is asked for it, then the visitor sees
    the same 'sent' page as for a real account, and no email goes out."""
    response = client.post("/password/reset/", {"email": "nobody@example.org"})

    assert response.status_code == 302
    assert response["Location"] == "/password/reset/sent/"
    assert mail.outbox == []


# --- Log-out and CSRF ---------------------------------------------------------------------


def test_logout_needs_a_post(client, make_user):
    """Given a logged-in member, when a GET hits /logout/ (say, a link on another site),
    then nothing happens; a POST logs them out."""
    ada = make_user("ada")
    client.force_login(ada)

    assert client.get("/logout/").status_code == 405
    assert logged_in_user(client) == ada

    response = client.post("/logout/")
    assert response.status_code == 302
    assert logged_in_user(client) is None


def test_forms_without_a_csrf_token_are_refused(db, make_user):
    """Given a browser that enforces CSRF, when a log-in or sign-up form is posted without
    the token, then it gets 403 and nothing happens; with the token from the page it works."""
    make_user("ada")
    browser = Client(enforce_csrf_checks=True)

    login = browser.post("/login/", {"username": "ada", "password": PASSWORD})
    signup = browser.post("/signup/", signup_form(handle="newbie", email="newbie@example.org"))

    assert (login.status_code, signup.status_code) == (403, 403)
    assert not User.objects.filter(handle="newbie").exists()
    assert logged_in_user(browser) is None

    browser.get("/login/")
    token = browser.cookies[settings.CSRF_COOKIE_NAME].value
    response = browser.post(
        "/login/", {"username": "ada", "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
