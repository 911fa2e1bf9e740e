import re

import pytest

from mentormesh.people import services
from mentormesh.people.models import Membership, Role

PASSWORD = "a-long-passphrase-42"  # what tests/conftest.py's make_user gives everyone


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
    """The people a directory or member page shows, in page order, read from its cards."""

    def read(response) -> list[str]:
        return re.findall(r'<h3><a href="/people/([a-z0-9_-]+)/">', response.content.decode())

    return read
