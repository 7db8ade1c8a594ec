"""Operations on the real build: /healthz, /readyz, /metrics, request ids and the access log."""

import json
import logging
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from api_testing import ENDLESS_QUERY, app_client, holds_within
from fastapi.testclient import TestClient
from prometheus_client import REGISTRY

from migkg.api import metrics
from migkg.api.app import create_app
from migkg.api.request_ids import JsonLines
from migkg.api.settings import Settings

GENERATED_ID = re.compile(r"[0-9a-f]{32}")
ROWS_QUERY = "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"


def _sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


@pytest.fixture(scope="module")
def one_worker(settings: Settings) -> Iterator[TestClient]:
    """An app with one worker, a short timeout, a row cap of 2 and a short readiness wait."""
    limits = {"max_concurrent_queries": 1, "query_timeout": 2.0, "max_result_rows": 2, "ready_timeout": 0.3}
    with app_client(settings.model_copy(update=limits)) as client:
        yield client


@pytest.fixture(scope="module")
def no_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with app_client(Settings(build_dir=tmp_path_factory.mktemp("no-build"))) as client:
        yield client


def test_healthz_answers_alive_and_is_not_stored(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "alive"}
    assert response.headers["cache-control"] == "no-store"


def test_healthz_answers_without_a_build(no_build: TestClient) -> None:
    assert no_build.get("/healthz").status_code == 200


def test_readyz_answers_ready_with_the_release_when_a_worker_answers(client: TestClient, build_dir: Path) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    info = json.loads((build_dir / "build-info.json").read_text(encoding="utf-8"))
    assert response.json() == {"status": "ready", "release": info.get("release"), "version": info["version"]}
    assert response.headers["cache-control"] == "no-store"


def test_readyz_without_a_build_is_503_saying_why_with_retry_after(no_build: TestClient) -> None:
    response = no_build.get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "not ready"
    assert "No build to serve" in response.json()["reason"]
    assert response.headers["retry-after"] == "5"
    assert response.headers["cache-control"] == "no-store"


def test_readyz_is_503_while_no_worker_answers_in_time_then_ready_again(one_worker: TestClient) -> None:
    endless: list = []
    holding = threading.Thread(target=lambda: endless.append(one_worker.post("/sparql", data={"query": ENDLESS_QUERY})))
    holding.start()
    time.sleep(0.5)  # the endless query has the only worker
    busy = one_worker.get("/readyz")
    holding.join()
    assert busy.status_code == 503
    assert "MIGKG_READY_TIMEOUT" in busy.json()["reason"]
    assert busy.headers["retry-after"] == "5"
    assert endless[0].status_code == 503  # stopped at the timeout, its worker replaced
    # ready again once the new worker has loaded the release
    assert holds_within(lambda: one_worker.get("/readyz").status_code == 200, 5.0)


def test_requests_are_counted_by_route_template_not_raw_path(client: TestClient) -> None:
    resource = {"route": "/id/{path}", "status": "404"}
    unmatched = {"route": metrics.UNMATCHED_ROUTE, "status": "404"}
    before = (_sample("migkg_http_requests_total", **resource), _sample("migkg_http_requests_total", **unmatched))
    timed = _sample("migkg_http_request_duration_seconds_count", route="/id/{path}")
    assert client.get("/id/no-such-resource-for-metrics").status_code == 404
    assert client.get("/no/such/path/for-metrics").status_code == 404
    assert _sample("migkg_http_requests_total", **resource) == before[0] + 1
    assert _sample("migkg_http_requests_total", **unmatched) == before[1] + 1
    assert _sample("migkg_http_request_duration_seconds_count", route="/id/{path}") == timed + 1
    assert "for-metrics" not in client.get("/metrics").text


def test_metrics_expose_the_release_and_the_query_and_worker_counters(client: TestClient, build_dir: Path) -> None:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert response.headers["cache-control"] == "no-store"
    version = json.loads((build_dir / "build-info.json").read_text(encoding="utf-8"))["version"]
    assert re.search(rf'^migkg_release_info\{{built="[^"]+",version="{version}"\}} 1\.0$', response.text, re.MULTILINE)
    for counter in ("migkg_query_timeouts_total", "migkg_query_results_truncated_total", "migkg_worker_restarts_total"):
        assert re.search(rf"^{counter} ", response.text, re.MULTILINE), counter
    workers = client.app.state.migkg.settings.max_concurrent_queries
    assert _sample("migkg_query_workers_idle") == workers  # none is running a query while /metrics answers


def test_metrics_without_a_build_name_no_release(no_build: TestClient) -> None:
    assert "migkg_release_info{" not in no_build.get("/metrics").text


def test_worker_restarted_counts_one_restart() -> None:
    before = _sample("migkg_worker_restarts_total")
    metrics.worker_restarted()
    assert _sample("migkg_worker_restarts_total") == before + 1


def test_a_query_stopped_at_the_timeout_is_counted(one_worker: TestClient) -> None:
    before = _sample("migkg_query_timeouts_total")
    assert one_worker.post("/sparql", data={"query": ENDLESS_QUERY}).status_code == 503
    assert _sample("migkg_query_timeouts_total") == before + 1


def test_a_result_cut_at_the_row_cap_is_counted(one_worker: TestClient) -> None:
    before = _sample("migkg_query_results_truncated_total")
    response = one_worker.post("/sparql", data={"query": ROWS_QUERY}, headers={"Cache-Control": "no-cache"})
    assert response.headers["MIGKG-Results-Truncated"] == "2"
    assert _sample("migkg_query_results_truncated_total") == before + 1
    assert one_worker.post("/sparql", data={"query": "ASK {}"}).status_code == 200
    assert _sample("migkg_query_results_truncated_total") == before + 1


@pytest.mark.parametrize("sane", ["abc-123", "0f8fad5b-d9cb-469f-a165-70867728950e", "Root=1-67891233:abcdef/x.y+z"])
def test_a_sane_incoming_request_id_is_echoed(client: TestClient, sane: str) -> None:
    assert client.get("/healthz", headers={"X-Request-ID": sane}).headers["X-Request-ID"] == sane


@pytest.mark.parametrize("insane", ["", "a" * 129, "two words", 'quote"d', "semi;colon", "<script>"])
def test_an_insane_incoming_request_id_is_replaced_by_a_new_one(client: TestClient, insane: str) -> None:
    assert GENERATED_ID.fullmatch(client.get("/healthz", headers={"X-Request-ID": insane}).headers["X-Request-ID"])


def test_every_answer_gets_its_own_id(client: TestClient) -> None:
    answers = [
        client.get("/api/frameworks"),
        client.get("/no/such/path"),
        client.post("/sparql", data={"query": "SELECT * {"}),
        client.get("/healthz", headers={"X-API-Key": "not-a-listed-key"}),  # refused by a middleware: 401
    ]
    ids = [answer.headers["X-Request-ID"] for answer in answers]
    assert [answer.status_code for answer in answers] == [200, 404, 400, 401]
    assert all(GENERATED_ID.fullmatch(request_id) for request_id in ids)
    assert len(set(ids)) == len(ids)


def test_an_unhandled_error_is_a_500_with_a_request_id(settings: Settings) -> None:
    app = create_app(settings)

    @app.get("/broken")
    async def broken() -> None:
        raise RuntimeError("a bug")

    response = TestClient(app, raise_server_exceptions=False).get("/broken", headers={"X-Request-ID": "bug-1"})
    assert response.status_code == 500
    assert response.headers["X-Request-ID"] == "bug-1"


def test_browsers_may_read_the_request_id_across_origins(client: TestClient) -> None:
    response = client.get("/healthz", headers={"Origin": "https://example.org"})
    exposed = [name.strip().lower() for name in response.headers["access-control-expose-headers"].split(",")]
    assert "x-request-id" in exposed


def test_the_access_log_says_who_asked_what_and_how_it_went(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="migkg.access"):
        response = client.get("/id/gcm", headers={"Accept": "text/turtle", "X-Request-ID": "log-1"})
    [record] = [r for r in caplog.records if r.name == "migkg.access"]
    line = json.loads(JsonLines().format(record))
    assert response.status_code == 200
    assert line["level"] == "info" and line["message"] == "GET /id/gcm 200"
    assert {key: line[key] for key in ("request_id", "method", "route", "path", "status", "client")} == {
        "request_id": "log-1",
        "method": "GET",
        "route": "/id/{path}",
        "path": "/id/gcm",
        "status": 200,
        "client": "testclient",
    }
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0


def test_probes_that_pass_are_logged_at_debug_only(
    client: TestClient, no_build: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger="migkg.access"):
        client.get("/healthz")
        client.get("/readyz")
        client.get("/metrics")
        no_build.get("/readyz")
    levels = {r.fields["path"] + " " + str(r.fields["status"]): r.levelno for r in caplog.records}
    assert levels == {
        "/healthz 200": logging.DEBUG,
        "/readyz 200": logging.DEBUG,
        "/metrics 200": logging.DEBUG,
        "/readyz 503": logging.INFO,
    }
