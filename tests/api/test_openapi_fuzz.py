"""Property-based: schemathesis generates requests from the OpenAPI document for every /api
operation and sends them to the real server over HTTP. No input may give a 5xx, input the document
calls invalid must be refused with a 4xx, and every answer must match the status codes, media types
and schemas the document declares."""

import schemathesis
from api_testing import LiveServer
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from migkg.api.app import create_app
from migkg.api.settings import Settings

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


# The document comes from the app itself (no server needed to collect the tests); the requests go
# over HTTP to the live server. (schemathesis' lazy from_fixture loader does not run under pytest 9.)
schema = schemathesis.openapi.from_dict(create_app(Settings()).openapi()).include(path_regex="^/api")


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_input_breaks_an_api_operation(case: schemathesis.Case, live_server: LiveServer):
    case.call_and_validate(base_url=live_server.url, checks=CHECKS)
