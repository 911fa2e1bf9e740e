"""The curated skills vocabulary file: shape and internal consistency, without Django."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

SKILLS_FILE = Path(__file__).resolve().parents[2] / "src/mentormesh/people/data/skills.json"
CATEGORIES = (
    "software",
    "data",
    "design",
    "product",
    "business",
    "languages",
    "communication",
    "leadership",
    "career",
)


def _key(text: str) -> str:
    """Case- and spacing-insensitive, like the loader's normalize_skill_key."""
    return re.sub(r"[\s_]+", " ", unicodedata.normalize("NFKC", text).casefold().strip())


@pytest.fixture(scope="module")
def skills() -> list[dict]:
    return json.loads(SKILLS_FILE.read_text(encoding="utf-8"))


def test_file_holds_at_least_300_skills(skills):
    """Given the shipped file, when it is parsed, then it is a list of at least 300 skills."""
    assert isinstance(skills, list)
    assert len(skills) >= 300


def test_every_category_is_well_stocked(skills):
    """Given the skills, when counted by category, then each has 10+ (languages 20+) and no
    skill uses an unknown category."""
    counts = Counter(skill["category"] for skill in skills)
    assert set(counts) <= set(CATEGORIES)
    for category in CATEGORIES:
        assert counts[category] >= (20 if category == "languages" else 10), category


def test_names_are_unique_ignoring_case(skills):
    """Given the names, when compared ignoring case and spacing, then none repeats."""
    keys = Counter(_key(skill["name"]) for skill in skills)
    assert [key for key, n in keys.items() if n > 1] == []


def test_names_and_aliases_are_non_empty_and_short(skills):
    """Given every name and alias, when measured, then each is a non-blank string of <= 60."""
    for skill in skills:
        for text in [skill["name"], *skill.get("aliases", [])]:
            assert isinstance(text, str) and text.strip() and len(text) <= 60, (skill["name"], text)


def test_each_alias_points_to_exactly_one_skill(skills):
    """Given the aliases, when keyed like names, then none equals a name or another alias."""
    names = {_key(skill["name"]) for skill in skills}
    seen: dict[str, str] = {}
    for skill in skills:
        for alias in skill.get("aliases", []):
            key = _key(alias)
            assert key not in names, (skill["name"], alias)
            assert key not in seen, (skill["name"], alias, seen.get(key))
            seen[key] = skill["name"]


def test_related_names_exist_and_are_not_self(skills):
    """Given each skill's related list, when resolved by exact name, then every target is
    another skill in the file."""
    names = {skill["name"] for skill in skills}
    for skill in skills:
        for name in skill.get("related", []):
            assert name in names, (skill["name"], name)
            assert name != skill["name"], name
