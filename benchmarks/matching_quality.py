"""Ranking quality of the matching engine on the labelled dev sets, next to the baselines.

For every set in the shared matching data folder (or $MENTORMESH_MATCHING_DATA): MRR,
P@1, hit@3, Recall@10 and NDCG@10 for the engine, random (mean over 10 fixed seeds) and
popularity (most evidence first, ties by id); then engine and popularity again on
fixed 20-person candidate lists (the answerers plus activity-weighted others), as some
held-out sets fix candidates. Also prints the cross-validated figures
the tuning script recorded in weights.json (weights fitted on one set, scored on the
other). Writes benchmarks/results/matching_quality.json.

    python benchmarks/matching_quality.py
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from mentormesh.matching.evaluation import (
    METRICS,
    DevSet,
    evaluate,
    mean_random_metrics,
    popularity_rankings,
    simulated_candidates,
)
from mentormesh.matching.index import Index
from mentormesh.matching.model import Request
from mentormesh.matching.weights import WEIGHTS_FILE

RESULTS_FILE = Path(__file__).resolve().parent / "results" / "matching_quality.json"


def data_folder() -> Path:
    configured = os.environ.get("MENTORMESH_MATCHING_DATA")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[1].parent / "shared" / "data" / "matching"


def dev_set_folders(root: Path) -> list[Path]:
    return sorted(
        folder
        for folder in root.iterdir()
        if (folder / "people.jsonl").exists() and (folder / "labels.jsonl").exists()
    )


def engine_metrics(index: Index, requests: list[Request], labels) -> dict[str, float]:
    rankings = {
        request.id: [match.person_id for match in index.rank(request)] for request in requests
    }
    return evaluate(rankings, labels)


def print_table(rows: list[tuple[str, str, dict[str, float]]]) -> None:
    header = f"{'set':<8} {'ranking':<26}" + "".join(f"{name:>11}" for name in METRICS)
    print(header)
    print("-" * len(header))
    for set_name, ranking, metrics in rows:
        cells = "".join(f"{metrics[name]:>11.4f}" for name in METRICS)
        print(f"{set_name:<8} {ranking:<26}{cells}")


def main() -> int:
    root = data_folder()
    if not root.is_dir():
        print(f"no matching data at {root}; set MENTORMESH_MATCHING_DATA", file=sys.stderr)
        return 1
    results: dict[str, dict[str, dict[str, float]]] = {}
    rows: list[tuple[str, str, dict[str, float]]] = []
    for folder in dev_set_folders(root):
        dev_set = DevSet.load(folder)
        started = time.perf_counter()
        index = Index.build(dev_set.people)
        engine = engine_metrics(index, dev_set.requests, dev_set.labels)
        elapsed = time.perf_counter() - started
        with_candidates = simulated_candidates(dev_set)
        results[dev_set.name] = {
            "random": mean_random_metrics(dev_set),
            "popularity": evaluate(
                popularity_rankings(dev_set.people, dev_set.requests), dev_set.labels
            ),
            "engine": engine,
            "popularity, 20 candidates": evaluate(
                popularity_rankings(dev_set.people, with_candidates), dev_set.labels
            ),
            "engine, 20 candidates": engine_metrics(index, with_candidates, dev_set.labels),
        }
        for ranking, metrics in results[dev_set.name].items():
            rows.append((dev_set.name, ranking, metrics))
        print(
            f"{dev_set.name}: indexed and ranked {len(dev_set.requests)} requests in {elapsed:.2f} s"
        )

    cross_validation = json.loads(WEIGHTS_FILE.read_text()).get("cross_validation", {})
    for held_out, metrics in sorted(cross_validation.items()):
        rows.append((held_out, "engine, tuned on other", metrics))
    print()
    print_table(rows)

    RESULTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_FILE.write_text(
        json.dumps(
            {"data": str(root), "sets": results, "cross_validation": cross_validation},
            indent=2,
        )
        + "\n"
    )
    print(f"\nwrote {RESULTS_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
