"""API fuzzing: schemathesis generates requests for every operation in /api/schema/ and sends
them, with an analyst's and a manager's API token, to the application in-process (WSGI).

Bounded: a few examples per operation, derandomised (the same requests every run, so CI is not
flaky), no shrinking. Passes when no response is a server error and every response matches what
the schema documents for it (body schema and content type).
"""

import contextlib

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import checks

from tests.factories.accounts import api_token
from tests.factories.offences import OffenceFactory
from tests.factories.partners import make_referral
from tests.factories.seizures import SeizureFactory, WarrantFactory, item

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 8
# The largest id the databases hold (a signed 64-bit integer).
LARGEST_ID = 2**63 - 1
CHECKS = [checks.not_a_server_error, checks.response_schema_conformance, checks.content_type_conformance]


@pytest.fixture
def records(analyst, partner_a, agency_b):
    """A record of each type, so that detail operations find something at low ids."""
    warrant = WarrantFactory(user=analyst)
    SeizureFactory(
        warrant=warrant, items=[item("cocaine", 3, "g"), item("herbal-cannabis", 20, "g")], user=analyst
    )
    OffenceFactory()
    make_referral(by=partner_a, to=agency_b)


def bounded_test(operation, headers, seen):
    """A Hypothesis test of one operation: a few generated requests, each response checked."""

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        response = case.call(headers=headers)
        seen.append(response.status_code)
        case.validate_response(response, checks=CHECKS, headers=headers)

    return run


@contextlib.contextmanager
def connections_kept_open():
    """Requests reach the WSGI application directly here, not through Django's test client, so
    do what the client does: keep the end of a request from closing the test's database
    connection (and its transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def fuzz(token):
    """Every operation, a few generated cases each: (failures, statuses seen)."""
    headers = {"Authorization": f"Token {token}"}
    with connections_kept_open():
        return _fuzz(headers)


def _fuzz(headers):
    schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application(), headers=headers)
    failures, seen = [], []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20, "the schema lists fewer operations than the API has"
    for operation in operations:
        try:
            bounded_test(operation, headers, seen)()
        except (Exception, BaseExceptionGroup) as error:  # collected, then reported together
            failures.append(f"{operation.label}: {type(error).__name__}: {str(error)[:1500]}")
    return failures, seen


@pytest.mark.parametrize("role", ["analyst", "manager", "partner_a"])
def test_the_api_answers_every_generated_request_without_errors_and_as_documented(request, role, records):
    failures, seen = fuzz(api_token(request.getfixturevalue(role)))
    assert not failures, "\n\n".join(failures)
    # The run reached the views: successes and refusals of bad input, not only 404s.
    assert {200, 400} <= set(seen)


LIST_URLS = [
    "/api/v1/seizures/?force={}",
    "/api/v1/warrants/?area={}",
    "/api/v1/offences/?partnership={}",
    "/api/v1/referrals/?force={}",
]


@pytest.mark.parametrize("url", LIST_URLS)
def test_an_out_of_range_id_in_a_filter_is_refused(analyst_client, url):
    response = analyst_client.get(url.format(LARGEST_ID + 1))

    assert response.status_code == 400
    assert list(response.json().values()) == [[f"“{LARGEST_ID + 1}” is not a valid value."]]


@pytest.mark.parametrize("url", ["/seizures/?force={}", "/offences/?area={}", "/warrants/?area={}"])
def test_an_out_of_range_id_on_a_list_page_is_shown_as_an_error(analyst_client, url):
    response = analyst_client.get(url.format(LARGEST_ID + 1))

    assert response.status_code == 200
    assert f"“{LARGEST_ID + 1}” is not a valid value." in response.content.decode()
