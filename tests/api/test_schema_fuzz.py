"""Property-based API tests from the OpenAPI schema (schemathesis over the WSGI app).

For every operation, generated requests from a real, authenticated member must never cause a
server error, and every answer must match what the schema promises: status code, content
type, headers and body shape.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from mentormesh.people import services
from mentormesh.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def keep_test_connection():
    """Requests go straight to the WSGI app, whose request_finished signal closes the database
    connection; inside a test transaction that would end the test's own connection (PostgreSQL
    then fails). Django's test client disconnects the same handler for the same reason."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def bearer_headers(db):
    member = services.user_signup(
        handle="fuzzer",
        email="fuzzer@example.org",
        password="a-long-passphrase-42",
        display_name="Fuzz Tester",
    )
    services.profile_update(user=member, changes={"headline": "Tries every input"})
    services.offered_skill_set(user=member, skill_name="Python")
    _, secret = services.api_token_create(user=member, name="schemathesis")
    return {"Authorization": f"Bearer {secret}"}


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_api_answers_every_generated_request_as_documented(
    case, bearer_headers, keep_test_connection
):
    case.call_and_validate(headers=bearer_headers, checks=CHECKS)


def test_the_fuzzing_token_really_authenticates(client, bearer_headers):
    # Given the token the fuzz test sends, when it asks who it is, then it is a member:
    # 401 is a documented answer, so a broken token would otherwise pass every check above.
    response = client.get("/api/me", headers=bearer_headers)
    assert response.status_code == 200
    assert response.json()["handle"] == "fuzzer"


def test_a_null_for_a_field_that_cannot_be_empty_is_refused_by_name(client, bearer_headers):
    # Found by the fuzz test: {"level": null} used to crash with a NOT NULL error (500).
    response = client.patch(
        "/api/me", {"level": None}, content_type="application/json", headers=bearer_headers
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("level:")


def test_a_body_that_is_not_json_gets_the_documented_error_shape(client, bearer_headers):
    response = client.patch(
        "/api/me", b"\x00", content_type="application/json", headers=bearer_headers
    )
    assert response.status_code == 400
    assert set(response.json()) == {"error", "detail"}
