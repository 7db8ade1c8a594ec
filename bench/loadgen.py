"""A bounded HTTP/1.1 load generator for loopback servers (asyncio + httptools, in-process).

Why our own: the figures need per-request latencies tagged by query, two hard bounds on every
run (a duration *and* a request cap), keep-alive connections at an exact concurrency, and as
little client CPU as possible, because client and servers share the machine's two cores.
httptools (llhttp, already installed with uvicorn[standard]) parses the responses, so the
client costs a few tens of microseconds per request; httpx's async client costs ten times
that, and locust or wrk/oha would need a second process, their own reporting and (for the
latter) binaries that PyPI does not ship.

Bounds: ``run_load`` issues requests only until ``duration`` seconds have passed *and* while
fewer than ``max_requests`` were issued, then waits for the requests in flight (each bounded by
``timeout``); every connection goes to 127.0.0.0/8 or ::1, anything else is refused.
"""

from __future__ import annotations

import asyncio
import ipaddress
import math
import socket
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

import httptools


@dataclass(frozen=True)
class Step:
    """One HTTP request; a sequence of steps is sent one after another and timed as one."""

    method: str
    target: str  # path and query string
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""


@dataclass(frozen=True)
class Operation:
    """What one simulated user does once: one request, or a fixed sequence (a view's SPARQL twin)."""

    label: str
    steps: tuple[Step, ...]


@dataclass
class Outcome:
    label: str
    status: int  # the worst status of the operation's steps; 0 for a transport error or timeout
    seconds: float
    size: int


@dataclass
class RunResult:
    outcomes: list[Outcome] = field(default_factory=list)
    elapsed: float = 0.0  # first request sent → last answer received
    issued: int = 0


def sparql_get(path: str, query: str, accept: str, params: dict[str, str] | None = None) -> Step:
    return Step("GET", f"{path}?{urlencode({'query': query, **(params or {})})}", (("Accept", accept),))


def check_loopback(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    host, port = parts.hostname or "", parts.port or 80
    for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM):
        if not ipaddress.ip_address(info[4][0]).is_loopback:
            raise ValueError(f"refusing to load {url}: the load generator only targets loopback addresses")
    return host, port


class _Response:
    """httptools callbacks for one response."""

    def __init__(self) -> None:
        self.status = 0
        self.size = 0
        self.done = False
        self.keep_alive = True

    def on_status(self, _status: bytes) -> None:
        pass

    def on_body(self, body: bytes) -> None:
        self.size += len(body)

    def on_message_complete(self) -> None:
        self.done = True


class _Connection:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, step: Step) -> tuple[int, int]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            sock = self.writer.get_extra_info("socket")
            if sock is not None:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        headers = [
            f"{step.method} {step.target} HTTP/1.1",
            f"Host: {self.host}:{self.port}",
            "User-Agent: migkg-bench",
            "Connection: keep-alive",
        ]
        headers += [f"{k}: {v}" for k, v in step.headers]
        if step.body or step.method == "POST":
            headers.append(f"Content-Length: {len(step.body)}")
        self.writer.write(("\r\n".join(headers) + "\r\n\r\n").encode("latin-1") + step.body)
        response = _Response()
        parser = httptools.HttpResponseParser(response)
        while not response.done:
            data = await self.reader.read(1 << 16)
            if not data:
                raise ConnectionError("the server closed the connection")
            parser.feed_data(data)
        response.status = parser.get_status_code()
        if not parser.should_keep_alive():
            self.close()
        return response.status, response.size

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def _user(
    conn: _Connection,
    operations: list[Operation],
    state: dict,
    result: RunResult,
    deadline: float,
    max_requests: int,
    timeout: float,
) -> None:
    while time.perf_counter() < deadline and result.issued < max_requests:
        operation = operations[state["next"] % len(operations)]
        state["next"] += 1
        result.issued += 1
        started = time.perf_counter()
        status, size = 200, 0
        try:
            for step in operation.steps:
                code, length = await asyncio.wait_for(conn.request(step), timeout)
                size += length
                if not 200 <= code < 300:
                    status = code
                    break
        except (TimeoutError, OSError, ConnectionError, httptools.HttpParserError):
            conn.close()
            status = 0
        result.outcomes.append(Outcome(operation.label, status, time.perf_counter() - started, size))


async def _run(
    url: str,
    operations: list[Operation],
    concurrency: int,
    duration: float,
    max_requests: int,
    timeout: float,
    offset: int,
) -> RunResult:
    host, port = check_loopback(url)
    connections = [_Connection(host, port) for _ in range(concurrency)]
    result = RunResult()
    state = {"next": offset}
    started = time.perf_counter()
    try:
        await asyncio.gather(
            *(_user(c, operations, state, result, started + duration, max_requests, timeout) for c in connections)
        )
    finally:
        for c in connections:
            c.close()
    result.elapsed = time.perf_counter() - started
    return result


def run_load(
    url: str,
    operations: list[Operation],
    concurrency: int,
    duration: float,
    max_requests: int,
    timeout: float = 60.0,
    offset: int = 0,
) -> RunResult:
    """Run ``operations`` round-robin (starting at ``offset``) from ``concurrency`` keep-alive connections."""
    return asyncio.run(_run(url, operations, concurrency, duration, max_requests, timeout, offset))


def summarise(outcomes: list[Outcome], elapsed: float) -> dict:
    """Requests per second, latency percentiles (ms) and errors of one run."""
    latencies = sorted(o.seconds for o in outcomes)
    errors = sum(1 for o in outcomes if not 200 <= o.status < 300)
    return {
        "requests": len(outcomes),
        "errors": errors,
        "rps": len(outcomes) / elapsed if elapsed > 0 else 0.0,
        "p50_ms": percentile(latencies, 50) * 1000,
        "p99_ms": percentile(latencies, 99) * 1000,
        "elapsed_s": elapsed,
    }


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile (the value below which q % of the samples fall)."""
    if not sorted_values:
        return float("nan")
    rank = max(1, min(len(sorted_values), math.ceil(q / 100 * len(sorted_values))))
    return sorted_values[rank - 1]
