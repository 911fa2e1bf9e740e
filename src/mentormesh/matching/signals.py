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

from mentormesh.matching.text import (
    bm25_idf,
    bm25_saturate,
    column_postings,
    column_postings_by_column,
)
from mentormesh.matching.weights import FEATURES

if TYPE_CHECKING:
    from mentormesh.matching.index import Index

RELATED_TAG_CREDIT = 0.5
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


def evidence_text_postings(index: Index, query: Query):
    """BM25 of the request against each evidence item known at the request time.

    Returns (item positions, BM25 contribution, query-term slot, IDF per query term).
    Document frequencies and the mean length are those of the known items only, so
    later evidence changes nothing, not even word statistics.
    """
    columns = query.term_columns
    positions, tf, slots = column_postings_by_column(
        index.evidence_terms, columns, np.ones(len(columns), dtype=np.float32)
    )
    known = positions < query.cut
    positions, tf, slots = positions[known], tf[known], slots[known]
    matrix = index.evidence_terms
    # CSC rows are sorted within a column, so the known ones are a prefix of each column.
    known_frequency = np.array(
        [
            np.searchsorted(matrix.indices[matrix.indptr[c] : matrix.indptr[c + 1]], query.cut)
            for c in columns.tolist()
        ],
        dtype=np.int64,
    )
    idf = bm25_idf(known_frequency, query.cut)
    mean_length = index.evidence_length_prefix[query.cut] / max(1, query.cut)
    values = bm25_saturate(tf, index.evidence_lengths[positions], mean_length) * idf[slots]
    return positions, values, slots, idf


def compute(index: Index, query: Query) -> np.ndarray:
    """Raw signals, one column per name in FEATURES, one row per person in the index."""
    n_people = len(index)
    person_of = index.timeline.person_row
    recent, lifetime = index.timeline.activity(query.cut, query.half_life_share)

    rows, values, _, _ = evidence_text_postings(index, query)
    values = values * index.timeline.decay(rows, query.cut, query.half_life_share)
    topical = np.bincount(person_of[rows], weights=values, minlength=n_people)

    rows, values = column_postings(index.evidence_tags, query.tag_columns, query.tag_credit)
    rows, values = known_evidence(index, query, rows, values)
    tagged_help = np.bincount(person_of[rows], weights=values, minlength=n_people)
    offer_rows, offer_values = column_postings(index.offers, query.tag_columns, query.tag_credit)
    declared = np.bincount(offer_rows, weights=offer_values, minlength=n_people)

    rows, values = column_postings(
        index.profile_terms, query.term_columns, index.profile_idf[query.term_columns]
    )
    profile = np.bincount(rows, weights=values, minlength=n_people)

    by_name = {
        "recent_activity": np.log1p(recent),
        "topical_activity": np.log1p(topical),
        "tag_match": np.log1p(tagged_help + declared),
        "profile_text": profile,
        "lifetime_activity": np.log1p(lifetime),
    }
    return np.stack([by_name[name] for name in FEATURES], axis=1)
