"""Fixtures for discovery (people, organizations and cards come from tests/conftest.py)."""

import pytest


@pytest.fixture
def deactivate():
    """Switch an account off the way staff do: the user row is saved inactive."""

    def switch_off(user):
        user.is_active = False
        user.save()

    return switch_off
