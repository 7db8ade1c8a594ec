"""Graceful shutdown of the real server: `migkg serve` in a subprocess, on the real build, sent
SIGTERM while a query runs.

On SIGTERM uvicorn stops accepting connections, waits up to MIGKG_SHUTDOWN_GRACE seconds for the
requests in flight, then closes the store (its workers) and exits 0. The signal goes to the server
process alone, as `kill PID`, Docker and systemd's `KillMode=mixed` send it (the workers ignore a
signal to the whole group: docs/operations.md).
"""

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from api_testing import ENDLESS_QUERY, free_port

# About 2 s on the real build: every commitment (320) against every triple (60,000).
SLOW_QUERY = (
    "PREFIX mig: <https://w3id.org/migkg/ontology#> "
    "SELECT (COUNT(*) AS ?n) WHERE { ?commitment a mig:Commitment . ?s ?p ?o }"
)
MIGKG = Path(sys.executable).with_name("migkg")
STARTUP = 60.0  # seconds for the server and its workers to come up on a busy machine


@dataclass
class Served:
    process: subprocess.Popen
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_lines(self) -> list[dict]:
        return [json.loads(line) for line in self.log.read_text(encoding="utf-8").splitlines()]


def _serve(build_dir: Path, log: Path, grace: int) -> Served:
    port = free_port()
    env = {
        **os.environ,
        "MIGKG_BUILD_DIR": str(build_dir),
        "MIGKG_MAX_CONCURRENT_QUERIES": "2",
        "MIGKG_SHUTDOWN_GRACE": str(grace),
    }
    with log.open("w") as stderr:
        process = subprocess.Popen([MIGKG, "serve", "--port", str(port)], env=env, stderr=stderr)
    served = Served(process, port, log)
    give_up = time.monotonic() + STARTUP
    while not _ready(served):
        if process.poll() is not None or time.monotonic() > give_up:
            process.kill()
            pytest.fail(f"migkg serve did not become ready:\n{log.read_text()}")
        time.sleep(0.2)
    return served


def _ready(served: Served) -> bool:
    try:
        return httpx.get(f"{served.url}/readyz", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


def _accepts(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


def _in_flight(served: Served, query: str) -> tuple[threading.Thread, list]:
    """The query sent from a thread; the list gets its response, or the error that ended it."""
    outcome: list = []

    def send() -> None:
        try:
            outcome.append(httpx.post(f"{served.url}/sparql", data={"query": query}, timeout=60))
        except httpx.TransportError as error:
            outcome.append(error)

    thread = threading.Thread(target=send)
    thread.start()
    time.sleep(0.5)  # the query reaches a worker
    return thread, outcome


@pytest.fixture
def served(build_dir: Path, tmp_path: Path) -> Iterator[Served]:
    server = _serve(build_dir, tmp_path / "serve.log", grace=30)
    yield server
    server.process.kill()


@pytest.fixture
def served_with_short_grace(build_dir: Path, tmp_path: Path) -> Iterator[Served]:
    server = _serve(build_dir, tmp_path / "serve.log", grace=1)
    yield server
    server.process.kill()


def test_sigterm_stops_accepting_lets_the_query_in_flight_finish_then_exits_0(served: Served) -> None:
    thread, outcome = _in_flight(served, SLOW_QUERY)
    served.process.send_signal(signal.SIGTERM)
    give_up = time.monotonic() + 5
    while _accepts(served.port) and time.monotonic() < give_up:
        time.sleep(0.05)
    refusing_while_in_flight = thread.is_alive() and not _accepts(served.port)
    thread.join()
    [answer] = outcome
    assert refusing_while_in_flight, "new connections must be refused while the query still runs"
    assert answer.status_code == 200, answer.text
    assert int(answer.json()["results"]["bindings"][0]["n"]["value"]) > 0
    assert served.process.wait(timeout=30) == 0
    [logged] = [line for line in served.log_lines() if line.get("route") == "/sparql"]
    assert logged["status"] == 200 and logged["request_id"] == answer.headers["X-Request-ID"]


def test_a_request_still_running_past_the_grace_is_cut_with_a_500_and_the_server_exits_0(
    served_with_short_grace: Served,
) -> None:
    thread, outcome = _in_flight(served_with_short_grace, ENDLESS_QUERY)
    signalled = time.monotonic()
    served_with_short_grace.process.send_signal(signal.SIGTERM)
    assert served_with_short_grace.process.wait(timeout=15) == 0
    assert time.monotonic() - signalled < 10, "the grace (1 s), not the query timeout (30 s), bounds the shutdown"
    thread.join()
    [cut] = outcome
    assert cut.status_code == 500  # uvicorn's own answer to a request it cancels
    assert any("timeout graceful shutdown exceeded" in line["message"] for line in served_with_short_grace.log_lines())
