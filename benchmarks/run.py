"""`make bench`: run every benchmark script in benchmarks/, the web load test last.

Each script runs in its own process (this interpreter), prints its figures and writes its
JSON to benchmarks/results/. A failing script is reported and the others still run; the exit
code says whether all succeeded. Benchmarks print figures; they never assert timings.

    python benchmarks/run.py [--quick] [--only NAME ...]

--quick is passed to web_load and discover_speed (smaller networks, shorter phases); --only
runs the named scripts (e.g. --only matching_speed).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Not benchmarks: this runner, web_load's load, and matching_speed's generated network.
HELPERS = {"run.py", "locustfile.py", "synthetic_network.py"}
LAST = "web_load.py"  # the slowest, and the one that starts a server
TAKE_QUICK = {"web_load.py", "discover_speed.py", "mixer_round.py"}


def benchmark_scripts() -> list[Path]:
    scripts = [
        path
        for path in sorted(HERE.glob("*.py"))
        if path.name not in HELPERS and not path.name.startswith("_")
    ]
    return sorted(scripts, key=lambda path: path.name == LAST)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Run the benchmarks.")
    parser.add_argument("--quick", action="store_true", help="shorter web load and discovery runs")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="run only these scripts")
    args = parser.parse_args(argv)
    scripts = benchmark_scripts()
    if args.only:
        wanted = {name.removesuffix(".py") for name in args.only}
        scripts = [path for path in scripts if path.stem in wanted]
    failed = []
    for script in scripts:
        command = [sys.executable, str(script)]
        if script.name in TAKE_QUICK and args.quick:
            command.append("--quick")
        print(f"\n=== {script.name} " + "=" * max(0, 70 - len(script.name)), flush=True)
        started = time.perf_counter()
        # Output streams straight through, so a long benchmark shows its progress.
        code = subprocess.run(command, cwd=HERE.parent, check=False).returncode
        elapsed = time.perf_counter() - started
        status = "ok" if code == 0 else f"FAILED (exit {code})"
        print(f"--- {script.name}: {status} in {elapsed:.0f} s", flush=True)
        if code != 0:
            failed.append(script.name)
    print(f"\n{len(scripts) - len(failed)} of {len(scripts)} benchmarks ran.", end=" ")
    print(f"Failed: {', '.join(failed)}" if failed else "Results in benchmarks/results/.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
