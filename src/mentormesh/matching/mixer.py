"""Mixer rounds: put opted-in members into pairs or small groups for a conversation.

Pure and fast like the rest of the engine. A round should:
- never repeat a pair from earlier rounds while that can be avoided;
- mix departments and levels (people meet who would not otherwise);
- keep everyone in a group inside a shared working-hours window (close enough in time zone).

The method: sort people by UTC offset and cut the line into slices of people who share
working hours; inside a slice, shuffle, put the people who met the most others first, then
fill each group greedily with the candidate
that adds the most mixing and no repeated pair (scored for a window of candidates at once
with numpy); finally, swap members between groups while that removes a repeat. People who
cannot be placed are returned with the reason.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

# Working hours overlap for at least this long when UTC offsets differ by at most the span.
WORKDAY_HOURS = 8
MIN_SHARED_HOURS = 2
MAX_OFFSET_SPAN = WORKDAY_HOURS - MIN_SHARED_HOURS
CANDIDATES = 64
REPEAT_PENALTY = 1000.0


@dataclass(frozen=True)
class MixerPerson:
    id: str
    department: str = ""
    level: str = ""
    utc_offset_hours: float = 0.0


@dataclass
class MixerRound:
    groups: list[list[str]]
    unplaced: dict[str, str] = field(default_factory=dict)  # id -> why
    repeats: int = 0  # pairs in this round that met before
    cross_department_groups: int = 0
    mixed_level_groups: int = 0
    # Groups whose members' UTC offsets are close enough for shared working hours.
    working_hours_groups: int = 0

    @property
    def placed(self) -> int:
        return sum(len(group) for group in self.groups)

    def share(self, count: int) -> float:
        return count / len(self.groups) if self.groups else 0.0

    @property
    def cross_department_share(self) -> float:
        return self.share(self.cross_department_groups)


def pair_key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def mix(
    people: Sequence[MixerPerson],
    *,
    group_size: int,
    met: Iterable[tuple[str, str]] = (),
    seed: int = 0,
) -> MixerRound:
    """One round of groups of ``group_size`` (2-4); leftovers join a group (one larger)."""
    if not 2 <= group_size <= 4:
        raise ValueError("group_size must be 2, 3 or 4")
    rng = random.Random(seed)
    met_pairs = {pair_key(a, b) for a, b in met}
    groups: list[list[int]] = []
    unplaced: dict[str, str] = {}
    for band in _bands(people):
        if len(band) < 2:
            for i in band:
                unplaced[people[i].id] = "no one else shares their working hours"
            continue
        groups.extend(
            _swap_out_repeats(people, _fill(people, band, group_size, met_pairs, rng), met_pairs)
        )
    return _report(people, groups, unplaced, met_pairs)


def _bands(people: Sequence[MixerPerson]) -> list[list[int]]:
    """Cut people sorted by UTC offset into runs whose offsets span at most MAX_OFFSET_SPAN."""
    order = sorted(range(len(people)), key=lambda i: people[i].utc_offset_hours)
    bands: list[list[int]] = []
    for i in order:
        if (
            bands
            and people[i].utc_offset_hours - people[bands[-1][0]].utc_offset_hours
            <= MAX_OFFSET_SPAN
        ):
            bands[-1].append(i)
        else:
            bands.append([i])
    # A lone person at a band's edge is better placed with the neighbouring band if close.
    merged: list[list[int]] = []
    for band in bands:
        if (
            merged
            and len(band) < 2
            and (
                people[band[0]].utc_offset_hours - people[merged[-1][-1]].utc_offset_hours
                <= MAX_OFFSET_SPAN
            )
        ):
            merged[-1].extend(band)
        else:
            merged.append(band)
    return merged


def _fill(
    people: Sequence[MixerPerson],
    band: list[int],
    group_size: int,
    met: set[tuple[str, str]],
    rng: random.Random,
) -> list[list[int]]:
    pool = band[:]
    rng.shuffle(pool)
    # Most constrained first: people who already met many others get their pick of partners
    # while most are still free (the shuffle breaks ties).
    met_count: dict[str, int] = {}
    in_band = {people[i].id for i in pool}
    for a, b in met:
        if a in in_band and b in in_band:
            met_count[a] = met_count.get(a, 0) + 1
            met_count[b] = met_count.get(b, 0) + 1
    pool.sort(key=lambda i: -met_count.get(people[i].id, 0))
    departments = np.array([hash(people[i].department) for i in pool])
    levels = np.array([hash(people[i].level) for i in pool])
    free = np.ones(len(pool), dtype=bool)
    n_groups = max(len(pool) // group_size, 1)
    groups: list[list[int]] = []
    cursor = 0
    for _ in range(n_groups):
        while not free[cursor]:
            cursor += 1
        members = [cursor]
        free[cursor] = False
        while len(members) < group_size and free.any():
            window = np.flatnonzero(free[cursor:])[:CANDIDATES] + cursor
            if window.size == 0:
                window = np.flatnonzero(free)[:CANDIDATES]
            score = np.zeros(window.size)
            for m in members:
                score += departments[window] != departments[m]
                score += 0.5 * (levels[window] != levels[m])
                score -= REPEAT_PENALTY * np.fromiter(
                    (pair_key(people[pool[m]].id, people[pool[c]].id) in met for c in window),
                    dtype=bool,
                    count=window.size,
                )
            best = int(window[int(np.argmax(score))])
            members.append(best)
            free[best] = False
        groups.append(members)
    # Leftovers join the groups that mix best with them, one each.
    for leftover in np.flatnonzero(free):
        target = max(
            range(len(groups)),
            key=lambda g: (
                -sum(
                    pair_key(people[pool[leftover]].id, people[pool[m]].id) in met
                    for m in groups[g]
                ),
                -len(groups[g]),
                sum(departments[m] != departments[leftover] for m in groups[g]),
            ),
        )
        groups[target].append(int(leftover))
    return [[pool[m] for m in group] for group in groups]


def _repeats_in(people, group: list[int], met) -> int:
    return sum(
        pair_key(people[a].id, people[b].id) in met
        for k, a in enumerate(group)
        for b in group[k + 1 :]
    )


def _swap_out_repeats(people, groups: list[list[int]], met) -> list[list[int]]:
    """Inside one band: swap a member of a group with a repeat for a member of another group
    while that lowers the repeats of the two groups together."""
    if not met:
        return groups
    for g in range(len(groups)):
        for _ in range(len(groups[g])):
            if not _repeats_in(people, groups[g], met):
                break
            if not _swap_one(people, groups, g, met):
                break
    return groups


def _swap_one(people, groups: list[list[int]], g: int, met) -> bool:
    group = groups[g]
    before_g = _repeats_in(people, group, met)
    for h in range(len(groups)):
        if h == g:
            continue
        other = groups[h]
        before = before_g + _repeats_in(people, other, met)
        for a in group:
            for b in other:
                new_group = [b if m == a else m for m in group]
                new_other = [a if m == b else m for m in other]
                if (
                    _repeats_in(people, new_group, met) + _repeats_in(people, new_other, met)
                    < before
                ):
                    groups[g], groups[h] = new_group, new_other
                    return True
    return False


def _report(people, groups: list[list[int]], unplaced, met) -> MixerRound:
    def spread(group: list[int]) -> float:
        offsets = [people[m].utc_offset_hours for m in group]
        return max(offsets) - min(offsets)

    return MixerRound(
        groups=[[people[m].id for m in group] for group in groups],
        unplaced=unplaced,
        repeats=sum(_repeats_in(people, group, met) for group in groups),
        cross_department_groups=sum(len({people[m].department for m in g}) > 1 for g in groups),
        mixed_level_groups=sum(len({people[m].level for m in g}) > 1 for g in groups),
        working_hours_groups=sum(spread(g) <= MAX_OFFSET_SPAN for g in groups),
    )


def random_groups(
    people: Sequence[MixerPerson],
    *,
    group_size: int,
    met: Iterable[tuple[str, str]] = (),
    seed: int = 0,
) -> MixerRound:
    """The baseline: shuffle and cut, ignoring departments, time zones and history."""
    rng = random.Random(seed)
    order = list(range(len(people)))
    rng.shuffle(order)
    groups = [order[i : i + group_size] for i in range(0, len(order), group_size)]
    if len(groups) > 1 and len(groups[-1]) < 2:
        groups[-2].extend(groups.pop())
    return _report(people, groups, {}, {pair_key(a, b) for a, b in met})
