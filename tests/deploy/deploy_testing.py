"""Helpers for the replica tests: two real `migkg serve` replicas behind HAProxy on loopback ports,
started by the launcher itself (migkg.deploy.replicas), and what the tests read back from them."""

import json
import shutil
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from migkg.deploy.replicas import Replicas, Topology


def _free_ports(count: int) -> tuple[int, ...]:
    """Distinct free ports: every socket is held until all are bound."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return tuple(sock.getsockname()[1] for sock in sockets)
    finally:
        for sock in sockets:
            sock.close()


@contextmanager
def replicas_serving(build: Path, logs: Path, **settings: str) -> Iterator[Replicas]:
    """Two replicas and HAProxy serving ``build`` (a release or the pointer to one), each process
    logging into ``logs``; ``settings`` are MIGKG_* variables for the replicas, by field name."""
    if shutil.which("haproxy") is None:
        pytest.fail("HAProxy is not installed: run `make install`", pytrace=False)
    balancer, *replica_ports = _free_ports(3)
    environment = {"build_dir": str(build), "shutdown_grace": "5", "max_concurrent_queries": "1"} | settings
    with pytest.MonkeyPatch.context() as patch:
        for field, value in environment.items():
            patch.setenv(f"MIGKG_{field.upper()}", value)
        with Replicas(Topology("127.0.0.1", balancer, tuple(replica_ports)), logs=logs) as replicas:
            yield replicas


def from_address(address: str, base_url: str) -> httpx.Client:
    """An HTTP client whose connections leave from ``address`` (Linux routes all of 127/8 to lo)."""
    return httpx.Client(base_url=base_url, transport=httpx.HTTPTransport(local_address=address), timeout=30)


def server_states(replicas: Replicas) -> dict[str, dict[str, str]]:
    """HAProxy's `show stat` for each replica, by server name (status, current sessions, …)."""
    with socket.socket(socket.AF_UNIX) as sock:
        sock.connect(str(replicas.stats_socket))
        sock.sendall(b"show stat\n")
        answer = b"".join(iter(lambda: sock.recv(65536), b"")).decode()
    header, *rows = [line for line in answer.splitlines() if line]
    names = header.removeprefix("# ").split(",")
    stats = [dict(zip(names, row.split(","), strict=False)) for row in rows]
    return {row["svname"]: row for row in stats if row["pxname"] == "replicas" and row["svname"] != "BACKEND"}


def access_log_client(logs: Path, request_id: str, seconds: float = 5.0) -> str:
    """The client address a replica logged for the request with ``request_id``."""
    give_up = time.monotonic() + seconds
    while time.monotonic() < give_up:
        for log in logs.glob("replica*.log"):
            for line in log.read_text(encoding="utf-8").splitlines():
                if request_id in line and line.endswith("}"):  # a line being written is not whole yet
                    return json.loads(line)["client"]
        time.sleep(0.05)
    raise AssertionError(f"no replica logged request {request_id}")
