"""Schemathesis: property-based requests to every operation of the API's OpenAPI document,
generated from it, checked against it. No 5xx, every answer the status, content type, headers
and body its operation promises; invalid parameters refused with a 4xx.

All of Schemathesis' checks but one: "a request the schema allows is accepted". A value can
have the right type and still name nothing: a reason tag no claim has, a cursor from another
list, a time without a zone. Those are 400s that say what is wrong (test_api.py).

Runs in process (the WSGI application, the test database with the seed data). The number of
requests per operation is bounded (SCHEMATHESIS_EXAMPLES, default 60) so that CI stays in time;
the counts are printed at the end of the run."""

import os
from collections import Counter

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test.utils import override_settings
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from claimtrack.api.views import api

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "60"))

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = WSGIHandler()
cases = Counter()
failures = 0


def summary():
    """The counts, for the end of the run (tests/conftest.py pytest_terminal_summary)."""
    per_operation = ", ".join(f"{op} {n}" for op, n in sorted(cases.items()))
    return (
        f"Schemathesis: {len(cases)} operations, {sum(cases.values())} cases, "
        f"{failures} failed ({per_operation})"
    )


@pytest.fixture
def seeded_api(seeded):
    """The seed data, no rate limit (thousands of requests from one address: the limit has its
    own test in test_api.py), and the database connection left open at the end of each request,
    as Django's test client leaves it: the test's transaction holds the data."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        with override_settings(API_RATE_LIMIT=None):
            yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_keeps_its_contract(case, seeded_api):
    global failures
    cases[case.operation.label] += 1
    try:
        case.call_and_validate(excluded_checks=[positive_data_acceptance])
    except Exception:
        failures += 1
        raise
