"""Web throughput and latency under load, next to a no-work baseline.

Builds a throwaway SQLite database in a temporary folder with the demo network (10,000
people; 1,000 with --quick), starts gunicorn (2 workers) on a free loopback port and drives
it with locust (headless, closed loop, no think time) in three phases of the same length:

    healthz    GET /healthz              the baseline: routing, middleware, SELECT 1
    api        GET /api/people?skill=A   directory search through the JSON API (Bearer token)
    directory  GET /people/?skill=A      the same search as an HTML page (demo user's session)

A is an alias of the skill most people offer, so alias resolution is part of the work.
Prints requests/s, p50 and p95 latency per endpoint, and the SQL queries one request of
each makes (counted in-process with CaptureQueriesContext). Writes
benchmarks/results/web_load.json. Figures only: nothing is asserted.

    python benchmarks/web_load.py [--quick] [--people N] [--users U] [--seconds S]

The load generator runs on the same machine as the server, so on a small machine it takes
CPU from gunicorn; compare endpoints with the baseline rather than reading absolute figures.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
RESULTS_FILE = ROOT / "benchmarks" / "results" / "web_load.json"
LOCUSTFILE = ROOT / "benchmarks" / "locustfile.py"
BIN = Path(sys.executable).parent
PHASES = [("healthz", "healthz"), ("api", "api_people"), ("directory", "directory")]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1,000 people, 5 s phases")
    parser.add_argument("--people", type=int, help="demo network size (default 10000)")
    parser.add_argument("--users", type=int, help="concurrent locust users (default 20)")
    parser.add_argument("--seconds", type=int, help="length of each phase (default 20)")
    args = parser.parse_args(argv)
    args.people = args.people or (1000 if args.quick else 10_000)
    args.users = args.users or (10 if args.quick else 20)
    args.seconds = args.seconds or (5 if args.quick else 20)
    return args


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def configure_django(var_dir: Path) -> dict[str, str]:
    """Point this process (and the children, through the returned env) at a fresh database."""
    env = {
        "MENTORMESH_VAR_DIR": str(var_dir),
        "DATABASE_URL": f"sqlite:///{var_dir / 'bench.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "mentormesh.settings",
        "MENTORMESH_ENV": "local",
        "DEBUG": "0",
        "LOG_LEVEL": "ERROR",
    }
    os.environ.update(env)
    import django

    django.setup()
    return {**os.environ, **env}


def build_data(people: int) -> dict:
    from django.core.management import call_command
    from django.db.models import Count

    from mentormesh.people import services
    from mentormesh.people.models import OfferedSkill, SkillAlias, User

    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    out = io.StringIO()
    started = time.perf_counter()
    call_command("demo", people=people, seed=1, stdout=out)
    build_seconds = time.perf_counter() - started
    login = re.search(r"Demo login: (\S+) (\S+) (\S+)", out.getvalue())
    handle = login.group(1)
    popular = (
        OfferedSkill.objects.filter(skill__aliases__isnull=False)
        .values("skill_id", "skill__name")
        .annotate(offered_by=Count("user_id"))
        .order_by("-offered_by", "skill_id")
        .first()
    )
    alias = (
        SkillAlias.objects.filter(skill_id=popular["skill_id"])
        .order_by("alias")
        .values_list("alias", flat=True)
        .first()
    )
    _, token = services.api_token_create(user=User.objects.get(handle=handle), name="bench")
    return {
        "handle": handle,
        "token": token,
        "skill": popular["skill__name"],
        "alias": alias,
        "offered_by": popular["offered_by"],
        "build_seconds": round(build_seconds, 1),
    }


def count_queries(data: dict) -> dict[str, dict]:
    """SQL queries of one request per endpoint (after a warm-up request), and the median
    in-process time of five more: one request alone, with no concurrency."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from mentormesh.people.models import User

    bearer = Client(headers={"Authorization": f"Bearer {data['token']}"})
    session = Client()
    session.force_login(User.objects.get(handle=data["handle"]))
    # The same kind of session the load uses (a logged-in demo user), made without argon2.
    data["session"] = session.cookies["sessionid"].value
    alias = quote(data["alias"])
    requests = {
        "healthz": (Client(), "/healthz"),
        "api_people": (bearer, f"/api/people?skill={alias}"),
        "directory": (session, f"/people/?skill={alias}"),
    }
    counted = {}
    for name, (client, path) in requests.items():
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        query_count = len(queries)  # before the next request_started resets the log
        timings = []
        for _ in range(5):
            started = time.perf_counter()
            client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
        counted[name] = {
            "path": path,
            "status": response.status_code,
            "queries": query_count,
            "alone_ms": round(statistics.median(timings), 1),
        }
    return counted


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer {url} within {timeout:.0f} s")


def stop(process: subprocess.Popen, timeout: float = 15) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def run_locust(phase: str, host: str, args, env: dict, data: dict, out_dir: Path) -> dict:
    prefix = out_dir / phase
    command = [
        str(BIN / "locust"), "-f", str(LOCUSTFILE), "--headless", "--only-summary",
        "-u", str(args.users), "-r", str(max(1, args.users // 2)), "-t", f"{args.seconds}s",
        "--host", host, "--csv", str(prefix), "--loglevel", "WARNING", "--stop-timeout", "5",
    ]  # fmt: skip
    phase_env = {
        **env,
        "MENTORMESH_BENCH_PHASE": phase,
        "MENTORMESH_BENCH_SKILL": data["alias"],
        "MENTORMESH_BENCH_TOKEN": data["token"],
        "MENTORMESH_BENCH_SESSION": data["session"],
    }
    result = subprocess.run(
        command,
        env=phase_env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=args.seconds + 90,
        check=False,
    )
    stats_file = Path(f"{prefix}_stats.csv")
    if not stats_file.exists():
        raise RuntimeError(f"locust ({phase}) wrote no stats:\n{result.stderr[-2000:]}")
    with stats_file.open() as handle:
        return {row["Name"]: row for row in csv.DictReader(handle)}


def summarize(row: dict, seconds: int) -> dict:
    requests = int(row["Request Count"])
    return {
        "requests": requests,
        "failures": int(row["Failure Count"]),
        "requests_per_second": round(float(row["Requests/s"]), 1),
        "p50_ms": float(row["50%"]),
        "p95_ms": float(row["95%"]),
        "p99_ms": float(row["99%"]),
        "mean_ms": round(float(row["Average Response Time"]), 1),
        "mean_bytes": round(float(row["Average Content Size"])),
    }


def main(argv=None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="mentormesh-bench-") as tmp:
        var_dir = Path(tmp)
        env = configure_django(var_dir)
        print(f"Building the demo network: {args.people} people …", flush=True)
        data = build_data(args.people)
        print(
            f"  built in {data['build_seconds']} s; searching for '{data['alias']}', an alias "
            f"of {data['skill']} (offered by {data['offered_by']} people)",
            flush=True,
        )
        queries = count_queries(data)

        port = free_port()
        host = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "mentormesh.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}",
             "--log-level", "warning"],
            env=env, cwd=var_dir, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        endpoints = {}
        try:
            wait_until_up(f"{host}/healthz", server)
            for phase, name in PHASES:
                print(
                    f"Load: {phase} ({args.users} users, {args.seconds} s) …", end=" ", flush=True
                )
                rows = run_locust(phase, host, args, env, data, var_dir)
                endpoints[name] = {**summarize(rows[name], args.seconds), **queries[name]}
                print(f"{endpoints[name]['requests_per_second']} req/s", flush=True)
        finally:
            stop(server)

    baseline = endpoints["healthz"]["requests_per_second"] or 1
    for figures in endpoints.values():
        figures["throughput_vs_healthz"] = round(figures["requests_per_second"] / baseline, 3)

    print()
    print(f"{'endpoint':<12}{'req/s':>9}{'× healthz':>11}{'p50 ms':>9}{'p95 ms':>9}"
          f"{'fails':>7}{'queries':>9}{'alone ms':>10}")  # fmt: skip
    for name, f in endpoints.items():
        print(
            f"{name:<12}{f['requests_per_second']:>9.1f}{f['throughput_vs_healthz']:>11.2f}"
            f"{f['p50_ms']:>9.0f}{f['p95_ms']:>9.0f}{f['failures']:>7}{f['queries']:>9}"
            f"{f['alone_ms']:>10.1f}"
        )
    result = {
        "benchmark": "web_load",
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "setup": {
            "people": args.people,
            "users": args.users,
            "seconds_per_phase": args.seconds,
            "gunicorn_workers": 2,
            "database": "sqlite (WAL)",
            "skill": data["skill"],
            "alias_searched": data["alias"],
            "skill_offered_by": data["offered_by"],
            "demo_build_seconds": data["build_seconds"],
        },
        "endpoints": endpoints,
    }
    RESULTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_FILE.write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nWrote {RESULTS_FILE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
