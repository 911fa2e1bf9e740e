"""People who ask and are asked, and a way to send a good ask."""

import pytest
from connect_helpers import LEO_QUESTION, LEO_TO_PRIYA

from mentormesh.connect import services


@pytest.fixture
def priya(make_person):
    return make_person(
        "priya",
        display_name="Priya Raman",
        headline="Staff SRE at Northwind",
        bio="I write about incident reviews and on-call health.",
        hours_per_month=4,
        offers=[("Kubernetes", 3)],
    )


@pytest.fixture
def leo(make_person):
    return make_person("leo", display_name="Leo Park", level="student", seeks=["Kubernetes"])


@pytest.fixture
def mallory(make_user):
    """A member who is party to nothing in these tests."""
    return make_user("mallory", display_name="Mallory Stone")


@pytest.fixture
def send():
    """Send an ask through the service with a message the checker accepts (to Priya)."""

    def send(sender, recipient, **changes):
        arguments = {
            "sender": sender,
            "recipient_handle": recipient.handle,
            "message": LEO_TO_PRIYA,
            "question": LEO_QUESTION,
            "time_minutes": 30,
            "skill_name": "Kubernetes",
        }
        return services.ask_send(**(arguments | changes))

    return send


@pytest.fixture
def ask(leo, priya, send):
    """Leo's pending ask to Priya."""
    return send(leo, priya)
