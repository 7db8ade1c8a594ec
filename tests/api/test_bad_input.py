"""Each bad input to /sparql gets one answer that says what to do, over HTTP."""

import socket
import threading

import httpx
import pytest
import uvicorn
from api_testing import LiveServer
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore

from migkg.api.app import create_app
from migkg.api.protocol import HTTPTOOLS_LONGEST_TARGET, HttpWithLongTargets
from migkg.api.settings import Settings

GCM = "https://w3id.org/migkg/id/gcm"
NOT_UTF8 = "is not valid UTF-8"
FORM = {"content-type": "application/x-www-form-urlencoded"}


def test_a_nesting_bomb_is_refused_before_the_engine(client: TestClient, settings: Settings) -> None:
    depth = settings.max_query_depth + 1
    for query in (
        "SELECT * WHERE " + "{ " * depth + "}" * depth,
        "ASK { FILTER(" + "(" * depth + "1" + ")" * depth + ") }",
    ):
        response = client.post("/sparql", data={"query": query})
        assert response.status_code == 400
        assert f"exceeds the limit {settings.max_query_depth} (MIGKG_MAX_QUERY_DEPTH)" in response.text
    bomb = "SELECT * WHERE " + "{ " * 2500 + "}" * 2500  # crashes the engine (test_engine_limits.py)
    assert client.post("/sparql", data={"query": bomb}).status_code == 400
    assert client.post("/sparql", data={"query": "ASK {}"}).status_code == 200


def test_the_service_description_states_the_nesting_limit(client: TestClient, settings: Settings) -> None:
    response = client.get("/sparql", headers={"accept": "application/n-triples"})
    assert f"deeper than {settings.max_query_depth} levels" in response.text


def test_invalid_utf8_is_400_wherever_it_comes(client: TestClient) -> None:
    responses = [
        client.get("/sparql?query=ASK%7B%7D%23%FF"),
        client.post("/sparql", content=b"query=ASK%7B%7D%23%FF", headers=FORM),
        client.post("/sparql", content=b"ASK{}#\xff", headers={"content-type": "application/sparql-query"}),
        client.post(
            "/sparql?default-graph-uri=%FF", content=b"ASK{}", headers={"content-type": "application/sparql-query"}
        ),
    ]
    for response in responses:
        assert response.status_code == 400 and NOT_UTF8 in response.text, response.text


def test_the_413_quotes_the_query_limit(client: TestClient, settings: Settings) -> None:
    body = ("ASK {} #" + "x" * (4 * settings.max_query_bytes)).encode()
    for headers in (FORM, {"content-type": "application/sparql-query"}):
        response = client.post("/sparql", content=body, headers=headers)
        assert response.status_code == 413
        assert f"limit of {settings.max_query_bytes} bytes (MIGKG_MAX_QUERY_BYTES)" in response.text


@pytest.fixture(scope="module")
def served_as_migkg_serve(settings: Settings):
    """uvicorn with the HTTP protocol `migkg serve` runs."""
    server = LiveServer(settings)
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=server.port, log_level="warning", http=HttpWithLongTargets
    )
    server.server = uvicorn.Server(config)
    server.thread = threading.Thread(target=server.server.run, daemon=True)
    with server:
        yield server


def test_a_get_too_long_for_the_http_parser_is_414_saying_to_post(served_as_migkg_serve, settings: Settings) -> None:
    query = "ASK {} #" + "é" * 11_000  # 22 KB of query, within the limit; 66 KB percent-encoded
    assert len(query.encode()) < settings.max_query_bytes
    encoded = "/sparql?" + str(httpx.QueryParams({"query": query}))
    assert len(encoded) > HTTPTOOLS_LONGEST_TARGET
    head = _raw_request(served_as_migkg_serve.port, f"GET {encoded} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    assert head.startswith(b"HTTP/1.1 414") and b"POST" in head
    posted = httpx.post(f"{served_as_migkg_serve.url}/sparql", data={"query": query})
    assert posted.status_code == 200
    short = httpx.get(f"{served_as_migkg_serve.url}/sparql", params={"query": "ASK {}"})
    assert short.status_code == 200


@pytest.mark.parametrize("accept", ["garbage", "text/csv;q=high", "*/json", "text/turtle,,;", "/"])
def test_a_malformed_accept_gets_the_default_format(client: TestClient, accept: str) -> None:
    response = client.get("/sparql", params={"query": "ASK {}"}, headers={"accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/sparql-results+json")


def test_a_well_formed_accept_with_no_format_here_is_still_406(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "ASK {}"}, headers={"accept": "application/foo"})
    assert response.status_code == 406


def test_the_timeout_503_says_when_to_retry(settings: Settings) -> None:
    from api_testing import ENDLESS_QUERY, app_client

    limits = {"query_timeout": 1.0, "max_concurrent_queries": 1, "retry_after": 9}
    with app_client(settings.model_copy(update=limits)) as client:
        response = client.get("/sparql", params={"query": ENDLESS_QUERY})
    assert response.status_code == 503 and response.headers["retry-after"] == "9"


@pytest.mark.parametrize(
    ("accept", "content_type"),
    [
        ("application/sparql-results+json", "application/ld+json"),
        ("application/sparql-results+xml", "application/rdf+xml"),
        ("application/sparql-results+json, text/turtle;q=0.5", "text/turtle"),  # an RDF format named wins
    ],
)
def test_a_graph_result_for_a_results_format_is_its_rdf_sibling(client: TestClient, accept, content_type) -> None:
    query = f"CONSTRUCT {{ <{GCM}> ?p ?o }} WHERE {{ <{GCM}> ?p ?o }}"
    response = client.get("/sparql", params={"query": query}, headers={"accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].startswith(content_type)


def test_rdflib_sparqlstore_in_json_gets_construct_and_describe(live_server) -> None:
    graph = Graph(store=SPARQLStore(f"{live_server.url}/sparql", returnFormat="json"))
    constructed = graph.query(f"CONSTRUCT {{ <{GCM}> ?p ?o }} WHERE {{ <{GCM}> ?p ?o }}").graph
    assert len(constructed) > 0 and set(constructed.subjects()) == {URIRef(GCM)}
    described = graph.query(f"DESCRIBE <{GCM}>").graph
    assert (URIRef(GCM), None, None) in described


def _raw_request(port: int, request: bytes) -> bytes:
    """Send bytes no HTTP client would, and read the answer's head and start of body."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(request)
        answer = b""
        while b"\r\n\r\n" not in answer or len(answer) < answer.index(b"\r\n\r\n") + 40:
            chunk = connection.recv(65536)
            if not chunk:
                break
            answer += chunk
    return answer
