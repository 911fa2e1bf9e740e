"""A deterministic synthetic network for the matching speed benchmark.

Shaped like a real one where it matters for speed: skill popularity is Zipf-like (a few
skills everyone has, a long tail), evidence counts are heavy-tailed (most people have
a few items, some have hundreds), and texts mix skill words with a Zipf filler
vocabulary, so common words have long postings and rare ones short.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np

from mentormesh.matching.model import (
    LEVELS,
    AvailabilityWindow,
    Evidence,
    Goal,
    Openness,
    Person,
    Request,
)

N_SKILLS = 2_000
N_FILLER_WORDS = 8_000
N_ORGANIZATIONS = 300
# Real text's commonest words are stopwords the tokenizer drops; filler starts after them.
STOPWORD_RANKS = 150
TIME_ZONES = (
    "America/Los_Angeles",
    "America/New_York",
    "America/Sao_Paulo",
    "Europe/London",
    "Europe/Berlin",
    "Africa/Nairobi",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Australia/Sydney",
)
SPAN_DAYS = 3 * 365
END = datetime(2025, 1, 1, tzinfo=UTC)
_SYLLABLES = ("ka", "lo", "mi", "ne", "ru", "ta", "vo", "zi", "pa", "de", "so", "gu", "ri", "be")


def _words(rng: np.random.Generator, count: int, prefix: str) -> list[str]:
    """Pronounceable, distinct pseudo-words (so the tokenizer treats them like real ones)."""
    words: list[str] = []
    seen: set[str] = set()
    while len(words) < count:
        length = int(rng.integers(2, 5))
        word = prefix + "".join(_SYLLABLES[i] for i in rng.integers(0, len(_SYLLABLES), length))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def _zipf_cdf(count: int, exponent: float, skipped: int = 0) -> np.ndarray:
    """CDF of a Zipf law over ``count`` ranks, starting after the ``skipped`` commonest."""
    weights = 1.0 / np.arange(skipped + 1, skipped + count + 1) ** exponent
    return np.cumsum(weights / weights.sum())


class SyntheticNetwork:
    def __init__(self, seed: int = 7) -> None:
        self.rng = np.random.default_rng(seed)
        self.skills = _words(self.rng, N_SKILLS, "")
        self.filler = _words(self.rng, N_FILLER_WORDS, "x")
        self.skill_cdf = _zipf_cdf(N_SKILLS, 1.05)
        self.filler_cdf = _zipf_cdf(N_FILLER_WORDS, 1.0, skipped=STOPWORD_RANKS)

    def _draw(self, cdf: np.ndarray, count: int) -> np.ndarray:
        """``count`` Zipf draws by inverting the CDF (rng.choice with p= is far slower)."""
        return np.minimum(np.searchsorted(cdf, self.rng.random(count)), len(cdf) - 1)

    def _pick_skills(self, count: int) -> list[str]:
        chosen = dict.fromkeys(self._draw(self.skill_cdf, count).tolist())  # distinct, in order
        return [self.skills[i] for i in chosen]

    def _text(self, skills: list[str], length: int) -> str:
        words = [self.filler[i] for i in self._draw(self.filler_cdf, length).tolist()]
        words += skills * 2
        return " ".join(words)

    def people(self, count: int) -> list[Person]:
        rng = self.rng
        evidence_counts = np.minimum(rng.lognormal(0.6, 1.1, size=count).astype(int), 300)
        people = []
        for number in range(count):
            offers = self._pick_skills(int(rng.integers(1, 6)))
            evidence = []
            for _ in range(int(evidence_counts[number])):
                tags = list(
                    rng.choice(
                        offers, size=min(len(offers), int(rng.integers(1, 3))), replace=False
                    )
                )
                if rng.random() < 0.3:
                    tags.append(self._pick_skills(1)[0])
                at = END - timedelta(days=float(rng.uniform(0, SPAN_DAYS)))
                evidence.append(
                    Evidence(
                        "answer",
                        self._text(tags, int(rng.integers(15, 45))),
                        tuple(tags),
                        at,
                        float(rng.integers(0, 10)),
                    )
                )
            zone = TIME_ZONES[int(rng.integers(0, len(TIME_ZONES)))]
            windows = tuple(
                AvailabilityWindow(int(rng.integers(0, 7)), start, start + 120)
                for start in (int(rng.integers(7, 19)) * 60 for _ in range(int(rng.integers(1, 4))))
            )
            people.append(
                Person(
                    id=f"p{number}",
                    headline=" ".join(offers[:2]),
                    offers=offers,
                    seeks=[
                        Goal(skill, "get better at it", int(rng.integers(0, 3)))
                        for skill in self._pick_skills(int(rng.integers(0, 4)))
                    ],
                    level=LEVELS[int(rng.integers(0, len(LEVELS)))],
                    organizations=(f"org{int(rng.integers(0, N_ORGANIZATIONS))}",),
                    time_zone=zone,
                    availability=windows,
                    capacity=int(rng.integers(0, 4)) if rng.random() < 0.7 else None,
                    openness=Openness(mentor=rng.random() < 0.8),
                    evidence=evidence,
                )
            )
        return people

    def requests(self, count: int, n_people: int) -> list[Request]:
        """New questions arriving after everything indexed, from random members."""
        requests = []
        for number in range(count):
            tags = self._pick_skills(int(self.rng.integers(1, 4)))
            requests.append(
                Request(
                    id=f"r{number}",
                    text=self._text(tags, int(self.rng.integers(10, 30))),
                    asker_id=f"p{int(self.rng.integers(0, n_people))}",
                    tags=tuple(tags),
                    at=END + timedelta(hours=number),
                )
            )
        return requests
