"""Everyone's evidence on one time line, so "as of the request" is a prefix of an array.

Recency is measured on the community's own clock: an item's age is how many evidence
items the whole network produced after it, not how many days passed. A busy site and a
quiet one then share one half-life (a share of all activity), which is what let a single
tuned value work on both a three-week and a three-year data set.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np

_SECONDS_PER_DAY = 86_400.0


class Timeline:
    def __init__(self, person_row: np.ndarray, seconds: np.ndarray, n_people: int) -> None:
        """``person_row`` and ``seconds`` (epoch seconds, -inf when undated) are in time order."""
        self.person_row = person_row
        self.seconds = seconds
        self.n_people = n_people
        self._by_person: tuple[np.ndarray, np.ndarray] | None = None

    def __len__(self) -> int:
        return len(self.seconds)

    def cut(self, at: datetime | None) -> int:
        """How many items were known at ``at``; items stamped exactly then count as known."""
        if at is None:
            return len(self.seconds)
        return int(np.searchsorted(self.seconds, at.timestamp(), side="right"))

    def half_life_items(self, cut: int, half_life_share: float) -> float:
        return max(1.0, half_life_share * cut)

    def decay(self, positions: np.ndarray, cut: int, half_life_share: float) -> np.ndarray:
        """Weight in (0, 1] of each known item at ``positions`` (all < cut), newest = 1."""
        age = (cut - 1 - positions).astype(np.float64)
        return np.exp2(-age / self.half_life_items(cut, half_life_share))

    def activity(self, cut: int, half_life_share: float) -> tuple[np.ndarray, np.ndarray]:
        """Per person: recency-decayed count and plain count of the items known at ``cut``."""
        rows = self.person_row[:cut]
        decay = self.decay(np.arange(cut), cut, half_life_share)
        decayed = np.bincount(rows, weights=decay, minlength=self.n_people)
        counts = np.bincount(rows, minlength=self.n_people).astype(np.float64)
        return decayed, counts

    def positions_of(self, row: int, cut: int) -> np.ndarray:
        """Time-line positions of one person's items known at ``cut``, oldest first."""
        if self._by_person is None:
            order = np.argsort(self.person_row, kind="stable")
            bounds = np.zeros(self.n_people + 1, dtype=np.int64)
            np.cumsum(np.bincount(self.person_row, minlength=self.n_people), out=bounds[1:])
            self._by_person = (order, bounds)
        order, bounds = self._by_person
        positions = order[bounds[row] : bounds[row + 1]]
        return positions[positions < cut]

    def days_before(self, positions: np.ndarray, at: datetime | None) -> np.ndarray:
        """Age in days of items at ``positions`` relative to ``at`` (or to the newest item)."""
        reference = at.timestamp() if at is not None else self._newest_seconds()
        return (reference - self.seconds[positions]) / _SECONDS_PER_DAY

    def _newest_seconds(self) -> float:
        dated = self.seconds[np.isfinite(self.seconds)]
        return float(dated[-1]) if len(dated) else 0.0
