"""The API, fuzzed from its own OpenAPI schema: whatever a signed-in user of any role sends, no answer is a
server error and every answer is the one the schema documents (status, content type, body shape).

Schemathesis draws the requests (query strings, bodies, headers) from the schema drf-spectacular serves at
/api/schema/; Hypothesis bounds how many per endpoint. Each request goes through Django's own WSGI handler,
signed in with a real session, to the real database, and names the permission matrix's records
(`tests.matrix.rows`) in its path, so that it reaches the serializers and services behind the access check
rather than a 404. Each request runs in a savepoint rolled back after it, so every one meets the same records.
"""

import re
import secrets
from contextlib import contextmanager

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import Client
from django.urls import resolve
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.matrix.rows import MATRIX

# Requests drawn per endpoint, role and method: 91 operations by 6 roles stays around a minute on two workers.
EXAMPLES = 4
ROLES = ("intake_screener", "caseworker", "supervisor", "program_manager", "administrator", "auditor")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
PLACEHOLDER_ID = "00000000-0000-4000-8000-000000000000"
# Path parameters that are not a record's UUID, by name: a value their URL converter takes.
PLACEHOLDERS = {"grant_id": "user-1", "day": "2026-01-01"}


def api_schema() -> schemathesis.schemas.BaseSchema:
    """The schema /api/schema/ serves, as schemathesis reads it."""
    document = SchemaGenerator().get_schema(request=None, public=True)
    return schemathesis.openapi.from_dict(document)


def matrix_path_parameters(path: str, cast) -> dict[str, str]:
    """The permission matrix's records for this path's parameters: the same ones every role is checked on."""
    match = resolve(re.sub(r"\{(\w+)\}", lambda name: PLACEHOLDERS.get(name[1], PLACEHOLDER_ID), path))
    return {name: str(value) for name, value in MATRIX[match.url_name].kwargs(cast).items()}


@contextmanager
def in_process_requests():
    """Django's own test client does the same: its requests share the test's connection and transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def signed_in(user) -> tuple[dict[str, str], dict[str, str]]:
    """(headers, cookies): a real session for the user, and a CSRF token in cookie and header, as a page's script
    sends them."""
    client = Client()
    client.force_login(user)
    token = secrets.token_hex(16)
    cookies = {django_settings.SESSION_COOKIE_NAME: client.cookies[django_settings.SESSION_COOKIE_NAME].value}
    return {"X-CSRFToken": token}, {**cookies, django_settings.CSRF_COOKIE_NAME: token}


def operation_failures(operation, *, app, cast, headers, cookies) -> list[str]:
    """Fuzz one operation; the failures it found (one line each: what was sent, what came back)."""
    found: list[str] = []
    path_parameters = matrix_path_parameters(operation.path, cast) if operation.path_parameters else {}

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        if path_parameters:
            case.path_parameters = dict(path_parameters)
        with transaction.atomic():
            response = case.call(app=app, headers=headers, cookies=cookies)
            transaction.set_rollback(True)
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except FailureGroup as failures:
            sent = f"{case.method} {case.formatted_path} query={case.query} body={case.body!r}"[:400]
            found.extend(
                f"{sent} -> {response.status_code}: {failure.title}: {failure.message[:300]!r}"
                for failure in failures.exceptions
            )

    run()
    return found


@pytest.mark.parametrize("role", ROLES)
def test_no_request_gets_a_server_error_or_an_undocumented_answer(role, cast):
    schema = api_schema()
    app = WSGIHandler()
    headers, cookies = signed_in(cast.by_role()[role])
    failures = []
    with in_process_requests():
        for result in schema.get_all_operations():
            operation = result.ok()
            failures += operation_failures(operation, app=app, cast=cast, headers=headers, cookies=cookies)
    assert not failures, "\n".join(sorted(set(failures)))
