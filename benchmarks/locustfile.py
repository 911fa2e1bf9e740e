"""Locust load for benchmarks/web_load.py (not a benchmark on its own).

One phase per run, chosen by MENTORMESH_BENCH_PHASE, so each endpoint's throughput is
measured alone and compares fairly with the `healthz` baseline:

    healthz    GET /healthz                      (no work: one SELECT 1)
    api        GET /api/people?skill=...         (Bearer token)
    directory  GET /people/?skill=...            (the demo user's session cookie)

Also reads MENTORMESH_BENCH_SKILL, MENTORMESH_BENCH_TOKEN and MENTORMESH_BENCH_SESSION.
"""

from __future__ import annotations

import os
from urllib.parse import quote

from locust import HttpUser, constant, task

PHASE = os.environ.get("MENTORMESH_BENCH_PHASE", "healthz")
SKILL = os.environ.get("MENTORMESH_BENCH_SKILL", "python")
TOKEN = os.environ.get("MENTORMESH_BENCH_TOKEN", "")
SESSION = os.environ.get("MENTORMESH_BENCH_SESSION", "")


class Member(HttpUser):
    # Closed loop with no think time: each user sends its next request as soon as the last
    # answers, so requests/s is the server's throughput at this concurrency.
    wait_time = constant(0)

    def on_start(self):
        if PHASE == "directory":
            # A session made for the demo user by web_load.py: logging in here would put
            # argon2 hashing (deliberately slow) into the measured phase.
            self.client.cookies.set("sessionid", SESSION)

    @task
    def run_phase(self):
        if PHASE == "healthz":
            self._get("/healthz", name="healthz")
        elif PHASE == "api":
            self._get(
                f"/api/people?skill={quote(SKILL)}",
                name="api_people",
                headers={"Authorization": f"Bearer {TOKEN}"},
            )
        elif PHASE == "directory":
            self._get(f"/people/?skill={quote(SKILL)}", name="directory")

    def _get(self, path: str, **kwargs):
        # Anything but 200 (a redirect to /login/ included) counts as a failure.
        with self.client.get(
            path, allow_redirects=False, catch_response=True, **kwargs
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
