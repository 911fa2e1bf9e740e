"""The numbers that combine the signals, read from weights.json next to this file.

The ranking weights and the half-life are fitted by scripts/tune_matching.py on the
labelled dev sets; the board's extra terms (two-way, availability, diversity) have no
labelled data yet and are documented product choices, kept in the same file so that
every number the engine uses lives in one place.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

WEIGHTS_FILE = Path(__file__).with_name("weights.json")

FEATURES: tuple[str, ...] = (
    "recent_activity",
    "topical_activity",
    "tag_match",
    "profile_text",
    "lifetime_activity",
)


@dataclass(frozen=True)
class BoardWeights:
    skill_match: float = 1.0
    two_way: float = 0.5
    availability: float = 0.2
    repeat_level_penalty: float = 0.15
    repeat_organization_penalty: float = 0.1


@dataclass(frozen=True)
class Weights:
    features: dict[str, float]
    half_life_share: float
    board: BoardWeights = field(default_factory=BoardWeights)

    def __post_init__(self) -> None:
        unknown = set(self.features) - set(FEATURES)
        if unknown:
            raise ValueError(f"unknown feature weights: {', '.join(sorted(unknown))}")
        if not 0 < self.half_life_share <= 1:
            raise ValueError("half_life_share must be in (0, 1]")

    def vector(self) -> list[float]:
        return [self.features.get(name, 0.0) for name in FEATURES]

    @classmethod
    def from_dict(cls, data: dict) -> Weights:
        return cls(
            features={name: float(value) for name, value in data["features"].items()},
            half_life_share=float(data["half_life_share"]),
            board=BoardWeights(**data.get("board", {})),
        )

    @classmethod
    def load(cls, path: Path = WEIGHTS_FILE) -> Weights:
        return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))
