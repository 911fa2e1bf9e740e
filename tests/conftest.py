import re
import sqlite3
import threading
from contextlib import contextmanager

import pytest
from django.db import connection, connections

from mentormesh.people import services
from mentormesh.people.models import Membership, Role


@pytest.fixture(autouse=True)
def _fast_hashing_and_email(settings):
    # Argon2 is deliberately slow; tests that are not about hashing use a fast hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def make_user(db):
    counter = iter(range(1, 10_000))

    def make(handle=None, *, display_name=None, password="a-long-passphrase-42", **profile):
        n = next(counter)
        handle = handle or f"member{n}"
        user = services.user_signup(
            handle=handle,
            email=f"{handle}@example.org",
            password=password,
            display_name=display_name or handle.title(),
        )
        if profile:
            services.profile_update(user=user, changes=profile)
        return user

    return make


@pytest.fixture
def make_person(make_user):
    """A member with skills: `offers` are names or (name, proficiency 1-3); `seeks` are names
    or (name, goal, priority 1-3). Other keywords are profile fields."""

    def make(handle, *, offers=(), seeks=(), **profile):
        user = make_user(handle, **profile)
        for offer in offers:
            name, proficiency = (offer, 2) if isinstance(offer, str) else offer
            services.offered_skill_set(user=user, skill_name=name, proficiency=proficiency)
        for seek in seeks:
            name, goal, priority = (seek, "", 2) if isinstance(seek, str) else seek
            services.sought_skill_set(user=user, skill_name=name, goal=goal, priority=priority)
        return user

    return make


@pytest.fixture
def make_org(db):
    """An organization whose first admin is `admin`; `members` join as plain members."""

    def make(slug, *, admin, kind="company", members=(), name=None):
        organization = services.organization_create(
            creator=admin, name=name or slug.replace("-", " ").title(), slug=slug, kind=kind
        )
        for user in members:
            Membership.objects.create(user=user, organization=organization, role=Role.MEMBER)
        return organization

    return make


@pytest.fixture
def handles_on():
    """The people a directory, member page or board shows as cards, in page order."""

    def read(response) -> list[str]:
        return re.findall(r'<h3><a href="/people/([a-z0-9_-]+)/">', response.content.decode())

    return read


@contextmanager
def database_for_threads(folder):
    """Where new connections (the threads') go while a race runs.

    On PostgreSQL the threads share the test database. SQLite's test database lives in memory
    with a shared cache, where a writer that finds another writing fails at once ("database
    table is locked") instead of waiting its turn as writers do in a database file. So on
    SQLite the threads race on a file copy of the test database, opened as the site opens its
    own (WAL, IMMEDIATE, busy timeout), and the outcome is copied back for the checks."""
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    path = folder / "race.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as copy:
        connection.connection.backup(copy)
    threads_settings = connections.settings[connection.alias]
    in_memory = threads_settings["NAME"]
    threads_settings["NAME"] = str(path)
    try:
        yield
    finally:
        threads_settings["NAME"] = in_memory
        with sqlite3.connect(path) as copy:
            copy.backup(connection.connection)


@pytest.fixture
def race(transactional_db, tmp_path):
    """Run each attempt in its own thread, all released at once; what each returned or raised.

    Each thread closes its own database connection when done, so none outlives the test."""

    def run(*attempts) -> list:
        start = threading.Barrier(len(attempts))
        outcomes: list = [None] * len(attempts)

        def attempt_in_thread(index, attempt):
            try:
                start.wait()
                outcomes[index] = attempt()
            except Exception as error:
                outcomes[index] = error
            finally:
                connection.close()

        threads = [
            threading.Thread(target=attempt_in_thread, args=(index, attempt))
            for index, attempt in enumerate(attempts)
        ]
        with database_for_threads(tmp_path):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        return outcomes

    return run
