"""What later apps tell discovery: evidence of helping, mentees taken, people to leave out.

discover reads profiles itself. Apps that record help (relationships, answers, posts)
register functions here from their ``AppConfig.ready``, so discover never imports them
and the engine hears about everything the network knows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from mentormesh.matching import Evidence

# Each returns (user id, evidence) pairs for everyone.
EvidenceSource = Callable[[], Iterable[tuple[int, Evidence]]]
# Each returns user id → mentoring relationships now taking that person's time.
LoadSource = Callable[[], Mapping[int, int]]
# Each returns the user ids to leave off one person's board (already working with them,
# declined them recently, blocked).
ExclusionSource = Callable[[int], Iterable[int]]

evidence_sources: list[EvidenceSource] = []
load_sources: list[LoadSource] = []
exclusion_sources: list[ExclusionSource] = []
