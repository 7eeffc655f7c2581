"""A bounded fuzz of the API from its own OpenAPI description (schemathesis): whatever a caller sends, the answer is
never a 5xx, and its status code and content type are ones the description documents.

Each operation gets a few examples, valid and invalid alike, from an anonymous caller over the demo store and from an
administrator's API token over a store of its own (its writes must not reach the demo store other tests read).
"""

from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import APIOperation, Case, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Err
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from observatory.access.policy import Role
from observatory.access.users import create_user, issue_token
from observatory.demo import initialise
from observatory.settings import Settings
from observatory.store.engine import make_engine
from observatory.web.app import create_app
from tests.stores import settings_fixture

EXAMPLES = 20
#: No 5xx, and every answer as documented: its status code, content type, headers and body. Left out: whether the
#: server accepts every schema-valid request and refuses every other (``positive_data_acceptance``,
#: ``negative_data_rejection``), since a schema cannot name the vocabularies (drug groups, countries) values come from.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
ADMIN = "fuzz-admin"
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def _admin_store(settings: Settings) -> None:
    engine = initialise(settings)
    try:
        create_user(engine, ADMIN, "a long enough password", Role.ADMIN)
    finally:
        engine.dispose()


admin_settings = settings_fixture("fuzz-admin", _admin_store)


def fuzz(settings: Settings, headers: dict[str, str]) -> list[str]:
    """Every operation fuzzed in turn; the failures, one report per operation (Hypothesis stops an operation at its
    first failure)."""
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", create_app(settings))
    failures = []
    try:
        for result in schema.get_all_operations():
            if isinstance(result, Err):
                failures.append(f"the OpenAPI description: {result.err()}")
                continue
            operation = result.ok()
            try:
                _fuzz_one(operation, headers)
            except (Exception, BaseExceptionGroup) as exc:
                failures.append(f"{operation.label}: {exc}")
    finally:
        # The app's lifespan (engines, watchdog) started with the first request; it ends with the test.
        asgi.shutdown_lifespans()
    return failures


def _fuzz_one(operation: APIOperation[Any, Any, Any, Any], headers: dict[str, str]) -> None:
    cases = st.one_of(*(operation.as_strategy(mode) for mode in GenerationMode))

    @given(case=cases)
    @FUZZ
    def run(case: Case[Any]) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()


def test_no_anonymous_request_gets_a_server_error(demo_settings: Settings) -> None:
    failures = fuzz(demo_settings, {})
    assert not failures, "\n\n".join(failures)


def test_no_request_with_a_token_gets_a_server_error(admin_settings: Settings) -> None:
    engine = make_engine(admin_settings.records_url)
    try:
        token = issue_token(engine, ADMIN, "fuzz")
    finally:
        engine.dispose()
    failures = fuzz(admin_settings, {"authorization": f"Bearer {token}"})
    assert not failures, "\n\n".join(failures)
