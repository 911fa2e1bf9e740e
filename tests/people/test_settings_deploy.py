"""The production posture: Django's deploy checks pass, a missing secret stops start-up, and
pages carry a strict Content-Security-Policy."""

import os
import secrets
import subprocess
import sys

import pytest

LONG_SECRET = secrets.token_urlsafe(64)


COMMAND = [sys.executable, "-m", "mentormesh", "check", "--deploy", "--fail-level", "WARNING"]
SCENARIOS = {
    "production": {"SECRET_KEY": LONG_SECRET, "ALLOWED_HOSTS": "example.org"},
    "no-secret": {"ALLOWED_HOSTS": "example.org"},
    "weak-secret": {"SECRET_KEY": "short", "ALLOWED_HOSTS": "example.org"},
}


@pytest.fixture(scope="module")
def deploy_checks(tmp_path_factory) -> dict[str, subprocess.CompletedProcess]:
    """`python -m mentormesh check --deploy --fail-level WARNING` in a fresh interpreter with
    MENTORMESH_ENV=production, once per scenario, all started at once to save time."""
    base = {
        key: value
        for key, value in os.environ.items()
        # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests in the same worker process.
        if key
        not in {
            "SECRET_KEY",
            "DEBUG",
            "ALLOWED_HOSTS",
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    running = {}
    for name, changes in SCENARIOS.items():
        workdir = tmp_path_factory.mktemp(name)
        env = {**base, "MENTORMESH_ENV": "production", "MENTORMESH_VAR_DIR": str(workdir / "var")}
        process = subprocess.Popen(  # noqa: S603 (a fixed command, our own interpreter)
            COMMAND, cwd=workdir, env={**env, **changes}, text=True,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip
        running[name] = (workdir, process)
    results = {}
    for name, (workdir, process) in running.items():
        stdout, stderr = process.communicate(timeout=120)
        results[name] = subprocess.CompletedProcess(COMMAND, process.returncode, stdout, stderr)
        results[name].workdir = workdir
    return results


def test_production_settings_pass_the_deploy_checks(deploy_checks):
    """Given production with a long secret key and a host name, when Django's deploy checks
    run with warnings counted as failures, then they pass."""
    result = deploy_checks["production"]

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_without_a_secret_key_refuses_to_start_and_says_why(deploy_checks):
    """Given production with no SECRET_KEY, when anything starts, then it fails and says that
    SECRET_KEY must be set (it does not make one up)."""
    result = deploy_checks["no-secret"]

    assert result.returncode != 0
    assert "SECRET_KEY must be set when MENTORMESH_ENV=production." in result.stderr
    assert not (result.workdir / "var" / "secret_key").exists()


def test_the_deploy_check_does_catch_a_weak_production_setup(deploy_checks):
    """Given production with a short secret key, when the deploy checks run, then they fail
    naming the problem (so the passing check above means something)."""
    result = deploy_checks["weak-secret"]

    assert result.returncode != 0
    assert "security.W009" in result.stderr


def test_pages_carry_a_strict_content_security_policy(client, db):
    """Given any page, when it is served, then its Content-Security-Policy allows scripts
    only from this site (no inline or eval), forbids framing and plugins."""
    response = client.get("/login/")

    policy = response["Content-Security-Policy"]
    directives = dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";") if part.strip()
    )
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
