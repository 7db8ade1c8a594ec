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
    client: str = ""  # the simulated client that sent it (run_clients)
    started: float = 0.0  # seconds from the start of the run to sending it (run_clients)
    header: str = ""  # the value of its client's ``keep_header`` in the last answer (run_clients)


HUNG_UP = -1  # the status of an operation the client gave up on itself (Client.hang_up_after)


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
        self.header = ""

    def on_status(self, _status: bytes) -> None:
        pass

    def on_body(self, body: bytes) -> None:
        self.size += len(body)

    def on_message_complete(self) -> None:
        self.done = True


class _ResponseKeepingHeader(_Response):
    """A response that keeps one header's value. A class of its own: httptools calls ``on_header``,
    once per header, only on a protocol that defines it, and most runs need no header."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.wanted = name.lower().encode("latin-1")

    def on_header(self, name: bytes, value: bytes) -> None:
        if name.lower() == self.wanted:
            self.header = value.decode("latin-1")


class _Connection:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(
        self, step: Step, extra_headers: tuple[tuple[str, str], ...] = (), keep_header: str | None = None
    ) -> _Response:
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
        headers += [f"{k}: {v}" for k, v in extra_headers]
        if step.body or step.method == "POST":
            headers.append(f"Content-Length: {len(step.body)}")
        self.writer.write(("\r\n".join(headers) + "\r\n\r\n").encode("latin-1") + step.body)
        response = _ResponseKeepingHeader(keep_header) if keep_header else _Response()
        parser = httptools.HttpResponseParser(response)
        while not response.done:
            data = await self.reader.read(1 << 16)
            if not data:
                raise ConnectionError("the server closed the connection")
            parser.feed_data(data)
        response.status = parser.get_status_code()
        if not parser.should_keep_alive():
            self.close()
        return response

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


MAX_USERS = 64  # the most connections a run_load may open, each a user with its own key
USER_KEYS = 512  # the simulated users' keys migkg is told (servers.migkg): runs may take fresh ones


def user_key(n: int) -> str:
    """The API key simulated user ``n`` sends (migkg tells clients apart by it); wraps at USER_KEYS."""
    return f"bench-user-{n % USER_KEYS}"


async def _user(
    conn: _Connection,
    key: str,
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
                response = await asyncio.wait_for(conn.request(step, (("X-API-Key", key),)), timeout)
                size += response.size
                if not 200 <= response.status < 300:
                    status = response.status
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
    first_user: int,
) -> RunResult:
    host, port = check_loopback(url)
    if concurrency > MAX_USERS:
        raise ValueError(f"at most {MAX_USERS} simulated users (connections), not {concurrency}")
    connections = [_Connection(host, port) for _ in range(concurrency)]
    result = RunResult()
    state = {"next": offset}
    started = time.perf_counter()
    try:
        await asyncio.gather(
            *(
                _user(c, user_key(first_user + n), operations, state, result, started + duration, max_requests, timeout)
                for n, c in enumerate(connections)
            )
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
    first_user: int = 0,
) -> RunResult:
    """Run ``operations`` round-robin (starting at ``offset``) from ``concurrency`` keep-alive connections,
    one simulated user each: users ``first_user`` onwards."""
    return asyncio.run(_run(url, operations, concurrency, duration, max_requests, timeout, offset, first_user))


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


@dataclass(frozen=True)
class Client:
    """One simulated client of ``run_clients``: its own connections, headers, operations and bounds.

    Its ``connections`` keep-alive connections share one round-robin over ``operations`` (from
    ``offset``) and send ``headers`` with every request (an ``X-API-Key``, say); with ``keep_header``,
    each outcome keeps that header's value from the operation's last answer. It issues requests
    from ``start_delay`` until ``start_delay + duration`` seconds into the run, at most
    ``max_requests``. With ``hang_up_after``, a request not answered within that many seconds is
    given up: the connection is closed and the outcome's status is ``HUNG_UP``. A ``background``
    client runs until every other client is done; then its requests in flight are dropped (its
    connections closed, nothing recorded for them).
    """

    name: str
    operations: tuple[Operation, ...]
    connections: int = 1
    headers: tuple[tuple[str, str], ...] = ()
    duration: float = 10.0
    start_delay: float = 0.0
    max_requests: int = 1_000_000
    hang_up_after: float | None = None
    background: bool = False
    offset: int = 0
    keep_header: str | None = None


@dataclass
class ClientsResult:
    outcomes: list[Outcome] = field(default_factory=list)
    started: float = 0.0  # time.perf_counter() at the start of the run
    elapsed: float = 0.0  # start of the run → the last foreground client done


async def _client_connection(
    conn: _Connection, client: Client, state: dict, result: ClientsResult, timeout: float
) -> None:
    if client.start_delay:
        await asyncio.sleep(client.start_delay)
    deadline = result.started + client.start_delay + client.duration
    limit = min(timeout, client.hang_up_after) if client.hang_up_after else timeout
    while time.perf_counter() < deadline and state["issued"] < client.max_requests:
        operation = client.operations[state["next"] % len(client.operations)]
        state["next"] += 1
        state["issued"] += 1
        started = time.perf_counter()
        status, size, header = 200, 0, ""
        try:
            for step in operation.steps:
                response = await asyncio.wait_for(conn.request(step, client.headers, client.keep_header), limit)
                size, header = size + response.size, response.header
                if not 200 <= response.status < 300:
                    status = response.status
                    break
        except TimeoutError:
            conn.close()
            status = HUNG_UP if client.hang_up_after and limit < timeout else 0
        except (OSError, ConnectionError, httptools.HttpParserError):
            conn.close()
            status = 0
        done = time.perf_counter()
        result.outcomes.append(
            Outcome(operation.label, status, done - started, size, client.name, started - result.started, header)
        )


async def _run_clients(url: str, clients: list[Client], timeout: float) -> ClientsResult:
    host, port = check_loopback(url)
    result = ClientsResult(started=time.perf_counter())
    foreground, background, connections = [], [], []
    for client in clients:
        state = {"next": client.offset, "issued": 0}
        for _ in range(client.connections):
            conn = _Connection(host, port)
            connections.append(conn)
            task = asyncio.create_task(_client_connection(conn, client, state, result, timeout))
            (background if client.background else foreground).append(task)
    try:
        await asyncio.gather(*foreground)
        result.elapsed = time.perf_counter() - result.started
    finally:
        for task in background + foreground:
            task.cancel()
        await asyncio.gather(*background, *foreground, return_exceptions=True)
        for conn in connections:
            conn.close()
    return result


def run_clients(url: str, clients: list[Client], timeout: float = 60.0) -> ClientsResult:
    """Run several simulated clients side by side (see ``Client``); every outcome names its client."""
    return asyncio.run(_run_clients(url, clients, timeout))
