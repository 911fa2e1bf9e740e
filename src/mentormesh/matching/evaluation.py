"""Offline scoring of rankings against labels, and the two baselines to beat.

Metric definitions follow shared/data/matching/README.md: averaged over the labelled
requests, a request with no ranking scores 0, gains are binary.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from mentormesh.matching.interchange import Labels, read_labels, read_people, read_requests
from mentormesh.matching.model import Person, Request

METRICS: tuple[str, ...] = ("MRR", "P@1", "hit@3", "Recall@10", "NDCG@10")
RANDOM_SEEDS = range(10)
CANDIDATES_SEED = 20240601
CANDIDATES_SIZE = 20


@dataclass
class DevSet:
    name: str
    people: list[Person]
    requests: list[Request]
    labels: dict[str, Labels]

    @classmethod
    def load(cls, folder: Path) -> DevSet:
        return cls(
            name=folder.name,
            people=read_people(folder / "people.jsonl"),
            requests=read_requests(folder / "requests.jsonl"),
            labels=read_labels(folder / "labels.jsonl"),
        )


def request_metrics(ranked: list[str], relevant: Iterable[str]) -> dict[str, float]:
    relevant = set(relevant)
    hits = [position for position, pid in enumerate(ranked) if pid in relevant]
    return metrics_from_hits(hits, len(relevant))


def metrics_from_hits(hits: Sequence[int], n_relevant: int) -> dict[str, float]:
    """Metrics given the 0-based positions, ascending, at which relevant people were ranked."""
    first = hits[0] if len(hits) else None
    top_ten = [position for position in hits if position < 10]
    ideal = sum(1 / math.log2(position + 2) for position in range(min(n_relevant, 10)))
    return {
        "MRR": 1 / (first + 1) if first is not None else 0.0,
        "P@1": 1.0 if first == 0 else 0.0,
        "hit@3": 1.0 if first is not None and first < 3 else 0.0,
        "Recall@10": len(top_ten) / n_relevant if n_relevant else 0.0,
        "NDCG@10": sum(1 / math.log2(p + 2) for p in top_ten) / ideal if ideal else 0.0,
    }


def evaluate(rankings: dict[str, list[str]], labels: dict[str, Labels]) -> dict[str, float]:
    totals = dict.fromkeys(METRICS, 0.0)
    for request_id, label in labels.items():
        for name, value in request_metrics(rankings.get(request_id, []), label.relevant).items():
            totals[name] += value
    return {name: total / max(1, len(labels)) for name, total in totals.items()}


def baseline_pool(people: list[Person], request: Request) -> list[str]:
    """Everyone but the asker, or the candidates where given (minus the asker)."""
    if request.candidates is not None:
        return [pid for pid in request.candidates if pid != request.asker_id]
    return [person.id for person in people if person.id != request.asker_id]


def popularity_rankings(people: list[Person], requests: list[Request]) -> dict[str, list[str]]:
    """Most evidence items first, ties by id, as in the README's baseline."""
    evidence_count = {person.id: len(person.evidence) for person in people}
    return {
        request.id: sorted(
            baseline_pool(people, request), key=lambda pid: (-evidence_count.get(pid, 0), pid)
        )
        for request in requests
    }


def random_rankings(
    people: list[Person], requests: list[Request], seed: int
) -> dict[str, list[str]]:
    """One generator per seed, shuffling each request's id-sorted pool in request order.

    This reproduces the README's random row for beer exactly; for coffee the README's
    figures sit within the run-to-run noise of this procedure.
    """
    shuffler = random.Random(seed)
    rankings = {}
    for request in requests:
        pool = sorted(baseline_pool(people, request))
        shuffler.shuffle(pool)
        rankings[request.id] = pool
    return rankings


def mean_random_metrics(dev_set: DevSet) -> dict[str, float]:
    runs = [
        evaluate(random_rankings(dev_set.people, dev_set.requests, seed), dev_set.labels)
        for seed in RANDOM_SEEDS
    ]
    return {name: sum(run[name] for run in runs) / len(runs) for name in METRICS}


def simulated_candidates(
    dev_set: DevSet, seed: int = CANDIDATES_SEED, size: int = CANDIDATES_SIZE
) -> list[Request]:
    """The requests again, each with a fixed candidate list: its answerers plus others.

    The held-out sets may fix candidates; these lists rehearse that. Distractors are
    drawn with probability growing with activity (1 + evidence count), so the list holds
    both busy people, who are hard to tell apart from the answerers, and quiet ones.
    """
    rng = random.Random(seed)
    activity = {person.id: 1 + len(person.evidence) for person in dev_set.people}
    with_candidates = []
    for request in dev_set.requests:
        relevant = list(dev_set.labels[request.id].relevant)
        others = [
            pid for pid in sorted(activity) if pid not in relevant and pid != request.asker_id
        ]
        distractors: list[str] = []
        while others and len(relevant) + len(distractors) < size:
            pick = rng.choices(range(len(others)), weights=[activity[p] for p in others])[0]
            distractors.append(others.pop(pick))
        candidates = relevant + distractors
        rng.shuffle(candidates)
        with_candidates.append(replace(request, candidates=tuple(candidates)))
    return with_candidates
