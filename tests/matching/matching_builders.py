"""Small builders for matching tests (plain functions, imported by the test modules)."""

from datetime import UTC, datetime, timedelta

from mentormesh.matching.model import Evidence

START = datetime(2024, 1, 1, tzinfo=UTC)


def answer(text, tags, days, score=0):
    """An answer given ``days`` after START."""
    return Evidence("answer", text, tuple(tags), START + timedelta(days=days), score)
