"""SERVICE <https://w3id.org/migkg/search>: the full-text index inside SPARQL, answered by the server."""

import json

import pytest
from fastapi.testclient import TestClient

PROLOGUE = """PREFIX search: <https://w3id.org/migkg/search#>
PREFIX mig: <https://w3id.org/migkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
THAILAND_PRACTICE = (
    "https://w3id.org/migkg/id/practice/birth-registration-programming-thailand-s-civil-registration-act-2008"
)


def _rows(client: TestClient, query: str) -> list[dict]:
    response = client.post("/sparql", data={"query": PROLOGUE + query})
    assert response.status_code == 200, response.text
    return json.loads(response.text)["results"]["bindings"]


def _refusal(client: TestClient, query: str) -> str:
    response = client.post("/sparql", data={"query": PROLOGUE + query})
    assert response.status_code == 400, response.text
    return response.text


def test_hits_join_the_graph_like_any_pattern(client: TestClient) -> None:
    rows = _rows(
        client,
        """SELECT ?practice ?score ?snippet ?country WHERE {
             SERVICE <https://w3id.org/migkg/search> {
               ?practice search:query "birth registration" ; search:type mig:Practice ;
                         search:score ?score ; search:snippet ?snippet .
             }
             ?practice mig:implementedInCountry ?country .
           }""",
    )
    by_practice = {row["practice"]["value"]: row for row in rows}
    thailand = by_practice[THAILAND_PRACTICE]
    assert thailand["country"]["value"] == "https://w3id.org/migkg/id/place/country/TH"
    assert thailand["score"]["datatype"] == "http://www.w3.org/2001/XMLSchema#double"
    assert float(thailand["score"]["value"]) > 0
    assert "Birth registration does not confer nationality" in thailand["snippet"]["value"]
    assert "<mark>" not in thailand["snippet"]["value"]


def test_the_same_hits_in_the_same_order_as_api_search(client: TestClient) -> None:
    rows = _rows(
        client,
        """SELECT ?hit ?score WHERE {
             SERVICE <https://w3id.org/migkg/search> {
               ?hit search:query "health" ; search:type "Action", "Practice" ; search:limit 15 ; search:score ?score
             }
           } ORDER BY DESC(?score)""",
    )
    api = client.get("/api/search", params={"q": "health", "type": ["Action", "Practice"], "limit": 15}).json()
    assert [row["hit"]["value"] for row in rows] == [item["id"] for item in api["items"]]
    assert len(rows) == 15


def test_limit_offset_and_a_prefixed_target_inside_optional(client: TestClient) -> None:
    query = """PREFIX site: <https://w3id.org/migkg/>
      SELECT ?hit WHERE {{ OPTIONAL {{ SERVICE site:search {{
        ?hit search:query "sendai" ; search:limit 2 ; search:score ?score {} }} }} }} ORDER BY DESC(?score)"""
    first_two = [row["hit"]["value"] for row in _rows(client, query.format(""))]
    second = [row["hit"]["value"] for row in _rows(client, query.format("; search:offset 1"))]
    assert len(first_two) == len(second) == 2 and second[0] == first_two[1]
    assert "https://w3id.org/migkg/id/place/city/sendai" in first_two


def test_a_search_without_hits_gives_no_rows(client: TestClient) -> None:
    query = 'SELECT ?hit WHERE { SERVICE <https://w3id.org/migkg/search> { ?hit search:query "zzyzxq" } }'
    assert _rows(client, query) == []


@pytest.mark.parametrize(
    ("block", "reason"),
    [
        ('?hit search:qery "x"', "search#qery> is not one of its terms"),
        ("?hit search:score ?score", "it needs search:query"),
        ('?hit search:query "x" FILTER(true)', "only triple patterns"),
        ('?hit search:query "x" . ?other search:query "y"', "same variable as subject"),
        ('?hit search:query "x" ; search:limit "ten"', "search:limit must be an integer"),
        ('?hit search:query "x" ; search:score "high"', "search:score must be a variable"),
        ('?hit search:query "x" ; search:type "Planet"', "unknown type 'Planet'"),
        ('?hit search:query "!!"', "no words to search for"),
    ],
)
def test_a_block_that_is_not_a_search_is_refused_with_its_reason(client: TestClient, block: str, reason: str) -> None:
    message = _refusal(client, f"SELECT * WHERE {{ SERVICE <https://w3id.org/migkg/search> {{ {block} }} }}")
    assert message.startswith("SERVICE <https://w3id.org/migkg/search>: ")
    assert reason in message


def test_silent_turns_a_search_that_cannot_run_into_no_hits(client: TestClient) -> None:
    query = 'SELECT ?hit WHERE { SERVICE SILENT <https://w3id.org/migkg/search> { ?hit search:query "!!" } }'
    assert _rows(client, query) == []


def test_braces_and_the_word_service_in_strings_and_comments_do_not_confuse_the_block(client: TestClient) -> None:
    query = """SELECT ?hit ?label WHERE {
      SERVICE <https://w3id.org/migkg/search> # SERVICE { in a comment
      { ?hit search:query "} Sendai {" ; # } SERVICE {
             search:limit 1 }
      ?hit rdfs:label ?label .
    }"""
    assert len(_rows(client, query)) == 1


def test_a_call_the_server_cannot_read_is_refused_not_sent(client: TestClient) -> None:
    # \\u0053 is "S": the engine would read SERVICE, the server's scanner does not.
    query = r'SELECT * WHERE { \u0053ERVICE <https://w3id.org/migkg/search> { ?hit search:query "sendai" } }'
    message = _refusal(client, query)
    assert "SERVICE <https://w3id.org/migkg/search> is not on this server's allow-list" in message
    assert "no request was made" in message
