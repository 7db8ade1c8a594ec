"""Helpers for the API tests: paths, app clients, a live uvicorn, a loopback trap."""

import hashlib
import json
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox
import pytest
import uvicorn
from fastapi.testclient import TestClient

from migkg.api import forwarded_client
from migkg.api.app import create_app
from migkg.api.settings import Settings

REPO_ROOT = Path(__file__).resolve().parents[2]
# The same variable the server reads: the tests serve the build the server would.
BUILD_DIR = Path(os.environ.get("MIGKG_BUILD_DIR", REPO_ROOT / "build"))
W3C_PROTOCOL_DIR = Path(__file__).resolve().parent / "w3c" / "protocol"  # vendored, see w3c/ATTRIBUTION.md
W3C_DATA_GRAPH = "http://kasei.us/2009/09/sparql/data/data{}.rdf"

# A query no engine finishes: a cross product of the whole graph with itself, three times.
ENDLESS_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def endless_query_request() -> bytes:
    """ENDLESS_QUERY as a raw HTTP/1.1 form POST, for a test client that hangs up mid-query by closing its socket."""
    body = urlencode({"query": ENDLESS_QUERY}).encode()
    head = (
        "POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


@pytest.fixture(scope="session")
def build_dir() -> Path:
    if not (BUILD_DIR / "store").is_dir() or not (BUILD_DIR / "build-info.json").is_file():
        pytest.fail(f"no build at {BUILD_DIR} (store/ and build-info.json): run `make build` first", pytrace=False)
    return BUILD_DIR


@pytest.fixture(scope="session")
def settings(build_dir: Path) -> Settings:
    return Settings(build_dir=build_dir)


@pytest.fixture(scope="session")
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def app_client(settings: Settings) -> TestClient:
    """A client for an app with its own settings (use as a context manager: it starts the workers)."""
    return TestClient(create_app(settings))


@pytest.fixture(scope="session")
def w3c_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build holding the W3C protocol tests' data1–3 as named graphs."""
    build = tmp_path_factory.mktemp("w3c-build")
    store = ox.Store(str(build / "store"))
    for n in (1, 2, 3):
        store.load(
            path=W3C_PROTOCOL_DIR / f"data{n}.nt",
            format=ox.RdfFormat.N_TRIPLES,
            to_graph=ox.NamedNode(W3C_DATA_GRAPH.format(n)),
        )
    store.flush()
    del store  # release the write lock before the server opens it read-only
    info = {"version": hashlib.sha256(b"w3c").hexdigest(), "built": datetime.now(UTC).isoformat(), "files": {}}
    (build / "build-info.json").write_text(json.dumps(info))
    return build


class LiveServer:
    def __init__(self, settings: Settings) -> None:
        self.port = free_port()
        self.app = create_app(settings)
        config = uvicorn.Config(
            self.app, host="127.0.0.1", port=self.port, log_level="warning", **forwarded_client(settings)
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> "LiveServer":
        self.thread.start()
        while not self.server.started:
            if not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            threading.Event().wait(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


@pytest.fixture(scope="session")
def live_server(settings: Settings) -> Iterator[LiveServer]:
    """uvicorn serving the real build on 127.0.0.1 (a free port), for real HTTP clients."""
    with LiveServer(settings) as server:
        yield server


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LoopbackTrap:
    """A TCP listener on 127.0.0.1 that records every connection; SSRF tests expect none."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sparql"

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    self.connections.append(conn.recv(65536))
                except OSError:
                    self.connections.append(b"")

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


@pytest.fixture
def loopback_trap() -> Iterator[LoopbackTrap]:
    trap = LoopbackTrap()
    yield trap
    trap.close()


def holds_within(condition: Callable[[], bool], seconds: float) -> bool:
    """Whether ``condition`` holds at some point within ``seconds`` (looked at every 20 ms)."""
    give_up = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > give_up:
            return False
        time.sleep(0.02)
    return True
