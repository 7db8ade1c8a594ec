"""Parse errors a person can read: position, the quoted line with a caret, and a reason.

The engine's own messages are made by parsing with pyoxigraph here (a malformed query is never
evaluated); two requests check that /sparql answers with them.
"""

import re

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from test_w3c_syntax import EXPECTED_ACCEPTED, TESTS

from migkg.api.syntax_errors import readable, unknown_function

NEGATIVE = [test for test in TESTS if not test.positive and test.id not in EXPECTED_ACCEPTED]
QUERIES = {test.id: test.query for test in TESTS}
HEADLINE = re.compile(r"error at (\d+):(\d+): (.+)")


def engine_message(query: str) -> str:
    with pytest.raises(SyntaxError) as raised:
        ox.Store().query(query, base_iri="https://w3id.org/migkg/")
    return str(raised.value)


def headline_line_caret(message: str) -> tuple[re.Match, str, str]:
    headline, line, caret = message.split("\n")
    return HEADLINE.fullmatch(headline), line.removeprefix("    "), caret.removeprefix("    ")


def test_the_negative_tests_are_80() -> None:
    assert len(NEGATIVE) == 80


@pytest.mark.parametrize("test", NEGATIVE, ids=[test.id for test in NEGATIVE])
def test_every_negative_test_gets_a_position_a_line_a_caret_and_a_reason(test) -> None:
    message = readable(engine_message(test.query), test.query)
    headline, line, caret = headline_line_caret(message)
    assert headline is not None, message
    assert "expected OPTIONAL" not in message and "<unreported>" not in message
    assert caret.strip() == "^" and len(caret) == int(headline[2]), message
    assert line == ox_decoded(test.query).split("\n")[int(headline[1]) - 1]


def ox_decoded(query: str) -> str:
    """The query as the engine reads it: \\u escapes of Unicode scalar values decoded once."""

    def decode(escape: re.Match) -> str:
        code_point = int(escape[0][2:], 16)
        return escape[0] if 0xD800 <= code_point <= 0xDFFF else chr(code_point)

    return re.sub(r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}", decode, query)


READABLE_W3C = {
    # The engine says "error at 4:23: expected OPTIONAL", eight characters past the mistake (a missing ".").
    "sparql10/syntax-sparql3/syn-bad-02.rq": "error at 4:15: unexpected ':s2' here",
    "sparql10/syntax-sparql3/syn-bad-16.rq": "error at 4:6: unexpected ';' here",
    "sparql10/syntax-sparql3/syn-bad-lone-node.rq": "error at 2:20: unexpected '}' here",
    "sparql10/syntax-sparql3/syn-bad-empty-optional-01.rq": "error at 2:21: unexpected 'FILTER' here",
    "sparql10/syntax-sparql3/syn-bad-01.rq": "error at 3:9: the query ends too early",
    "sparql11/syntax-query/syn-bad-05.rq": "error at 1:8: unexpected 'COUNT' here",
    "sparql11/syntax-query/syntax-bindings-09.rq": "error at 1:14: unexpected 'BINDINGS' here",
    "sparql11/syntax-query/syn-bad-values-too-few.rq": "error at 1:39: unexpected '}' here",
    # The engine's own rules keep its words and its position.
    "sparql11/syntax-query/syntax-SELECTscope2.rq": "The SELECT overrides an existing variable using an expression",
    "sparql11/syntax-query/syn-bad-03.rq": "Duplicated variable name in SELECT",
}


@pytest.mark.parametrize(("test_id", "expected"), READABLE_W3C.items())
def test_w3c_negative_tests_read_well(test_id: str, expected: str) -> None:
    query = QUERIES[test_id]
    assert expected in readable(engine_message(query), query).split("\n")[0]


def test_a_reused_blank_node_label_is_named() -> None:
    query = QUERIES["sparql10/syntax-sparql4/syn-bad-34.rq"]
    headline, line, _caret = headline_line_caret(readable(engine_message(query), query))
    assert (headline[1], headline[2]) == ("5", "25")  # the engine's position: where it checks the labels
    assert headline[3].startswith("the blank node label _:a is used where it may not be")
    assert line == "  _:a ?p ?v . { _:a ?q 1 }"


HAND_WRITTEN = [
    ("SELECT * WHERE { ?s ?p ?o . . }", "error at 1:29: unexpected '.' here"),
    ("SELECT * WHERE { ?s ?p ?o } LIMT 5", "error at 1:29: unexpected 'LIMT' here"),
    ("SELEC * WHERE { ?s ?p ?o }", "error at 1:1: unexpected 'SELEC' here"),
    ("SELECT * WHERE { ?s ?p ?o FILTER(?o > ) }", "error at 1:39: unexpected ')' here"),
    ("SELECT * WHERE { ?s ?p ?o } }", "error at 1:29: unexpected '}' here"),
    ("SELECT (COUNT(?s) AS ?n WHERE { ?s ?p ?o }", "error at 1:25: unexpected 'WHERE' here"),
    ("SELECT * WHERE { ?s ?p ?o ", "error at 1:26: the query ends too early: a '}' is missing"),
    ("SELECT * WHERE { ?s ?p 'abc }", "error at 1:30: the query ends too early: a string is not closed"),
    ("SELECT * WHERE { ?s foo:p ?o }", "unknown prefix 'foo:': declare it with PREFIX foo: <…>"),
]


@pytest.mark.parametrize(("query", "expected"), HAND_WRITTEN)
def test_hand_written_mistakes_read_well(query: str, expected: str) -> None:
    assert expected in readable(engine_message(query), query).split("\n")[0]


def test_the_caret_stands_under_the_column_with_tabs_kept() -> None:
    query = "PREFIX ex: <http://example.org/>\nSELECT * WHERE {\n\t?s ex:p ?o\n\t?s ex:q ?r }"
    message = readable(engine_message(query), query)
    assert message == "error at 4:2: unexpected '?s' here\n    \t?s ex:q ?r }\n    \t^"


def test_other_messages_pass_unchanged() -> None:
    assert readable("something else went wrong", "ASK {}") == "something else went wrong"


def test_unknown_function_names_it() -> None:
    refusal = unknown_function("The custom function <http://example.org/f> is not supported")
    assert refusal is not None and refusal.startswith("Unknown function <http://example.org/f>:")
    assert unknown_function("failed to lookup address information") is None


def test_sparql_answers_a_malformed_query_readably(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o ?x }"})
    assert response.status_code == 400
    assert response.text.startswith("Malformed query: error at 1:27: unexpected '?x' here\n")
    assert "\n    SELECT * WHERE { ?s ?p ?o ?x }\n" + " " * 30 + "^" in response.text


def test_sparql_refuses_an_unknown_function_with_400(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "SELECT (<http://example.org/f>(1) AS ?x) {}"})
    assert response.status_code == 400
    assert "Unknown function <http://example.org/f>" in response.text
