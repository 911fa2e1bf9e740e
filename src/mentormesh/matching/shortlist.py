"""Cohort shortlists: up to ``size`` helpers per seeker, no helper over capacity.

People then choose; nobody is assigned. Among all shortlists that respect every
helper's capacity, the one with the greatest total fit is found as a min-cost flow
(OR-Tools): source → seeker (``size``) → helper (1 each) → sink (capacity), cost =
−fit. Each seeker keeps only their ``top_m`` best-fitting helpers before the flow, so
10,000 × 10,000 is a graph of ~300,000 arcs rather than 100 million.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow
from scipy import sparse

from mentormesh.matching.index import Index
from mentormesh.matching.model import Person

DEFAULT_SIZE = 3
DEFAULT_CAPACITY = 3
DEFAULT_TOP_M = 30
# Fit is a float; the solver wants integer costs. A thousandth is finer than any signal.
COST_SCALE = 1000
BLOCK_ROWS = 1024
TWO_WAY_FIT = 0.25


@dataclass(frozen=True)
class ShortlistReport:
    full: int
    partial: int
    empty: int
    reasons: dict[str, str]


@dataclass(frozen=True)
class Shortlists:
    lists: dict[str, list[str]]
    report: ShortlistReport
    total_fit: float


def shortlist(
    seekers: Sequence[str],
    helpers: Sequence[str],
    fit: np.ndarray | sparse.spmatrix,
    *,
    size: int = DEFAULT_SIZE,
    capacity: int | Sequence[int] = DEFAULT_CAPACITY,
    top_m: int = DEFAULT_TOP_M,
) -> Shortlists:
    """Shortlists from a seekers × helpers fit matrix (dense or sparse; ≤ 0 means no fit).

    ``capacity`` is one number for every helper or one per helper. A seeker is never
    shortlisted to themself.
    """
    if size < 1:
        raise ValueError("size must be at least 1")
    capacities = np.broadcast_to(np.asarray(capacity, dtype=np.int64), (len(helpers),))
    if (capacities < 0).any():
        raise ValueError("capacity cannot be negative")
    candidates = keep_top_m(fit, top_m, seekers, helpers)
    seeker_of, helper_of = _nonzero(candidates)
    values = candidates.data
    lists, total = _solve(seeker_of, helper_of, values, len(seekers), capacities, size)
    shortlists: dict[str, list[str]] = {}
    reasons: dict[str, str] = {}
    counts = {"full": 0, "partial": 0, "empty": 0}
    options = np.diff(candidates.indptr)
    for position, seeker in enumerate(seekers):
        chosen = lists.get(position, [])
        shortlists[seeker] = [helpers[h] for h in chosen]
        status = "full" if len(chosen) == size else "partial" if chosen else "empty"
        counts[status] += 1
        if status != "full":
            reasons[seeker] = _why_short(int(options[position]), len(chosen), size)
    return Shortlists(shortlists, ShortlistReport(**counts, reasons=reasons), total)


def _why_short(options: int, chosen: int, size: int) -> str:
    if options == 0:
        return "no helper fits any of this person's goals"
    if options < size and chosen == options:
        return f"only {options} helper{'s' if options != 1 else ''} fit this person's goals"
    return "the helpers who fit are at capacity"


def keep_top_m(
    fit, top_m: int, seekers: Sequence[str], helpers: Sequence[str]
) -> sparse.csr_matrix:
    """Each seeker's best ``top_m`` positive fits, never themself, as CSR.

    Dense input is cut block by block (argpartition); sparse input is cut as it is,
    without ever being made dense.
    """
    own_column = _own_columns(seekers, helpers)
    if len(helpers) == 0 or top_m < 1:
        return sparse.csr_matrix((len(seekers), len(helpers)))
    if sparse.issparse(fit):
        return _sparse_top_m(sparse.csr_matrix(fit), top_m, own_column)
    fit = np.asarray(fit, dtype=np.float64)
    blocks = [
        _dense_top_m(
            fit[start : start + BLOCK_ROWS].copy(), top_m, own_column[start : start + BLOCK_ROWS]
        )
        for start in range(0, len(seekers), BLOCK_ROWS)
    ]
    return sparse.vstack(blocks).tocsr()


def _dense_top_m(block: np.ndarray, top_m: int, own_column: np.ndarray) -> sparse.csr_matrix:
    """Top ``top_m`` positive entries per row of a dense block (which it may modify)."""
    has_own = np.flatnonzero(own_column >= 0)
    block[has_own, own_column[has_own]] = 0.0
    keep = min(top_m, block.shape[1])
    best = np.argpartition(-block, keep - 1, axis=1)[:, :keep]
    values = np.take_along_axis(block, best, axis=1)
    rows = np.repeat(np.arange(len(block)), keep).reshape(best.shape)
    positive = values > 0
    return sparse.csr_matrix(
        (values[positive], (rows[positive], best[positive])), shape=block.shape
    )


def _own_columns(seekers: Sequence[str], helpers: Sequence[str]) -> np.ndarray:
    """For each seeker, their own column among the helpers, or -1."""
    helper_position = {pid: h for h, pid in enumerate(helpers)}
    return np.array([helper_position.get(pid, -1) for pid in seekers], dtype=np.int64)


def _sparse_top_m(fit: sparse.csr_matrix, top_m: int, own_column: np.ndarray):
    fit.sum_duplicates()
    rows = np.repeat(np.arange(fit.shape[0]), np.diff(fit.indptr))
    usable = (fit.data > 0) & (fit.indices != own_column[rows])
    rows, cols, values = rows[usable], fit.indices[usable], fit.data[usable]
    order = np.lexsort((-values, rows))
    rows, cols, values = rows[order], cols[order], values[order]
    first_of_row = np.searchsorted(rows, rows, side="left")
    keep = np.arange(len(rows)) - first_of_row < top_m
    return sparse.csr_matrix((values[keep], (rows[keep], cols[keep])), shape=fit.shape)


def _nonzero(matrix: sparse.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    return np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr)), matrix.indices


def _solve(seeker_of, helper_of, values, n_seekers, capacities, size):
    n_helpers = len(capacities)
    source, sink = n_seekers + n_helpers, n_seekers + n_helpers + 1
    supply = n_seekers * size
    flow = min_cost_flow.SimpleMinCostFlow()
    pair_arcs = flow.add_arcs_with_capacity_and_unit_cost(
        seeker_of.astype(np.int32),
        (n_seekers + helper_of).astype(np.int32),
        np.ones(len(seeker_of), dtype=np.int64),
        -np.round(values * COST_SCALE).astype(np.int64),
    )
    flow.add_arcs_with_capacity_and_unit_cost(
        np.full(n_seekers, source, dtype=np.int32),
        np.arange(n_seekers, dtype=np.int32),
        np.full(n_seekers, size, dtype=np.int64),
        np.zeros(n_seekers, dtype=np.int64),
    )
    flow.add_arcs_with_capacity_and_unit_cost(
        np.arange(n_seekers, n_seekers + n_helpers, dtype=np.int32),
        np.full(n_helpers, sink, dtype=np.int32),
        capacities.astype(np.int64),
        np.zeros(n_helpers, dtype=np.int64),
    )
    # Unfilled slots drain straight to the sink at no cost, so the flow is always feasible
    # and any slot filled is filled because it adds fit.
    flow.add_arc_with_capacity_and_unit_cost(source, sink, supply, 0)
    flow.set_node_supply(source, supply)
    flow.set_node_supply(sink, -supply)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow did not solve (status {status})")
    used = flow.flows(pair_arcs) > 0
    lists: dict[int, list[int]] = {}
    order = np.lexsort((-values[used], seeker_of[used]))
    for seeker, helper in zip(
        seeker_of[used][order].tolist(), helper_of[used][order].tolist(), strict=True
    ):
        lists.setdefault(seeker, []).append(helper)
    return lists, float(values[used].sum())


def fit_from_index(
    index: Index, seekers: Sequence[Person], helper_ids: Sequence[str], top_m: int = DEFAULT_TOP_M
) -> sparse.csr_matrix:
    """Seekers × helpers fit, each seeker's best ``top_m`` only: how well each helper's
    skills cover each seeker's goals.

    Helper skills are declared offers plus their evidence tags (log-damped counts);
    a seeker's goals weigh by priority. A helper who wants to learn what the seeker
    offers adds TWO_WAY_FIT. Rows are scaled so each seeker's best fit is 1. Computed
    a block of seekers at a time, so memory stays at one block × helpers.
    """
    helper_rows = np.array([index.row_of[pid] for pid in helper_ids], dtype=np.int64)
    helper_of_row = np.full(len(index), -1, dtype=np.int64)
    helper_of_row[helper_rows] = np.arange(len(helper_rows))
    owner = helper_of_row[index.timeline.person_row]
    theirs = np.flatnonzero(owner >= 0)
    evidence_owner = sparse.csr_matrix(
        (np.ones(len(theirs), dtype=np.float32), (owner[theirs], theirs)),
        shape=(len(helper_rows), len(index.timeline)),
    )
    tagged = evidence_owner @ index.evidence_tags_by_item
    tagged.data = np.log1p(tagged.data)
    skills = (index.offers.tocsr()[helper_rows] + tagged).T.tocsr().astype(np.float32)
    wants_back = index.seeks.tocsr()[helper_rows].T.tocsr().astype(np.float32)
    needs = _skill_rows(
        index, [[(g.skill, 1.0 + max(0, g.priority)) for g in s.seeks] for s in seekers]
    )
    gives = _skill_rows(index, [[(o.skill, 1.0) for o in s.offers] for s in seekers])
    own_column = _own_columns([seeker.id for seeker in seekers], helper_ids)
    blocks = []
    for start in range(0, len(seekers), BLOCK_ROWS):
        rows = slice(start, start + BLOCK_ROWS)
        # Products of popular skills are dense-ish: one dense block beats sorting them sparse.
        fit = (needs[rows] @ skills).toarray()
        # Two-way adds to a fit; it never makes one: the helper must cover a goal first.
        fit += TWO_WAY_FIT * (gives[rows] @ wants_back).toarray() * (fit > 0)
        peak = fit.max(axis=1, keepdims=True) if fit.shape[1] else np.zeros((len(fit), 1))
        fit /= np.where(peak > 0, peak, 1.0)
        blocks.append(_dense_top_m(fit, top_m, own_column[rows]))
    return sparse.vstack(blocks).tocsr() if blocks else sparse.csr_matrix((0, len(helper_ids)))


def _skill_rows(index: Index, weighted_skills: list[list[tuple[str, float]]]) -> sparse.csr_matrix:
    rows, cols, values = [], [], []
    for row, skills in enumerate(weighted_skills):
        for skill, weight in skills:
            column = index.tags.known(skill)
            if column is not None:
                rows.append(row)
                cols.append(column)
                values.append(weight)
    return sparse.csr_matrix(
        (values, (rows, cols)), shape=(len(weighted_skills), len(index.tags.names))
    )
