"""Linked data and self-description on the real build: /id/…, /ontology, VoID, downloads, the
service description, the SIB sparql-examples and YASGUI."""

import hashlib
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from migkg.queries import query_files

BASE = "https://w3id.org/migkg/"
SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def _triples(response, fmt: ox.RdfFormat = ox.RdfFormat.TURTLE) -> list[ox.Triple]:
    assert response.status_code == 200, response.text
    return list(ox.parse(response.content, format=fmt))


def _objects(triples, subject: str | None, predicate: str) -> list[str]:
    return [
        t.object.value
        for t in triples
        if t.predicate.value == predicate and (subject is None or t.subject.value == subject)
    ]


def _provenance_resource(client: TestClient) -> tuple[str, str, str]:
    """A resource of the build with a provenance quote: (IRI, quote, document IRI)."""
    query = """PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT ?r ?quote ?doc WHERE { ?a oa:hasBody ?r ; oa:motivatedBy oa:describing ; oa:hasTarget ?t . ?t oa:hasSource ?doc ;
        oa:hasSelector/oa:exact ?quote FILTER(STRSTARTS(STR(?r), "https://w3id.org/migkg/id/") && STR(?a) = CONCAT(STR(?r), "#provenance")) }
        ORDER BY ?r LIMIT 1"""
    row = client.get("/sparql", params={"query": query}).json()["results"]["bindings"][0]
    return row["r"]["value"], row["quote"]["value"], row["doc"]["value"]


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("text/turtle", ox.RdfFormat.TURTLE),
        ("application/ld+json", ox.RdfFormat.JSON_LD),
        ("application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/rdf+xml", ox.RdfFormat.RDF_XML),
    ],
)
def test_resource_iris_resolve_to_rdf_by_accept(client: TestClient, accept, fmt) -> None:
    iri, _, _ = _provenance_resource(client)
    response = client.get("/" + iri.removeprefix(BASE), headers={"accept": accept})
    triples = _triples(response, fmt)
    assert response.headers["content-type"].split(";")[0] == fmt.media_type
    assert "Accept" in response.headers["vary"]
    assert any(t.subject.value == iri for t in triples)
    assert any(t.subject.value == iri + "#provenance" for t in triples), "provenance travels with the resource"


def test_resource_html_page_shows_label_types_links_and_provenance(client: TestClient) -> None:
    iri, quote, document = _provenance_resource(client)
    response = client.get("/" + iri.removeprefix(BASE), headers={"accept": BROWSER})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = response.text
    assert iri in page
    assert str(escape(quote[:40])) in page
    assert 'href="/' + document.removeprefix(BASE) + '"' in page
    assert '<p class="kind">' in page and "All properties" in page


def test_framework_page_lists_incoming_links(client: TestClient) -> None:
    page = client.get("/id/gcm", headers={"accept": BROWSER}).text
    assert "Linked from" in page


def test_unknown_iri_is_a_helpful_404(client: TestClient) -> None:
    response = client.get("/id/gcm/objective/999", headers={"accept": "text/turtle"})
    assert response.status_code == 404
    assert f"<{BASE}id/gcm/objective/999>" in response.text
    assert f"<{BASE}id/gcm/objective/" in response.text, "suggests resources nearby"
    html = client.get("/id/no-such-thing", headers={"accept": BROWSER})
    assert html.status_code == 404 and "/sparql" in html.text


def test_service_description_by_conneg(client: TestClient) -> None:
    for accept, fmt in (
        ("text/turtle", ox.RdfFormat.TURTLE),
        ("application/ld+json", ox.RdfFormat.JSON_LD),
        ("application/rdf+xml", ox.RdfFormat.RDF_XML),
    ):
        response = client.get("/sparql", headers={"accept": accept})
        triples = _triples(response, fmt)
        endpoint = "http://testserver/sparql"
        assert _objects(triples, endpoint, SD + "endpoint") == [endpoint]  # matches the URL asked
        assert SD + "SPARQL11Query" in _objects(triples, endpoint, SD + "supportedLanguage")
        assert "http://www.w3.org/ns/formats/SPARQL_Results_CSV" in _objects(triples, endpoint, SD + "resultFormat")
        assert BASE + "graph/sdg" in _objects(triples, None, SD + "name")
    assert client.get("/sparql", headers={"accept": "image/png"}).status_code == 406


def test_service_description_conforms_to_its_schema(client: TestClient) -> None:
    """Every term used from the sd: namespace exists in the W3C's service description vocabulary."""
    terms = {
        "Service",
        "endpoint",
        "supportedLanguage",
        "SPARQL11Query",
        "feature",
        "UnionDefaultGraph",
        "BasicFederatedQuery",
        "resultFormat",
        "defaultDataset",
        "Dataset",
        "defaultGraph",
        "Graph",
        "namedGraph",
        "NamedGraph",
        "name",
    }
    triples = _triples(client.get("/sparql", headers={"accept": "text/turtle"}))
    used = {
        term.value.removeprefix(SD)
        for t in triples
        for term in (t.predicate, t.object)
        if isinstance(term, ox.NamedNode) and term.value.startswith(SD)
    }
    assert used <= terms


def test_void_counts_match_the_store(client: TestClient) -> None:
    triples = _triples(client.get("/.well-known/void", headers={"accept": "text/turtle"}))
    dataset = BASE + "dataset"
    total = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"}).json()
    assert _objects(triples, dataset, VOID + "triples") == [total["results"]["bindings"][0]["n"]["value"]]
    assert _objects(triples, dataset, VOID + "sparqlEndpoint") == ["http://testserver/sparql"]
    assert _objects(triples, dataset, VOID + "uriSpace") == [BASE + "id/"]
    assert _objects(triples, dataset, VOID + "classPartition") and _objects(
        triples, dataset, VOID + "propertyPartition"
    )
    assert BASE + "graph/sdg" in _objects(triples, dataset, VOID + "subset")
    assert _objects(triples, dataset, VOID + "dataDump")


def test_downloads_list_the_build_files_with_checksums(client: TestClient, build_dir: Path) -> None:
    listing = client.get("/downloads").json()
    info = json.loads((build_dir / "build-info.json").read_text())
    assert listing["version"] == info["version"] and listing["files"]
    first = listing["files"][0]
    body = client.get(f"/downloads/{first['name']}").content
    assert len(body) == first["size"] and hashlib.sha256(body).hexdigest() == first["sha256"]
    assert client.get("/downloads", headers={"accept": BROWSER}).headers["content-type"].startswith("text/html")
    assert client.get("/downloads/..%2Fpyproject.toml").status_code == 404
    assert client.get("/downloads/store").status_code == 404


def test_ontology_as_rdf_and_as_pylode_html(client: TestClient) -> None:
    triples = _triples(client.get("/ontology", headers={"accept": "text/turtle"}))
    assert any(t.object.value == "http://www.w3.org/2002/07/owl#Ontology" for t in triples)
    html = client.get("/ontology", headers={"accept": BROWSER})
    assert html.status_code == 200 and "pyLODE" in html.text and "Objective" in html.text


def test_sparql_examples_are_published_and_all_run(client: TestClient) -> None:
    sh = "http://www.w3.org/ns/shacl#"
    triples = _triples(client.get("/.well-known/sparql-examples", headers={"accept": "text/turtle"}))
    files = query_files("examples")
    selects = _objects(triples, None, sh + "select")
    assert len(selects) == len(files) >= 5
    assert len(_objects(triples, None, "https://schema.org/target")) == len(files)
    assert all(text for text in _objects(triples, None, "http://www.w3.org/2000/01/rdf-schema#comment"))
    for query in selects:
        assert client.post("/sparql", data={"query": query}).status_code == 200, query


def test_a_browser_on_sparql_gets_yasgui_with_the_examples(client: TestClient) -> None:
    page = client.get("/sparql", headers={"accept": BROWSER})
    assert page.status_code == 200 and "new Yasgui(" in page.text
    assert "gcm-objectives" in page.text
    script = client.get("/static/node_modules/@zazuko/yasgui/build/yasgui.min.js")
    assert script.status_code == 200 and len(script.content) > 100_000, "YASGUI is served from the project"


def test_an_iri_of_earlier_releases_redirects_permanently_to_the_whole_name(client: TestClient) -> None:
    # The Sendai Framework's earlier IRI ran "2015–2030" together; its resources-list entry had one too.
    for earlier in (
        "/id/instrument/sendai-framework-for-disaster-risk-reduction-20152030",
        "/id/gcm/resource/sendai-framework-for-disaster-risk-reduction",
    ):
        for accept in ("text/turtle", "text/html"):
            response = client.get(earlier, headers={"Accept": accept}, follow_redirects=False)
            assert response.status_code == 301, (earlier, accept)
            assert (
                response.headers["location"] == "/id/instrument/sendai-framework-for-disaster-risk-reduction-2015-2030"
            )
    page = client.get(
        "/id/instrument/sendai-framework-for-disaster-risk-reduction-2015-2030", headers={"Accept": "text/turtle"}
    )
    assert page.status_code == 200 and "www.unisdr.org/we/coordinate/sendai-framework" in page.text
