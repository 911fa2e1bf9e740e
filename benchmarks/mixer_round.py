"""Mixer rounds for 10,000 members: time and quality of `matching.mixer.mix`, against
random grouping (shuffle and cut) in the same run.

Members have one of 8 departments, 5 levels and 9 UTC offsets from -8 to +9. Three rounds
of groups of 3 run one after the other, each remembering the pairs of the ones before, so
repeats become possible to make. Printed per round: seconds, people placed, repeated pairs,
and the share of groups that mix departments, mix levels and share working hours.
Goal: a round for 10,000 in ≤ 5 s with 0 repeats while avoidable.
Writes benchmarks/results/mixer_round.json.

    python benchmarks/mixer_round.py [--quick]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import time
from pathlib import Path

from mentormesh.matching.mixer import MixerPerson, MixerRound, mix, pair_key, random_groups

RESULTS_FILE = Path(__file__).resolve().parent / "results" / "mixer_round.json"
DEPARTMENTS = [
    "Engineering",
    "Design",
    "Sales",
    "Operations",
    "Finance",
    "People",
    "Product",
    "Data",
]
LEVELS = ["student", "early", "mid", "senior", "leader"]
OFFSETS = [-8, -5, -4, 0, 1, 2, 5.5, 8, 9]
ROUNDS = 3


def members(n: int, seed: int = 1) -> list[MixerPerson]:
    rng = random.Random(seed)
    return [
        MixerPerson(f"m{i}", rng.choice(DEPARTMENTS), rng.choice(LEVELS), rng.choice(OFFSETS))
        for i in range(n)
    ]


def figures(result: MixerRound, seconds: float) -> dict:
    return {
        "seconds": round(seconds, 3),
        "placed": result.placed,
        "unplaced": len(result.unplaced),
        "repeats": result.repeats,
        "cross_department": round(result.cross_department_share, 3),
        "mixed_level": round(result.share(result.mixed_level_groups), 3),
        "working_hours": round(result.share(result.working_hours_groups), 3),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 members instead of 10,000")
    args = parser.parse_args(argv)
    people = members(1_000 if args.quick else 10_000)
    met_mixer: set[tuple[str, str]] = set()
    met_random: set[tuple[str, str]] = set()
    rounds = []
    print(f"mixer round, {len(people):,} members, groups of 3 (mixer | random in the same run)")
    for number in range(1, ROUNDS + 1):
        started = time.perf_counter()
        ours = mix(people, group_size=3, met=met_mixer, seed=number)
        ours_seconds = time.perf_counter() - started
        started = time.perf_counter()
        baseline = random_groups(people, group_size=3, met=met_random, seed=number)
        baseline_seconds = time.perf_counter() - started
        row = {"round": number, "mixer": figures(ours, ours_seconds),
               "random": figures(baseline, baseline_seconds)}  # fmt: skip
        rounds.append(row)
        m, r = row["mixer"], row["random"]
        print(
            f"  round {number}: {m['seconds']:.2f} s | {r['seconds']:.2f} s; placed {m['placed']:,}"
            f" | {r['placed']:,}; repeats {m['repeats']} | {r['repeats']}; cross-department "
            f"{m['cross_department']:.1%} | {r['cross_department']:.1%}; mixed levels "
            f"{m['mixed_level']:.1%} | {r['mixed_level']:.1%}; shared working hours "
            f"{m['working_hours']:.1%} | {r['working_hours']:.1%}"
        )
        for result, met in ((ours, met_mixer), (baseline, met_random)):
            for group in result.groups:
                met.update(pair_key(a, b) for k, a in enumerate(group) for b in group[k + 1 :])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak RSS {peak:.0f} MB")
    RESULTS_FILE.parent.mkdir(exist_ok=True)
    RESULTS_FILE.write_text(json.dumps({"members": len(people), "rounds": rounds,
                                        "peak_rss_mb": round(peak)}, indent=2))  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
