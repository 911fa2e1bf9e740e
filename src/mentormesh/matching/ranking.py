"""Ranking one request: choose the pool, combine normalised signals, explain the top.

Pool rules:
- the asker is never ranked, even when listed among the candidates;
- without candidates the pool is everyone in the index and at most ``top_k`` come back;
- with candidates the pool is exactly those ids and *all* of them come back (top_k only
  limits who gets reasons), because a caller who fixed the list wants it ordered whole.
  Candidates unknown to the index have nothing to score them on: they follow the known
  ones, in the order given, with score 0 and no reasons. Duplicates are dropped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from mentormesh.matching import reasons as reasons_module
from mentormesh.matching import signals
from mentormesh.matching.model import Match, Request
from mentormesh.matching.weights import FEATURES

if TYPE_CHECKING:
    from mentormesh.matching.index import Index


def normalise(columns: dict[str, np.ndarray], rows: np.ndarray) -> np.ndarray:
    """The pool's signals as a rows × FEATURES matrix, each scaled by its pool maximum.

    Dividing by the pool's own maximum keeps weights meaningful whatever the site's size
    or the query's length; a signal nobody in the pool has stays all zero.
    """
    matrix = np.empty((len(rows), len(FEATURES)))
    for position, name in enumerate(FEATURES):
        values = columns[name][rows]
        peak = values.max() if len(values) else 0.0
        matrix[:, position] = values / peak if peak > 0 else values
    return matrix


def whole_index_scores(
    index: Index, columns: dict[str, np.ndarray], excluded_row: int | None
) -> np.ndarray:
    """Scores for everyone, normalised as ``normalise`` would over all but ``excluded_row``.

    Works column by column on whole arrays: with 100,000 people, avoiding a pool-sized
    copy of every signal is most of the time a request takes.
    """
    scores = np.zeros(len(index))
    for name, weight in zip(FEATURES, index.weights.vector(), strict=True):
        values = columns[name]
        if excluded_row is None:
            peak = values.max(initial=0.0)
        else:
            peak = max(
                values[:excluded_row].max(initial=0.0), values[excluded_row + 1 :].max(initial=0.0)
            )
        if peak > 0 and weight:
            scores += values * (weight / peak)
    if excluded_row is not None:
        scores[excluded_row] = -np.inf
    return scores


def order_best_first(index: Index, rows: np.ndarray, scores: np.ndarray, limit: int) -> np.ndarray:
    """Positions into ``rows`` of the best ``limit``, by score then id, deterministically."""
    if limit < len(rows):
        threshold = np.partition(scores, len(scores) - limit)[len(scores) - limit]
        keep = np.flatnonzero(scores >= threshold)
    else:
        keep = np.arange(len(rows))
    ordered = keep[np.lexsort((index.id_rank[rows[keep]], -scores[keep]))]
    return ordered[:limit]


def pool_rows(index: Index, request: Request) -> tuple[np.ndarray, list[str]]:
    """Rows to score, and candidate ids the index does not know (in the order given)."""
    if request.candidates is not None:
        return candidate_rows(index, request)
    rows = np.arange(len(index))
    asker_row = index.row_of.get(request.asker_id) if request.asker_id else None
    return (rows if asker_row is None else rows[rows != asker_row]), []


def candidate_rows(index: Index, request: Request) -> tuple[np.ndarray, list[str]]:
    """Known candidates' rows (first mention, asker left out) and the unknown ids."""
    known: list[int] = []
    unknown: list[str] = []
    seen: set[str] = set()
    for pid in request.candidates:
        if pid in seen or pid == request.asker_id:
            continue
        seen.add(pid)
        row = index.row_of.get(pid)
        if row is None:
            unknown.append(pid)
        else:
            known.append(row)
    return np.array(known, dtype=np.int64), unknown


def rank(index: Index, request: Request, top_k: int = 50) -> list[Match]:
    query = signals.make_query(index, request.text, request.tags, request.at)
    columns = signals.compute(index, query)
    if request.candidates is None:
        asker_row = index.row_of.get(request.asker_id) if request.asker_id else None
        rows, unknown = np.arange(len(index)), []
        scores = whole_index_scores(index, columns, asker_row)
        limit = min(top_k, len(index) - (asker_row is not None))
    else:
        rows, unknown = candidate_rows(index, request)
        scores = normalise(columns, rows) @ np.asarray(index.weights.vector())
        limit = len(rows)
    best = order_best_first(index, rows, scores, limit)
    explained_rows = rows[best[:top_k]]
    explanations = reasons_module.for_request(index, query, explained_rows)
    matches = [
        Match(index.ids[row], float(scores[position]), tuple(explanations.get(row, ())))
        for position, row in zip(best, rows[best], strict=True)
    ]
    matches.extend(Match(pid, 0.0) for pid in unknown)
    return matches


# Signals that say a person is *about* the text, as opposed to generally active.
_RELEVANCE = [FEATURES.index(name) for name in ("topical_activity", "tag_match", "profile_text")]
_DECLARED = [FEATURES.index("tag_match"), FEATURES.index("profile_text")]
# Who counts as "about" the text: at least this share of the best match's relevance. It
# cuts the long tail a common word drags in ("learning" in "machine learning") while
# keeping everyone who matches a rarer word of the query.
SEARCH_MIN_SHARE = 0.2


def search(index: Index, request: Request) -> list[Match]:
    """Free-text search: only people the text is about, best first, without reasons.

    A person is about the text when their profile, declared skills or past help match
    it well enough (SEARCH_MIN_SHARE). The ranking score favours demonstrated help, under
    which people who have only described themselves would sink; as on a board, what they
    declare is added with the board's skill weight. The pool rules are ``rank``'s, except
    that candidates the index does not know are left out: nothing about them matches.
    """
    query = signals.make_query(index, request.text, request.tags, request.at)
    rows, _ = pool_rows(index, request)
    features = normalise(signals.compute(index, query), rows)
    relevance = features[:, _RELEVANCE].sum(axis=1)
    best = relevance.max(initial=0.0)
    about_it = (relevance > 0) & (relevance >= SEARCH_MIN_SHARE * best)
    rows, features = rows[about_it], features[about_it]
    scores = features @ np.asarray(index.weights.vector()) + index.weights.board.skill_match * (
        features[:, _DECLARED].sum(axis=1)
    )
    order = order_best_first(index, rows, scores, len(rows))
    return [Match(index.ids[rows[p]], float(scores[p])) for p in order.tolist()]
