"""Property-based API test: schemathesis generates requests for every operation in
/api/openapi.json, signed in. No answer may be a server error, and every answer must be one
the document describes (status code, content type and body schema)."""

from __future__ import annotations

from collections import Counter

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.support.helpers import unique_email

MAX_EXAMPLES = 25  # generated examples per operation (plus schemathesis' coverage cases)
CALLS: Counter[str] = Counter()
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def signed_in_cookie(api_url: str) -> str:
    body = {"email": unique_email("fuzz"), "password": "correct horse battery", "name": "Fuzz"}
    res = httpx.post(f"{api_url}/api/auth/signup", json=body)
    assert res.status_code == 201
    cookie = res.cookies["rooms_session"]
    # Tasks on in the fuzzer's space, so generated task requests get past TASKS_DISABLED.
    space = res.json()["user"]["activeSpaceId"]
    res = httpx.patch(
        f"{api_url}/api/spaces/{space}/mode",
        json={"mode": "SESSIONS_AND_TASKS"},
        cookies={"rooms_session": cookie},
    )
    assert res.status_code == 200
    return cookie


def _load_schema():
    # The document /api/openapi.json serves, built at collection time (the server that
    # answers the generated requests starts later, as a fixture).
    from rooms.api.app import make_api

    return schemathesis.openapi.from_dict(make_api().openapi())


# Logging out would end the session every other generated request signs in with.
schema = _load_schema().exclude(path="/api/auth/logout")


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case, api_url: str, signed_in_cookie: str) -> None:
    response = case.call(base_url=api_url, cookies={"rooms_session": signed_in_cookie})
    CALLS[case.operation.label] += 1
    case.validate_response(response, checks=CHECKS)


def test_report_example_count() -> None:
    """Not a check: prints how many requests the property test sent (run after it)."""
    if CALLS:
        print(f"\nschemathesis: {sum(CALLS.values())} requests over {len(CALLS)} operations")
