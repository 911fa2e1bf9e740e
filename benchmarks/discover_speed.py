"""Discovery on a real database: the network snapshot, boards, ranked search, shortlists.

Builds a throwaway SQLite database in a temporary folder (configured as web_load does it)
with the demo network (10,000 people by default; every fifth person is in no organization,
so each of the four organizations has about people / 5 members), then measures in a fresh
child process, so its peak memory is discovery's alone. Each figure is printed next to a
baseline measured in the same run:

    snapshot     network.snapshot() after network_changed() (load every profile from the
                 database, build the engine's Index; the two also timed apart); beside it,
                 reading every active profile row through the ORM, and snapshot() when
                 nothing changed
    board        board_for(viewer=) for 50 viewers with goals, cold (empty cache; the
                 snapshot already built) and warm (cached); beside it, what a viewer does
                 without a board: one directory search per goal (people_search with
                 skill=, its count and first page)
    search       people_find with free text, the directory's first page (count + cards),
                 ranked by the engine; beside it, the old substring search people_search
                 with the same q
    shortlists   shortlist_run for the largest organization; beside it, the engine alone
                 (fit_from_index + shortlist) on the same seekers and helpers
    memory       peak RSS of the child, beside its RSS once Django was set up

Writes benchmarks/results/discover_speed.json. Figures only: nothing is asserted.

    python benchmarks/discover_speed.py [--quick] [--people N] [--viewers V]

At 10,000 people it takes about a minute on two cores.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from web_load import configure_django

ROOT = Path(__file__).resolve().parent.parent
RESULTS_FILE = ROOT / "benchmarks" / "results" / "discover_speed.json"
QUERIES = ["kubernetes", "python", "machine learning", "public speaking", "salary negotiation"]
SEARCH_ROUNDS = 6  # each query, each way, this many times (viewers taken in turn)
SNAPSHOT_BUILDS = 2


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="2,000 people")
    parser.add_argument("--people", type=int, help="demo network size (default 10000)")
    parser.add_argument("--viewers", type=int, default=50, help="boards measured")
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # the child: the database's folder
    args = parser.parse_args(argv)
    args.people = args.people or (2_000 if args.quick else 10_000)
    return args


def peak_rss_mb() -> float:
    """This process's peak resident memory. Linux's ru_maxrss survives fork and exec, so a
    child would report its parent's peak (the demo build); VmHWM starts afresh at exec."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return int(re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE).group(1)) / 1024


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(p95 * 1000, 2),
        "n": len(ordered),
    }


def timed(function, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - started, result


def progress(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# --- The parent: build the database, run the child, report ---------------------------------


def build_network(people: int) -> dict:
    from django.core.management import call_command

    from mentormesh.people.demo import build_demo_network

    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    seconds, _ = timed(build_demo_network, people=people, seed=1)
    return {"demo_build_s": round(seconds, 1)}


def report(result: dict) -> None:
    s, b, q, sl = result["snapshot"], result["board"], result["search"], result["shortlists"]
    print(
        f"\n== {result['setup']['people']:,} people in the database "
        f"({s['people_indexed']:,} indexed, {s['terms']:,} terms) =="
    )
    print(
        f"snapshot, cold       {s['cold_s']:8.2f} s  (apart: loading {s['load_people_s']:.2f} s,"
        f" Index.build {s['index_build_s']:.2f} s)   | reading every profile row "
        f"{s['profile_rows_s']:.2f} s; unchanged snapshot() p50 {s['unchanged']['p50_ms']:.2f} ms"
    )
    print(
        f"board, cold          p50 {b['cold']['p50_ms']:7.1f} ms  p95 {b['cold']['p95_ms']:7.1f} ms"
        f"  ({b['cold_queries']} queries)   | a directory search per goal p50 "
        f"{b['search_per_goal']['p50_ms']:.1f} ms  p95 {b['search_per_goal']['p95_ms']:.1f} ms"
        f" ({b['goals_per_viewer']:.1f} goals per viewer)"
    )
    print(
        f"board, warm          p50 {b['warm']['p50_ms']:7.1f} ms  p95 {b['warm']['p95_ms']:7.1f} ms"
        f"  ({b['warm_queries']} queries)"
    )
    f, old = q["people_find"], q["people_search"]
    print(
        f"search, free text    p50 {f['p50_ms']:7.1f} ms  p95 {f['p95_ms']:7.1f} ms"
        f"  ({q['find_queries']} queries)   | substring people_search p50 {old['p50_ms']:.1f} ms"
        f"  p95 {old['p95_ms']:.1f} ms ({q['search_queries']} queries)"
    )
    for text, counts in q["results"].items():
        print(
            f"    q={text!r:<22} ranked {counts['people_find']:>6,} people   "
            f"| substring {counts['people_search']:>6,}"
        )
    print(
        f"shortlists           {sl['run_s']:8.2f} s  ({sl['organization']}: {sl['members']:,}"
        f" members, {sl['seekers']:,} seekers, {sl['helpers']:,} helpers; full/partial/empty "
        f"{sl['full']}/{sl['partial']}/{sl['empty']})   | engine alone {sl['engine_s']:.2f} s"
    )
    m = result["memory"]
    print(
        f"peak RSS             {m['peak_rss_mb']:8.0f} MB   | after Django set-up "
        f"{m['django_rss_mb']:.0f} MB"
    )


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.measure:
        configure_django(Path(args.measure))
        print(json.dumps(measure(args)))
        return 0
    with tempfile.TemporaryDirectory(prefix="mentormesh-bench-") as tmp:
        var_dir = Path(tmp)
        env = configure_django(var_dir)
        print(f"Building the demo network: {args.people:,} people …", flush=True)
        built = build_network(args.people)
        print(f"  built in {built['demo_build_s']} s; measuring in a fresh process …", flush=True)
        child = subprocess.run(
            [sys.executable, __file__, "--measure", str(var_dir), "--people", str(args.people),
             "--viewers", str(args.viewers)],
            env=env, stdout=subprocess.PIPE, text=True, check=True, cwd=var_dir,
        )  # fmt: skip
        measured = json.loads(child.stdout.strip().splitlines()[-1])
    result = {
        "benchmark": "discover_speed",
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "setup": {
            "people": args.people,
            "viewers": args.viewers,
            "database": "sqlite (WAL)",
            "queries": QUERIES,
            **built,
        },
        **measured,
    }
    report(result)
    RESULTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_FILE.write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nWrote {RESULTS_FILE.relative_to(ROOT)}")
    return 0


# --- The child: measure --------------------------------------------------------------------


def measure(args) -> dict:
    django_rss = peak_rss_mb()
    result = {"snapshot": measure_snapshot()}
    viewers = pick_viewers(args.viewers)
    result["board"] = measure_boards(viewers)
    result["search"] = measure_search(viewers)
    result["shortlists"] = measure_shortlists()
    result["memory"] = {"peak_rss_mb": round(peak_rss_mb()), "django_rss_mb": round(django_rss)}
    return result


def measure_snapshot() -> dict:
    from mentormesh.discover import network
    from mentormesh.matching import Index
    from mentormesh.people.models import Profile

    progress("snapshot …")
    rows_s, _ = timed(
        lambda: list(Profile.objects.filter(user__is_active=True).select_related("user"))
    )
    builds = []
    for _ in range(SNAPSHOT_BUILDS):
        network.network_changed()
        seconds, current = timed(network.snapshot)
        builds.append(seconds)
    load_s, people = timed(network.load_people)
    vocabulary = network.load_vocabulary()
    build_s, index = timed(Index.build, people, vocabulary)
    unchanged = [timed(network.snapshot)[0] for _ in range(50)]
    return {
        "cold_s": round(min(builds), 2),
        "cold_runs_s": [round(s, 2) for s in builds],
        "load_people_s": round(load_s, 2),
        "index_build_s": round(build_s, 2),
        "profile_rows_s": round(rows_s, 2),
        "unchanged": percentiles(unchanged),
        "people_indexed": len(current.index.ids),
        "terms": len(index.terms),
    }


def pick_viewers(count: int) -> list:
    """``count`` people with goals, spread evenly over the network."""
    from mentormesh.people.models import User

    with_goals = list(
        User.objects.filter(is_active=True, sought_skills__isnull=False, profile__isnull=False)
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    step = max(1, len(with_goals) // count)
    chosen = with_goals[::step][:count]
    return list(User.objects.filter(pk__in=chosen).order_by("pk"))


def count_queries(function) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        function()
    return len(queries)


def first_page(search) -> int:
    """What the directory does with a search: count it and load the first page of cards."""
    from django.conf import settings
    from django.core.paginator import Paginator

    page = Paginator(search.profiles, settings.DIRECTORY_PAGE_SIZE).get_page(1)
    list(page.object_list)
    return page.paginator.count


def measure_boards(viewers: list) -> dict:
    from django.core.cache import cache

    from mentormesh.discover import network
    from mentormesh.discover.selectors import board_for
    from mentormesh.people.selectors import PeopleFilters, people_search

    progress(f"boards for {len(viewers)} viewers …")
    network.snapshot()
    cache.clear()
    cold = [timed(board_for, viewer=viewer)[0] for viewer in viewers]
    warm = [timed(board_for, viewer=viewer)[0] for viewer in viewers]
    cache.clear()
    cold_queries = count_queries(lambda: board_for(viewer=viewers[0]))
    warm_queries = count_queries(lambda: board_for(viewer=viewers[0]))

    per_goal, goals = [], 0
    for viewer in viewers:
        skills = list(viewer.sought_skills.values_list("skill__name", flat=True))
        goals += len(skills)
        started = time.perf_counter()
        for skill in skills:
            first_page(people_search(viewer=viewer, filters=PeopleFilters(skill=skill)))
        per_goal.append(time.perf_counter() - started)
    return {
        "cold": percentiles(cold),
        "warm": percentiles(warm),
        "cold_queries": cold_queries,
        "warm_queries": warm_queries,
        "search_per_goal": percentiles(per_goal),
        "goals_per_viewer": round(goals / len(viewers), 2),
    }


def measure_search(viewers: list) -> dict:
    from mentormesh.discover import network
    from mentormesh.discover.selectors import people_find
    from mentormesh.people.selectors import PeopleFilters, people_search

    progress(f"search: {len(QUERIES)} queries × {SEARCH_ROUNDS} …")
    network.snapshot()
    find_times, search_times, results = [], [], {}
    for round_number in range(SEARCH_ROUNDS):
        for number, text in enumerate(QUERIES):
            viewer = viewers[(round_number * len(QUERIES) + number) % len(viewers)]
            filters = PeopleFilters(q=text)
            seconds, found = timed(
                lambda v=viewer, f=filters: first_page(people_find(viewer=v, filters=f))
            )
            find_times.append(seconds)
            seconds, matched = timed(
                lambda v=viewer, f=filters: first_page(people_search(viewer=v, filters=f))
            )
            search_times.append(seconds)
            results.setdefault(text, {"people_find": found, "people_search": matched})
    filters = PeopleFilters(q=QUERIES[0])
    return {
        "people_find": percentiles(find_times),
        "people_search": percentiles(search_times),
        "find_queries": count_queries(
            lambda: first_page(people_find(viewer=viewers[0], filters=filters))
        ),
        "search_queries": count_queries(
            lambda: first_page(people_search(viewer=viewers[0], filters=filters))
        ),
        "results": results,
    }


def measure_shortlists() -> dict:
    from django.db.models import Count

    from mentormesh.discover import network, services
    from mentormesh.matching import fit_from_index, shortlist
    from mentormesh.people.models import Organization

    organization = Organization.objects.annotate(members=Count("memberships")).order_by(
        "-members", "pk"
    )[0]
    progress(f"shortlists for {organization.slug} ({organization.members} members) …")
    current = network.snapshot()
    run_s, run = timed(services.shortlist_run, organization=organization, by=None)
    # The engine alone, on the pool the service chose.
    seekers, helpers = services._pool(organization, None, current)
    helper_ids = [helper.id for helper in helpers]
    started = time.perf_counter()
    fit = fit_from_index(current.index, seekers, helper_ids)
    shortlist(
        [seeker.id for seeker in seekers],
        helper_ids,
        fit,
        size=3,
        capacity=[helper.capacity for helper in helpers],
    )
    engine_s = time.perf_counter() - started
    return {
        "organization": organization.slug,
        "members": organization.members,
        "seekers": run.seekers,
        "helpers": run.helpers,
        "full": run.full,
        "partial": run.partial,
        "empty": run.empty,
        "total_fit": round(run.total_fit, 2),
        "run_s": round(run_s, 2),
        "engine_s": round(engine_s, 2),
    }


if __name__ == "__main__":
    sys.exit(main())
