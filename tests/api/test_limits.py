"""Safe execution on the real build: timeout, row cap, concurrency, query size, SERVICE allow-list."""

import os
import threading

from api_testing import ENDLESS_QUERY, app_client, holds_within
from fastapi.testclient import TestClient

from migkg.api.settings import Settings

ROWS_QUERY = "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"


def _workers(client: TestClient) -> set[int]:
    return {worker.pid for worker in client.app.state.migkg.store._all}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only checks that the process exists
    except ProcessLookupError:
        return False
    return True


def test_a_query_past_the_timeout_is_stopped_and_the_server_keeps_serving(settings: Settings) -> None:
    with app_client(settings.model_copy(update={"query_timeout": 1.0, "max_concurrent_queries": 1})) as client:
        before = _workers(client)
        response = client.get("/sparql", params={"query": ENDLESS_QUERY})
        assert response.status_code == 503
        assert "was stopped" in response.text and "MIGKG_QUERY_TIMEOUT" in response.text
        # the 503 goes out at once; the worker is killed then and replaced in the background
        gone = holds_within(lambda: not any(_alive(pid) for pid in before), 1.0)
        assert gone, "the worker running the query must be gone"
        replaced = holds_within(lambda: before.isdisjoint(_workers(client)) and len(_workers(client)) == 1, 5.0)
        assert replaced, "the worker running the query must have been replaced"
        assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200


def _run_in_background(client: TestClient, query: str) -> tuple[threading.Thread, list]:
    result: list = []
    thread = threading.Thread(target=lambda: result.append(client.get("/sparql", params={"query": query})))
    thread.start()
    return thread, result


def _wait_until_busy(client: TestClient, busy: int) -> None:
    """Until exactly ``busy`` workers run queries (or are being replaced)."""
    store = client.app.state.migkg.store
    while store.size - store._idle.qsize() != busy:
        threading.Event().wait(0.02)


def test_a_slow_query_does_not_delay_a_simple_one(settings: Settings) -> None:
    limits = {"query_timeout": 3.0, "max_concurrent_queries": 2, "api_keys": ["another client"]}
    with app_client(settings.model_copy(update=limits)) as client:
        slow, slow_result = _run_in_background(client, ENDLESS_QUERY)
        _wait_until_busy(client, 1)
        simple = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers={"x-api-key": "another client"})
        assert simple.status_code == 200
        assert slow.is_alive() and not slow_result, "the simple query was answered while the slow one ran"
        slow.join()
        assert slow_result[0].status_code == 503


def test_a_query_past_a_full_line_gets_503_with_retry_after(settings: Settings) -> None:
    limits = {"query_timeout": 3.0, "max_concurrent_queries": 1, "max_waiting_queries": 0, "retry_after": 7}
    with app_client(settings.model_copy(update=limits)) as client:
        slow, _ = _run_in_background(client, ENDLESS_QUERY)
        _wait_until_busy(client, 1)
        response = client.get("/sparql", params={"query": "ASK {}"})
        assert response.status_code == 503
        assert response.headers["retry-after"] == "7"
        assert "busy" in response.text and "MIGKG_MAX_WAITING_QUERIES" in response.text
        slow.join()
        _wait_until_busy(client, 0)  # the stopped query's worker is replaced in the background
        assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200


def test_results_are_cut_at_the_row_cap(settings: Settings) -> None:
    with app_client(settings.model_copy(update={"max_result_rows": 5})) as client:
        for accept in ("text/csv", "application/sparql-results+json", "application/sparql-results+xml"):
            response = client.get("/sparql", params={"query": ROWS_QUERY}, headers={"accept": accept})
            assert response.status_code == 200
            assert response.headers["migkg-results-truncated"] == "5"
        csv = client.get("/sparql", params={"query": ROWS_QUERY}, headers={"accept": "text/csv"})
        assert len(csv.text.strip().splitlines()) == 1 + 5
        graph = client.get(
            "/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, headers={"accept": "application/n-triples"}
        )
        assert len(graph.text.strip().splitlines()) == 5
        small = client.get("/sparql", params={"query": ROWS_QUERY + " LIMIT 3"})
        assert "migkg-results-truncated" not in small.headers


def test_a_query_larger_than_the_limit_is_413(settings: Settings) -> None:
    query = "SELECT * WHERE { ?s ?p ?o } # " + "x" * 200
    with app_client(settings.model_copy(update={"max_query_bytes": 100})) as client:
        responses = [
            client.get("/sparql", params={"query": query}),
            client.post("/sparql", data={"query": query}),
            client.post("/sparql", content=query, headers={"content-type": "application/sparql-query"}),
        ]
        for response in responses:
            assert response.status_code == 413 and "MIGKG_MAX_QUERY_BYTES" in response.text
        assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200


def _ssrf_queries(url: str) -> list[str]:
    host = url.rsplit("/", 1)[0]
    return [
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
        f"PREFIX trap: <{host}/> SELECT * WHERE {{ SERVICE trap:sparql {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ VALUES ?e {{ <{url}> }} SERVICE ?e {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?x ?y ?z FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} LIMIT 1",
        f"SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
        f"SELECT * WHERE {{ OPTIONAL {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"select * where {{ service <{url}> {{ ?s ?p ?o }} }}",
        f"BASE <{host}/> SELECT * WHERE {{ SERVICE <sparql> {{ ?s ?p ?o }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"ASK {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    ]


def test_service_outside_the_allow_list_makes_no_request(client: TestClient, loopback_trap) -> None:
    for query in _ssrf_queries(loopback_trap.url):
        response = client.post("/sparql", data={"query": query})
        assert response.status_code == 400, (query, response.text)
        assert "SERVICE" in response.text
    assert loopback_trap.connections == []


def test_dataset_clauses_and_parameters_make_no_request(client: TestClient, loopback_trap) -> None:
    url = loopback_trap.url
    requests = [
        client.get("/sparql", params={"query": f"SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}"}),
        client.get("/sparql", params={"query": f"SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"}),
        client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }", "default-graph-uri": url}),
        client.get("/sparql", params={"query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": url}),
    ]
    for response in requests:
        assert response.status_code == 200  # the graph is simply not in the store: no answers
        assert response.json()["results"]["bindings"] == []
    for update in (f"LOAD <{url}>", f"LOAD SILENT <{url}> INTO GRAPH <urn:g>"):
        assert client.post("/sparql", data={"update": update}).status_code == 403
        assert client.post("/sparql", data={"query": update}).status_code == 403
    assert loopback_trap.connections == []


def test_an_allow_listed_service_is_called(settings: Settings, loopback_trap) -> None:
    """The trap does see requests the guard lets through, so its silence above means something."""
    allowed = settings.model_copy(update={"service_allowlist": [loopback_trap.url], "query_timeout": 5.0})
    with app_client(allowed) as client:
        response = client.post(
            "/sparql", data={"query": f"SELECT * WHERE {{ SERVICE <{loopback_trap.url}> {{ ?s ?p ?o }} }}"}
        )
    assert response.status_code in (500, 503)  # the trap answers no HTTP
    assert loopback_trap.connections and b"POST" in loopback_trap.connections[0]


def test_pages_answer_503_when_every_worker_is_busy(settings: Settings) -> None:
    limits = {"query_timeout": 2.0, "max_concurrent_queries": 1, "max_waiting_queries": 0}
    with app_client(settings.model_copy(update=limits)) as client:
        slow, _ = _run_in_background(client, ENDLESS_QUERY)
        _wait_until_busy(client, 1)
        for path in ("/id/gcm", "/.well-known/void"):
            response = client.get(path, headers={"accept": "text/turtle"})
            assert response.status_code == 503 and "retry-after" in response.headers
        view = client.get("/api/objectives/4")
        assert view.status_code == 503 and "retry-after" in view.headers
        assert view.headers["content-type"] == "application/problem+json" and "busy" in view.json()["detail"]
        slow.join()
        _wait_until_busy(client, 0)
        assert client.get("/id/gcm", headers={"accept": "text/turtle"}).status_code == 200
