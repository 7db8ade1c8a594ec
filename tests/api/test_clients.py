"""Real clients over real HTTP: SPARQLWrapper, rdflib's SPARQLStore, a federated SERVICE from rdflib,
plus the HTTP-level rules (HEAD, CORS, ETag / Last-Modified / Cache-Control) against uvicorn."""

import csv
import io

import httpx
import pytest
from api_testing import LiveServer, free_port
from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, POST, TURTLE, SPARQLWrapper

from migkg.api.settings import Settings

GCM = "https://w3id.org/migkg/id/gcm"
GRAPHS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"


def _graph_counts(live_server) -> dict[str, int]:
    response = httpx.post(f"{live_server.url}/sparql", data={"query": GRAPHS}, headers={"accept": "text/csv"})
    return {row["g"]: int(row["n"]) for row in csv.DictReader(io.StringIO(response.text))}


def test_curl_style_csv_request(live_server) -> None:
    """What the README promises: a form-encoded POST with Accept: text/csv."""
    counts = _graph_counts(live_server)
    assert counts and all(n > 0 for n in counts.values())


def test_sparqlwrapper_get_and_post(live_server) -> None:
    for method in ("GET", POST):
        client = SPARQLWrapper(f"{live_server.url}/sparql")
        client.setMethod(method)
        client.setQuery(GRAPHS)
        client.setReturnFormat(JSON)
        bindings = client.query().convert()["results"]["bindings"]
        assert {b["g"]["value"]: int(b["n"]["value"]) for b in bindings} == _graph_counts(live_server)


def test_sparqlwrapper_csv_and_construct(live_server) -> None:
    client = SPARQLWrapper(f"{live_server.url}/sparql")
    client.setQuery(GRAPHS)
    client.setReturnFormat(CSV)
    assert client.query().convert().decode().splitlines()[0] == "g,n"
    client.setQuery(f"CONSTRUCT {{ <{GCM}> ?p ?o }} WHERE {{ <{GCM}> ?p ?o }}")
    client.setReturnFormat(TURTLE)
    graph = Graph().parse(data=client.query().convert(), format="turtle")
    assert len(graph) > 0 and all(s == URIRef(GCM) for s in graph.subjects())


def test_rdflib_sparqlstore(live_server) -> None:
    graph = Graph(store=SPARQLStore(f"{live_server.url}/sparql", returnFormat="json"))
    rows = list(graph.query(GRAPHS))
    assert {str(g): int(n) for g, n in rows} == _graph_counts(live_server)
    assert (URIRef(GCM), None, None) in graph


def test_federated_service_query_from_rdflib(live_server) -> None:
    """rdflib evaluates SERVICE itself: it calls our endpoint over HTTP and joins locally."""
    local = Graph()
    local.add((URIRef("urn:local"), URIRef("urn:about"), URIRef(GCM)))
    query = f"""
        SELECT ?thing (COUNT(?p) AS ?statements) WHERE {{
          <urn:local> <urn:about> ?thing .
          SERVICE <{live_server.url}/sparql> {{ ?thing ?p ?o }}
        }} GROUP BY ?thing"""
    rows = list(local.query(query))
    assert len(rows) == 1 and str(rows[0][0]) == GCM and int(rows[0][1]) > 0


def test_allow_listed_federation_between_two_servers(settings: Settings, live_server) -> None:
    """Our server calls an allow-listed peer (the other live server) for a SERVICE clause."""
    peer = f"{live_server.url}/sparql"
    with LiveServer(settings.model_copy(update={"service_allowlist": [peer]})) as server:
        query = f"SELECT (COUNT(*) AS ?n) WHERE {{ SERVICE <{peer}> {{ <{GCM}> ?p ?o }} }}"
        response = httpx.post(f"{server.url}/sparql", data={"query": query}, timeout=60)
        assert response.status_code == 200, response.text
        assert int(response.json()["results"]["bindings"][0]["n"]["value"]) > 0


def test_head_answers_headers_without_a_body(live_server) -> None:
    for path, params in (("/sparql", {"query": "ASK {}"}), ("/id/gcm", {}), ("/downloads", {}), ("/sparql", {})):
        get = httpx.get(f"{live_server.url}{path}", params=params, headers={"accept": "text/turtle, */*;q=0.1"})
        head = httpx.head(f"{live_server.url}{path}", params=params, headers={"accept": "text/turtle, */*;q=0.1"})
        assert head.status_code == get.status_code == 200
        assert head.content == b""
        assert head.headers["content-type"] == get.headers["content-type"]
        assert head.headers["etag"] == get.headers["etag"]


def test_cors_allows_any_origin_without_credentials(live_server) -> None:
    origin = {"origin": "https://example.org"}
    response = httpx.get(f"{live_server.url}/sparql", params={"query": "ASK {}"}, headers=origin)
    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers
    preflight = httpx.options(
        f"{live_server.url}/sparql",
        headers={**origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type"},
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "POST" in preflight.headers["access-control-allow-methods"]


def test_etag_last_modified_and_cache_control_come_from_the_build(live_server, build_dir) -> None:
    import json

    version = json.loads((build_dir / "build-info.json").read_text())["version"]
    url = f"{live_server.url}/sparql"
    response = httpx.get(url, params={"query": "ASK {}"})
    assert response.headers["etag"].startswith(f'W/"{version[:32]}-')
    assert response.headers["last-modified"].endswith("GMT")
    assert "max-age=" in response.headers["cache-control"]
    cached = httpx.get(url, params={"query": "ASK {}"}, headers={"if-none-match": response.headers["etag"]})
    assert cached.status_code == 304 and cached.content == b""
    other_format = httpx.get(url, params={"query": "ASK {}"}, headers={"accept": "application/sparql-results+xml"})
    assert other_format.headers["etag"] != response.headers["etag"]


@pytest.mark.parametrize("port", [free_port()])
def test_serve_starts_uvicorn_on_the_given_port(port: int, build_dir, monkeypatch) -> None:
    """migkg.api.serve is what `migkg serve` calls; run it in a thread and query it."""
    import threading
    import time

    import uvicorn

    from migkg.api import serve

    monkeypatch.setenv("MIGKG_BUILD_DIR", str(build_dir))
    servers: list[uvicorn.Server] = []
    original_run = uvicorn.Server.run

    def run_and_remember(self, *args, **kwargs):
        servers.append(self)
        return original_run(self, *args, **kwargs)

    monkeypatch.setattr(uvicorn.Server, "run", run_and_remember)
    thread = threading.Thread(target=serve, kwargs={"port": port}, daemon=True)
    thread.start()
    while not (servers and servers[0].started):
        assert thread.is_alive()
        time.sleep(0.05)
    try:
        assert httpx.get(f"http://127.0.0.1:{port}/sparql", params={"query": "ASK {}"}).status_code == 200
    finally:
        servers[0].should_exit = True
        thread.join(timeout=30)
