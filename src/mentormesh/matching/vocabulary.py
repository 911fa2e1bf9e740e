"""Skill names: folding what people type into one key, aliases and related skills.

The Django side owns the curated vocabulary; it hands the engine a plain mapping. Without
one, tags are still normalised so that "Machine Learning", "machine_learning" and
"machine-learning" meet.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Protocol

_SEPARATORS = re.compile(r"[\s_\-]+")


def normalize_tag(name: str) -> str:
    """Lowercase, and fold runs of spaces, underscores and hyphens into one hyphen."""
    folded = unicodedata.normalize("NFKC", name).casefold().strip()
    return _SEPARATORS.sub("-", folded).strip("-")


class SkillVocabulary(Protocol):
    def canonical(self, name: str) -> str:
        """The canonical key for any spelling or alias of a skill."""
        ...

    def related(self, canonical: str) -> frozenset[str]:
        """Canonical keys of skills close enough to earn partial credit."""
        ...

    def label(self, canonical: str) -> str:
        """How a skill is written for people to read."""
        ...


class Vocabulary:
    """A plain in-memory vocabulary: alias → canonical and canonical → related skills.

    Keys and values are normalised on the way in, so callers may pass display names.
    Relatedness is made symmetric: if Docker is related to Kubernetes, so is the reverse.
    ``labels`` gives the display name of a skill ("Machine learning" for
    "machine-learning"); without one, reasons show the canonical key.
    """

    def __init__(
        self,
        aliases: Mapping[str, str] | None = None,
        related: Mapping[str, Iterable[str]] | None = None,
        labels: Mapping[str, str] | None = None,
    ) -> None:
        self._aliases = {
            normalize_tag(alias): normalize_tag(canonical)
            for alias, canonical in (aliases or {}).items()
        }
        neighbours: dict[str, set[str]] = {}
        for skill, others in (related or {}).items():
            key = self.canonical(skill)
            for other in others:
                other_key = self.canonical(other)
                if other_key != key:
                    neighbours.setdefault(key, set()).add(other_key)
                    neighbours.setdefault(other_key, set()).add(key)
        self._related = {key: frozenset(values) for key, values in neighbours.items()}
        self._labels = {self.canonical(name): label for name, label in (labels or {}).items()}

    def canonical(self, name: str) -> str:
        key = normalize_tag(name)
        return self._aliases.get(key, key)

    def related(self, canonical: str) -> frozenset[str]:
        return self._related.get(canonical, frozenset())

    def label(self, canonical: str) -> str:
        return self._labels.get(canonical, canonical)


PLAIN_VOCABULARY = Vocabulary()
