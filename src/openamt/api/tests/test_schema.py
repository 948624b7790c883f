"""The API against its committed OpenAPI document (docs/openapi.json), with
every check and every phase of schemathesis (examples, coverage, fuzzing and
stateful), and with valid client credentials for the protected operations,
so that their logic is fuzzed and not only their refusal of strangers."""

import json
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.conf import settings
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from openamt.api.v1 import api
from openamt.testing.api import api_client_token

SCHEMA_PATH = Path(settings.PROJECT_DIR) / "docs" / "openapi.json"
schema = schemathesis.openapi.from_path(SCHEMA_PATH)
# Derandomised so that CI is repeatable; explicit regression tests pin what it found.
# Few examples per operation: the coverage phase adds its own cases on top.
BOUNDED = hypothesis_settings(
    max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)
# The access token of the client registered for each protected area. Fixed
# values: schemathesis builds its explicit cases (examples, coverage) before any
# fixture runs; the `api_clients` fixture makes them valid for each test.
TOKENS = {
    "/api/v1/submissions": "schema-test-antraege-einreichen-0123456789",
    "/api/v1/postfach": "schema-test-postfach-zustellen-0123456789",
    "/api/v1/cases": "schema-test-vorgaenge-bearbeiten-0123456789",
}


@schema.auth(refresh_interval=None)
class ClientCredentials:
    """Each protected operation gets a valid token of the client registered for
    it (client-credentials grant); schemathesis probes without it by itself."""

    def get(self, case: Any, context: Any) -> str | None:
        path = case.operation.path
        return next((token for area, token in TOKENS.items() if path.startswith(area)), None)

    def set(self, case: Any, data: str | None, context: Any) -> None:
        if data:
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@pytest.fixture
def api_clients(dog_form, erfurt) -> None:
    """A portal registered to submit, the delivery service and the specialised
    software of Erfurt."""
    api_client_token(
        name="schema-test-portal",
        scope="antraege:einreichen",
        token=TOKENS["/api/v1/submissions"],
        may_submit=True,
    )
    api_client_token(
        name="schema-test-zustelldienst",
        scope="postfach:zustellen",
        token=TOKENS["/api/v1/postfach"],
        authority=erfurt,
    )
    api_client_token(
        name="schema-test-fachverfahren",
        scope="vorgaenge:bearbeiten",
        token=TOKENS["/api/v1/cases"],
        authority=erfurt,
    )


def test_committed_schema_is_current():
    generated = json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/")))
    assert json.loads(SCHEMA_PATH.read_text(encoding="utf-8")) == generated


def test_protected_operations_declare_their_credentials():
    document = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    protected = sorted(
        f"{method.upper()} {path}"
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if operation.get("security")
    )
    assert protected == [
        "GET /api/v1/cases",
        "GET /api/v1/cases/{public_id}",
        "GET /api/v1/cases/{public_id}/documents",
        "GET /api/v1/cases/{public_id}/documents/{document_id}",
        "GET /api/v1/postfach/nachrichten/{public_id}",
        "GET /api/v1/submissions/{public_id}",
        "POST /api/v1/cases/{public_id}/bescheid",
        "POST /api/v1/cases/{public_id}/documents",
        "POST /api/v1/cases/{public_id}/status",
        "POST /api/v1/postfach/nachrichten",
        "POST /api/v1/submissions",
    ]


def _excluded(case: Any) -> list[Any]:
    # A schema cannot say "answers that fit the form" or "a real PDF to a
    # Postfach that exists": schema-valid bodies may be refused with 404/422.
    return [positive_data_acceptance] if case.method == "POST" else []


@schema.parametrize()
@BOUNDED
def test_api_conforms_to_its_schema(case, api_clients, wsgi_app):
    # Checks that send requests of their own (a list answered 200 is probed
    # again without credentials) go to the same application, not the network.
    case.operation.schema.app = case.operation.app = wsgi_app
    response = case.call(app=wsgi_app)
    case.validate_response(response, excluded_checks=_excluded(case))


def test_api_workflows_follow_the_links_of_the_schema(api_clients, wsgi_app):
    """The stateful phase: sequences of calls along the schema's links (an
    accepted application or message, then its status), authenticated alike."""

    class Workflow(schema.as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            case.operation.schema.app = case.operation.app = wsgi_app
            return {"app": wsgi_app}

        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            case.validate_response(response, excluded_checks=_excluded(case))

    Workflow.run(
        settings=hypothesis_settings(
            max_examples=15,
            stateful_step_count=4,
            deadline=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
    )
