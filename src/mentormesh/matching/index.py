"""The index: every person's profile and evidence as sparse matrices, built once.

Rows of the evidence matrices are in time order (see timeline.py), so restricting any
signal to what was known when a request was made is a comparison with one number.
Matrices are CSC because a request touches only a few terms and tags: picking their
columns costs what their postings cost, not what the collection costs.
"""

from __future__ import annotations

import dataclasses
from array import array
from collections.abc import Iterable

import numpy as np
from scipy import sparse

from mentormesh.matching import ranking, signals
from mentormesh.matching.model import LEVEL_RANK, Match, Person, Request
from mentormesh.matching.text import TermDictionary, bm25_matrix, term_counts
from mentormesh.matching.timeline import Timeline
from mentormesh.matching.vocabulary import PLAIN_VOCABULARY, SkillVocabulary
from mentormesh.matching.weights import Weights

NO_LEVEL = -1
DEFAULT_TOP_K = 50


def _profile_text(person: Person) -> str:
    skills = " ".join(offer.skill.replace("-", " ") for offer in person.offers)
    return " ".join((person.name, person.headline, person.bio, skills))


def _offer_weight(proficiency: int | None) -> float:
    """A declared skill counts like one piece of help; an expert's a little more."""
    if proficiency is None:
        return 1.0
    return 0.5 + 0.1 * max(1, min(5, proficiency))


class TagDictionary:
    def __init__(self, vocabulary: SkillVocabulary) -> None:
        self.vocabulary = vocabulary
        self.column: dict[str, int] = {}
        self.names: list[str] = []

    def add(self, name: str) -> int:
        key = self.vocabulary.canonical(name)
        column = self.column.get(key)
        if column is None:
            column = self.column[key] = len(self.names)
            self.names.append(key)
        return column

    def known(self, name: str) -> int | None:
        return self.column.get(self.vocabulary.canonical(name))

    def label(self, column: int) -> str:
        return self.vocabulary.label(self.names[column])


class Index:
    """Built by :meth:`build` and not changed afterwards; rebuild it to add people."""

    def __init__(self, **parts) -> None:
        self.ids: list[str] = parts["ids"]
        self.people: list[Person] = parts["people"]
        self.vocabulary: SkillVocabulary = parts["vocabulary"]
        self.weights: Weights = parts["weights"]
        self.terms: TermDictionary = parts["terms"]
        self.tags: TagDictionary = parts["tags"]
        self.profile_terms: sparse.csc_matrix = parts["profile_terms"]
        self.profile_idf: np.ndarray = parts["profile_idf"]
        # Raw counts, not BM25 weights: IDF and mean length depend on the request time.
        self.evidence_terms: sparse.csc_matrix = parts["evidence_terms"]
        self.evidence_lengths: np.ndarray = parts["evidence_lengths"]
        self.evidence_length_prefix = np.concatenate(
            ([0.0], np.cumsum(self.evidence_lengths, dtype=np.float64))
        )
        self.evidence_tags: sparse.csc_matrix = parts["evidence_tags"]
        self.evidence_kinds: np.ndarray = parts["evidence_kinds"]
        self.kind_names: list[str] = parts["kind_names"]
        self.offers: sparse.csc_matrix = parts["offers"]
        self.seeks: sparse.csc_matrix = parts["seeks"]
        self.levels: np.ndarray = parts["levels"]
        self.timeline: Timeline = parts["timeline"]
        self.row_of: dict[str, int] = {pid: row for row, pid in enumerate(self.ids)}
        # Work that several past-time requests share (see signals._activity_columns).
        self.cache: dict[tuple, object] = {}
        # Row-major copies: reasons read the few items of the people shown.
        self.evidence_terms_by_item = self.evidence_terms.tocsr()
        self.evidence_tags_by_item = self.evidence_tags.tocsr()
        self.current = signals.CurrentView(self)
        self.open_to_mentor = np.fromiter((p.openness.mentor for p in self.people), dtype=bool)
        self.open_to_be_mentored = np.fromiter(
            (p.openness.be_mentored for p in self.people), dtype=bool
        )
        # Unknown capacity means no stated limit; zero means full.
        self.has_capacity = np.fromiter(
            (p.capacity is None or p.capacity > 0 for p in self.people), dtype=bool
        )
        self._term_names: list[str] | None = None
        # Rank of each id in sorted order: the deterministic tie-break for equal scores.
        self.id_rank = np.empty(len(self.ids), dtype=np.int64)
        self.id_rank[np.argsort(np.array(self.ids, dtype=object), kind="stable")] = np.arange(
            len(self.ids)
        )

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def build(
        cls,
        people: Iterable[Person],
        vocabulary: SkillVocabulary | None = None,
        weights: Weights | None = None,
    ) -> Index:
        """Index ``people``; the index keeps them without their evidence, which it condenses.

        Raises ValueError on a repeated person id: rankings are keyed by id.
        """
        vocabulary = vocabulary or PLAIN_VOCABULARY
        terms = TermDictionary()
        tags = TagDictionary(vocabulary)
        kind_code: dict[str, int] = {}
        ids: list[str] = []
        kept: list[Person] = []
        seen: set[str] = set()
        profile_rows, profile_cols = array("i"), array("i")
        evidence_rows, evidence_cols = array("i"), array("i")
        tag_rows, tag_cols = array("i"), array("i")
        evidence_person, evidence_kind = array("i"), array("i")
        evidence_seconds = array("d")
        offer_entries: list[tuple[int, int, float]] = []
        seek_entries: list[tuple[int, int, float]] = []
        levels = array("b")

        for row, person in enumerate(people):
            if person.id in seen:
                raise ValueError(f"person id {person.id!r} appears more than once")
            seen.add(person.id)
            ids.append(person.id)
            levels.append(LEVEL_RANK.get(person.level, NO_LEVEL))
            term_ids = terms.ids(_profile_text(person))
            profile_cols.extend(term_ids)
            profile_rows.extend([row] * len(term_ids))
            for offer in person.offers:
                offer_entries.append((row, tags.add(offer.skill), _offer_weight(offer.proficiency)))
            for goal in person.seeks:
                seek_entries.append((row, tags.add(goal.skill), 1.0 + max(0, goal.priority)))
            for item in person.evidence:
                item_row = len(evidence_person)
                evidence_person.append(row)
                evidence_kind.append(kind_code.setdefault(item.kind, len(kind_code)))
                evidence_seconds.append(item.at.timestamp() if item.at else -np.inf)
                term_ids = terms.ids(item.text)
                evidence_cols.extend(term_ids)
                evidence_rows.extend([item_row] * len(term_ids))
                tag_ids = {tags.add(tag) for tag in item.tags}
                tag_cols.extend(tag_ids)
                tag_rows.extend([item_row] * len(tag_ids))
            kept.append(dataclasses.replace(person, evidence=[]))

        n_people, n_evidence = len(ids), len(evidence_person)
        n_terms, n_tags = len(terms), len(tags.names)
        profile_terms, profile_idf = bm25_matrix(
            term_counts(
                np.frombuffer(profile_rows, dtype=np.int32),
                np.frombuffer(profile_cols, dtype=np.int32),
                n_people,
                n_terms,
            )
        )
        evidence_counts = term_counts(
            np.frombuffer(evidence_rows, dtype=np.int32),
            np.frombuffer(evidence_cols, dtype=np.int32),
            n_evidence,
            n_terms,
        )
        evidence_tags = _binary_matrix(tag_rows, tag_cols, n_evidence, n_tags)
        seconds = np.frombuffer(evidence_seconds, dtype=np.float64)
        in_time_order = np.argsort(seconds, kind="stable")
        evidence_counts = evidence_counts[in_time_order]
        evidence_lengths = np.asarray(evidence_counts.sum(axis=1)).ravel().astype(np.float32)
        person_row = np.frombuffer(evidence_person, dtype=np.int32)[in_time_order]
        return cls(
            ids=ids,
            people=kept,
            vocabulary=vocabulary,
            weights=weights or Weights.load(),
            terms=terms,
            tags=tags,
            profile_terms=profile_terms.tocsc(),
            profile_idf=profile_idf,
            evidence_terms=evidence_counts.tocsc(),
            evidence_lengths=evidence_lengths,
            evidence_tags=evidence_tags[in_time_order].tocsc(),
            evidence_kinds=np.frombuffer(evidence_kind, dtype=np.int32)[in_time_order].astype(
                np.int16
            ),
            kind_names=list(kind_code),
            offers=_weighted_matrix(offer_entries, n_people, n_tags),
            seeks=_weighted_matrix(seek_entries, n_people, n_tags),
            levels=np.frombuffer(levels, dtype=np.int8).copy(),
            timeline=Timeline(person_row, seconds[in_time_order], n_people),
        )

    def term_name(self, column: int) -> str:
        if self._term_names is None:
            self._term_names = list(self.terms.column)
        return self._term_names[column]

    def rank(self, request: Request, top_k: int = DEFAULT_TOP_K) -> list[Match]:
        """Best people for ``request``, best first; see ranking.rank for the pool rules."""
        return ranking.rank(self, request, top_k=top_k)

    def search(self, request: Request) -> list[Match]:
        """Everyone ``request.text`` is about, best first; see ranking.search."""
        return ranking.search(self, request)


def _binary_matrix(rows: array, cols: array, n_rows: int, n_cols: int) -> sparse.csr_matrix:
    row_index = np.frombuffer(rows, dtype=np.int32)
    col_index = np.frombuffer(cols, dtype=np.int32)
    return sparse.csr_matrix(
        (np.ones(len(row_index), dtype=np.float32), (row_index, col_index)),
        shape=(n_rows, n_cols),
    )


def _weighted_matrix(
    entries: list[tuple[int, int, float]], n_rows: int, n_cols: int
) -> sparse.csc_matrix:
    """Person × tag; a skill listed twice keeps its strongest weight, not the sum."""
    best: dict[tuple[int, int], float] = {}
    for row, col, weight in entries:
        best[(row, col)] = max(weight, best.get((row, col), 0.0))
    rows = np.fromiter((key[0] for key in best), dtype=np.int32, count=len(best))
    cols = np.fromiter((key[1] for key in best), dtype=np.int32, count=len(best))
    values = np.fromiter(best.values(), dtype=np.float32, count=len(best))
    return sparse.csc_matrix((values, (rows, cols)), shape=(n_rows, n_cols))
