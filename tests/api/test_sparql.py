"""/sparql on the real build: forms, formats, content negotiation, errors, read-only; on each backend."""

import json

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

BASE = "https://w3id.org/migkg/"
COUNT_GRAPHS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


@pytest.fixture(scope="module")
def client(backend: str, client: TestClient, request: pytest.FixtureRequest) -> TestClient:
    """Each test here runs on the embedded store and on Virtuoso (tests/api/virtuoso_testing.py)."""
    return client if backend == "embedded" else request.getfixturevalue("virtuoso_client")


def _solutions(response) -> list[dict]:
    assert response.status_code == 200, response.text
    return json.loads(response.text)["results"]["bindings"]


def test_get_post_form_and_post_direct_give_the_same_answer(client: TestClient) -> None:
    by_get = client.get("/sparql", params={"query": COUNT_GRAPHS})
    by_form = client.post("/sparql", data={"query": COUNT_GRAPHS})
    by_direct = client.post("/sparql", content=COUNT_GRAPHS, headers={"content-type": "application/sparql-query"})
    assert _solutions(by_get) == _solutions(by_form) == _solutions(by_direct)
    assert len(_solutions(by_get)) >= 3


def test_default_graph_is_the_union_of_the_named_graphs(client: TestClient) -> None:
    union = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"})
    per_graph = client.get(
        "/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o { GRAPH ?g { ?s ?p ?o } } }"}
    )
    assert _solutions(union)[0]["n"]["value"] == _solutions(per_graph)[0]["n"]["value"] != "0"


def test_default_and_named_graph_parameters_select_graphs(client: TestClient) -> None:
    sdg = BASE + "graph/sdg"
    only_sdg = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", "default-graph-uri": sdg})
    in_graph = client.get("/sparql", params={"query": f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{sdg}> {{ ?s ?p ?o }} }}"})
    assert _solutions(only_sdg) == _solutions(in_graph)
    named = client.get(
        "/sparql", params={"query": "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": sdg}
    )
    assert [row["g"]["value"] for row in _solutions(named)] == [sdg]


def test_from_clause_selects_a_graph_of_the_store(client: TestClient) -> None:
    sdg = BASE + "graph/sdg"
    with_from = client.get("/sparql", params={"query": f"SELECT (COUNT(*) AS ?n) FROM <{sdg}> {{ ?s ?p ?o }}"})
    in_graph = client.get("/sparql", params={"query": f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{sdg}> {{ ?s ?p ?o }} }}"})
    assert _solutions(with_from) == _solutions(in_graph)


def test_relative_iris_resolve_against_the_base(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "SELECT ?x { BIND(<id/gcm> AS ?x) }"})
    assert _solutions(response)[0]["x"]["value"] == BASE + "id/gcm"


@pytest.mark.parametrize(
    ("accept", "content_type", "results_format"),
    [
        ("application/sparql-results+json", "application/sparql-results+json", ox.QueryResultsFormat.JSON),
        ("application/sparql-results+xml", "application/sparql-results+xml", ox.QueryResultsFormat.XML),
        ("text/tab-separated-values", "text/tab-separated-values", ox.QueryResultsFormat.TSV),
        ("text/csv", "text/csv", None),
        (
            "text/csv;q=0.5, application/sparql-results+xml;q=0.9",
            "application/sparql-results+xml",
            ox.QueryResultsFormat.XML,
        ),
        ("text/*;q=0.3, */*;q=0.1", "text/csv", None),
        (None, "application/sparql-results+json", ox.QueryResultsFormat.JSON),
    ],
)
def test_select_results_in_every_format(client: TestClient, accept, content_type, results_format) -> None:
    headers = {"accept": accept} if accept else {}
    response = client.get("/sparql", params={"query": COUNT_GRAPHS}, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == content_type
    assert "Accept" in response.headers["vary"]
    if results_format is not None:
        assert len(list(ox.parse_query_results(response.content, results_format))) >= 3
    else:
        assert response.text.splitlines()[0] == "g,n"


@pytest.mark.parametrize(
    ("accept", "rdf_format"),
    [
        ("text/turtle", ox.RdfFormat.TURTLE),
        ("application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/n-quads", ox.RdfFormat.N_QUADS),
        ("application/trig", ox.RdfFormat.TRIG),
        ("application/ld+json", ox.RdfFormat.JSON_LD),
        ("application/rdf+xml", ox.RdfFormat.RDF_XML),
    ],
)
def test_construct_results_in_every_graph_format(client: TestClient, accept, rdf_format) -> None:
    query = "CONSTRUCT { ?s a ?type } WHERE { GRAPH ?g { ?s a ?type } } LIMIT 20"
    response = client.get("/sparql", params={"query": query}, headers={"accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == rdf_format.media_type
    triples = list(ox.parse(response.content, format=rdf_format))
    assert len(triples) == 20


def test_describe_and_ask(client: TestClient) -> None:
    described = client.get("/sparql", params={"query": f"DESCRIBE <{BASE}id/gcm>"}, headers={"accept": "text/turtle"})
    assert described.status_code == 200 and BASE + "id/gcm" in described.text
    asked = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert json.loads(asked.text)["boolean"] is True


def test_no_acceptable_format_is_406(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": COUNT_GRAPHS}, headers={"accept": "image/png"})
    assert response.status_code == 406
    assert "application/sparql-results+json" in response.text
    ask_as_csv = client.get("/sparql", params={"query": "ASK {}"}, headers={"accept": "text/turtle"})
    assert ask_as_csv.status_code == 406


def test_malformed_query_is_400_with_the_parser_message(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "SELECT ?s WHERE { ?s ?p }"})
    assert response.status_code == 400
    assert "Malformed query" in response.text and "error at 1:" in response.text


@pytest.mark.parametrize("content_type", ["text/plain", "application/json", None])
def test_wrong_media_type_is_415(client: TestClient, content_type) -> None:
    headers = {"content-type": content_type} if content_type else {}
    response = client.post("/sparql", content=b"ASK {}", headers=headers)
    assert response.status_code == 415
    assert "application/sparql-query" in response.text


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "CLEAR ALL",
        "DROP GRAPH <https://w3id.org/migkg/graph/sdg>",
        "LOAD <http://example.org/data.ttl>",
        "DELETE WHERE { ?s ?p ?o }",
    ],
)
def test_every_update_is_refused_and_changes_nothing(client: TestClient, update: str) -> None:
    before = client.get("/sparql", params={"query": COUNT_GRAPHS}).text
    attempts = [
        client.post("/sparql", content=update, headers={"content-type": "application/sparql-update"}),
        client.post("/sparql", data={"update": update}),
        client.post("/sparql", data={"query": update}),
        client.post("/sparql", content=update, headers={"content-type": "application/sparql-query"}),
        client.get("/sparql", params={"update": update}),
        client.get("/sparql", params={"query": update}),
    ]
    for response in attempts:
        assert 400 <= response.status_code < 500, response.text
        assert "read-only" in response.text
    assert client.get("/sparql", params={"query": COUNT_GRAPHS}).text == before


def test_other_methods_are_405_listing_every_method_served(client: TestClient) -> None:
    for answer in (client.put("/sparql", content=b"ASK {}"), client.delete("/sparql"), client.patch("/sparql/")):
        assert answer.status_code == 405
        assert {m.strip() for m in answer.headers["allow"].split(",")} == {"GET", "HEAD", "POST"}


def test_the_openapi_description_still_lists_the_endpoint(client: TestClient) -> None:
    described = client.get("/openapi.json").json()["paths"]["/sparql"]
    assert {"get", "post"} <= set(described)


def test_two_queries_are_400(client: TestClient) -> None:
    response = client.get("/sparql?query=ASK%20%7B%7D&query=ASK%20%7B%7D")
    assert response.status_code == 400 and "one query" in response.text
