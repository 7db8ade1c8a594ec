"""The remote store (api/remote_store.py) over a real Virtuoso: the same answers as the embedded
store for every example and benchmark query, the same bytes, row cap, timeout and refusals, a 503
when the store is down, and the loader replacing a release (api/virtuoso.py)."""

import asyncio
import json
from collections import Counter
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from api_testing import ENDLESS_QUERY, REPO_ROOT, app_client, free_port
from fastapi.testclient import TestClient
from virtuoso_testing import Virtuoso

from migkg.api.buildinfo import load_build_info
from migkg.api.conneg import negotiate
from migkg.api.fairness import LongQueryLane, Shares
from migkg.api.jobs import QueryFailure, QueryJob
from migkg.api.remote_store import RELEASE_RECORD, RemoteStore
from migkg.api.settings import Settings
from migkg.queries import load_query, query_files, read_query

QUERIES = query_files("examples") + query_files(REPO_ROOT / "bench" / "queries")
# Where the answers may differ, and what is compared there instead (docs/remote-store.md):
SAME_COUNT = {"10-select-10k-rows"}  # a LIMIT over unordered rows: the engine picks which
SAME_KEYS = {  # the first column's values
    "gcm-objectives",  # SAMPLE picks a label
    "migof-element-to-gcm-actions-to-sdg-targets",  # GROUP_CONCAT's order is the engine's
    "search-inside-sparql",  # Virtuoso writes an xsd:double with 5 significant digits (10.278)
}
SAME_SET = {"08-property-path"}  # Virtuoso repeats a node a `+` path reaches by several routes
SPARQL_JSON = "application/sparql-results+json"
ORDERED = "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?s ?label"
BASE = "https://w3id.org/migkg/"


def _answer(client: TestClient, query: str, accept: str) -> httpx.Response:
    response = client.post("/sparql", data={"query": query}, headers={"accept": accept})
    assert response.status_code == 200, response.text
    return response


def _solutions(response: httpx.Response) -> list[tuple]:
    results = ox.parse_query_results(response.content, ox.QueryResultsFormat.JSON)
    return [tuple(solution[v] for v in results.variables) for solution in results]


def _triples(response: httpx.Response) -> set:
    return {quad.triple for quad in ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES)}


@pytest.mark.parametrize("path", QUERIES, ids=lambda path: path.stem)
def test_every_example_and_benchmark_query_answers_the_same(
    client: TestClient, virtuoso_client: TestClient, path: Path
) -> None:
    query = read_query(path)
    if "DESCRIBE" in query or "CONSTRUCT" in query:
        embedded, remote = (_answer(c, query, "application/n-triples") for c in (client, virtuoso_client))
        assert _triples(embedded) == _triples(remote) != set()  # no blank nodes: isomorphic is equal
        return
    embedded, remote = (_solutions(_answer(c, query, SPARQL_JSON)) for c in (client, virtuoso_client))
    assert remote, f"{path.name} answers no row"
    if path.stem in SAME_COUNT:
        assert len(remote) == len(embedded)
    elif path.stem in SAME_KEYS:
        assert Counter(row[0] for row in remote) == Counter(row[0] for row in embedded)
    elif path.stem in SAME_SET:
        assert set(remote) == set(embedded)
    else:
        assert Counter(remote) == Counter(embedded)


@pytest.mark.parametrize(
    "accept", [SPARQL_JSON, "application/sparql-results+xml", "text/csv", "text/tab-separated-values"]
)
def test_an_ordered_answer_is_the_same_bytes_in_every_format(
    client: TestClient, virtuoso_client: TestClient, accept: str
) -> None:
    embedded, remote = (_answer(c, ORDERED, accept) for c in (client, virtuoso_client))
    assert remote.headers["content-type"] == embedded.headers["content-type"]
    assert remote.content == embedded.content


def test_ask_true_and_false_and_construct_turtle_are_the_same_bytes(
    client: TestClient, virtuoso_client: TestClient
) -> None:
    for query in ("ASK { ?s ?p ?o }", "ASK { <urn:nothing> ?p ?o }"):
        embedded, remote = (_answer(c, query, SPARQL_JSON) for c in (client, virtuoso_client))
        assert remote.content == embedded.content
    turtle = f"CONSTRUCT {{ <{BASE}id/gcm> ?p ?o }} WHERE {{ <{BASE}id/gcm> ?p ?o }} ORDER BY ?p ?o"
    embedded, remote = (_answer(c, turtle, "text/turtle") for c in (client, virtuoso_client))
    assert _triples_of_turtle(remote.content) == _triples_of_turtle(embedded.content)


def _triples_of_turtle(body: bytes) -> set:
    return {quad.triple for quad in ox.parse(body, format=ox.RdfFormat.TURTLE)}


def test_the_release_graphs_and_readiness_are_the_same(client: TestClient, virtuoso_client: TestClient) -> None:
    """`GRAPH ?g { }` (named-graphs.rq, ready.rq) lists the release's graphs, not Virtuoso's own."""
    assert virtuoso_client.app.state.migkg.graphs == client.app.state.migkg.graphs
    assert all(graph.startswith(f"{BASE}graph/") for graph in virtuoso_client.app.state.migkg.graphs)
    assert virtuoso_client.get("/readyz").status_code == 200


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ('define get:soft "soft" SELECT * FROM <http://example.org/> { ?s ?p ?o }', "Malformed query"),
        ("PREFIX bif: <bif:> SELECT (bif:sprintf('%s', 'x') AS ?x) {}", "Unknown function <bif:sprintf>"),
        ("SELECT ?s WHERE { ?s ?p }", "error at 1:"),
    ],
)
def test_the_store_s_own_extensions_are_refused_as_the_worker_refuses(
    client: TestClient, virtuoso_client: TestClient, query: str, says: str
) -> None:
    embedded, remote = (c.get("/sparql", params={"query": query}) for c in (client, virtuoso_client))
    assert remote.status_code == embedded.status_code == 400
    assert says in remote.text and remote.text == embedded.text


@pytest.mark.parametrize(
    ("query", "graphs"),
    [
        ("ASK { GRAPH <http://example.org/none> { <urn:s> <urn:p> <urn:o> } }", {}),
        ("ASK { GRAPH <http://example.org/none> { } }", {}),
        ("SELECT (COUNT(*) AS ?n) { GRAPH <http://example.org/none> { ?s ?p ?o } }", {}),
        ("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", {"default-graph-uri": "http://www.openlinksw.com/schemas/virtrdf#"}),
    ],
)
def test_a_graph_outside_the_dataset_holds_nothing(
    client: TestClient, virtuoso_client: TestClient, query: str, graphs: dict
) -> None:
    """Virtuoso matches a pattern in a graph outside the dataset once, and holds graphs of its own."""
    embedded, remote = (c.get("/sparql", params={"query": query, **graphs}) for c in (client, virtuoso_client))
    assert remote.status_code == embedded.status_code == 200
    assert remote.content == embedded.content


def test_results_are_cut_at_the_row_cap(virtuoso_settings: Settings, settings: Settings) -> None:
    answers = []
    for capped in (settings, virtuoso_settings):
        with app_client(capped.model_copy(update={"max_result_rows": 5})) as capped_client:
            answers.append(_answer(capped_client, ORDERED, "text/csv"))
    embedded, remote = answers
    assert remote.headers["migkg-results-truncated"] == "5"
    assert remote.content == embedded.content and len(remote.text.splitlines()) == 6


def test_a_query_past_the_timeout_is_a_503_at_the_deadline(virtuoso_settings: Settings) -> None:
    with app_client(virtuoso_settings.model_copy(update={"query_timeout": 1.0})) as timed:
        response = timed.post("/sparql", data={"query": ENDLESS_QUERY})
    assert response.status_code == 503
    assert "not answered within 1 s" in response.text
    assert "Retry-After" in response.headers


def test_a_store_that_does_not_answer_is_a_503_saying_so() -> None:
    url = f"http://127.0.0.1:{free_port()}/sparql"
    store = RemoteStore(url, "any", Shares(2, 1, 4, 8), LongQueryLane(1.0, 1), 5.0, BASE)
    job = QueryJob(text="ASK {}", offers=negotiate(SPARQL_JSON), base_iri=BASE, max_rows=10)

    async def started_then_asked() -> tuple[Exception, QueryFailure]:
        try:
            with pytest.raises(ConnectionError) as at_start:
                await store.start()
            return at_start.value, await store.execute(job)
        finally:
            await store.close()

    at_start, answer = asyncio.run(started_then_asked())
    assert f"the remote store at {url} did not answer" in str(at_start).lower()
    assert isinstance(answer, QueryFailure) and answer.status == 503
    assert answer.message.startswith(f"The remote store at {url} did not answer: ")


def test_a_server_whose_store_is_down_answers_503_not_500(build_dir: Path) -> None:
    down = Settings(build_dir=build_dir, store_url=f"http://127.0.0.1:{free_port()}/sparql")
    with app_client(down) as down_client:
        response = down_client.get("/sparql", params={"query": "ASK {}"})
    assert response.status_code == 503


def test_loading_a_release_replaces_the_one_the_store_holds(virtuoso: Virtuoso, build_dir: Path) -> None:
    release = virtuoso.directory / "small-release"  # inside DirsAllowed
    release.mkdir()
    small = "http://example.org/graph/small"  # a release's graphs need not be under the base IRI
    quad = ox.Quad(ox.NamedNode(f"{BASE}id/x"), ox.NamedNode(f"{BASE}ontology#p"), ox.Literal("x"), ox.NamedNode(small))
    (release / "migkg.nq").write_bytes(ox.serialize([quad], format=ox.RdfFormat.N_QUADS))
    (release / "build-info.json").write_text(json.dumps({"version": "small", "built": "2026-01-01T00:00:00Z"}))
    try:
        assert virtuoso.load(release, BASE) == 1
        assert _recorded_graphs(virtuoso) == {small: 1}
        assert _recorded_version(virtuoso) == ["small"]
        assert not _graph_sizes(virtuoso, [f"{BASE}graph/sdg"])  # the previous release's graphs are cleared
    finally:
        quads = virtuoso.load(build_dir.resolve(), BASE)
    assert quads == sum(1 for _ in ox.parse(path=build_dir / "migkg.nq", format=ox.RdfFormat.N_QUADS))
    assert sum(_recorded_graphs(virtuoso).values()) == quads
    assert not _graph_sizes(virtuoso, [small])
    assert _recorded_version(virtuoso) == [load_build_info(build_dir / "build-info.json").version]


def test_a_store_holding_another_release_is_not_opened(virtuoso: Virtuoso) -> None:
    """The release about to open is not the one loaded (a new build, not loaded yet): not opened."""
    store = RemoteStore(virtuoso.url, "not-loaded", Shares(2, 1, 4, 8), LongQueryLane(1.0, 1), 5.0, BASE)

    async def started() -> None:
        try:
            await store.start()
        finally:
            await store.close()

    with pytest.raises(RuntimeError, match=r"holds release version \w+, not not-loaded: load this release"):
        asyncio.run(started())


def test_a_store_holding_part_of_its_release_is_not_opened(virtuoso: Virtuoso) -> None:
    """The store's record names a graph it does not hold whole: the release is not opened, saying why."""
    graph = next(iter(_recorded_graphs(virtuoso)))
    version = _recorded_version(virtuoso)[0]
    store = RemoteStore(virtuoso.url, version, Shares(2, 1, 4, 8), LongQueryLane(1.0, 1), 5.0, BASE)
    delete = f"DELETE DATA {{ GRAPH <{graph}> {{ <urn:x> <urn:p> <urn:o> }} }}"
    insert = delete.replace("DELETE", "INSERT", 1)

    async def started() -> None:
        try:
            await store.start()
        finally:
            await store.close()

    virtuoso.isql.run(f"SPARQL {insert};\n")
    try:
        with pytest.raises(RuntimeError, match="does not hold the release it records"):
            asyncio.run(started())
    finally:
        virtuoso.isql.run(f"SPARQL {delete};\n")


def _recorded_graphs(virtuoso: Virtuoso) -> dict[str, int]:
    return _graph_sizes(virtuoso, [RELEASE_RECORD], "release-graphs")


def _recorded_version(virtuoso: Virtuoso) -> list[str]:
    return [row["version"]["value"] for row in _rows(virtuoso, [RELEASE_RECORD], "release-version")]


def _graph_sizes(virtuoso: Virtuoso, graphs: list[str], name: str = "graph-sizes") -> dict[str, int]:
    """The ``?graph ?quads`` rows of queries/remote/NAME.rq, asked of Virtuoso over ``graphs``."""
    return {row["graph"]["value"]: int(row["quads"]["value"]) for row in _rows(virtuoso, graphs, name)}


def _rows(virtuoso: Virtuoso, graphs: list[str], name: str) -> list[dict]:
    """The solutions of queries/remote/NAME.rq, asked of Virtuoso over ``graphs``."""
    response = httpx.post(
        virtuoso.url,
        data={"query": load_query("remote", name), "named-graph-uri": graphs},
        headers={"accept": SPARQL_JSON},
    )
    return json.loads(response.content)["results"]["bindings"]
