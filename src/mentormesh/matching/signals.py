"""The signals: what the index knows about every person, seen from one request.

Each signal is a raw, non-negative score per person; ranking.py normalises and weighs
them. All evidence signals use only the items known at the request time and weigh
them by recency on the community clock (timeline.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from typing import TYPE_CHECKING

import numpy as np
from scipy import sparse

from mentormesh.matching.text import (
    bm25_idf,
    bm25_saturate,
    column_postings,
    column_postings_by_column,
)

if TYPE_CHECKING:
    from mentormesh.matching.index import Index

RELATED_TAG_CREDIT = 0.5
ACTIVITY_CUTS_KEPT = 8
_WORDS = re.compile(r"[a-z0-9+#.]+")


@dataclass(frozen=True)
class Query:
    """A request resolved against one index: which columns it touches and when it was made."""

    text: str
    at: datetime | None
    cut: int
    half_life_share: float
    term_columns: np.ndarray
    tag_columns: np.ndarray
    tag_credit: np.ndarray
    direct_tag_count: int


def make_query(index: Index, text: str, tags: tuple[str, ...], at: datetime | None) -> Query:
    direct = _known_tag_columns(index, tags) if tags else _tags_named_in(index, text)
    related = {
        column
        for tag_column in direct
        for related_name in index.vocabulary.related(index.tags.names[tag_column])
        if (column := index.tags.column.get(related_name)) is not None
    } - set(direct)
    tag_columns = np.array(sorted(direct) + sorted(related), dtype=np.int32)
    tag_credit = np.array(
        [1.0] * len(direct) + [RELATED_TAG_CREDIT] * len(related), dtype=np.float32
    )
    return Query(
        text=text,
        at=at,
        cut=index.timeline.cut(at),
        half_life_share=index.weights.half_life_share,
        term_columns=index.terms.known_ids(text),
        tag_columns=tag_columns,
        tag_credit=tag_credit,
        direct_tag_count=len(direct),
    )


def _known_tag_columns(index: Index, tags: tuple[str, ...]) -> list[int]:
    found = (index.tags.known(tag) for tag in tags)
    return sorted({column for column in found if column is not None})


def _tags_named_in(index: Index, text: str) -> list[int]:
    """An untagged request still names skills: single words and adjacent pairs that are tags."""
    words = _WORDS.findall(text.lower())
    phrases = words + [f"{first}-{second}" for first, second in pairwise(words)]
    return _known_tag_columns(index, tuple(phrases))


def known_evidence(index: Index, query: Query, rows: np.ndarray, values: np.ndarray):
    """Keep postings of items known at the request time, weighted by their recency."""
    known = rows < query.cut
    rows, values = rows[known], values[known]
    return rows, values * index.timeline.decay(rows, query.cut, query.half_life_share)


def known_idf(index: Index, query: Query) -> np.ndarray:
    """IDF of each query term among the evidence items known at the request time."""
    matrix = index.evidence_terms
    columns = query.term_columns
    if query.cut == len(index.timeline):
        known_frequency = np.diff(matrix.indptr)[columns]
    else:
        # CSC rows are sorted within a column, so the known ones are a prefix of each.
        known_frequency = np.array(
            [
                np.searchsorted(matrix.indices[matrix.indptr[c] : matrix.indptr[c + 1]], query.cut)
                for c in columns.tolist()
            ],
            dtype=np.int64,
        )
    return bm25_idf(known_frequency, query.cut)


class CurrentView:
    """Person-level matrices for requests made after the newest indexed evidence.

    That is nearly every live request, and for all of them the recency weights are the
    same; so each person's evidence is folded once into person × term and person × tag
    matrices (recency × BM25 term weight; recency per tag), and a request costs a
    sparse mat-vec over its columns instead of a pass over every evidence posting.
    Requests from the past (replays, evaluations) take the exact evidence-level path.
    """

    def __init__(self, index: Index) -> None:
        timeline = index.timeline
        cut = len(timeline)
        share = index.weights.half_life_share
        self.cut = cut
        self.recent, self.lifetime = (np.log1p(a) for a in timeline.activity(cut, share))
        owner = sparse.csr_matrix(
            (timeline.decay(np.arange(cut), cut, share), (timeline.person_row, np.arange(cut))),
            shape=(len(index), cut),
        )
        weighted = index.evidence_terms.tocsr(copy=True)
        mean_length = index.evidence_length_prefix[cut] / max(1, cut)
        entry_rows = np.repeat(np.arange(cut), np.diff(weighted.indptr))
        weighted.data = bm25_saturate(
            weighted.data, index.evidence_lengths[entry_rows], mean_length
        )
        self.terms = (owner @ weighted).astype(np.float32).tocsc()
        self.tags = (owner @ index.evidence_tags.tocsr()).astype(np.float32).tocsc()


def _topical_as_of(index: Index, query: Query, idf: np.ndarray) -> np.ndarray:
    """Σ over known items of recency × BM25, item by item: exact for any request time.

    Document frequencies and the mean length are those of the known items only, so
    later evidence changes nothing, not even word statistics.
    """
    positions, tf, slots = column_postings_by_column(
        index.evidence_terms, query.term_columns, np.ones(len(query.term_columns), np.float32)
    )
    known = positions < query.cut
    positions, tf, slots = positions[known], tf[known], slots[known]
    mean_length = index.evidence_length_prefix[query.cut] / max(1, query.cut)
    values = bm25_saturate(tf, index.evidence_lengths[positions], mean_length) * idf[slots]
    values = values * index.timeline.decay(positions, query.cut, query.half_life_share)
    return _sum_by(index.timeline.person_row[positions], values, len(index))


def _tagged_help_as_of(index: Index, query: Query) -> np.ndarray:
    rows, values = column_postings(index.evidence_tags, query.tag_columns, query.tag_credit)
    rows, values = known_evidence(index, query, rows, values)
    return _sum_by(index.timeline.person_row[rows], values, len(index))


def _sum_by(rows: np.ndarray, values: np.ndarray, n_people: int) -> np.ndarray:
    """Per-person sums; always float (bincount of nothing would come back as integers)."""
    return np.bincount(rows, weights=values, minlength=n_people).astype(np.float64, copy=False)


def _activity_columns(index: Index, query: Query) -> tuple[np.ndarray, np.ndarray]:
    """log-damped recent and lifetime activity as of a past request time.

    Replayed requests often share a cut (several asked between two answers), so the last
    few cuts are kept; a bounded number, since each costs two arrays of everyone.
    """
    key = ("activity", query.cut, query.half_life_share)
    cached = index.cache.get(key)
    if cached is None:
        recent, lifetime = index.timeline.activity(query.cut, query.half_life_share)
        if len(index.cache) >= ACTIVITY_CUTS_KEPT:
            index.cache.pop(next(iter(index.cache)))
        cached = index.cache[key] = (np.log1p(recent), np.log1p(lifetime))
    return cached


def _column_mat_vec(matrix: sparse.csc_matrix, columns: np.ndarray, weights) -> np.ndarray:
    if len(columns) == 0:
        return np.zeros(matrix.shape[0])
    return np.asarray(matrix[:, columns] @ np.asarray(weights, dtype=np.float64)).ravel()


def compute(index: Index, query: Query) -> dict[str, np.ndarray]:
    """Raw signals by name, one value per person in the index.

    Callers must not modify the arrays: some are shared between requests.
    """
    idf = known_idf(index, query)
    current = index.current
    if query.cut == current.cut:
        recent, lifetime = current.recent, current.lifetime
        topical = _column_mat_vec(current.terms, query.term_columns, idf)
        tagged_help = _column_mat_vec(current.tags, query.tag_columns, query.tag_credit)
    else:
        recent, lifetime = _activity_columns(index, query)
        topical = _topical_as_of(index, query, idf)
        tagged_help = _tagged_help_as_of(index, query)
    tagged_help += _column_mat_vec(index.offers, query.tag_columns, query.tag_credit)
    profile = _column_mat_vec(
        index.profile_terms, query.term_columns, index.profile_idf[query.term_columns]
    )
    return {
        "recent_activity": recent,
        "topical_activity": np.log1p(topical),
        "tag_match": np.log1p(tagged_help),
        "profile_text": profile,
        "lifetime_activity": lifetime,
    }
