import pytest
from matching_builders import answer

from mentormesh.matching.model import Person


@pytest.fixture
def espresso_crowd():
    """Three helpers: an espresso regular, a tea person, and someone who answered once."""
    return [
        Person(
            "barista",
            offers=["espresso"],
            evidence=[
                answer("Dial in espresso grind size and shot time", ["espresso", "grinder"], d)
                for d in (10, 40, 300, 390, 395)
            ],
        ),
        Person(
            "tea",
            offers=["tea"],
            evidence=[answer("Green tea steeping temperature", ["tea"], d) for d in (5, 380)],
        ),
        Person("newcomer", evidence=[answer("Espresso crema explained", ["espresso"], 392)]),
    ]
