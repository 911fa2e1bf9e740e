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

if TYPE_CHECKING:
    from mentormesh.matching.index import Index


def normalise(raw: np.ndarray, pool: np.ndarray) -> np.ndarray:
    """Scale each signal of the pool to [0, 1] by its maximum over the pool.

    Dividing by the pool's own maximum keeps weights meaningful whatever the site's size
    or the query's length; a signal nobody in the pool has stays all zero.
    """
    subset = raw[pool]
    peak = subset.max(axis=0) if len(subset) else np.zeros(raw.shape[1])
    return subset / np.where(peak > 0, peak, 1.0)


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
    asker_row = index.row_of.get(request.asker_id) if request.asker_id else None
    if request.candidates is None:
        rows = np.arange(len(index))
        if asker_row is not None:
            rows = rows[rows != asker_row]
        return rows, []
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


def score_pool(index: Index, query: signals.Query, rows: np.ndarray) -> np.ndarray:
    features = normalise(signals.compute(index, query), rows)
    return features @ np.asarray(index.weights.vector(), dtype=np.float64)


def rank(index: Index, request: Request, top_k: int = 50) -> list[Match]:
    rows, unknown = pool_rows(index, request)
    query = signals.make_query(index, request.text, request.tags, request.at)
    scores = score_pool(index, query, rows)
    limit = len(rows) if request.candidates is not None else min(top_k, len(rows))
    best = order_best_first(index, rows, scores, limit)
    explained_rows = rows[best[:top_k]]
    explanations = reasons_module.for_request(index, query, explained_rows)
    matches = [
        Match(index.ids[row], float(scores[position]), tuple(explanations.get(row, ())))
        for position, row in zip(best, rows[best], strict=True)
    ]
    matches.extend(Match(pid, 0.0) for pid in unknown)
    return matches
