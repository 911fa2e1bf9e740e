"""Speed and memory of the matching engine on synthetic networks of 10,000 and 100,000.

Each size runs in its own subprocess so peak memory is that size's alone. Printed next
to a baseline measured in the same run:
- ranking: a naive pure-Python loop (term overlap over every person's words), timed on
  a slice of the people and scaled up linearly, and popularity (argsort of counts);
- board: a pure-Python loop over everyone counting shared skills;
- shortlists: a greedy pass (each seeker in turn takes their best helpers with room),
  which is fast but leaves fit on the table; the flow's total fit is printed beside it.
Goals: one request among 100,000 ≤ 20 ms p50; shortlists 10k × 10k ≤ 5 s; ≤ 2 GB.
Writes benchmarks/results/matching_speed.json.

    python benchmarks/matching_speed.py [--quick]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from synthetic_network import SyntheticNetwork

from mentormesh.matching.board import board
from mentormesh.matching.index import Index
from mentormesh.matching.shortlist import fit_from_index, shortlist
from mentormesh.matching.text import tokenize

RESULTS_FILE = Path(__file__).resolve().parent / "results" / "matching_speed.json"
SIZES = (10_000, 100_000)
N_REQUESTS = 200
N_BOARDS = 20
SHORTLIST_SIDE = 10_000
NAIVE_SLICE = 2_000


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def index_megabytes(index: Index) -> float:
    """Bytes held in the index's arrays and sparse matrices (Python objects not counted)."""
    arrays = [
        index.evidence_lengths,
        index.evidence_length_prefix,
        index.levels,
        index.id_rank,
        index.timeline.person_row,
        index.timeline.seconds,
        index.evidence_kinds,
        index.profile_idf,
        index.current.recent,
        index.current.lifetime,
    ]
    matrices = [
        index.profile_terms,
        index.evidence_terms,
        index.evidence_tags,
        index.evidence_terms_by_item,
        index.evidence_tags_by_item,
        index.current.terms,
        index.current.tags,
        index.offers,
        index.seeks,
    ]
    total = sum(array.nbytes for array in arrays)
    total += sum(m.data.nbytes + m.indices.nbytes + m.indptr.nbytes for m in matrices)
    return total / 2**20


def percentiles(samples: list[float]) -> dict[str, float]:
    return {
        "p50_ms": float(np.percentile(samples, 50) * 1000),
        "p95_ms": float(np.percentile(samples, 95) * 1000),
    }


def naive_rank_seconds(people, requests) -> float:
    """Per-request time of a pure-Python term-overlap loop, measured on a slice, scaled up."""
    sliced = people[:NAIVE_SLICE]
    words = [set(tokenize(" ".join(e.text for e in p.evidence))) for p in sliced]
    started = time.perf_counter()
    for request in requests[:20]:
        query = set(tokenize(request.text))
        scores = [(len(query & mine), p.id) for mine, p in zip(words, sliced, strict=True)]
        sorted(scores, reverse=True)[:50]
    per_request = (time.perf_counter() - started) / 20
    return per_request * len(people) / len(sliced)


def measure(size: int) -> dict:
    network = SyntheticNetwork(seed=size)
    started = time.perf_counter()
    people = network.people(size)
    requests = network.requests(N_REQUESTS, size)
    generated = time.perf_counter() - started
    n_evidence = sum(len(p.evidence) for p in people)
    naive = naive_rank_seconds(people, requests)
    evidence_counts = np.array([len(p.evidence) for p in people])

    started = time.perf_counter()
    index = Index.build(people)
    build_seconds = time.perf_counter() - started

    rank_times = []
    for request in requests:
        started = time.perf_counter()
        index.rank(request, top_k=50)
        rank_times.append(time.perf_counter() - started)
    popularity_times = []
    for _ in requests:
        started = time.perf_counter()
        np.argsort(-evidence_counts, kind="stable")[:50]
        popularity_times.append(time.perf_counter() - started)

    seekers = [p for p in people if p.seeks][:N_BOARDS]
    board_times, naive_board_times = [], []
    for person in seekers:
        started = time.perf_counter()
        board(index, person, at=requests[0].at)
        board_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        wanted = {g.skill for g in person.seeks}
        sorted(((len(wanted & {o.skill for o in p.offers}), p.id) for p in people), reverse=True)
        naive_board_times.append(time.perf_counter() - started)

    result = {
        "people": size,
        "evidence_items": n_evidence,
        "terms": len(index.terms),
        "generate_s": generated,
        "build_s": build_seconds,
        "index_mb": index_megabytes(index),
        "rank": percentiles(rank_times),
        "rank_popularity": percentiles(popularity_times),
        "rank_naive_python_estimated_ms": naive * 1000,
        "board": percentiles(board_times),
        "board_naive_python": percentiles(naive_board_times),
    }
    if size >= SHORTLIST_SIDE:
        result["shortlist"] = measure_shortlists(
            index, people[:SHORTLIST_SIDE], [p.id for p in people[-SHORTLIST_SIDE:]]
        )
    result["peak_rss_mb"] = peak_rss_mb()
    return result


def measure_shortlists(index: Index, seekers, helper_ids) -> dict:
    capacities = [max(1, index.people[index.row_of[h]].capacity or 3) for h in helper_ids]
    started = time.perf_counter()
    fit = fit_from_index(index, seekers, helper_ids)
    fit_seconds = time.perf_counter() - started
    started = time.perf_counter()
    flow = shortlist([s.id for s in seekers], helper_ids, fit, size=3, capacity=capacities)
    flow_seconds = time.perf_counter() - started
    started = time.perf_counter()
    greedy_fit = greedy_shortlists(fit, capacities, size=3)
    greedy_seconds = time.perf_counter() - started
    return {
        "seekers": len(seekers),
        "helpers": len(helper_ids),
        "fit_s": fit_seconds,
        "flow_s": flow_seconds,
        "total_s": fit_seconds + flow_seconds,
        "flow_total_fit": flow.total_fit,
        "greedy_s": greedy_seconds,
        "greedy_total_fit": greedy_fit,
        "full": flow.report.full,
        "partial": flow.report.partial,
        "empty": flow.report.empty,
    }


def greedy_shortlists(fit, capacities, size: int) -> float:
    room = list(capacities)
    total = 0.0
    fit = fit.tocsr()
    for row in range(fit.shape[0]):
        start, end = fit.indptr[row], fit.indptr[row + 1]
        taken = 0
        for value, helper in sorted(
            zip(fit.data[start:end], fit.indices[start:end], strict=True), reverse=True
        ):
            if taken == size:
                break
            if room[helper] > 0:
                room[helper] -= 1
                taken += 1
                total += value
    return total


def report(result: dict) -> None:
    size = result["people"]
    print(
        f"\n== {size:,} people, {result['evidence_items']:,} evidence items, "
        f"{result['terms']:,} terms =="
    )
    print(
        f"build                {result['build_s']:8.2f} s   (generating the people: "
        f"{result['generate_s']:.1f} s)"
    )
    print(
        f"index arrays         {result['index_mb']:8.1f} MB  peak RSS of the run "
        f"{result['peak_rss_mb']:.0f} MB"
    )
    rank, pop = result["rank"], result["rank_popularity"]
    print(
        f"rank one request     p50 {rank['p50_ms']:7.2f} ms  p95 {rank['p95_ms']:7.2f} ms"
        f"   | naive Python loop ~{result['rank_naive_python_estimated_ms']:.0f} ms,"
        f" popularity p50 {pop['p50_ms']:.2f} ms"
    )
    b, nb = result["board"], result["board_naive_python"]
    print(
        f"board for a person   p50 {b['p50_ms']:7.2f} ms  p95 {b['p95_ms']:7.2f} ms"
        f"   | naive skill-overlap loop p50 {nb['p50_ms']:.1f} ms"
    )
    if "shortlist" in result:
        s = result["shortlist"]
        print(
            f"shortlists {s['seekers']:,}x{s['helpers']:,}  {s['total_s']:.2f} s "
            f"(fit {s['fit_s']:.2f} s + flow {s['flow_s']:.2f} s), total fit "
            f"{s['flow_total_fit']:.1f}; full/partial/empty {s['full']}/{s['partial']}/"
            f"{s['empty']}   | greedy {s['greedy_s']:.2f} s, total fit "
            f"{s['greedy_total_fit']:.1f}"
        )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Matching engine speed and memory.")
    parser.add_argument("--quick", action="store_true", help="only the 10,000-person network")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a child run: one size
    options = parser.parse_args(argv)
    if options.one:
        print(json.dumps(measure(options.one)))
        return 0
    results = []
    for size in SIZES[:1] if options.quick else SIZES:
        child = subprocess.run(
            [sys.executable, __file__, "--one", str(size)],
            capture_output=True,
            text=True,
            check=True,
        )
        results.append(json.loads(child.stdout.strip().splitlines()[-1]))
        report(results[-1])
    RESULTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_FILE.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nwrote {RESULTS_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
