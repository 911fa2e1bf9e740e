"""The production posture: Django's deploy checks pass, a missing secret stops start-up, and
pages carry a strict Content-Security-Policy."""

import os
import secrets
import subprocess
import sys

import pytest

LONG_SECRET = secrets.token_urlsafe(64)


def deploy_check(tmp_path, **env_changes) -> subprocess.CompletedProcess:
    """`python -m mentormesh check --deploy --fail-level WARNING` in a fresh interpreter."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE"}
    }
    env["MENTORMESH_VAR_DIR"] = str(tmp_path / "var")
    env.update({key: value for key, value in env_changes.items() if value is not None})
    return subprocess.run(
        [sys.executable, "-m", "mentormesh", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_checks(tmp_path):
    """Given production with a long secret key and a host name, when Django's deploy checks
    run with warnings counted as failures, then they pass."""
    result = deploy_check(
        tmp_path, MENTORMESH_ENV="production", SECRET_KEY=LONG_SECRET, ALLOWED_HOSTS="example.org"
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_without_a_secret_key_refuses_to_start_and_says_why(tmp_path):
    """Given production with no SECRET_KEY, when anything starts, then it fails and says that
    SECRET_KEY must be set (it does not make one up)."""
    result = deploy_check(tmp_path, MENTORMESH_ENV="production", ALLOWED_HOSTS="example.org")

    assert result.returncode != 0
    assert "SECRET_KEY must be set when MENTORMESH_ENV=production." in result.stderr
    assert not (tmp_path / "var" / "secret_key").exists()


@pytest.mark.parametrize(
    ("env", "warning"),
    [
        ({"SECRET_KEY": "short", "ALLOWED_HOSTS": "example.org"}, "security.W009"),
        ({"SECRET_KEY": LONG_SECRET, "ALLOWED_HOSTS": "example.org", "DEBUG": "1"}, "security.W018"),
    ],
    ids=["weak-secret", "debug-on"],
)  # fmt: skip
def test_the_deploy_check_does_catch_a_weak_production_setup(tmp_path, env, warning):
    """Given production with a short secret key or DEBUG on, when the deploy checks run,
    then they fail naming the problem (so the passing check above means something)."""
    result = deploy_check(tmp_path, MENTORMESH_ENV="production", **env)

    assert result.returncode != 0
    assert warning in result.stderr


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
