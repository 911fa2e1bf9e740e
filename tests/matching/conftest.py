from datetime import UTC, datetime, timedelta

import pytest

from mentormesh.matching.model import Evidence, Person

START = datetime(2024, 1, 1, tzinfo=UTC)


def answer(text, tags, days, score=0):
    """An answer given ``days`` after START."""
    return Evidence("answer", text, tuple(tags), START + timedelta(days=days), score)


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
