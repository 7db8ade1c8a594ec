"""What other SPARQL engines send when a query of theirs calls migkg in a SERVICE clause, and when
they query it directly: the Accept headers as their sources build them, each answered in a format
that client reads, with the right rows. Over real HTTP (uvicorn).

- Apache Jena ARQ (`org.apache.jena.riot.web.WebContent`): `defaultSparqlResultsHeader` for SELECT,
  `defaultSparqlAskHeader` for ASK, `defaultGraphAcceptHeader` for CONSTRUCT and DESCRIBE; its
  SERVICE sends the inner pattern as `SELECT * WHERE { … }` by GET.
- Comunica (`fetch-sparql-endpoint`'s `SparqlEndpointFetcher`): `CONTENTTYPE_SPARQL` for bindings
  and booleans, `text/turtle` for triples; it reads the response's media type before any `;`.
"""

import httpx
import pytest
from rdflib import Graph

JENA_SELECT = (
    "application/sparql-results+json,application/sparql-results+xml;q=0.9,text/tab-separated-values;q=0.7,"
    "text/csv;q=0.5,application/json;q=0.2,application/xml;q=0.2,*/*;q=0.1"
)
JENA_ASK = (
    "application/sparql-results+json,application/sparql-results+xml;q=0.9,application/json;q=0.2,"
    "application/xml;q=0.2,*/*;q=0.1"
)
JENA_GRAPH = "text/turtle,application/n-triples;q=0.9,application/ld+json;q=0.8,application/rdf+xml;q=0.7,*/*;q=0.3"
COMUNICA_SPARQL = "application/sparql-results+json;q=1.0,application/sparql-results+xml;q=0.7"
COMUNICA_TRIPLES = "text/turtle"

OBJECTIVE = "https://w3id.org/migkg/id/gcm/objective/4"
# the inner pattern of `SERVICE <…/sparql> { ?action mig:actionOf <objective 4> }`, as ARQ sends it
ACTIONS = f"SELECT * WHERE {{ ?action <https://w3id.org/migkg/ontology#actionOf> <{OBJECTIVE}> }}"
IS_OBJECTIVE = f"ASK {{ <{OBJECTIVE}> a <https://w3id.org/migkg/ontology#Objective> }}"
DESCRIBE = f"DESCRIBE <{OBJECTIVE}>"


def _media_type(response: httpx.Response) -> str:
    return response.headers["content-type"].split(";")[0]


def _actions(live_server, send) -> list[str]:
    response = send(ACTIONS)
    assert response.status_code == 200, response.text
    assert _media_type(response) == "application/sparql-results+json"
    return sorted(row["action"]["value"] for row in response.json()["results"]["bindings"])


@pytest.mark.parametrize("accept", [JENA_SELECT, COMUNICA_SPARQL], ids=["jena", "comunica"])
def test_a_service_call_gets_json_results_with_the_rows(live_server, accept: str) -> None:
    def get(query: str) -> httpx.Response:
        return httpx.get(f"{live_server.url}/sparql", params={"query": query}, headers={"accept": accept})

    def post(query: str) -> httpx.Response:  # Comunica posts a form once the GET URL would be long
        return httpx.post(f"{live_server.url}/sparql", data={"query": query}, headers={"accept": accept})

    actions = _actions(live_server, get)
    # the booklet letters objective 4's associated actions a. to g.
    assert [action.rsplit("/", 1)[1] for action in actions] == list("abcdefg")
    assert _actions(live_server, post) == actions


@pytest.mark.parametrize("accept", [JENA_ASK, COMUNICA_SPARQL], ids=["jena", "comunica"])
def test_an_ask_gets_a_json_boolean(live_server, accept: str) -> None:
    response = httpx.get(f"{live_server.url}/sparql", params={"query": IS_OBJECTIVE}, headers={"accept": accept})
    assert response.status_code == 200 and _media_type(response) == "application/sparql-results+json"
    assert response.json()["boolean"] is True


@pytest.mark.parametrize("accept", [JENA_GRAPH, COMUNICA_TRIPLES], ids=["jena", "comunica"])
def test_a_describe_gets_turtle_that_parses(live_server, accept: str) -> None:
    response = httpx.get(f"{live_server.url}/sparql", params={"query": DESCRIBE}, headers={"accept": accept})
    assert response.status_code == 200 and _media_type(response) == "text/turtle"
    graph = Graph().parse(data=response.text, format="turtle")
    assert any(str(s) == OBJECTIVE for s in graph.subjects())
