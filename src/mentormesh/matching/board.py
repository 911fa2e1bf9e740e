"""A person's board: for each thing they want to learn, a few people across levels.

Plus "people I could help": those who want to learn what this person offers.

Who can appear: people open to mentoring (or, for "could help", open to being
mentored), not at capacity, not the person, not in ``exclude``; on a goal's board, only
people who declared the skill (an alias or related skill counts) or have evidence
tagged with it. Order within a goal:
two-way matches first, then by score. The score is the request ranking's score for the
goal, plus the declared-skill match (a board is about skills people name), plus the
board's own terms from weights.json: two-way, shared hours, and a soft spread across
levels and organizations (each repeat of a level band or organization costs a little).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from mentormesh.matching import availability, ranking, reasons, signals
from mentormesh.matching.index import Index
from mentormesh.matching.model import LEVEL_RANK, Goal, Person
from mentormesh.matching.weights import FEATURES

PER_GOAL = 5
COULD_HELP = 5
# Candidates per goal considered for the spread; more cannot change a 5-person board much.
SHORTLIST_DEPTH = 50
# Weekly shared hours at which availability counts in full.
FULL_OVERLAP_MINUTES = 4 * 60
_TAG_MATCH = FEATURES.index("tag_match")
_OFFER_PHRASE = "helps with {skill}, which you want to learn"
_BAND_PHRASES = {
    "peer": "a peer: {theirs}, like you",
    "near-peer": "near-peer: one step ahead of you ({theirs})",
    "senior": "senior: {theirs}, further ahead (you are {yours})",
}


@dataclass(frozen=True)
class Suggestion:
    person_id: str
    score: float
    band: str
    two_way: bool
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class GoalBoard:
    goal: Goal
    suggestions: tuple[Suggestion, ...]


@dataclass(frozen=True)
class Board:
    person_id: str
    goals: tuple[GoalBoard, ...]
    could_help: tuple[Suggestion, ...]


def level_band(seeker_level: str | None, helper_level: str | None) -> str:
    """peer (same level), near-peer (one ahead), senior (two or more ahead), junior, or unknown."""
    if seeker_level is None or helper_level is None:
        return "unknown"
    step = LEVEL_RANK[helper_level] - LEVEL_RANK[seeker_level]
    if step < 0:
        return "junior"
    return ("peer", "near-peer")[step] if step < 2 else "senior"


def board(
    index: Index,
    person: Person,
    *,
    exclude: frozenset[str] | set[str] = frozenset(),
    per_goal: int = PER_GOAL,
    could_help: int = COULD_HELP,
    at: datetime | None = None,
) -> Board:
    at = at or datetime.now(UTC)
    context = _Context(index, person, exclude, at)
    goals = tuple(
        GoalBoard(goal, context.helpers_for(goal, per_goal))
        for goal in sorted(person.seeks, key=lambda goal: -goal.priority)
    )
    return Board(person.id, goals, context.people_i_could_help(could_help))


class _Context:
    def __init__(self, index: Index, person: Person, exclude, at: datetime) -> None:
        self.index = index
        self.person = person
        self.at = at
        self.weights = index.weights.board
        self.offered = _columns(index, [offer.skill for offer in person.offers])
        self.sought = _columns(index, [goal.skill for goal in person.seeks])
        self.my_intervals = availability.utc_intervals(
            person.availability, person.time_zone, at.date()
        )
        allowed = np.ones(len(index), dtype=bool)
        for pid in {*exclude, person.id}:
            row = index.row_of.get(pid)
            if row is not None:
                allowed[row] = False
        self.allowed = allowed

    def helpers_for(self, goal: Goal, limit: int) -> tuple[Suggestion, ...]:
        index = self.index
        query = signals.make_query(index, f"{goal.skill} {goal.goal}", (goal.skill,), self.at)
        eligible = self.allowed & index.open_to_mentor & index.has_capacity
        rows = np.flatnonzero(eligible)
        features = ranking.normalise(signals.compute(index, query), rows)
        knows_it = features[:, _TAG_MATCH] > 0
        rows, features = rows[knows_it], features[knows_it]
        scores = (
            features @ np.asarray(index.weights.vector())
            + self.weights.skill_match * features[:, _TAG_MATCH]
        )
        two_way = self._seeks_what_i_offer(rows)
        scores = scores + self.weights.two_way * (two_way > 0)
        depth = ranking.order_best_first(index, rows, scores, min(SHORTLIST_DEPTH, len(rows)))
        rows, scores, two_way = rows[depth], scores[depth], two_way[depth]
        shared = [self._shared_hours(int(row)) for row in rows]
        scores = scores + self.weights.availability * np.array(
            [min(1.0, availability.total_minutes(s) / FULL_OVERLAP_MINUTES) for s in shared]
        )
        chosen = self._spread(rows, scores, limit)
        explained = reasons.for_request(index, query, rows[chosen], offer_phrase=_OFFER_PHRASE)
        suggestions = [
            self._suggestion(int(rows[i]), float(scores[i]), two_way[i] > 0, explained, shared[i])
            for i in chosen
        ]
        suggestions.sort(key=lambda s: (not s.two_way, -s.score, s.person_id))
        return tuple(suggestions)

    def people_i_could_help(self, limit: int) -> tuple[Suggestion, ...]:
        """People who want to learn what this person offers, two-way first."""
        index = self.index
        if len(self.offered) == 0:
            return ()
        wants = np.asarray(index.seeks[:, self.offered].sum(axis=1)).ravel()
        eligible = self.allowed & index.open_to_be_mentored & (wants > 0)
        rows = np.flatnonzero(eligible)
        if len(rows) == 0:
            return ()
        offers_back = (
            np.asarray(index.offers[rows][:, self.sought].sum(axis=1)).ravel()
            if len(self.sought)
            else np.zeros(len(rows))
        )
        scores = wants[rows] / wants[rows].max() + self.weights.two_way * (offers_back > 0)
        best = ranking.order_best_first(index, rows, scores, min(limit, len(rows)))
        found = []
        for position in best:
            row = int(rows[position])
            lines = self._wanted_from_me(row)
            if offers_back[position] > 0:
                lines.append(self._offered_to_me(row))
            band = level_band(self.person.level, index.people[row].level)
            found.append(
                Suggestion(
                    index.ids[row],
                    float(scores[position]),
                    band,
                    offers_back[position] > 0,
                    tuple(lines),
                )
            )
        found.sort(key=lambda s: not s.two_way)  # stable: by score within each group
        return tuple(found)

    def _seeks_what_i_offer(self, rows: np.ndarray) -> np.ndarray:
        if len(self.offered) == 0 or len(rows) == 0:
            return np.zeros(len(rows))
        return np.asarray(self.index.seeks[rows][:, self.offered].sum(axis=1)).ravel()

    def _shared_hours(self, row: int) -> list[availability.Interval]:
        helper = self.index.people[row]
        theirs = availability.utc_intervals(helper.availability, helper.time_zone, self.at.date())
        return availability.overlap(self.my_intervals, theirs)

    def _spread(self, rows: np.ndarray, scores: np.ndarray, limit: int) -> list[int]:
        """Greedy pick; every earlier pick in the same level band or organization costs."""
        people = self.index.people
        chosen: list[int] = []
        band_count: dict[str, int] = {}
        organization_count: dict[str, int] = {}
        remaining = list(range(len(rows)))
        while remaining and len(chosen) < limit:

            def adjusted(i: int) -> float:
                helper = people[int(rows[i])]
                band = level_band(self.person.level, helper.level)
                repeats = sum(organization_count.get(o, 0) for o in helper.organizations)
                return (
                    scores[i]
                    - self.weights.repeat_level_penalty * band_count.get(band, 0)
                    - self.weights.repeat_organization_penalty * repeats
                )

            pick = max(remaining, key=lambda i: (adjusted(i), -i))
            remaining.remove(pick)
            chosen.append(pick)
            helper = people[int(rows[pick])]
            band = level_band(self.person.level, helper.level)
            band_count[band] = band_count.get(band, 0) + 1
            for organization in helper.organizations:
                organization_count[organization] = organization_count.get(organization, 0) + 1
        return chosen

    def _suggestion(self, row, score, two_way, explained, shared) -> Suggestion:
        helper = self.index.people[row]
        band = level_band(self.person.level, helper.level)
        lines = []
        if two_way:
            lines.append(self._wanted_from_me(row)[0] + " — two-way")
        lines.extend(explained.get(row, []))
        if band in _BAND_PHRASES:
            lines.append(
                _BAND_PHRASES[band].format(
                    theirs=_level_words(helper.level), yours=_level_words(self.person.level)
                )
            )
        if shared:
            lines.append(self._hours_phrase(helper, shared))
        mine = set(self.person.organizations)
        if mine and helper.organizations and not mine & set(helper.organizations):
            lines.append("from another organization")
        return Suggestion(helper.id, score, band, two_way, tuple(lines))

    def _hours_phrase(self, helper: Person, shared: list[availability.Interval]) -> str:
        when = availability.describe(shared, self.person.time_zone, self.at.date())
        apart = availability.hours_apart(self.person.time_zone, helper.time_zone, self.at)
        if not apart:
            return f"same time zone, overlapping {when}"
        hours = "hour" if apart == 1 else "hours"
        return f"{apart:g} {hours} apart, overlapping {when} (your time)"

    def _wanted_from_me(self, row: int) -> list[str]:
        wanted = _names(self.index, self.index.seeks, row, self.offered)
        return [f"wants to learn {skill}, which you offer" for skill in wanted]

    def _offered_to_me(self, row: int) -> str:
        offered = _names(self.index, self.index.offers, row, self.sought)
        return f"offers {', '.join(offered)}, which you want to learn — two-way"


def _level_words(level: str | None) -> str:
    return (level or "").replace("-", " ")


def _columns(index: Index, skills: list[str]) -> np.ndarray:
    found = {column for skill in skills if (column := index.tags.known(skill)) is not None}
    return np.array(sorted(found), dtype=np.int32)


def _names(index: Index, matrix, row: int, columns: np.ndarray) -> list[str]:
    present = matrix[row].toarray().ravel()[columns] if len(columns) else []
    return [
        index.tags.label(int(c)) for c, value in zip(columns, present, strict=True) if value > 0
    ]
