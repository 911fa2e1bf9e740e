"""Fit the matching engine's weights on the labelled dev sets and write weights.json.

Reproducible by construction: a fixed grid, a fixed restart seed, deterministic ties.

- Signals are computed once per half-life candidate; only their combination is searched.
- Search: coordinate ascent over a small grid of weights (recent_activity fixed at 1,
  since only ratios matter), from the all-equal start and a few seeded random starts.
- Objective: mean of MRR and NDCG@10, averaged over the sets and over two scenarios per
  set: the whole pool, and fixed candidate lists (the held-out sets use both).
- Ties in the objective go to the smaller total weight: with ~100 labelled requests,
  a signal has to earn its place beyond a small floor. The floor keeps every signal
  alive: the dev sets cannot show what declared skills or profile text are worth (their
  offers are derived from the same answers, their bios are empty), yet on a platform
  where a newcomer has only a profile, those are all there is.
- Cross-validation: fit on one set, score the other; the figures go into weights.json
  (and the quality benchmark prints them). The shipped weights are then fit on both.

    python scripts/tune_matching.py [--data DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from mentormesh.matching import ranking, signals
from mentormesh.matching.evaluation import METRICS, DevSet, metrics_from_hits, simulated_candidates
from mentormesh.matching.index import Index
from mentormesh.matching.weights import FEATURES, WEIGHTS_FILE, Weights

HALF_LIFE_SHARES = (0.02, 0.03, 0.05, 0.08, 0.12, 0.2)
WEIGHT_FLOOR = 0.05
WEIGHT_GRID = (WEIGHT_FLOOR, 0.1, 0.2, 0.35, 0.5, 0.75, 1.0, 1.5)
ANCHOR = "recent_activity"
RESTARTS = 4
SEED = 20240601
OBJECTIVE = ("MRR", "NDCG@10")
# The engine returns its top 50 without candidates; score the search the same way.
ENGINE_TOP_K = 50


@dataclass
class Scenario:
    """One request's pool as feature rows, ready to score under any weights."""

    features: np.ndarray
    tie_rank: np.ndarray
    relevant: np.ndarray
    n_relevant: int


def scenarios_for(dev_set: DevSet, half_life_share: float) -> dict[str, list[Scenario]]:
    weights = Weights(features=dict.fromkeys(FEATURES, 1.0), half_life_share=half_life_share)
    index = Index.build(dev_set.people, weights=weights)
    pools = {
        "pool": dev_set.requests,
        "candidates": simulated_candidates(dev_set),
    }
    built: dict[str, list[Scenario]] = {}
    for name, requests in pools.items():
        built[name] = []
        for request in requests:
            rows, _ = ranking.pool_rows(index, request)
            query = signals.make_query(index, request.text, request.tags, request.at)
            features = ranking.normalise(signals.compute(index, query), rows)
            relevant_ids = set(dev_set.labels[request.id].relevant)
            relevant = np.array([index.ids[row] in relevant_ids for row in rows], dtype=bool)
            built[name].append(Scenario(features, index.id_rank[rows], relevant, len(relevant_ids)))
    return built


def scenario_metrics(scenarios: list[Scenario], weights: np.ndarray) -> dict[str, float]:
    totals = dict.fromkeys(METRICS, 0.0)
    for scenario in scenarios:
        scores = scenario.features @ weights
        order = np.lexsort((scenario.tie_rank, -scores))
        hits = np.flatnonzero(scenario.relevant[order][:ENGINE_TOP_K])
        for name, value in metrics_from_hits(hits, scenario.n_relevant).items():
            totals[name] += value
    return {name: total / max(1, len(scenarios)) for name, total in totals.items()}


def objective(data: list[dict[str, list[Scenario]]], weights: np.ndarray) -> float:
    values = []
    for per_scenario in data:
        for scenarios in per_scenario.values():
            metrics = scenario_metrics(scenarios, weights)
            values.append(sum(metrics[name] for name in OBJECTIVE) / len(OBJECTIVE))
    return float(np.mean(values))


def coordinate_ascent(data: list[dict[str, list[Scenario]]]) -> tuple[np.ndarray, float]:
    rng = random.Random(SEED)
    anchor = FEATURES.index(ANCHOR)
    starts = [np.ones(len(FEATURES))]
    for _ in range(RESTARTS):
        starts.append(np.array([rng.choice(WEIGHT_GRID) for _ in FEATURES]))
    best_weights, best_value = starts[0], -1.0
    for start in starts:
        weights = start.copy()
        weights[anchor] = 1.0
        value = objective(data, weights)
        improved = True
        while improved:
            improved = False
            for feature in range(len(FEATURES)):
                if feature == anchor:
                    continue
                for candidate in WEIGHT_GRID:
                    trial = weights.copy()
                    trial[feature] = candidate
                    trial_value = objective(data, trial)
                    if _better(trial_value, trial, value, weights):
                        weights, value, improved = trial, trial_value, True
        if _better(value, weights, best_value, best_weights):
            best_weights, best_value = weights, value
    return best_weights, best_value


def _better(
    value: float, weights: np.ndarray, incumbent: float, incumbent_weights: np.ndarray
) -> bool:
    if value > incumbent + 1e-9:
        return True
    return abs(value - incumbent) <= 1e-9 and weights.sum() < incumbent_weights.sum() - 1e-9


def tune(
    sets: list[DevSet], by_share: dict[float, dict[str, dict[str, list[Scenario]]]]
) -> tuple[float, np.ndarray, float]:
    best = (HALF_LIFE_SHARES[0], np.ones(len(FEATURES)), -1.0)
    for share in HALF_LIFE_SHARES:
        weights, value = coordinate_ascent([by_share[share][s.name] for s in sets])
        print(f"  half-life share {share:<5} objective {value:.4f} weights {np.round(weights, 2)}")
        if value > best[2] + 1e-9:
            best = (share, weights, value)
    return best


def data_folder(argument: str | None) -> Path:
    if argument:
        return Path(argument)
    configured = os.environ.get("MENTORMESH_MATCHING_DATA")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[1].parent / "shared" / "data" / "matching"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="folder holding one subfolder per dev set")
    parser.add_argument("--out", default=str(WEIGHTS_FILE), help="weights file to write")
    options = parser.parse_args(argv)
    root = data_folder(options.data)
    sets = [
        DevSet.load(folder)
        for folder in sorted(root.iterdir())
        if (folder / "labels.jsonl").exists()
    ]
    by_share = {
        share: {dev_set.name: scenarios_for(dev_set, share) for dev_set in sets}
        for share in HALF_LIFE_SHARES
    }

    cross_validation: dict[str, dict[str, float]] = {}
    for held_out in sets:
        training = [dev_set for dev_set in sets if dev_set is not held_out]
        print(f"fit on {', '.join(s.name for s in training)}; score {held_out.name}")
        share, weights, _ = tune(training, by_share)
        metrics = scenario_metrics(by_share[share][held_out.name]["pool"], weights)
        cross_validation[held_out.name] = {name: round(value, 4) for name, value in metrics.items()}
        print(
            f"  held-out {held_out.name}: " + ", ".join(f"{k} {v:.4f}" for k, v in metrics.items())
        )

    print(f"fit on all: {', '.join(s.name for s in sets)}")
    share, weights, value = tune(sets, by_share)
    document = {
        "half_life_share": share,
        "features": {name: round(float(w), 4) for name, w in zip(FEATURES, weights, strict=True)},
        # The board's terms are product choices, not fitted: carried over as they are.
        "board": json.loads(WEIGHTS_FILE.read_text()).get("board", {}),
        "fitted_on": [dev_set.name for dev_set in sets],
        "objective": {
            "metrics": list(OBJECTIVE),
            "value": round(value, 4),
            "scenarios": ["pool", "candidates"],
        },
        "cross_validation": cross_validation,
    }
    Path(options.out).write_text(json.dumps(document, indent=2) + "\n")
    print(f"wrote {options.out}: half-life share {share}, weights {document['features']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
