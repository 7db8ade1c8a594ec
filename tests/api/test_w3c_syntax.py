"""The W3C SPARQL 1.0 and 1.1 query-syntax suites (vendored in w3c/syntax/), sent to /sparql.

A positive syntax test must be answered 200, a negative one 400. The exceptions are listed
below, each with its reason: the endpoint's documented refusals of positive tests, and the one
negative test the engine accepts. The queries are sent to the app serving the W3C protocol
tests' three small graphs, not the project's graph: many of them are `SELECT * { ?s ?p ?o }`
with ORDER BY, whose answer over the whole graph is a minute of serializing, not of parsing.

The vendored suites hold query-syntax tests only. SPARQL Update is refused here whatever its
syntax (403: the endpoint is read-only), so an update-syntax suite would test the guard, not
the parser; any test type other than the four below fails the test instead of being skipped.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from api_testing import app_client
from fastapi.testclient import TestClient
from rdflib import RDF, Graph, Namespace
from rdflib.collection import Collection

from migkg.api.settings import Settings

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SYNTAX_DIR = Path(__file__).resolve().parent / "w3c" / "syntax"  # vendored, see w3c/syntax/ATTRIBUTION.md
POSITIVE = {MF.PositiveSyntaxTest, MF.PositiveSyntaxTest11}
NEGATIVE = {MF.NegativeSyntaxTest, MF.NegativeSyntaxTest11}

UNKNOWN_FUNCTION = "calls an extension function: no extension function is evaluated here (400 naming it)"
SERVICE_REFUSED = "calls SERVICE off the allow-list, which is empty by default (400, no request made)"

# Positive tests the endpoint refuses on purpose: test id → (status, words the answer must hold, why).
EXPECTED_REFUSALS: dict[str, tuple[int, str, str]] = {
    "sparql10/syntax-sparql1/syntax-expr-05.rq": (
        400,
        "Unknown function <http://example.org/ns#myFunc>",
        UNKNOWN_FUNCTION,
    ),
    "sparql10/syntax-sparql1/syntax-order-05.rq": (
        400,
        "Unknown function <http://example.org/ns#func>",
        UNKNOWN_FUNCTION,
    ),
    "sparql10/syntax-sparql1/syntax-order-06.rq": (
        400,
        "Unknown function <http://example.org/ns#func2>",
        UNKNOWN_FUNCTION,
    ),
    "sparql10/syntax-sparql2/syntax-function-01.rq": (
        400,
        "Unknown function <http://example.org/name>",
        UNKNOWN_FUNCTION,
    ),
    "sparql10/syntax-sparql2/syntax-function-02.rq": (
        400,
        "Unknown function <http://example.org/name>",
        UNKNOWN_FUNCTION,
    ),
    "sparql10/syntax-sparql2/syntax-function-03.rq": (
        400,
        "Unknown function <http://example.org/name>",
        UNKNOWN_FUNCTION,
    ),
    "sparql10/syntax-sparql2/syntax-function-04.rq": (
        400,
        "Unknown function <http://example.org/name>",
        UNKNOWN_FUNCTION,
    ),
    "sparql11/syntax-query/syntax-select-expr-04.rq": (
        400,
        "Unknown function <http://example/function>",
        UNKNOWN_FUNCTION,
    ),
    "sparql11/syntax-fed/syntax-service-01.rq": (400, "is not on this server's allow-list", SERVICE_REFUSED),
    "sparql11/syntax-fed/syntax-service-02.rq": (400, "is not on this server's allow-list", SERVICE_REFUSED),
    "sparql11/syntax-fed/syntax-service-03.rq": (400, "is not on this server's allow-list", SERVICE_REFUSED),
}

# Negative tests the engine accepts: test id → why.
EXPECTED_ACCEPTED: dict[str, str] = {
    "sparql10/syntax-sparql3/syn-bad-26.rq": (
        "Oxigraph reads `?x<?a&&?b>?y` as two comparisons; by the longest-token rule `<?a&&?b>` is an IRI, "
        "which makes the FILTER malformed"
    ),
}


@dataclass(frozen=True)
class SyntaxTest:
    id: str  # the query file's path under w3c/syntax/
    positive: bool
    query: str


def _manifest_tests(manifest: Path) -> list[SyntaxTest]:
    graph = Graph().parse(manifest, format="turtle")
    root = next(graph.subjects(MF.entries, None))
    tests = []
    for entry in Collection(graph, graph.value(root, MF.entries)):
        kind = graph.value(entry, RDF.type)
        assert kind in POSITIVE | NEGATIVE, f"{entry}: test type {kind} is not a query-syntax test"
        action = manifest.parent / str(graph.value(entry, MF.action)).rsplit("/", 1)[-1]
        tests.append(
            SyntaxTest(str(action.relative_to(SYNTAX_DIR)), kind in POSITIVE, action.read_text(encoding="utf-8"))
        )
    return tests


TESTS = [test for manifest in sorted(SYNTAX_DIR.glob("*/*/manifest.ttl")) for test in _manifest_tests(manifest)]


def test_the_suites_are_all_there() -> None:
    positive = sum(test.positive for test in TESTS)
    assert (positive, len(TESTS) - positive) == (215, 81)
    assert set(EXPECTED_REFUSALS) <= {test.id for test in TESTS if test.positive}
    assert set(EXPECTED_ACCEPTED) <= {test.id for test in TESTS if not test.positive}


@pytest.fixture(scope="module")
def small_client(w3c_build: Path) -> Iterator[TestClient]:
    with app_client(Settings(build_dir=w3c_build)) as client:
        yield client


@pytest.mark.parametrize("test", TESTS, ids=[test.id for test in TESTS])
def test_syntax(small_client: TestClient, test: SyntaxTest) -> None:
    response = small_client.post(
        "/sparql", content=test.query.encode(), headers={"content-type": "application/sparql-query"}
    )
    if test.id in EXPECTED_ACCEPTED:
        assert response.status_code == 200, response.text
    elif not test.positive:
        assert response.status_code == 400, response.text
    elif test.id in EXPECTED_REFUSALS:
        status, words, _reason = EXPECTED_REFUSALS[test.id]
        assert (response.status_code, words in response.text) == (status, True), response.text
    else:
        assert response.status_code == 200, response.text
