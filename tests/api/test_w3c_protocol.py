"""The W3C SPARQL 1.1 Protocol test manifest (vendored in w3c/protocol/), run request by request
against our app.

Each query test and negative test is replayed exactly as the manifest encodes it (path, method,
headers, body, character encoding) on a store holding the manifest's data graphs, on each backend:
the release's own store and Virtuoso (tests/api/virtuoso_testing.py). Update tests expect success
from a read-write endpoint; ours is read-only, so for them we check the update is refused with a
4xx and the data is unchanged.
"""

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pyoxigraph as ox
import pytest
from api_testing import W3C_PROTOCOL_DIR, app_client
from fastapi.testclient import TestClient
from rdflib import Graph, Namespace
from rdflib.collection import Collection
from virtuoso_testing import loaded_virtuoso

from migkg.api.formats import OFFERS, ResultKind
from migkg.api.settings import Settings

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")


@dataclass(frozen=True)
class ProtocolRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    expected_status: frozenset[str]  # e.g. {"StatusCode2xx", "StatusCode3xx"}
    expected_format: str | None
    expected_boolean: bool | None


@dataclass(frozen=True)
class ProtocolTest:
    name: str
    requests: list[ProtocolRequest]


def _load_manifest() -> list[ProtocolTest]:
    path = W3C_PROTOCOL_DIR / "manifest.ttl"
    graph = Graph().parse(
        path, format="turtle", publicID="http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest.ttl"
    )
    manifest = next(graph.subjects(MF.entries, None))
    tests = []
    for entry in Collection(graph, graph.value(manifest, MF.entries)):
        action = graph.value(entry, MF.action)
        requests = [_request(graph, r) for r in Collection(graph, graph.value(action, HT.requests))]
        tests.append(ProtocolTest(str(entry).rsplit("#", 1)[-1], requests))
    return tests


def _request(graph: Graph, node) -> ProtocolRequest:
    headers = {}
    header_list = graph.value(node, HT.headers)
    if header_list is not None:
        for header in Collection(graph, header_list):
            headers[str(graph.value(header, HT.fieldName))] = str(graph.value(header, HT.fieldValue))
    body = None
    body_node = graph.value(node, HT.body)
    if body_node is not None:
        encoding = str(graph.value(body_node, CNT.characterEncoding) or "UTF-8")
        body = str(graph.value(body_node, CNT.chars)).encode(encoding)
    response = graph.value(node, HT.resp)
    boolean = graph.value(response, MF.expectedBoolean)
    fmt = graph.value(response, MF.expectedFormat)
    return ProtocolRequest(
        method=str(graph.value(node, HT.methodName)),
        path=str(graph.value(node, HT.absolutePath)),
        headers=headers,
        body=body,
        expected_status=frozenset(str(s).rsplit("#", 1)[-1] for s in graph.objects(response, MF.expectedStatus)),
        expected_format=str(fmt) if fmt is not None else None,
        expected_boolean=boolean.toPython() if boolean is not None else None,
    )


MANIFEST = _load_manifest()
QUERY_AND_NEGATIVE = [t for t in MANIFEST if t.name.startswith(("query_", "bad_"))]
UPDATES = [t for t in MANIFEST if t.name.startswith("update_")]


@pytest.fixture(scope="module")
def w3c_embedded_client(w3c_build: Path) -> Iterator[TestClient]:
    with app_client(Settings(build_dir=w3c_build)) as client:
        yield client


@pytest.fixture(scope="module")
def w3c_virtuoso_client(w3c_build: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The app serving the W3C build from a Virtuoso of its own, loaded with the build's store
    dumped as the release's migkg.nq beside its build-info.json."""
    release = tmp_path_factory.mktemp("w3c-release")
    ox.Store.read_only(str(w3c_build / "store")).dump(release / "migkg.nq", format=ox.RdfFormat.N_QUADS)
    shutil.copy(w3c_build / "build-info.json", release)  # the version the loader records
    with (
        loaded_virtuoso(tmp_path_factory.mktemp("w3c-virtuoso"), release) as virtuoso,
        app_client(Settings(build_dir=w3c_build, store_url=virtuoso.url)) as client,
    ):
        yield client


@pytest.fixture(scope="module")
def w3c_client(backend: str, request: pytest.FixtureRequest) -> TestClient:
    """The app serving the W3C build, its data from the build's own store or from Virtuoso."""
    return request.getfixturevalue(f"w3c_{backend}_client")


def _send(client: httpx.Client, request: ProtocolRequest):
    return client.request(request.method, request.path, headers=request.headers, content=request.body)


def _status_class(status: int) -> str:
    return f"StatusCode{status // 100}xx"


def _expected_graph(build: Path, request: ProtocolRequest) -> set[ox.Triple]:
    """What pyoxigraph itself constructs for the request's query on the same data and dataset."""
    content_type = {name.lower(): value for name, value in request.headers.items()}.get("content-type")
    assert content_type == "application/sparql-query", "the RDF tests send the query as the body"
    default_graphs = parse_qs(urlsplit(request.path).query).get("default-graph-uri", [])
    store = ox.Store.read_only(str(build / "store"))
    result = store.query(
        request.body.decode("utf-8"),
        base_iri=Settings().base_iri,
        default_graph=[ox.NamedNode(g) for g in default_graphs] or None,
        use_default_graph_as_union=not default_graphs,
    )
    return set(result)


def _check_format(response, request: ProtocolRequest, build: Path) -> None:
    content_type = response.headers["content-type"].split(";")[0]
    kind = {"boolean": ResultKind.BOOLEAN, "tabular": ResultKind.SOLUTIONS, "RDF": ResultKind.GRAPH}[
        request.expected_format
    ]
    assert content_type in {o.content_type.split(";")[0] for o in OFFERS[kind]}
    if kind is ResultKind.GRAPH:
        answered = {
            quad.triple for quad in ox.parse(response.content, format=ox.RdfFormat.from_media_type(content_type))
        }
        assert answered == _expected_graph(build, request)
        return
    parsed = ox.parse_query_results(response.content, ox.QueryResultsFormat.from_media_type(content_type))
    if request.expected_boolean is not None:
        assert bool(parsed) is request.expected_boolean


def test_the_manifest_was_read() -> None:
    assert len(QUERY_AND_NEGATIVE) == 27 and len(UPDATES) == 7


def check_query_test(client: httpx.Client, build: Path, test: ProtocolTest) -> None:
    """Replay a query or negative test through ``client``: the app's TestClient, or any httpx client
    whose base URL serves ``build`` (tests/deploy sends them through the balancer)."""
    for request in test.requests:
        response = _send(client, request)
        assert _status_class(response.status_code) in request.expected_status, response.text
        if request.expected_format and response.status_code == 200:
            _check_format(response, request, build)
        if response.status_code >= 400:
            assert response.text.strip(), "an error must say what was wrong"


@pytest.mark.parametrize("test", QUERY_AND_NEGATIVE, ids=lambda t: t.name)
def test_query_and_negative_tests(w3c_client: TestClient, w3c_build: Path, test: ProtocolTest) -> None:
    check_query_test(w3c_client, w3c_build, test)


def _count_quads(client: httpx.Client) -> int:
    response = client.get(
        "/sparql",
        params={"query": "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"},
        headers={"accept": "text/tab-separated-values"},
    )
    return int(response.text.splitlines()[1].split("^^")[0].strip('"'))


def check_update_refused(client: httpx.Client, test: ProtocolTest) -> None:
    """The update is refused and changes nothing: the quads are as many, and each of the manifest's
    checks of its effect (an ASK true once it applied) answers false."""
    before = _count_quads(client)
    update, *checks = test.requests
    response = _send(client, update)
    assert 400 <= response.status_code < 500
    assert "read-only" in response.text
    assert _count_quads(client) == before
    for check in checks:
        answer = _send(client, check)
        assert answer.status_code == 200, answer.text
        assert check.expected_boolean is True  # what the update would have made true
        assert json.loads(answer.content)["boolean"] is False


@pytest.mark.parametrize("test", UPDATES, ids=lambda t: t.name)
def test_updates_are_refused_and_change_nothing(w3c_client: TestClient, test: ProtocolTest) -> None:
    check_update_refused(w3c_client, test)


@pytest.mark.parametrize("test", MANIFEST, ids=lambda t: t.name)
def test_virtuoso_answers_every_request_as_the_embedded_store(
    w3c_embedded_client: TestClient, w3c_virtuoso_client: TestClient, test: ProtocolTest
) -> None:
    """The same status, media type and bytes whichever store answers (api/remote_store.py)."""
    for request in test.requests:
        embedded, remote = (_send(client, request) for client in (w3c_embedded_client, w3c_virtuoso_client))
        assert (remote.status_code, remote.headers["content-type"]) == (
            embedded.status_code,
            embedded.headers["content-type"],
        )
        assert remote.content == embedded.content
